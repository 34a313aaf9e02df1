"""The translate stage: units of many documents → one call to the translator → targets."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from ..arabic import has_arabic, normalize_for_model
from ..errors import Interrupted
from ..model import Document, Sentence, sentence_id
from ..protected import restore
from .base import Translation, Translator


@dataclass
class TranslateStats:
    units: int = 0       # translation units in the documents
    verbatim: int = 0    # copied as is (no Arabic letters to translate)
    unique: int = 0      # distinct model inputs sent to the translator
    generated_tokens: int = 0  # by the model in this run (memory hits not counted)


def _apply_human_paragraphs(documents: list[Document], translator: Translator) -> None:
    """An editor's approved English for a whole paragraph wins over the model.

    The paragraph becomes one unit (its whole text) with the editor's English, origin "human",
    and the flags the editor saw when approving it are not raised again.
    """
    lookup = getattr(translator, "human_paragraphs", None)
    if lookup is None:
        return
    paragraphs = [p for d in documents for p in d.paragraphs]
    found = lookup([normalize_for_model(p.source) for p in paragraphs])
    for paragraph in paragraphs:
        hit = found.get(normalize_for_model(paragraph.source))
        if hit is None:
            continue
        english, acknowledged = hit
        start = len(paragraph.source) - len(paragraph.source.lstrip())
        end = len(paragraph.source.rstrip())
        paragraph.sentences = [Sentence(id=sentence_id(paragraph.id, 1), source=paragraph.source[start:end],
                                        source_span=(start, end), model_input=normalize_for_model(paragraph.source),
                                        target=english, origin="human")]
        paragraph.approved_flags = acknowledged


def _units(documents: Iterable[Document]) -> list[Sentence]:
    return [unit for document in documents for paragraph in document.paragraphs for unit in paragraph.sentences]


# Sentences per translator call: enough for several full batches, few enough that a stop
# request (Ctrl-C) or a crash loses little; each call's results are saved to the memory.
CHUNK = 256


@dataclass
class TranslationPlan:
    """What a group of documents needs from the model: the units to translate, each distinct
    input once (longest first), after human paragraphs and verbatim units are set aside."""

    to_model: list[Sentence]
    unique: list[str]
    stats: TranslateStats


def plan_translation(documents: list[Document], translator: Translator) -> TranslationPlan:
    """Apply editors' paragraphs, copy verbatim units, list the distinct model inputs.

    A unit without Arabic letters (a number, a URL, an English name) is copied as is: an
    Arabic→English model can only damage it.
    """
    _apply_human_paragraphs(documents, translator)
    units = _units(documents)
    stats = TranslateStats(units=len(units))
    to_model = []
    for unit in units:
        if unit.origin == "human":  # an editor's paragraph, set above
            continue
        if unit.verbatim:  # URLs, handles, hashtags, emoji and no Arabic: exactly as written
            unit.target, unit.origin, unit.score = unit.source, "verbatim", None
            stats.verbatim += 1
        elif has_arabic(unit.model_input):
            to_model.append(unit)
        else:
            # Normalised (ASCII digits, no bidi marks); a unit of marks alone is shown as written.
            unit.target, unit.origin, unit.score = unit.model_input or unit.source, "verbatim", None
            stats.verbatim += 1
    # Longest first, so that chunks of it hold similar lengths and fill their batches well.
    unique = sorted(dict.fromkeys(unit.model_input for unit in to_model), key=len, reverse=True)
    stats.unique = len(unique)
    return TranslationPlan(to_model, unique, stats)


def assign_results(units: Iterable[Sentence], results: dict[str, Translation]) -> None:
    for unit in units:
        result = results[unit.model_input]
        # The memory holds the English with placeholders: this unit's own URLs, e-mails … go back in.
        unit.target, unit.protected_moved = restore(result.text, unit.protected)
        unit.score = result.score
        unit.hit_length_cap = result.hit_length_cap
        unit.origin = result.origin


def generated_tokens(texts: Iterable[str], results: dict[str, Translation]) -> int:
    """Tokens the model generated in this run (memory hits not counted)."""
    return sum(results[text].tokens for text in texts if not results[text].cached)


def translate_documents(documents: list[Document], translator: Translator, *,
                        stop: Callable[[], bool] = lambda: False,
                        progress: Callable[[int, int], None] = lambda done, total: None) -> TranslateStats:
    """Fill `target`, `score`, `origin` of every unit of `documents`.

    All units of all documents go to the translator together, each distinct input once, so a
    folder of short articles still fills batches and a repeated line costs one translation.
    `stop` is asked between chunks: when it says so, Interrupted is raised and the chunks done
    so far are already in the translation memory.
    """
    plan = plan_translation(documents, translator)
    results: dict[str, Translation] = {}
    for start in range(0, len(plan.unique), CHUNK):
        if stop():
            raise Interrupted(f"stopped after {len(results)} of {len(plan.unique)} sentences")
        chunk = plan.unique[start:start + CHUNK]
        results.update(zip(chunk, translator.translate(chunk)))
        progress(len(results), len(plan.unique))
    assign_results(plan.to_model, results)
    plan.stats.generated_tokens = generated_tokens(plan.unique, results)
    return plan.stats
