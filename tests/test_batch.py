"""Folder runs with the translator replaced by a test double (the model runs in test_end_to_end)."""

import json
import os
from pathlib import Path

import docx

from pipeline.batch import BatchRunner, InputFile, discover, plan_outputs
from pipeline.config import load_settings

from .helpers import ROOT, SAMPLE_ARTICLE, DictionaryTranslator, assert_nothing_lost, sha256_tree


def runner(tmp_path: Path, translator=None) -> BatchRunner:
    settings = load_settings(_empty_config(tmp_path))
    return BatchRunner(settings, translator or DictionaryTranslator(), tmp_path / "out")


def _empty_config(tmp_path: Path) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text("", encoding="utf-8")
    return path


def make_tree(root: Path) -> None:
    (root / "world" / "europe").mkdir(parents=True)
    (root / "world" / "europe" / "karabakh.txt").write_bytes(SAMPLE_ARTICLE.read_bytes())
    (root / "موجز الأخبار.txt").write_text("بحث الرئيس الروسي فلاديمير بوتين.\nالمصدر: تاس\n", encoding="utf-8")
    (root / "a.txt").write_text("نص أول.\n", encoding="utf-8")
    (root / "a.md").write_text("# نص ثان\n", encoding="utf-8")
    (root / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    (root / "empty.txt").write_bytes(b"")
    (root / ".hidden.txt").write_text("مخفي", encoding="utf-8")
    (root / "~$lock.docx").write_bytes(b"lock")


def test_discovery_is_recursive_sorted_and_says_what_it_passed_over(tmp_path):
    make_tree(tmp_path / "in")
    outside = tmp_path / "outside.txt"
    outside.write_text("خارج", encoding="utf-8")
    os.symlink(outside, tmp_path / "in" / "link-out.txt")
    os.symlink(tmp_path / "in" / "world", tmp_path / "in" / "link-dir")
    files, passed = discover([tmp_path / "in"])
    assert [f.rel for f in files] == ["a.md", "a.txt", "empty.txt", "world/europe/karabakh.txt", "موجز الأخبار.txt"]
    assert {(p.input, p.status) for p in passed} == {
        ("photo.jpg", "skipped"), ("link-out.txt", "skipped"), ("link-dir", "skipped")}


def test_output_names_never_collide():
    files = [InputFile(Path(f"/x/{rel}"), rel) for rel in ("a.txt", "a.md", "b.txt", "sub/a.txt", "c.docx", "c")]
    plan_outputs(files)
    assert [f.stem for f in files] == ["a.txt", "a.md", "b", "sub/a", "c.docx", "c"]


def test_a_folder_run_mirrors_the_tree_isolates_failures_and_reports(tmp_path):
    make_tree(tmp_path / "in")
    before = sha256_tree(tmp_path / "in")
    files, passed = discover([tmp_path / "in"])
    report = runner(tmp_path).run(files, passed)
    out = tmp_path / "out"
    assert sha256_tree(tmp_path / "in") == before  # inputs never modified
    assert {(f.input, f.status) for f in report.files} == {
        ("a.md", "done"), ("a.txt", "done"), ("empty.txt", "failed"), ("world/europe/karabakh.txt", "done"),
        ("موجز الأخبار.txt", "done"), ("photo.jpg", "skipped")}
    assert [f.reason for f in report.files if f.status == "failed"] == ["empty"]
    for rel, stem in [("world/europe/karabakh.txt", "world/europe/karabakh"), ("a.txt", "a.txt"),
                      ("a.md", "a.md"), ("موجز الأخبار.txt", "موجز الأخبار")]:
        assert_nothing_lost(tmp_path / "in" / rel, out / f"{stem}.json", out / f"{stem}.docx")
    saved = json.loads((out / "_batch.json").read_text(encoding="utf-8"))
    assert saved["totals"] == {"files": 6, "done": 4, "failed": 1, "skipped": 1, "paragraphs": 17,
                               "sentences": saved["totals"]["sentences"], "flagged": saved["totals"]["flagged"]}
    assert saved["model"]["backend"] == "test-double"
    assert not list(out.rglob("*.part"))  # no temporary files left behind


def test_units_of_all_articles_go_to_the_translator_together_each_once(tmp_path):
    (tmp_path / "in").mkdir()
    for name in ("one.txt", "two.txt"):
        (tmp_path / "in" / name).write_text("المصدر: تاس\nنص خاص بالملف " + name[:3] + ".\n", encoding="utf-8")
    translator = DictionaryTranslator()
    runner(tmp_path, translator).run(*discover([tmp_path / "in"]))
    assert len(translator.calls) == 1
    assert sorted(translator.calls[0]) == ["المصدر: تاس", "نص خاص بالملف one.", "نص خاص بالملف two."]


def test_units_without_arabic_are_copied_not_translated(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("COVID-19\nhttps://example.com/a\nبحث بوتين.\n٢٠٢١\n", encoding="utf-8")
    translator = DictionaryTranslator({"بحث بوتين.": "Putin discussed."})
    runner(tmp_path, translator).run(*discover([tmp_path / "in"]))
    record = json.loads((tmp_path / "out" / "a.json").read_text(encoding="utf-8"))
    assert [(p["target"], p["sentences"][0]["origin"]) for p in record["paragraphs"]] == [
        ("COVID-19", "verbatim"), ("https://example.com/a", "verbatim"), ("Putin discussed.", "model"),
        ("2021", "verbatim")]
    assert translator.calls == [["بحث بوتين."]]


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


def test_two_runs_give_byte_identical_outputs(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_bytes(SAMPLE_ARTICLE.read_bytes())
    runner(tmp_path).run(*discover([tmp_path / "in"]))
    first = {p: (tmp_path / "out" / p).read_bytes() for p in ("a.json", "a.docx")}
    runner(tmp_path).run(*discover([tmp_path / "in"]))
    assert first == {p: (tmp_path / "out" / p).read_bytes() for p in ("a.json", "a.docx")}
