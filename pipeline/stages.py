"""The chain of stages, written once.

    prepare    ingest → segment, then the house style's   an article, as it is read
               `pre` rules (style.pre_edit)
    translate  memory → executor (local or Ray)           a group of articles at once, each handed
                                                          back as soon as its English is
    finish     the house style's `post` rules → align →   an article, once its English is back
               checks (finishing.finish_here, here or in
               a helper process), then fuzzy matches
    write      the JSON record and the review DOCX (export/), by the caller

`batch.py` runs the chain over folders (and adds what needs the whole run: an editor's
unapproved English checked, the consistency across articles), `regress/` over suites,
`api.py` over a string or a file, `qa.py` (`tarjama check`) checks existing translations and
`tarjama segment` only prepares. Every stage is timed; a failing article never stops the others.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from .fuzzy import FuzzyIndex, offer_matches
from .checks import Checker, check_document
from .config import Settings
from .finishing import finish_here
from .glossary import load_glossary
from .ingest import read_document
from .model import Document
from .segment import segment_document
from .style import load_style, pre_edit
from .translate.executors import Executor, LocalExecutor
from .translate.memory import MemoryKey, TranslationMemory
from .translate.stage import TranslateStage

STAGES = ("ingest", "segment", "translate", "align", "checks", "fuzzy", "write")


class Stages:
    """The stages of one run with their settings: segmentation options, the model (its token
    counter, and its translations through an executor), the memory, the checker.

    `model` is a translate.loader.ModelHandle (or a test double with its attributes: name,
    backend, fingerprint, options, count_tokens, translate); without one, nothing is translated
    and token counts come from `token_counter`, or are estimated.
    """

    def __init__(self, settings: Settings, model=None, *, memory: TranslationMemory | None = None,
                 executor: Executor | None = None, stop: Callable[[], bool] = lambda: False,
                 progress: Callable[[int, int], None] = lambda done, total: None,
                 token_counter: Callable[[list[str]], list[int]] | None = None):
        self.settings = settings
        self.model = model
        self.count_tokens = token_counter or (model.count_tokens if model is not None else None)
        self.memory = memory
        self.checker = Checker.from_settings(settings.review.checks, settings.review.glossary)
        self.style = load_style(settings.style.rules)
        glossary = self.checker.glossary()
        if glossary is None and settings.review.glossary is not None:  # the check is off; the terms still apply
            glossary = load_glossary(settings.review.glossary)
        self.glossary = glossary
        # The glossary's do-not-translate terms: placeholders the model copies, like URLs.
        self.keep = [term.pattern for term in glossary.terms if term.keep] if glossary is not None else []
        self.timings = dict.fromkeys(STAGES, 0.0)
        self._fuzzy: FuzzyIndex | None = None  # the memory's paragraphs, read once on first use
        self.translator: TranslateStage | None = None
        if model is not None:
            key = MemoryKey.of(model.fingerprint, model.options, settings.segmentation.strip_diacritics)
            self.translator = TranslateStage(executor or LocalExecutor(model), key, memory, stop, progress,
                                             glossary=glossary if model.options.enforce_glossary else None,
                                             hypotheses=model.options.glossary_hypotheses)

    @contextmanager
    def timed(self, stage: str):
        started = time.perf_counter()
        try:
            yield
        finally:
            self.timings[stage] += time.perf_counter() - started

    # --- prepare ------------------------------------------------------------------------------
    def read(self, path: Path, doc_id: str) -> Document:
        limits = self.settings.limits
        with self.timed("ingest"):
            return read_document(path, doc_id, max_input_bytes=int(limits.max_input_mb * 2**20),
                                 max_docx_unzipped_bytes=int(limits.max_docx_unzipped_mb * 2**20))

    def segment(self, document: Document) -> Document:
        with self.timed("segment"):
            segment_document(document, self.settings.segmentation, self.count_tokens, self.keep)
            pre_edit(document, self.style, self.count_tokens)  # house style on what the model sees
            return document

    def prepare(self, path: Path, doc_id: str) -> Document:
        return self.segment(self.read(path, doc_id))

    # --- translate ----------------------------------------------------------------------------
    def translate(self, documents: list[Document]) -> Iterator[tuple[Document, Exception | None]]:
        """Each document as soon as its English is back, with None or the error it met."""
        if self.translator is None:
            raise RuntimeError("these stages have no model to translate with")
        return self.translator.run(documents)

    # --- finish -------------------------------------------------------------------------------
    def finish(self, document: Document) -> Document:
        """House style on the machine's English, alignment, checks; then the memory's offers."""
        return self.finished(document, finish_here(document, self.checker, self.style))

    def finished(self, document: Document, timings: dict[str, float]) -> Document:
        """An article finished here or by a helper process (finishing.py): its timings counted,
        the memory's offers added (the memory is this process's)."""
        for stage, seconds in timings.items():
            self.timings[stage] += seconds
        return self.offer_matches(document)

    def offer_matches(self, document: Document) -> Document:
        """The memory's nearest paragraph offered where there is no exact one (pipeline/fuzzy.py)."""
        if self.memory is None:
            return document
        with self.timed("fuzzy"):
            if self._fuzzy is None:
                self._fuzzy = FuzzyIndex(self.memory.reference_entries(), self.settings.memory.fuzzy_threshold)
            key = MemoryKey("", "", self.settings.segmentation.strip_diacritics)
            return offer_matches(document, self._fuzzy, key.paragraph)

    def check(self, document: Document) -> Document:
        """The checks alone: for English that did not come from the model too (`tarjama check`)."""
        with self.timed("checks"):
            return check_document(document, self.checker)

    # --- all of it, for documents in memory -------------------------------------------------
    def run(self, documents: list[Document]) -> list[Document]:
        """Segment, translate and finish documents already read; the first error is raised."""
        for document in documents:
            self.segment(document)
        for document, error in self.translate(documents):
            if error is not None:
                raise error
            self.finish(document)
        return documents

    @property
    def translate_seconds(self) -> float:
        return self.translator.stats.seconds if self.translator else 0.0
