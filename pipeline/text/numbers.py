"""Numbers, months and Hijri dates in Arabic and English text: the lexicon the numbers check reads with.

Digits in any script (Arabic-Indic, Persian; «٫» a decimal point, «٬» or «,» thousands), scale
words («5 ملايين» = "5 million" = 5,000,000), Arabic number words read as whole numbers
(«خمسة وعشرون» 25, «الثالثة عشر» 13, with their proclitics), English number words (text2num),
times, year ranges, Gregorian month names in their Egyptian/Gulf, Levantine/Iraqi and Maghrebi
forms, Hijri dates and their Gregorian equivalents (hijridate), numbers a sports report says in
words («بهدفين مقابل هدف»), and where the English contradicts a time's part of the day, a decade or
a century. Table-driven tests:
tests/unit/text/test_numbers.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from .arabic import ARABIC_LETTERS, PROCLITICS, PROCLITICS_WITH_ARTICLE, strip_tashkeel, to_ascii_digits

# A number: 1,200 / 1200 / 3.5 / 20.000 / 11:00 — not glued to Latin letters (COVID19, G20),
# but glued Arabic letters are fine («و29», «حوالي200», «يعتقد38%»).
# (The digit is tested before the look-behind: a pattern that starts with a character class is
# searched for by its first character, several times faster on long text.)
# A European amount, dotted thousands and a decimal comma («12.845,32», Maghrebi copy), is one number; a
# French time «20h30» (Maghrebi copy) is 20:30.
_NUMBER = re.compile(r"(?=\d)(?<![0-9A-Za-z.,])(\d{1,3}(?:,\d{3})+|\d{1,3}(?:\.\d{3})+(?=,\d{1,2}(?!\d))"
                     r"|\d{1,3}(?:\.\d{3}){2,}(?![.,]?\d)|\d+)(?:[.,](\d+))?"
                     r"(?:\s*:\s*(\d{2})|(?<=\d)h(\d{2})(?![\d\w]))?(?![\d])")
# A currency's abbreviation written against the amount, as Gulf and Arab English papers' house
# styles have it: "SR111 billion" (Saudi Gazette, Arab News), "Dh2.3 billion" (The National, Gulf
# News), "QR252 billion", "KD5.9 billion", "BD", "RO", "LE", "JD", "LL50,000", and ISO 4217 codes
# ("AED5 million", "MAD12 billion"). The amount is read as if a space stood between; any other
# Latin letters against digits still hide them (COVID19, G20, A1).
_CURRENCY_AGAINST_AMOUNT = re.compile(
    r"\b(SR|SAR|QR|QAR|Dhs?|DH|AED|KD|KWD|BD|BHD|RO|OMR|LE|EGP|JD|JOD|IQD|LL|LBP|SYP|MAD|DZD|TND|LYD|SDG|YR|YER"
    r"|USD|EUR|GBP|CHF)(?=\d)")


def unglue_currency(english: str) -> str:
    """ "SR111 billion" → "SR 111 billion": a currency abbreviation against its amount hides no digits."""
    return _CURRENCY_AGAINST_AMOUNT.sub(r"\1 ", english) if re.search(r"[A-Z][A-Za-z]{0,2}\d", english) else english


_YEAR_RANGE = re.compile(r"\b((?:1[89]|20)\d)(\d)\s*[-–/]\s*(\d{2})\b")  # 1950-53, the fiscal year 2023/24
AR_SCALES = {"ألف": 1000, "آلاف": 1000, "الف": 1000, "الاف": 1000, "مليون": 10**6, "ملايين": 10**6,
              "مليار": 10**9, "مليارات": 10**9, "بليون": 10**9, "تريليون": 10**12,
              "ألفا": 1000, "الفا": 1000, "مليونا": 10**6, "مليارا": 10**9}  # «40 ألفا»: after digits, one scale
EN_SCALES = {"thousand": 1000, "k": 1000, "million": 10**6, "m": 10**6, "mn": 10**6, "mln": 10**6, "millions": 10**6,
              "billion": 10**9, "bn": 10**9, "b": 10**9, "bln": 10**9, "billions": 10**9, "trillion": 10**12,
              "tn": 10**12, "trillions": 10**12}
_SCALE_AFTER = re.compile(r"\s*-?\s*([^\W\d_]+)")

# Gregorian months by their Egyptian/Gulf, Levantine/Iraqi and Maghrebi names (Algerian and Tunisian «جانفي …
# أوت», Moroccan «يوليوز», «غشت», «شتنبر», «نونبر», «دجنبر»).
_AR_MONTHS = {
    1: ("يناير", "كانون الثاني", "جانفي"), 2: ("فبراير", "شباط", "فيفري"), 3: ("مارس", "آذار", "اذار"),
    4: ("أبريل", "ابريل", "إبريل", "نيسان", "أفريل", "افريل"), 5: ("مايو", "أيار", "ايار", "ماي"),
    6: ("يونيو", "يونيه", "حزيران", "جوان"), 7: ("يوليو", "يوليه", "تموز", "جويلية", "يوليوز"),
    8: ("أغسطس", "اغسطس", "آب", "أوت", "اوت", "غشت"), 9: ("سبتمبر", "أيلول", "ايلول", "شتنبر"),
    10: ("أكتوبر", "اكتوبر", "تشرين الأول", "تشرين الاول"), 11: ("نوفمبر", "تشرين الثاني", "نونبر"),
    12: ("ديسمبر", "كانون الأول", "كانون الاول", "دجنبر"),
}
EN_MONTHS = {1: "January|Jan", 2: "February|Feb", 3: "March|Mar", 4: "April|Apr", 5: "May", 6: "June|Jun",
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
_EN_MONTH_RE = {m: re.compile(rf"\b(?:{names})\b\.?") for m, names in EN_MONTHS.items()}
# One scan first, for any month name as a word's start: a pattern that begins with letters, not \b,
# is searched for by its first letters, several times faster.
_ANY_EN_MONTH = re.compile("|".join(f"(?:{names})\\b" for names in EN_MONTHS.values()))
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


def collect(text: str, scales: dict[str, int], *, scaled_only: bool = False) -> NumberSet:
    """The numbers of `text` in digits. `scaled_only`: a number with a scale word after it is that
    amount only («15 مليار» must be "15 billion", never "$15m"; the Arabic side)."""
    found = NumberSet()
    if not _ANY_DIGIT.search(text):
        return found  # most sentences have no digits: one fast scan
    for match in _NUMBER.finditer(text):
        integer, fraction, minutes, french_minutes = match.groups()
        minutes = minutes or french_minutes
        integer = integer.replace(",", "").replace(".", "")  # 1,000,000 and 1.000.000
        value = _decimal(f"{integer}.{fraction}" if fraction else integer)
        forms = {value}
        if minutes is not None:  # a time; 11:00 may be written "11 a.m.", 11:15 must keep its minutes
            time = f"{value}:{minutes}"
            forms = _clock_forms(int(value), minutes) if value.isdigit() and int(value) <= 24 else {time}
            if value.isdigit():
                forms |= _by_the_clock(int(value), minutes, text, match.end())
            found.values[time] = (match.group(0), forms)
            found.counts[time] = found.counts.get(time, 0) + 1
            found.optional |= {form.split(":")[0] for form in forms if ":" in form}  # the hour alone is no new number
            continue
        if fraction is not None and len(fraction) == 3 and len(integer) <= 3:
            forms.add(str(int(integer + fraction)))  # «20.000», «76.000»: a European thousands point
        after = _SCALE_AFTER.match(text, match.end())
        written = match.group(0)
        if after and after.group(1).lower() in scales:
            scaled = {_decimal(str(Decimal(form) * scales[after.group(1).lower()])) for form in list(forms)}
            forms = scaled if scaled_only else forms | scaled
            written = text[match.start():after.end()].strip()  # «15 مليار», "15m": said so in a message
        elif fraction is None and integer.isdigit():
            if len(integer) == 4 and _TIME_ZONE.match(text, match.end()) and int(integer[:2]) < 24 and int(integer[2:]) < 60:
                forms |= _clock_forms(int(integer[:2]), integer[2:])  # "1800 GMT" is 18:00
            elif 1 <= int(integer) <= 12:
                forms |= _by_the_clock(int(integer), "00", text, match.end())  # "3 p.m." is 15:00
        if re.match(r"(?:st|nd|rd|th|s\b|'s)", text[match.end():match.end() + 2], re.I):
            # An ordinal (36th) or a decade (1980s, his 40s) usually renders an Arabic word
            # («السادس والثلاثين», «ثمانينيات»): it may match, but is not required to.
            found.optional |= forms
            continue
        found.values.setdefault(value, (written, set()))[1].update(forms)
        found.counts[value] = found.counts.get(value, 0) + 1
    for match in _YEAR_RANGE.finditer(text) if "-" in text or "–" in text or "/" in text else ():  # "1950-53": 1953
        short = _decimal(match.group(3))
        if short in found.values:
            found.values[short][1].add(match.group(1)[:2] + match.group(3))
    return found


_AFTERNOON = re.compile(r"\s*(?:p\.?\s?m\b\.?|مساء|مساءً|عصرا|عصرًا|ظهرا|ظهرًا)", re.I)
_AFTERNOON_OR_M = re.compile(r"\s*(?:p\.?\s?m\b\.?|مساء|مساءً|عصرا|عصرًا|ظهرا|ظهرًا|م\b)", re.I)  # «7:30 م»
_MORNING = re.compile(r"\s*(?:a\.?\s?m\b\.?|صباحا|صباحًا|فجرا|فجرًا|ص\b)", re.I)
_TIME_ZONE = re.compile(r"\s*(?:GMT|UTC|hrs\b|بتوقيت)", re.I)


def _clock_forms(hour: int, minutes: str) -> set[str]:
    """How a time may be written: 19:30, "19.30" (British); on the hour the hour alone too (15:00 is "15")."""
    return {f"{hour}:{minutes}", _decimal(f"{hour}.{minutes}")} | ({str(hour)} if minutes == "00" else set())


def _by_the_clock(hour: int, minutes: str, text: str, end: int) -> set[str]:
    """A time's other forms by the mark after it: "7:30 p.m." / «7:30 مساء» is 19:30, "12:30 a.m."
    0:30 — so «21:00» is "9 p.m." but never "9 a.m."."""
    if 1 <= hour <= 11 and (_AFTERNOON_OR_M if minutes != "00" else _AFTERNOON).match(text, end):
        return _clock_forms(hour + 12, minutes)
    if hour == 12 and _MORNING.match(text, end):
        return _clock_forms(0, minutes)
    return set()


# Arabic number words, cardinal and ordinal, masculine and feminine. pyarabic reads bare
# cardinals only («عشرين» but not «بعشرين», «الخمسين», «السادس والثلاثين»), so they are read here.
_AR_UNITS = {
    1: "واحد واحدة أحد إحدى احد احدى حادي حادية أول أولى اول اولى",
    2: "اثنان اثنين اثنتان اثنتين اثنا اثنتا اثني اثنتي ثاني ثانية ثان",  # «اثني عشر»: 12 in the genitive and accusative
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
                      ("مليون", 10**6), ("ملايين", 10**6), ("مليار", 10**9), ("مليارات", 10**9),
                      # duals, and duals in construct state (the ن dropped: «ألفي جندي», «مليونا شخص»)
                      ("ألفي", 2000), ("الفي", 2000), ("الفين", 2000), ("ألفا", 2000), ("الفا", 2000), ("مليونان", 2 * 10**6), ("مليونين", 2 * 10**6),
                      ("مليونا", 2 * 10**6), ("مليوني", 2 * 10**6), ("ملياران", 2 * 10**9), ("مليارين", 2 * 10**9),
                      ("مليارا", 2 * 10**9), ("ملياري", 2 * 10**9)):
    _AR_WORDS[_name] = (_value, "scale")
for _name in ("مئتي", "مائتي", "مئتا", "مائتا"):  # «مئتي مدرسة»: 200
    _AR_WORDS[_name] = (200, "hundred")
_AR_WORDS["الفاتح"] = (1, "unit")  # «الفاتح من جانفي»: the 1st (Maghrebi dates)
# Duals of a scale («ألفين», «مليونا»); of them, the ending -ا is also one scale's accusative («عشرين مليونا»,
# «عشرين ألفا», «43 ألفا و500»).
_DUALS = {"ألفين", "ألفان", "ألفي", "الفي", "الفين", "ألفا", "الفا", "مليونان", "مليونين", "مليونا", "مليوني", "ملياران",
          "مليارين", "مليارا", "ملياري"}
_ACCUSATIVE_OR_DUAL = {"مليونا", "مليارا", "ألفا", "الفا"}
_ALSO_A_NAME = {"ألفا", "الفا"}  # alone, also Alpha («متحور ألفا», «ألفا روميو»): the dual may match, is not required
_CLITICS = re.compile(f"^{PROCLITICS}")
_SHARE_OF = {"نصف": 2, "ربع": 4}  # before a scale word: half, a quarter of it
_PUNCTUATION = "«»\"'()[]،,.:؛;!؟?"
# «في المئة», «بالمئة», «بالمائة»: per cent, not the number 100.
_PER_CENT = re.compile(r"^(?:(?:بال|لل|ال)(?:مئة|مائة))$")


@dataclass(frozen=True)
class NumberPhrase:
    """A number written in Arabic words: «الثالثة عشر» (13), «خمسة وعشرون» (25), «ثلاثة آلاف» (3000)."""

    value: int
    written: str
    optional: bool = False  # a century («القرن العشرين»): may match, need not

    @property
    def required(self) -> bool:
        """Must the English say it? Not 1 and 2 («أحد», «الأول», «الاثنين» Monday, duals: "a", "both",
        "first", "twice"), nor a bare hundred or scale word («آلاف» "thousands", «مئة عام» "a century")."""
        bare = len(self.written.split()) == 1 and self.value in (100, 1000, 10**6, 10**9, 10**12)
        return self.value >= 3 and not bare and not self.optional


@lru_cache(maxsize=16384)  # words recur
def _arabic_number_word(token: str) -> tuple[int, str] | None:
    token = token.strip(_PUNCTUATION)
    if token in _AR_WORDS:
        return _AR_WORDS[token]
    bare = _CLITICS.sub("", token, count=1)
    return _AR_WORDS.get(bare) or _AR_WORDS.get(token[1:] if token[:1] in "وفبلك" else token)


# Words, and each punctuation mark a token of its own («كولومبيا)وثماني» is two words and a bracket).
_TOKEN = re.compile(rf"[^\s{re.escape(_PUNCTUATION)}]+|[{re.escape(_PUNCTUATION)}]")
_CENTURY = re.compile(f"^(?:{PROCLITICS_WITH_ARTICLE}|{PROCLITICS})قرن$")


def arabic_number_phrases(text: str) -> list[NumberPhrase]:
    """The numbers an Arabic text writes in words, each phrase read as one value.

    «خمسة وعشرون» is 25 (not 5 and 20), «السابعة عشرة» 17, «بعشرين» 20, but «الأول والثالث» are
    two numbers. A scale word after digits («5 ملايين») belongs to the digits; «في المئة» is per
    cent; punctuation ends a phrase. A century («القرن العشرين») is kept but not required: the
    English often gives the years instead ("the 1980s").
    """
    phrases: list[NumberPhrase] = []
    words: list[str] = []
    total = group = 0
    previous_kind = None
    previous = ""
    optional = False

    def close() -> None:
        nonlocal total, group, previous_kind, words, optional
        if words and total + group:
            phrases.append(NumberPhrase(total + group, " ".join(words), optional))
        total = group = 0
        previous_kind, words, optional = None, [], False

    tokens = _TOKEN.findall(text)
    unit = 0  # the last scale word's own unit (a dual's half): what «ونصف» takes half of
    for at, token in enumerate(tokens):
        word = _arabic_number_word(token)
        dual = token.strip(_PUNCTUATION) in _DUALS
        if word is not None and word[1] == "scale" and token.strip(_PUNCTUATION) in _ACCUSATIVE_OR_DUAL and (
                words or at + 1 < len(tokens) and tokens[at + 1].startswith("و")):
            # «خمسة عشر مليونا», «مليونا ونصف المليون», «مليونا و200 ألف»: the accusative of one, not the
            # dual (a dual in construct, «مليونا شخص», has its noun next, never «و»)
            word, dual = (word[0] // 2, "scale"), False
        if token == "ونصف" and previous_kind == "scale" and unit:
            total += unit // 2  # «ثلاثة ملايين ونصف» 3.5 million, «مليونين ونصف» 2.5 million
            words.append(token)
            previous = token
            continue
        if previous == "ونصف" and token.startswith("ال") and word is not None and word[1] == "scale":
            words.append(token)  # «ونصف المليون»: the half's own noun, no new million
            previous = token
            continue
        share = _SHARE_OF.get(_CLITICS.sub("", previous.strip(_PUNCTUATION), count=1))
        if word is not None and word[1] == "scale" and not words and share and not dual:
            close()  # «نصف مليون» 500,000, «ربع مليون» 250,000, «نصف المليار»: one number, said in words
            phrases.append(NumberPhrase(word[0] // share, f"{previous} {token}"))
            previous = token
            continue
        if word is not None and word[1] == "scale" and not words and previous[-1:].isdigit():
            word = None  # «5 ملايين»: read with the digits
        if word is not None and word[0] == 100 and _PER_CENT.match(token) and (token[:1] == "ب" or previous == "في"):
            word = None  # «10 في المئة», «بالمئة»
        if word is None:
            close()
            previous = token
            continue
        value, kind = word
        teen = kind == "unit" and value == 10 and previous_kind == "unit" and group < 10 and not token.startswith("و")
        # Units come before tens («ستة وثلاثون»): a unit after a unit or a ten, or a ten after a
        # ten, starts another number («الأول والثالث»).
        if words and not teen and (kind == "unit" and previous_kind in ("unit", "ten") or kind == previous_kind == "ten"):
            close()
        if not words:
            optional = bool(_CENTURY.match(previous)) or token.strip(_PUNCTUATION) in _ALSO_A_NAME
        if kind == "scale":
            total += (group or 1) * value
            group = 0
            unit = value // 2 if dual else value
        elif teen:
            group += 10  # «سبعة عشر», «السابعة عشرة»: 17
        else:
            group += value
        previous_kind = kind
        words.append(token)
        previous = token
    close()
    return phrases


_SCALE_WORD = "|".join(sorted((re.escape(w) for w, (_, kind) in _AR_WORDS.items() if kind == "scale"), key=len, reverse=True))
_COMPOUND = re.compile(rf"(?:(\d+(?:\.\d+)?)\s*)?({_SCALE_WORD})\s+و\s*(\d+(?:\.\d+)?)(?:\s*({_SCALE_WORD}))?(?![{ARABIC_LETTERS}])")


def _one_scale(word: str) -> int:
    """A scale word's value in an amount of parts: «ألفا» / «مليونا» there, after digits or before «و», is
    one scale's accusative («43 ألفا و500», «مليونا و200 ألف»), never the dual, whose noun would follow."""
    value = _AR_WORDS[word][0]
    return value // 2 if word in _ACCUSATIVE_OR_DUAL else value


