"""Numbers and dates: missing, extra or changed between the Arabic and the English.

A number in the Arabic (any digit script; «٫» decimal point, «٬» or «,» thousands; followed
by «ألف / مليون / مليار») must appear in the English — as digits, or as words («eleven» = 11,
read by text2num), or scaled («5 ملايين» = "5 million" = "5,000,000"). A number in digits in
the English must come from the Arabic, where it may be written in words («ثلاث ساعات», read by
pyarabic). Times («11:00») may lose their minutes. A Hijri date may be rendered as its Gregorian
date (hijridate). Month names are compared as months: «نوفمبر/تشرين الثاني» is one month,
November; a month name counts only beside a number, since «مارس» is also a verb.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from pyarabic import araby

from ..arabic import ARABIC_LETTERS, to_ascii_digits
from ..model import Flag, Paragraph
from .base import Params

# A number: 1,200 / 1200 / 3.5 / 20.000 / 11:00 — not glued to Latin letters (COVID19, G20),
# but glued Arabic letters are fine («و29», «حوالي200», «يعتقد38%»).
_NUMBER = re.compile(r"(?<![0-9A-Za-z.,])(\d{1,3}(?:,\d{3})+|\d+)(?:[.,](\d+))?(?:\s*:\s*(\d{2}))?(?![\d])")
_YEAR_RANGE = re.compile(r"\b((?:1[89]|20)\d)(\d)\s*[-–]\s*(\d{2})\b")  # 1950-53
_AR_SCALES = {"ألف": 1000, "آلاف": 1000, "الف": 1000, "الاف": 1000, "مليون": 10**6, "ملايين": 10**6,
              "مليار": 10**9, "مليارات": 10**9, "بليون": 10**9, "تريليون": 10**12}
_EN_SCALES = {"thousand": 1000, "k": 1000, "million": 10**6, "m": 10**6, "mn": 10**6, "billion": 10**9,
              "bn": 10**9, "b": 10**9, "trillion": 10**12, "tn": 10**12}
_SCALE_AFTER = re.compile(r"\s*-?\s*([^\W\d_]+)")

# Gregorian months by their Egyptian/Gulf, Levantine/Iraqi and Maghrebi names.
_AR_MONTHS = {
    1: ("يناير", "كانون الثاني", "جانفي"), 2: ("فبراير", "شباط", "فيفري"), 3: ("مارس", "آذار", "اذار"),
    4: ("أبريل", "ابريل", "إبريل", "نيسان", "أفريل", "افريل"), 5: ("مايو", "أيار", "ايار", "ماي"),
    6: ("يونيو", "يونيه", "حزيران", "جوان"), 7: ("يوليو", "يوليه", "تموز", "جويلية"),
    8: ("أغسطس", "اغسطس", "آب", "أوت", "اوت"), 9: ("سبتمبر", "أيلول", "ايلول"),
    10: ("أكتوبر", "اكتوبر", "تشرين الأول", "تشرين الاول"), 11: ("نوفمبر", "تشرين الثاني"),
    12: ("ديسمبر", "كانون الأول", "كانون الاول"),
}
_EN_MONTHS = {1: "January|Jan", 2: "February|Feb", 3: "March|Mar", 4: "April|Apr", 5: "May", 6: "June|Jun",
              7: "July|Jul", 8: "August|Aug", 9: "September|Sept|Sep", 10: "October|Oct",
              11: "November|Nov", 12: "December|Dec"}
_HIJRI_MONTHS = {1: ("محرم",), 2: ("صفر",), 3: ("ربيع الأول", "ربيع الاول"), 4: ("ربيع الآخر", "ربيع الثاني", "ربيع الاخر"),
                 5: ("جمادى الأولى", "جمادى الاولى"), 6: ("جمادى الآخرة", "جمادى الثانية", "جمادى الاخرة"),
                 7: ("رجب",), 8: ("شعبان",), 9: ("رمضان",), 10: ("شوال",), 11: ("ذو القعدة", "ذي القعدة"),
                 12: ("ذو الحجة", "ذي الحجة")}
_PREFIX = "(?:^|(?<=[\\s/(«\"-]))(?:و|ب|ل|ف)?"


def _month_pattern(names: tuple[str, ...]) -> str:
    return "|".join(sorted((re.escape(n) for n in names), key=len, reverse=True))


_AR_MONTH_RE = {m: re.compile(f"{_PREFIX}(?:{_month_pattern(names)})(?![{ARABIC_LETTERS}])") for m, names in _AR_MONTHS.items()}
_EN_MONTH_RE = {m: re.compile(rf"\b(?:{names})\b\.?") for m, names in _EN_MONTHS.items()}
_HIJRI_DATE = re.compile(
    rf"(\d{{1,2}})\s+(?:من\s+)?({'|'.join(_month_pattern(n) for n in _HIJRI_MONTHS.values())})\s+(?:عام\s+|سنة\s+)?(\d{{3,4}})")
_NEAR_NUMBER = 24  # characters: a month name counts when a number is this close


@dataclass
class NumberSet:
    """Numbers of one side: each must be matched by one of its forms on the other side."""

    values: dict[str, tuple[str, set[str]]] = field(default_factory=dict)  # value → (as written, forms)
    counts: dict[str, int] = field(default_factory=dict)  # value → occurrences
    optional: set[str] = field(default_factory=set)  # forms of numbers that need no match (ordinals, decades)

    @property
    def accepted(self) -> set[str]:
        """Every form that counts as present on this side."""
        return set().union(*(forms for _, forms in self.values.values())) | self.optional


def _decimal(text: str) -> str:
    try:
        return format(Decimal(text).normalize(), "f")
    except InvalidOperation:
        return text


def _collect(text: str, scales: dict[str, int]) -> NumberSet:
    found = NumberSet()
    for match in _NUMBER.finditer(text):
        integer, fraction, minutes = match.groups()
        integer = integer.replace(",", "")
        value = _decimal(f"{integer}.{fraction}" if fraction else integer)
        forms = {value}
        if minutes is not None:  # a time; 11:00 may be written "11 a.m.", 11:15 must keep its minutes
            time = f"{value}:{minutes}"
            found.values[time] = (match.group(0), {time} | ({value} if minutes == "00" else set()))
            found.counts[time] = found.counts.get(time, 0) + 1
            found.optional.add(value)  # the hour alone on the other side is not a new number
            continue
        if fraction is not None and len(fraction) == 3 and len(integer) <= 3:
            forms.add(str(int(integer + fraction)))  # «20.000», «76.000»: a European thousands point
        after = _SCALE_AFTER.match(text, match.end())
        if after and after.group(1).lower() in scales:
            forms |= {_decimal(str(Decimal(form) * scales[after.group(1).lower()])) for form in list(forms)}
        if re.match(r"(?:st|nd|rd|th|s\b|'s)", text[match.end():match.end() + 2], re.I):
            # An ordinal (36th) or a decade (1980s, his 40s) usually renders an Arabic word
            # («السادس والثلاثين», «ثمانينيات»): it may match, but is not required to.
            found.optional |= forms
            continue
        found.values.setdefault(value, (match.group(0), set()))[1].update(forms)
        found.counts[value] = found.counts.get(value, 0) + 1
    for match in _YEAR_RANGE.finditer(text):  # "1950-53": the 53 is 1953
        short = _decimal(match.group(3))
        if short in found.values:
            found.values[short][1].add(match.group(1)[:2] + match.group(3))
    return found


# Arabic number words, cardinal and ordinal, masculine and feminine. pyarabic reads bare
# cardinals only («عشرين» but not «بعشرين», «الخمسين», «السادس والثلاثين»), so they are read here.
_AR_UNITS = {
    1: "واحد واحدة أحد إحدى احد احدى حادي حادية أول أولى اول اولى",
    2: "اثنان اثنين اثنتان اثنتين اثنا اثنتا ثاني ثانية ثان",
    3: "ثلاث ثلاثة ثالث ثالثة", 4: "أربع أربعة رابع رابعة اربع اربعة", 5: "خمس خمسة خامس خامسة",
    6: "ست ستة سادس سادسة", 7: "سبع سبعة سابع سابعة", 8: "ثمان ثماني ثمانية ثامن ثامنة",
    9: "تسع تسعة تاسع تاسعة", 10: "عشر عشرة عاشر عاشرة",
}
_AR_TENS = {20: "عشرون عشرين", 30: "ثلاثون ثلاثين", 40: "أربعون أربعين اربعون اربعين", 50: "خمسون خمسين",
            60: "ستون ستين", 70: "سبعون سبعين", 80: "ثمانون ثمانين", 90: "تسعون تسعين"}
_AR_HUNDREDS = {100: "مئة مائة", 200: "مئتان مئتين مائتان مائتين", 300: "ثلاثمئة ثلاثمائة", 400: "أربعمئة أربعمائة",
                500: "خمسمئة خمسمائة", 600: "ستمئة ستمائة", 700: "سبعمئة سبعمائة", 800: "ثمانمئة ثمانمائة",
                900: "تسعمئة تسعمائة"}
_AR_WORDS: dict[str, tuple[int, str]] = {}
for _table, _kind in ((_AR_UNITS, "unit"), (_AR_TENS, "ten"), (_AR_HUNDREDS, "hundred")):
    for _value, _names in _table.items():
        for _name in _names.split():
            _AR_WORDS[_name] = (_value, _kind)
for _name, _value in (("ألف", 1000), ("آلاف", 1000), ("الف", 1000), ("ألفين", 2000), ("ألفان", 2000),
                      ("مليون", 10**6), ("ملايين", 10**6), ("مليار", 10**9), ("مليارات", 10**9)):
    _AR_WORDS[_name] = (_value, "scale")
_CLITICS = re.compile(r"^(?:و|ف)?(?:ب|ل|ك)?(?:ال)?")


def _arabic_number_word(token: str) -> tuple[int, str] | None:
    token = token.strip("«»\"'()[]،,.:؛;!؟?")
    if token in _AR_WORDS:
        return _AR_WORDS[token]
    bare = _CLITICS.sub("", token, count=1)
    return _AR_WORDS.get(bare) or _AR_WORDS.get(token[1:] if token[:1] in "وفبلك" else token)


def arabic_number_words(text: str) -> set[str]:
    """Values of the number words of an Arabic text: «خمسة وعشرون» 25, «السابعة عشرة» 17, «بعشرين» 20."""
    values: set[str] = set()
    total = group = 0
    previous_kind = None
    for token in text.split() + [""]:
        word = _arabic_number_word(token) if token else None
        if word is None:
            if previous_kind is not None:
                values.add(str(total + group))
            total = group = 0
            previous_kind = None
            continue
        value, kind = word
        values.add(str(value))
        if kind == "scale":
            total += (group or 1) * value
            group = 0
        elif kind == "unit" and value == 10 and previous_kind == "unit" and group < 10:
            group += 10  # «سبعة عشر», «السابعة عشرة»: 17
        else:
            group += value
        previous_kind = kind
    return values - {"0"}


def _occurrences(numbers: NumberSet, forms: set[str]) -> int:
    """How often a number with one of `forms` stands among `numbers` (optional ones count once)."""
    found = sum(numbers.counts[v] for v, (_, f) in numbers.values.items() if f & forms)
    return found + (1 if numbers.optional & forms else 0)


def arabic_numbers(text: str) -> tuple[NumberSet, set[str]]:
    """Digits of the Arabic, and the values of its number words (which excuse English digits)."""
    normalized = araby.strip_tashkeel(to_ascii_digits(text))
    normalized = re.sub(r"(?<=\d)،(?=\d{3}(?!\d))", ",", normalized)  # «30،000»: the Arabic comma groups thousands
    return _collect(normalized, _AR_SCALES), arabic_number_words(normalized)


def english_numbers(text: str) -> tuple[NumberSet, set[str]]:
    """Digits of the English, and the values of its number words (which excuse Arabic digits)."""
    from text_to_num import alpha2digit

    numbers = _collect(text, _EN_SCALES)
    converted = alpha2digit(text.replace("-", " - "), "en", threshold=0)
    words = {value for value in _collect(converted, _EN_SCALES).accepted} - numbers.accepted
    words |= {"12"} if re.search(r"\ba dozen\b", text, re.I) else set()
    return numbers, words


def _hijri_equivalents(arabic: str) -> tuple[set[str], set[str]]:
    """Hijri dates in the Arabic: their own numbers, and the Gregorian day/month/year numbers."""
    from hijridate import Hijri

    own, gregorian = set(), set()
    for match in _HIJRI_DATE.finditer(to_ascii_digits(arabic)):
        day, month_name, year = match.groups()
        month = next(m for m, names in _HIJRI_MONTHS.items() if month_name in names)
        own |= {str(int(day)), str(int(year))}
        try:
            date = Hijri(int(year), month, int(day)).to_gregorian()
        except (ValueError, OverflowError):
            continue
        for shift in (-1, 0, 1):  # moon sighting moves Hijri dates by a day
            gregorian |= {str(date.day + shift), str(date.year)}
    return own, gregorian


def months_in_arabic(text: str) -> set[int]:
    normalized = to_ascii_digits(text)
    found = set()
    for month, pattern in _AR_MONTH_RE.items():
        for match in pattern.finditer(normalized):
            window = normalized[max(0, match.start() - _NEAR_NUMBER):match.end() + _NEAR_NUMBER]
            if re.search(r"\d", window):
                found.add(month)
    return found


def months_in_english(text: str) -> set[int]:
    return {month for month, pattern in _EN_MONTH_RE.items() if pattern.search(text)} | {
        int(m) for m in re.findall(r"\b\d{1,2}/(\d{1,2})/\d{2,4}\b", text) if 1 <= int(m) <= 12}


class NumberParams(Params):
    extra: bool = True   # also flag numbers in the English that the Arabic does not have
    months: bool = True  # compare month names as months


def number_flags(paragraph: Paragraph, params: NumberParams = NumberParams()) -> list[Flag]:
    if not paragraph.target.strip():
        return []
    source, source_words = arabic_numbers(paragraph.source)
    target, target_words = english_numbers(paragraph.target)
    hijri_own, hijri_gregorian = _hijri_equivalents(paragraph.source)
    in_target = target.accepted | target_words
    in_source = source.accepted | source_words | hijri_gregorian
    missing = [written for value, (written, forms) in source.values.items()
               if not (forms & in_target and _occurrences(target, forms) >= source.counts[value]
                       or forms & target_words)
               and not (value in hijri_own and hijri_gregorian & in_target)]
    extra = [written for value, (written, forms) in target.values.items() if not forms & in_source] if params.extra else []
    flags = []
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
        lost = sorted(months_in_arabic(paragraph.source) - months_in_english(paragraph.target))
        if lost:
            names = [_EN_MONTHS[m].split("|")[0] for m in lost]
            flags.append(Flag("month_mismatch", "warning",
                              f"the Arabic names {', '.join(names)}; the English does not",
                              {"months": lost}))
    return flags
