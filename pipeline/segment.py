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
from typing import Callable, Sequence

from .text.arabic import ALL_DIGITS, ARABIC_LETTERS, KASHIDA, LIST_ITEM_OPENING, TASHKEEL, has_arabic, normalize_for_model
from .text.sentences import cannot_end_sentence, sentence_spans, trim
from .config import SegmentationSettings
from .model import TITLES, Document, Paragraph, Sentence, sentence_id
from .text.protected import protected_spans, with_placeholders

# Bump when segmentation — or the reading of an input into paragraphs — changes what units are
# produced: part of every article's signature, so a changed splitter redoes the articles (the
# memory is keyed by unit text and stays valid). 4: content controls, lists by numbering, hard-wrapped
# .txt, two sentences no title, era marks after a year. 5: a wrapped .txt's list items numbered
# «(1)», «ثانياً:» or in Persian digits are not joined to the item above.
SEGMENTER_VERSION = "5"

TokenCounter = Callable[[list[str]], list[int]]

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
    for part in (trim(text, start, cut), trim(text, cut, end)):
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
# A dateline on a line of its own, as wires write it: the city (with its date), a dash, and
# the agency, the paper or the writer, maybe another dash («القاهرة - رويترز», «عمّان - (أ ف ب) -»,
# «بيروت - «الشرق الأوسط»», «بيروت - كتب: سامر خليل»).
_AGENCIES = (r"رويترز|[أا][\s.]*ف[\s.]*ب\.?|د[\s.]*ب[\s.]*أ\.?|أ[\s.]*ب\.?|يو\s*بي\s*آي|واس|وام|سانا|قنا|كونا|بترا|وفا|الأناضول|"
             r"شينخوا|تاس|سبوتنيك|وكالات|خاص|الجزيرة(?:\s+نت)?|العربية(?:\s+نت)?|بي\s*بي\s*سي")
_CITY = rf"[{ARABIC_LETTERS}{TASHKEEL}]+(?:\s+[{ARABIC_LETTERS}{TASHKEEL}]+){{0,2}}"  # «القدس المحتلة»: three words at most
_PAPER = rf"«[{ARABIC_LETTERS}{TASHKEEL}]+(?:\s+[{ARABIC_LETTERS}{TASHKEEL}]+){{0,2}}»"  # «الشرق الأوسط»
# A dash: - – —, or a tatweel standing alone between spaces («الخرطوم ـ «القدس العربي»»).
_DASH = r"(?:[-–—]|(?<=\s)ـ(?=\s))"
# «3 يناير 2025», «12 مارس 2024 (رويترز)», «١٢ كانون الثاني ٢٠٢٤»: a day, a month's name, a year.
_DATE = rf"[{ALL_DIGITS}]{{1,2}}\s+[{ARABIC_LETTERS}]+(?:\s+[{ARABIC_LETTERS}]+)?\s+[{ALL_DIGITS}]{{4}}"
_DATELINE_LINE = re.compile(
    rf"^{_CITY}(?:،\s*[{ALL_DIGITS}\s{ARABIC_LETTERS}]{{2,25}})?\s*"
    rf"(?:\((?:{_AGENCIES})\)\s*)?{_DASH}\s*"
    rf"(?:(?:{_AGENCIES})|\((?:{_AGENCIES})\)|{_PAPER}|(?:كتب|كتبت|بقلم)\s*:\s*[^-–—]{{2,40}}"
    rf"|{_DATE}(?:\s*\((?:{_AGENCIES})\))?)\s*{_DASH}?\s*$"
)
_BOILERPLATE = re.compile(
    r"(?:اقرأ\s*(?:أيضا|ايضا|أيضاً|المزيد)|جميع\s+الحقوق\s+محفوظة|حقوق\s+النشر|تابعونا|شارك(?:وا)?\s+(?:هذا|المقال|الخبر)|"
    r"اشترك\s+في|للمزيد\s+من\s+الأخبار|©|Copyright|"
    # a site's headings over its lists of other articles
    r"^\s*(?:(?:أخبار|مواضيع|مقالات|قصص)\s+ذات\s+صلة|الأكثر\s+(?:قراءة|مشاهدة|تداولا|تداولاً)|شاهد\s+(?:أيضا|أيضاً|ايضا)|"
    r"آخر\s+الأخبار|اخترنا\s+لك)\s*:?\s*$)", re.IGNORECASE)
