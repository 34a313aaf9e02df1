"""CAT tools, end to end on the sample article with the fixture model: XLIFF out, edited with
translate-toolkit, back in through `tarjama import-review`; a TMX out and into an empty memory."""

import json
import shutil
import sqlite3
import time

import pytest

from ..helpers import ROOT, SAMPLE_ARTICLE, run_cli, sha256_tree, validate_record, validate_xliff

pytestmark = pytest.mark.model
MODEL = str(ROOT / "models" / "fixture-ar-en")


@pytest.fixture(scope="module")
def translated_once(tmp_path_factory):
    root = tmp_path_factory.mktemp("cat")
    (root / "in").mkdir()
    shutil.copy(SAMPLE_ARTICLE, root / "in" / "karabakh.txt")
    result = run_cli("translate", str(root / "in"), "-o", str(root / "out"), "--model", MODEL, "-q")
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture
def translated(translated_once, tmp_path):
    shutil.copytree(translated_once, tmp_path, dirs_exist_ok=True)
    return tmp_path


def test_xliff_round_trip_through_translate_toolkit(translated):
    from translate.storage import xliff

    from pipeline.export.xliff import NS

    out = translated / "out"
    before = sha256_tree(out)
    result = run_cli("export-xliff", str(out), "-o", str(translated / "cat"))
    assert result.returncode == 0, result.stderr
    assert "1 XLIFF file(s), 13 translation units" in result.stdout
    assert sha256_tree(out) == before  # the records are read, never touched
    exported = translated / "cat" / "karabakh.xlf"
    validate_xliff(exported.read_bytes())

    # The CAT side: fix the year the fixture model gets wrong and mark the unit final.
    store = xliff.xlifffile.parsefile(str(exported))
    unit = next(u for u in store.units if u.getid().endswith("p0005"))
    assert "since February 1998" in unit.target
    unit.target = unit.target.replace("1998", "1988")
    unit.set_state_n(xliff.xliffunit.statemap["final"])
    store.savefile(str(exported))
    validate_xliff(exported.read_bytes())

    result = run_cli("import-review", str(exported), "--json", str(out / "karabakh.json"))
    assert result.returncode == 0, result.stderr
    assert "1 approved, 0 rejected, 1 edited" in result.stdout
    record = json.loads((out / "karabakh.json").read_text(encoding="utf-8"))
    validate_record(record)
    review = {p["id"]: p["review"] for p in record["paragraphs"]}
    assert review["p0005"]["status"] == "approved" and "since February 1988" in review["p0005"]["editor_target"]
    assert all(r["status"] != "approved" for pid, r in review.items() if pid != "p0005")
    assert record["review_import"]["file"] == "karabakh.xlf"
    rows = sqlite3.connect(out / ".tarjama" / "memory.sqlite").execute(
        "SELECT level, target FROM translations WHERE origin = 'human'").fetchall()
    assert ("paragraph", review["p0005"]["editor_target"]) in rows

    # The next run serves the approved English; the next export says it is final.
    assert run_cli("translate", str(translated / "in"), "-o", str(out), "--model", MODEL, "-q").returncode == 0
    assert run_cli("export-xliff", str(out)).returncode == 0
    again = xliff.xlifffile.parsefile(str(out / "karabakh.xlf"))
    unit = next(u for u in again.units if u.getid().endswith("p0005"))
    assert "since February 1988" in unit.target and unit.xmlelement.find(f"{{{NS}}}target").get("state") == "final"


def test_a_docx_review_then_an_xliff_review_both_last_in_any_order(translated, monkeypatch):
    """An editor's DOCX imported, then a CAT tool's XLIFF: the next run is not blocked by the DOCX
    (it was imported), keeps both; importing the older DOCX again is refused rather than undoing
    the XLIFF's approval, and the old DOCX edited further keeps it too."""
    from translate.storage import xliff

    from ..editor import Editor

    # The imports happen an hour after the run that wrote the files (as they do at a desk; within
    # the run's second, "before" and "after" could not be told apart).
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(time.time()) + 3600))
    out = translated / "out"
    editor = Editor(out / "karabakh.docx")
    editor.set_english("p0003", "The desk's own English for the third paragraph.")
    editor.set_status("p0003", "approved")
    reviewed_docx = editor.save(translated / "karabakh-reviewed.docx")
    result = run_cli("import-review", str(reviewed_docx), "--json", str(out / "karabakh.json"))
    assert result.returncode == 0, result.stderr

    assert run_cli("export-xliff", str(out)).returncode == 0
    exported = out / "karabakh.xlf"
    store = xliff.xlifffile.parsefile(str(exported))
    unit = next(u for u in store.units if u.getid().endswith("p0005"))
    unit.target = unit.target.replace("1998", "1988")
    unit.set_state_n(xliff.xliffunit.statemap["final"])
    store.savefile(str(exported))
    result = run_cli("import-review", str(exported))
    assert result.returncode == 0, result.stderr
    record = json.loads((out / "karabakh.json").read_text(encoding="utf-8"))
    validate_record(record)
    assert [h["file"] for h in record["review_import"]["history"]] == ["karabakh-reviewed.docx", "karabakh.xlf"]

    # The older DOCX again: refused in one line, nothing written.
    before = sha256_tree(out)
    result = run_cli("import-review", str(reviewed_docx), "--json", str(out / "karabakh.json"))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "was imported already, before karabakh.xlf" in result.stderr
    assert sha256_tree(out) == before
    twin = shutil.copy(reviewed_docx, translated / "a-copy.docx")  # the same bytes under another name
    result = run_cli("import-review", str(twin), "--json", str(out / "karabakh.json"))
    assert result.returncode == 2 and "a-copy.docx is byte for byte karabakh-reviewed.docx, imported already" in result.stderr
    assert sha256_tree(out) == before

    # The old DOCX, edited further and imported: its new edit comes in, the XLIFF's approval of a
    # row it still shows as the machine wrote it stays.
    editor = Editor(reviewed_docx)
    editor.set_english("p0007", "A later edit in the old document.")
    later_docx = editor.save(translated / "karabakh-reviewed-2.docx")
    result = run_cli("import-review", str(later_docx), "--json", str(out / "karabakh.json"))
    assert result.returncode == 0, result.stderr
    assert "shows what was written or imported before" in result.stderr and "(p0005)" in result.stderr
    record = json.loads((out / "karabakh.json").read_text(encoding="utf-8"))
    validate_record(record)
    review = {p["id"]: p["review"] for p in record["paragraphs"]}
    assert review["p0005"]["status"] == "approved" and "1988" in review["p0005"]["editor_target"]
    assert review["p0007"]["editor_target"] == "A later edit in the old document."
    assert review["p0003"]["status"] == "approved"
    assert record["review_import"]["kept"] == ["p0005"]
    monkeypatch.delenv("SOURCE_DATE_EPOCH")

    # The DOCX an editor saved over Tarjama's (imported) does not block the next run either.
    shutil.copy(later_docx, out / "karabakh.docx")
    result = run_cli("translate", str(translated / "in"), "-o", str(out), "--model", MODEL, "-q")
    assert result.returncode == 0, result.stderr
    review = {p["id"]: p["review"] for p in json.loads((out / "karabakh.json").read_text(encoding="utf-8"))["paragraphs"]}
    assert review["p0003"]["status"] == "approved" and review["p0003"]["editor_target"].startswith("The desk's own")
    assert review["p0005"]["status"] == "approved" and "1988" in review["p0005"]["editor_target"]
    assert review["p0007"]["editor_target"] == "A later edit in the old document."


