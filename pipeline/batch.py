"""Folder runs: discovery, output planning, the stages per group of articles, the run report.

One bad file never stops a batch: it is recorded with a one-line reason and the rest go on.
Articles are processed in groups so that the model sees units of many short articles in one
length-sorted stream, and each group's outputs are written (atomically) as soon as it is done.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import time
import traceback
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

from . import __version__
from .align import align_document
from .config import Settings
from .errors import InputError, Interrupted, UnsupportedInput
from .export.docx_writer import write_docx
from .export.record import SCHEMA_VERSION, RunInfo, document_record, dumps, summary
from .fsutil import atomic_write_text
from .ingest import SUPPORTED_SUFFIXES, read_document
from .model import Document
from .review import Reviewer, review_document
from .segment import SEGMENTER_VERSION, SegmentOptions, segment_document
from .translate.base import Translator
from .translate.stage import assign_results, plan_translation, translate_documents

log = logging.getLogger(__name__)

REPORT_NAME = "_batch.json"
GROUP_UNITS = 400  # translation units per group: enough to fill batches, small enough to save often


@dataclass
class InputFile:
    path: Path           # where to read it
    rel: str             # its path relative to the root it was found under (forward slashes)
    explicit: bool = False  # named on the command line (an unsupported kind is then an error)
    stem: str = ""          # output path without extension, relative to the output folder


@dataclass
class FileResult:
    input: str
    status: str                      # done | failed | skipped
    reason: str = ""
    outputs: list[str] = field(default_factory=list)
    paragraphs: int = 0
    sentences: int = 0
    flagged: int = 0
    seconds: float = 0.0


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

    def count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)

    def totals(self) -> dict:
        return {"files": len(self.files), "done": self.count("done"), "failed": self.count("failed"),
                "skipped": self.count("skipped"), "paragraphs": sum(f.paragraphs for f in self.files),
                "sentences": sum(f.sentences for f in self.files), "flagged": sum(f.flagged for f in self.files)}

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


# --- discovery ---------------------------------------------------------------------------

def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
        return True
    except ValueError:
        return False


def discover(paths: list[Path], exclude: Path | None = None) -> tuple[list[InputFile], list[FileResult]]:
    """Articles under `paths` in a stable order, and the files passed over with the reason.

    Folders are walked recursively without following symbolic links to folders; a linked file
    is read only when its target lies inside the same input folder. Hidden files and Word's
    `~$` lock files are passed over. `exclude` (the output folder) is never walked.
    """
    found: list[InputFile] = []
    passed: list[FileResult] = []
    for given in paths:
        if given.is_file():
            found.append(InputFile(given, given.name, explicit=True))
            continue
        if not given.is_dir():
            passed.append(FileResult(str(given), "failed", "no such file or folder"))
            continue
        first = len(found)
        for folder, dirs, files in os.walk(given):
            folder_path = Path(folder)
            walk = []
            for name in sorted(dirs):
                path = folder_path / name
                if path.is_symlink():
                    passed.append(FileResult(_rel(path, given), "skipped", "symbolic link to a folder: not followed"))
                elif not name.startswith(".") and not (exclude is not None and _inside(path, exclude)):
                    walk.append(name)
            dirs[:] = walk
            for name in sorted(files):
                path = folder_path / name
                rel = _rel(path, given)
                if name.startswith(".") or name.startswith("~$"):
                    continue
                if path.is_symlink() and not _inside(path, given):
                    passed.append(FileResult(rel, "skipped", "symbolic link out of the input folder: not followed"))
                elif path.suffix.lower() not in SUPPORTED_SUFFIXES:
                    passed.append(FileResult(rel, "skipped", "not an article (.txt, .md and .docx are read)"))
                else:
                    found.append(InputFile(path, rel))
        found[first:] = sorted(found[first:], key=lambda item: item.rel)
    return found, passed


def _rel(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def plan_outputs(files: list[InputFile]) -> None:
    """Set each input's output stem (relative, no extension); two inputs never share one.

    `a.txt` → `a`. When `a.txt` and `a.md` sit in one folder both keep their extension
    (`a.txt`, `a.md`) so neither overwrites the other; remaining clashes get `-2`, `-3`.
    """
    def stem(rel: str) -> str:
        return rel.rsplit(".", 1)[0] if "." in Path(rel).name else rel

    by_stem: dict[str, list[str]] = {}
    for item in files:
        by_stem.setdefault(stem(item.rel).lower(), []).append(item.rel)
    used: set[str] = set()
    for item in files:
        name = stem(item.rel) if len(by_stem[stem(item.rel).lower()]) == 1 else item.rel
        candidate, number = name, 2
        while candidate.lower() in used:
            candidate, number = f"{name}-{number}", number + 1
        used.add(candidate.lower())
        item.stem = candidate


# --- the run -----------------------------------------------------------------------------

class BatchRunner:
    """Runs the stages over a list of input files with one translator.

    An article whose input bytes, settings and model are those its outputs were written with
    is skipped (unless `force`): its JSON records that signature.
    """

    def __init__(self, settings: Settings, translator: Translator, output_dir: Path,
                 progress: Callable[[int], None] | None = None, *, force: bool = False, debug: bool = False,
                 translation_progress: Callable[[int, int], None] | None = None, executor=None,
                 on_finished: Callable[[Document], None] | None = None):
        self.settings = settings
        self.translator = translator
        self.output_dir = output_dir
        self.progress = progress or (lambda n: None)
        self.translation_progress = translation_progress or (lambda done, total: None)
        self.force = force
        self.debug = debug
        self.executor = executor  # a RayExecutor, or None to translate in this process
        self.on_finished = on_finished or (lambda document: None)  # each article once its outputs are written
        self.stop_requested = False  # set by a Ctrl-C handler: stop after the current batch
        self.created = run_timestamp()
        self.segment_options = SegmentOptions(**settings.segmentation.model_dump())
        self.reviewer = Reviewer.from_settings(settings.review.checks, settings.review.glossary)
        self.run_info = RunInfo(
            model_name=settings.model.name,
            model_fingerprint=translator.fingerprint,
            backend=translator.backend,
            generation=translator.options.signature(),
            pipeline={"tarjama_version": __version__, "segmenter_version": SEGMENTER_VERSION,
                      "strip_diacritics": self.segment_options.strip_diacritics,
                      "max_unit_tokens": self.segment_options.max_unit_tokens},
            created=self.created.isoformat().replace("+00:00", "Z"),
        )
        self.run_signature = self._run_signature()
        self.timings = {"ingest": 0.0, "segment": 0.0, "translate": 0.0, "review": 0.0, "export": 0.0}
        self.translation = {"units": 0, "verbatim": 0, "unique": 0, "generated_tokens": 0}

    def _run_signature(self) -> str:
        """Everything besides the input that decides an article's outputs, hashed."""
        glossary = self.settings.review.glossary
        parts = {
            "tarjama": __version__, "schema": SCHEMA_VERSION, "model": self.translator.fingerprint,
            "backend": self.translator.backend, "generation": self.run_info.generation,
            "segmentation": self.run_info.pipeline, "checks": self.settings.review.checks,
            "glossary": hashlib.sha256(glossary.read_bytes()).hexdigest() if glossary and glossary.is_file() else None,
            # editors' approved translations: an import redoes the articles (served from memory)
            "human": memory.human_state() if (memory := getattr(self.translator, "memory", None)) else None,
        }
        return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()

    def article_signature(self, source_sha256: str) -> str:
        return hashlib.sha256(f"{source_sha256}|{self.run_signature}".encode()).hexdigest()

    def _unchanged(self, item: InputFile, signature: str) -> bool:
        json_path, docx_path = self.output_dir / f"{item.stem}.json", self.output_dir / f"{item.stem}.docx"
        if not (json_path.is_file() and docx_path.is_file()):
            return False
        try:
            record = json.loads(json_path.read_text(encoding="utf-8"))
            return record["pipeline"].get("signature") == signature
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return False  # unreadable or foreign: redo it

    def run(self, files: list[InputFile], passed: list[FileResult]) -> RunReport:
        report = RunReport(tarjama_version=__version__, started=self.run_info.created,
                           output_dir=str(self.output_dir), config=self.settings.source,
                           model={"name": self.run_info.model_name, "fingerprint": self.run_info.model_fingerprint,
                                  "backend": self.run_info.backend, "generation": self.run_info.generation})
        report.files.extend(passed)
        plan_outputs(files)
        group: list[tuple[InputFile, Document, float]] = []
        group_units = 0
        try:
            for item in files:
                if self.stop_requested:
                    raise Interrupted("stopped before this article")
                loaded = self._load(item, report)
                if loaded is None:
                    self.progress(1)
                    continue
                document, seconds = loaded
                group.append((item, document, seconds))
                group_units += sum(len(p.sentences) for p in document.paragraphs)
                if group_units >= GROUP_UNITS:
                    self._finish_group(group, report)
                    group, group_units = [], 0
            if group:
                self._finish_group(group, report)
        except (Interrupted, KeyboardInterrupt):
            report.interrupted = True
            finished = {f.input for f in report.files}
            report.files.extend(FileResult(item.rel, "failed", "not done: the run was interrupted")
                                for item in files if item.rel not in finished)
        report.timings = {k: round(v, 3) for k, v in self.timings.items()}
        report.translation = dict(self.translation)
        memory = getattr(self.translator, "memory", None)
        if memory is not None:
            report.translation["memory"] = {"path": str(memory.path), **asdict(memory.stats)}
        handle = getattr(self.translator, "handle", self.translator)
        report.translation["model_loaded"] = bool(getattr(handle, "loaded", True))
        if self.executor is not None:
            report.translation["model_loaded"] = True
            report.workers = self.executor.report()
        report.finished = run_timestamp().isoformat().replace("+00:00", "Z")
        atomic_write_text(self.output_dir / REPORT_NAME, dumps(report.to_dict()))
        remove_stale_temporaries(self.output_dir)
        return report

    def _load(self, item: InputFile, report: RunReport) -> tuple[Document, float] | None:
        started = time.perf_counter()
        if not self.force and item.path.suffix.lower() in SUPPORTED_SUFFIXES:
            try:
                digest = hashlib.sha256(item.path.read_bytes()).hexdigest()
            except OSError:
                digest = None
            if digest and self._unchanged(item, self.article_signature(digest)):
                report.files.append(FileResult(item.rel, "skipped", "unchanged since its outputs were written "
                                                                   "(--force redoes it)", outputs=self._outputs(item)))
                return None
        limits = self.settings.limits
        try:
            document = read_document(item.path, item.rel, max_input_bytes=int(limits.max_input_mb * 2**20),
                                     max_docx_unzipped_bytes=int(limits.max_docx_unzipped_mb * 2**20))
        except UnsupportedInput as exc:
            status = "failed" if item.explicit else "skipped"
            report.files.append(FileResult(item.rel, status, exc.reason))
            return None
        except InputError as exc:
            report.files.append(FileResult(item.rel, "failed", exc.reason))
            return None
        except Exception as exc:  # a reader bug on a strange file: this file fails, the batch goes on
            self._debug_traceback()
            report.files.append(FileResult(item.rel, "failed", f"cannot be read: {type(exc).__name__}: {_one_line(exc)}"))
            return None
        read = time.perf_counter()
        self.timings["ingest"] += read - started
        try:
            segment_document(document, self.segment_options, self.translator.count_tokens)
        except Exception as exc:
            self._debug_traceback()
            report.files.append(FileResult(item.rel, "failed", f"cannot be segmented: {type(exc).__name__}: {_one_line(exc)}"))
            return None
        self.timings["segment"] += time.perf_counter() - read
        return document, time.perf_counter() - started

    def _finish_group(self, group, report: RunReport) -> None:
        if self.executor is not None:
            return self._finish_group_distributed(group, report)
        start = time.perf_counter()
        documents = [document for _, document, _ in group]
        try:
            stats = translate_documents(documents, self.translator, stop=lambda: self.stop_requested,
                                        progress=self.translation_progress)
        except (Interrupted, KeyboardInterrupt):
            raise
        except Exception as exc:  # a model failure loses this group, not the batch
            self._debug_traceback()
            reason = f"translation failed: {type(exc).__name__}: {_one_line(exc)}"
            report.files.extend(FileResult(item.rel, "failed", reason) for item, _, _ in group)
            self.progress(len(group))
            return
        elapsed = time.perf_counter() - start
        self.timings["translate"] += elapsed
        for key in self.translation:
            self.translation[key] += getattr(stats, key)
        total_units = sum(len(p.sentences) for d in documents for p in d.paragraphs) or 1
        for item, document, seconds in group:
            share = elapsed * sum(len(p.sentences) for p in document.paragraphs) / total_units
            self._write_article(item, document, seconds + share, report)

    def _finish_group_distributed(self, group, report: RunReport) -> None:
        """The model work of a group as work items on the executor; each article is written as soon
        as all its sentences are back. The memory is read and written here only (one owner)."""
        from .distributed import pack_items
        from .translate.memory import settings_key

        start = time.perf_counter()
        documents = [document for _, document, _ in group]
        plan = plan_translation(documents, self.translator)
        memory = getattr(self.translator, "memory", None)
        key = settings_key(self.translator.options)
        known = memory.lookup(plan.unique, self.translator.fingerprint, key) if memory else {}
        planned = {id(unit) for unit in plan.to_model}
        units = [[u for p in d.paragraphs for u in p.sentences if id(u) in planned] for d in documents]
        needs = [{u.model_input for u in doc_units} for doc_units in units]
        owned: list[list[str]] = [[] for _ in documents]
        claimed: set[str] = set(known)
        for index, need in enumerate(needs):
            for text in sorted(need - claimed, key=lambda t: (-len(t), t)):
                owned[index].append(text)
                claimed.add(text)
        items = [item for item in pack_items([sum(map(len, texts)) for texts in owned], 2 * len(self.executor.actors))
                 if any(owned[i] for i in item)]
        texts = [sorted((t for i in item for t in owned[i]), key=len, reverse=True) for item in items]
        failed: dict[str, str] = {}
        pending = list(range(len(documents)))
        generated = 0

        def write_ready() -> None:
            for index in list(pending):
                item_file, document, seconds = group[index]
                lost = needs[index] & failed.keys()
                if lost:
                    pending.remove(index)
                    report.files.append(FileResult(item_file.rel, "failed", f"translation failed: {failed[next(iter(lost))]}"))
                    self.progress(1)
                elif needs[index] <= known.keys():
                    pending.remove(index)
                    assign_results(units[index], known)
                    self._write_article(item_file, document, seconds, report)

        write_ready()  # articles the memory already covers
        done_sentences = 0
        for item, result in self.executor.translate_items(texts, lambda: self.stop_requested):
            if isinstance(result, Exception):
                failed.update(dict.fromkeys(texts[item], str(result)))
            else:
                if memory:
                    memory.store(result.items(), self.translator.fingerprint, key)
                known.update(result)
                generated += sum(r.tokens for r in result.values())
                done_sentences += len(result)
                self.translation_progress(done_sentences, sum(map(len, texts)))
            write_ready()
        self.timings["translate"] += time.perf_counter() - start
        plan.stats.generated_tokens = generated
        for name in self.translation:
            self.translation[name] += getattr(plan.stats, name)

    def _write_article(self, item: InputFile, document: Document, seconds: float, report: RunReport) -> None:
        try:
            report.files.append(self._export(item, document, seconds))
            self.on_finished(document)
        except Exception as exc:  # a writer bug or a full disk: this article fails, the rest go on
            self._debug_traceback()
            report.files.append(FileResult(item.rel, "failed", f"cannot write its outputs: "
                                                               f"{type(exc).__name__}: {_one_line(exc)}"))
        self.progress(1)

    def _debug_traceback(self) -> None:
        if self.debug:
            traceback.print_exc()

    def _export(self, item: InputFile, document: Document, seconds: float) -> FileResult:
        start = time.perf_counter()
        align_document(document)
        review_document(document, self.reviewer)
        self.timings["review"] += time.perf_counter() - start
        start = time.perf_counter()
        json_path = self.output_dir / f"{item.stem}.json"
        docx_path = self.output_dir / f"{item.stem}.docx"
        record = document_record(document, self.run_info)
        record["pipeline"]["signature"] = self.article_signature(document.source_sha256)
        # The DOCX first, the JSON last: the JSON's signature is what marks the article done.
        write_docx(docx_path, document, self.run_info)
        atomic_write_text(json_path, dumps(record))
        self.timings["export"] += time.perf_counter() - start
        counts = summary(document)
        return FileResult(item.rel, "done", outputs=self._outputs(item),
                          paragraphs=counts["paragraphs"], sentences=counts["sentences"],
                          flagged=counts["flagged"], seconds=round(seconds + time.perf_counter() - start, 3))


    def _outputs(self, item: InputFile) -> list[str]:
        return [_display(self.output_dir / f"{item.stem}.json"), _display(self.output_dir / f"{item.stem}.docx")]


STALE_AFTER_SECONDS = 3600


def remove_stale_temporaries(output_dir: Path) -> None:
    """Temporary files of writes that a killed run never finished (`.name.xxxx.part`).

    Only old ones: a run on the same folder at the same moment may be writing a fresh one.
    """
    limit = time.time() - STALE_AFTER_SECONDS
    for path in output_dir.rglob(".*.part"):
        try:
            if path.is_file() and path.stat().st_mtime < limit:
                path.unlink()
        except OSError:
            pass


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:200] if text else "no details"


def _display(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)