_QUOTED = re.compile(r'^\s*(?:«[^«»]+»|"[^"]+"|“[^“”]+”)[.!?؟…]?\s*$')
_FINAL_PUNCT = re.compile(r"[.!?؟…:؛;،,]\s*[\"'”’»)\]]*\s*$")
_HINT_KINDS = {*TITLES, "list_item", "quote", "caption"}  # what an input's styles can tell

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
    """Short, unpunctuated, not a clause that continues the narrative, not two sentences, and not
    a line cut mid-clause (a hard-wrapped .txt line ending «... توجهت إلى»)."""
    return (_short_unpunctuated(text, max_words) and not _CONTINUES.match(text) and not _sentence_inside(text)
            and not cannot_end_sentence(text, len(text.rstrip())))


def _sentence_inside(text: str) -> bool:
    """Does a sentence end inside `text` and the narrative go on after it (with «و», «ثم», «كما»,
    «لم» …: `_GOES_ON`)? A body
    paragraph that only lacks its final full stop («انتهت القمة مساء الأحد. ولم يصدر أي بيان») is
    no title. A title may hold a stop, a question or an exclamation of its own: «انتخابات 2024.
    النتائج الأولية», «هل ينجح الاتفاق؟ خبراء يجيبون», and NTREX headlines keep the stop of an
    abbreviation («السفير الأمريكى. يتهم الصين»: "U.S. envoy"). The splitter's own rules keep
    «د. علي», «U.S.», «3.5» whole."""
    spans = sentence_spans(text)
    return any(_GOES_ON.match(text[start:]) for (_, _), (start, _) in zip(spans, spans[1:]))


# What opens a sentence that carries the narrative on: «و…» (and), and particles no title's second
# part starts with («ثم», «كما», «لم», «لن», «لكن», «بينما»). Not «لا», «قد»: a question and its
# short answer, a label and its tagline are sub-headings («هل تنجح الهدنة؟ لا أحد يعرف», «حرب غزة.
# لا هدنة في الأفق», «ماذا بعد الاتفاق؟ قد يطول الانتظار»).
_GOES_ON = re.compile(
    r"^\s*(?:(?:ثم|كما|لم|لن|لكن|لكنه|لكنها|بينما)"
    # «و» the conjunction, before a particle or a reporting verb — not the first letter of a
    # word: «حرب غزة. واشنطن تضغط», «قمة الرياض. وفد إيراني يصل» are titles
    r"|و(?:قد|لم|لن|لا|ما|كان|كانت|هو|هي|في|من|ذلك|هذا|هذه|تم|أضاف|أضافت|قال|قالت|أشار|أشارت|أكد|أكدت|"
    r"أعلن|أعلنت|يأتي|تأتي|بحسب|بعد|منذ|على|إلى|أن|إن|لكن|بينما))(?=\s)")


_AGENCY_ALONE = re.compile(rf"^\s*[(\[]\s*(?:{_AGENCIES})\s*[)\]]\s*[.،]?\s*$")


def line_kind(text: str) -> str | None:
    """The kind a line shows by its own words, or None when only its position can tell."""
    bare = text.replace(KASHIDA, "")  # «المصـــدر:» is «المصدر:» drawn out
    if _CAPTION.match(bare):
        return "caption"
    if _SOURCE.match(bare) or _AGENCY_ALONE.match(text):  # «المصدر: تاس», «(رويترز)» on its own
        return "source"
    if _BOILERPLATE.search(bare) and _words(text) <= 20:
        return "boilerplate"
    if _BYLINE.match(text) and _words(text) <= 10:
        return "byline"
    if _words(text) <= DATELINE_MAX_WORDS and (
            ((opening := _DATELINE.match(text)) and opening.end() >= len(text.rstrip()) - 1) or _DATELINE_LINE.match(text)):
        return "dateline"
    if LIST_ITEM_OPENING.match(text):
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
        kind = hint or line_kind(paragraph.source)
        if kind is None and (paragraph.kind_hint == "table_cell" or not any(ch.isalpha() for ch in paragraph.source)):
            kind = "body"  # a table's cell, a line of figures («200», «12٪»): never a bold title
        kinds.append(kind)
    # Where the article's text ends: its last body paragraph, quotation or list item (a section of
    # bullets under a sub-heading is the article's) — but for the lists under a site's furniture
    # («أخبار ذات صلة», «الأكثر قراءة»: other articles' headlines), which come after it.
    furniture, counts = False, []
    for i, p in enumerate(paragraphs):
        if kinds[i] != "list_item":
            furniture = kinds[i] == "boilerplate"
        counts.append(kinds[i] == "quote" or kinds[i] == "list_item" and not furniture
                      or kinds[i] is None and not _title_like(p.source, HEADING_MAX_WORDS))
    last_body = max((i for i, count in enumerate(counts) if count), default=-1)
    for i, paragraph in enumerate(paragraphs):
        if kinds[i] is not None:
            paragraph.kind = kinds[i]
        elif i == 0 and _short_unpunctuated(paragraph.source, HEADLINE_MAX_WORDS) and not _sentence_inside(
                paragraph.source):
            paragraph.kind = "headline"
        elif i < last_body and _title_like(paragraph.source, HEADING_MAX_WORDS):
            paragraph.kind = "heading"
        elif i > last_body and _title_like(paragraph.source, FURNITURE_MAX_WORDS):
            paragraph.kind = "boilerplate"
        else:
            paragraph.kind = "body"


