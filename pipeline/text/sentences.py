"""Sentences: where an Arabic sentence ends, and the sentences of an English text.

Arabic news copy ends sentences with `. ! ? ؟` followed by any closing quotes or brackets, but a
period also ends abbreviations, initials, dotted acronyms, list numbers and transliterations; an
ellipsis marks a pause; a quotation may go on with who said it. Each rule below has its
grammatical reason and its tests (tests/unit/text/test_sentences.py); the rules were measured on
NTREX-128 news (bench/segmentation.py).
"""

from __future__ import annotations

import re

from .arabic import ALL_DIGITS, ARABIC_LETTERS, FORMAT_CONTROLS, KASHIDA

# --- Arabic ------------------------------------------------------------------------------

CLOSERS = "\"'”’»›)]}"  # closing quotes and brackets
# A run of sentence-final punctuation, then closing quotes/brackets, then whitespace. Matched
# from the run's first mark only (a match from inside a run would end where the whole run's
# does): a run of 20,000 «!» took 6 s, each of its marks trying the rest. (Not possessive
# quantifiers, which would say the same: Python 3.10 has none.)
_BOUNDARY = re.compile(rf"(?<![.!?؟…])([.!?؟…]+)([{re.escape(CLOSERS)}]*)(?=\s)")
# Latin abbreviations that take a period mid-sentence.
_LATIN_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "inc", "ltd", "co", "corp", "vs", "etc",
    "no", "gen", "col", "lt", "sgt", "gov", "sen", "rep", "rev", "jan", "feb", "mar", "apr",
    "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "fig", "approx", "e.g", "i.e",
}
# Arabic abbreviations of more than one letter (single letters are all treated as initials).
_ARABIC_ABBREVIATIONS = {"ص.ب", "ق.م", "هـ", "ه", "م.م", "ج.م.ع"}
_LIST_MARKER = re.compile(rf"^\s*[({ALL_DIGITS}]+\)?$")
# What follows a sentence end is matched where it starts (`pattern.match(text, at)`: no ^ below).
# After a quotation that ends in . ! ? the sentence often goes on with who said it:
# «"يوجد قرش في المياه!" كما أضاف», «"...؟" قائلًا», «"..." حسبما أفاد». No boundary there.
_ATTRIBUTION_AFTER_QUOTE = re.compile(r"(?:كما|حسبما|قائل[اًةين]*|تساءل[تا]?)(?=[\s،,:.]|$)")
# «... مستعدون؟ وذلك حسب تقرير ...», «... 11 صباحا. وحسب مؤتمر ET الصحفي»: "according to X"
# with no clause of its own (no comma before the next sentence end) attributes the sentence
# before; it is not a sentence. «وبحسب الوثيقة، يتوقف الجانبان» has a clause: a new sentence.
_ATTRIBUTION = re.compile(r"(?:وذلك\s+)?و?(?:حسب|بحسب|وفق|وفقا|وفقًا|طبقا|طبقًا|نقلا|نقلًا)\s[^،,.!?؟…]*(?:[.!?؟…]|$)")
# Words that cannot end an Arabic sentence (prepositions, particles, relatives): a period
# after them is an abbreviation or a transliteration («روي في. واد» for Roe v. Wade).
_NEVER_LAST = {"من", "إلى", "الى", "على", "عن", "مع", "أن", "إن", "ان", "لم", "لن", "قد", "ثم", "التي",
               "الذي", "الذين", "اللذين", "اللتين", "بين", "حتى", "منذ", "لدى", "عند", "في", "فى", "أو"}
# Latin letters as Arabic news spells them out in acronyms: CNN «سي إن إن», ITV «آي تي في»,
# HBO «إتش بي أو». Some are also particles above («في» V, «أو» O, «إن» N): after another
# letter name they end an acronym, and an acronym can end a sentence.
_LETTER_NAMES = {
    "إيه", "ايه", "أيه", "أي", "اي", "آي", "بي", "سي", "دي", "إي", "إف", "اف", "جي", "إتش", "اتش",
    "جيه", "جاي", "كيه", "كاي", "إل", "ال", "إم", "ام", "إن", "ان", "أو", "كيو", "آر", "ار", "إس", "اس",
    "تي", "يو", "في", "فى", "دبليو", "إكس", "اكس", "واي", "زد", "زي",
}
_WORD_BEFORE = re.compile(r"(\S+)$")
_TWO_WORDS_BEFORE = re.compile(r"(\S+)\s+(\S+)$")
_SPACES = re.compile(r"\s*")


