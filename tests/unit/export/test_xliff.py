"""XLIFF 1.2 out and back in, without a model: the strict OASIS schema, translate-toolkit reading
and writing the files, states both ways, and what an import refuses (the round trip with the
fixture model and the CLI is tests/e2e/test_cat_tools.py)."""

import subprocess
import sys

import pytest
from lxml import etree

from pipeline.config import SegmentationSettings
from pipeline.errors import ReviewImportError
from pipeline.export.record import ArticleRecord, RunInfo
from pipeline.export.xliff import NS, build_xliff, read_xliff, review_status, target_state
from pipeline.ingest import document_from_lines
from pipeline.align import align_document
from pipeline.model import Flag, ParagraphReview
from pipeline.roundtrip import _xliff_defaults, merge_review
from pipeline.segment import segment_document

from ...helpers import validate_xliff

X = {"x": NS}
# Paragraphs of the sample article (input/karabakh-talks.ar.txt): a headline, a two-sentence body, a source line.
HEADLINE = "بوتين وباشينيان يبحثان تنفيذ الاتفاقات بشأن قره باغ"
BODY = "وقال باشينيان إن المحادثات كانت صعبة. وأضاف أن الجانبين اتفقا على مواصلة الحوار."
CREDIT = "المصدر: تاس"
ENGLISH = {HEADLINE: "Putin and Pashinyan discuss the Karabakh agreements",
           "وقال باشينيان إن المحادثات كانت صعبة.": "Pashinyan said the talks were hard.",
           "وأضاف أن الجانبين اتفقا على مواصلة الحوار.": "He added that both sides agreed to keep talking.",
           CREDIT: "Source: TASS"}


def article() -> ArticleRecord:
    document = segment_document(document_from_lines([HEADLINE, BODY, CREDIT], "world/karabakh.txt"),
                                SegmentationSettings())
    document.source_sha256 = "3814ed353047b4d5467738cab5bbc784bb3b9c7eec5f8de5e3a1b996ca40d7b6"
    for paragraph in document.paragraphs:
        for unit in paragraph.sentences:
            unit.target, unit.origin = ENGLISH[unit.source], "model"
    align_document(document)
    document.paragraphs[1].flags.append(Flag("number_changed", "warning", "1988 in the Arabic but 1998 in the English"))
    document.paragraphs[1].status = "needs_review"
    run = RunInfo("models/fixture-ar-en", "sha256:" + "0" * 64, "transformers",
                  {"num_beams": 4, "max_new_tokens_ratio": 2.0, "max_new_tokens": 512})
    return ArticleRecord(document, run, "2023-11-14T22:13:20Z")


def units(data: bytes):
    return etree.fromstring(data).findall(".//x:trans-unit", X)


def test_one_file_per_article_and_one_unit_per_paragraph_valid_against_the_strict_schema():
    record = article()
    data = build_xliff(record)
    validate_xliff(data)
    root = etree.fromstring(data)
    [file] = root.findall("x:file", X)
    assert (file.get("original"), file.get("source-language"), file.get("target-language"), file.get("datatype")) == \
        ("world/karabakh.txt", "ar", "en", "plaintext")
    assert [u.get("id") for u in units(data)] == ["p0001", "p0002", "p0003"]
    assert [u.get("restype") for u in units(data)] == ["x-headline", "x-body", "x-source"]
    body = units(data)[1]
    # The Arabic exactly as written, and the sentences as segments that add up to it.
    assert body.find("x:source", X).text == BODY
    marks = body.findall("x:seg-source/x:mrk", X)
    assert [(m.get("mtype"), m.get("mid"), m.text) for m in marks] == [
        ("seg", "p0002-s01", "وقال باشينيان إن المحادثات كانت صعبة."),
        ("seg", "p0002-s02", "وأضاف أن الجانبين اتفقا على مواصلة الحوار.")]
    assert "".join(body.find("x:seg-source", X).itertext()) == BODY
    target = body.find("x:target", X)
    # The English in the same segments (mids), adding up to the paragraph's English.
    assert [(m.get("mtype"), m.get("mid"), m.text) for m in target.findall("x:mrk", X)] == [
        ("seg", "p0002-s01", "Pashinyan said the talks were hard."),
        ("seg", "p0002-s02", "He added that both sides agreed to keep talking.")]
    assert "".join(target.itertext()) == "Pashinyan said the talks were hard. He added that both sides agreed to keep talking."
    assert (target.get("state"), target.get("state-qualifier")) == ("needs-review-translation", "mt-suggestion")
    [note] = body.findall("x:note", X)
    assert (note.get("from"), note.get("priority"), note.text) == (
        "tarjama", "2", "warning number_changed: 1988 in the Arabic but 1998 in the English")


