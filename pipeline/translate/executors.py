"""Where the model work runs: in this process, or on a pool of Ray workers — behind one interface.

The translate stage gives an executor the distinct model inputs each article still needs (after
the memory) and gets back work items' results as each item finishes, or the error an item met.
An executor plans its own items: the local one in chunks of similar length, longest first (a
stop request is honoured between chunks); the Ray one in items of whole articles balanced by
size, one per worker at a time (translate/ray.py). Nothing else differs: the memory, the
assignment of results, failure isolation and the writing are the stage's, the same for both.
"""

from __future__ import annotations

from typing import Callable, Iterator, Protocol

from ..errors import Interrupted
from .base import Translation, Translator

Results = dict[str, Translation]
# Sentences per local work item: enough for several full batches, few enough that a stop
# request (Ctrl-C) or a crash loses little; each item's results are saved to the memory at once.
CHUNK = 256


class Executor(Protocol):
    def plan(self, needs: list[list[str]]) -> list[list[str]]:
        """Work items for the inputs each article owns (every input owned by one article)."""

    def run(self, items: list[list[str]], stop: Callable[[], bool]) -> Iterator[tuple[int, Results | Exception]]:
        """(item index, its results or the error it met), as items finish; Interrupted on `stop()`."""

    def report(self) -> dict:
        """Per-worker figures for the run report ({} for a local run)."""

    def close(self) -> None: ...


class LocalExecutor:
    """The model in this process, one work item after another."""

    def __init__(self, model: Translator):
        self.model = model

    def plan(self, needs: list[list[str]]) -> list[list[str]]:
        """Chunks of the inputs sorted by model tokens, longest first: a backend's batches hold
        sentences of one length (batching.py), so a chunk of neighbouring lengths fills them."""
        texts = [text for owned in needs for text in owned]
        count = getattr(self.model, "count_tokens", None)
        tokens = dict(zip(texts, count(texts))) if count is not None and texts else {}
        texts.sort(key=lambda text: (tokens.get(text, 0), len(text)), reverse=True)
        return [texts[start:start + CHUNK] for start in range(0, len(texts), CHUNK)]

    def run(self, items: list[list[str]], stop: Callable[[], bool]) -> Iterator[tuple[int, Results | Exception]]:
        done = 0
        for index, item in enumerate(items):
            if stop():
                raise Interrupted(f"stopped after {done} of {sum(map(len, items))} sentences")
            try:
                results = self.model.translate(item)
            except (Interrupted, KeyboardInterrupt):
                raise
            except Exception as exc:  # this item's articles fail; the others go on
                yield index, exc
                continue
            done += len(item)
            yield index, dict(zip(item, results))

    def report(self) -> dict:
        return {}

    def close(self) -> None:
        pass
