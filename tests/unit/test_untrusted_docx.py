"""A .docx from outside (an agency's article, an editor's reviewed document) is checked as a package
before python-docx reads any of it (ooxml.check_package): each hostile file here is built for the
test, small, and read through the reader that meets it — the article reader and the review import."""

import io
import shutil
import zipfile

import docx
import pytest

from pipeline.errors import InputError, ReviewImportError
from pipeline.export.docx.read import read_review
from pipeline.ingest import read_document
from pipeline.ooxml import read_core_properties

from ..docx_factory import (dtd_in_part, encrypted_member_docx, lying_zip_bomb_docx, with_member, xxe_docx,
                            zip_bomb_docx)
from ..helpers import ROOT

REVIEWED = ROOT / "tests" / "data" / "docx-v4" / "karabakh-talks.ar.docx"  # a review DOCX Tarjama wrote

XXE = '<!ENTITY secret SYSTEM "file:///etc/passwd">'
LAUGHS = '<!ENTITY a "lol">' + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'
                                       for i in range(8))  # &i; is 10^8 «lol»s


def article(path):
    word = docx.Document()
    word.add_paragraph("بحث الرئيس الروسي فلاديمير بوتين ورئيس الوزراء الأرمني نيكول باشينيان.")
    word.save(path)
    return path


def test_a_zip_bomb_whose_header_lies_about_its_size_is_refused_without_inflating_it(tmp_path):
    # The header says 1,000 bytes: the old check summed the headers' sizes and let it through,
    # and zipfile then inflated the member a deflate stream at a time (2 GB for a 3 MB file).
    bomb = tmp_path / "bomb.docx"
    lying_zip_bomb_docx(bomb, megabytes=64)
    assert bomb.stat().st_size < 200_000
    with pytest.raises(InputError) as refused:
        read_document(bomb, "bomb.docx")
    assert str(refused.value) == (f"{bomb}: not a valid .docx: its member word/media/padding.bin does not unzip to "
                                  f"the 1,000 bytes its header says: a damaged file or a zip bomb")


def test_a_review_docx_that_unzips_beyond_the_limit_is_refused_before_python_docx_reads_it(tmp_path):
    bomb = tmp_path / "reviewed.docx"
    shutil.copy(REVIEWED, bomb)
    with_member(bomb, "word/media/padding.bin", b"\0" * (3 << 20))  # import-review had no limit: 3 GB took 3 GB
    with pytest.raises(ReviewImportError, match=r"reviewed\.docx: not read: unzips to [\d,]+ bytes \(limit 2,097,152; "
                                                r"a zip bomb or an oversized file\), see limits in config\.yaml"):
        read_review(bomb, max_unzipped=2 << 20)
    with pytest.raises(ReviewImportError, match=r"too large: [\d,]+ bytes \(limit 1,000"):
        read_review(bomb, max_bytes=1000)
    lying = tmp_path / "lying.docx"
    lying_zip_bomb_docx(lying, megabytes=64)
    with pytest.raises(ReviewImportError, match="does not unzip to the 1,000 bytes its header says"):
        read_review(lying)


def test_two_members_of_one_name_are_refused(tmp_path):
    # zipfile reads the last of two; Word and LibreOffice may show the first: the editor would
    # review one text and Tarjama import another.
    reviewed = tmp_path / "reviewed.docx"
    shutil.copy(REVIEWED, reviewed)
    with zipfile.ZipFile(reviewed) as archive:
        body = archive.read("word/document.xml")
    with_member(reviewed, "word/document.xml", body.replace(b"Armenian", b"Azerbaijani"))
    with pytest.raises(ReviewImportError, match="two members named 'word/document.xml': Word and Tarjama could each "
                                                "read another"):
        read_review(reviewed)
    path = article(tmp_path / "a.docx")
    with_member(path, "Word/Document.XML", b"<x/>")  # part names ignore case
    with pytest.raises(InputError, match="two members named 'Word/Document.XML'"):
        read_document(path, "a.docx")


@pytest.mark.parametrize("part", ["word/document.xml", "word/styles.xml", "[Content_Types].xml", "_rels/.rels",
                                  "word/_rels/document.xml.rels", "docProps/core.xml", "customXml/item1.xml"])
@pytest.mark.parametrize("declarations", [XXE, LAUGHS, '<!ENTITY % p SYSTEM "http://127.0.0.1:9/p.dtd"> %p;'])
def test_a_dtd_in_any_part_is_refused(tmp_path, part, declarations):
    # Entities were not resolved, but not refused either: python-docx left a reference out of the
    # text without a word (an English cell holding one imported as emptied by the editor).
    path = article(tmp_path / "a.docx")
    dtd_in_part(path, part, declarations)
    with pytest.raises(InputError) as refused:
        read_document(path, "a.docx")
    assert str(refused.value) == (f"{path}: not a valid .docx: its part {part} has a DTD (<!DOCTYPE …>), which Word "
                                  f"never writes: its entities could read local files or expand without bound")