@pytest.mark.parametrize("review, state, qualifier, back", [
    (None, "needs-review-translation", "mt-suggestion", None),
    (ParagraphReview("approved"), "final", None, "approved"),
    (ParagraphReview("approved", editor_target="Putin and Pashinyan talk Karabakh"), "final", None, "approved"),
    (ParagraphReview("rejected"), "needs-translation", "rejected-inaccurate", "rejected"),
    (ParagraphReview("needs_review", editor_target="A draft"), "translated", None, None),
    # an editor emptied the English: no English, as the machine's would be (not "translated")
    (ParagraphReview("needs_review", editor_target=""), "needs-translation", None, None),
])
def test_states_map_both_ways(review, state, qualifier, back):
    record = article()
    record.document.paragraphs[0].review = review
    data = build_xliff(record)
    validate_xliff(data)
    target = units(data)[0].find("x:target", X)
    assert (target.get("state"), target.get("state-qualifier")) == (state, qualifier)
    assert target_state(record.document.paragraphs[0]) == (state, qualifier)
    assert review_status(state, qualifier) == back
    assert (units(data)[0].get("approved") == "yes") == (state == "final")
    if review is not None and review.editor_target:
        assert target.text == review.editor_target and not len(target)  # an editor's English: one piece


def test_signed_off_is_an_approval_and_a_cat_tools_translated_is_not():
    assert review_status("signed-off", None) == "approved"
    assert review_status("translated", None) is None
    assert review_status("needs-review-translation", "rejected-grammar") == "rejected"


def test_the_approved_attribute_approves_and_takes_an_approval_back():
    # translate-toolkit's markapproved(True) sets approved="yes" and leaves the state as it was.
    assert review_status("needs-review-translation", "mt-suggestion", "yes") == "approved"
    assert review_status("translated", None, "yes") == "approved"
    # markapproved(False) on a unit exported as final: approved="no", the state still final.
    assert review_status("final", None, "no") is None
    assert review_status("final", "rejected-inaccurate", "yes") == "rejected"
    assert review_status("final", None, None) == "approved"


def write(tmp_path, record, edit=lambda root: None):
    root = etree.fromstring(build_xliff(record))
    edit(root)
    path = tmp_path / "karabakh.xlf"
    path.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    return path


def test_translate_toolkit_reads_it_edits_it_and_the_edit_comes_back(tmp_path):
    from translate.storage import xliff

    record = article()
    path = write(tmp_path, record)
    store = xliff.xlifffile.parsefile(str(path))
    assert [u.source for u in store.units] == [HEADLINE, BODY, CREDIT]
    assert store.units[2].target == "Source: TASS"
    unit = store.units[1]
    unit.target = "Pashinyan said the talks had been difficult. Both sides agreed to keep talking."
    unit.set_state_n(xliff.xliffunit.statemap["final"])
    unit.addnote("Smoother.", origin="translator")
    store.savefile(str(path))
    validate_xliff(path.read_bytes())  # still strict XLIFF after translate-toolkit wrote it
    # translate-toolkit writes the new English in front of the old segments (its way; see _target_text)
    edited = etree.fromstring(path.read_bytes()).findall(".//x:trans-unit", X)[1].find("x:target", X)
    assert edited.text.startswith("Pashinyan said the talks had been") and len(edited.findall("x:mrk", X)) == 2
    merged = merge_review(_xliff_defaults(read_xliff(path), record), record)
    reviews = {p.id: p.review for p in merged.document.paragraphs}
    assert reviews["p0002"].status == "approved"
    assert reviews["p0002"].editor_target == "Pashinyan said the talks had been difficult. Both sides agreed to keep talking."
    assert reviews["p0002"].note == "Smoother."
    assert reviews["p0001"].status == "ok" and reviews["p0001"].editor_target is None  # untouched: the checks' status
    assert merged.review_import["counts"] == {"ok": 2, "needs_review": 0, "approved": 1, "rejected": 0}


def test_a_cat_tool_that_edits_the_segments_in_place_is_read_as_it_wrote_them(tmp_path):
    record = article()

    def edit_second_segment(root):
        target = root.findall(".//x:trans-unit", X)[1].find("x:target", X)
        target.findall("x:mrk", X)[1].text = "Both sides agreed to keep talking."
        target.set("state", "final")

    merged = merge_review(_xliff_defaults(read_xliff(write(tmp_path, record, edit_second_segment)), record), record)
    review = merged.document.paragraphs[1].review
    assert review.status == "approved"
    assert review.editor_target == "Pashinyan said the talks were hard. Both sides agreed to keep talking."


