"""Checks on the shape of the model's output: empty, cut at the cap, split by the budget."""

from __future__ import annotations

from ..arabic import has_arabic
from ..model import Flag, Paragraph


def empty_target(paragraph: Paragraph) -> list[Flag]:
    empty = [u.id for u in paragraph.sentences if has_arabic(u.model_input) and not u.target.strip()]
    if not empty:
        return []
    return [Flag("empty_target", "error", f"no English for {len(empty)} of {len(paragraph.sentences)} sentence(s)",
                 {"sentences": empty})]


def length_cap(paragraph: Paragraph) -> list[Flag]:
    cut = [u.id for u in paragraph.sentences if u.hit_length_cap]
    if not cut:
        return []
    return [Flag("length_cap", "warning", "the English stopped at the length limit: its end may be missing",
                 {"sentences": cut})]


def budget_split(paragraph: Paragraph) -> list[Flag]:
    split = [u.id for u in paragraph.sentences if u.budget_split]
    if not split:
        return []
    return [Flag("budget_split", "info",
                 f"a sentence too long for the model was translated in {len(split)} pieces: check the joins",
                 {"sentences": split})]
