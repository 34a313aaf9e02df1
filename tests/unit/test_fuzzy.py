"""Fuzzy matches from the memory (pipeline/fuzzy.py): offered, never used; numbers carried over."""

import pytest

from pipeline.align import align_document
from pipeline.config import SegmentationSettings
from pipeline.fuzzy import FLAG_MATCH, FLAG_NUMBERS, FuzzyIndex, offer_matches
from pipeline.ingest import document_from_lines
from pipeline.segment import segment_document
from pipeline.translate.memory import MemoryKey

KEY = MemoryKey("", "")
# From the sample article (input/karabakh-talks.ar.txt) and variants of it.
KREMLIN = ("وأشار الكرملين أيضاً إلى أن المحادثات تطرقت إلى بعض القضايا الراهنة الخاصة بالتعاون الروسي - الأرمني، "
           "وأنه\"تم الاتفاق على مواصلة الاتصالات على مختلف المستويات\".")
KREMLIN_VARIANT = KREMLIN.replace("أيضاً", "كذلك").replace("الراهنة", "الحالية")
KREMLIN_ENGLISH = ("The Kremlin also said the talks touched on current issues of Russian-Armenian cooperation and that "
                   "\"it was agreed to continue contacts at various levels\".")
CLASHES = "شهدت بتاريخ 27 سبتمبر/ أيلول 2020 تصعيداً أسفر عن اندلاع اشتباكات مسلحة في الإقليم منذ فبراير/شباط 1988."
CLASHES_ENGLISH = "On 27 September 2020 the situation escalated into armed clashes in the region, disputed since February 1988."


def document(*paragraphs):
    doc = segment_document(document_from_lines(list(paragraphs), "a.txt"), SegmentationSettings())
    for paragraph in doc.paragraphs:
        for unit in paragraph.sentences:
            unit.target, unit.origin = "Machine English.", "model"
    return align_document(doc)


def index(*entries, threshold=0.75):
    return FuzzyIndex([(KEY.paragraph(source), english, origin) for source, english, origin in entries], threshold)


def test_a_near_paragraph_is_offered_and_the_machine_english_stays_the_target():
    doc = offer_matches(document(KREMLIN), index((KREMLIN_VARIANT, KREMLIN_ENGLISH, "human")), KEY.paragraph)
    [paragraph] = doc.paragraphs
    match = paragraph.memory_match
    assert 75 <= match.score < 100 and match.origin == "human" and match.target == KREMLIN_ENGLISH
    assert paragraph.target == "Machine English."
    [flag] = [f for f in paragraph.flags if f.code == FLAG_MATCH]
    assert flag.severity == "info" and f"{match.percent}% match in the memory (an editor's translation)" in flag.message
    assert KREMLIN_ENGLISH in flag.message


def test_below_the_threshold_nothing_is_offered():
    unrelated = "قتل ثلاثة أشخاص في هجوم على سوق في العاصمة."
    doc = offer_matches(document(KREMLIN), index((unrelated, "Three people were killed.", "human")), KEY.paragraph)
    assert doc.paragraphs[0].memory_match is None and doc.paragraphs[0].flags == []
    strict = index((KREMLIN_VARIANT, KREMLIN_ENGLISH, "human"), threshold=0.99)
    assert offer_matches(document(KREMLIN), strict, KEY.paragraph).paragraphs[0].memory_match is None


@pytest.mark.parametrize("arabic, english", [
    (CLASHES.replace("27", "28").replace("2020", "2021"), CLASHES_ENGLISH.replace("27", "28").replace("2020", "2021")),
    # Arabic-Indic digits in the memory: the keys are normalised to Western digits.
    (CLASHES.replace("27", "٢٨").replace("2020", "٢٠٢١"), CLASHES_ENGLISH.replace("27", "28").replace("2020", "2021")),
])
def test_a_match_differing_only_in_numbers_gets_this_arabics_numbers(arabic, english):
    doc = offer_matches(document(CLASHES), index((arabic, english, "human")), KEY.paragraph)
    match = doc.paragraphs[0].memory_match
    assert match.numbers == [["28", "27"], ["2021", "2020"], ["1988", "1988"]]
    assert match.carried and match.target == CLASHES_ENGLISH and match.memory_target == english
    [flag] = doc.paragraphs[0].flags
    assert flag.code == FLAG_NUMBERS and "28 → 27, 2021 → 2020" in flag.message and "numbers carried over" in flag.message


def test_a_number_the_english_spells_out_is_not_guessed():
    memory_english = CLASHES_ENGLISH.replace("On 27 September", "On the twenty-eighth of September").replace("2020", "2021")
    arabic = CLASHES.replace("27", "28").replace("2020", "2021")
    match = offer_matches(document(CLASHES), index((arabic, memory_english, "human")), KEY.paragraph).paragraphs[0].memory_match
    assert not match.carried and "twenty-eighth" in match.target and "2020" in match.target
    assert "not every number could be carried over" in match_flag_message(match)


def match_flag_message(match):
    from pipeline.fuzzy import _flag

    return _flag(match).message


def test_an_editors_entry_wins_a_tie_with_imported_machine_output():
    doc = offer_matches(document(KREMLIN), index((KREMLIN_VARIANT, "Imported machine English.", "model"),
                                                 (KREMLIN_VARIANT, KREMLIN_ENGLISH, "human")), KEY.paragraph)
    assert doc.paragraphs[0].memory_match.target == KREMLIN_ENGLISH


def test_an_exact_editors_translation_is_not_offered_again():
    doc = document(KREMLIN)
    for unit in doc.paragraphs[0].sentences:
        unit.origin = "human"  # the translate stage already served the editor's English
    assert offer_matches(doc, index((KREMLIN, KREMLIN_ENGLISH, "human")), KEY.paragraph).paragraphs[0].memory_match is None
    # An exact match that is imported machine output is only offered, at 100%.
    doc = offer_matches(document(KREMLIN), index((KREMLIN, "Imported.", "model")), KEY.paragraph)
    assert doc.paragraphs[0].memory_match.score == 100 and doc.paragraphs[0].target == "Machine English."


def test_a_match_whose_english_the_paragraph_already_has_is_not_offered():
    # Tarjama's own TMX imported back into its memory (a newcomer's trial): every row was offered
    # its own English as a "100% match … imported machine translation".
    doc = offer_matches(document(KREMLIN), index((KREMLIN, "Machine  English.", "model")), KEY.paragraph)
    assert doc.paragraphs[0].memory_match is None and not doc.paragraphs[0].flags


def test_the_length_window_never_drops_a_match_above_the_threshold():
    """The prefilter is exact: for each query, the best score equals a brute-force scan's."""
    from rapidfuzz import fuzz

    words = KREMLIN.split()
    entries = [(" ".join(words[:n]), f"E{n}", "human") for n in range(3, len(words) + 1)]
    fuzzy = index(*entries)
    for n in range(4, len(words) + 1):
        query = KEY.paragraph(" ".join(words[:n - 2] + words[n - 1:n] + ["إضافة"]))  # a word dropped, one added
        brute = max(fuzz.ratio(query, KEY.paragraph(source)) for source, _, _ in entries)
        found = fuzzy.best(query)
        assert (found.score if found else None) == (pytest.approx(brute) if brute >= 75 else None)