def test_an_older_file_never_undoes_newer_work(translated, monkeypatch):
    """Files made before later work came in (found by running many orders of the editor's steps):
    an old DOCX copy edited after an approval and a re-run; an old DOCX edited again after a CAT
    tool's XLIFF replaced its draft. What the old file left as written, or brought in before, stays
    the newer work; what the editor typed in it now comes in. Steps an hour apart, as at a desk."""
    from translate.storage import xliff

    from ..editor import Editor

    out, start = translated / "out", int(time.time())

    def at(hours):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", str(start + 3600 * hours))

    def reviews():
        return {p["id"]: p["review"] for p in json.loads((out / "karabakh.json").read_text(encoding="utf-8"))["paragraphs"]}

    # 1. An old copy of the DOCX, edited after an approval came in and the article was re-run.
    old_copy = shutil.copy(out / "karabakh.docx", translated / "old-copy.docx")
    editor = Editor(out / "karabakh.docx")
    editor.set_english("p0001", "The desk's headline.")
    editor.set_status("p0001", "approved")
    editor.save()
    at(1)
    assert run_cli("import-review", str(out / "karabakh.docx")).returncode == 0
    at(2)
    assert run_cli("translate", str(translated / "in"), "-o", str(out), "--model", MODEL, "-q").returncode == 0
    editor = Editor(old_copy)
    editor.write_note("p0009", "Check the name with the desk.")
    editor.save()
    at(3)
    result = run_cli("import-review", str(old_copy), "--json", str(out / "karabakh.json"))
    assert result.returncode == 0, result.stderr
    review = reviews()
    assert review["p0001"]["status"] == "approved" and review["p0001"]["editor_target"] == "The desk's headline."
    assert review["p0009"]["note"] == "Check the name with the desk."
    assert "(p0001)" in result.stderr

    # 2. A draft, then a CAT tool's approval of other English, then the old DOCX edited again.
    editor = Editor(out / "karabakh.docx")
    editor.set_english("p0003", "A first draft of the third paragraph.")
    first = editor.save(translated / "first.docx")
    at(4)
    assert run_cli("import-review", str(first), "--json", str(out / "karabakh.json")).returncode == 0
    assert run_cli("export-xliff", str(out)).returncode == 0
    store = xliff.xlifffile.parsefile(str(out / "karabakh.xlf"))
    unit = next(u for u in store.units if u.getid().endswith("p0003"))
    unit.target = "The CAT tool's approved third paragraph."
    unit.set_state_n(xliff.xliffunit.statemap["final"])
    store.savefile(str(out / "karabakh.xlf"))
    at(5)
    assert run_cli("import-review", str(out / "karabakh.xlf")).returncode == 0
    editor = Editor(first)
    editor.set_status("p0008", "approved")
    second = editor.save(translated / "second.docx")
    at(6)
    result = run_cli("import-review", str(second), "--json", str(out / "karabakh.json"))
    assert result.returncode == 0, result.stderr
    review = reviews()
    assert review["p0003"]["status"] == "approved"
    assert review["p0003"]["editor_target"] == "The CAT tool's approved third paragraph."
    assert review["p0008"]["status"] == "approved" and review["p0001"]["status"] == "approved"
    validate_record(json.loads((out / "karabakh.json").read_text(encoding="utf-8")))


