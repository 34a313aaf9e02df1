"""CAT tools, end to end on the sample article with the fixture model: XLIFF out, edited with
translate-toolkit, back in through `tarjama import-review`; a TMX out and into an empty memory."""

import json
import shutil
import sqlite3

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


def test_memory_import_of_something_else_is_one_line(translated, tmp_path):
    result = run_cli("memory", "import", str(translated / "out" / "karabakh.json"), "-o", str(tmp_path))
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "karabakh.json: not a TMX file" in result.stderr
