"""The one data model: what flows from ingest to export.

Every stage takes a `Document` and fills in more of it; no stage keeps its own copy of the
data. Ids are stable and shared by the JSON record, the DOCX rows, the review flags and the
translation memory: paragraph `p0003` is the third non-empty paragraph of the input, its
second translation unit is `p0003.s02`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Paragraph kinds for news copy. They change how a row is shown and which checks apply.
KINDS = (
    "headline",     # first short line of the article, no final punctuation
    "heading",      # sub-heading inside the article
    "body",
    "quote",        # a paragraph that is one quotation
    "list_item",
    "dateline",     # «موسكو - ...», «(رويترز) -» at the start of a paragraph
    "byline",       # «بقلم: ...», «كتب: ...»
    "caption",      # photo caption or credit: «الصورة: ...», «تصوير: ...»
    "source",       # source line: «المصدر: ...»
    "boilerplate",  # site furniture: «اقرأ أيضاً», «جميع الحقوق محفوظة», share buttons
)

# Groups of kinds, each with what it decides.
TITLES = ("headline", "heading")          # one unit whole; bold in the review document
CREDITS = ("caption", "source", "byline", "dateline", "boilerplate")  # grey in the review document
# Kinds whose final punctuation is house style, not grammar (no "the English stops mid-sentence")
HOUSE_STYLE_PUNCTUATION = TITLES + CREDITS + ("list_item",)

# Severities, mildest first: `severity_rank` orders them, the worst decides a row's colour.
SEVERITIES = ("info", "warning", "error")
STATUSES = ("ok", "needs_review")                        # what the checks say of a paragraph
REVIEW_STATUSES = ("ok", "needs_review", "approved", "rejected")  # what an editor says of it

# Who made a unit's English. Served from the translation memory or not, a model translation is
# "model": a re-run from the memory gives the same record as the run that filled it.
ORIGINS = (
    "model",     # the model
    "verbatim",  # copied as is: no words to translate (numbers, URLs, symbols)
    "human",     # an editor's approved translation
)


def severity_rank(severity: str) -> int:
    return SEVERITIES.index(severity)


def worst_severity(flags: list["Flag"]) -> str | None:
    return max((flag.severity for flag in flags), key=severity_rank, default=None)


@dataclass
class Flag:
    """One review finding on a paragraph."""

    code: str
    severity: str  # one of SEVERITIES
    message: str   # plain words for the editor
    evidence: dict = field(default_factory=dict)


@dataclass
class Sentence:
    """A translation unit: one sentence, or a piece of one cut to fit the model's window."""

    id: str
    source: str                   # exactly as written: paragraph.source[span[0]:span[1]]
    source_span: tuple[int, int]  # character offsets into paragraph.source
    model_input: str              # normalised text the model sees
    target: str = ""
    target_span: tuple[int, int] | None = None  # offsets into paragraph.target
    score: float | None = None    # mean token log-probability of the target
    origin: str = ""              # one of ORIGINS, set by the translate stage
    budget_split: bool = False    # cut out of a longer sentence to fit the token budget
    verbatim: bool = False        # nothing but URLs, e-mails, handles, hashtags, emoji (no Arabic): copied
    hit_length_cap: bool = False  # generation stopped at max_new_tokens, not at </s>
    source_tokens: int | None = None  # model tokens of model_input, when counted
    # URLs, e-mails, @handles, #hashtags, emoji of the source, as written: placeholders ZQ1, ZQ2 …
    # in model_input, put back into the English after translation (pipeline/text/protected.py).
    protected: list[str] = field(default_factory=list)
    protected_moved: list[str] = field(default_factory=list)  # their placeholder was dropped: put back at the end
    # House-style rules applied (pipeline/style.py): {"rule", "stage": "pre"|"post", "count"}
    style: list[dict] = field(default_factory=list)
    # Glossary terms enforced while translating (translate/base.py choose): {"required": [Arabic
    # terms], "met": [...], "hypothesis": rank of the English chosen (1 = the model's best), "hypotheses": n}
    glossary: dict | None = None