def test_an_import_takes_only_the_cells_an_editor_changed_in_that_file(translated, monkeypatch):
    """A note typed in an old copy does not bring back the old English; a rejection typed there
    keeps the newer English and note; an XLIFF imported untouched changes nothing (an editor's
    "ok" stays); and after an XLIFF import the next run writes a DOCX that shows it."""
    from translate.storage import xliff

    from ..e2e.test_review_roundtrip import review_rows
    from ..editor import Editor

    out, start = translated / "out", int(time.time())

    def at(hours):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", str(start + 3600 * hours))

    def record():
        return {p["id"]: p for p in json.loads((out / "karabakh.json").read_text(encoding="utf-8"))["paragraphs"]}

    first_copy = shutil.copy(out / "karabakh.docx", translated / "copy-1.docx")
    second_copy = shutil.copy(out / "karabakh.docx", translated / "copy-2.docx")
    flagged = next(pid for pid, p in record().items() if p["status"] == "needs_review")
    editor = Editor(out / "karabakh.docx")
    editor.set_english("p0003", "Newer English of the third paragraph.")
    editor.set_status(flagged, "ok")                                  # the editor clears a flag
    editor.save()
    at(1)
    assert run_cli("import-review", str(out / "karabakh.docx")).returncode == 0

    editor = Editor(first_copy)
    editor.write_note("p0003", "Names checked.")
    editor.save()
    at(2)
    assert run_cli("import-review", str(first_copy), "--json", str(out / "karabakh.json")).returncode == 0
    editor = Editor(second_copy)
    editor.set_status("p0003", "rejected")
    editor.save()
    at(3)
    assert run_cli("import-review", str(second_copy), "--json", str(out / "karabakh.json")).returncode == 0
    review = record()["p0003"]["review"]
    assert review == {**review, "status": "rejected", "editor_target": "Newer English of the third paragraph.",
                      "note": "Names checked."}
    assert record()[flagged]["review"]["status"] == "ok"

    # An XLIFF exported and imported untouched changes nothing.
    at(4)
    assert run_cli("export-xliff", str(out)).returncode == 0
    before = {pid: p["review"] for pid, p in record().items()}
    at(5)
    assert run_cli("import-review", str(out / "karabakh.xlf")).returncode == 0
    assert {pid: p["review"] for pid, p in record().items()} == before

    # A CAT tool's approval: the next run writes the DOCX again, showing it.
    store = xliff.xlifffile.parsefile(str(out / "karabakh.xlf"))
    unit = next(u for u in store.units if u.getid().endswith("p0004"))
    unit.set_state_n(xliff.xliffunit.statemap["final"])
    store.savefile(str(out / "karabakh.xlf"))
    at(6)
    assert run_cli("import-review", str(out / "karabakh.xlf")).returncode == 0
    at(7)
    result = run_cli("translate", str(translated / "in"), "-o", str(out), "--model", MODEL, "-q")
    assert result.returncode == 0 and "1 translated" in result.stdout, result.stdout + result.stderr
    rows = review_rows(out / "karabakh.docx")
    assert rows["p0004"][1] == "approved" and rows["p0003"] == ("Newer English of the third paragraph.", "rejected",
                                                                "Names checked.")


def test_an_xliff_with_edited_arabic_is_refused_and_nothing_is_written(translated):
    out = translated / "out"
    assert run_cli("export-xliff", str(out)).returncode == 0
    exported = out / "karabakh.xlf"
    text = exported.read_text(encoding="utf-8")
    exported.write_text(text.replace("فبراير/شباط 1988", "فبراير/شباط 1998", 1), encoding="utf-8")
    before = sha256_tree(out)
    result = run_cli("import-review", str(exported))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "karabakh.xlf cannot be imported, nothing was written" in result.stderr
    assert "p0005 (unit 5): the Arabic was edited" in result.stderr
    assert sha256_tree(out) == before


def test_a_tmx_exported_by_tarjama_imports_into_an_empty_memory_with_every_pair(translated, tmp_path):
    out = translated / "out"
    assert run_cli("export-tmx", str(out), "-o", str(tmp_path / "all.tmx")).returncode == 0
    empty = tmp_path / "fresh"
    result = run_cli("memory", "import", str(tmp_path / "all.tmx"), "-o", str(empty))
    assert result.returncode == 0, result.stderr
    assert "all.tmx: 13 imported, 0 skipped" in result.stdout and "0 conflicting" in result.stdout
    record = json.loads((out / "karabakh.json").read_text(encoding="utf-8"))
    from pipeline.translate.memory import MemoryKey, TranslationMemory

    memory = TranslationMemory(empty / ".tarjama" / "memory.sqlite")
    key = MemoryKey("", "")
    held = memory.reference_paragraphs([key.paragraph(p["source"]) for p in record["paragraphs"]])
    assert [held[key.paragraph(p["source"])] for p in record["paragraphs"]] == [p["target"] for p in record["paragraphs"]]
    # Tarjama's own machine English is reference only: not served as an editor's approved translation.
    assert memory.human_paragraphs([key.paragraph(p["source"]) for p in record["paragraphs"]]) == {}
    memory.close()


def test_paragraphs_served_whole_from_an_imported_memory_are_counted_as_memory_hits(translated, tmp_path):
    """Paragraphs served whole as an editor's approved English (a TMX of approved pairs) were in
    no count: «0 of 11 sentences from memory», `hits: 0` in the run report."""
    from ..editor import Editor

    out = translated / "out"
    editor = Editor(out / "karabakh.docx")
    for pid in ("p0003", "p0005", "p0007"):
        editor.set_status(pid, "approved")
    assert run_cli("import-review", str(editor.save())).returncode == 0
    assert run_cli("export-tmx", str(out), "-o", str(tmp_path / "all.tmx"), "--approved-only").returncode == 0
    fresh = tmp_path / "fresh"
    assert "3 imported" in run_cli("memory", "import", str(tmp_path / "all.tmx"), "-o", str(fresh)).stdout
    result = run_cli("translate", str(translated / "in"), "-o", str(fresh), "--model", MODEL, "-q")
    assert result.returncode == 0, result.stderr
    memory = json.loads((fresh / "_batch.json").read_text(encoding="utf-8"))["translation"]["memory"]
    assert memory["paragraph_hits"] == 3 and memory["hits"] == 0
    assert ", 3 paragraph(s) whole and 0 of " in result.stdout + result.stderr
    record = json.loads((fresh / "karabakh.json").read_text(encoding="utf-8"))
    assert [p["id"] for p in record["paragraphs"] if p["sentences"][0]["origin"] == "human"] == ["p0003", "p0005", "p0007"]


