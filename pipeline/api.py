"""Tarjama's Python API: what the `tarjama` command does, as functions that return data.

Installed as the package `tarjama` (the code lives in `pipeline/`):

    import tarjama

    english = tarjama.translate_text("بحث الرئيس الروسي فلاديمير بوتين ...")            # str
    article = tarjama.translate_file("input/karabakh.txt", output_dir="output")       # Document; writes DOCX + JSON
    report = tarjama.translate_folder("input", "output")                              # RunReport, like `tarjama translate`
    checked = tarjama.check(["قتل ثلاثة أشخاص"], ["Four people were killed"])        # Document with flags
    record = tarjama.import_review("output/karabakh.docx")                           # the article record, reviewed

Each module-level function loads the model for its call. For many calls, make one `Tarjama`
and use its methods: the model is loaded once, on the first sentence it must translate.
Nothing here prints or exits; problems raise `TarjamaError` subclasses with one-line messages.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from . import __version__
from .batch import RunReport, translate_paths
from .config import Settings, load_settings, with_updates
from .errors import InputError, UsageError
from .ingest import document_from_lines
from .model import Document
from .segment import assign_kinds
from .stages import Stages


class Tarjama:
    """Settings and a model, loaded once, for many calls.

    `config` is a config.yaml (default: $TARJAMA_CONFIG, else ./config.yaml, else built-in
    defaults); `model`, `backend`, `device` and `overrides` (`"section.key=value"` strings)
    change it as the command-line options do.
    """

    def __init__(self, config: str | Path | None = None, *, model: str | None = None, backend: str | None = None,
                 device: str | None = None, overrides: Sequence[str] = ()):
        settings = load_settings(config, list(overrides))
        self.settings: Settings = with_updates(settings, model={"name": model, "backend": backend, "device": device})
        self._handle = None
        self._stages: Stages | None = None

    # --- what is loaded once --------------------------------------------------------------
    @property
    def handle(self):
        """The model: resolved and fingerprinted at once, its weights loaded on the first miss."""
        if self._handle is None:
            from .translate.loader import ModelHandle

            self._handle = ModelHandle(self.settings)
        return self._handle

    @property
    def stages(self) -> Stages:
        """The chain of stages (stages.py) with this session's model, without a memory."""
        if self._stages is None:
            self._stages = Stages(self.settings, self.handle)
        return self._stages

    # --- translating ----------------------------------------------------------------------
    def translate_text(self, text: str) -> str:
        """The English of an Arabic text, paragraph by paragraph (one paragraph per line). For a
        list of texts: `[session.translate_text(t) for t in texts]` on one session (the model is
        loaded once)."""
        return "\n".join(paragraph.target for paragraph in self.translate_document(text).paragraphs)

    def translate_document(self, text: str, name: str = "text") -> Document:
        """An Arabic text (one paragraph per line) segmented, translated, aligned and reviewed:
        per paragraph its `target`, `flags` and `status`, per sentence its spans and score."""
        if not isinstance(text, str):
            raise UsageError(f"translate_text takes one string (got {type(text).__name__}); for several, "
                             f"call it once per text on one Tarjama session")
        document = document_from_lines(text.splitlines(), name)
        if not document.paragraphs:
            raise InputError(name, "empty")
        return self.stages.run([document])[0]

    def translate_file(self, path: str | Path, output_dir: str | Path | None = None) -> Document:
        """One article file (.txt, .md, .docx). With `output_dir`, its DOCX and JSON are written
        there as `tarjama translate` writes them (the translation memory of that folder used)."""
        path = Path(path)
        if path.is_dir():
            raise UsageError(f"{path}: is a folder; translate_file takes one article (translate_folder takes a folder)")
        if output_dir is None:
            return self.stages.run([self.stages.read(path, path.name)])[0]
        finished: list[Document] = []
        report = self.translate_folder(path, output_dir, force=True, on_finished=finished.append)
        failed = [item for item in report.files if item.status == "failed"]
        if failed:
            raise InputError(path, failed[0].reason)
        return finished[0]

    def translate_folder(self, input_dir: str | Path, output_dir: str | Path | None = None, *,
                         force: bool = False, on_finished=None) -> RunReport:
        """The batch job: every article under `input_dir` (a file works too) into `output_dir`
        (default paths.output), with the run report, skip-unchanged and the translation memory."""
        output = Path(output_dir or self.settings.paths.output).resolve()
        report = translate_paths(self.settings, [Path(input_dir)], output, force=force, on_finished=on_finished,
                                 model=self.handle)
        return report if report is not None else RunReport(__version__, "", str(output), self.settings.source)

    # --- checking an existing translation -----------------------------------------------
    def check(self, source: Sequence[str], target: Sequence[str]) -> Document:
        """The review checks on an existing translation: paragraph N of `target` translates
        paragraph N of `source`. Returns the document with `flags` and `status` per paragraph."""
        from .qa import MisalignedFiles

        if len(source) != len(target):
            raise MisalignedFiles(f"{len(source)} Arabic paragraphs but {len(target)} English ones")
        document = document_from_lines(list(source), "check", list(target))
        assign_kinds(document.paragraphs)
        return Stages(self.settings).check(document)

    def check_files(self, source: str | Path, target: str | Path) -> Document:
        """`tarjama check SOURCE TARGET`: two line-aligned text files."""
        from .qa import check_files

        document, _ = check_files(Path(source), Path(target), Stages(self.settings))
        return document


def translate_text(text: str, **options) -> str:
    """The English of an Arabic text; `options` as for `Tarjama` (config, model, backend, ...)."""
    return Tarjama(**options).translate_text(text)


def translate_file(path: str | Path, output_dir: str | Path | None = None, **options) -> Document:
    """One article file, translated and reviewed; with `output_dir`, its DOCX and JSON written there."""
    return Tarjama(**options).translate_file(path, output_dir)


def translate_folder(input_dir: str | Path, output_dir: str | Path | None = None, *, force: bool = False,
                     **options) -> RunReport:
    """The batch job on a folder, as `tarjama translate INPUT -o OUTPUT` runs it; returns the run report."""
    return Tarjama(**options).translate_folder(input_dir, output_dir, force=force)


def check(source: Sequence[str], target: Sequence[str], **options) -> Document:
    """The review checks on an existing translation (paragraph N translates paragraph N)."""
    return Tarjama(**options).check(source, target)


def import_review(docx: str | Path, record: str | Path | None = None, *, output: str | Path | None = None,
                  memory: str | Path | None = None, config: str | Path | None = None) -> dict:
    """An editor's reviewed DOCX back into its article record (default: the .json beside it) and
    the translation memory; returns the record as written. Refuses (ReviewImportError, nothing
    written) when the document does not match its article."""
    from .roundtrip import import_review as run_import

    return run_import(Path(docx), Path(record) if record else None, output=Path(output) if output else None,
                      memory=Path(memory) if memory else None, settings=load_settings(config)).record