def compound_amounts(arabic: str) -> dict[str, str]:
    """«3 آلاف و500» is 3,500 and «مليار و200 مليون» 1,200,000,000: each digit part's value → the
    whole, which the English may give instead of the parts ("3,500", "$1.2 billion")."""
    found = {}
    for match in _COMPOUND.finditer(arabic) if "و" in arabic else ():
        first, scale, second, second_scale = match.groups()
        unit = _one_scale(scale)
        high = Decimal(first or 1) * unit if first or unit % 1000 == 0 else None
        if scale in _DUALS and scale not in _ACCUSATIVE_OR_DUAL and first:
            continue  # «3 ألفين» is no number
        low = Decimal(second) * (_one_scale(second_scale) if second_scale else 1)
        if high is None or low >= high:
            continue
        whole = _decimal(str(high + low))
        if first:
            found[_decimal(first)] = whole
        found[_decimal(second)] = whole
    return found


_FRACTION_OF_HOUR = {"والنصف": 30, "ونصف": 30, "والربع": 15, "وربع": 15, "والثلث": 20, "وثلث": 20}
_PERIODS = "مساءً|مساء|صباحًا|صباحا|ظهرًا|ظهرا|عصرًا|عصرا|فجرًا|فجرا|ليلا"
# «الساعة» (or «في») and an hour's word(s), then minutes, a fraction of the hour or a period of the day
# Minutes in words after an hour's word: «وخمس عشرة دقيقة», «وخمس وأربعين دقيقة», «والنصف», «إلا ربعا»
_MINUTES_IN_WORDS = r"\s+و\S+(?:\s+و\S+|\s+عشرة?)?\s+(?:دقيقة|دقائق)|\s+(?:والنصف|ونصف|والربع|وربع|والثلث|وثلث|إلا\s*ربعا?|الا\s*ربعا?)"
_CLOCK_WORDS = re.compile(
    r"(?:(?:(?:في|عند|حتى|منذ)\s+)?(?:الساعة|الساعه)|(?<!\S)(?:في|عند|حتى|منذ))\s+((?:ال)?[^\s\d]+(?:\s+عشرة?)?)"
    r"(?:\s+و((?:\S+\s+و)?\S+(?:\s+عشرة?)?)\s+(?:دقيقة|دقائق)"  # «وخمس عشرة دقيقة»: a teen of minutes
    r"|\s+(والنصف|ونصف|والربع|وربع|والثلث|وثلث|إلا\s*ربعا?|الا\s*ربعا?))?"
    rf"(?:\s+(?:من\s+)?(?:ال)?({_PERIODS}))?")