def test_only_english_an_editor_approved_comes_back_from_tarjamas_tmx_as_approved(translated, tmp_path):
    """A draft nobody approved is reference only after a TMX round trip, a rejected one is left out;
    the machine's English an editor approved as it was is approved (it was reference only)."""
    from pipeline.translate.memory import MemoryKey, TranslationMemory

    from ..editor import Editor

    out = translated / "out"
    editor = Editor(out / "karabakh.docx")
    editor.set_english("p0002", "A draft the desk has not approved yet.")
    editor.set_english("p0003", "English the desk approved.")
    editor.set_status("p0003", "approved")
    editor.set_status("p0004", "rejected")
    editor.set_status("p0005", "approved")   # the machine's English approved as it is
    result = run_cli("import-review", str(editor.save()))
    assert result.returncode == 0, result.stderr
    assert run_cli("export-tmx", str(out), "-o", str(tmp_path / "all.tmx")).returncode == 0
    assert "A draft the desk has not approved yet." in (tmp_path / "all.tmx").read_text(encoding="utf-8")

    result = run_cli("memory", "import", str(tmp_path / "all.tmx"), "-o", str(tmp_path / "fresh"))
    assert result.returncode == 0, result.stderr
    assert "12 imported, 1 skipped" in result.stdout  # the rejected paragraph
    source = {p["id"]: p["source"] for p in json.loads((out / "karabakh.json").read_text(encoding="utf-8"))["paragraphs"]}
    key = MemoryKey("", "")
    memory = TranslationMemory(tmp_path / "fresh" / ".tarjama" / "memory.sqlite")
    try:
        approved = memory.human_paragraphs([key.paragraph(text) for text in source.values()])
        machine = {p["id"]: p["target"] for p in json.loads((out / "karabakh.json").read_text(encoding="utf-8"))["paragraphs"]}
        assert {k: v[0] for k, v in approved.items()} == {key.paragraph(source["p0003"]): "English the desk approved.",
                                                          key.paragraph(source["p0005"]): machine["p0005"]}
        reference = memory.reference_paragraphs([key.paragraph(source[pid]) for pid in ("p0002", "p0004")])
        assert reference == {key.paragraph(source["p0002"]): "A draft the desk has not approved yet."}
    finally:
        memory.close()


def test_memory_import_of_something_else_is_one_line_and_exit_2(translated, tmp_path):
    # The one file the command was given cannot be imported: a usage problem (2), as a missing
    # file is, not a batch with a failed file (1)
    run_cli("export-xliff", str(translated / "out"))
    (tmp_path / "nobody.tmx").write_text('<?xml version="1.0"?><tmx version="1.4"><header/></tmx>', encoding="utf-8")
    for path, message in [(translated / "out" / "karabakh.json", "karabakh.json: not a TMX file: not well-formed XML"),
                          (translated / "out" / "karabakh.xlf", "karabakh.xlf: not a TMX file (its root is <xliff>)"),
                          (tmp_path / "nobody.tmx", "nobody.tmx: no <body>: not a TMX file's contents"),
                          (tmp_path / "missing.tmx", "missing.tmx: no such file")]:
        result = run_cli("memory", "import", str(path), "-o", str(tmp_path / "m"))
        assert result.returncode == 2, (path, result.stderr)
        assert result.stderr.strip().count("\n") == 0 and message in result.stderr


SIGNING = ("وبتاريخ 9 نوفمبر/تشرين الثاني 2020، وقّع الرئيس الروسي فلاديمير بوتين والرئيس الأذربيجاني إلهام علييف ورئيس "
           "الوزراء الأرمني نيكول باشينيان، على بيان مشترك حول الوقف للعمليات القتالية في ناغورني قره باغ.")
SIGNING_ENGLISH = ("On {day} November {year}, Russian President Vladimir Putin, Azerbaijani President Ilham Aliyev and "
                   "Armenian Prime Minister Nikol Pashinyan signed a joint statement on ending hostilities in Nagorno-Karabakh.")
KREMLIN = ("وأشار الكرملين أيضاً إلى أن المحادثات تطرقت إلى بعض القضايا الراهنة الخاصة بالتعاون الروسي - الأرمني، "
           "وأنه\"تم الاتفاق على مواصلة الاتصالات على مختلف المستويات\".")
KREMLIN_ENGLISH = ("The Kremlin also said the talks touched on current issues of Russian-Armenian cooperation and that "
                   "\"it was agreed to continue contacts at various levels\".")


