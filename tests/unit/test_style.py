"""House-style rules (pipeline/style.py) on real NTREX lines and the sample, with the example rules file."""

import pytest

from pipeline.config import SegmentationSettings, load_settings
from pipeline.errors import ConfigError
from pipeline.export.record import document_record, RunInfo
from pipeline.ingest import document_from_lines
from pipeline.segment import segment_document
from pipeline.stages import Stages
from pipeline.style import load_style, post_edit, pre_edit

from ..helpers import DATA, ROOT, SAMPLE_ARTICLE, DictionaryTranslator, validate_record

EXAMPLE = ROOT / "docs" / "house-style.example.yaml"
NTREX = DATA / "ntrex-dev" / "articles"


def line(name: str, number: int) -> str:
    return (NTREX / name).read_text(encoding="utf-8").splitlines()[number - 1]


def test_pre_rules_edit_what_the_model_sees_and_never_the_display_text():
    arabic = line("cbsnews.248394.ar.txt", 3)  # «… بالاعتداء الجنسي على د. كريستين بلاسي فورد …»
    document = segment_document(document_from_lines([arabic], "a.txt"), SegmentationSettings())
    pre_edit(document, load_style(EXAMPLE), lambda texts: [len(t.split()) for t in texts])
    edited = [u for u in document.paragraphs[0].sentences if u.style]
    assert edited and all("دكتور كريستين" in u.model_input and "د. كريستين" in u.source for u in edited)
    assert edited[0].style == [{"rule": "Dr. spelled out", "stage": "pre", "count": 1}]
    assert edited[0].source_tokens == len(edited[0].model_input.split())   # recounted after the edit
    assert document.paragraphs[0].source == arabic


def test_post_rules_edit_the_machines_english_and_never_an_editors():
    english = line("newsweek.51300.en.txt", 6)  # "Thirty-two percent supported such a run. …"
    document = segment_document(document_from_lines(["قال باشينيان.", "وقال."], "a.txt"), SegmentationSettings())
    machine, editor = document.paragraphs[0].sentences[0], document.paragraphs[1].sentences[0]
    machine.target, machine.origin = english + " Pashinian agreed.", "model"
    editor.target, editor.origin = "Thirty-two percent, said Pashinian.", "human"
    post_edit(document, load_style(EXAMPLE))
    assert "Thirty-two per cent supported" in machine.target and "Pashinyan agreed." in machine.target
    assert machine.style == [{"rule": "per cent", "stage": "post", "count": english.count("percent")},
                             {"rule": "Pashinyan", "stage": "post", "count": 1}]
    assert editor.target == "Thirty-two percent, said Pashinian." and editor.style == []


def test_applications_are_in_the_json_record(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text(f"style:\n  rules: {EXAMPLE}\n", encoding="utf-8")
    stages = Stages(load_settings(config), DictionaryTranslator())
    document = stages.prepare(SAMPLE_ARTICLE, "karabakh.txt")
    [(done, error)] = list(stages.translate([document]))
    for unit in done.paragraphs[5].sentences:
        unit.target += " Pashinian."  # as if the model had written the old spelling
    stages.finish(done)
    record = document_record(done, RunInfo("m", "sha256:" + "0" * 64, "transformers",
                                           {"num_beams": 4, "max_new_tokens_ratio": 2.0, "max_new_tokens": 512},
                                           {"tarjama_version": "0", "segmenter_version": "0"}, "2024-01-01T00:00:00Z"))
    validate_record(record)
    styled = [s for p in record["paragraphs"] for s in p["sentences"] if s.get("style")]
    assert styled and all(e == {"rule": "Pashinyan", "stage": "post", "count": 1} for s in styled for e in s["style"])
    assert "Pashinyan." in record["paragraphs"][5]["target"]


@pytest.mark.parametrize("content, message", [
    ("rules:\n  - {name: broken, stage: post, pattern: '(unclosed', replace: x}\n",
     "rule 1 (broken): the pattern does not compile: missing ), unterminated subpattern"),
    ("rules:\n  - {name: where, stage: during, pattern: a, replace: b}\n", "rule 1 (where): stage must be 'pre'"),
    ("rules:\n  - {name: group, stage: post, pattern: a, replace: '\\2'}\n", "rule 1 (group): the replacement is not valid"),
    ("terms: []\n", "expected a list under the key 'rules'"),
])
def test_a_bad_rule_is_one_line_naming_the_file_and_the_rule(tmp_path, content, message):
    rules = tmp_path / "style.yaml"
    rules.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_style(rules)
    assert str(error.value).startswith(f"{rules}: ") and message in str(error.value)
    assert "\n" not in str(error.value)


def test_csv_rules_and_the_rules_file_decides_the_run_signature(tmp_path):
    rules = tmp_path / "style.csv"
    rules.write_text("name,stage,pattern,replace\nper cent,post,\\bpercent\\b,per cent\n", encoding="utf-8")
    style = load_style(rules)
    assert [(r.name, r.stage, r.replace) for r in style.rules] == [("per cent", "post", "per cent")]
    assert style.digest and style.digest != load_style(EXAMPLE).digest