def clock_times(arabic: str) -> dict[str, set[str]]:
    """Times said in words — «الثامنة والنصف مساءً», «التاسعة إلا ربعا ليلا», «الحادية عشرة وخمس
    وأربعين دقيقة», «السادسة مساء» — as the English may write them ("8:30 p.m." / 20:30, "8:45
    p.m.", 11:45, "6 p.m." / "1800 GMT"): the hour's words → the forms that say the time."""
    times: dict[str, set[str]] = {}
    for match in _CLOCK_WORDS.finditer(arabic):
        hour_words, minute_words, part, period = match.groups()
        hours = arabic_number_phrases(hour_words)
        if len(hours) != 1 or not 1 <= hours[0].value <= 12:
            continue
        hour, minutes = hours[0].value, 0
        if minute_words:
            found = arabic_number_phrases(minute_words)
            if len(found) != 1 or not 1 <= found[0].value <= 59:
                continue
            minutes = found[0].value
        elif part and part.startswith(("إلا", "الا")):
            hour, minutes = hour - 1 or 12, 45
        elif part:
            minutes = _FRACTION_OF_HOUR[part]
        elif not period:
            continue  # an ordinal alone is no time
        clock = f"{minutes:02d}"
        forms = _clock_forms(hour, clock)
        if period in ("مساء", "مساءً", "عصرا", "عصرًا", "ظهرا", "ظهرًا") and hour < 12 or period == "ليلا" and 7 <= hour < 12:
            forms |= _clock_forms(hour + 12, clock)
        elif hour == 12 and period in ("ليلا", "صباحا", "فجرا"):
            forms |= _clock_forms(0, clock)
        times.setdefault(hour_words, set()).update(forms)
        if minute_words:
            times.setdefault(minute_words, set()).update(forms)
    return times


