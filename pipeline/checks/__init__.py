"""The checks stage: QA checks over every aligned paragraph → flags and a status.

("Review" is the editor's: roundtrip.py. These are the machine's findings for the editor.)


Each check is a small pure function `(paragraph, params) -> list[Flag]`, one module per family,
all listed in the one dict `CHECKS` below (no registration by import side effect). Every check
is on by default, the glossary check when `review.glossary` names a file; `review.checks.<name>`
in config.yaml turns one off (`enabled: false`) or sets its thresholds, validated by the check's
own parameter model.
"""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..glossary import Glossary, load_glossary
from ..model import Document, Flag, Paragraph, human_unit, severity_rank
from ..text.arabic import FORMAT_CONTROLS
from . import dialect, glossary, length, numbers, output, quotes, repetition, script
from .base import NoParams, Params


@dataclass(frozen=True)
class CheckSpec:
    function: Callable[[Paragraph, Params], list[Flag]]
    params: type[Params]
    codes: tuple[str, ...]  # flag codes it can raise
    what: str               # what it finds, in one line: for readers of this table (nothing prints it)


CHECKS: dict[str, CheckSpec] = {
    "empty_target": CheckSpec(output.empty_target, NoParams, ("empty_target",), "no English for a non-empty source"),
    "untranslated": CheckSpec(script.untranslated, NoParams, ("untranslated",), "English identical to the Arabic"),
    "arabic_in_target": CheckSpec(script.arabic_in_target, NoParams, ("arabic_in_target",), "Arabic script left in the English"),
    "numbers": CheckSpec(numbers.number_flags, numbers.NumberParams,
                         ("number_missing", "number_extra", "number_changed", "month_mismatch"),
                         "numbers and months missing, extra or changed"),
    "length_ratio": CheckSpec(length.length_ratio, length.LengthRatioParams, ("length_ratio",),
                              "English much shorter or longer than usual for the Arabic"),
    "truncated": CheckSpec(length.truncated, NoParams, ("truncated",), "English stops mid-sentence"),
    "sentence_count": CheckSpec(length.sentence_count, length.SentenceCountParams, ("sentence_count",),
                                "fewer sentences in the English than in the Arabic"),
    "repetition": CheckSpec(repetition.repetition, repetition.RepetitionParams, ("repetition", "repeated_sentence"),
                            "a phrase looping or a sentence repeated in the English"),
    "character_loop": CheckSpec(repetition.character_loop, repetition.CharacterLoopParams, ("character_loop",),
                                "letters or subwords looping inside a word («itititit»)"),
    "quotes": CheckSpec(quotes.quotes, quotes.QuoteParams, ("quotes",),
                        "quotation marks or brackets lost or unbalanced"),
    "length_cap": CheckSpec(output.length_cap, NoParams, ("length_cap",), "generation stopped at the length cap"),
    "budget_split": CheckSpec(output.budget_split, NoParams, ("budget_split",),
                              "a sentence cut into pieces to fit the model's window"),
    "protected_text": CheckSpec(output.protected_moved, NoParams, ("protected_moved",),
                                "a URL, e-mail, handle, hashtag or emoji the model dropped, put back at the end"),
    "low_confidence": CheckSpec(output.low_confidence, output.ConfidenceParams, ("low_confidence",),
                                "the model's mean token log-probability below a threshold"),
    "glossary": CheckSpec(glossary.glossary, glossary.GlossaryParams, ("glossary",),
                          "a glossary term not rendered as the glossary says"),
    "dialect": CheckSpec(dialect.dialect, dialect.DialectParams, ("dialect",),
                         "the Arabic (or a quotation in it) is in a spoken variety, which models translate worse"),
    "bidi_controls": CheckSpec(script.bidi_controls, NoParams, ("bidi_control",),
                               "a bidi override in the Arabic, or any directional control in the English: text shown "
                               "in another order than it reads"),
}



def validate_check_settings(raw: dict) -> dict:
    """Check `review.checks` of config.yaml: known check names, known keys, valid values."""
    from pydantic import ValidationError

    for name, values in raw.items():
        if name not in CHECKS:
            raise ValueError(f"unknown check '{name}' (known: {', '.join(CHECKS)})")
        if not isinstance(values, dict):
            raise ValueError(f"{name}: expected a mapping such as {{enabled: false}}")
        params = {k: v for k, v in values.items() if k != "enabled"}
        if "enabled" in values and not isinstance(values["enabled"], bool):
            raise ValueError(f"{name}.enabled: expected true or false")
        try:
            CHECKS[name].params.model_validate(params)
        except ValidationError as exc:
            error = exc.errors()[0]
            key = ".".join(str(p) for p in error["loc"])
            what = "unknown key" if error["type"] == "extra_forbidden" else error["msg"].lower()
            raise ValueError(f"{name}.{key}: {what}") from None
    return raw


