"""Paragraph kinds, sentence splitting and the token budget: what the model sees.

Marian models are trained on single sentences: fed two at once they drop one, fed a sentence
beyond their window they lose its end. So every paragraph is cut into translation units:
sentences, and pieces of sentences where a sentence is longer than the token budget.

Units are cut from the display text and keep their character spans into it; each unit's
`model_input` is its normalised text (arabic.normalize_for_model). Every non-space character
of a paragraph belongs to exactly one unit, in order; the gaps between units are whitespace.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from .arabic import ALL_DIGITS, ARABIC_LETTERS, FORMAT_CONTROLS, KASHIDA, has_arabic, normalize_for_model
from .model import Document, Paragraph, Sentence, sentence_id
from .protected import protected_spans, with_placeholders

# Bump when segmentation changes what units are produced: part of every article's signature,
# so a changed splitter redoes the articles (the memory is keyed by unit text and stays valid).
SEGMENTER_VERSION = "3"

TokenCounter = Callable[[list[str]], list[int]]

# --- sentence boundaries -----------------------------------------------------------------

_CLOSERS = "\"'”’»›)]}"
# A run of sentence-final punctuation, then closing quotes/brackets, then whitespace.
_BOUNDARY = re.compile(rf"([.!?؟…]+)([{re.escape(_CLOSERS)}]*)(?=\s)")
# Latin abbreviations that take a period mid-sentence.
_LATIN_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "inc", "ltd", "co", "corp", "vs", "etc",
    "no", "gen", "col", "lt", "sgt", "gov", "sen", "rep", "rev", "jan", "feb", "mar", "apr",
    "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "fig", "approx", "e.g", "i.e",
}
# Arabic abbreviations of more than one letter (single letters are all treated as initials).
_ARABIC_ABBREVIATIONS = {"ص.ب", "ق.م", "هـ", "ه", "م.م", "ج.م.ع"}
_LIST_MARKER = re.compile(rf"^\s*[({ALL_DIGITS}]+\)?$")
# After a quotation that ends in . ! ? the sentence often goes on with who said it:
# «"يوجد قرش في المياه!" كما أضاف», «"...؟" قائلًا», «"..." حسبما أفاد». No boundary there.
_ATTRIBUTION_AFTER_QUOTE = re.compile(r"^(?:كما|حسبما|قائل[اًةين]*|تساءل[تا]?)(?=[\s،,:.]|$)")
# «... مستعدون؟ وذلك حسب تقرير ...», «... 11 صباحا. وحسب مؤتمر ET الصحفي»: "according to X"
# with no clause of its own (no comma before the next sentence end) attributes the sentence
# before; it is not a sentence. «وبحسب الوثيقة، يتوقف الجانبان» has a clause: a new sentence.
_ATTRIBUTION = re.compile(r"^(?:وذلك\s+)?و?(?:حسب|بحسب|وفق|وفقا|وفقًا|طبقا|طبقًا|نقلا|نقلًا)\s[^،,.!?؟…]*(?:[.!?؟…]|$)")
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
# A stray period before a bare prepositional phrase: «قاضٍ بمحكمة الاستئناف. بالعاصمة واشنطن.»
# (the period of "D.C." carried over). A preposition fused with the article plus one more word
# has no room for a subject and a predicate: it is not a sentence but the end of the one before.
_PREPOSITIONAL_FRAGMENT = re.compile(r"^[وف]?(?:بال|لل|كال)\S+\s+[^\s.!?؟…]+\.(?:\s|$)")


def _cannot_end_sentence(text: str, end: int) -> bool:
    """Is the word before text[end] a particle that no sentence ends with (not an acronym's last letter)?"""
    last = _WORD_BEFORE.search(text, 0, end)
    if not last or last.group(1) not in _NEVER_LAST:
        return False
    words = _TWO_WORDS_BEFORE.search(text, 0, end)
    ends_acronym = last.group(1) in _LETTER_NAMES and bool(words) and words.group(1) in _LETTER_NAMES
    return not ends_acronym


def _is_abbreviation(text: str, end: int) -> bool:
    """Does the single period at text[end] end an abbreviation or an initial?"""
    match = _WORD_BEFORE.search(text, 0, end)
    if not match:
        return False
    word = match.group(1).lstrip("(\"'«“")
    bare = word.replace(KASHIDA, "")
    if not bare:
        return False
    if len(bare) == 1 and re.match(f"[{ARABIC_LETTERS}]", bare):
        return True  # «د.», «أ.», «م.»
    if len(bare) == 1 and bare.isascii() and bare.isupper():
        # «J. Smith» is an initial; «على A. يبين» ends a sentence in Arabic copy.
        following = text[end + 1:].lstrip()[:1]
        return following.isascii() and following.isalpha()
    if bare in _ARABIC_ABBREVIATIONS or bare.lower() in _LATIN_ABBREVIATIONS:
        return True
    # Dotted acronyms: «U.S.», «ص.ب.», «a.m.»
    return bool(re.fullmatch(r"(?:\w\.)+\w", bare))


def _is_list_marker(text: str, end: int) -> bool:
    """«1. البند» at the start of a paragraph: the period numbers an item, it ends nothing."""
    return bool(_LIST_MARKER.match(text[:end]))


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the sentences of `text`, without surrounding whitespace."""
    cuts = [0]
    for match in _BOUNDARY.finditer(text):
        marks, closers = match.group(1), match.group(2)
        if marks == "." and (_is_abbreviation(text, match.start(1)) or _is_list_marker(text, match.start(1))):
            continue
        if marks.endswith("…") or marks.endswith(".."):
            continue  # an ellipsis marks a pause in Arabic news copy, not a sentence end
        following = text[match.end():].lstrip()
        if following[:1].islower() and following[:1].isascii():
            continue  # «e.g. the» — an English sentence does not start in lower case
        if closers and _ATTRIBUTION_AFTER_QUOTE.match(following) or _ATTRIBUTION.match(following):
            continue
        if marks == "." and (_cannot_end_sentence(text, match.start(1)) or _PREPOSITIONAL_FRAGMENT.match(following)):
            continue
        cuts.append(match.end())
    # A line break inside a paragraph (docx soft break) always separates units.
    cuts.extend(m.end() for m in re.finditer(r"\n", text))
    cuts = sorted(set(cuts)) + [len(text)]
    spans = []
    for start, end in zip(cuts, cuts[1:]):
        span = _trim(text, start, end)
        if span:
            spans.append(span)
    return spans


def _invisible(ch: str) -> bool:
    return ch.isspace() or bool(FORMAT_CONTROLS.match(ch))


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    """`start:end` without surrounding whitespace and invisible marks; None if nothing is left.

    A unit never starts or ends with a bidi mark or a zero-width space, and a piece made of
    nothing else is not a unit: it would reach the model as an empty string.
    """
    while start < end and _invisible(text[start]):
        start += 1
    while end > start and _invisible(text[end - 1]):
        end -= 1
    return (start, end) if end > start else None


# --- token budget ------------------------------------------------------------------------

# Safe places to cut an over-long sentence, best first: after a semicolon, after a comma,
# before a clause opened by «و» (and), at any space. A cut goes to the candidate nearest the
# middle of the best class that has one, so pieces come out balanced.
_CUT_CLASSES = (
    re.compile(r"[؛;](?=\s)"),
    re.compile(r"[،,](?=\s)"),
    re.compile(rf"(?<=\s)(?=و[{ARABIC_LETTERS}])"),
    re.compile(r"(?<=\s)(?=\S)"),
)


def _cut_points(text: str, start: int, end: int) -> list[int]:
    piece = text[start:end]
    for pattern in _CUT_CLASSES:
        points = [start + m.end() for m in pattern.finditer(piece) if 0 < m.end() < len(piece.rstrip())]
        if points:
            return points
    return []


def fit_budget(text: str, span: tuple[int, int], fits: Callable[[str], bool]) -> list[tuple[int, int]]:
    """Cut `span` of `text` into pieces that each satisfy `fits`, at the safest points."""
    start, end = span
    if fits(text[start:end]):
        return [span]
    points = _cut_points(text, start, end)
    middle = (start + end) / 2
    if points:
        cut = min(points, key=lambda p: abs(p - middle))
    else:
        cut = int(middle)  # one unbroken string longer than the window: cutting is all that is left
        if cut <= start:
            return [span]
    pieces = []
    for part in (_trim(text, start, cut), _trim(text, cut, end)):
        if part:
            pieces.extend(fit_budget(text, part, fits))
    return pieces


# --- paragraph kinds ---------------------------------------------------------------------

_CAPTION = re.compile(r"^[(\[]?\s*(?:ال)?(?:صورة|صور|تصوير|الصورة|الصور|فيديو|المصور)\s*(?:\(?[^:)]{0,20}\)?)?\s*[:：]")
_SOURCE = re.compile(r"^[(\[]?\s*(?:ال)?مصدر\s*[:：]|^[(\[]?\s*(?:ال)?مصادر\s*[:：]")
_BYLINE = re.compile(r"^(?:بقلم|كتب|كتبت|إعداد|اعداد|تحرير|ترجمة|بواسطة)\s*[:：]?\s*\S")
_DATELINE = re.compile(
    rf"^(?:[{ARABIC_LETTERS}\s]{{2,30}}(?:،\s*[{ALL_DIGITS}\s{ARABIC_LETTERS}]{{2,25}})?\s*)?"
    r"(?:\((?:رويترز|أ\s*ف\s*ب|ا\s*ف\s*ب|د\s*ب\s*أ|أ\s*ب|واس|وام|سانا|قنا|كونا|بترا|الأناضول|شينخوا|تاس|سبوتنيك|[^()]{2,25})\)\s*)?[-–—]\s*"
)
_LIST = re.compile(rf"^\s*(?:[-–•*▪●◦]\s+|[{ALL_DIGITS}]+\s*[-.)]\s+|\(?[{ALL_DIGITS}]+\)\s+|(?:أولا|ثانيا|ثالثا|رابعا|خامسا)ً?\s*[:：-])")
_BOILERPLATE = re.compile(
    r"(?:اقرأ\s*(?:أيضا|ايضا|أيضاً|المزيد)|جميع\s+الحقوق\s+محفوظة|حقوق\s+النشر|تابعونا|شارك(?:وا)?\s+(?:هذا|المقال|الخبر)|"
    r"اشترك\s+في|للمزيد\s+من\s+الأخبار|©|Copyright)", re.IGNORECASE)
_QUOTED = re.compile(r'^\s*(?:«[^«»]+»|"[^"]+"|“[^“”]+”)[.!?؟…]?\s*$')
_FINAL_PUNCT = re.compile(r"[.!?؟…:؛;،,]\s*[\"'”’»)\]]*\s*$")
_HINT_KINDS = {"headline", "heading", "list_item", "quote", "caption"}

HEADLINE_MAX_WORDS = 25
HEADING_MAX_WORDS = 10
FURNITURE_MAX_WORDS = 8
DATELINE_MAX_WORDS = 12
# Narrative text goes on with «و...» (and ...); headings and site lines do not start so.
_CONTINUES = re.compile(r"^\s*و[\u0600-\u06ff]")


def _words(text: str) -> int:
    return len(text.split())


def _short_unpunctuated(text: str, max_words: int) -> bool:
    return _words(text) <= max_words and not _FINAL_PUNCT.search(text)


def _title_like(text: str, max_words: int) -> bool:
    """Short, unpunctuated and not a clause that continues the narrative."""
    return _short_unpunctuated(text, max_words) and not _CONTINUES.match(text)


def line_kind(text: str) -> str | None:
    """The kind a line shows by its own words, or None when only its position can tell."""
    if _CAPTION.match(text):
        return "caption"
    if _SOURCE.match(text):
        return "source"
    if _BOILERPLATE.search(text) and _words(text) <= 20:
        return "boilerplate"
    if _BYLINE.match(text) and _words(text) <= 10:
        return "byline"
    if _DATELINE.match(text) and _words(text) <= DATELINE_MAX_WORDS and _DATELINE.match(text).end() >= len(text.rstrip()) - 1:
        return "dateline"
    if _LIST.match(text):
        return "list_item"
    if _QUOTED.match(text):
        return "quote"
    return None


def assign_kinds(paragraphs: list[Paragraph]) -> None:
    """Set `kind` on every paragraph: the input's own hint, then the line's words, then position.

    Position: the first short unpunctuated line is the headline; a later one is a sub-heading
    when body text follows it, and site furniture (boilerplate) when it sits in the trailing
    block after the last body paragraph (site names, slogans, «مجموعة ...» lines).
    """
    kinds: list[str | None] = []
    for paragraph in paragraphs:
        hint = paragraph.kind_hint if paragraph.kind_hint in _HINT_KINDS else None
        kinds.append(hint or line_kind(paragraph.source))
    last_body = max((i for i, p in enumerate(paragraphs)
                     if kinds[i] is None and not _title_like(p.source, HEADING_MAX_WORDS)), default=-1)
    for i, paragraph in enumerate(paragraphs):
        if kinds[i] is not None:
            paragraph.kind = kinds[i]
        elif i == 0 and _short_unpunctuated(paragraph.source, HEADLINE_MAX_WORDS):
            paragraph.kind = "headline"
        elif i < last_body and _title_like(paragraph.source, HEADING_MAX_WORDS):
            paragraph.kind = "heading"
        elif i > last_body and _title_like(paragraph.source, FURNITURE_MAX_WORDS):
            paragraph.kind = "boilerplate"
        else:
            paragraph.kind = "body"


# --- the stage ---------------------------------------------------------------------------

@dataclass
class SegmentOptions:
    max_unit_tokens: int = 200
    strip_diacritics: bool = True


def _budget_test(options: SegmentOptions, count_tokens: TokenCounter | None) -> Callable[[str], bool]:
    def fits(text: str) -> bool:
        model_input = normalize_for_model(text, strip_diacritics=options.strip_diacritics)
        # Every SentencePiece token covers at least one character; with </s> that bounds the
        # count without running the tokenizer, which most sentences then never need.
        if len(model_input) + 1 <= options.max_unit_tokens:
            return True
        if count_tokens is None:
            # No tokenizer at hand: Marian's Arabic vocabularies average under 2 pieces a word.
            return 2 * len(model_input.split()) + 1 <= options.max_unit_tokens
        return count_tokens([model_input])[0] <= options.max_unit_tokens

    return fits


# A headline or sub-heading is one title: a period inside one comes from an abbreviation
# («السفير الأمريكى. يتهم الصين» renders "U.S. envoy accuses China") and the model translates
# a title best whole.
WHOLE_KINDS = {"headline", "heading"}


def unit_spans(paragraph: Paragraph) -> list[tuple[int, int]]:
    """Sentence spans of a paragraph, by its kind (before the token budget)."""
    if paragraph.kind in WHOLE_KINDS and "\n" not in paragraph.source:
        whole = _trim(paragraph.source, 0, len(paragraph.source))
        return [whole] if whole else []
    return sentence_spans(paragraph.source)


def make_unit(paragraph: Paragraph, number: int, span: tuple[int, int], options: SegmentOptions,
              budget_split: bool = False) -> Sentence:
    """A translation unit of `paragraph`: its text as written and what the model sees.

    URLs, e-mail addresses, handles, hashtags and emoji become placeholders in the model input
    (pipeline/protected.py) and stay inside their sentence; a unit with no Arabic outside them
    is copied as written (`verbatim`).
    """
    source = paragraph.source[span[0]:span[1]]
    spans = protected_spans(source)
    outside = with_placeholders(source, spans) if spans else source
    return Sentence(
        id=sentence_id(paragraph.id, number),
        source=source,
        source_span=span,
        model_input=normalize_for_model(outside, strip_diacritics=options.strip_diacritics),
        budget_split=budget_split,
        verbatim=bool(spans) and not has_arabic(outside),
        protected=[source[start:end] for start, end in spans],
    )


def segment_paragraph(paragraph: Paragraph, options: SegmentOptions, count_tokens: TokenCounter | None = None) -> None:
    fits = _budget_test(options, count_tokens)
    units: list[Sentence] = []
    for span in unit_spans(paragraph):
        parts = fit_budget(paragraph.source, span, fits)
        for part in parts:
            units.append(make_unit(paragraph, len(units) + 1, part, options, budget_split=len(parts) > 1))
    if count_tokens is not None and units:
        for unit, tokens in zip(units, count_tokens([u.model_input for u in units])):
            unit.source_tokens = tokens
    paragraph.sentences = units


def segment_document(document: Document, options: SegmentOptions, count_tokens: TokenCounter | None = None) -> Document:
    assign_kinds(document.paragraphs)
    for paragraph in document.paragraphs:
        segment_paragraph(paragraph, options, count_tokens)
    return document