_NUMERIC_DATE = re.compile(r"(?<![\d/.-])(?:\d{1,2}([/.-])(\d{1,2})\1(?:\d{4}|\d{2})|\d{4}([/.-])(\d{1,2})\3\d{1,2})"
                           r"(?![\d/-]|\.\d)")


def slash_date_months(arabic: str) -> list[int]:
    """The months of dates written in figures — «12/3/2024», «31-12-2025» (day, month, year, as
    Arabic writes them) and «2024/3/12» (year first): the English may name the month instead
    ("March 12, 2024")."""
    hijri = {match.span() for match in _HIJRI_IN_FIGURES.finditer(arabic)
             if _hijri_year(match.group(1) or match.group(8))} if "ه" in arabic else set()
    months = (int(m.group(2) or m.group(4)) for m in _NUMERIC_DATE.finditer(arabic)
              if not any(start <= m.start() < end for start, end in hijri))  # «1445/9/15هـ»: Ramadan, not September
    return [month for month in months if 1 <= month <= 12]


# Numbers a sports report says without a number word: «بهدفين مقابل هدف» is 2-1, «دون رد» / «نظيفة» 0.
_SAID_WITHOUT_DIGITS = (
    (re.compile(r"(?:^|\s)[وب]?(?:هدفين|هدفان|الهدفين)(?![\w])"), "2"),
    (re.compile(r"(?:مقابل|و)\s+هدف(?:\s+واحد)?(?![\w])|(?:^|\s)بهدف(?![\w])"), "1"),
    (re.compile(r"(?:دون|بدون|بلا|مقابل\s+لا\s+شيء)\s+رد|نظيفة?(?![\w])|السلبي(?![\w])|(?:^|\s)صفر(?![\w])"), "0"),
    (re.compile(r"(?:^|\s)ب?ثلاثية(?![\w])"), "3"), (re.compile(r"(?:^|\s)ب?رباعية(?![\w])"), "4"),
    (re.compile(r"(?:^|\s)ب?خماسية(?![\w])"), "5"),
    # «فاتح يوليوز», «فاتح ماي»: the first of the month in Maghrebi copy (as «الفاتح من جانفي»)
    (re.compile(rf"(?:^|\s)[وب]?فاتح\s+(?:من\s+)?(?:{'|'.join(_month_pattern(n) for n in _AR_MONTHS.values())})(?![\w])"), "1"),
)


