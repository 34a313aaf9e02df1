"""The translate stage: the units of a group of articles → English, through the memory and an executor.

In order, for a group of articles:

1. an editor's approved English for a whole paragraph wins (the memory's human paragraphs);
2. units with nothing to translate are copied (no Arabic letters; URLs, handles … alone);
3. every distinct request — a model input, with the glossary terms its English must hold
   (base.Request) — is looked up once in the memory (human sentences first);
4. the rest goes to the executor as work items; each item's results are stored in the memory
   as they arrive, and an article is handed on as soon as every unit it needs is known;
5. an article whose units met an error is handed on with that error (the others go on).

The same for a local run and a Ray run: only the executor differs.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

from ..glossary import Glossary
from ..model import Document, Paragraph, Sentence, human_unit
from ..text.arabic import BIDI_CONTROLS, english_marks, has_arabic
from ..text.protected import restore
from .base import Request, Translation, Translator
from .executors import Executor, LocalExecutor
from .memory import MemoryKey, MemoryUnavailable, TranslationMemory

log = logging.getLogger(__name__)


@dataclass
class TranslateStats:
    units: int = 0             # translation units in the documents
    verbatim: int = 0          # copied as is (no Arabic letters to translate)
    unique: int = 0            # distinct model inputs
    generated_tokens: int = 0  # by the model in this run (memory hits not counted)
    seconds: float = 0.0       # spent in this stage

    def add(self, other: "TranslateStats") -> None:
        for name in ("units", "verbatim", "unique", "generated_tokens", "seconds"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class TranslateStage:
    executor: Executor
    key: MemoryKey
    memory: TranslationMemory | None = None
    stop: Callable[[], bool] = lambda: False
    progress: Callable[[int, int], None] = lambda done, total: None
    stats: TranslateStats = field(default_factory=TranslateStats)
    # Terms enforced while translating (None: none), choosing among this many hypotheses.
    glossary: Glossary | None = None
    hypotheses: int = 4
    _requests: dict[str, str] = field(default_factory=dict, repr=False)

    def request(self, unit: Sentence) -> str:
        """What the model is asked for this unit: its input, and the glossary terms found in it."""
        request = self._requests.get(unit.model_input)
        if request is None:
            terms = self.glossary.required_in(unit.model_input) if self.glossary is not None else []
            request = self._requests[unit.model_input] = Request.of(unit.model_input, terms, self.hypotheses)
        return request

    def run(self, documents: list[Document]) -> Iterator[tuple[Document, Exception | None]]:
        """Fill every unit's `target`, `score`, `origin`; yield each document as soon as it is
        done, with None, or with the error that kept some of its units from being translated.
        `stats.seconds` counts this stage's own time, not the caller's between two documents."""
        stats = TranslateStats()
        started = time.perf_counter()
        self._apply_human_paragraphs(documents)
        needs = [self._plan(document, stats) for document in documents]
        unique = list(dict.fromkeys(text for need in needs for text in need))
        stats.unique = len(unique)
        known: dict[str, Translation] = self.memory.lookup(unique, self.key) if self.memory else {}
        owned, claimed = [], set(known)
        for need in needs:  # each missing input is owned by the first article that needs it
            owned.append([text for text in need if text not in claimed])
            claimed.update(need)
        items = self.executor.plan(owned)
        log.debug("%d articles: %d units, %d verbatim, %d distinct inputs, %d from the memory, %d to the model in %d items",
                  len(documents), stats.units, stats.verbatim, len(unique), len(known),
                  sum(map(len, items)), len(items))
        failed: dict[str, Exception] = {}
        pending = list(range(len(documents)))

        def ready() -> Iterator[tuple[Document, Exception | None]]:
            for index in list(pending):
                lost = needs[index] & failed.keys()
                if lost or needs[index] <= known.keys():
                    pending.remove(index)
                    if not lost:
                        self._assign(documents[index], known)
                    yield documents[index], failed[next(iter(lost))] if lost else None

        results = self.executor.run(items, self.stop)
        done, total = 0, sum(map(len, items))
        try:
            stats.seconds += time.perf_counter() - started
            yield from ready()  # articles the memory already covers
            while True:
                started = time.perf_counter()
                try:
                    index, result = next(results)
                except StopIteration:
                    break
                if isinstance(result, Exception):
                    log.debug("work item %d failed: %s", index, type(result).__name__)
                    failed.update(dict.fromkeys(items[index], result))
                else:
                    if self.memory is not None:
                        self._keep(result)
                    known.update(result)
                    stats.generated_tokens += sum(t.tokens for t in result.values())
                    done += len(result)
                    self.progress(done, total)
                stats.seconds += time.perf_counter() - started
                yield from ready()
        finally:
            self.stats.add(stats)

    def _keep(self, result: dict[str, Translation]) -> None:
        """Store a work item's results in the memory. One it cannot take (a full disk) fails no
        article: this run's articles still get the English, said once; a re-run translates it again."""
        try:
            self.memory.store(result.items(), self.key)
        except MemoryUnavailable as exc:
            if not self.memory.stats.unstored:
                log.warning("%s; this run's translations are used but not kept", exc)
            self.memory.stats.unstored += len(result)

    def _apply_human_paragraphs(self, documents: list[Document]) -> None:
        """An editor's approved English for a whole paragraph wins over the model: the paragraph
        becomes one unit (its whole text) of origin "human", and the flags the editor saw when
        approving it are not raised again."""
        if self.memory is None:
            return
        paragraphs = [p for d in documents for p in d.paragraphs]
        found = self.memory.human_paragraphs([self.key.paragraph(p.source) for p in paragraphs])
        for paragraph in paragraphs:
            hit = found.get(self.key.paragraph(paragraph.source))
            if hit is None:
                continue
            english, acknowledged = hit
            use_human_english(paragraph, english, acknowledged, self.key.paragraph(paragraph.source))

    def _plan(self, document: Document, stats: TranslateStats) -> set[str]:
        """Copy what needs no model; the distinct requests the rest needs."""
        need = set()
        for unit in (u for p in document.paragraphs for u in p.sentences):
            stats.units += 1
            if unit.origin == "human":  # an editor's paragraph, set above
                continue
            if unit.verbatim:  # URLs, handles, hashtags, emoji and no Arabic: as written, but for the
                # directional controls that set them apart in Arabic text (English needs none: bidi_controls)
                unit.target, unit.origin, unit.score = BIDI_CONTROLS.sub("", unit.source), "verbatim", None
                stats.verbatim += 1
            elif has_arabic(unit.model_input):
                need.add(self.request(unit))
            else:
                # Normalised (ASCII digits, no bidi marks, «٪» as "%"); a unit of marks alone is shown as written.
                copied = english_marks(unit.model_input) if unit.model_input else BIDI_CONTROLS.sub("", unit.source)
                unit.target, unit.origin, unit.score = copied, "verbatim", None
                stats.verbatim += 1
        return need


    def _assign(self, document: Document, results: dict[str, Translation]) -> None:
        for unit in (u for p in document.paragraphs for u in p.sentences):
            if unit.origin in ("human", "verbatim"):
                continue
            result = results[self.request(unit)]
            # The memory holds the English with placeholders: this unit's own URLs, e-mails … go back in.
            unit.target, unit.protected_moved = restore(result.text, unit.protected)
            unit.score = result.score
            unit.hit_length_cap = result.hit_length_cap
            unit.origin = result.origin
            unit.glossary = dict(result.terms) if result.terms and result.origin == "model" else None


def translate_documents(documents: Iterable[Document], model: Translator, memory: TranslationMemory | None = None,
                        key: MemoryKey | None = None, glossary: Glossary | None = None) -> TranslateStats:
    """Translate documents in this process, all or nothing: the first error is raised."""
    stage = TranslateStage(LocalExecutor(model), key or MemoryKey("", ""), memory, glossary=glossary)
    for _, error in stage.run(list(documents)):
        if error is not None:
            raise error
    return stage.stats


def use_human_english(paragraph: Paragraph, english: str, acknowledged: list[str], model_input: str) -> None:
    """The paragraph becomes one unit (its whole text) of origin "human" with `english`, and the
    flags the editor saw when approving it (`acknowledged`) are not raised again."""
    paragraph.sentences = [human_unit(paragraph, english, model_input)]
    paragraph.approved_flags = list(acknowledged)
