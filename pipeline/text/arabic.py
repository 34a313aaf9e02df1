"""Arabic text helpers: character classes, digits and the normalisation of model input.

Normalisation applies only to the text the model sees; what editors see stays exactly as
written. Every step keeps meaning: «٫» is a decimal point, so ٣٫٥ becomes 3.5, never 3,5.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache


# Letters of the Arabic script (base block, supplement, extended-A, presentation forms);
# not the kashida (U+0640), which only stretches a word.
ARABIC_LETTERS = (
    "\u0620-\u063f\u0641-\u064a\u066e-\u066f\u0671-\u06d3\u06d5\u06ee-\u06ef\u06fa-\u06ff"
    "\u0750-\u077f\u08a0-\u08c9\ufb50-\ufdfb\ufe70-\ufefc"
)
ARABIC_LETTER = re.compile(f"[{ARABIC_LETTERS}]")
# Presentation forms come from PDFs and old software; NFKC maps them to the base letters.
PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufefe]")

ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
_DIGIT_TABLE = str.maketrans(ARABIC_INDIC_DIGITS + PERSIAN_DIGITS, "0123456789" * 2)
ALL_DIGITS = "0-9" + ARABIC_INDIC_DIGITS + PERSIAN_DIGITS
# A list item's opening: a bullet, a number in any digits («1.», «٢-», «(3)»), or an ordinal
# word («أولا:»). Reading (the lines of a wrapped .txt) and kinds (list_item) share it.
LIST_ITEM_OPENING = re.compile(rf"^\s*(?:[-–•*▪●◦]\s+|[{ALL_DIGITS}]+\s*[-.)]\s+|\(?[{ALL_DIGITS}]+\)\s+|"
                               r"(?:أولا|ثانيا|ثالثا|رابعا|خامسا)ً?\s*[:：-])")
ARABIC_DECIMAL_SEPARATOR = "٫"    # U+066B
ARABIC_THOUSANDS_SEPARATOR = "٬"  # U+066C
ARABIC_COMMA = "،"
ARABIC_SEMICOLON = "؛"
ARABIC_QUESTION_MARK = "؟"
# Arabic marks as English writes them, in a line of figures copied into the English (english_marks).
_ARABIC_MARKS_IN_ENGLISH = str.maketrans({"٪": "%", "؛": ";", "؟": "?", "٫": ".", "٬": ","})
_ARABIC_COMMA_AS_ENGLISH = re.compile(r"\s*،(?!\d)")


def english_marks(figures: str) -> str:
    """A line of figures («١٢٪، ٣٫٥», already with ASCII digits) with its Arabic marks as English
    writes them: "12%, 3.5". Only where there is a figure (a line of marks alone stays as written),
    and a comma between digits («3،5», which may be a decimal comma) is left alone."""
    if not any(ch.isdigit() for ch in figures):
        return figures
    return _ARABIC_COMMA_AS_ENGLISH.sub(",", figures.translate(_ARABIC_MARKS_IN_ENGLISH))
KASHIDA = "\u0640"
# Tashkeel: fathatan … sukun (U+064B–U+0652), the marks pyarabic's strip_tashkeel removes.
# Deleted with a regex: the same result (tested against pyarabic), much faster than pyarabic's
# character-by-character check and than str.translate, which is slow on non-ASCII text.
TASHKEEL = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652"
_TASHKEEL = re.compile(f"[{TASHKEEL}]")
# Digits are mapped with str.translate, which looks every character up; most text has none: look first.
_ANY_EASTERN_DIGIT = re.compile(f"[{ARABIC_INDIC_DIGITS}{PERSIAN_DIGITS}{ARABIC_DECIMAL_SEPARATOR}{ARABIC_THOUSANDS_SEPARATOR}]")

# Invisible format characters that change nothing a reader sees: bidi marks and embeddings,
# zero-width joiners/spaces, the BOM, soft hyphens. The model has never seen them in training.
FORMAT_CONTROLS = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
# Of those, explicit directional formatting — embeddings, overrides, isolates and what closes them —
# can make text show in another order than it reads ("Trojan Source", CVE-2021-42574). An override
# shows the characters after it reversed («RLO 1202» is seen as 2021): no Arabic copy needs one,
# while the marks (LRM, RLM, ALM), embeddings and isolates have honest uses there. English needs none.
BIDI_OVERRIDES = re.compile("[\u202d\u202e]")
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def bidi_names(characters) -> str:
    """«U+202E (right-to-left override)» for each distinct character, in code point order."""
    import unicodedata

    return ", ".join(f"U+{ord(c):04X} ({unicodedata.name(c, 'bidi control').lower()})" for c in sorted(set(characters)))


# Other control characters (C0/C1 except tab/newline) that survive into text from bad exports.
OTHER_CONTROLS = re.compile("[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]")
SPACES = re.compile(r"\s+")
_OTHER_SPACE = re.compile(r"[^\S ]")  # white space other than a plain space
_ENTITY = re.compile(r"&(#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]{1,31});")

# «في11» → «في 11»: newsroom copy often loses the space between a word and a number.
# A digit right after an Arabic letter; found from the digit (the rarer character: a pattern that
# starts with a letter class tries every letter, four times slower), the letter looked behind for.
_LETTER_THEN_DIGIT = re.compile(f"[{ALL_DIGITS}](?<=[{ARABIC_LETTERS}][{ALL_DIGITS}])")
_DIGIT_THEN_LETTER = re.compile(f"([{ALL_DIGITS}])([{ARABIC_LETTERS}])")
_ARABIC_DECIMAL = re.compile(f"(?<=[{ALL_DIGITS}]){ARABIC_DECIMAL_SEPARATOR}(?=[{ALL_DIGITS}])")
_ARABIC_THOUSANDS = re.compile(f"(?<=[{ALL_DIGITS}]){ARABIC_THOUSANDS_SEPARATOR}(?=[{ALL_DIGITS}])")


# Proclitics written before an Arabic word: a conjunction (و "and", ف "so"), a preposition
# (ب "with", ل "for", ك "like") and the article (ال). Before the article ل drops its alef's
# partner: ل + ال is written لل («للكرملين»).
PROCLITICS = "(?:و|ف)?(?:ب|ل|ك)?(?:ال)?"
PROCLITICS_WITH_ARTICLE = "(?:و|ف)?(?:(?:ب|ك)?ال|لل)"  # in front of a word that carries ال
# A word whose own first letter is ل loses one more: ل + ال + لاجئين is «للاجئين», not «لللاجئين»
# (the article's lam merges with the word's); written in front of the word without its ال.
PROCLITICS_WITH_ARTICLE_BEFORE_LAM = "(?:و|ف)?(?:(?:ب|ك)?ال|ل)"
# As replacements, not a str.translate table: translate maps non-ASCII text character by
# character in Python's slow path (18 µs a paragraph of news), six replaces take 1 µs.
_SPELLING_VARIANTS = (("أ", "ا"), ("إ", "ا"), ("آ", "ا"), ("ٱ", "ا"), ("ة", "ه"), ("ى", "ي"))


def _one_spelling(text: str) -> str:
    for variant, letter in _SPELLING_VARIANTS:
        text = text.replace(variant, letter)
    return text


# A word of the basic Arabic letters alone (no kashida, tashkeel, digits, presentation forms or
# marks) is already what the model sees: NFC leaves letters without marks as they are, and none
# of normalisation's other steps has anything to do. Most words of news copy are such words.
_PLAIN_ARABIC_WORD = re.compile("[\u0621-\u063a\u0641-\u064a]+")


@lru_cache(maxsize=8192)  # words recur, and a paragraph is compared by more than one check
def matching_form(text: str) -> str:
    """`text` as it is compared with other Arabic: normalised for the model, and the letters
    writers use interchangeably made one (hamza forms of alef, ta marbuta, alef maqsura)."""
    if _PLAIN_ARABIC_WORD.fullmatch(text):
        return _one_spelling(text)
    return _one_spelling(normalize_for_model(text))


def has_arabic(text: str) -> bool:
    return ARABIC_LETTER.search(text) is not None


def arabic_share(text: str) -> float:
    """Share of letters (any script) that are Arabic; 0.0 for text without letters."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for ch in letters if ARABIC_LETTER.match(ch)) / len(letters)


