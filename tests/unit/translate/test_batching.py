"""Batches of one padded length, longest first, under a sentence count and a token budget."""

from pipeline.translate.base import GenerationOptions
from pipeline.translate.batching import padded_length, plan_batches


def test_batches_hold_one_length_longest_first_and_cover_every_item_once():
    lengths = [5, 50, 7, 50, 5, 49, 50]
    batches = plan_batches(lengths, batch_size=2, batch_tokens=10_000)
    assert batches == [[1, 3], [6], [5], [2], [0, 4]]
    assert all(len({lengths[i] for i in batch}) == 1 for batch in batches)   # never padded


def test_with_a_step_a_batch_holds_one_padded_length_and_one_cap():
    lengths = [5, 50, 7, 50, 5, 49, 33, 16, 17]
    batches = plan_batches(lengths, batch_size=8, batch_tokens=10_000, step=16)
    assert batches == [[1, 3, 5], [6], [8], [7, 2, 0, 4]]
    options = GenerationOptions.from_settings()
    for batch in batches:
        assert len({padded_length(lengths[i], 16) for i in batch}) == 1
        assert len({options.cap_for(lengths[i]) for i in batch}) == 1


def test_the_token_budget_and_the_batch_size():
    lengths = [100] * 5 + [10] * 40
    batches = plan_batches(lengths, batch_size=32, batch_tokens=400)
    assert [len(b) for b in batches] == [4, 1, 32, 8]  # 4 × 100 tokens fill the budget; 32 is the size cap
    assert sorted(i for b in batches for i in b) == list(range(45))


def test_an_item_longer_than_the_budget_still_gets_a_batch():
    assert plan_batches([1000, 3], batch_size=8, batch_tokens=100) == [[0], [1]]
