"""The editor round trip: translate → edit the DOCX → import-review → translate again → TMX."""

import hashlib
import json
import shutil
import os
import sqlite3
from pathlib import PurePath

import docx
import pytest
from lxml import etree

from pipeline.export.docx.layout import ENGLISH, ID, NOTE, STATUS
from pipeline.ooxml import paragraph_text

from ..editor import Editor
from ..helpers import ROOT, SAMPLE_ARTICLE, assert_nothing_lost, run_cli, validate_record

pytestmark = pytest.mark.model
MODEL = str(ROOT / "models" / "fixture-ar-en")
# Without glossary enforcement, so the machine's English keeps the fixture's misspelt name at p0006
# ("Pashinian") for the editor to fix; enforcement would have chosen the glossary's spelling.
TRANSLATE = ("--model", MODEL, "-q", "--set", "translation.enforce_glossary=false")


@pytest.fixture(scope="module")
def translated_once(tmp_path_factory):
    """The sample article translated once for the whole module (a translation takes seconds)."""
    root = tmp_path_factory.mktemp("translated")
    (root / "in").mkdir()
    shutil.copy(SAMPLE_ARTICLE, root / "in" / "karabakh.txt")
    result = run_cli("translate", str(root / "in"), "-o", str(root / "out"), *TRANSLATE)
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture(scope="module")
def other_article(tmp_path_factory):
    """Another article's record, for documents imported against the wrong article."""
    other = tmp_path_factory.mktemp("other")
    (other / "in").mkdir()
    (other / "in" / "other.txt").write_text("أنا ولد.\nالمصدر: تاس\n", encoding="utf-8")
    assert run_cli("translate", str(other / "in"), "-o", str(other / "out"), *TRANSLATE).returncode == 0
    return other / "out" / "other.json"


@pytest.fixture
def translated(translated_once, tmp_path):
    """A fresh copy of the translated article (input, outputs, memory) for one test to change."""
    shutil.copytree(translated_once, tmp_path, dirs_exist_ok=True)
    return tmp_path


def edit_like_an_editor(out):
    editor = Editor(out / "karabakh.docx")
    editor.set_english("p0005", editor.row("p0005").cells[2].text.replace("1998", "1988"))   # a plain edit
    editor.set_status("p0005", "approved")
    editor.write_note("p0005", "The war started in 1988, not 1998.")
    editor.track_replace("p0006", "Pashinian", "Pashinyan")                                  # a tracked change
    editor.type_status("p0006", "Approved")                                                  # typed over the drop-down
    editor.set_status("p0010", "rejected")
    editor.write_note("p0010", "Loop at the end; retranslate.")
    editor.set_status("p0001", "approved")                                                   # approved as is
    return editor.save(out / "karabakh.docx")


def memory_rows(out):
    db = sqlite3.connect(out / ".tarjama" / "memory.sqlite")
    return db.execute("SELECT level, source, target, origin FROM translations WHERE origin = 'human' ORDER BY level, source").fetchall()


def test_the_round_trip(translated):
    out = translated / "out"
    edited = edit_like_an_editor(out)
    result = run_cli("import-review", str(edited))
    assert result.returncode == 0, result.stderr
    assert "3 approved, 1 rejected, 2 edited, tracked changes read as accepted" in result.stdout
    record = json.loads((out / "karabakh.json").read_text(encoding="utf-8"))
    review = {p["id"]: p["review"] for p in record["paragraphs"]}
    assert review["p0005"]["status"] == "approved" and "since February 1988" in review["p0005"]["editor_target"]
    assert review["p0005"]["note"] == "The war started in 1988, not 1998."
    assert review["p0006"]["editor_target"].count("Nikol Pashinyan") == 1 and review["p0006"]["tracked_changes"]
    assert review["p0006"]["editors"] == ["Layla Haddad"] and review["p0006"]["edited_at"] == "2024-03-01T10:00:00Z"
    assert review["p0010"] == {**review["p0010"], "status": "rejected", "editor_target": None,
                               "note": "Loop at the end; retranslate."}
    assert review["p0001"]["status"] == "approved" and review["p0001"]["editor_target"] is None
    # python-docx keeps Tarjama's own "last modified by": who and when are unknown, not "Tarjama"
    assert review["p0001"]["editors"] == [] and review["p0001"]["edited_at"] is None
    assert review["p0002"]["status"] == "ok" and review["p0003"]["status"] == "ok"
    assert record["review_import"]["counts"] == {"ok": 9, "needs_review": 0, "approved": 3, "rejected": 1}
    assert_nothing_lost(translated / "in" / "karabakh.txt", out / "karabakh.json", out / "karabakh.docx")
    human = memory_rows(out)
    assert {level for level, *_ in human} == {"paragraph", "unit"}
    assert any("since February 1988" in target for _, _, target, _ in human)

    # A re-import of the same file changes nothing.
    before = (out / "karabakh.json").read_bytes()
    assert run_cli("import-review", str(edited)).returncode == 0
    assert (out / "karabakh.json").read_bytes() == before and memory_rows(out) == human

    # Translate again: the editor's English wins, marked human, and is not flagged again.
    again = run_cli("translate", str(translated / "in"), "-o", str(out), *TRANSLATE)
    assert again.returncode == 0, again.stderr
    record = json.loads((out / "karabakh.json").read_text(encoding="utf-8"))
    paragraphs = {p["id"]: p for p in record["paragraphs"]}
    for pid in ("p0005", "p0006", "p0001"):
        assert [s["origin"] for s in paragraphs[pid]["sentences"]] == ["human"]
        assert paragraphs[pid]["status"] == "ok" and paragraphs[pid]["flags"] == []
    assert "since February 1988" in paragraphs["p0005"]["target"] and "Pashinyan" in paragraphs["p0006"]["target"]
    assert paragraphs["p0010"]["status"] == "needs_review"                     # rejected is not approved
    table = docx.Document(str(out / "karabakh.docx")).tables[-1]
    english = {row.cells[0].text.split("\n")[0]: row.cells[2].text for row in table.rows[1:]}
    assert english["p0005"] == paragraphs["p0005"]["target"]
    assert_nothing_lost(translated / "in" / "karabakh.txt", out / "karabakh.json", out / "karabakh.docx")

    # The TMX holds the editor's English.
    tmx = translated / "memory.tmx"
    assert run_cli("export-tmx", str(out), "-o", str(tmx)).returncode == 0
    root = etree.parse(str(tmx)).getroot()
    assert root.tag == "tmx" and root.get("version") == "1.4"
    header = root.find("header")
    for attribute in ("creationtool", "creationtoolversion", "segtype", "o-tmf", "adminlang", "srclang", "datatype"):
        assert header.get(attribute)
    assert header.get("srclang") == "ar"
    units = root.find("body").findall("tu")
    assert len(units) == 13
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    by_id = {u.find("prop[@type='x-paragraph-id']").text: u for u in units}
    p5 = by_id["p0005"]
    assert [t.get(lang) for t in p5.findall("tuv")] == ["ar", "en"]
    assert "since February 1988" in p5.findall("tuv")[1].find("seg").text
    assert p5.find("prop[@type='x-status']").text == "approved" and p5.find("prop[@type='x-origin']").text == "human"


