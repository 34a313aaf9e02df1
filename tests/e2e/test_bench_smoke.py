"""The benchmarks run (quick mode): a smoke test only — figures are claimed from full runs in README.

Marked `bench` and left out of the default run (pyproject.toml); CI runs them with `-m bench`.
"""

import re
import sys

import pytest

from ..helpers import DATA, ROOT, run_process


@pytest.mark.bench
def test_throughput_benchmark_quick_mode(tmp_path):
    result = run_process([sys.executable, str(ROOT / "bench" / "throughput.py"), str(DATA / "ntrex-dev" / "articles"),
                          "--quick", "--work", str(tmp_path)], timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    rows = [line for line in result.stdout.splitlines() if line.startswith("| ") and "approach" not in line]
    assert [row.split(" | ")[0] for row in rows] == ["| 1. naive: generate per paragraph, batch 1", "| 2. Tarjama, transformers",
                                                   "| 5a. (2) with the 200-term glossary enforced",
                                                   "| 3. Tarjama, CTranslate2 int8",
                                                   "| 4a. re-run, every sentence from memory (--force)",
                                                   "| 4b. re-run, unchanged articles skipped",
                                                   "| 4c. (4a) with human English in the memory",
                                                   "| 5b. (3) with the 200-term glossary enforced"]
    assert "model never loaded" in result.stdout and result.stdout.count("aims:") == 1
    # (3) and CTranslate2 alone ran twice each, interleaved, and both pairs are shown
    assert re.search(r"best run of 2 on each side; each pair: [\d.]+%, [\d.]+%\)", result.stdout)
    human = re.search(r"with --force and human English \((\d+) memory entries\)", result.stdout)
    assert human and int(human.group(1)) > 0  # the memory of (4c) does hold the articles' human English
    enforced = re.search(r"\((\d+) of (\d+) units enforced\)", result.stdout)
    assert enforced and int(enforced.group(1)) > 0  # the benchmark's glossary does reach the sentences


def test_segmentation_benchmark_runs():
    result = run_process([sys.executable, str(ROOT / "bench" / "segmentation.py"), str(DATA / "ntrex-dev")], timeout=300)
    assert result.returncode == 0 and "| Tarjama |" in result.stdout


def test_fuzzy_lookup_benchmark_runs_and_agrees_with_a_full_scan():
    result = run_process([sys.executable, str(ROOT / "bench" / "fuzzy_lookup.py"), str(DATA / "ntrex-dev"),
                          "--entries", "2000", "--queries", "40"], timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "2,000 entries" in result.stdout and "20 checked against a full scan" in result.stdout


@pytest.mark.bench
def test_busy_machine_benchmark_quick_mode(tmp_path):
    result = run_process([sys.executable, str(ROOT / "bench" / "busy.py"), str(DATA / "ntrex-dev" / "articles"),
                          "--quick", "--work", str(tmp_path)], timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    rows = [line.split(" | ")[0] for line in result.stdout.splitlines() if line.startswith("| ") and "configuration" not in line]
    assert len(rows) == 4 and result.stdout.count("aims:") == 1


@pytest.mark.bench
def test_model_shapes_benchmark_quick_mode(tmp_path):
    result = run_process([sys.executable, str(ROOT / "bench" / "shapes.py"), str(DATA / "ntrex-dev" / "articles"),
                          "--quick", "--work", str(tmp_path)], timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    rows = [line.split(" | ")[:2] for line in result.stdout.splitlines() if line.startswith("| base") or line.startswith("| big")]
    assert [name for _, name in rows] == ["naive", "transformers", "CTranslate2 int8"] * 2


def test_export_benchmark_runs(tmp_path):
    """Three articles, one pass: the table has both cases and every part (no figure is checked)."""
    import shutil

    articles = sorted((DATA / "ntrex-dev" / "articles").glob("*.ar.txt"))[:3]
    for arabic in articles:
        shutil.copy(arabic, tmp_path / arabic.name)
        shutil.copy(arabic.with_name(arabic.name.replace(".ar.", ".en.")), tmp_path)
    result = run_process([sys.executable, str(ROOT / "bench" / "export.py"), str(tmp_path), "--passes", "1"], timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    rows = [line.split(" | ")[:2] for line in result.stdout.splitlines() if line.startswith("| (")]
    assert rows == [[f"| {case}", part] for case in ("(a) as they are", "(b) every paragraph flagged")
                    for part in ("align + checks", "JSON", "DOCX", "**total**")]
    assert result.stdout.startswith("3 articles") and "aim: " in result.stdout


@pytest.mark.bench
def test_stop_benchmark_quick_mode(tmp_path):
    result = run_process([sys.executable, str(ROOT / "bench" / "stop.py"), str(DATA / "ntrex-dev" / "articles"),
                          "--quick", "--work", str(tmp_path)], timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    rows = [line for line in result.stdout.splitlines() if line.startswith("| 1.") or line.startswith("| 2.")]
    assert len(rows) == 2 and "sooner than the old way" in result.stdout