@dataclass
class ParagraphReview:
    """What an editor did with a paragraph in the review document (tarjama import-review)."""

    status: str                        # one of REVIEW_STATUSES
    editor_target: str | None = None   # the editor's English, when it differs from the machine's
    note: str | None = None            # the editor's note, and comments by people other than Tarjama
    editors: list[str] = field(default_factory=list)
    edited_at: str | None = None       # ISO 8601, when the document says
    tracked_changes: bool = False      # the English came with tracked changes (read as accepted)
    # The status is the checks' word as the row showed it, left so by every import: later runs'
    # checks replace it (roundtrip.carry_reviews). An editor's own choice — the Status changed in a
    # file, approved, rejected — is False, and stays as chosen.
    status_from_checks: bool = False

    def english_over(self, machine: str) -> str:
        """The English this review stands for: the editor's, even emptied ("" is a deletion, not
        none), else the machine's `machine`."""
        return self.editor_target if self.editor_target is not None else machine


@dataclass
class MemoryMatch:
    """The translation memory's nearest paragraph, offered to the editor (pipeline/fuzzy.py): shown
    in the review document, the record and the XLIFF, never put in the English by itself."""

    score: float                  # similarity of the normalised Arabic, 0–100 (rapidfuzz's ratio)
    source: str                   # the memory's Arabic (as it is keyed: normalised)
    target: str                   # the English offered: the memory's, numbers carried over when `numbers`
    origin: str                   # "human" (an editor's or a CAT tool's memory) or "model" (imported machine output)
    memory_target: str = ""       # the memory's English as stored
    # Only numbers differ: each [memory's number, this Arabic's number]; carried into `target`
    # where the English had the memory's number (`carried` false when one could not be found).
    numbers: list[list[str]] = field(default_factory=list)
    carried: bool = False

    @property
    def percent(self) -> int:
        return int(self.score)  # floored: 99.6 is not shown as an exact 100


@dataclass
class Paragraph:
    id: str
    index: int                    # 1-based position among the article's paragraphs
    source: str                   # exactly as written in the input
    kind: str = "body"
    kind_hint: str | None = None  # what the input format said (docx style, markdown heading)
    sentences: list[Sentence] = field(default_factory=list)
    target: str = ""
    flags: list[Flag] = field(default_factory=list)
    status: str = "ok"            # one of STATUSES
    # Flag codes an editor saw when approving this paragraph's (human) English: not raised again.
    approved_flags: list[str] = field(default_factory=list)
    review: ParagraphReview | None = None  # the editor's review, once imported
    memory_match: MemoryMatch | None = None  # the memory's nearest paragraph, when no exact one

    @property
    def english(self) -> str:
        """The English as it stands — shown in the DOCX, published, exported: the editor's,
        approved or not, over the machine's."""
        return self.review.english_over(self.target) if self.review is not None else self.target


@dataclass
class Document:
    """One article."""

    id: str                  # the input's path relative to its root, with forward slashes
    source_path: str         # same as id; kept apart so ids can change without moving files
    source_sha256: str
    format: str              # txt | docx | md
    paragraphs: list[Paragraph] = field(default_factory=list)
    encoding: str | None = None
    notices: list[str] = field(default_factory=list)  # input parts not handled, said out loud


def paragraph_id(index: int) -> str:
    return f"p{index:04d}"


def sentence_id(paragraph: str, number: int) -> str:
    return f"{paragraph}.s{number:02d}"


def human_unit(paragraph: Paragraph, english: str, model_input: str) -> Sentence:
    """The paragraph's whole text as one unit of origin "human" with an editor's `english` (an
    approval served, or a draft checked): an editor's English has no sentence alignment."""
    start = len(paragraph.source) - len(paragraph.source.lstrip())
    end = len(paragraph.source.rstrip())
    return Sentence(id=sentence_id(paragraph.id, 1), source=paragraph.source[start:end], source_span=(start, end),
                    model_input=model_input, target=english, origin="human")
