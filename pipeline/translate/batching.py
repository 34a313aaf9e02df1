"""Length-sorted batches under a token budget, one length cap per batch.

Sorting by length keeps padding low (a batch of similar lengths wastes little compute on pad
tokens); the budget counts padded source tokens, so a batch of short sentences holds many and
a batch of long ones few. Results come back in the caller's order.

A batch never mixes length caps. The cap (`GenerationOptions.cap_for`) is a sentence's own,
computed from its own source length; decoding runs a whole batch to one maximum length, so a
batch that mixed caps would give a short sentence its longest neighbour's cap, and its English
would depend on what else was translated with it. With one cap per batch, a sentence's
translation is the same alone, in a folder, from the memory or on another Ray worker.
"""

from __future__ import annotations

from typing import Sequence


def plan_batches(lengths: Sequence[int], batch_size: int, batch_tokens: int,
                 caps: Sequence[int] | None = None) -> list[list[int]]:
    """Group indices of `lengths` into batches, longest first.

    A batch holds at most `batch_size` items, at most `batch_tokens` padded tokens (its longest
    item × its size) and, when `caps` is given, items of one cap only. One item longer than the
    budget still gets a batch alone.
    """
    order = sorted(range(len(lengths)), key=lambda i: (-lengths[i], i))
    batches: list[list[int]] = []
    current: list[int] = []
    for index in order:
        if current:
            full = len(current) >= batch_size or lengths[current[0]] * (len(current) + 1) > batch_tokens
            if full or (caps is not None and caps[index] != caps[current[0]]):
                batches.append(current)
                current = []
        current.append(index)
    if current:
        batches.append(current)
    return batches
