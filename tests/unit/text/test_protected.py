"""URLs, e-mails, handles, hashtags and emoji: placeholders for the model, the text as written in the English."""

import json

import pytest

from pipeline.config import SegmentationSettings
from pipeline.align import align_document
from pipeline.model import Document, Paragraph
from pipeline.text.protected import hide, restore, with_placeholders, protected_spans
from pipeline.checks import Checker, check_document
from pipeline.segment import segment_document
from pipeline.translate.stage import translate_documents

from ...helpers import DATA, FIXTURE_MODEL, DictionaryTranslator

# A real NTREX-128 line (dailymail.co.uk.298732, paragraph 9): a police appeal with a Twitter handle.
NTREX_APPEAL = next(line for line in (DATA / "ntrex-dev" / "ntrex.dev.ar").read_text(encoding="utf-8").splitlines()
                    if "@MerPolCC" in line)
# The shape held-out news had: an address in brackets inside a sentence, and a site after it.
CONTACT = "للاستفسار يرجى التواصل على البريد الإلكتروني (info@example.org) أو زيارة موقعنا www.example.org للمزيد."


def segmented(*lines: str) -> Document:
    document = Document("a.txt", "a.txt", "", "txt",
                        [Paragraph(f"p{i:04d}", i, line) for i, line in enumerate(lines, start=1)])
    return segment_document(document, SegmentationSettings())


@pytest.mark.parametrize("line, pieces, model_input", [
    (CONTACT, ["info@example.org", "www.example.org"],
     "للاستفسار يرجى التواصل على البريد الإلكتروني (ZQ1) أو زيارة موقعنا ZQ2 للمزيد."),
    (NTREX_APPEAL, ["@MerPolCC"], None),
    ("راسلونا علىinfo@example.org اليوم", ["info@example.org"], "راسلونا على ZQ1 اليوم"),
    # an address without its scheme or www, a known top-level domain (a newsroom trial's)
    ("وأعلنت الشركة على مدونتها about.fb.com أن الخدمة عادت، وتابعوا bbc.co.uk/arabic للمزيد.",
     ["about.fb.com", "bbc.co.uk/arabic"], "وأعلنت الشركة على مدونتها ZQ1 أن الخدمة عادت، وتابعوا ZQ2 للمزيد."),
    ("قال مسؤولون في U.S. إن النسبة 3.5 بالمئة", [], None),     # no address in an acronym or a number
])
def test_a_sentence_with_protected_text_stays_one_unit(line, pieces, model_input):
    [unit] = segmented(line).paragraphs[0].sentences       # before: cut into pieces around each address
    assert unit.source == line.strip() and unit.protected == pieces and not unit.verbatim
    assert all(piece not in unit.model_input for piece in pieces)
    assert model_input is None or unit.model_input == model_input


def test_units_with_nothing_but_protected_text_are_copied_as_written():
    paragraph = segmented("تابعونا:\n@tarjama_news #قره_باغ 🇷🇺").paragraphs[0]
    assert [u.verbatim for u in paragraph.sentences] == [False, True]


@pytest.mark.parametrize("english, restored, moved", [
    ("For enquiries, e-mail (ZQ1) or visit ZQ2 for more.",
     "For enquiries, e-mail (info@example.org) or visit www.example.org for more.", []),
    ("For enquiries, e-mail (zq 1) or visit ZQ2 for more.",
     "For enquiries, e-mail (info@example.org) or visit www.example.org for more.", []),
    ("For enquiries, e-mail or visit ZQ2 for more.",                              # the model dropped ZQ1
     "For enquiries, e-mail or visit www.example.org for more info@example.org.", ["info@example.org"]),
    ("Visit ZQ2, ZQ2 and ZQ7.", "Visit www.example.org, and. info@example.org", None),  # repeated and invented
])
def test_restore(english, restored, moved):
    text, lost = restore(english, ["info@example.org", "www.example.org"])
    if moved is None:  # what matters: every piece exactly once, nothing invented
        assert text.count("www.example.org") == 1 and text.count("info@example.org") == 1 and "ZQ" not in text
    else:
        assert (text, lost) == (restored, moved)


def test_hide_is_the_reverse_of_restore():
    pieces = ["info@example.org", "www.example.org"]
    assert hide("Write to info@example.org or visit www.example.org.", pieces) == "Write to ZQ1 or visit ZQ2."
    assert hide("Write to us.", pieces) is None          # a piece the editor removed: no sentence-level entry
    assert with_placeholders("a@b.org", protected_spans("a@b.org")) == "ZQ1"


