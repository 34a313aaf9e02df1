"""The translate stage: a one-method Translator seam, its backends, and the stage function.

Backends import their heavy libraries (torch, transformers) only when a model is loaded.
"""

from .base import GenerationOptions, Translation, Translator
from .stage import translate_documents

__all__ = ["GenerationOptions", "Translation", "Translator", "translate_documents"]
