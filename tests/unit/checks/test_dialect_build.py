"""models/build_dialect.py is deterministic: trained twice on a small subset, the same weights."""

import json

import pytest

from models import build_dialect

from ...helpers import DATA

pytest.importorskip("sklearn")  # needed by the training script only (the `test` extra installs it)


def _subset(tmp_path, lines=30):
    """The first `lines` lines of the test copy of the FLORES files and of NTREX, as folders."""
    dialects, ntrex = tmp_path / "dialects", tmp_path / "ntrex"
    dialects.mkdir(), ntrex.mkdir()
    for source in (DATA / "dialects").glob("flores200.dev-half.*"):
        head = source.read_text(encoding="utf-8").split("\n")[:lines]
        (dialects / source.name).write_text("\n".join(head) + "\n", encoding="utf-8")
    for name in ("ntrex.dev.ar", "ntrex.dev.docids"):
        head = (DATA / "ntrex-dev" / name).read_text(encoding="utf-8").split("\n")[: 4 * lines]
        (ntrex / name).write_text("\n".join(head) + "\n", encoding="utf-8")
    return dialects, ntrex


def test_training_twice_gives_the_same_model(tmp_path, monkeypatch):
    dialects, ntrex = _subset(tmp_path)
    # The test copy of FLORES holds only held-out documents: train on every document here.
    monkeypatch.setattr(build_dialect, "part", lambda docid: "train")
    first = build_dialect.train(dialects, ntrex)
    build_dialect._VECTORS.clear()
    second = build_dialect.train(dialects, ntrex)
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)
    assert first["weights"] and first["variety_weights"] and first["training"]["flores_lines"] == 30