def test_through_the_stages_the_english_has_each_piece_once_and_a_dropped_one_is_flagged():
    document = segmented(CONTACT, NTREX_APPEAL)
    contact, appeal = (p.sentences[0].model_input for p in document.paragraphs)
    # A test double behind the Translator protocol: the first answer keeps its placeholders, the second drops one.
    translator = DictionaryTranslator({contact: "For enquiries, e-mail (ZQ1) or visit ZQ2 for more.",
                                       appeal: "Anyone with information is asked to send it to DM or call 101."})
    translate_documents([document], translator)
    align_document(document)
    check_document(document, Checker.from_settings())
    first, second = document.paragraphs
    assert first.target == "For enquiries, e-mail (info@example.org) or visit www.example.org for more."
    assert [f.code for f in first.flags if f.code == "protected_moved"] == []
    assert second.target == "Anyone with information is asked to send it to DM or call 101 @MerPolCC."
    [flag] = [f for f in second.flags if f.code == "protected_moved"]
    assert flag.severity == "warning" and flag.evidence["moved"] == ["@MerPolCC"]


@pytest.mark.model
def test_with_the_fixture_model_every_piece_is_in_the_english_exactly_once(tmp_path):
    from pipeline.config import load_settings, with_updates
    from pipeline.export.record import RunInfo, document_record
    from pipeline.translate.loader import ModelHandle

    settings = with_updates(load_settings(), model={"name": str(FIXTURE_MODEL)})
    translator = ModelHandle(settings)
    document = segmented(CONTACT, NTREX_APPEAL)
    translate_documents([document], translator)
    align_document(document)
    check_document(document, Checker.from_settings())
    for paragraph in document.paragraphs:
        for piece in paragraph.sentences[0].protected:
            assert paragraph.target.count(piece) == 1
        assert "ZQ" not in paragraph.target
        moved = paragraph.sentences[0].protected_moved
        assert bool(moved) == any(f.code == "protected_moved" for f in paragraph.flags)
    record = document_record(document, RunInfo("fixture", translator.fingerprint, "transformers", {}))
    assert json.loads(json.dumps(record))["paragraphs"][0]["sentences"][0]["protected"] == ["info@example.org",
                                                                                              "www.example.org"]


def test_an_approved_sentence_goes_into_the_memory_keyed_with_its_placeholders():
    from pipeline.export.record import ArticleRecord, RunInfo
    from pipeline.model import ParagraphReview
    from pipeline.roundtrip import approved_entries

    document = segmented(CONTACT)
    [unit] = document.paragraphs[0].sentences
    unit.origin = "model"
    document.paragraphs[0].target = "For enquiries, e-mail info@example.org or visit www.example.org."
    document.paragraphs[0].review = ParagraphReview(status="approved")
    entries = approved_entries(ArticleRecord(document, RunInfo("m", "f", "b", {}), ""))
    assert ("unit", unit.model_input, "For enquiries, e-mail ZQ1 or visit ZQ2.") in [e[:3] for e in entries]


def test_do_not_translate_terms_of_the_glossary_are_placeholders_too(tmp_path):
    """Real NTREX lines with Latin names inside the Arabic («نشطاء "Momentum"», «(BDI)»), and a
    glossary whose `keep` entries name them: the model sees ZQ1, the English gets them back as written."""
    from pipeline.glossary import load_glossary
    from pipeline.config import load_settings
    from pipeline.stages import Stages

    from ...helpers import DATA, DictionaryTranslator

    articles = DATA / "ntrex-dev" / "articles"
    momentum = next(l for l in (articles / "guardian.221679.ar.txt").read_text("utf-8").splitlines() if '"Momentum"' in l)
    bdi = next(l for p in sorted(articles.glob("*.ar.txt")) for l in p.read_text("utf-8").splitlines() if "(BDI)" in l)
    terms = tmp_path / "glossary.yaml"
    terms.write_text("keep: [Momentum, BDI]\n", encoding="utf-8")
    keep = [t.pattern for t in load_glossary(terms).terms if t.keep]
    document = segment_document(Document("a.txt", "a.txt", "", "txt", [Paragraph("p0001", 1, momentum),
                                                                        Paragraph("p0002", 2, bdi)]),
                                SegmentationSettings(), keep=keep)
    units = [u for p in document.paragraphs for u in p.sentences if u.protected]
    assert {piece for u in units for piece in u.protected} == {"Momentum", "BDI"}
    assert all("Momentum" not in u.model_input and "BDI" not in u.model_input and "ZQ1" in u.model_input for u in units)

    config = tmp_path / "config.yaml"
    config.write_text(f"review:\n  glossary: {terms}\n", encoding="utf-8")
    stages = Stages(load_settings(config), DictionaryTranslator())  # a double that drops every placeholder
    document = Document("a.txt", "a.txt", "", "txt", [Paragraph("p0001", 1, momentum), Paragraph("p0002", 2, bdi)])
    stages.segment(document)
    [(done, _)] = list(stages.translate([document]))
    stages.finish(done)
    assert "Momentum" in done.paragraphs[0].target and "BDI" in done.paragraphs[1].target      # back, verbatim
    assert not any(f.code == "glossary" for p in done.paragraphs for f in p.flags)             # the keep is met