def strip_tashkeel(text: str) -> str:
    """`text` without tashkeel (short vowels, tanween, shadda, sukun)."""
    return _TASHKEEL.sub("", text)  # a regex, not str.translate: ten times faster on Arabic


def to_ascii_digits(text: str) -> str:
    """Arabic-Indic and Persian digits → 0-9; «٫» between digits → '.', «٬» → ','."""
    if not _ANY_EASTERN_DIGIT.search(text):
        return text  # nothing to change: no Eastern digit, no Arabic separator
    text = _ARABIC_DECIMAL.sub(".", text)
    text = _ARABIC_THOUSANDS.sub(",", text)
    return text.translate(_DIGIT_TABLE)


def unescape_entities(text: str) -> str:
    """Decode HTML entities (&quot; &#1605; ...) until none is left, so the result is stable."""
    while _ENTITY.search(text):
        decoded = html.unescape(text)
        if decoded == text:
            break
        text = decoded
    return text


def _normalize_once(text: str, strip_diacritics: bool) -> str:
    text = unescape_entities(text)
    text = unicodedata.normalize("NFC", text)
    text = PRESENTATION_FORMS.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    text = FORMAT_CONTROLS.sub("", text)
    text = OTHER_CONTROLS.sub(" ", text)
    text = text.replace(KASHIDA, "")
    if strip_diacritics:
        text = strip_tashkeel(text)
    text = to_ascii_digits(text)
    text = _LETTER_THEN_DIGIT.sub(r" \g<0>", text)
    text = _DIGIT_THEN_LETTER.sub(r"\1 \2", text)
    if "  " in text or _OTHER_SPACE.search(text):  # most text has single spaces only: nothing to do
        text = SPACES.sub(" ", text)
    return text.strip()


# What lets one pass expose work for another: an entity, a presentation form, and what a pass
# removes (controls, the kashida, tashkeel), which can join a letter to a mark NFC then composes.
# Without them (and in NFC), a pass only converts digits and spaces: its result is a fixed point.
_NEEDS_PASSES = re.compile("[&" + PRESENTATION_FORMS.pattern[1:-1] + FORMAT_CONTROLS.pattern[1:-1]
                           + OTHER_CONTROLS.pattern[1:-1] + KASHIDA + TASHKEEL + "]")


@lru_cache(maxsize=4096)  # one text is normalised by segmentation, the memory and several checks
def normalize_for_model(text: str, *, strip_diacritics: bool = True) -> str:
    """The text the model sees for `text`. Idempotent: normalising twice equals once.

    One pass can expose work for another (an entity that decodes to a presentation form, a
    removed mark that brings a letter next to a digit), so passes repeat until nothing changes;
    most text needs one pass and no second to confirm it (`_NEEDS_PASSES`).
    """
    if not _NEEDS_PASSES.search(text) and unicodedata.is_normalized("NFC", text):
        return _normalize_once(text, strip_diacritics)
    for _ in range(8):
        normalized = _normalize_once(text, strip_diacritics)
        if normalized == text:
            break
        text = normalized
    return text