def said_without_digits(arabic: str) -> set[str]:
    """Numbers the Arabic says with a noun's dual or an idiom: never required, but an English digit
    may come from them ("won 2-1", "3-0")."""
    return {value for pattern, value in _SAID_WITHOUT_DIGITS if pattern.search(arabic)}


# An hour and its part of the day: digits after «الساعة» (a bare «5 مساء الجمعة» may count people), or
# an ordinal hour word («الخامسة صباحا»), never a weekday («الأحد صباحا», «الاثنين مساء»).
_AR_HOUR_PERIOD = re.compile(
    rf"(?:الساعة\s+(\d{{1,2}})(?:[:.]\d{{2}})?|(?<!\S)[وف]?(ال(?!أحد|احد|اثنين|إثنين)[^\s\d]+(?:\s+عشرة?)?))"
    rf"(?:{_MINUTES_IN_WORDS})?"  # «الثانية وخمس عشرة دقيقة فجرا»: the period says the whole time's
    rf"\s+(?:من\s+)?(?:ال)?({_PERIODS})")
_EN_HOUR_PERIOD = re.compile(r"\b(\d{1,2})(?::\d{2})?\s*([ap])\.?\s?m\b\.?", re.I)
_AR_DECADES = {"الخمسينيات": 5, "الخمسينات": 5, "الستينيات": 6, "الستينات": 6, "السبعينيات": 7, "السبعينات": 7,
               "الثمانينيات": 8, "الثمانينات": 8, "التسعينيات": 9, "التسعينات": 9, "الأربعينيات": 4, "الاربعينيات": 4}
_EN_DECADE = re.compile(r"\b(?:1[89]|')?([4-9])0s\b")
_EN_CENTURY = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)[\s-]+century\b", re.I)