def test_fuzzy_matches_from_a_teams_tmx_are_offered_in_the_json_the_docx_and_the_xliff(translated, tmp_path):
    import docx
    from lxml import etree

    from pipeline.export.xliff import NS

    out = translated / "out"
    before = json.loads((out / "karabakh.json").read_text(encoding="utf-8"))
    variants = [(SIGNING.replace("9 نوفمبر", "10 نوفمبر").replace("2020", "2021"),
                 SIGNING_ENGLISH.format(day=10, year=2021)),
                (KREMLIN.replace("أيضاً", "كذلك").replace("الراهنة", "الحالية"), KREMLIN_ENGLISH)]
    units = "".join(f'<tu><tuv xml:lang="ar-SA"><seg>{ar}</seg></tuv><tuv xml:lang="en-GB"><seg>{en}</seg></tuv></tu>'
                    for ar, en in variants)
    (tmp_path / "team.tmx").write_text(f'<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header srclang="ar-SA" '
                                       f'adminlang="en" datatype="plaintext" segtype="sentence" o-tmf="x" creationtool="memoQ" '
                                       f'creationtoolversion="9"/><body>{units}</body></tmx>', encoding="utf-8")
    result = run_cli("memory", "import", str(tmp_path / "team.tmx"), "-o", str(out))
    assert result.returncode == 0 and "2 imported" in result.stdout, result.stderr
    result = run_cli("translate", str(translated / "in"), "-o", str(out), "--model", MODEL, "-q")
    assert result.returncode == 0 and "1 translated" in result.stdout, result.stderr  # the new memory redoes it

    record = json.loads((out / "karabakh.json").read_text(encoding="utf-8"))
    validate_record(record)
    assert [p["target"] for p in record["paragraphs"]] == [p["target"] for p in before["paragraphs"]]  # never used
    matches = {p["id"]: p["memory_match"] for p in record["paragraphs"] if "memory_match" in p}
    assert set(matches) == {"p0002", "p0006"}
    assert 75 <= matches["p0002"]["score"] < 100 and matches["p0002"]["target"] == KREMLIN_ENGLISH
    signing = matches["p0006"]
    assert signing["numbers"] == [["10", "9"], ["2021", "2020"]] and signing["carried"]
    assert signing["target"] == SIGNING_ENGLISH.format(day=9, year=2020)  # this Arabic's numbers
    flags = {p["id"]: [f["code"] for f in p["flags"]] for p in record["paragraphs"]}
    assert "memory_match" in flags["p0002"] and "memory_match_numbers" in flags["p0006"]

    comments = [c.text for c in docx.Document(str(out / "karabakh.docx")).comments]
    percent = int(matches["p0002"]["score"])
    assert any(f"{percent}% match in the memory" in text and KREMLIN_ENGLISH in text for text in comments)
    assert any("differing only in numbers (10 → 9, 2021 → 2020" in text for text in comments)

    assert run_cli("export-xliff", str(out)).returncode == 0
    data = (out / "karabakh.xlf").read_bytes()
    validate_xliff(data)
    alt = etree.fromstring(data).find(f".//{{{NS}}}trans-unit[@id='p0002']/{{{NS}}}alt-trans")
    assert alt.get("match-quality") == f"{percent}%" and alt.find(f"{{{NS}}}target").text == KREMLIN_ENGLISH


def _unit(store, pid):
    return next(u for u in store.units if u.getid().endswith(pid))


def _set_targets(path, targets: dict, state: str | None = None) -> None:
    """As a CAT tool saves a unit: the whole target replaced (lxml; translate-toolkit leaves
    segmented targets alone when set to "")."""
    from lxml import etree

    from pipeline.export.xliff import NS

    tree = etree.parse(str(path))
    for unit in tree.iter(f"{{{NS}}}trans-unit"):
        if unit.get("id") in targets:
            target = unit.find(f"{{{NS}}}target")
            for child in list(target):
                target.remove(child)
            target.text = targets[unit.get("id")]
            target.attrib.pop("state-qualifier", None)
            if state:
                target.set("state", state)
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")


def test_an_editors_unapproved_english_is_checked_and_holds_publishing_back(translated):
    """A draft typed in a CAT tool (or the DOCX) is what the DOCX shows and `publish` prints: the
    checks run on it. An emptied target is an error (the paragraph would vanish from the published
    article), a year typed wrong a number flag, Arabic left in it an error; once fixed and
    approved, the article is published."""
    out = translated / "out"
    assert run_cli("export-xliff", str(out)).returncode == 0
    path = out / "karabakh.xlf"
    _set_targets(path, {"p0001": "", "p0006": "On 9 November 2021, Putin, Aliyev and Pashinyan signed a joint statement ثلاثة."},
                 "translated")
    result = run_cli("import-review", str(path))
    assert result.returncode == 0, result.stderr
    record = json.loads((out / "karabakh.json").read_text(encoding="utf-8"))
    validate_record(record)
    flags = {p["id"]: {f["code"] for f in p["flags"]} for p in record["paragraphs"]}
    assert "empty_target" in flags["p0001"]
    assert "arabic_in_target" in flags["p0006"] and flags["p0006"] & {"number_changed", "number_missing", "number_extra"}
    published = run_cli("publish", str(out))
    assert published.returncode == 1 and "p0001 has an open error (empty_target)" in published.stdout + published.stderr

    # The next run shows the draft's flags in the DOCX and the record, not the machine's.
    assert run_cli("translate", str(translated / "in"), "-o", str(out), "--model", MODEL, "-q").returncode == 0
    record = json.loads((out / "karabakh.json").read_text(encoding="utf-8"))
    again = {p["id"]: {f["code"] for f in p["flags"]} for p in record["paragraphs"]}
    assert "empty_target" in again["p0001"] and "arabic_in_target" in again["p0006"]

    # Fixed and approved in the CAT tool: published.
    assert run_cli("export-xliff", str(out)).returncode == 0
    _set_targets(path, {"p0001": "Putin and Pashinyan discussed the Karabakh agreements.",
                        "p0006": "On 9 November 2020, Putin, Aliyev and Pashinyan signed a joint statement."}, "final")
    assert run_cli("import-review", str(path)).returncode == 0
    published = run_cli("publish", str(out))
    assert published.returncode == 0, published.stdout + published.stderr


