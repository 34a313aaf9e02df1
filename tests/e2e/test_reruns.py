"""Skip-unchanged and the translation memory end to end: a re-run costs only what changed."""

import json
import shutil

import pytest

from ..helpers import ROOT, SAMPLE_ARTICLE, run_cli


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