def time_and_era_conflicts(arabic: str, english: str) -> list[tuple[str, str]]:
    """What the English says of a time's part of the day or of a decade or century that the Arabic
    contradicts: («الثالثة عصرا», "3 a.m."), («الثمانينيات», "the 1970s"), («القرن التاسع عشر»,
    "the 18th century"). Each only where both sides say it and no English form agrees."""
    conflicts = []
    english_hours = {(int(h), half.lower()) for h, half in _EN_HOUR_PERIOD.findall(english)}
    lowered = english.lower()
    if "noon" in lowered or "midday" in lowered:
        english_hours.add((12, "p"))
    if "midnight" in lowered:
        english_hours.add((12, "a"))
    said = []
    for digits, words, period in _AR_HOUR_PERIOD.findall(arabic) if english_hours else ():
        written = digits or words
        hour = int(digits) if digits else next((p.value for p in arabic_number_phrases(words)), 0)
        if not 1 <= hour <= 12:
            continue
        half = "a" if period.startswith(("صباح", "فجر")) or period == "ليلا" and (hour < 5 or hour == 12) else "p"
        said.append((written, period, hour, half))
    arabic_hours = {(hour, half) for _, _, hour, half in said}
    for written, period, hour, half in said:
        other = "p" if half == "a" else "a"
        if (hour, other) in english_hours and (hour, half) not in english_hours and (hour, other) not in arabic_hours:
            shown = ("noon" if other == "p" else "midnight") if hour == 12 else f"{hour} {other}.m."
            conflicts.append((f"«{written} {period}»", shown))
    decades = {d for word, d in _AR_DECADES.items() if word in arabic}
    english_decades = {int(d) for d in _EN_DECADE.findall(english)}
    if decades and english_decades and not decades & english_decades:
        conflicts.append((", ".join(f"«{w}»" for w, d in _AR_DECADES.items() if d in decades and w in arabic),
                          ", ".join(f"{d}0s" for d in sorted(english_decades))))
    centuries = {p.value for p in arabic_number_phrases(arabic) if p.optional}
    named = {int(c) for c in _EN_CENTURY.findall(english)}
    if centuries and named and not centuries & named:
        conflicts.append((", ".join(f"century {c}" for c in sorted(centuries)), ", ".join(f"{c}th century" for c in sorted(named))))
    return conflicts


def occurrences(numbers: NumberSet, forms: set[str]) -> int:
    """How often a number with one of `forms` stands among `numbers` (optional ones count once)."""
    found = sum(numbers.counts[v] for v, (_, f) in numbers.values.items() if f & forms)
    return found + (1 if numbers.optional & forms else 0)


def arabic_digits_text(text: str) -> str:
    normalized = strip_tashkeel(to_ascii_digits(text))
    return _ARABIC_COMMA_GROUP.sub(",", normalized)


# «30،000»: the Arabic comma groups thousands. The pattern starts with the comma itself, which the
# regex engine then searches for directly (a look-behind first is tried at every position).
_ARABIC_COMMA_GROUP = re.compile(r"،(?<=\d،)(?=\d{3}(?!\d))")


def arabic_numbers(text: str) -> tuple[NumberSet, list[NumberPhrase]]:
    """Digits of the Arabic, and its numbers written in words."""
    normalized = arabic_digits_text(text)
    return collect(normalized, AR_SCALES), arabic_number_phrases(normalized)


@dataclass
class EnglishNumbers:
    digits: NumberSet      # written in digits
    words: set[str]        # every value its words may say (excuses an Arabic number)
    cardinals: set[str]    # values of plain cardinal words ("three", "twenty-five"): said, so must be in the Arabic


def english_numbers(text: str) -> EnglishNumbers:
    """The numbers of an English text, in digits and in words."""
    from text_to_num import alpha2digit

    digits = collect(text, EN_SCALES)
    # "twenty-five" is one number, "1950-53" two; text2num reads "twenty five", not "twenty-five".
    spaced = _WORD_HYPHEN.sub(" ", text).replace("-", " - ") if "-" in text else text
    # Numbers in digits are read above; hidden here so text2num cannot join "1.7 million four" into 1000004.
    spaced = _DIGITS_WITH_SCALE.sub(" ; ", spaced)
    lowered = text.lower()
    fractions: set[str] = set()  # "half a million" is 500,000 (text2num reads a million)
    if "half" in lowered or "quarter" in lowered:
        def fraction(match: re.Match) -> str:
            share = Decimal(3) / 4 if match.group(1) else Decimal(1) / (2 if match.group(2) else 4)
            fractions.add(_decimal(str(share * EN_SCALES[match.group(4).lower()])))
            return " ; "
        spaced = _FRACTION_OF_SCALE.sub(fraction, spaced)
        def and_a_half(match: re.Match) -> str:
            whole = Decimal(_SMALL.index(match.group(1).lower()) + 1) + Decimal("0.5")
            fractions.add(_decimal(str(whole * EN_SCALES[match.group(2).lower()])))
            return " ; "
        spaced = _AND_A_HALF.sub(and_a_half, spaced)
    converted = collect(alpha2digit(spaced, "en", threshold=0), EN_SCALES)
    words = (converted.accepted - digits.accepted) | fractions
    words |= {str(int(n)) for n in _GROUP_OF.findall(text)}  # "G20", "G-7": «مجموعة العشرين», «السبع»
    words |= {str(_ROMAN[n]) for n in _REGNAL.findall(text)}  # "Mohammed VI": «محمد السادس»
    for said in _NOON.findall(text) if "id" in lowered or "noon" in lowered else ():  # «12 ظهرا», «منتصف الليل»
        words |= {"12", "12:00"} | ({"0", "0:00", "24", "24:00"} if said.lower() == "midnight" else set())
    if _ANY_EN_NUMBER_NOUN.search(lowered):
        for pattern, value in _EN_NUMBER_NOUNS:
            for match in re.finditer(pattern, text, re.I):
                words.add(value or _FOLD[match.group().lower().removesuffix("fold")])
    # "hundreds of", "tens of thousands", "thirds" are no number an Arabic text must hold
    vague = _VAGUE.sub(" ; ", spaced) if _ANY_VAGUE.search(lowered) else spaced
    plain = converted if vague == spaced else collect(alpha2digit(vague, "en", threshold=0), EN_SCALES)
    return EnglishNumbers(digits, words, (set(plain.values) - digits.accepted) | fractions)


# Half or a quarter of a scale: "half a million", "a quarter of a million", "a half-million", "three-quarters of
# a billion" (not the half of "one and a half million").
_FRACTION_OF_SCALE = re.compile(r"(?<!\band a )(?<!\band )\b(?:(three)\s+quarters?|(half)|(quarter))\s+(?:of\s+)?(?:an?\s+)?"
                                r"(thousand|million|billion)\b", re.I)