def test_the_xliff_approved_attribute_approves_and_takes_an_approval_back(translated):
    """A CAT tool that approves through XLIFF 1.2's `approved` attribute (translate-toolkit's
    markapproved: the state is left alone) approves; un-approving a unit exported as final takes
    the approval back, and the memory no longer serves it as an editor's."""
    from translate.storage import xliff

    out = translated / "out"
    assert run_cli("export-xliff", str(out)).returncode == 0
    path = out / "karabakh.xlf"
    store = xliff.xlifffile.parsefile(str(path))
    _unit(store, "p0002").markapproved(True)
    store.savefile(str(path))
    result = run_cli("import-review", str(path))
    assert result.returncode == 0 and "1 approved" in result.stdout, result.stdout + result.stderr
    status = lambda: {p["id"]: p["review"]["status"] for p in json.loads((out / "karabakh.json").read_text("utf-8"))["paragraphs"]}
    assert status()["p0002"] == "approved"
    human = lambda: sqlite3.connect(out / ".tarjama" / "memory.sqlite").execute(
        "SELECT count(*) FROM translations WHERE origin = 'human'").fetchone()[0]
    assert human() >= 1

    assert run_cli("translate", str(translated / "in"), "-o", str(out), "--model", MODEL, "-q").returncode == 0
    assert run_cli("export-xliff", str(out)).returncode == 0
    store = xliff.xlifffile.parsefile(str(path))
    unit = _unit(store, "p0002")
    assert unit.isapproved()
    unit.markapproved(False)
    store.savefile(str(path))
    assert 'approved="no"' in path.read_text(encoding="utf-8")
    result = run_cli("import-review", str(path))
    assert result.returncode == 0 and "0 approved" in result.stdout, result.stdout + result.stderr
    assert status()["p0002"] != "approved"
    assert human() == 0


def test_export_xliff_never_overwrites_a_cat_tools_work_not_yet_imported(translated):
    """The team edits the .xlf in place (the loop README shows): exporting again keeps an edited
    file and names it (exit 1); an untouched or imported one is replaced; --force replaces."""
    import hashlib

    out = translated / "out"
    path = out / "karabakh.xlf"
    assert run_cli("export-xliff", str(out)).returncode == 0
    again = run_cli("export-xliff", str(out))  # untouched: replaced, quietly
    assert again.returncode == 0 and "kept" not in again.stdout + again.stderr

    _set_targets(path, {"p0003": "CAT work not yet imported."}, "final")
    edited = hashlib.sha256(path.read_bytes()).hexdigest()
    kept = run_cli("export-xliff", str(out))
    assert kept.returncode == 1, kept.stdout + kept.stderr
    assert "0 XLIFF file(s)" in kept.stdout and "1 kept" in kept.stdout
    assert "karabakh.xlf has work not imported yet (p0003): not replaced" in kept.stderr
    assert len(kept.stderr.strip().splitlines()) == 1
    assert hashlib.sha256(path.read_bytes()).hexdigest() == edited

    # Imported: its work is in the record, and the next export may replace it.
    assert run_cli("import-review", str(path)).returncode == 0
    assert run_cli("export-xliff", str(out)).returncode == 0
    assert "CAT work not yet imported." in path.read_text(encoding="utf-8")  # now from the record

    # A note typed in a CAT tool counts as work too; --force replaces anyway.
    from translate.storage import xliff

    store = xliff.xlifffile.parsefile(str(path))
    _unit(store, "p0004").addnote("Check the name against the wire copy.", origin="translator")
    store.savefile(str(path))
    assert run_cli("export-xliff", str(out)).returncode == 1
    forced = run_cli("export-xliff", str(out), "--force")
    assert forced.returncode == 0 and "Check the name" not in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("kind", ["xlf", "docx"])
