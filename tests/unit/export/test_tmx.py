"""TMX 1.4b: dates in UTC, the English of each pair (the export itself runs end to end in
tests/e2e/test_review_roundtrip.py)."""

import pytest


@pytest.mark.parametrize("iso, tmx", [
    ("2024-05-01T10:00:00Z", "20240501T100000Z"),
    ("2024-05-01T10:00:00+02:00", "20240501T080000Z"),    # was 20240501T100000Z: two hours off
    ("2024-05-01T10:00:00-05:00", "20240501T150000Z"),    # was the malformed 20240501T1000000500Z
    ("2024-05-01T23:30:00.123456-01:00", "20240502T003000Z"),
    ("2024-05-01", "20240501T000000Z"),
    ("not a date", None),
])
def test_tmx_dates_are_utc(iso, tmx):
    from pipeline.export.tmx import _tmx_date

    assert _tmx_date(iso) == tmx


def test_a_paragraph_whose_english_an_editor_emptied_has_no_pair_not_the_machines(tmp_path):
    from pipeline.export.tmx import build_tmx
    from pipeline.model import ParagraphReview
    from pipeline.translate.tmx_import import read_tmx

    from .test_xliff import BODY, CREDIT, HEADLINE, article

    record = article()
    headline, body, credit = record.document.paragraphs
    headline.review = ParagraphReview("needs_review", editor_target="")  # the machine's headline deleted
    body.review = ParagraphReview("needs_review", editor_target="Pashinyan said the talks had been difficult.")
    for include_unreviewed in (True, False):
        path = tmp_path / "memory.tmx"
        path.write_bytes(build_tmx([(tmp_path / "a.json", record)], include_unreviewed=include_unreviewed))
        pairs = [(p.arabic, p.english) for p in read_tmx(path)[0]]
        assert HEADLINE not in [arabic for arabic, _ in pairs]
        assert pairs == ([(BODY, "Pashinyan said the talks had been difficult."), (CREDIT, "Source: TASS")]
                         if include_unreviewed else [])
    # approved empty English: still no pair (the machine's English is not what the editor approved)
    headline.review = ParagraphReview("approved", editor_target="")
    path.write_bytes(build_tmx([(tmp_path / "a.json", record)], include_unreviewed=False))
    assert read_tmx(path)[0] == []


def test_a_paragraph_only_partly_served_as_an_editors_english_is_not_an_editors_approval(tmp_path):
    """The memory served one sentence of a paragraph as an editor's approved English and the model
    translated the other: the whole paragraph went out as approved, origin human — with
    `--sentences` the machine's sentence too —, `--approved-only` gave OmegaT's tm/auto/ the
    unreviewed sentence, and a memory importing the TMX served it as an editor's translation."""
    from pipeline.export.tmx import build_tmx
    from pipeline.translate.tmx_import import read_tmx

    from .test_xliff import BODY, article

    record = article()
    body = record.document.paragraphs[1]
    first, second = body.sentences
    first.origin = "human"  # served from the memory; `second` is still the model's
    path = tmp_path / "memory.tmx"
    for sentences in (False, True):
        path.write_bytes(build_tmx([(tmp_path / "a.json", record)], sentences=sentences))
        origins = {p.arabic: p.origin for p in read_tmx(path)[0]}
        if sentences:  # each sentence as what it is
            assert origins[first.source] == "human" and origins[second.source] == "model"
        else:  # the paragraph: no editor approved it whole
            assert origins[BODY] == "model"
        path.write_bytes(build_tmx([(tmp_path / "a.json", record)], sentences=sentences, include_unreviewed=False))
        assert [p.arabic for p in read_tmx(path)[0]] == ([first.source] if sentences else [])
    # every sentence an editor's: the paragraph is theirs, approved
    second.origin = "human"
    path.write_bytes(build_tmx([(tmp_path / "a.json", record)], include_unreviewed=False))
    assert [(p.arabic, p.origin) for p in read_tmx(path)[0]] == [(BODY, "human")]


def test_a_sentence_cut_to_fit_the_model_is_one_unit_of_a_sentence_level_tmx(tmp_path):
    """`--sentences` is for CAT tools that segment by sentence; a sentence cut by the token budget
    went out as a unit per piece («وذلك» alone, half a clause), which no CAT segment ever is: the
    sentence was never a 100% match. Its pieces are now one unit, the sentence and their English."""
    from pipeline.align import align_document
    from pipeline.config import SegmentationSettings
    from pipeline.export.record import ArticleRecord, RunInfo
    from pipeline.export.tmx import build_tmx
    from pipeline.ingest import document_from_lines
    from pipeline.segment import segment_document
    from pipeline.translate.tmx_import import read_tmx

    long = ("بحث الرئيس الروسي فلاديمير بوتين ورئيس الوزراء الأرمني نيكول باشينيان، تنفيذ الاتفاقات بشأن ناغورني "
            "قره باغ، وذلك وفقاً لبيان صدر عن المكتب الصحفي للكرملين.")
    short = "وأشار الكرملين أيضاً إلى أن المحادثات كانت مفيدة."
    document = segment_document(document_from_lines([long + " " + short], "a.txt"),
                                SegmentationSettings(max_unit_tokens=16),
                                count_tokens=lambda texts: [2 * len(t.split()) for t in texts])
    [paragraph] = document.paragraphs
    pieces = paragraph.sentences
    assert len(pieces) > 2 and all(p.budget_split for p in pieces[:-1]) and not pieces[-1].budget_split
    for number, unit in enumerate(pieces, start=1):
        unit.target, unit.origin = f"Piece {number}.", "model"
    align_document(document)
    record = ArticleRecord(document, RunInfo("m", "sha256:" + "0" * 64, "transformers", {}), "2024-01-01T00:00:00Z")
    path = tmp_path / "s.tmx"
    path.write_bytes(build_tmx([(tmp_path / "a.json", record)], sentences=True))
    pairs = read_tmx(path)[0]
    last = len(pieces) - 1
    assert [(p.tuid, p.arabic) for p in pairs] == [(f"a.txt#p0001.s01-s{last:02d}", long),
                                                    (f"a.txt#p0001.s{last + 1:02d}", short)]
    assert pairs[0].english == " ".join(f"Piece {n}." for n in range(1, last + 1))
    assert pairs[1].english == f"Piece {last + 1}."
