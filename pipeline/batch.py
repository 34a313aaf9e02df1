"""Folder runs: discovery, output names, skip-unchanged, the stages per group of articles, the run report.

One bad file never stops a batch: it is recorded with a one-line reason and the rest go on.
Articles are translated in groups so that the model sees units of many short articles in one
length-sorted stream, and each article is written (atomically) as soon as its English is back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import queue
import threading
import time
import traceback
from collections import Counter, deque
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath
from typing import Callable, Iterator, TypeVar

from . import __version__
from .checks import Checker, check_editor_english
from .consistency import ConsistencyIndex
from .config import Settings
from .errors import InputError, Interrupted, ReportNotWritten, TarjamaError, UnsupportedInput
from .export.docx import DOCX_VERSION, DocxOptions, build_docx
from .finishing import MIN_ARTICLES, FinishPool
from .export.record import SCHEMA_VERSION, ArticleRecord, RunInfo, dumps, read_record, summary
from .fsutil import RecordLock, atomic_write_bytes, atomic_write_text, file_stamp, output_folder
from .glossary import Glossary
from .ingest import format_of
from .folders import FileResult, InputFile, discover, plan_outputs, remove_stale_temporaries, display_path
from .model import Document
from .roundtrip import carry_reviews, docx_created, docx_rows, follow_ids, reuse_approved, shown_cells, unimported_edits
from .segment import SEGMENTER_VERSION
from .stages import Stages
from .translate.executors import Executor, LocalExecutor
from .fuzzy import FUZZY_VERSION
from .translate.memory import MemoryKey, TranslationMemory

log = logging.getLogger(__name__)
T = TypeVar("T")
WRITER_THREADS = 4

REPORT_NAME = "_batch.json"
# Translation units per group of articles. A backend's batches hold sentences of one length, so
# the more sentences are planned together, the fuller they are: 99 NTREX articles made 304
# batches of 5.3 sentences in groups of 400, 155 of 10.4 in groups of 1,600 (152 all at once),
# and CTranslate2 alone was 7-14% faster on the larger batches. The memory saves every chunk
# (executors.CHUNK) as it comes, so a larger group only delays the first article's files.
GROUP_UNITS = 1600


@dataclass
class RunReport:
    tarjama_version: str
    started: str
    output_dir: str
    config: str = "built-in defaults"  # the config file in force
    model: dict = field(default_factory=dict)
    files: list[FileResult] = field(default_factory=list)
    timings: dict = field(default_factory=dict)
    translation: dict = field(default_factory=dict)
    finished: str = ""
    interrupted: bool = False
    workers: dict = field(default_factory=dict)  # per-worker counts and timings (executor: ray)
    # the checks' helper processes (finishing.py): how many, and the articles they finished
    helpers: dict = field(default_factory=dict)
    # the same Arabic said two ways, one English for two Arabic, a name in two spellings (consistency.py)
    inconsistencies: list = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)

    def totals(self) -> dict:
        return {"files": len(self.files), "done": self.count("done"), "failed": self.count("failed"),
                "skipped": self.count("skipped"), "paragraphs": sum(f.paragraphs for f in self.files),
                "sentences": sum(f.sentences for f in self.files), "flagged": sum(f.flagged for f in self.files),
                "notices": sum(len(f.notices) for f in self.files),
                "by_code": dict(sorted(sum((Counter(f.by_code) for f in self.files), Counter()).items()))}

    def to_dict(self) -> dict:
        data = asdict(self)
        data["totals"] = self.totals()
        return data


def run_timestamp() -> dt.datetime:
    """Now, or SOURCE_DATE_EPOCH when set (the reproducible-builds convention)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


# --- the run -----------------------------------------------------------------------------