def test_an_entity_in_the_english_of_a_review_docx_is_refused_not_imported_as_an_emptied_cell(tmp_path):
    reviewed = tmp_path / "reviewed.docx"
    shutil.copy(REVIEWED, reviewed)
    with zipfile.ZipFile(reviewed) as archive:
        assert b"On the Karabakh agreements" in archive.read("word/document.xml")
    dtd_in_part(reviewed, "word/document.xml", XXE)
    data = reviewed.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    parts["word/document.xml"] = parts["word/document.xml"].replace(b"On the Karabakh agreements", b"&secret;")
    with zipfile.ZipFile(reviewed, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, blob in parts.items():
            archive.writestr(name, blob)
    with pytest.raises(ReviewImportError, match=r"not a readable \.docx \(its part word/document\.xml has a DTD"):
        read_review(reviewed)


def test_the_old_xxe_case_is_refused_and_reads_nothing(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    path = tmp_path / "xxe.docx"
    xxe_docx(path, secret)
    with pytest.raises(InputError, match="its part word/document.xml has a DTD") as refused:
        read_document(path, "xxe.docx")
    assert "TOP-SECRET" not in str(refused.value)


def test_encrypted_members_and_password_protected_files_say_so(tmp_path):
    path = tmp_path / "a.docx"
    encrypted_member_docx(path)
    with pytest.raises(InputError, match="not a valid .docx: its member word/document.xml is encrypted$"):
        read_document(path, "a.docx")
    # Word saves a password-protected .docx as an OLE compound file with an EncryptedPackage stream.
    protected = tmp_path / "protected.docx"
    protected.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "EncryptedPackage".encode("utf-16-le"))
    with pytest.raises(ReviewImportError, match=r"not a readable \.docx \(password-protected \(encrypted\): open it "
                                                r"in Word, remove the password"):
        read_review(protected)
    # Another OLE file (a spreadsheet, .xls) renamed: not told it is a Word .doc (a code review)
    sheet = tmp_path / "sheet.docx"
    sheet.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "Workbook".encode("utf-16-le"))
    with pytest.raises(InputError, match=r"not a valid \.docx: an older Office file \(an OLE compound file"):
        read_document(sheet, "sheet.docx")


def test_a_damaged_central_directory_is_one_clear_reason(tmp_path):
    path = article(tmp_path / "a.docx")
    data = bytearray(path.read_bytes())
    end = data.rfind(b"PK\x05\x06")
    data[end + 16:end + 20] = b"\xff\xff\xff\x00"  # the central directory's offset
    path.write_bytes(bytes(data))
    with pytest.raises(InputError, match=r"not a valid \.docx: (its member .* does not unzip|not a zip archive)"):
        read_document(path, "a.docx")


def test_legitimate_packages_pass(tmp_path):
    path = article(tmp_path / "a.docx")
    zip64 = tmp_path / "zip64.docx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(zip64, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            with target.open(info.filename, "w", force_zip64=True) as member:
                member.write(source.read(info))
    for docx_file in (path, zip64):
        assert read_document(docx_file, "a.docx").paragraphs[0].source.startswith("بحث الرئيس")
    assert read_review(REVIEWED).rows


def test_core_properties_of_a_docx_in_the_output_folder_are_read_no_further_than_a_small_part(tmp_path):
    # `translate` reads the core properties of the DOCX already in the output folder (was it
    # edited?): whoever put it there, a bomb's core.xml is not inflated.
    path = tmp_path / "a.docx"
    zip_bomb_docx(path, 1)
    properties = read_core_properties(path.read_bytes())
    assert properties.last_modified_by is not None or properties.creator is not None
    lying = tmp_path / "lying.docx"
    shutil.copy(REVIEWED, lying)
    from ..docx_factory import _patch_headers
    import struct

    _patch_headers(lying, "docProps/core.xml",
                   lambda data, local, central: (struct.pack_into("<I", data, local + 22, 10),
                                                 struct.pack_into("<I", data, central + 24, 10)))
    assert read_core_properties(lying.read_bytes()).subject is None  # not what it says: nothing read from it


def test_import_review_refuses_a_zip_bomb_with_the_configured_limit(tmp_path):
    from ..helpers import run_cli

    shutil.copy(REVIEWED, tmp_path / "karabakh-talks.ar.docx")
    shutil.copy(REVIEWED.with_suffix(".json"), tmp_path / "karabakh-talks.ar.json")
    before = (tmp_path / "karabakh-talks.ar.json").read_bytes()
    with_member(tmp_path / "karabakh-talks.ar.docx", "word/media/padding.bin", b"\0" * (3 << 20))
    config = tmp_path / "config.yaml"
    config.write_text("limits:\n  max_docx_unzipped_mb: 2\n", encoding="utf-8")
    result = run_cli("import-review", str(tmp_path / "karabakh-talks.ar.docx"), "--config", str(config))
    assert result.returncode == 2
    assert result.stderr.startswith(f"tarjama: error: {tmp_path / 'karabakh-talks.ar.docx'}: not read: unzips to ")
    assert len(result.stderr.strip().splitlines()) == 1
    assert (tmp_path / "karabakh-talks.ar.json").read_bytes() == before  # nothing written
