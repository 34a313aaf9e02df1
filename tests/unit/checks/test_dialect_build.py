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


def test_training_twice_gives_the_same_model(tmp_path):
    dialects, ntrex = _subset(tmp_path)
    first = build_dialect.train(dialects, ntrex, "all")  # every document, as the shipped model
    build_dialect._VECTORS.clear()
    second = build_dialect.train(dialects, ntrex, "all")
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)
    assert first["weights"] and first["variety_weights"] and first["training"]["flores_lines"] == 30


def test_a_part_trains_on_its_documents_only(tmp_path):
    dialects, ntrex = _subset(tmp_path)
    docids = (dialects / "flores200.dev-half.docids").read_text(encoding="utf-8").split()
    for which in ("train", "held-out"):
        model = build_dialect.train(dialects, ntrex, which)
        assert model["training"]["flores_lines"] == sum(build_dialect.part(d) == which for d in docids) > 0