def review_rows(path):
    """id → (English, Status, Editor's note) as a reader of the DOCX sees them (text inside the
    Status drop-down included)."""
    def text(cell):
        return "\n".join(paragraph_text(p) for p in cell._tc.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p")).strip()
    table = docx.Document(str(path)).tables[-1]
    return {text(row.cells[ID]).split("\n")[0]: (text(row.cells[ENGLISH]), text(row.cells[STATUS]), text(row.cells[NOTE]))
            for row in table.rows[1:]}


def resave_with_libreoffice(path, profile):
    """The editor's save in LibreOffice (skipped where it is not installed)."""
    import subprocess

    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None:
        return
    folder = profile / "resaved"
    subprocess.run([office, "--headless", f"-env:UserInstallation=file://{profile / 'profile'}",
                    "--convert-to", "docx", "--outdir", str(folder), str(path)], check=True, capture_output=True, timeout=300)
    shutil.copyfile(folder / path.name, path)


def test_the_editors_work_survives_every_run_and_is_published(translated, tmp_path):
    """translate → edit (approved edit, rejection with a note, an edit left unapproved; saved by
    python-docx, then LibreOffice) → import-review → translate → translate --force: every piece of
    it in the JSON and the DOCX → publish refuses while the rejection stands, publishes after."""
    out = translated / "out"
    editor = Editor(out / "karabakh.docx")
    draft = "DRAFT: " + editor.row("p0008").cells[ENGLISH].text
    editor.set_english("p0008", draft)                                  # edited, not approved
    editor.save()
    edit_like_an_editor(out)
    resave_with_libreoffice(out / "karabakh.docx", tmp_path)
    assert run_cli("import-review", str(out / "karabakh.docx")).returncode == 0
    imported = {p["id"]: p["review"] for p in json.loads((out / "karabakh.json").read_text(encoding="utf-8"))["paragraphs"]}
    assert imported["p0008"]["editor_target"] == draft and imported["p0008"]["status"] not in ("approved", "rejected")
    draft_status = imported["p0008"]["status"].replace("_", " ")

    for extra in ((), ("--force",)):
        result = run_cli("translate", str(translated / "in"), "-o", str(out), *TRANSLATE, *extra)
        assert result.returncode == 0, result.stderr
        record = json.loads((out / "karabakh.json").read_text(encoding="utf-8"))
        assert {p["id"]: p["review"] for p in record["paragraphs"]} == imported, extra
        rows = review_rows(out / "karabakh.docx")
        assert rows["p0005"][1] == "approved" and "since February 1988" in rows["p0005"][0]
        assert rows["p0005"][2] == "The war started in 1988, not 1998."
        assert rows["p0010"][1:] == ("rejected", "Loop at the end; retranslate.")
        assert rows["p0008"][:2] == (draft, draft_status)               # the draft, not the machine's English
        assert rows["p0002"][1] == "ok"
        assert_nothing_lost(translated / "in" / "karabakh.txt", out / "karabakh.json", out / "karabakh.docx")

    # Importing the re-generated document changes nothing of the editors' work.
    assert run_cli("import-review", str(out / "karabakh.docx")).returncode == 0
    again = {p["id"]: p["review"] for p in json.loads((out / "karabakh.json").read_text(encoding="utf-8"))["paragraphs"]}
    assert again == imported

    # Publishing waits for the rejected row (and any open error).
    held = run_cli("publish", str(out), "-o", str(tmp_path / "pub"))
    assert held.returncode == 1 and "not published: karabakh.json: p0010 is rejected" in held.stderr
    assert not (tmp_path / "pub").exists()
    record = json.loads((out / "karabakh.json").read_text(encoding="utf-8"))
    editor = Editor(out / "karabakh.docx")
    for paragraph in record["paragraphs"]:                              # the desk approves what is left
        if paragraph["review"]["status"] == "rejected" or any(f["severity"] == "error" for f in paragraph["flags"]):
            editor.set_status(paragraph["id"], "approved")
    editor.save()
    assert run_cli("import-review", str(out / "karabakh.docx")).returncode == 0
    published = run_cli("publish", str(out), "-o", str(tmp_path / "pub"))
    assert published.returncode == 0, published.stderr
    record = json.loads((out / "karabakh.json").read_text(encoding="utf-8"))
    reviewed = [p["review"]["editor_target"] or p["target"] for p in record["paragraphs"] if p["kind"] != "boilerplate"]
    markdown = (tmp_path / "pub" / "karabakh.en.md").read_text(encoding="utf-8")
    assert [block.lstrip("#>*- \\").rstrip("*") for block in markdown.strip().split("\n\n")] == reviewed
    assert (tmp_path / "pub" / "karabakh.bilingual.html").is_file()


def test_an_approval_holds_without_the_memory(translated):
    """The memory serves an approved paragraph on the next run; the record does too when the memory
    is not used (--no-cache) or was cleared: the editor's English, origin human, the flags the
    editor saw not raised again."""
    out = translated / "out"
    edit_like_an_editor(out)
    assert run_cli("import-review", str(out / "karabakh.docx")).returncode == 0
    before = {p["id"]: p for p in json.loads((out / "karabakh.json").read_text(encoding="utf-8"))["paragraphs"]}
    approved = [pid for pid, p in before.items() if p["review"]["status"] == "approved"]
    assert approved == ["p0001", "p0005", "p0006"]
    runs = [("translate", str(translated / "in"), "-o", str(out), *TRANSLATE, "--force", "--no-cache"),
            ("memory", "clear", "--all", "-o", str(out)),
            ("translate", str(translated / "in"), "-o", str(out), *TRANSLATE, "--force")]
    for command in runs:
        result = run_cli(*command)
        assert result.returncode == 0, result.stderr
        if command[0] == "memory":
            continue
        after = {p["id"]: p for p in json.loads((out / "karabakh.json").read_text(encoding="utf-8"))["paragraphs"]}
        for pid in approved:
            english = before[pid]["review"]["editor_target"] or before[pid]["target"]
            assert after[pid]["target"] == english, (command, pid)
            assert [s["origin"] for s in after[pid]["sentences"]] == ["human"]
            assert after[pid]["flags"] == [] or all(f["severity"] == "info" for f in after[pid]["flags"]), after[pid]["flags"]
        rows = review_rows(out / "karabakh.docx")
        assert rows["p0005"][1] == "approved" and "since February 1988" in rows["p0005"][0]


def test_an_approval_taken_back_keeps_the_editors_english_as_a_draft(translated):
    """Approved, re-translated (the English now served as the editor's), then set back to "needs
    review" in the new DOCX: the editor's English stays (a draft), the memory no longer serves it
    as approved, and a run without the memory keeps it too."""
    out = translated / "out"
    editor = Editor(out / "karabakh.docx")
    editor.set_english("p0002", "The desk's English, approved first.")
    editor.set_status("p0002", "approved")
    editor.save()
    assert run_cli("import-review", str(out / "karabakh.docx")).returncode == 0
    assert run_cli("translate", str(translated / "in"), "-o", str(out), *TRANSLATE).returncode == 0
    editor = Editor(out / "karabakh.docx")
    editor.set_status("p0002", "needs review")
    editor.save()
    assert run_cli("import-review", str(out / "karabakh.docx")).returncode == 0
    assert memory_rows(out) == []                                       # no longer approved English
    for extra in ((), ("--force", "--no-cache")):
        assert run_cli("translate", str(translated / "in"), "-o", str(out), *TRANSLATE, *extra).returncode == 0
        paragraph = json.loads((out / "karabakh.json").read_text(encoding="utf-8"))["paragraphs"][1]
        assert paragraph["review"]["status"] == "needs_review"
        assert paragraph["review"]["editor_target"] == "The desk's English, approved first."
        assert [unit["origin"] for unit in paragraph["sentences"]] != ["human"]
        assert review_rows(out / "karabakh.docx")["p0002"][:2] == ("The desk's English, approved first.", "needs review")


def test_an_article_held_back_is_withdrawn_from_the_publish_folder(translated, tmp_path):
    """Published once, then a row rejected: the next publish holds it back and removes what the
    first one wrote, so the rejected English is not left out there."""
    out = translated / "out"
    allowed = run_cli("publish", str(out), "-o", str(tmp_path / "pub"), "--allow-unreviewed")
    assert allowed.returncode == 0, allowed.stderr
    assert sorted(p.name for p in (tmp_path / "pub").iterdir()) == ["karabakh.bilingual.html", "karabakh.en.md"]
    editor = Editor(out / "karabakh.docx")
    editor.set_status("p0010", "rejected")
    editor.save()
    assert run_cli("import-review", str(out / "karabakh.docx")).returncode == 0
    held = run_cli("publish", str(out), "-o", str(tmp_path / "pub"))
    assert held.returncode == 1
    assert ("not published: karabakh.json: p0010 is rejected (withdrawn from "
            f"{tmp_path / 'pub'}: karabakh.en.md, karabakh.bilingual.html)") in held.stderr
    assert list((tmp_path / "pub").iterdir()) == []


def test_an_article_keeps_its_name_and_reviews_when_one_of_its_name_comes_and_goes(translated, tmp_path):
    """karabakh.txt reviewed as karabakh (p0005 rejected), then the newsroom drops karabakh.md
    beside it: the re-run wrote a fresh karabakh.txt.json without the review, left karabakh.json
    behind, and the rejected English was published from the fresh record; deleting karabakh.md
    flipped karabakh.txt back to karabakh, out of sight of the work in karabakh.txt.docx."""
    inputs, out = translated / "in", translated / "out"
    editor = Editor(out / "karabakh.docx")
    editor.set_status("p0005", "rejected")
    editor.write_note("p0005", "The war started in 1988.")
    editor.save()
    assert run_cli("import-review", str(out / "karabakh.docx")).returncode == 0
    rejected = {p["id"]: p for p in json.loads((out / "karabakh.json").read_text(encoding="utf-8"))["paragraphs"]}["p0005"]
    assert rejected["review"]["status"] == "rejected" and rejected["target"]
    lines = SAMPLE_ARTICLE.read_text(encoding="utf-8").splitlines(keepends=True)
    (inputs / "karabakh.md").write_text("".join(lines[:3]), encoding="utf-8")

    def translate(*extra):
        result = run_cli("translate", str(inputs), "-o", str(out), *TRANSLATE, *extra)
        assert result.returncode == 0, result.stderr
        report = json.loads((out / "_batch.json").read_text(encoding="utf-8"))
        return {f["input"]: [PurePath(o).name for o in f["outputs"]] for f in report["files"]}

    def record(name):
        return json.loads((out / f"{name}.json").read_text(encoding="utf-8"))

    for extra in ((), ("--force",)):  # whether re-translated or not
        assert translate(*extra) == {"karabakh.md": ["karabakh.md.json", "karabakh.md.docx"],
                                     "karabakh.txt": ["karabakh.json", "karabakh.docx"]}
        assert not (out / "karabakh.txt.json").exists() and not (out / "karabakh.txt.docx").exists()
        kept = record("karabakh")
        assert kept["document"]["source_path"] == "karabakh.txt"
        assert record("karabakh.md")["document"]["source_path"] == "karabakh.md"
        p0005 = {p["id"]: p for p in kept["paragraphs"]}["p0005"]
        assert (p0005["review"]["status"], p0005["review"]["note"]) == ("rejected", "The war started in 1988.")
        assert review_rows(out / "karabakh.docx")["p0005"][1:] == ("rejected", "The war started in 1988.")

    published = run_cli("publish", str(out), "-o", str(tmp_path / "pub"))
    assert published.returncode == 1 and "not published: karabakh.json: p0005 is rejected" in published.stderr
    assert sorted(p.name for p in (tmp_path / "pub").iterdir()) == ["karabakh.md.bilingual.html", "karabakh.md.en.md"]
    assert not any(rejected["target"] in p.read_text(encoding="utf-8") for p in (tmp_path / "pub").iterdir())

    (inputs / "karabakh.md").unlink()  # and gone again: karabakh.txt stays karabakh
    assert translate() == {"karabakh.txt": ["karabakh.json", "karabakh.docx"]}
    assert translate("--force") == {"karabakh.txt": ["karabakh.json", "karabakh.docx"]}
    assert {p["id"]: p["review"]["status"] for p in record("karabakh")["paragraphs"]}["p0005"] == "rejected"


def test_publish_names_a_damaged_record_and_a_wrong_folder_in_one_line(translated, tmp_path):
    out = translated / "out"
    shutil.copy(out / "karabakh.json", out / "second.json")
    shutil.copy(out / "karabakh.docx", out / "second.docx")
    (out / "second.json").write_text('{"x": 1', encoding="utf-8")          # cut short
    (out / "notes.json").write_text('{"about": "not a record"}', encoding="utf-8")  # JSON of another kind: passed over
    result = run_cli("publish", str(out), "-o", str(tmp_path / "pub"), "--allow-unreviewed")
    assert result.returncode == 1
    assert [line for line in result.stderr.splitlines() if "second.json" in line] == [
        line for line in result.stderr.splitlines() if line.startswith("tarjama: failed: second.json: not a readable article record")]
    assert "notes.json" not in result.stderr
    assert "1 of 1 article(s) published" in result.stdout and "1 record(s) could not be read" in result.stdout
    for given, message in ((out / "karabakh.json", "is a file; give the output folder"),
                           (tmp_path / "empty", "no article records here")):
        (tmp_path / "empty").mkdir(exist_ok=True)
        wrong = run_cli("publish", str(given))
        assert wrong.returncode == 2 and wrong.stderr == f"tarjama: error: {given}: {message}" + wrong.stderr.split(message, 1)[1]
        assert wrong.stderr.count("\n") == 1


def test_exports_name_a_damaged_record_and_fail_rather_than_leave_its_article_out(translated, tmp_path):
    out = tmp_path / "copy"
    shutil.copytree(translated / "out", out)
    shutil.copy(out / "karabakh.json", out / "second.json")
    shutil.copy(out / "karabakh.docx", out / "second.docx")
    (out / "second.json").write_text('{"broken', encoding="utf-8")  # cut short
    tmx = run_cli("export-tmx", str(out), "-o", str(tmp_path / "all.tmx"))
    xliff = run_cli("export-xliff", str(out), "-o", str(tmp_path / "xlf"))
    for result in (tmx, xliff):
        assert result.returncode == 1
        assert [line for line in result.stderr.splitlines() if "second.json" in line] == [
            line for line in result.stderr.splitlines() if line.startswith("tarjama: failed: second.json: not a readable article record")]
        assert "1 record(s) could not be read" in result.stdout
    # the readable article is exported all the same
    assert b"<tu " in (tmp_path / "all.tmx").read_bytes() and (tmp_path / "xlf" / "karabakh.xlf").is_file()
    # .json files that are not records (an empty file, JSON Lines, a folder) are passed over, a
    # record cut short without its DOCX is not
    (out / "second.json").unlink()
    (out / "notes.json").write_bytes(b"")
    (out / "events.json").write_text('{"a": 1}\n{"b": 2}\n', encoding="utf-8")
    (out / "cfg.json").mkdir()
    clean = run_cli("export-tmx", str(out), "-o", str(tmp_path / "clean.tmx"))
    assert clean.returncode == 0 and "failed" not in clean.stderr, clean.stderr
    (out / "third.json").write_text('{\n  "schema_version": "1.3",\n  "document": {"id": "th', encoding="utf-8")
    cut = run_cli("export-tmx", str(out), "-o", str(tmp_path / "cut.tmx"))
    assert cut.returncode == 1 and "tarjama: failed: third.json: not a readable article record" in cut.stderr
    assert [line for line in cut.stderr.splitlines() if "failed" in line] == [
        line for line in cut.stderr.splitlines() if "third.json" in line]
    # the only record unreadable: one line that says so, not "no article records"
    (out / "karabakh.json").write_text('{"broken', encoding="utf-8")
    alone = run_cli("export-tmx", str(out), "-o", str(tmp_path / "none.tmx"))
    assert alone.returncode == 2 and alone.stderr.count("\n") == 1
    assert "no readable article records" in alone.stderr and "2 could not be read" in alone.stderr
    assert not (tmp_path / "none.tmx").exists()


def test_a_document_edited_since_it_was_written_is_never_replaced(translated):
    out = translated / "out"
    editor = Editor(out / "karabakh.docx")
    editor.write_note("p0003", "Work in progress")
    editor.save()
    edited, record = (out / "karabakh.docx").read_bytes(), (out / "karabakh.json").read_bytes()
    for extra in (("--force",), ()):  # with nothing to re-translate too: said, not "skipped"
        result = run_cli("translate", str(translated / "in"), "-o", str(out), *TRANSLATE, *extra)
        assert result.returncode == 1
        assert "karabakh.docx was changed after Tarjama wrote it and its edits are not imported" in result.stderr
        assert (out / "karabakh.docx").read_bytes() == edited and (out / "karabakh.json").read_bytes() == record
    # Imported, it may be replaced: its work is in the record, and the next run writes the DOCX
    # again to show it (not "unchanged": the file on disk is the editor's, not the one written).
    assert run_cli("import-review", str(out / "karabakh.docx")).returncode == 0
    result = run_cli("translate", str(translated / "in"), "-o", str(out), *TRANSLATE)
    assert result.returncode == 0, result.stderr
    assert "1 translated" in result.stdout
    written = json.loads((out / "karabakh.json").read_text(encoding="utf-8"))["outputs"]["docx_sha256"]
    assert hashlib.sha256((out / "karabakh.docx").read_bytes()).hexdigest() == written
    assert review_rows(out / "karabakh.docx")["p0003"][2] == "Work in progress"
    assert "0 translated" in run_cli("translate", str(translated / "in"), "-o", str(out), *TRANSLATE).stdout


def refused(translated, change, message):
    out = translated / "out"
    before = hashlib.sha256((out / "karabakh.json").read_bytes()).hexdigest()
    editor = Editor(out / "karabakh.docx")
    change(editor)
    edited = editor.save(translated / "edited.docx")
    result = run_cli("import-review", str(edited), "--json", str(out / "karabakh.json"))
    assert result.returncode == 2
    assert result.stderr.startswith("tarjama: error: edited.docx cannot be imported, nothing was written: ")
    assert message in result.stderr
    assert hashlib.sha256((out / "karabakh.json").read_bytes()).hexdigest() == before   # nothing written
    assert not (out / ".tarjama" / "memory.sqlite").exists() or memory_rows(out) == []


def _rename_last_copy(editor, pid):
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    rows = [r for r in editor.table.rows[1:] if r.cells[ID].text.split("\n")[0] == pid]
    for bookmark in rows[-1].cells[ID]._tc.iter(f"{w}bookmarkStart"):
        bookmark.set(f"{w}name", f"tarjama_{pid}_Copy_1")


def _blank_row_after(editor, pid):
    import copy as copying

    row = editor.row(pid)._tr
    blank = copying.deepcopy(row)
    for text in blank.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"):
        text.text = ""
    for bookmark in list(blank.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}bookmarkStart")):
        bookmark.getparent().remove(bookmark)
    row.addnext(blank)


@pytest.mark.parametrize("change, message", [
    (lambda e: e.delete_row("p0004"), "rows deleted: p0004"),
    (lambda e: e.duplicate_row("p0003"), "p0003 appears in rows 3, 4 (a duplicated row)"),
    (lambda e: e.swap_rows("p0007", "p0008"), "rows out of order: p0008 comes before p0007"),
    (lambda e: e.set_arabic("p0002", "نص آخر"), "p0002 (row 2): the Arabic was edited"),
    (lambda e: e.set_status("p0003", "maybe"), "p0003 (row 3): status «maybe» is not one of ok, needs review, approved, rejected"),
    # A row copied in LibreOffice: its bookmark becomes p0004_Copy_1 (the editor touched no id).
    (lambda e: (e.duplicate_row("p0004"), _rename_last_copy(e, "p0004")), "row 5: a copy of p0004's row (a duplicated row)"),
    (lambda e: _blank_row_after(e, "p0004"), "row 5: a row was added (it has no id); take it out"),
])
def test_malformed_edits_are_refused_with_nothing_written(translated, change, message):
    refused(translated, lambda e: (e.set_status("p0001", "approved"), change(e)), message)


def test_an_id_that_does_not_belong_and_another_articles_document(translated, other_article):
    out = translated / "out"

    def foreign_id(editor):
        cell = editor.row("p0009").cells[0]
        for bookmark in cell._tc.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}bookmarkStart"):
            bookmark.set("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}name", "tarjama_p0099")
        cell.paragraphs[0].runs[0].text = "p0099"

    refused(translated, foreign_id, "row 9: id «p0099» does not belong to karabakh.txt")
    result = run_cli("import-review", str(out / "karabakh.docx"), "--json", str(other_article))
    assert result.returncode == 2 and "this is the review of karabakh.txt" in result.stderr and "not of other.txt" in result.stderr


