"""The model fingerprint: a digest of the model's files, remembered by their sizes and times."""

from __future__ import annotations

import hashlib
import json
import os

import pytest

from pipeline.translate import resolve
from pipeline.translate.resolve import fingerprint, fingerprint_cache_file


@pytest.fixture
def model_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(resolve, "_fingerprints", {})  # as a new process
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "config.json").write_text('{"d_model": 8}', encoding="utf-8")
    (folder / "model.safetensors").write_bytes(b"weights-1")
    (folder / "README.md").write_text("not part of the model", encoding="utf-8")
    return folder


def expected(folder) -> str:
    digest = hashlib.sha256()
    for name in ("config.json", "model.safetensors"):
        digest.update(name.encode() + b"\0" + (folder / name).read_bytes())
    return "sha256:" + digest.hexdigest()


def test_fingerprint_is_the_digest_of_the_files_and_is_remembered_on_disk(model_dir):
    assert fingerprint(model_dir) == expected(model_dir)
    stored = json.loads(fingerprint_cache_file().read_text(encoding="utf-8"))
    assert list(stored.values()) == [expected(model_dir)]
    # A new process reads it back instead of hashing: shown by a planted value.
    key = next(iter(stored))
    fingerprint_cache_file().write_text(json.dumps({key: "sha256:planted"}), encoding="utf-8")
    resolve._fingerprints.clear()
    assert fingerprint(model_dir) == "sha256:planted"


def test_a_changed_file_is_hashed_again_even_at_the_same_size(model_dir):
    first = fingerprint(model_dir)
    weights = model_dir / "model.safetensors"
    stat = weights.stat()
    weights.write_bytes(b"weights-2")  # same size
    os.utime(weights, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    resolve._fingerprints.clear()
    assert fingerprint(model_dir) == expected(model_dir) != first


def test_a_damaged_or_unwritable_cache_never_stops_a_run(model_dir, monkeypatch, tmp_path):
    fingerprint_cache_file().parent.mkdir(parents=True)
    fingerprint_cache_file().write_text("{not json", encoding="utf-8")
    assert fingerprint(model_dir) == expected(model_dir)
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder would be", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    resolve._fingerprints.clear()
    assert fingerprint(model_dir) == expected(model_dir)
