"""Length-sorted batches under a token budget.

Sorting by length keeps padding low (a batch of similar lengths wastes little compute on pad
tokens); the budget counts padded source tokens, so a batch of short sentences holds many and
a batch of long ones few. Results come back in the caller's order.
"""

from __future__ import annotations


def plan_batches(lengths: list[int], batch_size: int, batch_tokens: int) -> list[list[int]]:
    """Group indices of `lengths` into batches, longest first.

    A batch holds at most `batch_size` items and at most `batch_tokens` padded tokens
    (its longest item × its size). One item longer than the budget still gets a batch alone.
    """
    order = sorted(range(len(lengths)), key=lambda i: (-lengths[i], i))
    batches: list[list[int]] = []
    current: list[int] = []
    for index in order:
        longest = lengths[current[0]] if current else lengths[index]
        if current and (len(current) >= batch_size or longest * (len(current) + 1) > batch_tokens):
            batches.append(current)
            current = []
        current.append(index)
    if current:
        batches.append(current)
    return batches
