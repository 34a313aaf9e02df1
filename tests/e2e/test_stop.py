"""A stop request gives up the transformers backend's work in flight — batches not started, and
decoding between two steps — on the real fixture model: what it returns is either the English an
unstopped run gives or None, never a cut-short sentence; and a stop that never comes changes nothing."""

import threading

import pytest

from pipeline.translate.base import GenerationOptions
from pipeline.translate.marian import MarianTranslator

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def sentences(fixture_model):
    pairs = (fixture_model / "training-pairs.tsv").read_text(encoding="utf-8").splitlines()
    return [line.split("\t")[0] for line in pairs[:12]]


def translator(fixture_model, inter_threads: int) -> MarianTranslator:
    options = GenerationOptions.from_settings(batch_size=2)
    return MarianTranslator(fixture_model, name="fixture", options=options, inter_threads=inter_threads)


@pytest.fixture(scope="module")
def reference(fixture_model, sentences):
    return translator(fixture_model, 1).translate(sentences)


def test_a_stop_that_never_comes_changes_no_english_and_no_score(fixture_model, sentences, reference):
    found = translator(fixture_model, 2).submit(sentences, stop=lambda: False)()
    assert [(t.text, t.score, t.tokens) for t in found] == [(t.text, t.score, t.tokens) for t in reference]


def test_a_stop_during_decoding_gives_the_batch_up_and_the_translator_goes_on(fixture_model, sentences, reference):
    model = translator(fixture_model, 1)
    asked = []

    def stop():  # asked before the first batch starts, then at each decoding step: true at the third step
        asked.append(True)
        return len(asked) > 3

    found = model.submit(sentences, stop=stop)()
    assert found == [None] * len(sentences) and len(asked) > 3
    assert [t.text for t in model.translate(sentences[:4])] == [t.text for t in reference[:4]]


def test_a_stop_between_batches_keeps_the_finished_ones_whole(fixture_model, sentences, reference):
    model = translator(fixture_model, 1)
    batches = []
    generate = model._generate

    def counted(*args, **kwargs):  # the stop comes once the first batch is done
        batches.append(len(args[0]))
        return generate(*args, **kwargs)

    model._generate = counted
    found = model.submit(sentences, stop=lambda: len(batches) > 1)()
    kept = [(index, t) for index, t in enumerate(found) if t is not None]
    assert len(kept) == batches[0] and 0 < len(kept) < len(sentences)
    assert all(t.text == reference[index].text and t.score == reference[index].score for index, t in kept)


def test_on_worker_threads_every_result_is_whole_or_none(fixture_model, sentences, reference):
    model = translator(fixture_model, 2)
    stopping = threading.Event()
    generate = model._generate

    def slow_start(*args, **kwargs):
        result = generate(*args, **kwargs)
        stopping.set()  # the first batch to finish asks for the stop; the other worker's is mid-way
        return result

    model._generate = slow_start
    found = model.submit(sentences, stop=stopping.is_set)()
    kept = [(index, t) for index, t in enumerate(found) if t is not None]
    assert 0 < len(kept) < len(sentences)
    assert all(t.text == reference[index].text for index, t in kept)
