"""Batches of sentences of one padded length, longest first, under a sentence count and a token budget.

A sentence's English never depends on what else is translated with it:

- decoding runs a whole batch to one maximum length, and that length cap
  (`GenerationOptions.cap_for`) is a function of the sentence's own length, counted in steps of
  LENGTH_STEP: every sentence of a batch has the same cap, its own, never a neighbour's;
- a sentence is computed at the same shape alone and in any batch: the transformers backend pads
  every batch to its step length (`step=LENGTH_STEP`), whatever its sentences, and the
  CTranslate2 backend, which pads to the longest sentence of a batch, gets batches of exactly one
  length (`step=1`). Padding that varied with the batch changed outputs: 1 of 25 NTREX articles
  with transformers, 13 of 40 with CTranslate2's int8 AVX2 kernels.

So a sentence comes out the same alone, in a folder, from the memory or on another Ray worker,
which the translation memory and regression suites rely on; bench/batch_invariance.py measures
it and its price. Results come back in the caller's order.
"""

from __future__ import annotations

from typing import Sequence


def padded_length(length: int, step: int) -> int:
    return step * -(-length // step)


def plan_batches(lengths: Sequence[int], batch_size: int, batch_tokens: int, step: int = 1) -> list[list[int]]:
    """Group indices of `lengths` into batches of one padded length each, longest first.

    Lengths count in steps of `step` (a batch is padded to a multiple of it, whatever its
    sentences, so a sentence is computed at the same shape alone and in any batch). A batch holds
    at most `batch_size` items and at most `batch_tokens` tokens (its padded length × its size).
    One item longer than the budget still gets a batch alone.
    """
    order = sorted(range(len(lengths)), key=lambda i: (-lengths[i], i))
    batches: list[list[int]] = []
    current: list[int] = []
    for index in order:
        padded = padded_length(lengths[index], step)
        if current and (padded != padded_length(lengths[current[0]], step) or len(current) >= batch_size
                        or padded * (len(current) + 1) > batch_tokens):
            batches.append(current)
            current = []
        current.append(index)
    if current:
        batches.append(current)
    return batches
