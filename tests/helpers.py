"""Paths of the repo's test data and the fixture model, and helpers shared by tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
FIXTURE_MODEL = ROOT / "models" / "fixture-ar-en"
SAMPLE_ARTICLE = DATA / "karabakh-talks.ar.txt"


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run `python -m pipeline ARGS` the way a user runs `tarjama`, capturing its output."""
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=cwd or ROOT, capture_output=True,
                          text=True, env={**os.environ, **(env or {})}, stdin=subprocess.DEVNULL, timeout=600)