_SMALL = "one two three four five six seven eight nine ten".split()
_AND_A_HALF = re.compile(rf"\b({'|'.join(_SMALL)})\s+and\s+a\s+half\s+(thousand|million|billion)\b", re.I)  # 1.5 million


_GROUP_OF = re.compile(r"\b(?:G|COP|Cop)-?(\d{1,2})\b")  # "G20", "COP28": «مجموعة العشرين», «كوب 28»
_ROMAN = {r: i for i, r in enumerate("I II III IV V VI VII VIII IX X XI XII XIII XIV XV XVI XVII XVIII XIX XX".split(), start=1)}
# A Roman numeral after a name: a king's or pope's number, a stadium's («ملعب محمد الخامس»)
_REGNAL = re.compile(r"\b[A-Z][a-z]+ (" + "|".join(sorted(_ROMAN, key=len, reverse=True)) + r")\b")
_NOON = re.compile(r"\b(noon|midday|midnight)\b", re.I)
_WORD_HYPHEN = re.compile(r"-(?<=[A-Za-z]-)(?=[A-Za-z])")  # starts with its literal: searched fast
_VAGUE_WORDS = r"(?:tens|dozens|hundreds|thousands|millions|billions|halves|thirds|quarters|fifths)\b"
_VAGUE = re.compile(r"\b" + _VAGUE_WORDS, re.I)
_ANY_VAGUE = re.compile(_VAGUE_WORDS)  # one scan first, of the lower-cased text: starts with letters, fast


_DIGITS_WITH_SCALE = re.compile(r"\d[\d.,:]*(?:\s*(?:thousand|million|billion|trillion|bn|mn|m|k)\b)?", re.I)
# Words that say a number without being one: «عشر سنوات» is often "a decade", «ثلاث مرات»
# "tripled", «الأربع كرات» (golf) "fourballs".
_EN_NUMBER_NOUNS = ((r"\b(?:a|one)\s+dozen\b", "12"), (r"\bhalf a dozen\b", "6"), (r"\bdecades?\b", "10"),
                    (r"\bcentur(?:y|ies)\b", "100"), (r"\bfortnight\b", "14"), (r"\btripl", "3"), (r"\btrio\b", "3"),
                    (r"\bquadrupl", "4"), (r"\bquartet\b", "4"), (r"\bquintupl", "5"), (r"\bthreesomes?\b", "3"),
                    (r"\bfour(?:balls?|somes?)\b", "4"), (r"\b(?:two|three|four|five|six|seven|eight|nine|ten)fold\b", None))
# One scan first, of the lower-cased text: without re.I, twice as fast.
_ANY_EN_NUMBER_NOUN = re.compile("|".join(f"(?:{pattern})" for pattern, _ in _EN_NUMBER_NOUNS))
_FOLD = {"two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9", "ten": "10"}


@dataclass(frozen=True)
class HijriDate:
    """A Hijri date of the Arabic: in words («15 رمضان 1445هـ») or in figures with «هـ» («1445/9/15هـ»)."""

    day: int
    month: int
    year: int
    in_figures: bool
    gregorian: tuple = ()  # its Gregorian date, ± one day for moon sighting (none when out of range)


# A date in figures marked Hijri by «هـ»: «1445/9/15هـ» (the year first, as Saudi official copy writes it) or
# «15/9/1445 هـ».
_HIJRI_IN_FIGURES = re.compile(r"(?<![\d/.-])(?:(\d{4})([/.-])(\d{1,2})\2(\d{1,2})|(\d{1,2})([/.-])(\d{1,2})\6(\d{4}))"
                               r"\s*ه\u0640*(?![" + ARABIC_LETTERS + "])")


def _hijri_year(year: str) -> bool:
    return 1300 <= int(year) <= 1600  # 1445 is 2023–24: «2024/3/12 ه…» is no Hijri date


def hijri_dates(arabic: str) -> list[HijriDate]:
    """The Hijri dates of an Arabic text, with their Gregorian equivalents (hijridate)."""
    from hijridate import Hijri

    text = to_ascii_digits(arabic)
    found = []
    for match in _HIJRI_DATE.finditer(text):
        day, month_name, year = match.groups()
        month = next(m for m, names in _HIJRI_MONTHS.items() if month_name in names)
        found.append((int(day), month, int(year), False))
    for match in _HIJRI_IN_FIGURES.finditer(text) if "ه" in text else ():
        year, _, month, day, day2, _, month2, year2 = match.groups()
        if _hijri_year(year or year2):
            found.append((int(day or day2), int(month or month2), int(year or year2), True))
    dates = []
    for day, month, year, in_figures in found:
        gregorian = []
        try:
            base = Hijri(year, month, day).to_gregorian()
            gregorian = [base + timedelta(days=shift) for shift in (-1, 0, 1)]  # moon sighting moves a day
        except (ValueError, OverflowError):
            pass
        dates.append(HijriDate(day, month, year, in_figures, tuple(gregorian)))
    return dates


def hijri_equivalents(arabic: str) -> tuple[set[str], set[str]]:
    """Hijri dates in the Arabic: their own numbers (day, year, and the month of one in figures), and the
    Gregorian day/month/year numbers."""
    own, gregorian = set(), set()
    for date in hijri_dates(arabic):
        own |= {str(date.day), str(date.year)} | ({str(date.month)} if date.in_figures else set())
        for day in date.gregorian:
            gregorian |= {str(day.day), str(day.year)}
    return own, gregorian