class BatchRunner:
    """The batch job: files through the stages (stages.py), in groups, each article written as soon
    as its English is back, and the run report.

    `model` is the run's model (translate.loader.ModelHandle, or a test double with its
    attributes); `memory` the translation memory or None; `executor` where the model work runs
    (default: this process). An article whose input bytes and everything that decides its outputs
    (`run_signature`) are those its JSON records is skipped, unless `force`.
    """

    def __init__(self, settings: Settings, model, output_dir: Path,
                 progress: Callable[[int], None] | None = None, *, memory: TranslationMemory | None = None,
                 executor: Executor | None = None, force: bool = False, debug: bool = False,
                 translation_progress: Callable[[int, int], None] | None = None,
                 on_finished: Callable[[Document], None] | None = None, stop: threading.Event | None = None,
                 helpers: int = 0):
        self.settings = settings
        self.model = model
        self.memory = memory
        self.executor = executor or LocalExecutor(model)
        self.output_dir = output_dir
        self.progress = progress or (lambda n: None)
        self.on_finished = on_finished or (lambda document: None)  # each article once its outputs are written
        self.force = force
        self.debug = debug
        self.stop = stop or threading.Event()  # set by a Ctrl-C handler: stop after the current work item
        self.stages = Stages(settings, model, memory=memory, executor=self.executor,
                             stop=self.stop.is_set, progress=translation_progress or (lambda done, total: None))
        # the record each article had before this run, and its file's stamp when read (fsutil.file_stamp)
        self.previous: dict[str, tuple[ArticleRecord | None, tuple | None]] = {}
        # Files are flushed to disk (fsync) by a few threads: the waits overlap each other and the work.
        self.writer = ThreadPoolExecutor(WRITER_THREADS, thread_name_prefix="tarjama-write")
        self.writing: deque = deque()  # (future, item, its place in report.files, document), in order
        self.consistency = ConsistencyIndex() if settings.review.consistency else None
        # Processes that finish articles (checks) beside this one (finishing.py); started in run().
        # 0 by default: a spawned helper re-imports the caller's main module, which the `tarjama`
        # command guards and a user's script may not.
        self.helper_processes = helpers
        self.shown_output = PurePosixPath(display_path(output_dir))  # as reports show it, resolved once
        self.helpers: FinishPool | None = None
        self.unchanged: list[Path] = []  # records of skipped articles not yet in the consistency index
        self.created = run_timestamp()
        segmentation = settings.segmentation
        self.run_info = RunInfo(
            model_name=settings.model.name,
            model_fingerprint=model.fingerprint,
            backend=model.backend,
            generation=model.options.described(),
            pipeline={"tarjama_version": __version__, "segmenter_version": SEGMENTER_VERSION,
                      "strip_diacritics": segmentation.strip_diacritics,
                      "max_unit_tokens": segmentation.max_unit_tokens},
            created=self.created.isoformat().replace("+00:00", "Z"),
        )
        self.docx_options = DocxOptions.from_settings(settings.document)
        self.run_signature = run_signature(self.run_info, self.stages.checker, memory, self.docx_options,
                                           self.stages.style.digest, self.stages.glossary, settings.memory.fuzzy_threshold)

    def article_signature(self, source_sha256: str) -> str:
        return hashlib.sha256(f"{source_sha256}|{self.run_signature}".encode()).hexdigest()

    def run(self, files: list[InputFile], passed: list[FileResult]) -> RunReport:
        report = RunReport(tarjama_version=__version__, started=self.run_info.created,
                           output_dir=str(self.output_dir), config=self.settings.source,
                           model={"name": self.run_info.model_name, "fingerprint": self.run_info.model_fingerprint,
                                  "backend": self.run_info.backend, "generation": self.run_info.generation})
        report.files.extend(passed)
        # an article's JSON is never the report; an article keeps the name its record has here
        plan_outputs(files, reserved=(Path(REPORT_NAME).stem,), output_dir=self.output_dir)
        group: list[tuple[InputFile, Document, float]] = []
        try:
            for index, item in enumerate(files):
                if self.stop.is_set():
                    raise Interrupted("stopped before this article")
                prepared = self._prepare(item, report)
                if prepared is None:
                    self.progress(1)
                    continue
                if self.helpers is None and self.helper_processes and len(files) - index >= MIN_ARTICLES:
                    # from the first article with work to do, when enough follow
                    self.helpers = FinishPool(self.settings, self.helper_processes)
                group.append(prepared)
                if sum(len(p.sentences) for _, document, _ in group for p in document.paragraphs) >= GROUP_UNITS:
                    self._translate_group(group, report)
                    group = []
            if group:
                self._translate_group(group, report)
        except (Interrupted, KeyboardInterrupt):
            self._settle(report, wait=True)
            report.interrupted = True
            finished = {f.input for f in report.files}
            report.files.extend(FileResult(item.rel, "failed", "not done: the run was interrupted")
                                for item in files if item.rel not in finished)
        finally:
            if self.helpers is not None:
                self.helpers.close()
                report.helpers = {"processes": self.helper_processes, "start": self.helpers.start_method,
                                  "articles": self.helpers.finished}
                self.helpers = None
        self._settle(report, wait=True)
        self.writer.shutdown()
        timings = dict(self.stages.timings, translate=self.stages.translate_seconds)
        report.timings = {stage: round(seconds, 3) for stage, seconds in timings.items()}
        stats = self.stages.translator.stats
        report.translation = {"units": stats.units, "verbatim": stats.verbatim, "unique": stats.unique,
                              "generated_tokens": stats.generated_tokens}
        if self.memory is not None:
            report.translation["memory"] = {"path": str(self.memory.path), **asdict(self.memory.stats)}
        workers = self.executor.report()
        report.translation["model_loaded"] = bool(workers) or self.model.loaded
        report.workers = workers
        if self.consistency is not None:
            report.inconsistencies = self.consistency.report()
        report.finished = run_timestamp().isoformat().replace("+00:00", "Z")
        try:
            atomic_write_text(self.output_dir / REPORT_NAME, dumps(report.to_dict()))
        except OSError as exc:  # a full disk: what became of each file is still the caller's to say
            raise ReportNotWritten(f"{exc.filename}: the run report cannot be written ({exc.strerror or exc}); "
                                   f"the files are listed above, those written are whole", report) from None
        remove_stale_temporaries(self.output_dir)
        log.debug("run done: %s", report.totals())
        return report

    def _prepare(self, item: InputFile, report: RunReport) -> tuple[InputFile, Document, float] | None:
        """Ingest and segment one article, or record why not (unchanged, unreadable, …)."""
        started = time.perf_counter()
        stamp = file_stamp(self.output_dir / f"{item.stem}.json")  # before reading: a write after it is seen (_write_article)
        previous = _previous_record(self.output_dir / f"{item.stem}.json")  # read once: signature, reviews
        docx = self.output_dir / f"{item.stem}.docx"
        digest = hashlib.sha256(docx.read_bytes()).hexdigest() if docx.is_file() else None  # read once too
        edited = unimported_edits(docx, previous, digest)
        if edited is not None:  # an editor's work in the DOCX: said before any other decision
            report.files.append(FileResult(item.rel, "failed", edited))
            return None
        if not self.force and self._unchanged(item, previous, digest):
            if self.consistency is not None:
                # Later articles are compared with it too: added when one comes (a re-run that
                # skips everything never reads the records twice).
                self.unchanged.append(self.output_dir / f"{item.stem}.json")
            report.files.append(FileResult(item.rel, "skipped", "unchanged since its outputs were written "
                                                               "(--force redoes it)", outputs=self._outputs(item)))
            return None
        self.previous[item.rel] = previous, stamp
        try:
            document = self.stages.read(item.path, item.rel)
        except UnsupportedInput as exc:
            report.files.append(FileResult(item.rel, "failed" if item.explicit else "skipped", exc.reason))
            return None
        except InputError as exc:
            report.files.append(FileResult(item.rel, "failed", exc.reason))
            return None
        except Exception as exc:  # a reader bug on a strange file: this file fails, the batch goes on
            self._failed(item, report, "cannot be read", exc)
            return None
        try:
            self.stages.segment(document)
        except Exception as exc:
            self._failed(item, report, "cannot be segmented", exc)
            return None
        if previous is not None:
            key = MemoryKey("", "", self.settings.segmentation.strip_diacritics)
            reuse_approved(document, previous, key.paragraph)
        return item, document, time.perf_counter() - started

    def _translate_group(self, group: list[tuple[InputFile, Document, float]], report: RunReport) -> None:
        """Translate a group of articles; write each as soon as its English is back."""
        log.debug("group of %d articles", len(group))
        entries = {id(document): (item, seconds) for item, document, seconds in group}
        units = {id(document): sum(len(p.sentences) for p in document.paragraphs) for _, document, _ in group}
        total = sum(units.values()) or 1
        before = self.stages.translate_seconds
        # Articles are written in input order (each as soon as those before it are): what an
        # article is compared with across the batch (consistency.py) never depends on which
        # finished first, so a local run and a Ray run write the same files.
        position = {id(document): n for n, (_, document, _) in enumerate(group)}
        finished: dict[int, tuple] = {}
        next_to_write = 0
        translated = self._to_helpers(self.stages.translate([document for _, document, _ in group]))
        for document, error, finishing in in_background(translated):
            share = (self.stages.translate_seconds - before) * units[id(document)] / total
            finished[position[id(document)]] = (document, error, finishing, share)
            while next_to_write in finished:
                done, failure, finishing, spent = finished.pop(next_to_write)
                item, seconds = entries[id(done)]
                if failure is not None:
                    self._failed(item, report, "translation failed", failure)
                    self.progress(1)
                else:
                    self._write_article(item, done, seconds + spent, report, finishing)
                next_to_write += 1

    def _to_helpers(self, translated: Iterator[tuple[Document, Exception | None]]
                    ) -> Iterator[tuple[Document, Exception | None, Future | None]]:
        """Each translated article handed to the helper processes as soon as it is back (in the
        translating thread, so they work ahead of the writing); None: it is finished here."""
        for document, error in translated:
            finishing = None
            if error is None and self.helpers is not None and not self.helpers.broken and self.helpers.ready():
                try:
                    finishing = self.helpers.submit(document)
                except BrokenProcessPool:  # a helper died: the rest are finished here
                    self._helper_died()
            yield document, error, finishing

    def _finish(self, document: Document, finishing: Future | None) -> Document:
        """The article finished by a helper process (its copy comes back), or here."""
        if finishing is not None:
            try:
                finished, timings = finishing.result()
                self.helpers.finished += 1
                return self.stages.finished(finished, timings)
            except BrokenProcessPool:  # a helper died (killed, out of memory): this one is finished here
                self._helper_died()
        return self.stages.finish(document)

    def _helper_died(self) -> None:
        if not self.helpers.broken:
            log.warning("a helper process of the checks stopped; they go on in this process")
        self.helpers.broken = True

    def _write_article(self, item: InputFile, document: Document, seconds: float, report: RunReport,
                       finishing: Future | None = None) -> None:
        started = time.perf_counter()
        json_path, docx_path = self.output_dir / f"{item.stem}.json", self.output_dir / f"{item.stem}.docx"
        previous, stamp = self.previous.pop(item.rel, (None, None))
        # Held from here until the record is written (by the writer thread): an import-review of
        # this article waits, and one that wrote before is read below.
        lock = RecordLock(json_path).acquire()
        if file_stamp(json_path) != stamp:
            # Written since this article was read (an editor's review imported while it translated):
            # the reviews to carry over, and the files imported, are that record's.
            previous = _previous_record(json_path)
        edited = unimported_edits(docx_path, previous)
        if edited is not None:  # saved by an editor while this run translated: never replaced silently
            lock.release()
            report.files.append(FileResult(item.rel, "failed", edited))
            self.progress(1)
            return
        try:
            document = self._finish(document, finishing)
            with self.stages.timed("write"):
                if self.consistency is not None:
                    with self.stages.timed("checks"):
                        self._catch_up()
                        self.consistency.check(document)  # against every article finished before it
                # The editors' reviews follow their paragraphs into the new record and document —
                # after every check of the machine's English, since a status the editor left as
                # the checks gave it follows this run's checks (roundtrip.carry_reviews).
                moved: dict[str, str] = {}
                orphans = carry_reviews(document, previous, moved) if previous is not None else []
                check_editor_english(document, self.stages.checker)  # a draft is checked as it will be published
                created = docx_created(document, self.run_info.created, previous)
                article_comments = ((previous.review_import or {}).get("document_comments")
                                    if previous is not None else None)
                docx_bytes = build_docx(document, self.run_info, self.docx_options, orphans, created, article_comments)
                article = ArticleRecord(document, self.run_info, self.run_info.created,
                                        self.article_signature(document.source_sha256),
                                        follow_ids(previous.review_import, moved) if previous is not None else None,
                                        hashlib.sha256(docx_bytes).hexdigest(), orphans,
                                        docx_rows(document, created, previous))
                record = dumps(article.to_dict())
        except BaseException as exc:
            lock.release()
            if not isinstance(exc, Exception):
                raise
            self._failed(item, report, "cannot write its outputs", exc)  # a writer bug: the rest go on
            self.progress(1)
            return
        counts = summary(document)
        result = FileResult(item.rel, "done", outputs=self._outputs(item), paragraphs=counts["paragraphs"],
                            sentences=counts["sentences"], flagged=counts["flagged"], by_code=counts["by_code"],
                            seconds=round(seconds + time.perf_counter() - started, 3), notices=list(document.notices))
        report.files.append(result)  # its place in input order; a failed write replaces it
        # The files are written (and flushed to disk) by the writer threads while the next article
        # is finished: the DOCX first, the JSON last, whose signature marks the article done.
        writing = self.writer.submit(_store, docx_path, docx_bytes, json_path, record, lock)
        self.writing.append((writing, item, len(report.files) - 1, document))
        self._settle(report)

    def _catch_up(self) -> None:
        """The unchanged articles skipped so far, into the consistency index, in input order."""
        for path in self.unchanged:
            record = _previous_record(path)
            if record is not None:
                self.consistency.add(record.document)
        self.unchanged.clear()

    def _settle(self, report: RunReport, wait: bool = False) -> None:
        """Account for the articles whose files are written, in order (all of them: `wait`)."""
        while self.writing and (wait or self.writing[0][0].done()):
            writing, item, position, document = self.writing.popleft()
            error = writing.exception()
            if error is not None:  # a full disk: this article fails, the rest go on
                self._failed(item, report, "cannot write its outputs", error)
                report.files[position] = report.files.pop()
            else:
                self.on_finished(document)
            self.progress(1)

    def _failed(self, item: InputFile, report: RunReport, what: str, exc: BaseException) -> None:
        if self.debug:
            traceback.print_exception(exc)
        # Tarjama's own errors are one line already, the file system's name the file; others are named by their type
        if isinstance(exc, TarjamaError):
            reason = str(exc)
        elif isinstance(exc, OSError) and exc.filename and exc.strerror:
            reason = f"{exc.filename}: {exc.strerror}"
        else:
            reason = f"{type(exc).__name__}: {_one_line(exc)}"
        report.files.append(FileResult(item.rel, "failed", f"{what}: {reason}"))
        log.debug("%s failed: %s", item.rel, what)  # the path, never the text

    def _unchanged(self, item: InputFile, previous: ArticleRecord | None, docx_digest: str | None) -> bool:
        """Whether `previous` (the record at the item's output name) is this input as it would be
        written now: the same file (`source_path`), read the same way (`format`), the same bytes
        and run signature, and its DOCX as written."""
        if previous is None or docx_digest is None:
            return False
        if previous.document.source_path != item.rel or previous.document.format != format_of(item.path):
            return False  # another file (a.txt renamed a.md reads otherwise, a record of another folder's)
        if previous.docx_sha256 and docx_digest != previous.docx_sha256:
            return False  # an editor's file whose review was imported: written again, to show it
        if previous.docx_rows and previous.docx_rows[-1].get("rows") != "".join(
                shown_cells(p) for p in previous.document.paragraphs):
            return False  # reviews imported since (from an XLIFF): the DOCX must show them
        try:
            digest = hashlib.sha256(item.path.read_bytes()).hexdigest()
        except OSError:
            return False
        return previous.signature == self.article_signature(digest)

    def _outputs(self, item: InputFile) -> list[str]:
        return [(self.shown_output / f"{item.stem}.json").as_posix(), (self.shown_output / f"{item.stem}.docx").as_posix()]


