"""Batches of sentences of one length, longest first, under a sentence count and a token budget.

A batch holds sentences of exactly the same source length (in model tokens), so a sentence's
English never depends on what else was translated with it:

- decoding runs a whole batch to one maximum length, and that length cap
  (`GenerationOptions.cap_for`) is computed from the source length: in a batch of one length
  every sentence has its own cap, never its longest neighbour's;
- without padding, the numbers the model computes for a sentence are the same alone and in a
  batch. Padding alone changed outputs: 1 of 25 NTREX articles with transformers and 13 of 40
  with CTranslate2's int8 AVX2 kernels differed between a folder run and the article alone.

So a sentence comes out the same alone, in a folder, from the memory or on another Ray worker,
which the translation memory and regression suites rely on. The price, measured by
bench/batch_invariance.py: smaller batches, about a tenth of CTranslate2's speed.
Results come back in the caller's order.
"""

from __future__ import annotations

from typing import Sequence


def plan_batches(lengths: Sequence[int], batch_size: int, batch_tokens: int) -> list[list[int]]:
    """Group indices of `lengths` into batches of one length each, longest first.

    A batch holds at most `batch_size` items and at most `batch_tokens` tokens (its length × its
    size). One item longer than the budget still gets a batch alone.
    """
    order = sorted(range(len(lengths)), key=lambda i: (-lengths[i], i))
    batches: list[list[int]] = []
    current: list[int] = []
    for index in order:
        if current and (lengths[index] != lengths[current[0]] or len(current) >= batch_size
                        or lengths[index] * (len(current) + 1) > batch_tokens):
            batches.append(current)
            current = []
        current.append(index)
    if current:
        batches.append(current)
    return batches
