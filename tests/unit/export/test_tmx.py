"""TMX 1.4b: dates in UTC (the export itself runs end to end in tests/e2e/test_review_roundtrip.py)."""

import pytest


@pytest.mark.parametrize("iso, tmx", [
    ("2024-05-01T10:00:00Z", "20240501T100000Z"),
    ("2024-05-01T10:00:00+02:00", "20240501T080000Z"),    # was 20240501T100000Z: two hours off
    ("2024-05-01T10:00:00-05:00", "20240501T150000Z"),    # was the malformed 20240501T1000000500Z
    ("2024-05-01T23:30:00.123456-01:00", "20240502T003000Z"),
    ("2024-05-01", "20240501T000000Z"),
    ("not a date", None),
])
def test_tmx_dates_are_utc(iso, tmx):
    from pipeline.export.tmx import _tmx_date

    assert _tmx_date(iso) == tmx
