"""The translate stage and what it uses: the one-method Translator seam and its backends
(transformers, CTranslate2) behind a lazily loaded model handle, length-sorted batching, the
translation memory with its key, and the executors (this process, or a Ray pool).

Backends import their heavy libraries (torch, transformers, ctranslate2) only when a model is loaded.
"""

from .base import GenerationOptions, Translation, Translator
from .stage import TranslateStage, translate_documents

__all__ = ["GenerationOptions", "TranslateStage", "Translation", "Translator", "translate_documents"]
