"""Build the configured Translator from settings."""

from __future__ import annotations

from ..config import Settings
from .base import GenerationOptions, Translator
from .resolve import resolve_model


def generation_options(settings: Settings) -> GenerationOptions:
    return GenerationOptions(**settings.translation.model_dump())


def load_translator(settings: Settings) -> Translator:
    model_dir = resolve_model(settings.model.name, settings.paths.models, allow_download=settings.model.allow_download)
    from .marian import MarianTranslator

    return MarianTranslator(model_dir, name=settings.model.name, options=generation_options(settings),
                            device=settings.model.device)


def load_token_counter(settings: Settings):
    """The model's own token counter, without loading its weights (for `tarjama segment`)."""
    from .marian import TokenCounter, load_marian_tokenizer

    model_dir = resolve_model(settings.model.name, settings.paths.models, allow_download=settings.model.allow_download)
    return TokenCounter(load_marian_tokenizer(model_dir))
