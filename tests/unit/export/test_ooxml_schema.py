"""Every DOCX Tarjama writes is WordprocessingML as ECMA-376 defines it.

Word may refuse a document whose XML breaks the schema ("Word found unreadable content") where
LibreOffice reads it, so the tests that read the DOCX back cannot tell. The ECMA-376 transitional schemas
(tests/data/ooxml) stand in for Word: every WordprocessingML and DrawingML part of each kind of
DOCX is validated after Markup Compatibility processing, as Word reads it (`mc:Ignorable`
extensions dropped: w14's attributes in the template's parts), and the run and row properties,
which the schema lets come in any order, are checked in the order it lists them (Word's).

The review DOCX plain, with flags (Word comments), after an editor's import (notes, a comment on
the English and one on the title block, statuses, a tracked change, text typed in the Review
column) and with reviews of paragraphs since rewritten at the source; the published DOCX. The
parts that come from python-docx's default template (font table, web settings, theme, numbering,
stylesWithEffects; styles and settings as Tarjama changes them) are validated too: Tarjama ships
them, and they are valid once settings' w:zoom has its percentage (ooxml.complete_zoom).

Written through the batch runner with a test double for the model (the DOCX does not depend on it).
"""

import copy
import io
import shutil
import zipfile

import pytest
from lxml import etree

from pipeline.batch import BatchRunner
from pipeline.config import load_settings
from pipeline.export.publish import publish, to_docx
from pipeline.export.record import read_record
from pipeline.folders import discover
from pipeline.roundtrip import import_review

from ...editor import Editor
from ...helpers import (DATA, ROOT, SAMPLE_ARTICLE, DictionaryTranslator, markup_compatibility, part_problems,
                        understood_namespaces, validate_docx)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def translate(root):
    config = root / "config.yaml"
    config.write_text(f"review:\n  glossary: {ROOT / 'docs' / 'glossary.example.yaml'}\n", encoding="utf-8")
    BatchRunner(load_settings(config), DictionaryTranslator({"أنا ولد.": "I am a boy."}), root / "out").run(
        *discover([root / "in"]))


@pytest.fixture(scope="module")
def documents(tmp_path_factory):
    """name → the bytes of each kind of DOCX Tarjama writes."""
    root = tmp_path_factory.mktemp("ooxml")
    (root / "in").mkdir()
    (root / "in" / "plain.txt").write_text("أنا ولد.\n", encoding="utf-8")
    headline = "محادثات بوتين وباشينيان في موسكو\n"
    (root / "in" / "karabakh.txt").write_text(headline + SAMPLE_ARTICLE.read_text("utf-8"), encoding="utf-8")
    shutil.copy(DATA / "karabakh-dialect.ar.txt", root / "in" / "dialect.txt")
    translate(root)
    out, found = root / "out", {}
    found["review, plain"] = (out / "plain.docx").read_bytes()
    found["review, flags"] = (out / "karabakh.docx").read_bytes()
    found["review, dialect flags"] = (out / "dialect.docx").read_bytes()

    editor = Editor(out / "karabakh.docx")
    editor.set_english("p0006", "The editor's English,\twith a tab.")
    editor.add_line_break("p0006", 2, "A second line.")
    editor.add_paragraph("p0006", 2, "A second paragraph.")
    editor.set_status("p0006", "approved")
    editor.write_note("p0006", "Checked against «بوتين».")
    editor.track_replace("p0007", "An English", "The English")
    editor.type_status("p0007", "Approved")
    editor.set_english("p0008", "A draft, not approved.")
    editor.set_status("p0011", "rejected")
    editor.write_note("p0011", "Retranslate.")
    editor.comment("p0004", "Check the date with the desk.", author="Layla Haddad", at_cursor=False)
    editor.comment_on_title_block("Use the agency's spelling of names.", author="Layla Haddad")
    editor.add_paragraph("p0003", 5, "EDITOR: keep it.")  # typed in the Review column
    import_review(editor.save())
    translate(root)
    found["review, after import-review"] = (out / "karabakh.docx").read_bytes()
    assert b"Comments on the article" in document_xml(found["review, after import-review"])

    # The Arabic of a reviewed paragraph rewritten at the source: its review is shown apart.
    article = root / "in" / "karabakh.txt"
    lines = article.read_text("utf-8").splitlines()
    lines[5] = "قال الرئيس إن المحادثات ستستمر."
    article.write_text("\n".join(lines) + "\n", encoding="utf-8")
    translate(root)
    found["review, reviews of rewritten paragraphs"] = (out / "karabakh.docx").read_bytes()
    assert b"since rewritten at the source" in document_xml(found["review, reviews of rewritten paragraphs"])

    publish(out, root / "published", "docx", allow_unreviewed=True)
    found["published"] = (root / "published" / "karabakh.en.docx").read_bytes()
    # every kind of paragraph, an editor's paragraphs and line breaks, the unreviewed banner
    document = copy.deepcopy(read_record(out / "karabakh.json").document)
    kinds = ["headline", "heading", "body", "quote", "list_item", "dateline", "byline", "caption", "source"]
    for paragraph, kind in zip(document.paragraphs, kinds * 3):
        paragraph.kind, paragraph.review = kind, None
        paragraph.target = f"{kind} English,\nline two.\n\nIts second paragraph."
    found["published, every kind, unreviewed"] = to_docx(document, unreviewed=True)
    return found


