"""Numbers and dates: missing, extra or changed between the Arabic and the English.

A number in the Arabic (digits in any script, scale words, number words) must appear in the
English as digits or words, and a number the English states must come from the Arabic; months
are compared as months and a Hijri date may be given as its Gregorian date. How numbers are read
is the text layer's (pipeline/text/numbers.py); this module decides what is a finding.
"""

from __future__ import annotations

from collections import Counter

from ..model import Flag, Paragraph
from ..text.numbers import (EN_HIJRI_MONTH_NAMES, EN_MONTHS, EN_SCALES, AR_SCALES, arabic_digits_text, arabic_number_phrases, at_least_three,
                            clock_times, collect, compound_amounts, english_numbers, hijri_equivalents, hijri_months_by_name,
                            hijri_months_lost,
                            join_spaced_groups, months_in_arabic, months_in_english, occurrences, said_without_digits,
                            slash_date_months, time_and_era_conflicts, unglue_currency)
from .base import Params


class NumberParams(Params):
    extra: bool = True   # also flag numbers in the English that the Arabic does not have
    months: bool = True  # compare month names as months


def number_flags(paragraph: Paragraph, params: NumberParams = NumberParams()) -> list[Flag]:
    if not paragraph.target.strip():
        return []
    arabic = arabic_digits_text(paragraph.source)
    english_text = unglue_currency(paragraph.target)  # "SR111 billion": the amount is 111 billion
    source, target = collect(arabic, AR_SCALES, scaled_only=True), collect(english_text, EN_SCALES)
    joined, english = join_spaced_groups(arabic, target), join_spaced_groups(english_text, source)
    if joined != arabic:  # digit groups joined: read the Arabic's numbers again
        arabic, source = joined, collect(joined, AR_SCALES, scaled_only=True)
    phrases = arabic_number_phrases(arabic)
    found = english_numbers(english)
    target, target_words = found.digits, found.words
    hijri_own, hijri_gregorian = hijri_equivalents(paragraph.source)
    hijri_by_name = hijri_months_by_name(arabic, english_text)  # «1445/9/20هـ» "20 Ramadan 1445 AH": 9 said
    for part, whole in compound_amounts(arabic).items():  # «3 آلاف و500»: "3,500"
        if part in source.values:
            source.values[part][1].add(whole)
    in_target = target.accepted | target_words
    clock = {words.removeprefix("و"): forms for words, forms in clock_times(arabic).items()}
    said = set().union(*clock.values()) | said_without_digits(arabic)  # times in words, «بهدفين مقابل هدف» 2-1
    in_source = source.accepted | {str(p.value) for p in phrases} | hijri_gregorian | said
    # «12/3/2024» may be "March 12, 2024": the month's name says that one 3, not another
    named = months_in_english(english_text)
    by_name = Counter(str(m) for m in slash_date_months(arabic) if m in named)

    def needed(value: str) -> int:
        return source.counts[value] - by_name[value]

    missing = [written for value, (written, forms) in source.values.items()
               if needed(value) > 0
               and not (forms & in_target and occurrences(target, forms) >= needed(value) or forms & target_words)
               and not (value in hijri_own and hijri_gregorian & in_target) and value not in hijri_by_name]
    # A number written in Arabic words must be in the English too, as digits or words.
    missing += [f"«{p.written}» ({p.value})" for p in phrases if p.required and str(p.value) not in in_target
                and not clock.get(p.written.removeprefix("و"), set()) & in_target]  # «التاسعة إلا ربعا» is "8:45"
    extra = [written for value, (written, forms) in target.values.items() if not forms & in_source] if params.extra else []
    # A number the English says in words must come from the Arabic too (not 1 and 2: "one of", "a couple")
    extra += sorted((v for v in found.cardinals - in_source if at_least_three(v)), key=lambda v: (len(v), v))
    if missing and not extra:
        # What the English says instead, as an ordinal ("63rd" for «السادس والثلاثين»)
        extra = sorted(target.optional - in_source, key=lambda v: (len(v), v))
    flags = []
    conflicts = time_and_era_conflicts(arabic, english_text)  # «الثالثة عصرا» "3 a.m.", «الثمانينيات» "the 1970s"
    if conflicts and not (missing and extra):
        missing, extra = missing + [a for a, _ in conflicts], extra + [e for _, e in conflicts]
    if missing and extra:
        flags.append(Flag("number_changed", "warning",
                          f"{', '.join(missing)} in the Arabic but {', '.join(extra)} in the English",
                          {"missing": missing, "extra": extra}))
    elif missing:
        flags.append(Flag("number_missing", "warning",
                          f"{', '.join(missing)} appear{'s' if len(missing) == 1 else ''} in the Arabic but not in the English",
                          {"missing": missing}))
    elif extra:
        flags.append(Flag("number_extra", "warning",
                          f"{', '.join(extra)} appear{'s' if len(extra) == 1 else ''} in the English but not in the Arabic",
                          {"extra": extra}))
    if params.months:
        lost = sorted(months_in_arabic(paragraph.source) - months_in_english(english_text))
        # A Hijri date's month: its name ("Ramadan"), its Gregorian date's month or the date in figures
        hijri_lost = hijri_months_lost(arabic, english_text)
        if lost or hijri_lost:
            names = [EN_MONTHS[m].split("|")[0] for m in lost] + [f"{EN_HIJRI_MONTH_NAMES[m]} (Hijri)" for m in hijri_lost]
            flags.append(Flag("month_mismatch", "warning",
                              f"the Arabic names {', '.join(names)}; the English does not",
                              {"months": lost, **({"hijri_months": hijri_lost} if hijri_lost else {})}))
    return flags
