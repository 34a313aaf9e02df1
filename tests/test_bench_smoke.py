"""The benchmarks run (quick mode): a smoke test only — figures are claimed from full runs in README."""

import subprocess
import sys

import pytest

from .helpers import DATA, ROOT


@pytest.mark.bench
def test_throughput_benchmark_quick_mode(tmp_path):
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "throughput.py"), str(DATA / "ntrex-dev" / "articles"),
                             "--quick", "--work", str(tmp_path)], capture_output=True, text=True, timeout=900, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-3000:]
    rows = [line for line in result.stdout.splitlines() if line.startswith("| ") and "approach" not in line]
    assert [row.split(" | ")[0] for row in rows] == ["| 1. naive: generate per paragraph, batch 1", "| 2. Tarjama, transformers",
                                                   "| 3. Tarjama, CTranslate2 int8",
                                                   "| 4a. re-run, every sentence from memory (--force)",
                                                   "| 4b. re-run, unchanged articles skipped"]
    assert "model never loaded" in result.stdout and result.stdout.count("aims:") == 1


def test_segmentation_benchmark_runs():
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "segmentation.py"), str(DATA / "ntrex-dev")],
                            capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert result.returncode == 0 and "| Tarjama |" in result.stdout
