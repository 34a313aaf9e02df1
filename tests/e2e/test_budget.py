"""The token budget on a 5,000-word single-paragraph article, counted by the model's own tokenizer."""

import json
import re

import pytest

from pipeline.config import SegmentationSettings
from pipeline.align import align_document
from pipeline.ingest import read_document
from pipeline.segment import segment_document
from pipeline.translate.base import GenerationOptions, Translation
from pipeline.translate.marian import TokenCounter, load_marian_tokenizer
from pipeline.translate.stage import translate_documents

from ..helpers import SAMPLE_ARTICLE, assert_nothing_lost, run_cli

pytestmark = pytest.mark.model

BUDGET = 200


def enormous_paragraph(words: int = 5000) -> str:
    """One paragraph with no sentence end: the sample article's clauses chained by commas."""
    clauses = [re.sub(r"[.!?؟]", "", line).strip() for line in SAMPLE_ARTICLE.read_text(encoding="utf-8").splitlines()]
    text, count, i = [], 0, 0
    while count < words:
        clause = clauses[i % len(clauses)]
        text.append(clause)
        count += len(clause.split())
        i += 1
    return "، ".join(text)


class NumberingTranslator:
    """A test double: "translates" unit k as `[k]`, so the joined English shows the order."""

    backend, fingerprint, name = "test-double", "sha256:" + "0" * 64, "numbering"
    options = GenerationOptions.from_settings()

    def __init__(self, count_tokens):
        self.count_tokens = count_tokens
        self.seen: list[str] = []

    def translate(self, texts):
        self.seen.extend(texts)
        return [Translation(f"[{self.seen.index(t)}]", score=-0.1, tokens=3) for t in texts]


def test_every_unit_fits_nothing_is_lost_and_the_english_keeps_the_order(tmp_path, fixture_model):
    article = tmp_path / "long.txt"
    article.write_text(enormous_paragraph(), encoding="utf-8")
    counter = TokenCounter(load_marian_tokenizer(fixture_model))
    document = read_document(article, "long.txt")
    assert len(document.paragraphs) == 1 and len(document.paragraphs[0].source.split()) >= 5000
    segment_document(document, SegmentationSettings(max_unit_tokens=BUDGET), counter)
    units = document.paragraphs[0].sentences
    assert len(units) > 20
    assert all(tokens <= BUDGET for tokens in counter([u.model_input for u in units]))
    assert all(u.budget_split for u in units)
    # nothing lost: the units are the paragraph, in order, cut only where a comma or space was
    assert " ".join(u.source for u in units) == document.paragraphs[0].source
    translator = NumberingTranslator(counter)
    translate_documents([document], translator)
    align_document(document)
    order = [translator.seen.index(u.model_input) for u in units]
    assert document.paragraphs[0].target == " ".join(f"[{k}]" for k in order)


def test_the_batch_job_on_a_5000_word_paragraph_with_the_model(tmp_path, fixture_model):
    source = tmp_path / "in" / "long.txt"
    source.parent.mkdir()
    source.write_text(enormous_paragraph(), encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("translate", str(source.parent), "-o", str(out), "--model", str(fixture_model), "-q",
                     "--set", "translation.num_beams=1", "--set", "translation.max_new_tokens=24")
    assert result.returncode == 0, result.stderr
    record = assert_nothing_lost(source, out / "long.json", out / "long.docx")
    sentences = record["paragraphs"][0]["sentences"]
    assert all(s["source_tokens"] <= BUDGET and s["budget_split"] for s in sentences)
    assert [s["target_span"][0] for s in sentences] == sorted(s["target_span"][0] for s in sentences)
    assert "budget_split" in [f["code"] for f in record["paragraphs"][0]["flags"]]
    report = json.loads((out / "_batch.json").read_text(encoding="utf-8"))
    assert report["totals"]["done"] == 1
