"""Checks on the model's output: empty, cut at the cap, split by the budget, protected text moved, unsure."""

from __future__ import annotations

from pydantic import Field

from ..text.arabic import has_arabic
from ..model import Flag, Paragraph
from .base import NoParams, Params


def empty_target(paragraph: Paragraph, params: NoParams) -> list[Flag]:
    if has_arabic(paragraph.source) and not paragraph.target.strip():
        return [Flag("empty_target", "error", "there is no English for this paragraph", {})]
    empty = [u.id for u in paragraph.sentences if has_arabic(u.model_input) and not u.target.strip()]
    if empty:
        return [Flag("empty_target", "error", f"no English for {len(empty)} of {len(paragraph.sentences)} sentences",
                     {"sentences": empty})]
    return []


def length_cap(paragraph: Paragraph, params: NoParams) -> list[Flag]:
    cut = [u.id for u in paragraph.sentences if u.hit_length_cap]
    if not cut:
        return []
    # The cap is twice the source's length and more: a sentence that reaches it looped or ran on.
    return [Flag("length_cap", "error", "the English stopped at the length limit: its end is missing or it ran on",
                 {"sentences": cut})]


def budget_split(paragraph: Paragraph, params: NoParams) -> list[Flag]:
    split = [u.id for u in paragraph.sentences if u.budget_split]
    if not split:
        return []
    return [Flag("budget_split", "info",
                 f"a sentence too long for the model was translated in {len(split)} pieces: check the joins",
                 {"sentences": split})]


def protected_moved(paragraph: Paragraph, params: NoParams) -> list[Flag]:
    """The model dropped the placeholder of a URL, e-mail, handle, hashtag or emoji: the text was
    put back at the end of its sentence (never lost), but its place there may be wrong."""
    moved = [(u.id, piece) for u in paragraph.sentences for piece in u.protected_moved]
    if not moved:
        return []
    pieces = ", ".join(piece for _, piece in moved)
    return [Flag("protected_moved", "warning",
                 f"the model dropped {pieces}: put back at the end of its sentence, check its place",
                 {"sentences": sorted({i for i, _ in moved}), "moved": [piece for _, piece in moved]})]


class ConfidenceParams(Params):
    # Mean token log-probability below which the model is taken to be unsure. Good beam-search
    # output of OPUS-MT models usually scores above -1; a loop or a guess scores far lower.
    threshold: float = Field(-1.5, lt=0)


def low_confidence(paragraph: Paragraph, params: ConfidenceParams) -> list[Flag]:
    unsure = [(u.id, u.score) for u in paragraph.sentences
              if u.origin == "model" and u.score is not None and u.score < params.threshold]
    if not unsure:
        return []
    worst = min(score for _, score in unsure)
    return [Flag("low_confidence", "warning",
                 f"the model was unsure of {len(unsure)} sentence(s) (mean log-probability {worst:.2f}, "
                 f"threshold {params.threshold})", {"sentences": [i for i, _ in unsure], "scores": [s for _, s in unsure]})]
