"""From settings to a translator: resolve the model, know its fingerprint and tokenizer at once,
load its weights only when something must really be translated."""

from __future__ import annotations

import dataclasses
import hashlib
import logging
from pathlib import Path
from typing import Sequence

from ..config import Settings
from ..errors import ConfigError
from .base import GenerationOptions, Pending, Stop, Translation, Translator, submit
from .pieces import SentencePieceCounter
from .resolve import fingerprint, resolve_model

log = logging.getLogger(__name__)


def generation_options(settings: Settings) -> GenerationOptions:
    return GenerationOptions.from_settings(settings.translation)


class ModelHandle:
    """The configured model: name, backend, fingerprint, options and token counter at once; its
    weights on the first `translate` (a Translator), so a run the memory answers never loads them."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.name = settings.model.name
        self.backend = settings.model.backend
        self.options = generation_options(settings)
        if settings.model.device == "cuda":
            require_cuda(self.backend)
        model_dir = resolve_model(settings.model.name, settings.paths.models, allow_download=settings.model.allow_download)
        if self.backend == "ctranslate2":
            from .ct2 import converted_dir

            model_dir = converted_dir(model_dir, settings.paths.models, settings.ctranslate2.quantization,
                                      settings.model.name)
        self.model_dir = model_dir
        files = fingerprint(model_dir)
        if self.backend == "ctranslate2":  # the same files computed in another precision decode differently
            salt = f"{files}|ctranslate2|{settings.ctranslate2.quantization}"
            files = "sha256:" + hashlib.sha256(salt.encode()).hexdigest()
        self.fingerprint = files
        self.count_tokens = SentencePieceCounter(model_dir)
        self._translator: Translator | None = None
        log.debug("model %s: %s (%s, %s)", self.name, model_dir, self.backend, self.fingerprint[:19])

    def translator(self) -> Translator:
        if self._translator is None:
            log.debug("loading the model's weights (%s)", self.backend)
            if self.backend == "ctranslate2":
                from .ct2 import CTranslate2Translator

                ct2 = self.settings.ctranslate2
                # Two batches in flight of 16 did best on 2 cores (bench/throughput.py).
                options = dataclasses.replace(self.options, batch_size=ct2.batch_size)
                self._translator = CTranslate2Translator(
                    self.model_dir, name=self.name, options=options, device=self.settings.model.device,
                    compute_type=ct2.quantization, inter_threads=ct2.inter_threads, intra_threads=ct2.intra_threads)
            else:
                from .marian import MarianTranslator

                threads = self.settings.transformers
                self._translator = MarianTranslator(self.model_dir, name=self.name, options=self.options,
                                                    device=self.settings.model.device,
                                                    inter_threads=threads.inter_threads,
                                                    intra_threads=threads.intra_threads)
        return self._translator

    @property
    def loaded(self) -> bool:
        return self._translator is not None

    def translate(self, texts: Sequence[str]) -> list[Translation]:
        return self.translator().translate(texts)

    def submit(self, texts: Sequence[str], stop: Stop | None = None) -> Pending:
        return submit(self.translator(), texts, stop)


def require_cuda(backend: str) -> None:
    """`model.device: cuda` on a machine without a GPU is a configuration error, said once before
    any work, not a failure of every article when the model loads."""
    if backend == "ctranslate2":
        import ctranslate2

        found = ctranslate2.get_cuda_device_count() > 0
    else:
        import torch

        found = torch.cuda.is_available()
    if not found:
        raise ConfigError(f"model.device is 'cuda' but {backend} finds no CUDA device on this machine; "
                          "use --device auto or --device cpu")


def memory_path(settings: Settings, output_dir: Path) -> Path:
    return settings.memory.path or output_dir / ".tarjama" / "memory.sqlite"


def memory_for_article(article: Path, settings: Settings) -> Path:
    """The memory of the output folder an article record sits in (the nearest run folder above it)."""
    if settings.memory.path:
        return settings.memory.path
    for folder in [article.parent, *article.parent.parents]:
        if (folder / ".tarjama").is_dir() or (folder / "_batch.json").is_file():
            return folder / ".tarjama" / "memory.sqlite"
    return article.parent / ".tarjama" / "memory.sqlite"


def open_memory(settings: Settings, output_dir: Path, *, use: bool = True):
    """The run's translation memory, or None when it is off (`memory.enabled`, `--no-cache`)."""
    if not (use and settings.memory.enabled):
        return None
    from .memory import TranslationMemory

    return TranslationMemory(memory_path(settings, output_dir))


def load_token_counter(settings: Settings):
    """The model's own token counter, without loading its weights (for `tarjama segment`)."""
    model_dir = resolve_model(settings.model.name, settings.paths.models, allow_download=settings.model.allow_download)
    return SentencePieceCounter(model_dir)
