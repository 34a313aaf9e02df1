"""The translation memory: its keys, human entries first, concurrent writers."""

import multiprocessing
import sqlite3

from pipeline.translate.base import GenerationOptions, Translation
from pipeline.translate.memory import MemoryKey, TranslationMemory, settings_key

FINGERPRINT = "sha256:" + "0" * 64


def test_entries_are_found_by_input_model_and_settings(tmp_path):
    memory = TranslationMemory(tmp_path / "m.sqlite")
    key = MemoryKey.of(FINGERPRINT, GenerationOptions.from_settings())
    memory.store([("أ", Translation("A", -0.1)), ("ب", Translation("B", -0.2))], key)
    assert {k: t.text for k, t in memory.lookup(["أ", "ب", "ج"], key).items()} == {"أ": "A", "ب": "B"}
    assert memory.lookup(["أ"], MemoryKey.of(FINGERPRINT, GenerationOptions.from_settings(num_beams=1))) == {}
    assert memory.lookup(["أ"], MemoryKey.of("sha256:" + "1" * 64, GenerationOptions.from_settings())) == {}
    assert settings_key(GenerationOptions.from_settings()) != settings_key(GenerationOptions.from_settings(max_new_tokens=64))
    assert memory.stats.lookups == 5 and memory.stats.hits == 2


def test_an_approved_human_translation_wins_over_the_model(tmp_path):
    memory = TranslationMemory(tmp_path / "m.sqlite")
    key = MemoryKey.of(FINGERPRINT, GenerationOptions.from_settings())
    memory.store([("أ", Translation("A by the model", -0.1))], key)
    memory.store_human([("unit", "أ", "A by the editor", "karabakh p0001")])
    result = memory.lookup(["أ"], key)["أ"]
    assert (result.text, result.origin, result.cached) == ("A by the editor", "human", True)
    assert memory.clear() == 1 and memory.counts() == {"human unit": 1}   # clear keeps the editors' work


def test_the_paragraph_key_normalises_as_the_run_did():
    """An editor's paragraph is found by its text normalised like the run's units: with
    `segmentation.strip_diacritics: false` the tashkeel stays in the key too."""
    text = "وفقاً لبيانٍ صدر عن المكتبِ"
    assert MemoryKey("m", "s", strip_diacritics=True).paragraph(text) == "وفقا لبيان صدر عن المكتب"
    assert MemoryKey("m", "s", strip_diacritics=False).paragraph(text) == text


def _writer(path, worker):
    memory = TranslationMemory(path)
    for batch in range(20):
        memory.store([(f"{worker}-{batch}-{i}", Translation(f"t{i}")) for i in range(50)], MemoryKey("sha256:x", "s"))
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


