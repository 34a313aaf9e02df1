"""The Translator protocol and what flows through it."""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass
from typing import Callable, Protocol, Sequence

from ..config import TranslationSettings
from ..glossary import Term, renders

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
    enforce_glossary: bool = True
    glossary_hypotheses: int = 4
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

    def beams_for(self, hypotheses: int) -> int:
        """The beam that yields `hypotheses` (1 for a plain request): never narrower than asked for."""
        return max(self.num_beams, hypotheses)

    def described(self) -> dict:
        """The settings a record names (the run signature counts them): the memory's, and the
        glossary's enforcement, which changes only sentences with terms (their requests say so)."""
        return {**self.signature(), "enforce_glossary": self.enforce_glossary,
                "glossary_hypotheses": self.glossary_hypotheses}

    def signature(self) -> dict:
        """What changes the output (batching does not); the translation memory's key."""
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
    # For a request with glossary terms: {"required": [Arabic terms], "met": [...], "hypothesis":
    # the rank (1 = the model's best) of the one chosen, "hypotheses": how many were compared}
    terms: dict | None = None


# A request is a model input, or a model input whose English must hold glossary terms: then the
# input, this mark (a control character, which normalisation never leaves in a model input) and
# the terms with their renderings and the number of hypotheses, as JSON. A string, so that the
# memory, the executors and Ray carry it as they carry any input, and the memory keeps the choice
# apart from the plain translation of the same input.
REQUEST_MARK = "\x1e"


@dataclass(frozen=True)
class Request:
    text: str                                   # the model input
    terms: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (Arabic term, its English renderings)
    hypotheses: int = 1                         # how many to choose from (1: no choice)

    @classmethod
    def of(cls, model_input: str, terms: Sequence[Term], hypotheses: int) -> str:
        """The request string for `model_input` with the glossary `terms` found in it."""
        if not terms:
            return model_input
        payload = {"n": hypotheses, "terms": [[t.source, list(t.renderings)] for t in terms]}
        return model_input + REQUEST_MARK + json.dumps(payload, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def parse(cls, request: str) -> "Request":
        text, mark, payload = request.partition(REQUEST_MARK)
        if not mark:
            return cls(text)
        data = json.loads(payload)
        return cls(text, tuple((source, tuple(renderings)) for source, renderings in data["terms"]), int(data["n"]))


def model_input_of(request: str) -> str:
    return request.partition(REQUEST_MARK)[0]


def choose(request: Request, hypotheses: Sequence[str]) -> tuple[int, dict | None]:
    """Which of the hypotheses (the backend's order: best first) to keep: the best-ranked that
    renders every required term; when none does, the best, which the glossary check then flags.
    With it, for the record: what was required, what the kept one meets, its rank (1 = best)."""
    if not request.terms:
        return 0, None

    def met(text: str) -> list[str]:
        return [source for source, renderings in request.terms if renders(text, renderings)]

    index = next((n for n, text in enumerate(hypotheses) if len(met(text)) == len(request.terms)), 0)
    return index, {"required": [source for source, _ in request.terms], "met": met(hypotheses[index]),
                   "hypothesis": index + 1, "hypotheses": len(hypotheses)}


def by_beam(requests: Sequence[Request], options: GenerationOptions) -> list[tuple[int, list[int]]]:
    """Indices of the requests grouped by the beam they need: requests with and without glossary
    terms share batches when the beam is the same — how many hypotheses a search returns does not
    change the search, so a plain request in a batch asked for 4 gets its own best (checked on
    both backends: the best of 4 = the one best, 180 of 180 sentences) — and a wider beam (greedy
    decoding widened for a glossary) is decoded apart, so a sentence never depends on its batch-mates."""
    groups: dict[int, list[int]] = {}
    for index, request in enumerate(requests):
        groups.setdefault(options.beams_for(request.hypotheses), []).append(index)
    return sorted(groups.items())


class Translator(Protocol):
    """Anything that turns model inputs into English, in order, one result per input: a backend
    (MarianTranslator, CTranslate2Translator), the model handle that loads one on first use, or a
    test double. The memory, batching across articles and Ray are around it, not in it."""

    def translate(self, texts: Sequence[str]) -> list[Translation]: ...


# Waits for a submitted work's results (Translator.submit), in order; None for an input whose batch
# was given up because the run's stop was asked (Abandoned) — never without one.
Pending = Callable[[], list["Translation | None"]]
Stop = Callable[[], bool]  # the run's stop request (Ctrl-C, SIGTERM)


class Abandoned(Exception):
    """A batch given up at a stop request: not started, or its decoding ended between two steps.
    Nothing of it is kept; the next run translates its sentences."""


def submit(translator: Translator, texts: Sequence[str], stop: Stop | None = None) -> Pending:
    """Start translating `texts`; what waits for the results. A backend that runs its batches on
    worker threads (both do: `inter_threads`) has its own `submit`, which queues the batches and
    returns at once, so work submitted next waits behind them and the workers never idle between
    the two; anything else translates here, now. With `stop`, a backend that can give up work
    (transformers: batches not started, and decoding between two steps) does so once `stop()` is
    true, and its results hold None there: a stop then waits for no more than a decoding step of
    the batches running, not for the work queued behind them."""
    own = getattr(translator, "submit", None)
    if own is not None:
        return own(texts) if stop is None else own(texts, stop=stop)
    results = translator.translate(texts)
    return lambda: results
