"""Fixtures shared by all tests. Every test runs offline, quiet and with pinned dates."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from .helpers import FIXTURE_MODEL

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["HF_HUB_DISABLE_PROGRESS_BARS"] = "1"
os.environ["SOURCE_DATE_EPOCH"] = "1700000000"
# The models' fingerprints (translate/resolve.py) are remembered here, not in the user's ~/.cache.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="tarjama-test-cache-")


@pytest.fixture(scope="session")
def fixture_model() -> Path:
    if not (FIXTURE_MODEL / "model.safetensors").is_file():
        pytest.fail("models/fixture-ar-en is missing: run `python models/build_fixture.py`")
    return FIXTURE_MODEL
