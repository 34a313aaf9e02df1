"""A spoken-Arabic quotation planted in the sample article reaches the editor everywhere:
the JSON record, the DOCX review column and its Word comment, and the run report.

tests/data/karabakh-dialect.ar.txt is input/karabakh-talks.ar.txt with one paragraph added
(p0009): a resident quoted in Levantine. The fixture model does not know that sentence (its
English is nonsense); what is tested here is the review flag on the Arabic.
"""

import json

import docx
import pytest

from pipeline.export.docx.layout import REVIEW

from ..helpers import DATA, run_cli

pytestmark = pytest.mark.model


def test_the_planted_levantine_quotation_is_a_warning_in_the_record_the_docx_and_the_report(tmp_path, fixture_model):
    article = tmp_path / "karabakh-dialect.ar.txt"
    article.write_bytes((DATA / "karabakh-dialect.ar.txt").read_bytes())
    out = tmp_path / "out"
    result = run_cli("translate", str(article), "-o", str(out), "--model", str(fixture_model), "-q")
    assert result.returncode == 0, result.stderr

    record = json.loads((out / "karabakh-dialect.ar.json").read_text(encoding="utf-8"))
    flagged = {p["id"]: [f for f in p["flags"] if f["code"] == "dialect"] for p in record["paragraphs"]}
    assert [pid for pid, found in flagged.items() if found] == ["p0009"]  # the MSA paragraphs are not flagged
    [flag] = flagged["p0009"]
    assert flag["severity"] == "warning" and flag["evidence"]["variety"] == "Levantine"
    assert record["summary"]["by_code"]["dialect"] == 1

    document = docx.Document(str(out / "karabakh-dialect.ar.docx"))
    row = next(r for r in document.tables[-1].rows[1:] if r.cells[0].text.startswith("p0009"))
    assert "spoken Arabic (Levantine)" in row.cells[REVIEW].text
    assert any("spoken Arabic (Levantine)" in c.text for c in document.comments)

    # The run report counts the flagged paragraphs and the flags per code, per file and in all.
    report = json.loads((out / "_batch.json").read_text(encoding="utf-8"))
    needing_review = [p["id"] for p in record["paragraphs"] if p["status"] == "needs_review"]
    assert "p0009" in needing_review and report["totals"]["flagged"] == record["summary"]["flagged"]
    assert report["files"][0]["by_code"] == record["summary"]["by_code"]
    assert report["totals"]["by_code"]["dialect"] == 1