def test_work_in_a_file_written_before_the_arabic_changed_follows_its_paragraphs(translated, kind, monkeypatch):
    """The newsroom inserts a paragraph and rewrites another after the team got its file: the
    approval follows its paragraph's Arabic to its new place, work on the rewritten paragraph is
    kept under orphaned_reviews, nothing is lost and the import says so."""
    from ..editor import Editor

    out, source = translated / "out", translated / "in" / "karabakh.txt"
    path = out / f"karabakh.{kind}"
    if kind == "xlf":
        assert run_cli("export-xliff", str(out)).returncode == 0
        _set_targets(path, {"p0003": "The Armenian government said the leaders discussed prisoners of war."}, "final")
        _set_targets(path, {"p0006": "Draft on the ceasefire statement."}, "translated")
    else:
        editor = Editor(path)
        editor.set_english("p0003", "The Armenian government said the leaders discussed prisoners of war.")
        editor.set_status("p0003", "approved")
        editor.set_english("p0006", "Draft on the ceasefire statement.")
        editor.save()
        # The DOCX was edited and not imported: move it aside for the new run, as the message says.
        path.rename(out / "karabakh.team.docx")
        path = out / "karabakh.team.docx"
    lines = source.read_text(encoding="utf-8").split("\n")
    body = [i for i, line in enumerate(lines) if line.strip()]
    old_sixth = lines[body[5]]
    lines[body[5]] = old_sixth.replace("بيان مشترك", "بيان ثلاثي مشترك")
    lines.insert(0, "عاجل: تفاصيل جديدة عن المحادثات.\n")
    source.write_text("\n".join(lines), encoding="utf-8")
    assert run_cli("translate", str(translated / "in"), "-o", str(out), "--model", MODEL, "-q").returncode == 0

    result = run_cli("import-review", str(path), "--json", str(out / "karabakh.json"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "its work followed its paragraphs' Arabic" in result.stderr and "(p0006)" in result.stderr
    record = json.loads((out / "karabakh.json").read_text(encoding="utf-8"))
    validate_record(record)
    reviews = {p["id"]: p["review"] for p in record["paragraphs"]}
    assert reviews["p0004"]["status"] == "approved"  # p0003's Arabic, one paragraph down now
    assert reviews["p0004"]["editor_target"].startswith("The Armenian government said")
    assert all(r is None or r["status"] != "approved" for pid, r in reviews.items() if pid != "p0004")
    [orphan] = [o for o in record["orphaned_reviews"] if o["paragraph"] == "p0006"]
    assert orphan["source"] == old_sixth and orphan["review"]["editor_target"] == "Draft on the ceasefire statement."
    assert "Draft on the ceasefire statement." not in json.dumps(record["paragraphs"], ensure_ascii=False)

    # The next DOCX puts the orphaned work in front of the editor, apart from the review table
    # (which import-review reads: the orphans' table is not read back).
    import docx

    assert run_cli("translate", str(translated / "in"), "-o", str(out), "--model", MODEL, "-q").returncode == 0
    tables = docx.Document(str(out / "karabakh.docx")).tables
    [orphans] = [t for t in tables if t.rows[0].cells[0].text == "Was"]
    row = [c.text for c in orphans.rows[1].cells]
    assert row[:3] == ["p0006", old_sixth, "Draft on the ceasefire statement."] and row[3] in ("ok", "needs review")
    assert tables[-1].rows[0].cells[0].text == "#"


def test_the_same_row_changed_in_a_docx_and_an_xliff_keeps_both_englishes(translated):
    """An editor in the DOCX and a CAT tool in the XLIFF both rewrite p0009 from the same run's
    files: the later import's English comes in, the earlier is kept in the record and named."""
    from ..editor import Editor

    out = translated / "out"
    assert run_cli("export-xliff", str(out)).returncode == 0
    _set_targets(out / "karabakh.xlf", {"p0009": "XLIFF English for p0009."}, "translated")
    editor = Editor(out / "karabakh.docx")
    editor.set_english("p0009", "DOCX English for p0009.")
    editor.save()
    assert run_cli("import-review", str(out / "karabakh.xlf")).returncode == 0
    result = run_cli("import-review", str(out / "karabakh.docx"))
    assert result.returncode == 0, result.stderr
    assert ("p0009: both this file and another changed its english: this file's came in; the earlier (which "
            "karabakh.xlf brought: «XLIFF English for p0009.»)") in result.stderr
    record = json.loads((out / "karabakh.json").read_text(encoding="utf-8"))
    validate_record(record)
    review = {p["id"]: p["review"] for p in record["paragraphs"]}
    assert review["p0009"]["editor_target"] == "DOCX English for p0009."
    assert {"paragraph": "p0009", "field": "english", "value": "XLIFF English for p0009.", "by": "karabakh.xlf"} \
        in record["review_import"]["replaced"]


OMEGAT = ROOT / "tests" / "data" / "omegat"


def test_an_omegat_projects_target_file_and_memory_bring_back_what_the_translator_typed(translated):
    """A real OmegaT project (OmegaT 3.6, its own XLIFF filter; tests/data/omegat, with how it was
    made) on `export-xliff --copy-source` of this article and the TMX of `export-tmx`: six
    segments translated, one of them half of a paragraph, one with a line break typed in it, one
    the machine's English taken as it was; the rest left as OmegaT gives them back, the Arabic.
    Its target file imports as drafts (OmegaT sets no state), the untranslated units keep the
    machine's English, and its project_save.tmx goes into the memory, served on the next run."""
    from lxml import etree

    from pipeline.export.xliff import NS

    out = translated / "out"
    result = run_cli("export-xliff", str(out), "-o", str(translated / "for-omegat"), "--copy-source")
    assert result.returncode == 0, result.stderr
    exported = etree.parse(str(translated / "for-omegat" / "karabakh.xlf")).getroot()
    validate_xliff(etree.tostring(exported))
    saved = (OMEGAT / "karabakh.xlf").read_bytes()
    validate_xliff(saved)  # OmegaT's target file is strict XLIFF 1.2 too
    # The file OmegaT was given is what Tarjama writes today: the same units, Arabic, cells and notes.
    x = {"x": NS}

    def units(root):
        return [(u.get("id"), u.get("extradata"), u.findtext("x:source", namespaces=x),
                 [n.text for n in u.findall("x:note", x)]) for u in root.iterfind(".//x:trans-unit", x)]

    assert units(etree.fromstring(saved)) == units(exported)

    def header(root):  # the article's sha256 and the copy-source note (the model's path is as it was given)
        return [n.text for n in root.iterfind(".//x:header/x:note", x) if not n.text.startswith("machine translation:")]

    assert header(etree.fromstring(saved)) == header(exported) and len(header(exported)) == 2
    assert all(u.findtext("x:target", namespaces=x) == u.findtext("x:source", namespaces=x)
               for u in exported.iterfind(".//x:trans-unit", x))

    machine = {p["id"]: p["target"] for p in json.loads((out / "karabakh.json").read_text(encoding="utf-8"))["paragraphs"]}
    shutil.copy(OMEGAT / "karabakh.xlf", translated / "karabakh.xlf")
    result = run_cli("import-review", str(translated / "karabakh.xlf"), "--json", str(out / "karabakh.json"))
    assert result.returncode == 0, result.stderr
    assert "0 approved, 0 rejected, 5 edited" in result.stdout  # p0006 is the machine's English, taken as it was
    record = json.loads((out / "karabakh.json").read_text(encoding="utf-8"))
    validate_record(record)
    english = {p["id"]: (p["review"] or {}).get("editor_target") for p in record["paragraphs"]}
    assert {pid for pid, text in english.items() if text is not None} == {"p0003", "p0004", "p0005", "p0010", "p0011"}
    assert english["p0004"] == "About the Karabakh agreements"
    assert "since February 1988" in english["p0005"] and "transport links in the region" in english["p0010"]
    assert english["p0011"] == 'Strategic Vision Group\n"Russia – Islamic World"'  # a line break typed in OmegaT
    # Half a paragraph translated: the translator's sentence and the Arabic OmegaT left, a draft held back.
    assert english["p0003"].startswith("The Armenian government, for its part, said") and "وأشار البيان الصحفي" in english["p0003"]
    flags = {p["id"]: [f["code"] for f in p["flags"]] for p in record["paragraphs"]}
    assert "arabic_in_target" in flags["p0003"]
    assert all(p["target"] == machine[p["id"]] for p in record["paragraphs"])  # the machine's English, kept under them
    assert not any((p["review"] or {}).get("status") == "approved" for p in record["paragraphs"])

    # OmegaT's own memory: each segment the translator confirmed, as an approved translation.
    result = run_cli("memory", "import", str(OMEGAT / "project_save.tmx"), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "project_save.tmx: 6 imported, 0 skipped" in result.stdout
    assert run_cli("translate", str(translated / "in"), "-o", str(out), "--model", MODEL, "-q").returncode == 0
    record = json.loads((out / "karabakh.json").read_text(encoding="utf-8"))
    served = {p["id"]: (p["target"], [s["origin"] for s in p["sentences"]]) for p in record["paragraphs"]}
    assert served["p0004"] == ("About the Karabakh agreements", ["human"])
    assert served["p0003"][1] == ["human", "model"]  # the sentence OmegaT has; the other still the machine's


def test_a_sentence_level_tmx_has_the_machines_sentences_and_an_editors_paragraph(translated, tmp_path):
    """`export-tmx --sentences`: CAT tools segment by sentence, and a paragraph unit of several
    sentences is then only a fuzzy match (42% in an OmegaT trial)."""
    from translate.storage import tmx

    from ..editor import Editor

    out = translated / "out"
    editor = Editor(out / "karabakh.docx")
    editor.set_english("p0002", "The Kremlin said the talks also touched on Russian-Armenian cooperation.")
    assert run_cli("import-review", str(editor.save())).returncode == 0
    result = run_cli("export-tmx", str(out), "-o", str(tmp_path / "s.tmx"), "--sentences")
    assert result.returncode == 0, result.stderr
    record = json.loads((out / "karabakh.json").read_text(encoding="utf-8"))
    expected = []
    for paragraph in record["paragraphs"]:
        if paragraph["id"] == "p0002":  # the editor's English: no sentence alignment, one unit
            expected.append(("p0002", paragraph["source"], paragraph["review"]["editor_target"]))
            continue
        for sentence in paragraph["sentences"]:
            start, end = sentence["target_span"]
            expected.append((sentence["id"], sentence["source"], paragraph["target"][start:end].strip()))
    assert [unit_id for unit_id, _, _ in expected][:4] == ["p0001.s01", "p0002", "p0003.s01", "p0003.s02"]
    # translate-toolkit, a real TMX client, reads each unit as Arabic → English
    store = tmx.tmxfile.parsefile(str(tmp_path / "s.tmx"))
    assert [(unit.getid().split("#")[1], unit.source, unit.target) for unit in store.units] == expected
    assert 'segtype="sentence"' in (tmp_path / "s.tmx").read_text(encoding="utf-8")
    # and it goes into a memory as Tarjama's own TMX does: the machine's sentences as reference only
    result = run_cli("memory", "import", str(tmp_path / "s.tmx"), "-o", str(tmp_path / "fresh"))
    assert result.returncode == 0 and f"{len(expected)} imported" in result.stdout


def test_a_cat_tools_approval_over_english_re_translated_since_is_not_taken(translated, tmp_path):
    """An approval in an XLIFF covers only the English the unit had: the unit approved as written,
    the article re-translated since with other settings (its English changed), the XLIFF imported
    after — the paragraph needs review, nothing goes into the memory, the import names it; a unit
    approved with the translator's own English in the same file is approved."""
    from translate.storage import xliff

    out = translated / "out"
    assert run_cli("export-xliff", str(out)).returncode == 0
    path = shutil.copy(out / "karabakh.xlf", tmp_path / "karabakh.xlf")  # the translator's copy
    store = xliff.xlifffile.parsefile(str(path))
    _unit(store, "p0003").markapproved(True)
    store.savefile(str(path))
    _set_targets(path, {"p0002": "The Kremlin's own English, approved in the CAT tool."}, "final")
    before = json.loads((out / "karabakh.json").read_text("utf-8"))["paragraphs"][2]["target"]
    assert run_cli("translate", str(translated / "in"), "-o", str(out), "--model", MODEL, "-q", "--set",
                   "translation.num_beams=1", "--set", "translation.max_new_tokens=24").returncode == 0
    record = json.loads((out / "karabakh.json").read_text("utf-8"))
    assert record["paragraphs"][2]["target"] != before
    result = run_cli("import-review", str(path), "--json", str(out / "karabakh.json"))
    assert result.returncode == 0, result.stderr
    assert (f"tarjama: {path.name}: p0003: approved in this file over English that has changed since it was written; "
            f"not approved — approve it again in the new document") in result.stderr.splitlines(), result.stderr
    record = json.loads((out / "karabakh.json").read_text("utf-8"))
    validate_record(record)
    review = {p["id"]: p["review"] for p in record["paragraphs"]}
    assert review["p0003"]["status"] == "needs_review" and review["p0003"]["editor_target"] is None
    assert review["p0002"] == {**review["p0002"], "status": "approved",
                               "editor_target": "The Kremlin's own English, approved in the CAT tool."}
    human = sqlite3.connect(out / ".tarjama" / "memory.sqlite").execute(
        "SELECT target FROM translations WHERE origin = 'human'").fetchall()
    assert human and all("Armenian government" not in target for target, in human)
