"""The review checks measured on human news translations (bench/checks.py), held to their aims."""

import pytest

from bench.checks import FAULTS, MUST_BE_ERRORS, measure

from ...helpers import DATA

FALSE_ALARM_AIM = 0.05   # at most this share of clean human pairs gets a warning or an error
RECALL_AIM = 0.95        # at least this share of each injected fault is caught


@pytest.fixture(scope="module")
def results():
    return measure(DATA / "ntrex-dev", DATA / "ntrex-glossary.yaml")


def test_few_false_alarms_on_clean_human_translations(results):
    assert results.pairs == 893
    assert results.false_alarm_rate() <= FALSE_ALARM_AIM


@pytest.mark.parametrize("fault", list(FAULTS))
def test_each_injected_fault_is_caught(results, fault):
    assert results.fault_totals[fault] >= 80, "too few pairs to measure this fault"
    assert results.recall(fault) >= RECALL_AIM


CLEAN_ERROR_AIM = 0.01   # at most this share of clean human pairs gets an error (errors block publishing)


def test_what_must_be_fixed_is_an_error_and_clean_text_almost_never(results):
    assert results.clean_errors / results.pairs <= CLEAN_ERROR_AIM
    for fault in MUST_BE_ERRORS:
        assert results.caught_as_error[fault] / results.fault_totals[fault] >= RECALL_AIM, fault


CONSISTENCY_FALSE_ALARM_AIM = 0.02  # at most this share of clean NTREX paragraphs flagged across the batch


def test_consistency_across_the_batch_on_human_news():
    from bench.checks import measure_consistency

    results = measure_consistency(DATA / "ntrex-dev")
    assert results.paragraphs == 893
    assert results.clean_flagged / results.paragraphs <= CONSISTENCY_FALSE_ALARM_AIM
    fault = "sentence translated two ways"
    assert results.trials[fault] >= 80 and results.caught[fault] / results.trials[fault] >= RECALL_AIM
    fault = "name respelled in another article"
    assert results.trials[fault] >= 280 and results.caught[fault] / results.trials[fault] >= RECALL_AIM