# The Hijri months as English copy spells them ("Dhu al-Qadah", "Dhul-Hijjah", "Rabi' al-Awwal", "Sha'ban").
_EN_HIJRI_MONTHS = {
    1: r"Muharram", 2: r"Safar", 3: r"Rabi['’]?[- ]?(?:a[lu][- ]?|ul[- ]?)?Aww?al|Rabi['’]? I\b",
    4: r"Rabi['’]?[- ]?(?:a[lu][- ]?|ul[- ]?|Al )?(?:Thani|Akh[ie]r|Aakhir)|Rabi['’]? II\b",
    5: r"Jumad[ai][- ]?(?:a[lu][- ]?|ul[- ]?)?(?:Ula|Oula|Awwal|Ulla)|Jumada I\b",
    6: r"Jumad[ai][- ]?(?:a[lu][- ]?|ul[- ]?)?(?:Akhir[ah]*|Thani[yah]*|Aakhira)|Jumada II\b",
    7: r"Rajab", 8: r"Sha['’]?a?ban", 9: r"Ramad(?:h)?an|Ramazan", 10: r"Shaww?al",
    11: r"(?:Dhu|Zu)[- ]?(?:a?l[- ]?|'l[- ]?)?Qa['’]?[ai]?dah?", 12: r"(?:Dhu|Zu)[- ]?(?:a?l[- ]?|'l[- ]?)?Hijj?ah?",
}
_EN_HIJRI_MONTH_RE = {m: re.compile(rf"\b(?:{names})\b", re.I) for m, names in _EN_HIJRI_MONTHS.items()}
EN_HIJRI_MONTH_NAMES = {1: "Muharram", 2: "Safar", 3: "Rabi al-Awwal", 4: "Rabi al-Thani", 5: "Jumada al-Ula",
                        6: "Jumada al-Akhirah", 7: "Rajab", 8: "Shaban", 9: "Ramadan", 10: "Shawwal",
                        11: "Dhu al-Qadah", 12: "Dhu al-Hijjah"}


def hijri_months_in_english(text: str) -> set[int]:
    return {month for month, pattern in _EN_HIJRI_MONTH_RE.items() if pattern.search(text)}


def hijri_months_by_name(arabic: str, english: str) -> set[str]:
    """The month numbers of the Arabic's Hijri dates in figures that the English names ("20 Ramadan 1445 AH"
    for «1445/9/20هـ»): said, not missing."""
    dates = [date for date in hijri_dates(arabic) if date.in_figures] if "ه" in arabic else []
    named = hijri_months_in_english(english) if dates else set()
    return {str(date.month) for date in dates if date.month in named}


def hijri_months_lost(arabic: str, english: str) -> list[int]:
    """The Hijri months of the Arabic's dates that the English says in no form: neither the Hijri month's name
    ("Ramadan"), nor the month of its Gregorian date ("March 25"), nor the date in figures ("1445/9/15")."""
    dates = hijri_dates(arabic) if "ه" in arabic else []
    if not dates:
        return []
    hijri_named, named = hijri_months_in_english(english), months_in_english(english)
    lost = []
    for date in dates:
        in_figures = re.search(rf"(?<!\d){date.year}[/.-]\d|\d[/.-]{date.year}(?!\d)", english)
        if date.month in hijri_named or {d.month for d in date.gregorian} & named or in_figures or not date.gregorian:
            continue
        lost.append(date.month)
    return sorted(set(lost))


def months_in_arabic(text: str) -> set[int]:
    """The months the Arabic names beside a number: digits near it, or a day in words right before it
    («العاشر من حزيران», «الحادي والعشرين من آذار», «الفاتح من جانفي», «فاتح يوليوز»)."""
    normalized = to_ascii_digits(text)
    found = set()
    digits = bool(_ANY_DIGIT.search(normalized))
    for month, pattern in _AR_MONTH_RE.items():
        if not any(name in normalized for name in _AR_MONTHS[month]):
            continue  # none of its names, as plain text: the pattern cannot match
        for match in pattern.finditer(normalized):
            window = normalized[max(0, match.start() - _NEAR_NUMBER):match.end() + _NEAR_NUMBER]
            if digits and re.search(r"\d", window) or _day_in_words_before(normalized, match.start()):
                found.add(month)
    return found


_WORD_BEFORE_MONTH = re.compile(r"(\S+)\s+(?:من\s+)?(?:شهر\s+)?$")


def _day_in_words_before(text: str, start: int) -> bool:
    """Is the month at `start` a date's, with its day in words before it («العاشر من حزيران»)?"""
    before = _WORD_BEFORE_MONTH.search(text, max(0, start - 40), start)
    if not before:
        return False
    word = before.group(1).strip(_PUNCTUATION)
    number = _arabic_number_word(word)
    return word in ("فاتح", "وفاتح", "بفاتح") or number is not None and number[1] in ("unit", "ten")


def months_in_english(text: str) -> set[int]:
    named = {month for month, pattern in _EN_MONTH_RE.items() if pattern.search(text)} if _ANY_EN_MONTH.search(text) \
        else set()
    return named | {
        int(m) for m in re.findall(r"\b\d{1,2}/(\d{1,2})/\d{2,4}\b", text) if 1 <= int(m) <= 12}


_ANY_DIGIT = re.compile(r"\d")
# Digit groups written apart: a phone number «116123» as "116 123", "0800 123 456".
_SPACED_DIGITS = re.compile(r"(?=\d)(?<![\d.,])\d{1,4}(?:[ \u00a0\u202f-]\d{2,4})+(?![\d])")


def join_spaced_groups(text: str, other: NumberSet) -> str:
    """Join digit groups written apart when the other side has them as one number."""
    wanted = other.accepted

    def join(match: re.Match) -> str:
        joined = re.sub(r"\D", "", match.group())
        return joined if _decimal(joined) in wanted else match.group()

    return _SPACED_DIGITS.sub(join, text)


def at_least_three(value: str) -> bool:
    try:
        return Decimal(value) >= 3
    except InvalidOperation:
        return False