def libreoffice_relationships(path, target):
    """The package as LibreOffice's "Office Open XML Text" filter writes its core-properties
    relationship (an officedocument/2006 type, which python-docx does not recognise)."""
    import zipfile

    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "_rels/.rels":
                data = data.replace(b"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
                                    b"http://schemas.openxmlformats.org/officedocument/2006/relationships/metadata/core-properties")
            copy.writestr(item, data)
    return target


def test_core_properties_are_read_under_libreoffices_relationship_type(translated, other_article, tmp_path):
    out = translated / "out"
    edited = edit_like_an_editor(out)
    moved = libreoffice_relationships(edited, tmp_path / "karabakh.docx")
    direct = run_cli("import-review", str(edited), "-o", str(tmp_path / "direct.json"), "--memory", str(tmp_path / "a.sqlite"))
    result = run_cli("import-review", str(moved), "--json", str(out / "karabakh.json"), "-o", str(tmp_path / "lo.json"),
                     "--memory", str(tmp_path / "b.sqlite"))
    assert direct.returncode == 0 and result.returncode == 0, result.stderr
    reviews = [json.loads((tmp_path / name).read_text(encoding="utf-8"))["paragraphs"] for name in ("direct.json", "lo.json")]
    assert reviews[0] == reviews[1]
    assert reviews[1][0]["review"]["editors"] == [] and reviews[1][0]["review"]["edited_at"] is None  # not "python-docx", not now
    # the article's identity still travels: the document of another article is refused for that reason
    refused = run_cli("import-review", str(moved), "--json", str(other_article))
    assert refused.returncode == 2 and "this is the review of karabakh.txt" in refused.stderr


