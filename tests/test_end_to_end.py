"""The batch job end to end through the CLI, on input/, with the real fixture MarianMT model."""

import json

import docx
import pytest

from pipeline.segment import sentence_spans

from .helpers import ROOT, assert_nothing_lost, run_cli, sha256_tree

pytestmark = pytest.mark.model

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def known_english(article_path) -> list[str]:
    """The fixture's English for each paragraph of the sample article: its sentences' English joined."""
    english = (ROOT / "models" / "fixture-data" / "karabakh-talks.en.txt").read_text(encoding="utf-8").splitlines()
    lines = [line.strip() for line in article_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    expected, position = [], 0
    for line in lines:
        count = len(sentence_spans(line))
        expected.append(" ".join(english[position:position + count]))
        position += count
    assert position == len(english)
    return expected


@pytest.fixture(scope="module")
def translated(tmp_path_factory, fixture_model):
    out = tmp_path_factory.mktemp("out")
    before = sha256_tree(ROOT / "input")
    result = run_cli("translate", "--model", str(fixture_model), "-o", str(out), "-q")
    assert sha256_tree(ROOT / "input") == before, "inputs must never be modified"
    return result, out


def test_the_batch_job_translates_input_into_docx_and_json(translated):
    result, out = translated
    assert result.returncode == 0, result.stderr
    assert "1 translated, 0 failed, 0 skipped" in result.stdout
    article = ROOT / "input" / "karabakh-talks.ar.txt"
    record = assert_nothing_lost(article, out / "karabakh-talks.ar.json", out / "karabakh-talks.ar.docx")
    assert [p["target"] for p in record["paragraphs"]] == known_english(article)
    assert record["model"]["backend"] == "transformers"
    assert all(s["origin"] == "model" and s["score"] < 0 and not s["hit_length_cap"]
               for p in record["paragraphs"] for s in p["sentences"])


def test_the_docx_is_a_right_to_left_side_by_side_table(translated):
    _, out = translated
    record = json.loads((out / "karabakh-talks.ar.json").read_text(encoding="utf-8"))
    table = docx.Document(str(out / "karabakh-talks.ar.docx")).tables[-1]
    for row, paragraph in zip(table.rows[1:], record["paragraphs"]):
        assert row.cells[1]._tc.find(f"{W}p/{W}pPr/{W}bidi") is not None
        assert row.cells[2].text == paragraph["target"]


def test_the_run_report_says_what_ran(translated):
    _, out = translated
    report = json.loads((out / "_batch.json").read_text(encoding="utf-8"))
    assert report["totals"]["done"] == 1 and report["totals"]["paragraphs"] == 13
    assert report["translation"]["unique"] == 14
    assert report["files"][0]["outputs"][0].endswith("karabakh-talks.ar.json")


def test_python_dash_m_pipeline_is_the_same_command(fixture_model, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("المصدر: تاس\n", encoding="utf-8")
    result = run_cli("translate", str(article), "-o", str(tmp_path / "out"), "--model", str(fixture_model), "-q")
    assert result.returncode == 0, result.stderr
    record = json.loads((tmp_path / "out" / "a.json").read_text(encoding="utf-8"))
    assert record["paragraphs"][0]["target"] == "Source: TASS"


def test_every_unit_of_the_sample_is_one_the_fixture_was_trained_on(fixture_model):
    """If segmentation or normalisation changes what the model sees, rebuild the fixture."""
    from pipeline.ingest import read_document
    from pipeline.segment import SegmentOptions, segment_document
    from pipeline.translate.marian import load_marian_tokenizer

    trained = {line.split("\t")[0] for line in (fixture_model / "training-pairs.tsv").read_text(encoding="utf-8").splitlines()}
    tokenizer = load_marian_tokenizer(fixture_model)
    document = read_document(ROOT / "input" / "karabakh-talks.ar.txt", "karabakh-talks.ar.txt")
    segment_document(document, SegmentOptions(), lambda texts: [len(tokenizer(t).input_ids) for t in texts])
    units = [u.model_input for p in document.paragraphs for u in p.sentences]
    assert not [u for u in units if u not in trained], "run `python models/build_fixture.py`"
