"""Checks on how much English there is: length ratio, a cut-off ending, lost sentences."""

from __future__ import annotations

import re

from pydantic import Field

from ..model import HOUSE_STYLE_PUNCTUATION, Flag, Paragraph
from ..text.sentences import english_sentences, sentence_spans
from .base import NoParams, Params

_FINAL = re.compile(r"[.!?؟…][\"'”’»)\]]*\s*$")
# An English ending: final punctuation, or a closing quote or bracket (headline-style quotes).
_ENGLISH_END = re.compile(r"(?:[.!?…:;]|[\"'”’)\]])\s*$")


class LengthRatioParams(Params):
    # English characters per Arabic character, per paragraph kind; calibrated on NTREX-128
    # human translations (bench/checks.py): body p1 = 0.62, median 1.08, p99 = 1.57.
    bands: dict[str, tuple[float, float]] = Field(default_factory=lambda: {
        "body": (0.55, 1.9), "headline": (0.4, 2.4), "heading": (0.4, 2.4), "other": (0.45, 2.2)})
    min_source_chars: int = Field(25, ge=0)  # shorter paragraphs vary too much to judge


def length_ratio(paragraph: Paragraph, params: LengthRatioParams) -> list[Flag]:
    source, target = paragraph.source.strip(), paragraph.target.strip()
    if len(source) < params.min_source_chars or not target:
        return []
    low, high = params.bands.get(paragraph.kind) or params.bands.get("other", (0.45, 2.2))
    ratio = len(target) / len(source)
    evidence = {"ratio": round(ratio, 3), "band": [low, high]}
    if ratio < low:
        return [Flag("length_ratio", "warning",
                     f"the English is short for the Arabic ({ratio:.2f} characters per Arabic character, "
                     f"usual at least {low}): something may be missing", evidence)]
    if ratio > high:
        return [Flag("length_ratio", "warning",
                     f"the English is long for the Arabic ({ratio:.2f} characters per Arabic character, "
                     f"usual at most {high}): something may have been added", evidence)]
    return []


def truncated(paragraph: Paragraph, params: NoParams) -> list[Flag]:
    """The Arabic ends its last sentence; the English stops without ending one.

    Titles, captions and credit lines are left out: their punctuation follows house style.
    """
    target = paragraph.target.strip()
    if paragraph.kind in HOUSE_STYLE_PUNCTUATION:
        return []
    if target and _FINAL.search(paragraph.source) and not _ENGLISH_END.search(target):
        capped = bool(paragraph.sentences) and paragraph.sentences[-1].hit_length_cap
        if capped:  # cut off by the length cap: the end is certainly missing
            return [Flag("truncated", "error", "the English was cut off at the length limit: its end is missing",
                         {"ends_with": target[-30:], "hit_length_cap": True})]
        return [Flag("truncated", "warning", "the English stops mid-sentence: its end may be missing",
                     {"ends_with": target[-30:]})]
    return []


class SentenceCountParams(Params):
    min_share: float = Field(0.5, gt=0, le=1)  # an error when the English has fewer than this share of sentences


def sentence_count(paragraph: Paragraph, params: SentenceCountParams) -> list[Flag]:
    """Human translators merge and split sentences: another count is information, only a large
    loss is an error."""
    if not paragraph.target.strip():
        return []
    source = len(sentence_spans(paragraph.source))
    target = len(english_sentences(paragraph.target))
    evidence = {"arabic": source, "english": target}
    if source >= 2 and target < source * params.min_share:
        # Half the sentences gone is more than merging: content was lost.
        return [Flag("sentence_count", "error",
                     f"{source} sentences in the Arabic but {target} in the English: sentences are missing", evidence)]
    if target != source:
        return [Flag("sentence_count", "info", f"{source} sentence(s) in the Arabic, {target} in the English", evidence)]
    return []