@pytest.mark.skipif(shutil.which("libreoffice") is None and shutil.which("soffice") is None,
                    reason="LibreOffice is not installed")
def test_a_document_resaved_by_libreoffice_imports_the_same(translated, tmp_path):
    """Row ids are bookmarks: LibreOffice keeps them when it re-saves the editor's .docx."""
    import subprocess
    out = translated / "out"
    edited = edit_like_an_editor(out)
    resaved = tmp_path / "libreoffice"
    office = shutil.which("libreoffice") or shutil.which("soffice")
    subprocess.run([office, "--headless", f"-env:UserInstallation=file://{tmp_path / 'profile'}",
                    "--convert-to", "docx", "--outdir", str(resaved), str(edited)],
                   check=True, capture_output=True, timeout=300)
    direct = run_cli("import-review", str(edited), "-o", str(tmp_path / "direct.json"), "--memory", str(tmp_path / "a.sqlite"))
    result = run_cli("import-review", str(resaved / "karabakh.docx"), "--json", str(out / "karabakh.json"),
                     "-o", str(tmp_path / "resaved.json"), "--memory", str(tmp_path / "b.sqlite"))
    assert direct.returncode == 0 and result.returncode == 0, result.stderr
    reviews = [{p["id"]: p["review"] for p in json.loads((tmp_path / name).read_text(encoding="utf-8"))["paragraphs"]}
               for name in ("direct.json", "resaved.json")]
    assert reviews[0] == reviews[1]                      # who and when included: nothing made up
    assert reviews[1]["p0001"]["editors"] == [] and reviews[1]["p0001"]["edited_at"] is None
    assert reviews[1]["p0005"]["status"] == "approved" and "since February 1988" in reviews[1]["p0005"]["editor_target"]
    assert reviews[1]["p0006"]["tracked_changes"]


def test_later_imports_keep_a_deletion_the_acknowledged_flags_and_who_edited(translated):
    """Three losses a LibreOffice editor found, each on an import after the first: English cleared
    in a later DOCX came back (a deletion read as no edit); an approved row's acknowledged flags
    came back on every other untouched re-import; who made a tracked edit, and when, was dropped
    when a later file changed only the row's status."""
    out = translated / "out"

    def cycle(edit=None):
        editor = Editor(out / "karabakh.docx")
        if edit:
            edit(editor)
        editor.save()
        result = run_cli("import-review", str(out / "karabakh.docx"))
        assert result.returncode == 0, result.stderr
        assert run_cli("translate", str(translated / "in"), "-o", str(out), *TRANSLATE).returncode == 0
        return {p["id"]: p for p in json.loads((out / "karabakh.json").read_text(encoding="utf-8"))["paragraphs"]}

    def first(editor):
        editor.set_status("p0001", "approved")
        editor.track_replace("p0006", "Pashinian", "Pashinyan", author="Layla Haddad")
        editor.set_status("p0006", "approved")
        editor.set_english("p0007", editor.row("p0007").cells[ENGLISH].text + " It was signed in Moscow in 2019.")
        editor.set_status("p0007", "approved")  # approved with a number_extra warning shown

    paragraphs = cycle(first)
    warned = {f["code"] for f in paragraphs["p0007"]["flags"]}
    assert paragraphs["p0006"]["review"]["editors"] == ["Layla Haddad"] and paragraphs["p0006"]["review"]["tracked_changes"]
    for _ in range(3):  # untouched re-imports: the acknowledged flags stay quiet every time
        paragraphs = cycle()
        assert not {f["code"] for f in paragraphs["p0007"]["flags"]} & warned
        assert paragraphs["p0007"]["review"]["status"] == "approved"

    paragraphs = cycle(lambda e: (e.set_english("p0004", ""), e.set_status("p0006", "needs review")))
    assert paragraphs["p0004"]["review"]["editor_target"] == ""
    assert "empty_target" in {f["code"] for f in paragraphs["p0004"]["flags"]}
    review = paragraphs["p0006"]["review"]
    assert review["status"] == "needs_review" and "Pashinyan" in review["editor_target"]
    assert "Layla Haddad" in review["editors"] and review["tracked_changes"] and review["edited_at"]
    published = run_cli("publish", str(out))
    assert published.returncode == 1 and "p0004 has an open error (empty_target)" in published.stdout + published.stderr


