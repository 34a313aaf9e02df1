"""Checks on the script of the English: Arabic left in it, or nothing translated at all."""

from __future__ import annotations

import re

from ..model import Flag, Paragraph
from ..text.arabic import ARABIC_LETTERS, BIDI_CONTROLS, BIDI_OVERRIDES, bidi_names, has_arabic, normalize_for_model
from ..text.protected import protected_spans
from .base import NoParams

_ARABIC_RUN = re.compile(f"[{ARABIC_LETTERS}][{ARABIC_LETTERS}\u064b-\u0652\u0640 ]*")


def _copied_as_written(paragraph: Paragraph) -> tuple[str, str]:
    """Source and target without what the pipeline copies as written (text/protected.py: an
    Arabic #hashtag, a URL with Arabic in it): Arabic there is right, not left untranslated."""
    source, target = paragraph.source, paragraph.target
    for start, end in reversed(protected_spans(paragraph.source)):
        piece = paragraph.source[start:end]
        source = source[:start] + " " + source[end:]
        target = target.replace(piece, " ")
    return source, target


def arabic_in_target(paragraph: Paragraph, params: NoParams) -> list[Flag]:
    runs = [run.strip() for run in _ARABIC_RUN.findall(_copied_as_written(paragraph)[1]) if run.strip()]
    if not runs or _identical(paragraph):
        return []
    return [Flag("arabic_in_target", "error", f"Arabic text left in the English: «{runs[0][:40]}»",
                 {"arabic": runs[:10]})]


# What normalisation can turn into an Arabic letter: Arabic-script characters (presentation
# forms included) and HTML entities. A basic Arabic letter it always keeps (or composes with a mark).
_MAY_BECOME_ARABIC = re.compile("[&\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_BASIC_ARABIC_LETTER = re.compile("[\u0621-\u063a\u0641-\u064a]")


def _identical(paragraph: Paragraph) -> bool:
    if _BASIC_ARABIC_LETTER.search(paragraph.source) and not _MAY_BECOME_ARABIC.search(paragraph.target):
        return False  # Arabic letters on one side only, whatever normalisation does: not identical
    return normalize_for_model(paragraph.target) == normalize_for_model(paragraph.source)


def untranslated(paragraph: Paragraph, params: NoParams) -> list[Flag]:
    # a line of hashtags alone is copied as written, and rightly
    if has_arabic(_copied_as_written(paragraph)[0]) and _identical(paragraph):
        return [Flag("untranslated", "error", "the English is identical to the Arabic: not translated", {})]
    return []


def bidi_controls(paragraph: Paragraph, params: NoParams) -> list[Flag]:
    """Directional controls that can make a text show in another order than it reads — what the
    model translated and the checks compared is the order it reads in (the model never sees these
    characters): an override in the Arabic (a hostile or broken source: «RLO 1202» shows 2021 to the
    editor, the English says 1202 and no check can tell), any embedding, override or isolate in the
    English (an editor's, a CAT tool's or an imported memory's: "51" shown as "15" in the published
    article, 51 for search engines, screen readers and whoever copies it). The English's is an error:
    `publish` refuses it approved or not."""
    flags = []
    found = BIDI_OVERRIDES.findall(paragraph.source)
    if found:
        flags.append(Flag("bidi_control", "warning",
                          f"the Arabic holds {bidi_names(found)}: the text after it can show in another order than "
                          f"it reads and was translated in (a number reversed)",
                          {"source": sorted({f"U+{ord(c):04X}" for c in found})}))
    found = BIDI_CONTROLS.findall(paragraph.target)
    if found:
        flags.append(Flag("bidi_control", "error",
                          f"the English holds {bidi_names(found)}, which English never needs: it can show in another "
                          f"order than it reads; retype the text around it",
                          {"target": sorted({f"U+{ord(c):04X}" for c in found})}))
    return flags
