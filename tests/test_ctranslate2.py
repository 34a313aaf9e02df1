"""The CTranslate2 backend on the fixture model: the same output as transformers."""

import json

import pytest

from pipeline.translate.base import GenerationOptions
from pipeline.translate.ct2 import CTranslate2Translator, convert_model
from pipeline.translate.loader import SentencePieceCounter
from pipeline.translate.marian import MarianTranslator, TokenCounter, load_marian_tokenizer

from .helpers import ROOT, run_cli

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def converted(tmp_path_factory, fixture_model):
    return convert_model(fixture_model, tmp_path_factory.mktemp("ct2") / "fixture-int8", "int8")


@pytest.fixture(scope="module")
def training_pairs(fixture_model):
    return [line.split("\t") for line in (fixture_model / "training-pairs.tsv").read_text(encoding="utf-8").splitlines()]


def test_greedy_output_is_the_same_as_transformers_on_every_training_pair(converted, fixture_model, training_pairs):
    sources = [source for source, _ in training_pairs]
    options = GenerationOptions(num_beams=1)
    ct2 = CTranslate2Translator(converted, name="fixture", options=options, compute_type="int8")
    reference = MarianTranslator(fixture_model, name="fixture", options=options)
    ours, theirs = ct2.translate(sources), reference.translate(sources)
    assert [t.text for t in ours] == [t.text for t in theirs] == [target for _, target in training_pairs]
    # scores are CTranslate2's own: mean token log-probability, like transformers'
    assert all(abs(a.score - b.score) < 0.02 for a, b in zip(ours, theirs))


def test_the_conversion_is_self_contained(converted):
    for name in ("model.bin", "shared_vocabulary.json", "source.spm", "target.spm", "vocab.json"):
        assert (converted / name).is_file()


def test_sentencepiece_counts_equal_the_marian_tokenizer(fixture_model, training_pairs):
    sources = [source for source, _ in training_pairs] + ["نص بكلمات لم يرها النموذج ١٢٣ «اقتباس»"]
    assert SentencePieceCounter(fixture_model)(sources) == TokenCounter(load_marian_tokenizer(fixture_model))(sources)


def test_the_batch_job_on_the_ctranslate2_backend_converts_once_and_matches(tmp_path, fixture_model):
    config = tmp_path / "config.yaml"
    config.write_text(f"paths:\n  models: {tmp_path / 'models'}\n", encoding="utf-8")
    runs = []
    for backend in ("ctranslate2", "transformers"):
        out = tmp_path / backend
        result = run_cli("translate", str(ROOT / "input"), "-o", str(out), "--model", str(fixture_model),
                         "--backend", backend, "--config", str(config), "-q")
        assert result.returncode == 0, result.stderr
        runs.append(json.loads((out / "karabakh-talks.ar.json").read_text(encoding="utf-8")))
    assert (tmp_path / "models" / "fixture-ar-en-ct2-int8" / "model.bin").is_file()
    ct2, hf = runs
    assert ct2["model"]["backend"] == "ctranslate2" and ct2["model"]["fingerprint"] != hf["model"]["fingerprint"]
    assert [p["target"] for p in ct2["paragraphs"]] == [p["target"] for p in hf["paragraphs"]]


def test_convert_model_command_refuses_to_overwrite(tmp_path, fixture_model):
    target = tmp_path / "ct2"
    assert run_cli("convert-model", str(fixture_model), str(target)).returncode == 0
    again = run_cli("convert-model", str(fixture_model), str(target))
    assert again.returncode == 2 and "exists; pass --force" in again.stderr