def test_the_file_imported_last_imported_again_changes_nothing_and_says_nothing(translated):
    out = translated / "out"
    editor = Editor(out / "karabakh.docx")
    editor.set_status("p0006", "approved")
    saved = editor.save(translated / "review.docx")
    assert run_cli("import-review", str(saved), "--json", str(out / "karabakh.json")).returncode == 0
    assert run_cli("translate", str(translated / "in"), "-o", str(out), *TRANSLATE).returncode == 0
    record = (out / "karabakh.json").read_bytes()
    again = run_cli("import-review", str(saved), "--json", str(out / "karabakh.json"))
    assert again.returncode == 0 and again.stderr == ""
    assert (out / "karabakh.json").read_bytes() == record


def test_an_old_backup_copy_never_erases_newer_work_with_source_date_epoch(translated):
    """The tests run with SOURCE_DATE_EPOCH, as a reproducible build does: every run has one time.
    Every DOCX used to carry it, so an import could not tell a backup copy from the newer DOCX and
    took the cells the copy never touched for edits (a stress run lost notes this way). Now each
    different DOCX of an article gets a time of its own (roundtrip.docx_created)."""
    import os

    assert os.environ.get("SOURCE_DATE_EPOCH")
    out = translated / "out"
    editor = Editor(out / "karabakh.docx")
    editor.write_note("p0001", "First note.")
    editor.save()
    backup = editor.save(translated / "backup.docx")
    editor = Editor(out / "karabakh.docx")
    editor.write_note("p0004", "Check the heading with the desk.")
    editor.save()
    assert run_cli("import-review", str(out / "karabakh.docx")).returncode == 0
    assert run_cli("translate", str(translated / "in"), "-o", str(out), *TRANSLATE).returncode == 0
    result = run_cli("import-review", str(backup), "--json", str(out / "karabakh.json"))
    assert result.returncode == 0, result.stderr
    notes = {p["id"]: (p["review"] or {}).get("note") for p in json.loads((out / "karabakh.json").read_text("utf-8"))["paragraphs"]}
    assert notes["p0001"] == "First note." and notes["p0004"] == "Check the heading with the desk."
    created = [e["created"] for e in json.loads((out / "karabakh.json").read_text("utf-8"))["outputs"]["docx_rows"]]
    assert len({t for times in created for t in times}) == sum(len(times) for times in created)  # one time per DOCX


# --- what editors do that the three editable columns do not show ----------------------------

def _import(translated, change):
    out = translated / "out"
    editor = Editor(out / "karabakh.docx")
    change(editor)
    edited = editor.save(out / "karabakh.docx")
    result = run_cli("import-review", str(edited))
    record = json.loads((out / "karabakh.json").read_text(encoding="utf-8"))
    return result, {p["id"]: p for p in record["paragraphs"]}, record


def test_a_comment_put_at_the_cursor_by_an_editor_without_a_name_is_read(translated):
    # LibreOffice anchors a comment made with no text selected by its reference alone (no range),
    # and, with no user name set, gives it no author: it was dropped, and "…: text" had no name.
    result, paragraphs, _ = _import(translated, lambda e: e.comment("p0003", "Check the date with the desk."))
    assert result.returncode == 0, result.stderr
    assert paragraphs["p0003"]["review"]["note"] == "Check the date with the desk."
    assert "" not in paragraphs["p0003"]["review"]["editors"]


def test_text_typed_outside_the_editable_columns_is_kept_in_the_note_and_said(translated):
    def change(editor):
        editor.add_paragraph("p0002", 5, "EDITOR: the date is right; keep it.")   # the Review column
        editor.add_paragraph("p0003", 0, "ask the Cairo desk")                     # under the id
        editor.write_note("p0004", "Fine.")
        editor.add_paragraph("p0004", 5, "see my note")
        editor.comment_on_title_block("Hold the article until the desk confirms.", "Sara Ali")
    result, paragraphs, record = _import(translated, change)
    assert result.returncode == 0, result.stderr
    assert paragraphs["p0002"]["review"]["note"] == "[typed in the Review column] EDITOR: the date is right; keep it."
    assert paragraphs["p0003"]["review"]["note"] == "[typed in the # column] ask the Cairo desk"
    assert paragraphs["p0004"]["review"]["note"] == "Fine.\n[typed in the Review column] see my note"
    assert "p0002 (Review column), p0003 (# column), p0004 (Review column)" in result.stderr
    assert record["review_import"]["document_comments"] == ["Sara Ali: Hold the article until the desk confirms."]
    assert "Sara Ali: Hold the article until the desk confirms." in result.stderr
    # Nothing the editor wrote there is lost by the next run: the title block shows the comment,
    # and importing that document keeps it.
    assert run_cli("translate", str(translated / "in"), "-o", str(translated / "out"), *TRANSLATE).returncode == 0
    word = docx.Document(str(translated / "out" / "karabakh.docx"))
    title_block = "\n".join(cell.text for row in word.tables[0].rows for cell in row.cells)
    assert "Comments on the article" in title_block and "Hold the article until the desk confirms." in title_block
    again = run_cli("import-review", str(translated / "out" / "karabakh.docx"))
    assert again.returncode == 0, again.stderr
    record = json.loads((translated / "out" / "karabakh.json").read_text(encoding="utf-8"))
    assert record["review_import"]["document_comments"] == ["Sara Ali: Hold the article until the desk confirms."]


def test_typed_lines_shaped_like_tarjamas_own_are_told_by_what_was_written(translated):
    # The Review column's own lines are known by their hashes in the record: a line typed there
    # that looks like one of them («Note: …», «approved», «Approved, but …») is the editor's too.
    typed = ["Note: the minister's name is missing", "approved", "Approved, but check the number with Cairo"]

    def change(editor):
        for line in typed:
            editor.add_paragraph("p0005", 5, line)
    result, paragraphs, record = _import(translated, change)
    assert result.returncode == 0, result.stderr
    assert paragraphs["p0005"]["review"]["note"] == "[typed in the Review column] " + "\n".join(typed)
    assert [p["id"] for p in record["paragraphs"] if p["review"]["note"]] == ["p0005"]   # no other row's lines moved
    assert "p0005 (Review column)" in result.stderr


def test_an_enter_in_a_cell_is_a_paragraph_and_a_shift_enter_a_line_break_when_published(translated, tmp_path):
    def change(editor):
        editor.set_english("p0005", "First paragraph of the editor.")
        editor.add_paragraph("p0005", ENGLISH, "Second paragraph of the editor.")
        editor.set_status("p0005", "approved")
        editor.set_english("p0007", "A line")
        editor.add_line_break("p0007", ENGLISH, "and the next line.")
        editor.set_status("p0007", "approved")
    result, paragraphs, _ = _import(translated, change)
    assert result.returncode == 0, result.stderr
    assert paragraphs["p0005"]["review"]["editor_target"] == "First paragraph of the editor.\n\nSecond paragraph of the editor."
    assert paragraphs["p0007"]["review"]["editor_target"] == "A line\nand the next line."
    for fmt in ("md", "html"):
        assert run_cli("publish", str(translated / "out"), "-o", str(tmp_path / fmt), "--format", fmt,
                       "--allow-unreviewed").returncode == 0
    markdown = (tmp_path / "md" / "karabakh.en.md").read_text(encoding="utf-8")
    assert "First paragraph of the editor.\n\nSecond paragraph of the editor.\n" in markdown
    assert "A line\\\nand the next line.\n" in markdown
    page = (tmp_path / "html" / "karabakh.en.html").read_text(encoding="utf-8")
    assert "<p>First paragraph of the editor.</p><p>Second paragraph of the editor.</p>" in page
    assert "<p>A line<br>and the next line.</p>" in page
    # The next DOCX shows the two paragraphs, and reads back the same (no edit made up).
    assert run_cli("translate", str(translated / "in"), "-o", str(translated / "out"), *TRANSLATE).returncode == 0
    again = run_cli("import-review", str(translated / "out" / "karabakh.docx"))
    assert again.returncode == 0 and "0 edited" not in again.stdout
    record = json.loads((translated / "out" / "karabakh.json").read_text(encoding="utf-8"))
    review = {p["id"]: p["review"] for p in record["paragraphs"]}
    assert review["p0005"]["editor_target"] == "First paragraph of the editor.\n\nSecond paragraph of the editor."
    assert review["p0005"]["status"] == "approved"


