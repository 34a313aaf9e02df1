"""The JSON record: valid against its schema, and read back into the data model byte for byte."""

import json

import jsonschema

from pipeline.batch import BatchRunner
from pipeline.folders import discover
from pipeline.config import load_settings
from pipeline.export.record import article_schema, dumps, read_record, recorded_signature
from pipeline.model import ParagraphReview

from ...helpers import SAMPLE_ARTICLE, DictionaryTranslator


def written(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_bytes(SAMPLE_ARTICLE.read_bytes())
    config = tmp_path / "config.yaml"
    config.write_text("", encoding="utf-8")
    BatchRunner(load_settings(config), DictionaryTranslator(), tmp_path / "out").run(*discover([tmp_path / "in"]))
    return tmp_path / "out" / "a.json"


def test_a_record_read_back_and_written_again_is_the_same_bytes(tmp_path):
    path = written(tmp_path)
    record = read_record(path)
    assert dumps(record.to_dict()) == path.read_text(encoding="utf-8")
    assert record.signature == json.loads(path.read_text(encoding="utf-8"))["pipeline"]["signature"]
    assert record.document.paragraphs[0].sentences[0].target_span[0] == 0


def test_an_editors_review_travels_through_the_typed_record(tmp_path):
    path = written(tmp_path)
    record = read_record(path)
    record.document.paragraphs[1].review = ParagraphReview("approved", "The editor's English.", "A note.",
                                                           ["Layla Haddad"], "2024-03-01T10:00:00Z", True)
    record.review_import = {"file": "a.docx", "sha256": "0" * 64, "modified": None, "tracked_changes": True,
                            "counts": {"ok": 12, "needs_review": 0, "approved": 1, "rejected": 0}}
    data = record.to_dict()
    jsonschema.Draft202012Validator(article_schema()).validate(data)
    path.write_text(dumps(data), encoding="utf-8")
    again = read_record(path)
    assert again.document.paragraphs[1].review == record.document.paragraphs[1].review
    assert dumps(again.to_dict()) == dumps(data)


def test_a_file_that_is_no_record_has_no_signature(tmp_path):
    (tmp_path / "other.json").write_text('{"a": 1}', encoding="utf-8")
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    assert recorded_signature(tmp_path / "other.json") is None and recorded_signature(tmp_path / "broken.json") is None
