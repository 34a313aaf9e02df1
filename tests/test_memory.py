"""The translation memory and skip-unchanged: a re-run costs only what changed."""

import json
import multiprocessing
import shutil
import sqlite3

import pytest

from pipeline.translate.base import GenerationOptions, Translation
from pipeline.translate.memory import MemoryTranslator, TranslationMemory, settings_key

from .helpers import ROOT, SAMPLE_ARTICLE, DictionaryTranslator, run_cli


class Handle(DictionaryTranslator):
    """A test double for the model handle: counts how often the model is asked."""

    def __init__(self, known=None, options=None):
        super().__init__(known, options)
        self.loads = 0

    def translator(self):
        self.loads += 1
        return self


def test_only_misses_reach_the_model_and_keys_include_model_and_settings(tmp_path):
    memory = TranslationMemory(tmp_path / "m.sqlite")
    handle = Handle({"أ": "A", "ب": "B"})
    first = MemoryTranslator(handle, memory)
    assert [t.text for t in first.translate(["أ", "ب", "أ"])] == ["A", "B", "A"]
    assert handle.calls == [["أ", "ب"]]
    assert [t.text for t in first.translate(["ب", "ج"])] == ["B", "An English sentence."]
    assert handle.calls[-1] == ["ج"]                              # only the miss
    other_settings = MemoryTranslator(Handle(options=GenerationOptions(num_beams=1)), memory)
    other_settings.translate(["أ"])
    assert other_settings.handle.calls == [["أ"]]                 # beam 1 is another key
    other_model = Handle()
    other_model.fingerprint = "sha256:" + "1" * 64
    MemoryTranslator(other_model, memory).translate(["أ"])
    assert other_model.calls == [["أ"]]                           # another model is another key
    assert settings_key(GenerationOptions()) != settings_key(GenerationOptions(max_new_tokens=64))


def test_an_approved_human_translation_wins_over_the_model(tmp_path):
    memory = TranslationMemory(tmp_path / "m.sqlite")
    memory.store([("أ", Translation("A by the model", -0.1))], Handle().fingerprint, settings_key(GenerationOptions()))
    memory.store_human([("unit", "أ", "A by the editor", "karabakh p0001")])
    result = MemoryTranslator(Handle(), memory).translate(["أ"])[0]
    assert (result.text, result.origin) == ("A by the editor", "human")
    assert memory.clear() == 1 and memory.counts() == {"human unit": 1}   # clear keeps the editors' work


def _writer(path, worker):
    memory = TranslationMemory(path)
    for batch in range(20):
        memory.store([(f"{worker}-{batch}-{i}", Translation(f"t{i}")) for i in range(50)], "sha256:x", "s")
    memory.close()


def test_concurrent_runs_on_one_store_do_not_corrupt_it(tmp_path):
    path = tmp_path / "shared.sqlite"
    TranslationMemory(path).close()
    workers = [multiprocessing.Process(target=_writer, args=(path, w)) for w in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=120)
        assert w.exitcode == 0
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert db.execute("SELECT COUNT(*) FROM translations").fetchone() == (4 * 20 * 50,)
    assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)


@pytest.mark.model
class TestReRuns:
    @pytest.fixture
    def folder(self, tmp_path):
        (tmp_path / "in").mkdir()
        shutil.copy(SAMPLE_ARTICLE, tmp_path / "in" / "karabakh.txt")
        return tmp_path

    def translate(self, folder, *extra):
        result = run_cli("translate", str(folder / "in"), "-o", str(folder / "out"), "--model",
                         str(ROOT / "models" / "fixture-ar-en"), "-q", *extra)
        assert result.returncode == 0, result.stderr
        return json.loads((folder / "out" / "_batch.json").read_text(encoding="utf-8"))

    def outputs(self, folder):
        return {name: (folder / "out" / name).read_bytes() for name in ("karabakh.json", "karabakh.docx")}

    def test_an_unchanged_folder_is_skipped_then_served_from_memory_identically(self, folder):
        first = self.translate(folder)
        assert first["translation"]["memory"]["stored"] == 14 and first["translation"]["model_loaded"]
        produced = self.outputs(folder)
        again = self.translate(folder)
        assert [(f["input"], f["status"]) for f in again["files"]] == [("karabakh.txt", "skipped")]
        assert again["files"][0]["reason"].startswith("unchanged since its outputs were written")
        forced = self.translate(folder, "--force")
        assert forced["translation"]["memory"]["hits"] == 14 and forced["translation"]["generated_tokens"] == 0
        assert forced["translation"]["model_loaded"] is False      # nothing to translate: weights never loaded
        assert self.outputs(folder) == produced                     # byte-identical (dates pinned in tests)

    def test_one_edited_paragraph_costs_only_its_sentences(self, folder):
        self.translate(folder)
        article = folder / "in" / "karabakh.txt"
        lines = article.read_text(encoding="utf-8").splitlines()
        lines[12] = "أنا ولد."  # the source line becomes a sentence the fixture knows: "I'm a kid."
        article.write_text("\n".join(lines) + "\n", encoding="utf-8")
        rerun = self.translate(folder)
        memory = rerun["translation"]["memory"]
        assert (memory["lookups"], memory["hits"], memory["stored"]) == (14, 13, 1)
        record = json.loads((folder / "out" / "karabakh.json").read_text(encoding="utf-8"))
        assert record["paragraphs"][12]["target"] == "I'm a kid."

    def test_settings_or_model_changes_redo_the_article(self, folder):
        self.translate(folder)
        changed = self.translate(folder, "--set", "translation.num_beams=1")
        assert changed["files"][0]["status"] == "done"
        assert changed["translation"]["memory"]["hits"] == 0     # beam 1 has its own memory entries

    def test_no_cache_leaves_no_memory_and_memory_commands(self, folder):
        self.translate(folder, "--no-cache")
        assert not (folder / "out" / ".tarjama" / "memory.sqlite").exists()
        self.translate(folder, "--force")
        stats = run_cli("memory", "stats", "-o", str(folder / "out"))
        assert stats.stdout.strip().endswith(": 14 machine translations of sentences")
        cleared = run_cli("memory", "clear", "-o", str(folder / "out"))
        assert "14 entries removed" in cleared.stdout
        assert self.translate(folder, "--force")["translation"]["memory"]["hits"] == 0
