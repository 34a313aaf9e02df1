"""Normalisation of model input: what changes, what must never change."""

import pytest

from pipeline.text.arabic import arabic_share, has_arabic, normalize_for_model, to_ascii_digits

from ...helpers import DATA


@pytest.mark.parametrize("raw, expected", [
    ("وذلك في11 يناير", "وذلك في 11 يناير"),                      # missing space before digits (sample article)
    ("بتاريخ 27سبتمبر", "بتاريخ 27 سبتمبر"),                       # ... and after them
    ("نما بنسبة ٣٫٥٪", "نما بنسبة 3.5٪"),                          # «٫» is a decimal point: value kept
    ("بلغ ١٬٢٠٠ دولار", "بلغ 1,200 دولار"),                        # «٬» groups thousands
    ("عام ۱۳۹۹", "عام 1399"),                                       # Persian digits
    ("كتـــــاب", "كتاب"),                                          # kashida
    ("وفقاً لبيانٍ", "وفقا لبيان"),                                 # tashkeel
    ("\u200fالرئيس\u200e \u202bبوتين\u202c", "الرئيس بوتين"),      # bidi marks and embeddings
    ("قال&nbsp;&quot;نعم&quot;", 'قال "نعم"'),                      # HTML entities
    ("  موسكو \t\n  -  ", "موسكو -"),                               # whitespace runs
    ("\ufef7\ufee0\ufe8e\ufee3", "لألام"),                           # presentation forms from a PDF (ﻷﻠﺎﻣ)
    ("COVID19 و G20", "COVID19 و G20"),                             # Latin+digits left alone
])
def test_normalize_for_model(raw, expected):
    assert normalize_for_model(raw) == expected


def test_diacritics_can_be_kept():
    assert normalize_for_model("وفقاً", strip_diacritics=False) == "وفقاً"


def test_normalising_twice_equals_once_on_nested_entities():
    once = normalize_for_model("&amp;quot;نص&amp;quot;")
    assert once == '"نص"'
    assert normalize_for_model(once) == once


def _every_pass(text: str, strip_diacritics: bool) -> str:
    from pipeline.text.arabic import _normalize_once

    while (normalized := _normalize_once(text, strip_diacritics)) != text:
        text = normalized
    return text


def test_one_pass_is_enough_exactly_where_normalisation_skips_the_second():
    """normalize_for_model stops after one pass on text with nothing a pass removes: the same
    result as passes repeated to a fixed point, on real news and on adversarial mixtures."""
    import random

    from ...helpers import DATA

    texts = (DATA / "ntrex-dev" / "ntrex.dev.ar").read_text(encoding="utf-8").splitlines()
    pieces = ["ب", "ا", "\u0653", "\u200d", "١", "٫", "٬", "3", " ", "  ", "\t", "&amp;", "&#1576;", "\ufe8e",
              "\u0640", "\u064e", "x", "«", "\u0670", "\u00ad", "\n"]
    rng = random.Random(7)
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 12))) for _ in range(5000)]
    for text in texts:
        for strip in (True, False):
            assert normalize_for_model.__wrapped__(text, strip_diacritics=strip) == _every_pass(text, strip), text


def test_digits_keep_their_value():
    assert to_ascii_digits("٢٠٢١/١١/٩") == "2021/11/9"
    assert to_ascii_digits("٣٫٥") == "3.5"
    assert to_ascii_digits("٫") == "٫"  # not between digits: not a decimal point


def test_script_detection():
    assert has_arabic("Putin بوتين")
    assert not has_arabic("Putin 2021 ٢٠٢١")
    assert arabic_share("بوتين Putin") == pytest.approx(5 / 10)
    assert arabic_share("2021") == 0.0


def test_strip_tashkeel_removes_what_pyarabic_removes():
    """Tarjama deletes tashkeel with str.translate (pyarabic checks character by character and
    was most of normalisation's time); the result must be pyarabic's on any text."""
    from hypothesis import given, settings, strategies as st
    from pyarabic import araby

    from pipeline.text.arabic import strip_tashkeel

    alphabet = st.sampled_from(list("ابتثجحخدذرسشصضطظعغفقكلمنهويءآأإؤئةى ،.؟0123456789") +
                               [chr(c) for c in range(0x064B, 0x0653)] + ["\u0670", "\u0640", "x", "\u200f"])

    @settings(max_examples=500, deadline=None)
    @given(st.text(alphabet, max_size=40))
    def same(text):
        assert strip_tashkeel(text) == araby.strip_tashkeel(text)

    same()
    real = (DATA / "ntrex-dev" / "ntrex.dev.ar").read_text(encoding="utf-8")[:20000] + "وفقاً لبيانٍ صدر عن المكتبِ الصحفيِّ"
    assert strip_tashkeel(real) == araby.strip_tashkeel(real)


@pytest.mark.parametrize("word", ["الرئيس", "أذربيجان", "إقليم", "آخر", "مدينة", "على", "ؤئء", "قره", "لاتشين"])
def test_a_word_of_plain_letters_takes_the_short_way_to_the_same_matching_form(word):
    """matching_form skips normalisation for words of the basic letters alone: the same result."""
    from pipeline.text.arabic import _one_spelling, matching_form, normalize_for_model

    assert matching_form(word) == _one_spelling(normalize_for_model(word))


def test_the_spelling_variants_are_made_one_as_a_translate_table_would():
    """_one_spelling replaces instead of str.translate (ten times faster on Arabic): the same text."""
    from pipeline.text.arabic import _one_spelling

    table = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي"})
    every_letter = "".join(chr(c) for c in range(0x0600, 0x0700))
    text = "أعلنت إدارة المدينة آخر الإجراءات على الطريق ٱلسريع في مستشفى المدينة."
    for sample in (every_letter, text, every_letter[::-1] + text):
        assert _one_spelling(sample) == sample.translate(table)


def test_every_two_letter_word_has_the_same_matching_form_either_way():
    from pipeline.text.arabic import _one_spelling, matching_form, normalize_for_model

    letters = [chr(c) for c in range(0x0621, 0x064B) if c != 0x0640 and not 0x063B <= c <= 0x063F]
    for a in letters:
        for b in letters:
            assert matching_form(a + b) == _one_spelling(normalize_for_model(a + b))
