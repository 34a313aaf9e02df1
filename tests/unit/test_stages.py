"""The chain, written once: prepare → translate → finish, every stage timed."""

from pipeline.config import load_settings
from pipeline.stages import STAGES, Stages

from ..helpers import SAMPLE_ARTICLE, DictionaryTranslator


def test_the_chain_on_the_sample_with_a_test_double(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text("", encoding="utf-8")
    stages = Stages(load_settings(config), DictionaryTranslator())
    document = stages.prepare(SAMPLE_ARTICLE, "karabakh.txt")
    assert document.paragraphs[3].kind == "heading" and all(p.sentences for p in document.paragraphs)
    [(done, error)] = list(stages.translate([document]))
    assert done is document and error is None
    stages.finish(document)
    assert all(p.target for p in document.paragraphs) and document.paragraphs[0].status in ("ok", "needs_review")
    assert set(stages.timings) == set(STAGES) and stages.timings["ingest"] > 0 and stages.timings["checks"] > 0
    assert stages.translate_seconds > 0


def test_without_a_model_the_chain_prepares_and_reviews(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text("", encoding="utf-8")
    stages = Stages(load_settings(config))
    document = stages.prepare(SAMPLE_ARTICLE, "karabakh.txt")
    assert all(u.source_tokens is None for p in document.paragraphs for u in p.sentences)  # estimated, not counted
    document.paragraphs[0].target = ""
    assert stages.check(document).paragraphs[0].flags[0].code == "empty_target"
