"""The translate stage: units of many documents → one call to the translator → targets."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from ..arabic import has_arabic
from ..errors import Interrupted
from ..model import Document, Sentence
from .base import Translator


@dataclass
class TranslateStats:
    units: int = 0       # translation units in the documents
    verbatim: int = 0    # copied as is (no Arabic letters to translate)
    unique: int = 0      # distinct model inputs sent to the translator
    generated_tokens: int = 0  # by the model in this run (memory hits not counted)


def _units(documents: Iterable[Document]) -> list[Sentence]:
    return [unit for document in documents for paragraph in document.paragraphs for unit in paragraph.sentences]


# Sentences per translator call: enough for several full batches, few enough that a stop
# request (Ctrl-C) or a crash loses little; each call's results are saved to the memory.
CHUNK = 256


def translate_documents(documents: list[Document], translator: Translator, *,
                        stop: Callable[[], bool] = lambda: False,
                        progress: Callable[[int, int], None] = lambda done, total: None) -> TranslateStats:
    """Fill `target`, `score`, `origin` of every unit of `documents`.

    All units of all documents go to the translator together, each distinct input once, so a
    folder of short articles still fills batches and a repeated line costs one translation.
    `stop` is asked between chunks: when it says so, Interrupted is raised and the chunks done
    so far are already in the translation memory.
    A unit without Arabic letters (a number, a URL, an English name) is copied as is: an
    Arabic→English model can only damage it.
    """
    units = _units(documents)
    stats = TranslateStats(units=len(units))
    to_model = []
    for unit in units:
        if unit.verbatim:  # a URL, handle, hashtag, emoji: exactly as written
            unit.target, unit.origin, unit.score = unit.source, "verbatim", None
            stats.verbatim += 1
        elif has_arabic(unit.model_input):
            to_model.append(unit)
        else:
            # Normalised (ASCII digits, no bidi marks); a unit of marks alone is shown as written.
            unit.target, unit.origin, unit.score = unit.model_input or unit.source, "verbatim", None
            stats.verbatim += 1
    unique = list(dict.fromkeys(unit.model_input for unit in to_model))
    stats.unique = len(unique)
    if not unique:
        return stats
    # Longest first, in chunks of similar lengths: every chunk still fills its batches well.
    ordered = sorted(unique, key=len, reverse=True)
    results = {}
    for start in range(0, len(ordered), CHUNK):
        if stop():
            raise Interrupted(f"stopped after {len(results)} of {len(ordered)} sentences")
        chunk = ordered[start:start + CHUNK]
        results.update(zip(chunk, translator.translate(chunk)))
        progress(len(results), len(ordered))
    for unit in to_model:
        result = results[unit.model_input]
        unit.target = result.text
        unit.score = result.score
        unit.hit_length_cap = result.hit_length_cap
        unit.origin = result.origin
    stats.generated_tokens = sum(results[text].tokens for text in unique if not results[text].cached)
    return stats
