"""Length-sorted batches under a token budget."""

from pipeline.translate.batching import plan_batches


def test_batches_are_sorted_longest_first_and_cover_every_item_once():
    lengths = [5, 50, 7, 48, 6, 49]
    batches = plan_batches(lengths, batch_size=2, batch_tokens=10_000)
    assert batches == [[1, 5], [3, 2], [4, 0]]


def test_the_token_budget_counts_padded_tokens():
    lengths = [100] * 4 + [10] * 40
    batches = plan_batches(lengths, batch_size=64, batch_tokens=400)
    assert [len(b) for b in batches] == [4, 40]  # 4 × 100 and 40 × 10 padded tokens
    assert sorted(i for b in batches for i in b) == list(range(44))
    for batch in batches:
        assert max(lengths[i] for i in batch) * len(batch) <= 400


def test_an_item_longer_than_the_budget_still_gets_a_batch():
    assert plan_batches([1000, 3], batch_size=8, batch_tokens=100) == [[0], [1]]
