"""The review stage: QA checks over every aligned paragraph → flags and a status.

Each check is a small pure function `(paragraph) -> list[Flag]`, one module per family, all
listed in the one dict `CHECKS` below (no registration by import side effect).
"""

from __future__ import annotations

from ..model import Document, Flag, Paragraph
from . import output, script

CHECKS = {
    "empty_target": output.empty_target,
    "length_cap": output.length_cap,
    "budget_split": output.budget_split,
    "arabic_in_target": script.arabic_in_target,
    "untranslated": script.untranslated,
}

SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


def worst_severity(flags: list[Flag]) -> str | None:
    return max((flag.severity for flag in flags), key=SEVERITY_RANK.__getitem__, default=None)


def status_for(flags: list[Flag]) -> str:
    """needs_review when any flag is a warning or an error; info flags alone leave a row ok."""
    return "needs_review" if any(SEVERITY_RANK[f.severity] >= 1 for f in flags) else "ok"


def review_paragraph(paragraph: Paragraph, enabled: dict[str, bool] | None = None) -> None:
    flags: list[Flag] = []
    for code, check in CHECKS.items():
        if enabled is None or enabled.get(code, True):
            flags.extend(check(paragraph))
    paragraph.flags = flags
    paragraph.status = status_for(flags)


def review_document(document: Document, enabled: dict[str, bool] | None = None) -> Document:
    for paragraph in document.paragraphs:
        review_paragraph(paragraph, enabled)
    return document