@pytest.mark.parametrize("emptied, english", [
    (0, "He added that both sides agreed on the talks."),
    (1, "Pashinyan said the talks were hard."),
])
def test_a_segment_left_empty_leaves_no_space_at_either_end(tmp_path, emptied, english):
    from pipeline.roundtrip import approved_entries

    record = article()

    def edit(root):
        target = root.findall(".//x:trans-unit", X)[1].find("x:target", X)
        marks = target.findall("x:mrk", X)
        marks[1].text = "He added that both sides agreed on the talks."
        marks[emptied].text = None
        target.set("state", "final")

    merged = merge_review(_xliff_defaults(read_xliff(write(tmp_path, record, edit)), record), record)
    assert merged.document.paragraphs[1].review.editor_target == english
    assert [target for level, _, target, _ in approved_entries(merged) if level == "paragraph"] == [english]


def test_inline_codes_are_markup_left_out_and_a_coded_line_break_is_a_newline(tmp_path):
    # A target as Okapi (codes mode) and Trados write them: paired codes <bpt>/<ept> and an
    # isolated <it> around bold / italic, <ph> and <x/> for a line break, a <ph> placeholder,
    # and <g> wrapping text. The codes' content is the original's markup, never English.
    record = article()
    target = (f'<target xmlns="{NS}" xml:lang="en" state="translated">Pashinyan said the '
              '<bpt id="1" ctype="bold">&lt;b&gt;</bpt>talks<ept id="1">&lt;/b&gt;</ept> were '
              '<it id="2" pos="open" ctype="italic">&lt;i&gt;</it>hard.<ph id="3" ctype="lb">&lt;br/&gt;</ph>'
              'He added that <g id="4" ctype="bold">both sides</g> agreed<ph id="5">&lt;br /&gt;</ph>'
              'to keep talking<ph id="6">{1}</ph>.<x id="7" ctype="lb"/>Moscow</target>')

    def edit(root):
        unit = root.findall(".//x:trans-unit", X)[1]
        unit.replace(unit.find("x:target", X), etree.fromstring(target))

    path = write(tmp_path, record, edit)
    validate_xliff(path.read_bytes())  # strict XLIFF 1.2, codes and all
    [row] = [r for r in read_xliff(path).rows if r.id == "p0002"]
    assert row.english == ("Pashinyan said the talks were hard.\nHe added that both sides agreed\n"
                           "to keep talking.\nMoscow")
    merged = merge_review(_xliff_defaults(read_xliff(path), record), record)
    assert merged.document.paragraphs[1].review.editor_target == row.english


