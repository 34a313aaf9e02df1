"""The review DOCX as Word and LibreOffice read it: right-to-left Arabic, widths, styles, comments.

Written through the batch runner with a test double for the model (the DOCX does not depend on
the model; the fixture model's documents are checked in tests/e2e)."""

import docx

from pipeline.batch import BatchRunner
from pipeline.folders import discover
from pipeline.config import load_settings

from ...helpers import ROOT, SAMPLE_ARTICLE, DictionaryTranslator


def runner(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text("", encoding="utf-8")
    return BatchRunner(load_settings(config), DictionaryTranslator(), tmp_path / "out")


def test_docx_right_to_left_markup_and_repeating_header(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_bytes(SAMPLE_ARTICLE.read_bytes())
    runner(tmp_path).run(*discover([tmp_path / "in"]))
    document = docx.Document(str(tmp_path / "out" / "a.docx"))
    table = document.tables[-1]
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    assert table.rows[0]._tr.find(f"{w}trPr/{w}tblHeader") is not None
    assert [c.text for c in table.rows[0].cells] == ["#", "Arabic (do not edit)", "English", "Status", "Editor's note",
                                                     "Review"]
    for row in table.rows[1:]:
        arabic = row.cells[1].paragraphs[0]._p
        assert arabic.find(f"{w}pPr/{w}bidi") is not None
        assert arabic.find(f"{w}pPr/{w}jc") is None  # alignment left unset: right edge on a bidi paragraph
        for run in arabic.findall(f"{w}r"):
            assert run.find(f"{w}rPr/{w}rtl") is not None
            assert run.find(f"{w}rPr/{w}rFonts").get(f"{w}cs")
        assert row._tr.find(f"{w}trPr/{w}cantSplit") is not None
    # headings bold, credits grey
    kinds = [r.cells[0].text.split("\n")[-1] for r in table.rows[1:]]
    heading_row = table.rows[1 + kinds.index("sub-heading")]
    assert all(run.bold for run in heading_row.cells[2].paragraphs[0].runs)
    source_row = table.rows[1 + kinds.index("source line")]
    assert str(source_row.cells[2].paragraphs[0].runs[0].font.color.rgb) == "6B6B6B"
    # page numbers in the footer
    footer_xml = document.sections[0].footer._element.xml
    assert "PAGE" in footer_xml and "NUMPAGES" in footer_xml


def test_a_line_without_arabic_in_the_arabic_column_reads_left_to_right(tmp_path):
    """An English line in an Arabic article (a byline, a quoted title) was a bidi paragraph:
    LibreOffice showed its full stop first («.article»)."""
    (tmp_path / "in").mkdir()
    english = "This English line is inside the Arabic article."
    (tmp_path / "in" / "a.txt").write_text(SAMPLE_ARTICLE.read_text(encoding="utf-8") + "\n" + english + "\n",
                                           encoding="utf-8")
    runner(tmp_path).run(*discover([tmp_path / "in"]))
    table = docx.Document(str(tmp_path / "out" / "a.docx")).tables[-1]
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    [row] = [r for r in table.rows[1:] if r.cells[1].text == english]
    cell = row.cells[1].paragraphs[0]._p
    assert cell.find(f"{w}pPr/{w}bidi") is None and cell.find(f"{w}pPr/{w}jc").get(f"{w}val") == "right"
    assert all(run.find(f"{w}rPr/{w}rtl") is None for run in cell.findall(f"{w}r"))
    arabic = table.rows[1].cells[1].paragraphs[0]._p  # the Arabic rows stay right to left
    assert arabic.find(f"{w}pPr/{w}bidi") is not None


def test_docx_is_what_word_needs(tmp_path):
    """Word reads what LibreOffice forgives: widths on every cell, complex-script sizes, styles."""
    import zipfile

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("محادثات بوتين وباشينيان في موسكو\n" + SAMPLE_ARTICLE.read_text("utf-8"), "utf-8")
    config = tmp_path / "config.yaml"
    config.write_text(f"review:\n  glossary: {ROOT / 'docs' / 'glossary.example.yaml'}\n", encoding="utf-8")
    BatchRunner(load_settings(config), DictionaryTranslator(), tmp_path / "out").run(*discover([tmp_path / "in"]))
    path = tmp_path / "out" / "a.docx"
    document = docx.Document(str(path))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    table = document.tables[-1]
    grid = [int(col.get(f"{w}w")) for col in table._tbl.find(f"{w}tblGrid")]
    for row in table.rows:  # the header row too: Word lays a table out from each cell's tcW
        assert [int(tc.find(f"{w}tcPr/{w}tcW").get(f"{w}w")) for tc in row._tr.findall(f"{w}tc")] == grid
    header = table.rows[0].cells[1].paragraphs[0]._p
    assert header.find(f"{w}pPr/{w}bidi") is None  # "(do not edit)" in a bidi paragraph: Word mirrors the bracket
    headline = table.rows[1].cells[1].paragraphs[0]._p
    assert table.rows[1].cells[0].text.endswith("headline")
    for run in headline.iter(f"{w}r"):
        assert run.find(f"{w}rPr/{w}sz").get(f"{w}val") == run.find(f"{w}rPr/{w}szCs").get(f"{w}val") == "28"
    # Arabic quoted in a flag message (review column and Word comment): right-to-left, its font and size
    quoted = [run for row in table.rows[1:] for run in row.cells[5]._tc.iter(f"{w}r") if "باشينيان" in "".join(run.itertext())]
    comments = document.part._comments_part.element
    quoted += [run for run in comments.iter(f"{w}r") if "باشينيان" in "".join(run.itertext())]
    assert len(quoted) >= 2
    for run in quoted:
        assert run.find(f"{w}rPr/{w}rtl") is not None and run.find(f"{w}rPr/{w}rFonts").get(f"{w}cs")
        assert run.find(f"{w}rPr/{w}szCs") is not None
    with zipfile.ZipFile(path) as package:
        settings, styles = package.read("word/settings.xml").decode(), package.read("word/styles.xml").decode()
        assert 'w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"' in settings
        assert 'w:styleId="CommentText"' in styles and 'w:styleId="CommentReference"' in styles
        assert not any("thumbnail" in name for name in package.namelist())
        assert b"thumbnail" not in package.read("_rels/.rels")


def test_a_newsrooms_own_faces_sizes_and_arabic_line_spacing(tmp_path):
    import pytest

    from pipeline.errors import ConfigError

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_bytes(SAMPLE_ARTICLE.read_bytes())
    config = tmp_path / "config.yaml"
    config.write_text("document:\n  arabic_font: Amiri\n  arabic_size: 14\n  arabic_line_spacing: 1.5\n"
                      "  english_font: Georgia\n", encoding="utf-8")
    BatchRunner(load_settings(config), DictionaryTranslator(), tmp_path / "out").run(*discover([tmp_path / "in"]))
    document = docx.Document(str(tmp_path / "out" / "a.docx"))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    arabic = document.tables[-1].rows[2].cells[1].paragraphs[0]
    assert arabic.paragraph_format.line_spacing == 1.5
    fonts = arabic.runs[0]._r.find(f"{w}rPr/{w}rFonts")
    assert fonts.get(f"{w}cs") == "Amiri" and arabic.runs[0]._r.find(f"{w}rPr/{w}szCs").get(f"{w}val") == "28"
    assert document.styles["Normal"].font.name == "Georgia"
    config.write_text("document:\n  arabic_size: 200\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="document.arabic_size"):
        load_settings(config)


def test_status_is_a_drop_down_that_the_reader_reads(tmp_path):
    from pipeline.export.docx.layout import STATUS
    from pipeline.export.docx.read import read_review

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_bytes(SAMPLE_ARTICLE.read_bytes())
    runner(tmp_path).run(*discover([tmp_path / "in"]))
    path = tmp_path / "out" / "a.docx"
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    for row in docx.Document(str(path)).tables[-1].rows[1:]:
        control = row.cells[STATUS]._tc.find(f".//{w}sdt")
        items = [i.get(f"{w}value") for i in control.findall(f"{w}sdtPr/{w}dropDownList/{w}listItem")]
        assert items == ["ok", "needs review", "approved", "rejected"]
        assert control.find(f"{w}sdtPr/{w}tag").get(f"{w}val") == "tarjama-status"
    statuses = [row.status_text for row in read_review(path).rows]
    assert set(statuses) <= {"ok", "needs review"} and len(statuses) == 13


def test_a_list_of_quoted_arabic_words_in_an_english_message_keeps_its_order():
    """Each «…» is its own right-to-left run: one run across «لسه», «بتعرف» would be laid out as a
    single right-to-left stretch, the items in reverse order (as the dialect check's message was)."""
    from pipeline import ooxml

    paragraph = docx.Document().add_paragraph()
    message = "spoken Arabic (Levantine) (words: «لسه», «بتعرف», «رح»)"
    runs = ooxml.add_mixed_text(paragraph, message, "Arial", 8)
    W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    arabic = [run.text for run in runs if run._r.find(f"{W}rPr/{W}rtl") is not None]
    assert arabic == ["لسه", "بتعرف", "رح"]
    # between two of them a left-to-right mark after the closing quote, else invisible: the text is the message
    assert [run.text for run in runs if "\u200e" in run.text] == ["»\u200e, «", "»\u200e, «"]
    assert "".join(run.text for run in runs).replace("\u200e", "") == message
    # a quoted phrase stays one run
    phrase = ooxml.add_mixed_text(docx.Document().add_paragraph(), "«ناغورني قره باغ» should be", "Arial", 8)
    assert [r.text for r in phrase if r._r.find(f"{W}rPr/{W}rtl") is not None] == ["ناغورني قره باغ"]


def test_the_review_columns_own_lines_by_their_shape_when_the_record_does_not_know_them():
    """A file older than the record's Review-column hashes: Tarjama's lines are told by their shape."""
    from pipeline.export.docx.read import typed_in_review

    ours = ["needs review", "Approved by Layla Haddad, 2024-03-01", "Rejected", "Edited by Sara Ali",
            "Editor's draft, not approved. The machine's English was: On 9 November 2020 …",
            "Warning: «ثلاثة» (3) in the Arabic but 4 in the English", "Error: the English is empty", "Note: 2 sentences"]
    assert typed_in_review(ours + ["Ask Cairo about the date", "EDITOR: keep it"]) == ["Ask Cairo about the date",
                                                                                        "EDITOR: keep it"]


def test_the_to_do_line_counts_one_row_as_one_row():
    from pipeline.export.docx.write import _to_do
    from pipeline.model import Document, Flag, Paragraph

    paragraphs = [Paragraph(f"p{i}", i, "نص.") for i in range(1, 4)]
    paragraphs[0].flags = [Flag("numbers", "warning", "…")]
    paragraphs[1].flags = paragraphs[2].flags = [Flag("empty_target", "error", "…")]
    assert _to_do(Document("a.txt", "a.txt", "0" * 64, "txt", paragraphs)) == ("2 red rows to fix before publishing; "
                                                     "1 amber row to check against the Arabic")


def test_the_marks_the_writer_puts_between_arabic_words_are_not_read_back_as_an_edit(tmp_path):
    """Between two Arabic stretches of an English (a line of Arabic hashtags copied as written, a
    note quoting «لسه»، «بتعرف») the writer puts a left-to-right mark; read back, it was the editor's:
    an untouched row imported as edited, the English (and the note) one mark longer on every
    round trip — «#مصر\\u200e\\u200e\\u200e #السعودية» after three."""
    import json

    from pipeline import ooxml
    from pipeline.roundtrip import import_review

    from ...editor import Editor

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("قال بوتين إن المحادثات كانت مفيدة.\n#مصر #السعودية\n", encoding="utf-8")
    runner(tmp_path).run(*discover([tmp_path / "in"]))
    out = tmp_path / "out"
    editor = Editor(out / "a.docx")
    editor.write_note("p0001", "spoken: «لسه», «بتعرف»")
    editor.document.save(str(out / "a.docx"))
    for _ in range(3):  # import, write again, import the untouched document again …
        imported = import_review(out / "a.docx")
        record = json.loads((out / "a.json").read_text(encoding="utf-8"))
        reviews = {p["id"]: p["review"] for p in record["paragraphs"]}
        assert reviews["p0002"]["editor_target"] is None, imported
        assert reviews["p0001"]["note"] == "spoken: «لسه», «بتعرف»"
        runner(tmp_path).run(*discover([tmp_path / "in"]))
    # what any text is written as reads back as that text; an editor's own mark («»\u200e) stays
    for text in ["#مصر #السعودية", "words: «لسه», «بتعرف», «رح»", "«لسه»\u200e, «بتعرف»", "a «لسه»\t«بتعرف»\n«رح» - «لا»",
                 "#مصر\u200f #السعودية", "Putin said «نعم». Then «لا»!"]:
        [written] = ooxml.paragraph_texts(ooxml.paragraph(ooxml.runs_xml(ooxml.text_runs(text, "Arial", 10))))
        assert ooxml.unmixed(written) == text
