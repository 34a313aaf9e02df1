"""Quotation marks and brackets: balanced in the English, and kept when the Arabic has them.

Machine output is compared unit by unit: a model that drops a quotation mark does it inside
one sentence, and there both sides are known to be the same text. A whole paragraph (a human
translation, `tarjama check`) is compared too, but only as information: quotations there often
run across paragraphs and translators move them.
"""

from __future__ import annotations

import re
from typing import Literal

from ..model import Flag, Paragraph
from ..text.arabic import ARABIC_LETTER
from .base import Params


class QuoteParams(Params):
    paragraph_severity: Literal["info", "warning", "error"] = "info"  # for whole-paragraph (human) findings


def _quotations(text: str, openers: str, closers: str) -> tuple[int, bool]:
    """Number of quotations and whether the marks balance."""
    straight = text.count('"')
    curly_open = sum(text.count(c) for c in openers)
    curly_close = sum(text.count(c) for c in closers)
    return straight // 2 + min(curly_open, curly_close), straight % 2 == 0 and curly_open == curly_close


# A stretch in Latin script between quotation marks in the Arabic («Maroc Telecom», «Challenge», "Ghost Town"):
# Arabic copy sets a foreign name apart so; English writes the name as it is, without quotation marks.
_LATIN_QUOTED = re.compile(r"[«“\"]([^«»“”\"]*[A-Za-z][^«»“”\"]*)[»”\"]")


def _latin_names_kept(source: str, target: str) -> int:
    """How many of the Arabic's quotations are a name in Latin script that the English has as written."""
    return sum(1 for quoted in _LATIN_QUOTED.findall(source)
               if not ARABIC_LETTER.search(quoted) and quoted.strip() and quoted.strip() in target)


def _compare(source: str, target: str) -> tuple[str, dict] | None:
    source_quotes, source_balanced = _quotations(source, "«“", "»”")
    target_quotes, target_balanced = _quotations(target, "“", "”")
    evidence = {"arabic_quotations": source_quotes, "english_quotations": target_quotes}
    if source_balanced and not target_balanced:
        return "the quotation marks in the English do not pair up", evidence
    if source_quotes and not target_quotes and source_quotes == _latin_names_kept(source, target):
        source_quotes = 0  # only foreign names set apart («Maroc Telecom» "Maroc Telecom"): nothing lost
    if source_balanced and source_quotes and not target_quotes and "‘" not in target and " '" not in target:
        return f"the Arabic has {source_quotes} quotation(s); the English has no quotation marks", evidence
    if source.count("(") == source.count(")") > 0 and target.count("(") != target.count(")"):
        return "the brackets in the English do not pair up", {"open": target.count("("), "close": target.count(")")}
    return None


def quotes(paragraph: Paragraph, params: QuoteParams) -> list[Flag]:
    if not paragraph.target.strip():
        return []
    translated = [u for u in paragraph.sentences if u.origin in ("model", "human") and u.target]
    flags = []
    for unit in translated:
        found = _compare(unit.source, unit.target)
        if found:
            message, evidence = found
            flags.append(Flag("quotes", "warning", f"{unit.id}: {message}", {**evidence, "sentence": unit.id}))
    if not translated:
        found = _compare(paragraph.source, paragraph.target)
        if found:
            flags.append(Flag("quotes", params.paragraph_severity, found[0], found[1]))
    return flags