def test_a_tracked_deletion_of_a_paragraph_mark_joins_the_paragraphs(translated):
    def change(editor):
        editor.set_english("p0005", "He added: \"We need ")
        editor.add_paragraph("p0005", ENGLISH, "500 trucks a day.\"")
        editor.delete_paragraph_mark("p0005", ENGLISH)
    result, paragraphs, _ = _import(translated, change)
    assert result.returncode == 0, result.stderr
    assert paragraphs["p0005"]["review"]["editor_target"] == "He added: \"We need 500 trucks a day.\""


def test_a_text_box_in_the_english_is_read_once(translated):
    result, paragraphs, _ = _import(translated, lambda e: (e.set_english("p0005", "Main text."),
                                                           e.add_text_box("p0005", "Box text.")))
    assert result.returncode == 0, result.stderr
    assert paragraphs["p0005"]["review"]["editor_target"] == "Main text.\n\nBox text."


@pytest.mark.parametrize("change, message", [
    # python-docx gives a merged cell to every row it spans: the English of p0007 would be p0008's too.
    (lambda e: e.merge_english_with_row_above("p0008"),
     "row 8 (p0008): its English cell is merged with the row above (Table › Split Cells, or undo the merge)"),
    (lambda e: e.delete_row_tracked("p0004"),
     "row 4 (p0004): deleted under Track Changes and not yet accepted or rejected"),
])
def test_rows_that_cannot_be_read_cell_by_cell_are_refused_and_named(translated, change, message):
    refused(translated, change, message)


def test_approving_the_arabic_or_no_english_is_said_and_never_served(translated, tmp_path):
    out = translated / "out"
    record = json.loads((out / "karabakh.json").read_text(encoding="utf-8"))
    arabic = {p["id"]: p["source"] for p in record["paragraphs"]}

    def change(editor):
        editor.set_english("p0005", arabic["p0005"])   # the Arabic left as the English
        editor.set_status("p0005", "approved")
        editor.set_english("p0007", "")
        editor.set_status("p0007", "approved")
    result, paragraphs, _ = _import(translated, change)
    assert result.returncode == 0, result.stderr
    assert "approved with no English: p0007 — left out of the published article" in result.stderr
    assert arabic["p0005"] not in [target for _, _, target, _ in memory_rows(out)]
    held = run_cli("publish", str(out), "-o", str(tmp_path / "published"))
    assert held.returncode == 1 and "p0005 is approved, but its English is the Arabic (untranslated)" in held.stderr


def test_a_file_imported_again_under_its_name_is_not_called_another_file(translated):
    out = translated / "out"
    editor = Editor(out / "karabakh.docx")
    editor.set_english("p0005", "First wording of the editor.")
    first = run_cli("import-review", str(editor.save()))
    assert first.returncode == 0, first.stderr
    editor = Editor(out / "karabakh.docx")   # the same file, edited again, imported again
    editor.set_english("p0005", "Second wording of the editor.")
    again = run_cli("import-review", str(editor.save()))
    assert again.returncode == 0, again.stderr
    # (two editors' copies of one DOCX share its name too: the message fits both)
    assert ("p0005: its english was changed by an earlier import of a file of this name and again by this one: this "
            "one's came in; the earlier («First wording of the editor.») is kept") in again.stderr
    assert "both this file and another" not in again.stderr


