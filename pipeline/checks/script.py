"""Checks on the script of the English: Arabic left in it, or nothing translated at all."""

from __future__ import annotations

import re

from ..text.arabic import ARABIC_LETTERS, has_arabic, normalize_for_model
from ..model import Flag, Paragraph
from .base import NoParams

_ARABIC_RUN = re.compile(f"[{ARABIC_LETTERS}][{ARABIC_LETTERS}\u064b-\u0652\u0640 ]*")


def arabic_in_target(paragraph: Paragraph, params: NoParams) -> list[Flag]:
    runs = [run.strip() for run in _ARABIC_RUN.findall(paragraph.target) if run.strip()]
    if not runs or _identical(paragraph):
        return []
    return [Flag("arabic_in_target", "error", f"Arabic text left in the English: «{runs[0][:40]}»",
                 {"arabic": runs[:10]})]


def _identical(paragraph: Paragraph) -> bool:
    return normalize_for_model(paragraph.target) == normalize_for_model(paragraph.source)


def untranslated(paragraph: Paragraph, params: NoParams) -> list[Flag]:
    if has_arabic(paragraph.source) and _identical(paragraph):
        return [Flag("untranslated", "error", "the English is identical to the Arabic: not translated", {})]
    return []