def document_xml(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.read("word/document.xml")


KINDS = ["review, plain", "review, flags", "review, dialect flags", "review, after import-review",
         "review, reviews of rewritten paragraphs", "published", "published, every kind, unreviewed"]


@pytest.mark.parametrize("kind", KINDS)
def test_every_part_of_every_docx_is_valid_against_ecma_376(documents, kind):
    parts = validate_docx(documents[kind])
    assert {"word/document.xml", "word/styles.xml", "word/settings.xml", "word/numbering.xml"} <= set(parts), parts
    # the review DOCX's own footer (page numbers), and its comments where there are findings
    assert ("word/footer1.xml" in parts) == kind.startswith("review")
    assert ("word/comments.xml" in parts) == (kind.startswith("review") and kind != "review, plain")


def test_the_validation_finds_what_word_refuses():
    """Not a vacuous check: the schema refuses properties out of order, unknown elements and
    values, run properties are held to the listed order, and Markup Compatibility leaves out only
    what may be ignored."""
    def problems(body: str, namespaces: str = "") -> list[str]:
        return part_problems(f'<w:document xmlns:w="{W}" xmlns:mc="{MC}" {namespaces}><w:body>{body}</w:body>'
                             "</w:document>")

    assert problems('<w:p><w:pPr><w:bidi/><w:spacing w:line="276" w:lineRule="auto"/><w:jc w:val="right"/></w:pPr>'
                    '<w:r><w:rPr><w:rFonts w:cs="Arial"/><w:b/><w:rtl/></w:rPr><w:t xml:space="preserve"> x</w:t></w:r>'
                    "</w:p>") == []
    [bidi] = problems('<w:p><w:pPr><w:jc w:val="right"/><w:bidi/></w:pPr></w:p>')
    assert "bidi': This element is not expected" in bidi
    assert "tcW': This element is not expected" in problems(
        '<w:tbl><w:tblPr/><w:tblGrid/><w:tr><w:tc><w:tcPr><w:shd w:val="clear" w:fill="FFFFFF"/><w:tcW w:w="5" '
        'w:type="dxa"/></w:tcPr><w:p/></w:tc></w:tr></w:tbl>')[0]
    [order] = problems('<w:p><w:r><w:rPr><w:b/><w:rFonts w:cs="Arial"/></w:rPr></w:r></w:p>')
    assert "w:rPr has its children out of the listed order: w:b, w:rFonts" in order
    assert "'bogus' is not an element of the set" in problems('<w:p><w:r><w:t xml:space="bogus">x</w:t></w:r></w:p>')[0]
    # Markup Compatibility: an ignorable extension's attributes and elements go; AlternateContent
    # gives its Fallback when its Choice requires what is not understood; anything else stays, and is refused.
    w14 = 'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"'
    assert problems('<w:p w14:paraId="1A2B3C4D"><w14:extra/><w:r><mc:AlternateContent>'
                    '<mc:Choice Requires="w14"><w14:checkbox/></mc:Choice><mc:Fallback><w:t>x</w:t></mc:Fallback>'
                    "</mc:AlternateContent></w:r></w:p>", w14 + ' mc:Ignorable="w14"') == []
    assert "extra': This element is not expected" in problems("<w:p><w14:extra/></w:p>", w14)[0]
    root = etree.fromstring(f'<w:p xmlns:w="{W}" xmlns:mc="{MC}" {w14} mc:Ignorable="w14" mc:ProcessContent="w14:wrap">'
                            "<w14:wrap><w:r/></w14:wrap><w14:other><w:r/></w14:other></w:p>")
    assert [child.tag for child in markup_compatibility(root, understood_namespaces())] == [f"{{{W}}}r"]
    assert root.attrib == {}
