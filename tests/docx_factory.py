"""Word files for tests, built with python-docx plus the raw parts it has no API for."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

import docx

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def tiny_png() -> bytes:
    """A valid 1×1 PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff")) + chunk(b"IEND", b""))


def _replace_part(path: Path, name: str, transform) -> None:
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info.filename) for info in source.infolist()}
    parts[name] = transform(parts.get(name))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for part, data in parts.items():
            target.writestr(part, data)


def rich_docx(path: Path, paragraphs: list[str]) -> None:
    """Body paragraphs, a table, a picture, a text box and a footnote (the last three not translated)."""
    word = docx.Document()
    word.add_heading(paragraphs[0], level=0)
    for text in paragraphs[1:-1]:
        word.add_paragraph(text)
    table = word.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "خلية أولى في جدول"
    table.cell(0, 1).text = "خلية ثانية في جدول"
    word.add_picture(io.BytesIO(tiny_png()))
    host = word.add_paragraph(paragraphs[-1])
    # A text box (DrawingML-free VML form): its text is not a body paragraph.
    from lxml import etree

    textbox = etree.fromstring(
        f'<w:r xmlns:w="{W}" xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape><v:textbox>'
        f'<w:txbxContent><w:p><w:r><w:t>نص في مربع نص</w:t></w:r></w:p></w:txbxContent>'
        f'</v:textbox></v:shape></w:pict></w:r>')
    host._p.append(textbox)
    word.save(path)
    _add_footnote(path, "حاشية سفلية")


def _add_footnote(path: Path, text: str) -> None:
    footnotes = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="{W}">'
                 f'<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
                 f'<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
                 f'<w:footnote w:id="1"><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:footnote></w:footnotes>').encode()
    _replace_part(path, "word/footnotes.xml", lambda _: footnotes)
    _replace_part(path, "[Content_Types].xml", lambda xml: xml.replace(
        b"</Types>", b'<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-'
                     b'officedocument.wordprocessingml.footnotes+xml"/></Types>'))
    _replace_part(path, "word/_rels/document.xml.rels", lambda xml: xml.replace(
        b"</Relationships>", b'<Relationship Id="rIdFoot1" Type="http://schemas.openxmlformats.org/officeDocument/'
                             b'2006/relationships/footnotes" Target="footnotes.xml"/></Relationships>'))


def zip_bomb_docx(path: Path, megabytes: int) -> None:
    """A real .docx with an extra member that unzips to `megabytes` of zeros (a few KB zipped)."""
    word = docx.Document()
    word.add_paragraph("بحث الرئيس الروسي.")
    word.save(path)
    _replace_part(path, "word/media/padding.bin", lambda _: b"\0" * (megabytes << 20))


def xxe_docx(path: Path, secret_file: Path) -> None:
    """A .docx whose body declares an external entity that points at a local file."""
    word = docx.Document()
    word.add_paragraph("PLACEHOLDER")
    word.save(path)

    def inject(xml: bytes) -> bytes:
        head, body = xml.split(b"?>", 1)
        doctype = f'<!DOCTYPE w:document [<!ENTITY secret SYSTEM "file://{secret_file}">]>'.encode()
        return head + b"?>" + doctype + body.replace(b"PLACEHOLDER", "نص &secret; آخر".encode())

    _replace_part(path, "word/document.xml", inject)


# --- hostile packages (README, "Untrusted files") -------------------------------------------

def with_member(path: Path, name: str, data: bytes) -> None:
    """Append a member to the zip as it is: a second member of a name already there included (the
    zip then holds two, and zipfile reads the last)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile's "Duplicate name" warning
        with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(name, data)


def _patch_headers(path: Path, name: str, patch) -> None:
    """Apply `patch(buffer, local_header_offset, central_entry_offset)` to the member's two headers."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        local = archive.getinfo(name).header_offset
    central = data.find(b"PK\x01\x02")
    while central >= 0:
        length = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46:central + 46 + length].decode() == name:
            break
        central = data.find(b"PK\x01\x02", central + 4)
    patch(data, local, central)
    path.write_bytes(bytes(data))


def lying_zip_bomb_docx(path: Path, megabytes: int, claimed: int = 1000) -> None:
    """A real .docx with a member of `megabytes` of zeros whose headers say it unzips to `claimed`
    bytes: zipfile trusts the header, and inflated a whole deflate block of it at once."""
    zip_bomb_docx(path, megabytes)

    def patch(data: bytearray, local: int, central: int) -> None:
        struct.pack_into("<I", data, local + 22, claimed)    # uncompressed size, local header
        struct.pack_into("<I", data, central + 24, claimed)  # and in the central directory
    _patch_headers(path, "word/media/padding.bin", patch)


def encrypted_member_docx(path: Path, name: str = "word/document.xml") -> None:
    """A .docx whose member is flagged as encrypted (traditional PKWARE encryption)."""
    word = docx.Document()
    word.add_paragraph("بحث الرئيس الروسي.")
    word.save(path)

    def patch(data: bytearray, local: int, central: int) -> None:
        data[local + 6] |= 0x1
        data[central + 8] |= 0x1
    _patch_headers(path, name, patch)


def dtd_in_part(path: Path, part: str, declarations: str, reference: str | None = None) -> None:
    """Put a DOCTYPE with `declarations` before the root element of `part` (and `reference` at the
    end of its first w:t, or of the root element's text when it has none)."""
    import re

    def inject(xml: bytes) -> bytes:
        declaration = re.match(rb"<\?xml[^>]*\?>\s*", xml)
        at = declaration.end() if declaration else 0
        root = re.match(rb"<([\w:.-]+)", xml[at:]).group(1)
        xml = xml[:at] + b"<!DOCTYPE " + root + b" [" + declarations.encode() + b"]>" + xml[at:]
        if reference:
            if b"</w:t>" in xml:
                xml = xml.replace(b"</w:t>", reference.encode() + b"</w:t>", 1)
            else:
                closing = xml.rindex(b"</")
                xml = xml[:closing] + reference.encode() + xml[closing:]
        return xml

    _replace_part(path, part, inject)
