"""The Translator protocol and what flows through it."""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from typing import Protocol, Sequence

from ..config import TranslationSettings

# Benchmarks only (bench/): generate exactly ceil(ratio × source tokens) tokens per sentence, so
# that every approach compared does the same decoding work. Not a setting of the product.
FORCE_LENGTH_ENV = "TARJAMA_BENCH_FORCE_LENGTH_RATIO"


LENGTH_STEP = 16  # source lengths count in steps of this: transformers pads to it, the length cap counts by it


@dataclass(frozen=True)
class GenerationOptions:
    """Decoding settings, resolved from config.yaml's `translation` section (the one place their
    defaults are written). Part of every translation-memory key."""

    num_beams: int
    batch_size: int
    batch_tokens: int
    max_new_tokens_ratio: float
    max_new_tokens: int
    force_length_ratio: float | None = None  # benchmarks only: FORCE_LENGTH_ENV

    @classmethod
    def from_settings(cls, translation: TranslationSettings | None = None, **changes) -> "GenerationOptions":
        forced = os.environ.get(FORCE_LENGTH_ENV)
        values = {**(translation or TranslationSettings()).model_dump(), "force_length_ratio": float(forced) if forced else None}
        return cls(**{**values, **changes})

    def forced_length(self, source_tokens: list[int]) -> int | None:
        """Benchmarks: the tokens every sentence of a batch must generate: the ratio × the batch's
        mean source length, so a batch generates as many tokens as its sentences one by one."""
        if not self.force_length_ratio:
            return None
        return math.ceil(self.force_length_ratio * sum(source_tokens) / len(source_tokens))

    def cap_for(self, source_tokens: int) -> int:
        """Most English tokens allowed for a source of this many tokens (counted in steps of
        LENGTH_STEP, as batches are padded): ratio × that + 10, at most max_new_tokens."""
        counted = LENGTH_STEP * -(-source_tokens // LENGTH_STEP)
        return min(self.max_new_tokens, math.ceil(self.max_new_tokens_ratio * counted) + 10)

    def signature(self) -> dict:
        """What changes the output (batching does not)."""
        signature = {"num_beams": self.num_beams, "max_new_tokens_ratio": self.max_new_tokens_ratio,
                     "max_new_tokens": self.max_new_tokens}
        if self.force_length_ratio:
            signature["force_length_ratio"] = self.force_length_ratio
        return signature


@dataclass
class Translation:
    text: str
    score: float | None = None   # mean log-probability of the generated tokens
    hit_length_cap: bool = False  # stopped at the cap instead of at </s>
    tokens: int = 0               # generated tokens, </s> included
    origin: str = "model"         # "model", or "human" for an approved editor translation
    cached: bool = False          # served from the translation memory, not generated now


class Translator(Protocol):
    """Anything that turns model inputs into English, in order, one result per input: a backend
    (MarianTranslator, CTranslate2Translator), the model handle that loads one on first use, or a
    test double. The memory, batching across articles and Ray are around it, not in it."""

    def translate(self, texts: Sequence[str]) -> list[Translation]: ...
