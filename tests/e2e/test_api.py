"""The Python API, `import tarjama`: translate a string, a file, a folder; check a pair; import a review."""

import json
import re
import shutil
import tomllib

import pytest

import tarjama

from ..editor import Editor
from ..helpers import FIXTURE_MODEL, ROOT, SAMPLE_ARTICLE, assert_nothing_lost

ENGLISH = (ROOT / "models" / "fixture-data" / "karabakh-talks.en.txt").read_text(encoding="utf-8").splitlines()
ARABIC = SAMPLE_ARTICLE.read_text(encoding="utf-8").splitlines()


def test_import_tarjama_offers_a_documented_api():
    for name in ("Tarjama", "translate_text", "translate_file", "translate_folder", "check", "import_review"):
        assert getattr(tarjama, name).__doc__, name
    assert "tarjama.translate_text(" in tarjama.__doc__ and tarjama.__version__


def test_every_package_folder_is_installed():
    """pyproject.toml lists the packages (the `tarjama` alias needs an explicit list): none forgotten."""
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    folders = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "pipeline").rglob("__init__.py")}
    assert folders - {"pipeline.tarjama"} | {"tarjama"} == listed


def test_check_a_pair_without_a_model():
    checked = tarjama.check(["قتل ثلاثة أشخاص في الحادث.", "وصل 11 شخصا."], ["Four people were killed.", "11 arrived."],
                            config=ROOT / "config.yaml")
    assert [p.status for p in checked.paragraphs] == ["needs_review", "ok"]
    assert checked.paragraphs[0].flags[0].code == "number_changed"


@pytest.mark.model
def test_translate_a_string_a_file_and_a_folder_then_import_a_review(tmp_path):
    session = tarjama.Tarjama(ROOT / "config.yaml", model=str(FIXTURE_MODEL))
    assert session.translate_text(ARABIC[1]) == ENGLISH[1]                    # a string
    document = session.translate_document("\n".join(ARABIC[:2]))
    assert [p.target for p in document.paragraphs] == ENGLISH[:2] and document.paragraphs[0].sentences[0].score < 0

    (tmp_path / "in").mkdir()
    shutil.copy(SAMPLE_ARTICLE, tmp_path / "in" / "karabakh.txt")
    article = session.translate_file(tmp_path / "in" / "karabakh.txt", tmp_path / "out")    # a file, written
    record = assert_nothing_lost(tmp_path / "in" / "karabakh.txt", tmp_path / "out" / "karabakh.json",
                                 tmp_path / "out" / "karabakh.docx")
    assert [p.target for p in article.paragraphs] == [p["target"] for p in record["paragraphs"]]

    report = session.translate_folder(tmp_path / "in", tmp_path / "out")                     # a folder
    assert [(f.input, f.status) for f in report.files] == [("karabakh.txt", "skipped")]     # unchanged since

    editor = Editor(tmp_path / "out" / "karabakh.docx")                                       # an editor's review
    editor.set_status("p0002", "approved")
    editor.save(tmp_path / "out" / "karabakh.docx")
    reviewed = tarjama.import_review(tmp_path / "out" / "karabakh.docx")
    assert reviewed == json.loads((tmp_path / "out" / "karabakh.json").read_text(encoding="utf-8"))
    assert reviewed["paragraphs"][1]["review"]["status"] == "approved"


def test_errors_are_tarjama_errors_with_one_line(tmp_path):
    with pytest.raises(tarjama.TarjamaError, match=re.escape(f"{tmp_path / 'missing.docx'}: no such file")):
        tarjama.import_review(tmp_path / "missing.docx")
    with pytest.raises(tarjama.ReviewImportError):  # exported: the docstring names it
        tarjama.import_review(tmp_path / "missing.docx")
    session = tarjama.Tarjama(model=str(ROOT / "models" / "fixture-ar-en"))
    with pytest.raises(tarjama.UsageError, match="translate_text takes one string \\(got list\\)"):
        session.translate_text(["أنا ولد.", "أنا بنت."])
    with pytest.raises(tarjama.UsageError, match=re.escape(f"{tmp_path}: is a folder; translate_file takes one article")):
        session.translate_file(tmp_path)