def test_a_document_from_before_the_review_hashes_is_told_by_shape_after_its_flags_changed(translated, tmp_path):
    """A record written before the Review column's hashes were kept (its docx_rows entries have
    none), re-translated since with other flags: the editor's untouched copy of the older DOCX
    must not have its flag lines taken for typed text (a regression hunt found the new write's
    hashes merged into the old entry)."""
    out = translated / "out"
    # A term flagged in p0005, whose other warnings keep it "needs review": without the term its
    # row (English, status, note) is the same, only a Review line goes.
    (tmp_path / "terms.yaml").write_text("terms:\n  - {ar: إقليم, en: [province], enforce: false}\n", encoding="utf-8")
    glossary = ("--set", f"review.glossary={tmp_path / 'terms.yaml'}")
    assert run_cli("translate", str(translated / "in"), "-o", str(out), "--force", *TRANSLATE, *glossary).returncode == 0
    record = json.loads((out / "karabakh.json").read_text(encoding="utf-8"))
    flagged = {p["id"]: (p["status"], [f["code"] for f in p["flags"]]) for p in record["paragraphs"]}
    assert flagged["p0005"][0] == "needs_review" and "glossary" in flagged["p0005"][1] and len(flagged["p0005"][1]) > 1
    record["outputs"]["docx_rows"] = record["outputs"]["docx_rows"][-1:]   # as an older Tarjama wrote it:
    record["outputs"]["docx_rows"][0].pop("review")                          # that DOCX's rows, no Review hashes
    (out / "karabakh.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    editors_copy = shutil.copy(out / "karabakh.docx", tmp_path / "karabakh.docx")
    assert run_cli("translate", str(translated / "in"), "-o", str(out), "--force", *TRANSLATE).returncode == 0
    result = run_cli("import-review", str(editors_copy), "--json", str(out / "karabakh.json"))
    assert result.returncode == 0, result.stderr
    record = json.loads((out / "karabakh.json").read_text(encoding="utf-8"))
    assert not any(p["review"]["note"] for p in record["paragraphs"]) and "typed" not in result.stderr


# --- a Status left as the checks gave it follows the checks ------------------------------------

KREMLIN = "terms:\n  - {ar: الكرملين, en: [Kremlin Palace]}\n"  # the fixture says "Kremlin": p0001 and p0002 warned


def with_glossary(tmp_path):
    glossary = tmp_path / "g.yaml"
    glossary.write_text(KREMLIN, encoding="utf-8")
    return ("--set", f"review.glossary={glossary}")


def statuses(out):
    """id → (the checks' status, the review's status, the note) in the record."""
    record = json.loads((out / "karabakh.json").read_text(encoding="utf-8"))
    return {p["id"]: (p["status"], p["review"]["status"], p["review"]["note"]) for p in record["paragraphs"]}


def review_column(path, pid):
    return next(row.cells[-1].text for row in docx.Document(str(path)).tables[-1].rows[1:]
                if row.cells[ID].text.split("\n")[0] == pid)


def test_a_status_left_as_the_checks_gave_it_follows_a_new_glossary_warning(translated, tmp_path):
    """The tester's run: a note typed in p0013 and nothing else, imported; a glossary added. The
    rows the glossary warns say "needs review" in the Status drop-down and in the record's review,
    not the "ok" they showed when imported; the note stays."""
    out = translated / "out"
    editor = Editor(out / "karabakh.docx")
    editor.write_note("p0013", "Ask the desk for the source's date.")
    assert run_cli("import-review", str(editor.save())).returncode == 0
    assert statuses(out)["p0001"] == ("ok", "ok", None)

    result = run_cli("translate", str(translated / "in"), "-o", str(out), *TRANSLATE, *with_glossary(tmp_path))
    assert result.returncode == 0, result.stderr
    now = statuses(out)
    for pid in ("p0001", "p0002"):
        assert now[pid] == ("needs_review", "needs_review", None), pid
        assert "«الكرملين» should be rendered as Kremlin Palace" in review_column(out / "karabakh.docx", pid)
    assert all(checks == review for checks, review, _ in now.values())      # nobody chose a status
    assert now["p0013"][2] == "Ask the desk for the source's date."
    rows = review_rows(out / "karabakh.docx")
    assert rows["p0001"][1] == "needs review" and rows["p0002"][1] == "needs review" and rows["p0003"][1] == "ok"
    assert rows["p0013"][2] == "Ask the desk for the source's date."
    assert_nothing_lost(translated / "in" / "karabakh.txt", out / "karabakh.json", out / "karabakh.docx")


def test_a_row_imported_as_needs_review_says_ok_when_its_flag_goes(translated, tmp_path):
    out = translated / "out"
    glossary = with_glossary(tmp_path)
    assert run_cli("translate", str(translated / "in"), "-o", str(out), *TRANSLATE, *glossary).returncode == 0
    editor = Editor(out / "karabakh.docx")
    editor.write_note("p0001", "The Kremlin's press office, not the palace.")   # Status left at "needs review"
    assert run_cli("import-review", str(editor.save())).returncode == 0
    assert statuses(out)["p0001"] == ("needs_review", "needs_review", "The Kremlin's press office, not the palace.")

    result = run_cli("translate", str(translated / "in"), "-o", str(out), *TRANSLATE)   # the glossary dropped
    assert result.returncode == 0, result.stderr
    now = statuses(out)
    assert now["p0001"] == ("ok", "ok", "The Kremlin's press office, not the palace.")
    assert now["p0002"][:2] == ("ok", "ok")
    rows = review_rows(out / "karabakh.docx")
    assert rows["p0001"][1:] == ("ok", "The Kremlin's press office, not the palace.")
    assert "Kremlin Palace" not in review_column(out / "karabakh.docx", "p0001")
    assert_nothing_lost(translated / "in" / "karabakh.txt", out / "karabakh.json", out / "karabakh.docx")


def test_a_status_the_editor_chose_stays_whatever_the_checks_say(translated, tmp_path):
    """"needs review" picked on an ok row, "ok" picked on a flagged one, and an edit left as a
    draft: kept through runs whose checks say otherwise; the rows left alone follow the checks."""
    out = translated / "out"
    editor = Editor(out / "karabakh.docx")
    editor.set_status("p0003", "needs review")                          # the checks said ok
    editor.set_status("p0005", "ok")                                    # the checks said needs review (a number)
    draft = editor.row("p0011").cells[ENGLISH].text.rstrip(".") + " (draft)."
    editor.set_english("p0011", draft)                                  # edited, not approved
    assert run_cli("import-review", str(editor.save())).returncode == 0
    imported = statuses(out)
    assert imported["p0003"] == ("ok", "needs_review", None) and imported["p0005"] == ("needs_review", "ok", None)

    for extra in (with_glossary(tmp_path), ("--force",)):              # p0001 warned, then not
        result = run_cli("translate", str(translated / "in"), "-o", str(out), *TRANSLATE, *extra)
        assert result.returncode == 0, result.stderr
        now, rows = statuses(out), review_rows(out / "karabakh.docx")
        assert now["p0003"] == ("ok", "needs_review", None) and rows["p0003"][1] == "needs review", extra
        assert now["p0005"] == ("needs_review", "ok", None) and rows["p0005"][1] == "ok", extra
        assert now["p0011"][1] == imported["p0011"][1] and rows["p0011"][0] == draft, extra
        assert now["p0001"][0] == now["p0001"][1] == ("needs_review" if "--force" not in extra else "ok"), extra
        assert rows["p0001"][1] == now["p0001"][1].replace("_", " "), extra
        assert_nothing_lost(translated / "in" / "karabakh.txt", out / "karabakh.json", out / "karabakh.docx")


def test_an_editors_needs_review_stays_after_the_checks_came_to_agree_and_cleared(translated, tmp_path):
    """A tester's run: "needs review" picked on p0001 (the checks said ok); a glossary term then
    flagged it too, and the next run without the term cleared it — the Status said "ok" again:
    the editor's choice was taken for the checks' word once the two agreed."""
    out = translated / "out"
    editor = Editor(out / "karabakh.docx")
    editor.set_status("p0001", "needs review")
    editor.write_note("p0002", "Left as it is.")                        # a row whose status is left: follows the checks
    assert run_cli("import-review", str(editor.save())).returncode == 0
    for extra, checks in ((with_glossary(tmp_path), "needs_review"), (("--force",), "ok")):
        result = run_cli("translate", str(translated / "in"), "-o", str(out), *TRANSLATE, *extra)
        assert result.returncode == 0, result.stderr
        now, rows = statuses(out), review_rows(out / "karabakh.docx")
        assert now["p0001"] == (checks, "needs_review", None) and rows["p0001"][1] == "needs review", extra
        assert now["p0002"][1] == now["p0002"][0] and now["p0002"][2] == "Left as it is.", extra
    record = json.loads((out / "karabakh.json").read_text(encoding="utf-8"))
    validate_record(record)


# --- an approval covers only the English its file showed --------------------------------------
# Settings that change the machine's English (cut short): a re-translation the editor never saw.
SHORTER = ("--set", "translation.num_beams=1", "--set", "translation.max_new_tokens=24")


def record_of(out):
    return {p["id"]: p for p in json.loads((out / "karabakh.json").read_text(encoding="utf-8"))["paragraphs"]}


def approved_tmx(out, tmx):
    """paragraph id → English of the units `export-tmx --approved-only` writes."""
    assert run_cli("export-tmx", str(out), "-o", str(tmx), "--approved-only").returncode == 0
    units = etree.parse(str(tmx)).getroot().find("body").findall("tu")
    return {u.find("prop[@type='x-paragraph-id']").text: u.findall("tuv")[1].find("seg").text for u in units}


def test_an_approval_over_english_re_translated_since_is_not_taken(translated, tmp_path):
    """The tester's (a): A approves p0003 in a copy of the DOCX; the desk re-translates with other
    settings, so p0003's machine English changes; A's copy comes in after. The approval was of
    English that is no longer there: p0003 needs review, its flags stay open, nothing of it goes
    into the memory, publish holds the article back on it, the approved-only TMX leaves it out,
    and the import names it. A's note still comes in."""
    out = translated / "out"
    editor = Editor(out / "karabakh.docx")
    editor.set_status("p0003", "approved")
    editor.write_note("p0003", "Checked against the press office.")
    copy = editor.save(tmp_path / "a.docx")
    seen = record_of(out)["p0003"]["target"]
    assert run_cli("translate", str(translated / "in"), "-o", str(out), *TRANSLATE, *SHORTER).returncode == 0
    changed = record_of(out)["p0003"]
    assert changed["target"] != seen and changed["flags"]
    result = run_cli("import-review", str(copy), "--json", str(out / "karabakh.json"))
    assert result.returncode == 0, result.stderr
    assert ("tarjama: a.docx: p0003: approved in this file over English that has changed since it was written; "
            "not approved — approve it again in the new document") in result.stderr.splitlines()
    p3 = record_of(out)["p0003"]
    assert p3["review"]["status"] == "needs_review" and p3["review"]["editor_target"] is None
    assert p3["review"]["note"] == "Checked against the press office."
    assert p3["target"] == changed["target"] and p3["flags"] == changed["flags"] and not p3.get("approved_flags")
    record = json.loads((out / "karabakh.json").read_text(encoding="utf-8"))
    assert record["review_import"]["not_approved"] == [{"paragraph": "p0003", "why": "over"}]
    assert memory_rows(out) == []
    published = run_cli("publish", str(out), "-o", str(tmp_path / "pub"))
    assert published.returncode == 1 and "p0003" in published.stderr
    assert not (tmp_path / "pub" / "karabakh.en.md").exists()
    assert "p0003" not in approved_tmx(out, tmp_path / "approved.tmx")


@pytest.mark.parametrize("order", [("a", "b"), ("b", "a")])
def test_one_editors_approval_never_covers_another_editors_english(translated, tmp_path, order):
    """The tester's (b): A approves p0007 as written in one copy, B rewrites its English in
    another (status as written). In either order the record keeps B's English as a draft, not
    approved: the approved-only TMX leaves it out, publish does not give it as approved, and the
    import of the second file names the row."""
    out = translated / "out"
    a = Editor(out / "karabakh.docx")
    a.set_status("p0007", "approved")
    a.save(tmp_path / "a.docx")
    b = Editor(out / "karabakh.docx")
    b.set_english("p0007", "B's draft of the ceasefire paragraph.")
    b.write_note("p0007", "B: shortened.")
    b.save(tmp_path / "b.docx")
    results = {}
    for name in order:
        results[name] = run_cli("import-review", str(tmp_path / f"{name}.docx"), "--json", str(out / "karabakh.json"))
        assert results[name].returncode == 0, results[name].stderr
    p7 = record_of(out)["p0007"]
    assert p7["review"]["editor_target"] == "B's draft of the ceasefire paragraph."
    assert p7["review"]["status"] == "needs_review" and p7["review"]["note"] == "B: shortened."
    second = order[1]
    why = ("approved in this file over English that has changed since it was written" if second == "a"
           else "its English was changed in this file, and the approval another file gave was of the English before")
    assert (f"tarjama: {second}.docx: p0007: {why}; not approved — approve it again in the new document"
            in results[second].stderr.splitlines()), results[second].stderr
    assert "p0007" not in results[order[0]].stderr
    assert memory_rows(out) == []
    assert "p0007" not in approved_tmx(out, tmp_path / "approved.tmx")
    published = run_cli("publish", str(out), "-o", str(tmp_path / "pub"))
    record = json.loads((out / "karabakh.json").read_text(encoding="utf-8"))
    assert record["review_import"]["counts"]["approved"] == 0
    if published.returncode == 0:  # published as a draft, never as an approved paragraph
        assert "B's draft of the ceasefire paragraph." in (tmp_path / "pub" / "karabakh.en.md").read_text(encoding="utf-8")


def test_an_approval_as_written_or_with_its_own_english_edit_is_taken(translated, tmp_path):
    """Controls: an approval over English nothing changed since comes in, and so does one given
    with the file's own English edit, also when the machine's English changed since (the approval
    is of the English the editor wrote)."""
    out = translated / "out"
    editor = Editor(out / "karabakh.docx")
    editor.set_english("p0003", "The Armenian government's own English.")
    editor.set_status("p0003", "approved")                              # with its own edit, in a copy
    copy = editor.save(tmp_path / "a.docx")
    editor = Editor(out / "karabakh.docx")
    editor.set_status("p0002", "approved")                              # as written, nothing changed since
    editor.save()
    result = run_cli("import-review", str(out / "karabakh.docx"))
    assert result.returncode == 0 and "not approved" not in result.stderr, result.stderr
    assert record_of(out)["p0002"]["review"]["status"] == "approved"
    assert run_cli("translate", str(translated / "in"), "-o", str(out), *TRANSLATE, *SHORTER).returncode == 0
    assert record_of(out)["p0003"]["target"].startswith("For its part")  # the machine's, cut short
    result = run_cli("import-review", str(copy), "--json", str(out / "karabakh.json"))
    assert result.returncode == 0 and "not approved" not in result.stderr, result.stderr
    paragraphs = record_of(out)
    assert paragraphs["p0003"]["review"]["status"] == "approved"
    assert paragraphs["p0003"]["review"]["editor_target"] == "The Armenian government's own English."
    assert paragraphs["p0002"]["review"]["status"] == "approved"
    tmx = approved_tmx(out, tmp_path / "approved.tmx")
    assert tmx["p0003"] == "The Armenian government's own English." and "p0002" in tmx


def test_an_old_file_brings_no_withdrawn_approval_back_after_a_paragraph_was_inserted_above(translated, tmp_path,
                                                                                            monkeypatch):
    """A tester's run: A approves p0002 in a copy and it is imported; another editor takes the
    approval back; the newsroom inserts a paragraph at the top (p0002 becomes p0003) and the
    article is translated again; A adds a note to their old copy and imports it: p0003 was
    approved again. The record's account of what each file brought stayed keyed by the old ids, so
    A's approval read as "an earlier import brought it", not as new work over newer work."""
    out, source = translated / "out", translated / "in" / "karabakh.txt"
    old_copy = tmp_path / "A.docx"
    shutil.copy(out / "karabakh.docx", old_copy)
    editor = Editor(old_copy)
    editor.set_status("p0002", "approved")
    assert run_cli("import-review", str(editor.save()), "--json", str(out / "karabakh.json")).returncode == 0
    assert run_cli("translate", str(translated / "in"), "-o", str(out), *TRANSLATE).returncode == 0
    # Later than A's file was written (the tests' SOURCE_DATE_EPOCH gives every step one time):
    # A's file is then known to be older than this import's work.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(os.environ["SOURCE_DATE_EPOCH"]) + 100))
    editor = Editor(out / "karabakh.docx")
    editor.set_status("p0002", "needs review")
    editor.write_note("p0002", "Not approved: the quote is unchecked.")
    assert run_cli("import-review", str(editor.save())).returncode == 0
    assert run_cli("translate", str(translated / "in"), "-o", str(out), *TRANSLATE).returncode == 0
    lines = source.read_text(encoding="utf-8").split("\n")
    source.write_text("\n".join([lines[0], "وقال مراسلنا إن الاجتماع عقد في موسكو."] + lines[1:]), encoding="utf-8")
    assert run_cli("translate", str(translated / "in"), "-o", str(out), *TRANSLATE).returncode == 0
    assert reviews(out)["p0003"] == ("needs_review", "Not approved: the quote is unchecked.")

    editor = Editor(old_copy)
    editor.write_note("p0009", "A, day 3.")
    result = run_cli("import-review", str(editor.save()), "--json", str(out / "karabakh.json"))
    assert result.returncode == 0, result.stderr
    now = reviews(out)
    assert now["p0003"] == ("needs_review", "Not approved: the quote is unchecked."), result.stderr
    assert "approved" not in {status for status, _ in now.values()}
    assert now["p0010"][1] == "A, day 3."     # A's new note came in, on the paragraph it was written for


def reviews(out):
    """id → (the review's status, its note) of the paragraphs with a review in the record."""
    record = json.loads((out / "karabakh.json").read_text(encoding="utf-8"))
    return {p["id"]: (p["review"]["status"], p["review"]["note"]) for p in record["paragraphs"] if "review" in p}


def test_a_replaced_note_is_credited_to_the_file_that_brought_it(translated, tmp_path):
    """A tester's run: A's note came in, B (another copy) rejected the row, then A changed its note
    again: the message credited the first note to B.docx — B's import records the whole row, the
    note it only carried too."""
    out = translated / "out"
    copies = {name: tmp_path / f"{name}.docx" for name in ("A", "B")}
    for path in copies.values():
        shutil.copy(out / "karabakh.docx", path)
    steps = (("A", lambda e: e.write_note("p0003", "A's first note.")), ("B", lambda e: e.set_status("p0003", "rejected")),
             ("A", lambda e: e.write_note("p0003", "A's second note.")))
    for name, change in steps:
        editor = Editor(copies[name])
        change(editor)
        result = run_cli("import-review", str(editor.save()), "--json", str(out / "karabakh.json"))
        assert result.returncode == 0, result.stderr
    assert ("p0003: its note was changed by an earlier import of a file of this name and again by this one"
            in result.stderr), result.stderr
    record = json.loads((out / "karabakh.json").read_text(encoding="utf-8"))
    assert [(r["paragraph"], r["field"], r["value"], r["by"]) for r in record["review_import"]["replaced"]] == [
        ("p0003", "note", "A's first note.", "A.docx")]
    assert reviews(out)["p0003"] == ("rejected", "A's second note.")


def test_of_two_identical_paragraphs_the_review_stays_with_the_one_left(translated, tmp_path):
    """A tester's run: an article repeated a paragraph (p0002 = p0004); the editor noted the first
    copy as fine and rejected the second as a duplicate to cut; the desk cut the first copy: the
    paragraph left got the first copy's note, and its rejection went to the orphaned reviews (and
    publish let the article out)."""
    out, source = translated / "out", translated / "in" / "karabakh.txt"
    lines = SAMPLE_ARTICLE.read_text(encoding="utf-8").split("\n")
    source.write_text("\n".join([lines[0], lines[1], lines[2], lines[1], lines[12]]), encoding="utf-8")
    assert run_cli("translate", str(translated / "in"), "-o", str(out), *TRANSLATE).returncode == 0
    editor = Editor(out / "karabakh.docx")
    editor.write_note("p0002", "First copy: fine.")
    editor.set_status("p0004", "rejected")
    editor.write_note("p0004", "Duplicate: cut it.")
    assert run_cli("import-review", str(editor.save())).returncode == 0
    source.write_text("\n".join([lines[0], lines[2], lines[1], lines[12]]), encoding="utf-8")  # the first copy cut
    assert run_cli("translate", str(translated / "in"), "-o", str(out), *TRANSLATE).returncode == 0
    record = json.loads((out / "karabakh.json").read_text(encoding="utf-8"))
    assert reviews(out)["p0003"] == ("rejected", "Duplicate: cut it.")
    assert [(o["paragraph"], o["review"]["note"]) for o in record["orphaned_reviews"]] == [("p0002", "First copy: fine.")]
    result = run_cli("publish", str(out))
    assert "not published: karabakh.json: p0003 is rejected" in result.stderr, result.stderr


def test_who_typed_a_note_with_track_changes_on_is_the_reviews_editor(translated):
    """A tracked change in the note (or the Status) recorded no author or date: only the English
    cell's were read."""
    out = translated / "out"
    editor = Editor(out / "karabakh.docx")
    editor.track_insert_note("p0004", "Heading agreed with the desk.", author="Omar Khalil", date="2024-03-02T09:30:00Z")
    assert run_cli("import-review", str(editor.save())).returncode == 0
    [review] = [p["review"] for p in json.loads((out / "karabakh.json").read_text(encoding="utf-8"))["paragraphs"]
                if p["id"] == "p0004"]
    assert review["note"] == "Heading agreed with the desk."
    assert review["editors"] == ["Omar Khalil"] and review["edited_at"] == "2024-03-02T09:30:00Z"
    assert review["tracked_changes"] is False  # the English came with none