# --- the stage ---------------------------------------------------------------------------

def _budget_test(options: SegmentationSettings, count_tokens: TokenCounter | None) -> Callable[[str], bool]:
    def fits(text: str) -> bool:
        model_input = normalize_for_model(text, strip_diacritics=options.strip_diacritics)
        # Every SentencePiece token covers at least one character; with </s> that bounds the
        # count without running the tokenizer, which most sentences then never need.
        if len(model_input) + 1 <= options.max_unit_tokens:
            return True
        if count_tokens is None:
            return estimated_tokens(model_input) <= options.max_unit_tokens
        return count_tokens([model_input])[0] <= options.max_unit_tokens

    return fits


def estimated_tokens(model_input: str) -> int:
    """A unit's tokens with no tokenizer at hand: Marian's Arabic vocabularies average under 2
    pieces a word, and </s>."""
    return 2 * len(model_input.split()) + 1


def unit_spans(paragraph: Paragraph) -> list[tuple[int, int]]:
    """Sentence spans of a paragraph, by its kind (before the token budget).

    A headline or sub-heading is one title: a period inside one comes from an abbreviation
    («السفير الأمريكى. يتهم الصين» renders "U.S. envoy accuses China") and the model translates
    a title best whole.
    """
    if paragraph.kind in TITLES and "\n" not in paragraph.source:
        whole = trim(paragraph.source, 0, len(paragraph.source))
        return [whole] if whole else []
    return sentence_spans(paragraph.source)


def make_unit(paragraph: Paragraph, number: int, span: tuple[int, int], options: SegmentationSettings,
              budget_split: bool = False, keep: Sequence[re.Pattern] = ()) -> Sentence:
    """A translation unit of `paragraph`: its text as written and what the model sees.

    URLs, e-mail addresses, handles, hashtags, emoji and the glossary's do-not-translate terms
    (`keep`) become placeholders in the model input (pipeline/text/protected.py) and stay inside
    their sentence; a unit with no Arabic outside them is copied as written (`verbatim`).
    """
    source = paragraph.source[span[0]:span[1]]
    spans = protected_spans(source, keep)
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


def segment_paragraph(paragraph: Paragraph, options: SegmentationSettings, count_tokens: TokenCounter | None = None,
                      keep: Sequence[re.Pattern] = ()) -> None:
    fits = _budget_test(options, count_tokens)
    units: list[Sentence] = []
    for span in unit_spans(paragraph):
        parts = fit_budget(paragraph.source, span, fits)
        for part in parts:
            units.append(make_unit(paragraph, len(units) + 1, part, options, budget_split=len(parts) > 1, keep=keep))
    paragraph.sentences = units


def count_unit_tokens(paragraphs: Sequence[Paragraph], count_tokens: TokenCounter) -> None:
    """Each unit's model tokens, in one call for all of them: the tokenizer's cost is mostly per
    call (a call per paragraph took 5× as long on the NTREX articles)."""
    units = [unit for paragraph in paragraphs for unit in paragraph.sentences]
    for unit, tokens in zip(units, count_tokens([u.model_input for u in units]) if units else ()):
        unit.source_tokens = tokens


def segment_document(document: Document, options: SegmentationSettings, count_tokens: TokenCounter | None = None,
                     keep: Sequence[re.Pattern] = ()) -> Document:
    """Kinds and translation units of every paragraph; `keep`: patterns of text the model must
    not see (the glossary's do-not-translate terms), which become placeholders like URLs."""
    assign_kinds(document.paragraphs)
    for paragraph in document.paragraphs:
        segment_paragraph(paragraph, options, count_tokens, keep)
    if count_tokens is not None:
        count_unit_tokens(document.paragraphs, count_tokens)
    return document

