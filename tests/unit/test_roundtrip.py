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


def test_a_review_follows_its_arabic_and_a_review_whose_arabic_is_gone_is_kept_apart():
    from pipeline.roundtrip import carry_reviews

    first, second = "وقال باشينيان إن المحادثات كانت صعبة.", "وأضاف أن الجانبين اتفقا على مواصلة الحوار."
    before = segment_document(document_from_lines([first, second], "a.txt"), SegmentationSettings())
    before.paragraphs[0].review = ParagraphReview(status="approved", editor_target="Pashinyan said the talks were hard.")
    before.paragraphs[1].review = ParagraphReview(status="rejected", note="Retranslate.")
    previous = ArticleRecord(before, RunInfo("m", "f", "b", {}), "")
    # The desk inserted a paragraph at the top and rewrote the second one.
    after = segment_document(document_from_lines(["عاجل", first, "وأضاف أن الجانبين اتفقا."], "a.txt"), SegmentationSettings())
    orphans = carry_reviews(after, previous)
    assert after.paragraphs[0].review is None
    assert after.paragraphs[1].review.editor_target == "Pashinyan said the talks were hard."   # p0001 → p0002
    assert after.paragraphs[2].review is None
    assert [(o["paragraph"], o["source"], o["review"]["note"]) for o in orphans] == [("p0002", second, "Retranslate.")]


def test_a_review_document_may_be_replaced_only_when_its_work_is_in_the_record(tmp_path):
    import hashlib

    from pipeline.batch import BatchRunner
    from pipeline.config import load_settings
    from pipeline.export.record import read_record
    from pipeline.folders import discover
    from pipeline.roundtrip import unimported_edits

    from ..helpers import SAMPLE_ARTICLE, DictionaryTranslator  # a test double for the model

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_bytes(SAMPLE_ARTICLE.read_bytes())
    (tmp_path / "config.yaml").write_text("", encoding="utf-8")
    BatchRunner(load_settings(tmp_path / "config.yaml"), DictionaryTranslator(), tmp_path / "out").run(*discover([tmp_path / "in"]))
    docx_path, record = tmp_path / "out" / "a.docx", read_record(tmp_path / "out" / "a.json")
    assert record.docx_sha256 == hashlib.sha256(docx_path.read_bytes()).hexdigest()
    assert unimported_edits(docx_path, record) is None                      # as Tarjama wrote it
    docx_path.write_bytes(docx_path.read_bytes() + b"\0")                  # any change at all
    assert unimported_edits(docx_path, record).startswith("a.docx was changed after Tarjama wrote it")
    record.review_import = {"sha256": hashlib.sha256(docx_path.read_bytes()).hexdigest()}
    assert unimported_edits(docx_path, record) is None                      # its review was imported
    assert unimported_edits(tmp_path / "none.docx", record) is None         # nothing to lose