def test_pofilter_runs_on_it_and_finds_a_planted_fault(tmp_path):
    record = article()
    record.document.paragraphs[0].target = "Putin and and Pashinyan discuss the Karabakh agreements"
    path = write(tmp_path, record)
    result = subprocess.run([sys.executable, "-m", "translate.filters.pofilter", "--test=doublewords", str(path),
                             str(tmp_path / "out.xlf")], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    # pofilter writes out the units that fail its tests (as XLIFF 1.1), with its finding as a note.
    failing = etree.parse(str(tmp_path / "out.xlf")).xpath("//*[local-name()='trans-unit']")
    assert [u.get("id") for u in failing] == ["p0001"]
    notes = failing[0].xpath("*[local-name()='note'][@from='pofilter']/text()")
    assert notes == ["doublewords: The word 'and' is repeated"]


def test_a_target_left_as_the_arabic_is_no_translation_and_keeps_the_records_english(tmp_path):
    """A CAT tool that writes the source into an untranslated target (OmegaT's own XLIFF filter
    does for every segment nobody translated; "copy source to target" elsewhere) has not made the
    Arabic the editor's English. An approval of it is still read as written (a "confirm all" over
    untranslated segments): English that is the Arabic, which holds the article back."""
    import unicodedata

    record = article()

    def edit(root):
        body_units = root.findall(".//x:trans-unit", X)
        for unit, approve in ((body_units[1], False), (body_units[2], True)):
            target = unit.find("x:target", X)
            for mark in list(target):
                target.remove(mark)
            # as a tool saves it: composed (NFC), with the spaces a tool may leave around it
            target.text = " " + unicodedata.normalize("NFC", unit.find("x:source", X).text) + "\n"
            if approve:
                target.set("state", "final")

    rows = {r.id: r for r in read_xliff(write(tmp_path, record, edit)).rows}
    assert rows["p0002"].english is None and rows["p0003"].english.strip() == CREDIT
    merged = merge_review(_xliff_defaults(read_xliff(tmp_path / "karabakh.xlf"), record), record)
    reviews = {p.id: p.review for p in merged.document.paragraphs}
    assert reviews["p0002"].editor_target is None and reviews["p0002"].status == "needs_review"
    assert reviews["p0003"].status == "approved" and reviews["p0003"].editor_target.strip() == CREDIT
    assert set(merged.review_import["history"][-1]["rows"]) == {"p0003"}


@pytest.mark.parametrize("untranslated", ["no target", "the Arabic"])
def test_a_unit_left_untranslated_keeps_the_editors_english_not_the_machines(tmp_path, untranslated):
    """The record's English of a unit without a <target> (or with the Arabic in it) is the one the
    export showed: an editor's approved English stays theirs, never the machine's under it."""
    record = article()
    record.document.paragraphs[0].review = ParagraphReview("approved", editor_target="Putin and Pashinyan talk Karabakh")

    def edit(root):
        unit = root.findall(".//x:trans-unit", X)[0]
        target = unit.find("x:target", X)
        if untranslated == "no target":
            unit.remove(target)
        else:
            target.text, target.attrib["state"] = unit.find("x:source", X).text, "needs-translation"
            unit.attrib.pop("approved")

    merged = merge_review(_xliff_defaults(read_xliff(write(tmp_path, record, edit)), record), record)
    review = merged.document.paragraphs[0].review
    assert review.editor_target == "Putin and Pashinyan talk Karabakh"
    assert review.status == ("approved" if untranslated == "no target" else "ok")  # the file took it back


def test_a_source_without_arabic_may_be_its_own_english():
    from pipeline.export.xliff import _still_the_arabic

    assert not _still_the_arabic("2021", "2021") and not _still_the_arabic("TASS", "TASS")
    assert _still_the_arabic("المصدر: تاس ", "المصدر: تاس") and not _still_the_arabic("Source: TASS", "المصدر: تاس")


def test_copy_source_puts_the_arabic_in_every_target_for_omegats_own_filter(tmp_path):
    """`export-xliff --copy-source`: OmegaT's built-in XLIFF filter translates the text of
    <target> (the <source> is left alone), so the target holds the Arabic, in one piece, as
    needing translation; approvals and rejections, which the state cannot carry, are notes. Read
    back untouched, it changes nothing, and a new export may replace it."""
    from pipeline.export.xliff import COPY_SOURCE_NOTE
    from pipeline.roundtrip import unimported_xliff

    record = article()
    headline, body, credit = record.document.paragraphs
    headline.review = ParagraphReview("approved", editor_target="Putin and Pashinyan talk Karabakh")
    credit.review = ParagraphReview("rejected", note="The agency is Tass.")
    data = build_xliff(record, copy_source=True)
    validate_xliff(data)
    for unit, paragraph in zip(units(data), record.document.paragraphs):
        target = unit.find("x:target", X)
        assert target.text == paragraph.source and not len(target) and unit.find("x:seg-source", X) is None
        assert (target.get("state"), target.get("state-qualifier"), unit.get("approved")) == ("needs-translation", None, None)
    assert COPY_SOURCE_NOTE in [n.text for n in etree.fromstring(data).findall(".//x:header/x:note", X)]
    notes = [[(n.get("from"), n.text) for n in unit.findall("x:note", X)] for unit in units(data)]
    assert notes[0] == [("tarjama", "approved by an editor: its English is the editor's (in the TMX of `tarjama export-tmx`)")]
    assert notes[1] == [("tarjama", "warning number_changed: 1988 in the Arabic but 1998 in the English")]
    assert notes[2] == [("tarjama", "rejected by an editor"), ("editor", "The agency is Tass.")]

    path = tmp_path / "karabakh.xlf"
    path.write_bytes(data)
    assert unimported_xliff(path, record, build_xliff(record)) is None  # no work in it: replaced
    merged = merge_review(_xliff_defaults(read_xliff(path), record), record)
    reviews = {p.id: p.review for p in merged.document.paragraphs}
    assert (reviews["p0001"].status, reviews["p0001"].editor_target) == ("approved", "Putin and Pashinyan talk Karabakh")
    assert reviews["p0002"].editor_target is None and (reviews["p0003"].status, reviews["p0003"].note) == (
        "rejected", "The agency is Tass.")
    assert merged.review_import["history"][-1]["rows"] == {} and merged.review_import["kept"] == []

    # OmegaT's filter writes no state: a segment translated comes back as a draft; a paragraph
    # approved or rejected before stays so (the state could not say it, the record does) — over
    # the English it was given for: a translator's new English is a draft, not approved (a code
    # review found the approval carried over to English nobody approved, and published).
    def translate(root, headline="Putin and Pashinyan talk Karabakh"):
        for unit, english in zip(root.findall(".//x:trans-unit", X), (headline,
                                                                       "Pashinyan said the talks had been hard.",
                                                                       "Source: Tass")):
            unit.find("x:target", X).text = english

    root = etree.fromstring(data)
    translate(root)
    path.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    assert unimported_xliff(path, record, build_xliff(record)) is not None  # the translator's work: kept
    merged = merge_review(_xliff_defaults(read_xliff(path), record), record)
    reviews = {p.id: p.review for p in merged.document.paragraphs}
    assert (reviews["p0001"].status, reviews["p0001"].editor_target) == ("approved", "Putin and Pashinyan talk Karabakh")
    assert (reviews["p0002"].status, reviews["p0002"].editor_target) == ("needs_review", "Pashinyan said the talks had been hard.")
    assert (reviews["p0003"].status, reviews["p0003"].editor_target) == ("ok", "Source: Tass")  # answered: a draft
    assert merged.review_import["kept"] == []
    root = etree.fromstring(data)
    translate(root, headline="Putin and Pashinyan discuss the Karabakh deal")
    path.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    merged = merge_review(_xliff_defaults(read_xliff(path), record), record)
    headline_review = merged.document.paragraphs[0].review
    assert (headline_review.status, headline_review.editor_target) == ("ok", "Putin and Pashinyan discuss the Karabakh deal")


@pytest.mark.parametrize("edit, problem", [
    (lambda root: setattr(root.find(".//x:trans-unit/x:source", X), "text", "بوتين يبحث"),
     "p0001 (unit 1): the Arabic was edited"),
    (lambda root: root.find(".//x:body", X).remove(root.findall(".//x:trans-unit", X)[2]), "units deleted: p0003"),
    (lambda root: root.findall(".//x:trans-unit", X)[2].set("id", "p0099"), "unit 3: id «p0099» does not belong"),
])
def test_edited_arabic_missing_or_foreign_units_are_refused_in_one_error(tmp_path, edit, problem):
    record = article()
    path = write(tmp_path, record, edit)
    with pytest.raises(ReviewImportError) as caught:
        merge_review(_xliff_defaults(read_xliff(path), record), record)
    assert problem in str(caught.value) and "nothing was written" in str(caught.value)
    assert "\n" not in str(caught.value)


def test_all_problems_are_named_together(tmp_path):
    def edit(root):
        body_units = root.findall(".//x:trans-unit", X)
        body_units[0].find("x:source", X).text = "عنوان آخر"
        body_units[2].set("id", "p0042")

    record = article()
    with pytest.raises(ReviewImportError) as caught:
        merge_review(_xliff_defaults(read_xliff(write(tmp_path, record, edit)), record), record)
    message = str(caught.value)
    assert "the Arabic was edited" in message and "p0042" in message and "units deleted: p0003" in message


def test_the_xliff_of_another_article_is_refused(tmp_path):
    record = article()
    path = write(tmp_path, record)
    record.document.source_sha256 = "f" * 64
    with pytest.raises(ReviewImportError, match="this is the review of world/karabakh.txt"):
        merge_review(_xliff_defaults(read_xliff(path), record), record)


@pytest.mark.parametrize("content, message", [
    (b"<tmx version='1.4'><body/></tmx>", "not an XLIFF 1.2 file"),
    (b'<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="ar"/>',
     "an XLIFF 2.0 file; Tarjama exchanges XLIFF 1.2 (what `export-xliff` wrote): save it from the CAT tool as XLIFF 1.2"),
    (b"<xliff", "not well-formed XML"),
    (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
     b'<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2">&e;</xliff>', "declares XML entities"),
])
def test_what_is_not_an_xliff_is_one_line_naming_the_file(tmp_path, content, message):
    path = tmp_path / "bad.xlf"
    path.write_bytes(content)
    with pytest.raises(ReviewImportError) as caught:
        read_xliff(path)
    assert message in str(caught.value) and "bad.xlf" in str(caught.value) and "\n" not in str(caught.value)
