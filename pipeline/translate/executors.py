"""Where the model work runs: in this process, or on a pool of Ray workers — behind one interface.

The translate stage gives an executor the distinct model inputs each article still needs (after
the memory) and gets back work items' results as each item finishes, or the error an item met.
An executor plans its own items: the local one in chunks of similar length, longest first, the
next chunk queued behind the one in flight (at a stop request nothing more is queued, and the
transformers backend gives up the batches not started and ends those running at their next
decoding step; CTranslate2 finishes what it has queued); the Ray
one in items of whole articles balanced by size, one per worker at a time (translate/ray.py). Nothing else differs: the memory, the
assignment of results, failure isolation and the writing are the stage's, the same for both.
"""

from __future__ import annotations

from collections import deque
from typing import Callable, Iterator, Protocol

from ..errors import Interrupted, ModelNotAvailable
from .base import Pending, Translation, Translator, submit

Results = dict[str, Translation]
# Sentences per local work item: enough for several full batches, few enough that a crash loses
# little; each item's results (at a stop, the finished part) are saved to the memory at once.
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
    """The model in this process, one work item after another, the next one queued on the
    backend's workers before the results of the one in flight are awaited: at the end of a chunk
    the workers go on with the next instead of waiting for the chunk's last batch (one worker was
    idle 3.7 s in all over 7 chunks, a 91 s run of bench/throughput.py's articles; now 0.4 s)."""

    def __init__(self, model: Translator):
        self.model = model

    def plan(self, needs: list[list[str]]) -> list[list[str]]:
        """Chunks of the inputs sorted by model tokens, longest first: a backend's batches hold
        sentences of one length (batching.py), so a chunk of neighbouring lengths fills them. A
        chunk ends where a length does (CHUNK inputs or a few more): a length cut in two would
        make two part-filled batches."""
        texts = [text for owned in needs for text in owned]
        count = getattr(self.model, "count_tokens", None)
        tokens = dict(zip(texts, count(texts))) if count is not None and texts else {}
        texts.sort(key=lambda text: (tokens.get(text, 0), len(text)), reverse=True)
        chunks, start = [], 0
        while start < len(texts):
            end = min(start + CHUNK, len(texts))
            while end < len(texts) and tokens.get(texts[end], 0) == tokens.get(texts[end - 1], 0):
                end += 1
            chunks.append(texts[start:end])
            start = end
        return chunks

    def run(self, items: list[list[str]], stop: Callable[[], bool]) -> Iterator[tuple[int, Results | Exception]]:
        in_flight: deque[tuple[int, Pending | Exception]] = deque()
        settled = 0  # inputs with their English or their error

        def collect() -> tuple[int, Results | Exception]:
            nonlocal settled
            index, found = self._collect(items, *in_flight.popleft())
            settled += len(items[index]) if isinstance(found, Exception) else len(found)
            return index, found

        for index, item in enumerate(items):
            if stop():  # nothing more is queued; what is in flight is given up where the backend can
                break
            try:
                in_flight.append((index, submit(self.model, item, stop)))
            except (Interrupted, KeyboardInterrupt, ModelNotAvailable):  # the model is the run's, not an article's
                raise
            except Exception as exc:  # this item's articles fail; the others go on
                in_flight.append((index, exc))
            if len(in_flight) > 1:
                yield collect()
        while in_flight:  # the finished part of each item's results is kept (and goes to the memory)
            yield collect()
        if settled < sum(map(len, items)):
            raise Interrupted(f"stopped after {settled} of {sum(map(len, items))} sentences")

    @staticmethod
    def _collect(items: list[list[str]], index: int, pending: Pending | Exception) -> tuple[int, Results | Exception]:
        if isinstance(pending, Exception):
            return index, pending
        try:  # None: an input the backend gave up at a stop
            return index, {text: found for text, found in zip(items[index], pending()) if found is not None}
        except (Interrupted, KeyboardInterrupt, ModelNotAvailable):
            raise
        except Exception as exc:  # this item's articles fail; the others go on
            return index, exc

    def report(self) -> dict:
        return {}

    def close(self) -> None:
        pass
