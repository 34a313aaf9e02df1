"""The local executor keeps the backend's workers busy between work items: the next item is
queued before the results of the one in flight are awaited. A recording test double stands in for
the backend (the real ones run in tests/e2e: test_ctranslate2.py, test_batch_invariance.py); what
is tested here is the order of submitting and waiting, the results, failures and a stop (a real
transformers backend giving up work at a stop: tests/e2e/test_stop.py)."""

from __future__ import annotations

import pytest

from pipeline.errors import Interrupted
from pipeline.translate.base import Translation
from pipeline.translate.executors import LocalExecutor

ITEMS = [["الجملة الأولى", "الجملة الثانية"], ["الجملة الثالثة"], ["الجملة الرابعة", "الجملة الخامسة"]]


def english(text: str) -> Translation:
    return Translation(text=f"EN({text})", score=-0.5, hit_length_cap=False, tokens=3)


class Queued:
    """A backend with workers: `submit` queues and returns what waits for the results."""

    def __init__(self, fail_submit: int | None = None, fail_wait: int | None = None):
        self.events: list[tuple[str, int]] = []
        self.submitted = 0
        self.fail_submit, self.fail_wait = fail_submit, fail_wait

    def translate(self, texts):  # the executor must not use it when `submit` exists
        raise AssertionError("translate called on a backend that can queue")

    def submit(self, texts, stop=None):  # like CTranslate2: what is queued is computed, stop or not
        number = self.submitted
        self.submitted += 1
        if number == self.fail_submit:
            raise ValueError("cannot tokenize")
        self.events.append(("submit", number))

        def wait():
            self.events.append(("wait", number))
            if number == self.fail_wait:
                raise RuntimeError("generation failed")
            return [english(text) for text in texts]

        return wait


class Plain:
    """A backend without workers (a test double, a remote model): only `translate`."""

    def translate(self, texts):
        return [english(text) for text in texts]


def test_the_next_item_is_queued_before_the_one_in_flight_is_awaited():
    backend = Queued()
    results = list(LocalExecutor(backend).run(ITEMS, stop=lambda: False))
    assert backend.events == [("submit", 0), ("submit", 1), ("wait", 0), ("submit", 2), ("wait", 1), ("wait", 2)]
    assert [index for index, _ in results] == [0, 1, 2]  # yielded in item order
    for (index, found), item in zip(results, ITEMS):
        assert {text: t.text for text, t in found.items()} == {text: f"EN({text})" for text in item}


def test_a_backend_without_workers_translates_each_item_in_turn():
    results = dict(LocalExecutor(Plain()).run(ITEMS, stop=lambda: False))
    assert results[2]["الجملة الخامسة"].text == "EN(الجملة الخامسة)" and len(results) == 3


@pytest.mark.parametrize("failing", [{"fail_submit": 1}, {"fail_wait": 1}])
def test_an_item_that_fails_to_queue_or_to_finish_fails_alone(failing):
    results = list(LocalExecutor(Queued(**failing)).run(ITEMS, stop=lambda: False))
    assert [index for index, _ in results] == [0, 1, 2]
    assert isinstance(results[1][1], (ValueError, RuntimeError))
    assert results[0][1]["الجملة الأولى"].text == "EN(الجملة الأولى)"
    assert results[2][1]["الجملة الرابعة"].text == "EN(الجملة الرابعة)"


def test_a_stop_keeps_what_is_in_flight_and_queues_nothing_more():
    backend = Queued()
    stopping = []
    run = LocalExecutor(backend).run(ITEMS, stop=lambda: bool(stopping))
    first = next(run)          # item 0 done; item 1 was queued before it was awaited
    stopping.append(True)
    second = next(run)         # item 1 is computed anyway: its results come back
    with pytest.raises(Interrupted, match="stopped after 3 of 5 sentences"):
        next(run)
    assert (first[0], second[0]) == (0, 1) and second[1]["الجملة الثالثة"].text == "EN(الجملة الثالثة)"
    assert ("submit", 2) not in backend.events


class GivesUp(Queued):
    """A backend that gives up work at a stop, as the transformers one does: the inputs of an
    item waited for after the stop past its first come back None."""

    def submit(self, texts, stop=None):
        wait = super().submit(texts)
        return lambda: [t if not (stop and stop()) or i == 0 else None for i, t in enumerate(wait())]


def test_a_stop_keeps_the_finished_part_of_the_items_in_flight_and_says_how_far_it_got():
    backend = GivesUp()
    stopping = []
    run = LocalExecutor(backend).run(ITEMS, stop=lambda: bool(stopping))
    first = next(run)          # item 0 whole
    stopping.append(True)
    second = next(run)         # item 1 (one input) finished its first input
    with pytest.raises(Interrupted, match="stopped after 3 of 5 sentences"):
        next(run)
    assert len(first[1]) == 2 and list(second[1]) == ["الجملة الثالثة"]
    assert ("submit", 2) not in backend.events


def test_a_stop_after_the_last_item_is_queued_still_says_the_run_was_interrupted():
    stopping = []
    backend = GivesUp()
    run = LocalExecutor(backend).run(ITEMS[:2] + [["الجملة الرابعة", "الجملة الخامسة"]], stop=lambda: bool(stopping))
    first = next(run)          # items 0 and 1 queued, 0 awaited; then 2 queued and 1 awaited
    second = next(run)
    stopping.append(True)      # item 2 (two inputs) is in flight: its second input is given up
    third = next(run)
    with pytest.raises(Interrupted, match="stopped after 4 of 5 sentences"):
        next(run)
    assert (len(first[1]), len(second[1]), list(third[1])) == (2, 1, ["الجملة الرابعة"])


def test_a_stop_that_comes_when_every_input_is_done_is_no_interruption():
    stopping = []
    run = LocalExecutor(GivesUp()).run(ITEMS, stop=lambda: bool(stopping))
    found = [next(run), next(run), next(run)]
    stopping.append(True)
    assert list(run) == [] and sum(len(f) for _, f in found) == 5
