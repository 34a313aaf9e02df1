"""The numbers lexicon (pipeline/text/numbers.py), table by table: what a text says in numbers."""

import pytest

from pipeline.text.numbers import (AR_SCALES, EN_SCALES, arabic_digits_text, arabic_number_phrases, collect,
                                   english_numbers, hijri_dates, hijri_equivalents, join_spaced_groups, months_in_arabic,
                                   months_in_english, slash_date_months)


@pytest.mark.parametrize("arabic, phrases", [
    ("خمسة وعشرون", [(25, True)]),                      # a compound is one number, not 5 and 20
    ("في سن الثالثة عشر", [(13, True)]),                 # an ordinal teen
    ("السادس والثلاثين", [(36, True)]),
    ("أحد عشر شخصا", [(11, True)]),
    ("بالسجن اثني عشر عاما", [(12, True)]),               # twelve in the genitive, not «عشر» 10
    ("اثنتي عشرة ساعة", [(12, True)]),
    ("بعشرين عاما", [(20, True)]),                       # a proclitic in front
    ("الأول والثالث", [(1, False), (3, True)]),          # two numbers, not 4
    ("ثلاثة، عشرة", [(3, True), (10, True)]),            # punctuation ends a number
    ("ثلاثة آلاف", [(3000, True)]),
    ("آلاف الأشخاص", [(1000, False)]),                   # a bare scale: "thousands"
    ("مئة عام", [(100, False)]),                         # "a century"
    ("القرن العشرين", [(20, False)]),                    # a century: often given as years
    ("يوم الاثنين", [(2, False)]),                       # Monday; 1 and 2 are never required
    ("10 في المئة", []),                                 # per cent
    ("10 بالمئة", []),
    ("5 ملايين", []),                                    # a scale after digits belongs to them
    ("الخميس والأربعاء", []),                            # Thursday and Wednesday are no numbers
    ("أكثر من عشرين ألفا", [(20000, True)]),              # «ألفا» after a number: one thousand's accusative
    ("مليونا و200 ألف", [(10**6, False)]),                # before «و» the accusative, not the dual
    ("مليونا شخص", [(2 * 10**6, True)]),                  # a dual in construct has its noun next
    ("متحور ألفا", [(2000, False)]),                      # alone also Alpha: may match, not required
    ("ضبطت نصف مليون حبة", [(500000, True)]),            # half or a quarter of a scale is one number
    ("أكثر من ربع مليون زائر", [(250000, True)]),
    ("خصص نصف المليار", [(500 * 10**6, True)]),
    ("نصف السكان", []),                                   # half of a noun is no number
])
def test_arabic_number_phrases(arabic, phrases):
    assert [(p.value, p.required) for p in arabic_number_phrases(arabic_digits_text(arabic))] == phrases


@pytest.mark.parametrize("english, cardinals, words", [
    ("twenty-five years", {"25"}, {"25"}),
    ("1.7 million four years ago", {"4"}, {"4"}),        # digits are not joined with the words after them
    ("hundreds of people", set(), {"100"}),              # vague plurals excuse, never claim
    ("a decade later", set(), {"10"}),
    ("nearly tripled", set(), {"3"}),
    ("the morning fourballs", set(), {"4"}),
    ("his 36th meeting", set(), set()),                  # digits are read apart (optional ordinal)
    ("about half a million pills", {"500000"}, {"500000"}),  # not a million
    ("a quarter of a million visitors", {"250000"}, {"250000"}),
    ("one and a half million people", {"1500000"}, {"1500000"}),
])
def test_english_numbers(english, cardinals, words):
    found = english_numbers(english)
    assert found.cardinals == cardinals and words <= found.words


@pytest.mark.parametrize("text, scales, values, accepted", [
    ("1,200 people", EN_SCALES, {"1200"}, {"1200"}),
    ("20.000 تلميذ", AR_SCALES, {"20"}, {"20", "20000"}),       # a European thousands point
    ("300 ألف", AR_SCALES, {"300"}, {"300", "300000"}),
    ("at 5:30", EN_SCALES, {"5:30"}, {"5:30", "5.3", "5"}),      # British "5.30" is the same time
    ("the 1950-53 war", EN_SCALES, {"1950", "53"}, {"1950", "53", "1953"}),
    ("على الساعة 21h30", AR_SCALES, {"21:30"}, {"21:30"}),       # a French time (Maghrebi copy)
    ("عند 12.845,32 نقطة", AR_SCALES, {"12845.32"}, {"12845.32"}),  # dotted thousands, a decimal comma
    ("بلغ 91,3 مليار درهم", AR_SCALES, {"91.3"}, {"91300000000"}),  # a decimal comma
])
def test_collect(text, scales, values, accepted):
    found = collect(text, scales)
    assert set(found.values) == values and accepted <= found.accepted


def test_spaced_digit_groups_join_only_to_match_the_other_side():
    arabic = collect("اتصلوا على الرقم 116123", AR_SCALES)
    assert join_spaced_groups("Call 116 123", arabic) == "Call 116123"
    assert join_spaced_groups("from 15 200 people", arabic) == "from 15 200 people"


@pytest.mark.parametrize("arabic, english, months", [
    ("في 9 نوفمبر/تشرين الثاني 2020", "on 9 November 2020", {11}),
    ("في 17 مارس", "on 17 March", {3}),
    ("مارس الضغط على الحكومة", "", set()),               # «مارس» the verb: no number near it
    ("في 3 جانفي", "on 3 January", {1}),                 # Maghrebi name
    ("في 8 شتنبر 2021", "on September 8, 2021", {9}),   # Moroccan names
    ("ابتداء من فاتح يوليوز", "from July 1", {7}),        # a day in words before the month
    ("في العاشر من حزيران", "on June 10", {6}),
    ("في شهر نيسان", "", set()),                          # no day: no date
])
def test_months(arabic, english, months):
    assert months_in_arabic(arabic) == months
    if english:
        assert months_in_english(english) == months


def test_hijri_dates_and_their_gregorian_days():
    own, gregorian = hijri_equivalents("في 15 رمضان 1442 هـ")
    assert own == {"15", "1442"} and {"27", "2021"} <= gregorian


@pytest.mark.parametrize("arabic, date", [
    ("في 15 رمضان 1442 هـ", (15, 9, 1442, False)),
    ("يوم ١٤٤٥/٩/٢٠هـ", (20, 9, 1445, True)),            # in figures, the year first (Saudi official copy)
    ("في 20/9/1445 هـ", (20, 9, 1445, True)),
    ("في 20/9/2024", None),                               # no «هـ»: a Gregorian date
    ("في 2024/3/12 ه.", None),                            # no Hijri year
])
def test_hijri_dates_in_words_and_in_figures(arabic, date):
    found = [(d.day, d.month, d.year, d.in_figures) for d in hijri_dates(arabic)]
    assert found == ([date] if date else [])


def test_a_hijri_date_in_figures_has_no_gregorian_month():
    assert slash_date_months("يوم 1445/9/20هـ") == [] and slash_date_months("يوم 2024/9/20") == [9]
