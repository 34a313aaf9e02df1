"""The editor's approved English into memory rows (roundtrip.approved_entries), without a model."""

from pipeline.config import SegmentationSettings
from pipeline.export.record import ArticleRecord, RunInfo
from pipeline.ingest import document_from_lines
from pipeline.model import ParagraphReview
from pipeline.roundtrip import approved_entries
from pipeline.segment import segment_document

# Two sentences of the sample article (input/karabakh-talks.ar.txt).
TWO_SENTENCES = ("وقال باشينيان إن المحادثات كانت صعبة. "
                 "وأضاف أن الجانبين اتفقا على مواصلة الحوار.")


def test_each_approved_sentence_goes_into_the_memory_as_the_editor_typed_it():
    document = segment_document(document_from_lines([TWO_SENTENCES], "a.txt"), SegmentationSettings())
    [paragraph] = document.paragraphs
    assert len(paragraph.sentences) == 2
    for unit in paragraph.sentences:
        unit.origin = "model"
    paragraph.target = "machine English"
    paragraph.review = ParagraphReview(status="approved",
                                       editor_target="Pashinyan said the talks were hard. He added that both sides agreed to keep talking.")
    entries = approved_entries(ArticleRecord(document, RunInfo("m", "f", "b", {}), ""))
    # End punctuation included: the memory serves it back verbatim in other articles.
    assert [target for level, _, target, _ in entries if level == "unit"] == [
        "Pashinyan said the talks were hard.", "He added that both sides agreed to keep talking."]
    assert [target for level, _, target, _ in entries if level == "paragraph"] == [paragraph.review.editor_target]


def test_an_unapproved_paragraph_gives_no_memory_rows():
    document = segment_document(document_from_lines([TWO_SENTENCES], "a.txt"), SegmentationSettings())
    document.paragraphs[0].review = ParagraphReview(status="needs_review", editor_target="Draft.")
    assert approved_entries(ArticleRecord(document, RunInfo("m", "f", "b", {}), "")) == []
