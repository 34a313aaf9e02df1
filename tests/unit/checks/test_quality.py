"""The review checks measured on human news translations (bench/checks.py), held to their aims."""

import pytest

from bench.checks import FAULTS, measure

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