def _words_back(text: str, end: int, words: int) -> int:
    """Where the last `words` words before `end` start (0 when there are fewer). The patterns that
    look back from a sentence end (`…$`) are searched from here, not from the paragraph's start:
    the same match (none of them can start earlier), in time that does not grow with the
    paragraph — searched from 0 at every period, a paragraph of 200,000 characters took 32 s, one
    of a megabyte (a file without line breaks) minutes."""
    at = end
    for _ in range(words):
        while at > 0 and text[at - 1].isspace():
            at -= 1
        while at > 0 and not text[at - 1].isspace():
            at -= 1
    return at


def _after_spaces(text: str, at: int) -> int:
    """The first position from `at` that is not whitespace (what `text[at:].lstrip()` starts with,
    without copying the rest of the paragraph)."""
    return _SPACES.match(text, at).end()
# A stray period before a bare prepositional phrase: «قاضٍ بمحكمة الاستئناف. بالعاصمة واشنطن.»
# (the period of "D.C." carried over). A preposition fused with the article plus one more word
# has no room for a subject and a predicate: it is not a sentence but the end of the one before.
_PREPOSITIONAL_FRAGMENT = re.compile(r"[وف]?(?:بال|لل|كال)\S+\s+[^\s.!?؟…]+\.(?:\s|$)")


def cannot_end_sentence(text: str, end: int) -> bool:
    """Is the word before text[end] a particle that no sentence ends with (not an acronym's last letter)?"""
    start = _words_back(text, end, 2)
    last = _WORD_BEFORE.search(text, start, end)
    if not last or last.group(1) not in _NEVER_LAST:
        return False
    words = _TWO_WORDS_BEFORE.search(text, start, end)
    ends_acronym = last.group(1) in _LETTER_NAMES and bool(words) and words.group(1) in _LETTER_NAMES
    return not ends_acronym


# Era marks after a year: «١٩٤٦ م.», «500 ق.م.», «1445 هـ.». A sentence may end on them; it does
# when the next word can only open a clause («ثم», «وقد», «فقد»), as it does after «1946م.»
# written without the space. Not before any word with «و» / «ف»: «1969 م. وصل الإنسان», «1453 م.
# فتح العثمانيون», «1517 م. وحتى» go on (a missed cut leaves two sentences in one unit, which the
# model translates; a wrong one cuts a sentence in two).
_ERA = {"م", "ق.م", "ه"}  # «هـ» is «ه» once its kashida is gone
_YEAR_BEFORE = re.compile(rf"[{ALL_DIGITS}]+\s*$")
_LETTER_BEFORE_SPACE = re.compile(rf"(?:^|\s)[{ARABIC_LETTERS}]\s+$")
_OPENS_CLAUSE = re.compile(r"(?:ثم|وقد|فقد)(?=\s|$)")  # matched where the next word starts
# «الـU.S.», «بالـU.N.»: Arabic's article (and a proclitic) joined to a Latin acronym.
_ARTICLE_BEFORE_LATIN = re.compile(r"^[وفبلك]?ال(?=[A-Za-z])")