@dataclass
class Checker:
    """The enabled checks with their parameters, ready to run."""

    checks: dict[str, tuple[CheckSpec, Params]] = field(default_factory=dict)

    @classmethod
    def from_settings(cls, checks: dict | None = None, glossary_file: Path | None = None) -> "Checker":
        checks = checks or {}
        chosen = {}
        for name, spec in CHECKS.items():
            values = dict(checks.get(name) or {})
            if not values.pop("enabled", True):
                continue
            if name == "glossary":
                if glossary_file is None:
                    continue
                values["glossary"] = load_glossary(glossary_file)
            chosen[name] = (spec, spec.params.model_validate(values))
        return cls(chosen)

    def glossary(self) -> "Glossary | None":
        """The run's glossary, when the glossary check is on."""
        chosen = self.checks.get("glossary")
        return chosen[1].glossary if chosen is not None else None

    def resolved(self) -> dict:
        """The checks that run and their effective parameters (defaults included): part of every
        article's signature. The glossary counts by its file's content."""
        resolved = {}
        for name, (_, params) in self.checks.items():
            if name == "glossary":
                resolved[name] = {**params.model_dump(exclude={"glossary"}), "glossary": params.glossary.digest}
            else:
                resolved[name] = params.model_dump()
        return resolved

    def check(self, paragraph: Paragraph) -> None:
        flags: list[Flag] = []
        seen = without_format_controls(paragraph)
        for name, (spec, params) in self.checks.items():
            flags.extend(spec.function(paragraph if name in SEE_FORMAT_CONTROLS else seen, params))
        # An editor approved this English having seen these flags: they are not raised again.
        flags = [f for f in flags if f.code not in paragraph.approved_flags]
        paragraph.flags = flags
        paragraph.status = status_for(flags)


# The one check that looks at the invisible format characters themselves.
SEE_FORMAT_CONTROLS = {"bidi_controls"}


def without_format_controls(paragraph: Paragraph) -> Paragraph:
    """The paragraph as the checks read it: without the invisible format characters a reader never
    sees — LRM, RLM and ALM (U+200E, U+200F, U+061C, which Word and web pages put in mixed text),
    ZWJ, ZWNJ, zero-width spaces, soft hyphens, the BOM, embeddings and isolates — as the model
    never sees them either (arabic.normalize_for_model). An English with an LRM after its full stop
    is not cut off mid-sentence, a year between two LRMs is the year, «ثلاثة» followed by an RLM the
    word for 3. The paragraph itself when it holds none (nothing copied)."""
    def has(text: str | None) -> bool:
        return bool(text) and FORMAT_CONTROLS.search(text) is not None

    if not (has(paragraph.source) or has(paragraph.target)
            or any(has(u.source) or has(u.target) for u in paragraph.sentences)):
        return paragraph

    def clean(text: str) -> str:
        return FORMAT_CONTROLS.sub("", text) if text else text

    sentences = [dataclasses.replace(u, source=clean(u.source), target=clean(u.target)) for u in paragraph.sentences]
    return dataclasses.replace(paragraph, source=clean(paragraph.source), target=clean(paragraph.target),
                               sentences=sentences)


def status_for(flags: list[Flag]) -> str:
    """needs_review when any flag is a warning or an error; info flags alone leave a row ok."""
    return "needs_review" if any(severity_rank(f.severity) >= severity_rank("warning") for f in flags) else "ok"


def check_document(document: Document, checker: Checker | None = None) -> Document:
    checker = checker or Checker.from_settings()
    for paragraph in document.paragraphs:
        checker.check(paragraph)
    return document


def check_editor_english(document: Document, checker: Checker) -> None:
    """Flags on an editor's English that is not approved (a draft typed in the DOCX or a CAT
    tool): it is what the DOCX shows and what `publish` prints, and it can drop a number or keep
    Arabic as well as the machine can. The checks run on it as on an approved editor's English
    served from the memory (one unit of origin "human"); flags no check raises (the consistency
    check's, across articles) stay; a flagged draft's review says needs review. An approved row's
    English is served and checked by the translate stage; a rejected row keeps the machine's flags."""
    produced = {code for spec, _ in checker.checks.values() for code in spec.codes}
    for paragraph in document.paragraphs:
        review = paragraph.review
        if review is None or review.editor_target is None or review.status in ("approved", "rejected"):
            continue
        draft = copy.deepcopy(paragraph)
        draft.target = review.editor_target
        unit = human_unit(paragraph, review.editor_target, " ".join(s.model_input for s in paragraph.sentences))
        unit.target_span = (0, len(review.editor_target))
        draft.sentences, draft.approved_flags = [unit], []
        checker.check(draft)
        paragraph.flags = draft.flags + [f for f in paragraph.flags if f.code not in produced]
        paragraph.status = status_for(paragraph.flags)
        # The DOCX fills the Status cell with the checks' word: a draft with a warning or an error
        # says "needs review", never "ok" beside it (an editor's own "needs review" is never undone).
        if paragraph.status == "needs_review":
            review.status = "needs_review"
