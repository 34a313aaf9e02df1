"""Normalisation of model input: what changes, what must never change."""

import pytest

from pipeline.arabic import arabic_share, has_arabic, normalize_for_model, to_ascii_digits


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


def test_digits_keep_their_value():
    assert to_ascii_digits("٢٠٢١/١١/٩") == "2021/11/9"
    assert to_ascii_digits("٣٫٥") == "3.5"
    assert to_ascii_digits("٫") == "٫"  # not between digits: not a decimal point


def test_script_detection():
    assert has_arabic("Putin بوتين")
    assert not has_arabic("Putin 2021 ٢٠٢١")
    assert arabic_share("بوتين Putin") == pytest.approx(5 / 10)
    assert arabic_share("2021") == 0.0