def translate_paths(settings: Settings, paths: list[Path], output_dir: Path, *, force: bool = False,
                    use_memory: bool = True, debug: bool = False, stop: threading.Event | None = None,
                    progress: Callable[[int], None] | None = None,
                    translation_progress: Callable[[int, int], None] | None = None,
                    on_finished: Callable[[Document], None] | None = None, on_start: Callable[[int], None] | None = None,
                    model=None, helpers: int = 0) -> RunReport | None:
    """`tarjama translate`: the articles under `paths` into `output_dir` with the configured model,
    memory and executor. None when there is nothing to translate there.

    Raises InputNotFound when no given path exists (a typo must not overwrite the last run's
    report), ModelNotAvailable or ConfigError before any work. `on_start` hears how many articles
    were found, `progress` of each one done, `translation_progress` of sentences. `helpers`:
    processes that run the checks beside this one (BatchRunner; the command gives `review.processes`).
    """
    from .errors import InputNotFound, UsageError
    from .translate.loader import ModelHandle, open_memory

    missing = [str(path) for path in paths if not _exists(Path(path))]
    if len(missing) == len(paths):
        raise InputNotFound(f"no such file or folder: {', '.join(missing)}")
    for path in paths:
        if os.path.realpath(path) == os.path.realpath(output_dir) and _exists(Path(path)):  # realpath: a link in a loop does not raise
            raise UsageError(f"{path}: the output folder is the input folder, where the outputs would mix with (and "
                             f"could overwrite) the articles; choose another output folder (-o)")
    # rel (the output name) relative to the input folder when the paths lie inside it: input/world/x.txt
    # named alone comes out as world/x, as when the whole input folder is translated.
    files, passed = discover(paths, exclude=output_dir, root=settings.paths.input)
    if not files and not passed:
        return None
    if on_start is not None:
        on_start(len(files))
    model = model or ModelHandle(settings)
    Stages(settings)  # the glossary and house-style rules read (a missing or broken one is a ConfigError) before
                      # anything is made: wrong settings leave no folder behind
    executor = None
    if settings.executor.kind == "ray":  # before the output folder too: Ray missing leaves nothing behind
        from .translate.ray import RayExecutor

        executor = RayExecutor(settings, model.fingerprint, debug=debug)
    memory = None
    try:
        output_folder(output_dir)  # after the settings are known to work: a wrong one leaves no folder behind
        memory = open_memory(settings, output_dir, use=use_memory)
        runner = BatchRunner(settings, model, output_dir, progress, memory=memory, executor=executor, force=force,
                             debug=debug, translation_progress=translation_progress, on_finished=on_finished,
                             stop=stop, helpers=helpers)
    except BaseException:
        if executor is not None:
            executor.close()
        if memory is not None:
            memory.close()
        raise
    try:
        return runner.run(files, passed)
    finally:
        runner.executor.close()
        if memory is not None:
            memory.close()


