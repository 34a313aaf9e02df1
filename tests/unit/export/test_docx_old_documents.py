"""Documents of the python-docx writer (DOCX_VERSION 4) come back as before: editors return files
written before the string writer (tests/data/docx-v4, made on the fixture model)."""

import shutil

from pipeline.export.docx import build_docx
from pipeline.export.docx.read import read_review
from pipeline.export.record import read_record
from pipeline.roundtrip import import_review

from ...editor import Editor
from ...helpers import DATA

OLD = DATA / "docx-v4"


def test_an_old_document_reads_as_the_new_one_of_the_same_record(tmp_path):
    """Every row reads the same from the old document and from the string writer's."""
    record = read_record(OLD / "karabakh-talks.ar.json")
    new = tmp_path / "new.docx"
    new.write_bytes(build_docx(record.document, record.run))
    old, rewritten = read_review(OLD / "karabakh-talks.ar.docx"), read_review(new)
    assert [vars(row) for row in old.rows] == [vars(row) for row in rewritten.rows]
    assert (old.article_sha256, old.article_id) == (rewritten.article_sha256, rewritten.article_id) \
        == (record.document.source_sha256, record.document.id)
    assert len(old.rows) == 13 and {row.status_text for row in old.rows} == {"ok", "needs review"}


def test_an_old_document_edited_by_an_editor_is_imported(tmp_path):
    for name in ("karabakh-talks.ar.docx", "karabakh-talks.ar.json"):
        shutil.copy(OLD / name, tmp_path / name)
    editor = Editor(tmp_path / "karabakh-talks.ar.docx")
    editor.set_english("p0005", editor.row("p0005").cells[2].text.replace("1998", "1988"))
    editor.set_status("p0005", "approved")
    editor.write_note("p0010", "Loop at the end; retranslate.")
    editor.set_status("p0010", "rejected")
    edited = editor.save(tmp_path / "karabakh-talks.ar.docx")
    imported = import_review(edited, memory=tmp_path / "memory.sqlite")
    review = {p["id"]: p.get("review") for p in imported.record["paragraphs"]}
    assert review["p0005"]["status"] == "approved" and "since February 1988" in review["p0005"]["editor_target"]
    assert review["p0010"]["status"] == "rejected" and review["p0010"]["note"] == "Loop at the end; retranslate."
    assert imported.record["review_import"]["counts"] == {"ok": 11, "needs_review": 0, "approved": 1, "rejected": 1}
    assert imported.approved > 0