def _is_abbreviation(text: str, end: int) -> bool:
    """Does the single period at text[end] end an abbreviation or an initial?"""
    match = _WORD_BEFORE.search(text, _words_back(text, end, 1), end)
    if not match:
        # «د . علي»: a letter with a stray space before its period is still an initial
        return bool(_LETTER_BEFORE_SPACE.search(text, max(0, _words_back(text, end, 1) - 1), end))
    word = match.group(1).lstrip("(\"'«“")
    bare = _ARTICLE_BEFORE_LATIN.sub("", word.replace(KASHIDA, ""))
    if not bare:
        return False
    if bare.rstrip(".") in _ERA and _YEAR_BEFORE.search(text, _words_back(text, match.start(1), 1), match.start(1)):
        return not _OPENS_CLAUSE.match(text, _after_spaces(text, end + 1))
    if len(bare) == 1 and re.match(f"[{ARABIC_LETTERS}]", bare):
        return True  # «د.», «أ.», «م.»
    if len(bare) == 1 and bare.isascii() and bare.isupper():
        # «J. Smith» is an initial; «على A. يبين» ends a sentence in Arabic copy.
        following = text[_after_spaces(text, end + 1):][:1]
        return following.isascii() and following.isalpha()
    if bare in _ARABIC_ABBREVIATIONS or bare.lower() in _LATIN_ABBREVIATIONS:
        return True
    # Dotted acronyms: «U.S.», «ص.ب.», «a.m.»
    return bool(re.fullmatch(r"(?:\w\.)+\w", bare))


def _is_list_marker(text: str, end: int) -> bool:
    """«1. البند» at the start of a paragraph: the period numbers an item, it ends nothing."""
    return bool(_LIST_MARKER.match(text, 0, end))


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the sentences of `text`, without surrounding whitespace."""
    cuts = [0]
    for match in _BOUNDARY.finditer(text):
        marks, closers = match.group(1), match.group(2)
        if marks == "." and (_is_abbreviation(text, match.start(1)) or _is_list_marker(text, match.start(1))):
            continue
        if marks.endswith("…") or marks.endswith(".."):
            continue  # an ellipsis marks a pause in Arabic news copy, not a sentence end
        following = _after_spaces(text, match.end())  # where the next words start: matched there, not copied
        first = text[following:following + 1]
        if first.islower() and first.isascii():
            continue  # «e.g. the» — an English sentence does not start in lower case
        if closers and _ATTRIBUTION_AFTER_QUOTE.match(text, following) or _ATTRIBUTION.match(text, following):
            continue
        if marks == "." and (cannot_end_sentence(text, match.start(1)) or _PREPOSITIONAL_FRAGMENT.match(text, following)):
            continue
        cuts.append(match.end())
    # A line break inside a paragraph (docx soft break) always separates units.
    cuts.extend(m.end() for m in re.finditer(r"\n", text))
    cuts = sorted(set(cuts)) + [len(text)]
    spans = []
    for start, end in zip(cuts, cuts[1:]):
        span = trim(text, start, end)
        if span:
            spans.append(span)
    return spans


def _invisible(ch: str) -> bool:
    return ch.isspace() or bool(FORMAT_CONTROLS.match(ch))


def trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    """`start:end` without surrounding whitespace and invisible marks; None if nothing is left.

    A unit never starts or ends with a bidi mark or a zero-width space, and a piece made of
    nothing else is not a unit: it would reach the model as an empty string.
    """
    while start < end and _invisible(text[start]):
        start += 1
    while end > start and _invisible(text[end - 1]):
        end -= 1
    return (start, end) if end > start else None


# --- English -----------------------------------------------------------------------------

# The space after a sentence end: . ! ? … (closing quotes or brackets may follow) before a capital or a digit.
_ENGLISH_SENTENCE_END = re.compile(r"(?<=[.!?…\"'”’)\]])\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_ENDS_SENTENCE = re.compile(r"[.!?…][\"'”’)\]]*$")
_ENGLISH_CLOSERS = "\"'”’)]"


def english_sentences(text: str) -> list[str]:
    """The sentences of an English text, each with its end punctuation (an editor's sentences go
    into the memory as typed): a sentence ends at . ! ? … before a capital or a digit."""
    sentences: list[str] = []
    start = 0
    text = text.strip()
    for gap in _ENGLISH_SENTENCE_END.finditer(text):
        # searched from the closing quotes and brackets before the gap on, not from the sentence's start:
        # the same answer, and a paragraph of "x) A x) A …" no longer takes time by its length squared
        back = gap.start()
        while back > start and text[back - 1] in _ENGLISH_CLOSERS:
            back -= 1
        if _ENDS_SENTENCE.search(text, max(start, back - 1), gap.start()):
            sentences.append(text[start:gap.start()])
            start = gap.end()
    sentences.append(text[start:])
    return [sentence for sentence in sentences if sentence.strip()]