def _exists(path: Path) -> bool:
    """Whether `path` is there; one that cannot be looked at (a folder on its way without
    permission, a symbolic link in a loop) counts as there, so that discovery names the problem."""
    try:
        os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError:
        return True
    return True


def _store(docx_path: Path, docx_bytes: bytes, json_path: Path, record: str, lock: RecordLock) -> None:
    try:
        atomic_write_bytes(docx_path, docx_bytes)
        atomic_write_text(json_path, record)
    finally:
        lock.release()


def in_background(items: Iterator[T], ahead: int = 8) -> Iterator[T]:
    """`items` produced in a thread of their own, at most `ahead` before the consumer: articles
    are written (checks, documents, fsync) while the next ones translate, and the model never
    waits for the disk. The producer's exception is raised here, in the consumer, in order."""
    handover: queue.Queue = queue.Queue(maxsize=ahead)
    done = object()
    abandoned = threading.Event()

    def produce() -> None:
        try:
            for item in items:
                while not abandoned.is_set():
                    try:
                        handover.put((item, None), timeout=0.5)
                        break
                    except queue.Full:
                        continue
                if abandoned.is_set():
                    close = getattr(items, "close", None)
                    if close is not None:
                        close()  # the translate stage's own clean-up, in this thread
                    return
            handover.put((done, None))
        except BaseException as exc:  # noqa: BLE001 — handed to the consumer, which raises it
            handover.put((done, exc))

    producer = threading.Thread(target=produce, name="tarjama-translate", daemon=True)
    producer.start()
    try:
        while True:
            item, error = handover.get()
            if item is done:
                if error is not None:
                    raise error
                return
            yield item
    finally:
        abandoned.set()  # the consumer stopped early: the producer stops after its current item
        producer.join()


