"""The data model: its vocabularies are the JSON schema's, and severities have one order."""

from pipeline.export.record import article_schema
from pipeline.model import (CREDITS, HOUSE_STYLE_PUNCTUATION, KINDS, ORIGINS, REVIEW_STATUSES, SEVERITIES, STATUSES,
                            TITLES, Flag, worst_severity)


def test_the_vocabularies_are_the_schemas():
    defs = article_schema()["$defs"]
    assert list(KINDS) == defs["paragraph"]["properties"]["kind"]["enum"]
    assert list(STATUSES) == defs["paragraph"]["properties"]["status"]["enum"]
    assert list(REVIEW_STATUSES) == defs["review"]["properties"]["status"]["enum"]
    assert list(SEVERITIES) == defs["flag"]["properties"]["severity"]["enum"]
    assert list(ORIGINS) == defs["sentence"]["properties"]["origin"]["enum"]


def test_kind_groups_are_kinds():
    assert set(TITLES) | set(CREDITS) <= set(HOUSE_STYLE_PUNCTUATION) <= set(KINDS)


def test_the_worst_severity_decides():
    flags = [Flag("a", "info", ""), Flag("b", "error", ""), Flag("c", "warning", "")]
    assert worst_severity(flags) == "error" and worst_severity(flags[:1]) == "info" and worst_severity([]) is None
