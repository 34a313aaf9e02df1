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


# Shadda typed before fatha (keyboard order; NFC puts fatha first) and alef + combining hamza
# above (NFC: «أ»): the same text to a reader, other code points after a tool saves it in NFC.
NOT_NFC = ["قال محم\u0651\u064eد إن الاجتماع انتهى.", "وصل الر\u0627\u0654يس إلى القاهرة."]


def _translated_not_nfc(tmp_path):
    import unicodedata

    from pipeline.batch import BatchRunner
    from pipeline.config import load_settings
    from pipeline.folders import discover

    from ..helpers import DictionaryTranslator

    assert all(unicodedata.normalize("NFC", line) != line for line in NOT_NFC)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("\n".join(NOT_NFC) + "\n", encoding="utf-8")
    config = tmp_path / "config.yaml"
    config.write_text("", encoding="utf-8")
    BatchRunner(load_settings(config), DictionaryTranslator(), tmp_path / "out").run(*discover([tmp_path / "in"]))
    return tmp_path / "out"


def test_arabic_a_cat_tool_saved_in_nfc_is_not_edited_arabic(tmp_path):
    import unicodedata

    import pytest

    from pipeline.errors import ReviewImportError
    from pipeline.export.record import read_record
    from pipeline.export.xliff import export_xliff
    from pipeline.roundtrip import import_review

    out = _translated_not_nfc(tmp_path)
    export_xliff(out, out)
    path = out / "a.xlf"
    text = path.read_text(encoding="utf-8").replace("An English sentence.", "Muhammad said the meeting was over.", 1)
    path.write_text(unicodedata.normalize("NFC", text), encoding="utf-8")
    import_review(path)
    record = read_record(out / "a.json")
    assert [p.source for p in record.document.paragraphs] == NOT_NFC  # the record's Arabic as it was
    assert record.document.paragraphs[0].review.editor_target == "Muhammad said the meeting was over."
    # a real edit is still refused
    path.write_text(unicodedata.normalize("NFC", text).replace("القاهرة", "دمشق"), encoding="utf-8")
    with pytest.raises(ReviewImportError, match="p0002 \\(unit 2\\): the Arabic was edited"):
        import_review(path)


def test_arabic_a_word_processor_saved_in_nfc_is_not_edited_arabic(tmp_path):
    import unicodedata

    from pipeline.export.record import read_record
    from pipeline.roundtrip import import_review

    from ..editor import Editor

    out = _translated_not_nfc(tmp_path)
    editor = Editor(out / "a.docx")
    for pid, arabic in zip(["p0001", "p0002"], NOT_NFC):
        editor.set_arabic(pid, unicodedata.normalize("NFC", arabic))
    editor.set_english("p0002", "The president arrived in Cairo.")
    import_review(editor.save(out / "a.docx"))
    record = read_record(out / "a.json")
    assert [p.source for p in record.document.paragraphs] == NOT_NFC
    assert record.document.paragraphs[1].review.editor_target == "The president arrived in Cairo."


def _reviewed_pair(statuses, reviews):
    """Two paragraphs of the sample article with these checks statuses and reviews, as a record."""
    first, second = "وقال باشينيان إن المحادثات كانت صعبة.", "وأضاف أن الجانبين اتفقا على مواصلة الحوار."
    document = segment_document(document_from_lines([first, second], "a.txt"), SegmentationSettings())
    for paragraph, status, review in zip(document.paragraphs, statuses, reviews):
        paragraph.status, paragraph.review = status, review
    return document


def test_a_status_left_as_the_checks_gave_it_follows_the_new_checks():
    from pipeline.roundtrip import carry_reviews

    # As an import records rows the editor left alone: the status each row showed, here with a note.
    before = _reviewed_pair(["ok", "needs_review"], [ParagraphReview(status="ok", note="Check the date.", status_from_checks=True),
                                                     ParagraphReview(status="needs_review", status_from_checks=True)])
    previous = ArticleRecord(before, RunInfo("m", "f", "b", {}), "")
    after = _reviewed_pair(["needs_review", "ok"], [None, None])   # a new glossary term flags p0001; p0002 cleared
    assert carry_reviews(after, previous) == []
    assert [p.review.status for p in after.paragraphs] == ["needs_review", "ok"]
    assert after.paragraphs[0].review.note == "Check the date."
    # the previous record's reviews are not changed (copies were carried)
    assert [p.review.status for p in before.paragraphs] == ["ok", "needs_review"]
    assert all(a.review is not b.review for a, b in zip(after.paragraphs, before.paragraphs))


def test_a_status_the_editor_chose_is_carried_as_chosen():
    from pipeline.roundtrip import carry_reviews

    # p0001: "needs review" picked on an ok row; p0002: "ok" picked on a flagged row (an import
    # records them as the editor's: status_from_checks false).
    previous = ArticleRecord(_reviewed_pair(["ok", "needs_review"], [ParagraphReview(status="needs_review"),
                                                                    ParagraphReview(status="ok")]),
                             RunInfo("m", "f", "b", {}), "")
    for statuses in (["ok", "needs_review"], ["needs_review", "ok"]):
        after = _reviewed_pair(statuses, [None, None])
        carry_reviews(after, previous)
        assert [p.review.status for p in after.paragraphs] == ["needs_review", "ok"]
        assert after.paragraphs[0].review is not previous.document.paragraphs[0].review   # a copy
    # approved, rejected, and a draft's status (checked after the carry) stay as they were
    previous = ArticleRecord(_reviewed_pair(["ok", "ok"], [ParagraphReview(status="approved"),
                                                          ParagraphReview(status="ok", editor_target="The sides agreed.")]),
                             RunInfo("m", "f", "b", {}), "")
    after = _reviewed_pair(["needs_review", "needs_review"], [None, None])
    carry_reviews(after, previous)
    assert [p.review.status for p in after.paragraphs] == ["approved", "ok"]
    assert after.paragraphs[1].review.editor_target == "The sides agreed."


def test_an_editors_needs_review_stays_after_the_checks_agree_with_it_and_clear_again():
    """A tester's run: "needs review" picked on an ok row; a glossary term then flagged the row, and
    the next run without it cleared it — the row said "ok": the editor's choice, lost once it
    equalled the checks' word."""
    from pipeline.roundtrip import carry_reviews

    record = ArticleRecord(_reviewed_pair(["ok", "ok"], [ParagraphReview(status="needs_review"), None]),
                           RunInfo("m", "f", "b", {}), "")
    for checks in (["needs_review", "ok"], ["ok", "ok"]):  # the glossary run, then the run without it
        after = _reviewed_pair(checks, [None, None])
        carry_reviews(after, record)
        assert after.paragraphs[0].review.status == "needs_review"
        assert not after.paragraphs[0].review.status_from_checks
        record = ArticleRecord(after, RunInfo("m", "f", "b", {}), "")