def run_signature(run: RunInfo, checker: Checker, memory: TranslationMemory | None,
                  look: DocxOptions = DocxOptions(), style: str = "", glossary: Glossary | None = None,
                  fuzzy_threshold: float = 0.75) -> str:
    """Everything besides the input bytes that decides an article's outputs, hashed from resolved
    values: a changed default threshold or a new check redoes the articles, unchanged settings
    written out or left to their defaults do not."""
    human = memory.human_state() if memory is not None else None
    parts = {
        "tarjama": __version__, "record": SCHEMA_VERSION, "docx": DOCX_VERSION, "look": asdict(look),
        "style": style,  # the house-style rules file's content
        "glossary": glossary.digest if glossary is not None else None,  # enforced even with its check off
        "model": run.model_fingerprint,
        "backend": run.backend, "generation": run.generation, "segmentation": run.pipeline,
        "checks": checker.resolved(),
        "consistency": "2",  # consistency.py's rules: bump when they change
        # the fuzzy matches offered: their rules and threshold, when the memory has entries to
        # offer (those are in "human"); without any, a run with or without a memory is the same
        "fuzzy": [FUZZY_VERSION, fuzzy_threshold] if human is not None else None,
        # editors' approved translations: an import redoes the articles (served from memory)
        "human": human,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def _previous_record(path: Path) -> ArticleRecord | None:
    """The record an earlier run wrote here, or None (none, or not a record)."""
    if not path.is_file():
        return None
    try:
        return read_record(path)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:200] if text else "no details"


