"""The batch job end to end through the CLI, on input/, with the real fixture MarianMT model."""

import json

import docx
import pytest

from pipeline.config import SegmentationSettings
from pipeline.ooxml import paragraph_text
from pipeline.segment import sentence_spans
from pipeline.text.arabic import normalize_for_model

from ..helpers import ROOT, assert_nothing_lost, run_cli, sha256_tree

pytestmark = pytest.mark.model

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def known_english(article_path, enforced: bool = True) -> list[str]:
    """The fixture's English for each paragraph of the sample article: its sentences' English
    joined; with the glossary enforced, a sentence taught a second-best English in the glossary's
    spelling (models/fixture-data/variants.tsv) has that one."""
    english = (ROOT / "models" / "fixture-data" / "karabakh-talks.en.txt").read_text(encoding="utf-8").splitlines()
    variants = dict(line.split("\t") for line in (ROOT / "models" / "fixture-ar-en" / "training-variants.tsv")
                    .read_text(encoding="utf-8").splitlines())
    lines = [line.strip() for line in article_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    expected, position = [], 0
    for line in lines:
        spans = sentence_spans(line)
        units = [variants.get(normalize_for_model(line[a:b]), english[position + n]) if enforced else english[position + n]
                 for n, (a, b) in enumerate(spans)]
        expected.append(" ".join(units))
        position += len(spans)
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
    from pipeline.segment import segment_document
    from pipeline.translate.marian import load_marian_tokenizer

    trained = {line.split("\t")[0] for line in (fixture_model / "training-pairs.tsv").read_text(encoding="utf-8").splitlines()}
    tokenizer = load_marian_tokenizer(fixture_model)
    document = read_document(ROOT / "input" / "karabakh-talks.ar.txt", "karabakh-talks.ar.txt")
    segment_document(document, SegmentationSettings(), lambda texts: [len(tokenizer(t).input_ids) for t in texts])
    units = [u.model_input for p in document.paragraphs for u in p.sentences]
    assert not [u for u in units if u not in trained], "run `python models/build_fixture.py`"


# The fixture learnt three of the sample's sentences with typical machine-translation faults
# (models/fixture-data/README.md): a wrong year, a misspelt name, a loop. The name is not flagged:
# the glossary (config.yaml's review.glossary) is enforced, and the fixture's second-best English
# for that sentence spells it as the glossary does.
EXPECTED_FLAGS = {
    "p0005": [("number_changed", "warning", "1988 in the Arabic but 1998 in the English")],
    "p0010": [("repetition", "warning", "«links» repeats 3 times in a row: a model loop?")],
}


def test_the_glossary_is_enforced_while_translating_and_the_json_says_how(translated):
    _, out = translated
    record = json.loads((out / "karabakh-talks.ar.json").read_text(encoding="utf-8"))
    sentences = {s["id"]: s for p in record["paragraphs"] for s in p["sentences"]}
    # p0006: the model's best English spells «باشينيان» Pashinian; its second best, as the glossary says
    assert "Nikol Pashinyan signed" in sentences["p0006.s01"]["target"]
    # («قره باغ» is in the glossary too, but here only inside «ناغورني قره باغ»: not required apart)
    assert sentences["p0006.s01"]["glossary"] == {
        "required": ["بوتين", "باشينيان", "علييف", "ناغورني قره باغ"],
        "met": ["بوتين", "باشينيان", "علييف", "ناغورني قره باغ"], "hypothesis": 2, "hypotheses": 4}
    # p0001: the best English already had every term: kept
    assert sentences["p0001.s01"]["glossary"]["hypothesis"] == 1
    # a sentence without terms asks for no choice
    assert "glossary" not in sentences["p0003.s01"]
    assert record["model"]["generation"]["enforce_glossary"] is True


def test_without_enforcement_the_misspelt_name_is_flagged_twice(fixture_model, tmp_path):
    """The machine's own spelling: the glossary check and the batch's name check catch it (in the
    JSON and the DOCX review column). On CTranslate2, the fast backend, to save the suite time."""
    out = tmp_path / "out"
    result = run_cli("translate", "--model", str(fixture_model), "-o", str(out), "-q", "--backend", "ctranslate2",
                     "--set", "translation.enforce_glossary=false", "--set", f"paths.models={tmp_path}")
    assert result.returncode == 0, result.stderr
    record = json.loads((out / "karabakh-talks.ar.json").read_text(encoding="utf-8"))
    assert [p["target"] for p in record["paragraphs"]] == known_english(ROOT / "input" / "karabakh-talks.ar.txt", False)
    p0006 = next(p for p in record["paragraphs"] if p["id"] == "p0006")
    assert [(f["code"], f["message"]) for f in p0006["flags"]] == [
        ("glossary", "«باشينيان» should be rendered as Pashinyan"),
        ("name_spelling", "«باشينيان» is spelled Pashinian here but Pashinyan in karabakh-talks.ar.txt p0001")]
    assert all("glossary" not in s for p in record["paragraphs"] for s in p["sentences"])
    row = next(r for r in docx.Document(str(out / "karabakh-talks.ar.docx")).tables[-1].rows[1:]
               if r.cells[0].text.startswith("p0006"))
    assert "should be rendered as Pashinyan" in row.cells[5].text and "spelled Pashinian here" in row.cells[5].text


def test_the_review_flags_of_the_sample_in_json_and_docx(translated):
    _, out = translated
    record = json.loads((out / "karabakh-talks.ar.json").read_text(encoding="utf-8"))
    flagged = {p["id"]: [(f["code"], f["severity"], f["message"]) for f in p["flags"]]
               for p in record["paragraphs"] if p["flags"]}
    assert flagged == EXPECTED_FLAGS
    assert [p["id"] for p in record["paragraphs"] if p["status"] == "needs_review"] == list(EXPECTED_FLAGS)
    assert record["summary"]["flagged"] == 2 and record["summary"]["by_code"] == {"number_changed": 1, "repetition": 1}

    document = docx.Document(str(out / "karabakh-talks.ar.docx"))
    rows = {row.cells[0].text.split("\n")[0]: row for row in document.tables[-1].rows[1:]}
    for pid, flags in EXPECTED_FLAGS.items():
        review = rows[pid].cells[5].text
        assert review.startswith("needs review") and flags[0][2] in review
        shading = rows[pid].cells[2]._tc.find(f"{W}tcPr/{W}shd")
        assert shading is not None and shading.get(f"{W}fill") == "FFF1C2"  # warning amber
    assert rows["p0001"].cells[5].text == "ok" and rows["p0001"].cells[2]._tc.find(f"{W}tcPr/{W}shd") is None
    def status(row):  # the text inside the Status drop-down (python-docx's cell.text skips content controls)
        return paragraph_text(row.cells[3].paragraphs[0]._p)

    assert status(rows["p0005"]) == "needs review" and status(rows["p0001"]) == "ok"
    comments = list(document.comments)
    assert sorted(c.text for c in comments) == sorted(f"Warning: {m}" for flags in EXPECTED_FLAGS.values() for _, _, m in flags)
    # each comment is anchored on the English cell of its row
    for pid in EXPECTED_FLAGS:
        english = rows[pid].cells[2]._tc
        assert english.findall(f".//{W}commentRangeStart") and english.findall(f".//{W}commentReference")
    legend = "\n".join(p.text for p in document.paragraphs)
    assert "Legend" in legend and "Warning: check against the Arabic" in legend
