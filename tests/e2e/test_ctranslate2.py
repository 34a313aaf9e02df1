"""The CTranslate2 backend on the fixture model: the same output as transformers."""

import json
import os
import shutil
import sys

import pytest

from pipeline.translate.base import GenerationOptions
from pipeline.translate.ct2 import convert_model
from pipeline.translate.loader import SentencePieceCounter
from pipeline.translate.marian import MarianTranslator, TokenCounter, load_marian_tokenizer

from ..helpers import ROOT, run_cli, run_process

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def converted(tmp_path_factory, fixture_model):
    return convert_model(fixture_model, tmp_path_factory.mktemp("ct2") / "fixture-int8", "int8")


@pytest.fixture(scope="module")
def training_pairs(fixture_model):
    return [line.split("\t") for line in (fixture_model / "training-pairs.tsv").read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def greedy_reference(fixture_model, training_pairs):
    options = GenerationOptions.from_settings(num_beams=1)
    return MarianTranslator(fixture_model, name="fixture", options=options).translate([s for s, _ in training_pairs])


# int8 kernels differ by CPU: with AVX-512 VNNI (recent Intel) CTranslate2's scores were within
# 0.001 of transformers' on all 359 pairs; with the AVX2 kernels of CPUs without VNNI (the AMD
# EPYC machines we run on, forced here with MKL_ENABLE_INSTRUCTIONS / ONEDNN_MAX_CPU_ISA) within
# 0.057 (mean 0.013). Texts were identical under every kernel. So texts must be equal and scores
# close: 0.1 is about twice the largest difference measured across kernels.
SCORE_TOLERANCE = 0.1
KERNELS = {
    "this CPU's own kernels": {},
    "AVX2 kernels (a CPU without AVX-512 VNNI)": {"MKL_ENABLE_INSTRUCTIONS": "AVX2", "ONEDNN_MAX_CPU_ISA": "AVX2"},
}


@pytest.mark.parametrize("kernels", KERNELS)
def test_greedy_output_is_the_same_as_transformers_on_every_training_pair(converted, training_pairs, greedy_reference,
                                                                          kernels):
    sources = [source for source, _ in training_pairs]
    reference = greedy_reference
    # A child process: the BLAS libraries read their instruction-set settings once, when loaded.
    child = run_process([sys.executable, "-c", CT2_CHILD, str(converted)], env={**os.environ, **KERNELS[kernels]},
                        input="\n".join(sources))
    assert child.returncode == 0, child.stderr
    ours = json.loads(child.stdout)
    assert [text for text, _ in ours] == [t.text for t in reference] == [target for _, target in training_pairs]
    # scores are CTranslate2's own: mean token log-probability, like transformers'
    differences = [abs(score - t.score) for (_, score), t in zip(ours, reference)]
    assert max(differences) < SCORE_TOLERANCE, f"largest score difference {max(differences):.4f}"


CT2_CHILD = """
import json, sys
from pathlib import Path
from pipeline.translate.base import GenerationOptions
from pipeline.translate.ct2 import CTranslate2Translator
ct2 = CTranslate2Translator(Path(sys.argv[1]), name="fixture", options=GenerationOptions.from_settings(num_beams=1), compute_type="int8")
print(json.dumps([[t.text, t.score] for t in ct2.translate(sys.stdin.read().split("\\n"))]))
"""


def test_the_conversion_is_self_contained(converted):
    for name in ("model.bin", "shared_vocabulary.json", "source.spm", "target.spm", "vocab.json"):
        assert (converted / name).is_file()


def test_sentencepiece_counts_equal_the_marian_tokenizer(fixture_model, training_pairs):
    sources = [source for source, _ in training_pairs] + ["نص بكلمات لم يرها النموذج ١٢٣ «اقتباس»"]
    assert SentencePieceCounter(fixture_model)(sources) == TokenCounter(load_marian_tokenizer(fixture_model))(sources)


def test_sentencepiece_alone_gives_the_marian_tokenizers_pieces_and_text(fixture_model, training_pairs):
    # The CTranslate2 backend reads and writes pieces without transformers (translate/pieces.py).
    from pipeline.translate.pieces import MarianPieces

    data = ROOT / "tests" / "data"
    lines = [line for path in sorted([*data.glob("ntrex-dev/**/*.txt"), *data.glob("dialects/*")]) if path.is_file()
             for line in path.read_text(encoding="utf-8").splitlines()]
    lines += [text for pair in training_pairs for text in pair]
    # special tokens written in the text, a language code, marks and an emoji
    lines += ["a </s> b", "نص <unk> عربي<pad>", ">>fra<< bonjour", "</s>>>fr<<x", "  ", "", "\u200fمارك 🙂"]
    assert len(lines) > 1000
    ours, theirs = MarianPieces(fixture_model), load_marian_tokenizer(fixture_model)
    assert [ours.source_tokens(line) for line in lines] == \
           [theirs.convert_ids_to_tokens(theirs(line).input_ids) for line in lines]
    outputs = [ours.target.encode(line, out_type=str) for line in lines]
    outputs += [pieces[:2] + ["<unk>"] + pieces[2:] + ["</s>"] for pieces in outputs[:200]]
    assert [ours.text(pieces) for pieces in outputs] == [theirs.convert_tokens_to_string(pieces) for pieces in outputs]


def test_the_batch_job_on_the_ctranslate2_backend_converts_once_and_matches(tmp_path, fixture_model):
    config = tmp_path / "config.yaml"
    config.write_text(f"paths:\n  models: {tmp_path / 'models'}\n"
                      f"review:\n  glossary: {ROOT / 'docs' / 'glossary.example.yaml'}\n", encoding="utf-8")
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
    # the glossary enforced the same way: the same terms required and met, the same hypothesis chosen
    def enforced(record):
        return {s["id"]: s.get("glossary") for p in record["paragraphs"] for s in p["sentences"]}

    assert enforced(ct2) == enforced(hf) and enforced(ct2)["p0006.s01"]["hypothesis"] == 2


def test_convert_model_command_refuses_to_overwrite(tmp_path, fixture_model):
    target = tmp_path / "ct2"
    assert run_cli("convert-model", str(fixture_model), str(target)).returncode == 0
    again = run_cli("convert-model", str(fixture_model), str(target))
    assert again.returncode == 2 and "exists; pass --force" in again.stderr
    # --force replaces the model Tarjama converted, nothing else.
    assert run_cli("convert-model", str(fixture_model), str(target), "--force").returncode == 0


def test_convert_model_never_replaces_the_source_model_or_a_folder_that_is_not_a_model(tmp_path, fixture_model):
    import shutil

    from ..helpers import sha256_tree

    model = tmp_path / "fx"
    shutil.copytree(fixture_model, model)
    notes = tmp_path / "precious"
    notes.mkdir()
    (notes / "notes.txt").write_text("a desk's notes\n", encoding="utf-8")
    before = sha256_tree(tmp_path)
    for target, message in ((model, "is the model being converted"), (model / "ct2", "lies inside it"),
                            (notes, "exists and is not a CTranslate2 model")):
        result = run_cli("convert-model", str(model), str(target), "--force")
        assert result.returncode == 2, result.stderr
        assert result.stderr.count("\n") == 1 and message in result.stderr
    assert sha256_tree(tmp_path) == before


def test_a_hub_model_in_the_hugging_face_cache_is_converted_under_its_name(tmp_path, fixture_model):
    # The cache keeps a hub model in a folder named by a commit hash; the copy is named by the id.
    from pipeline.translate.ct2 import converted_dir

    snapshot = tmp_path / "hub" / "models--Foo--bar" / "snapshots" / ("0123abcd" * 5)
    shutil.copytree(fixture_model, snapshot)
    target = converted_dir(snapshot, tmp_path / "models", "int8", "Foo/bar")
    assert target == tmp_path / "models" / "Foo--bar-ct2-int8" and (target / "model.bin").is_file()
    # another organisation's model of the same name gets a copy of its own
    other = tmp_path / "hub" / "models--Baz--bar" / "snapshots" / ("4567cdef" * 5)
    shutil.copytree(fixture_model, other)
    assert converted_dir(other, tmp_path / "models", "int8", "Baz/bar").name == "Baz--bar-ct2-int8"
    assert (target / "model.bin").is_file()
    # a local folder keeps its own name, whatever the name given
    assert converted_dir(fixture_model, tmp_path / "models", "int8", str(fixture_model)).name == "fixture-ar-en-ct2-int8"
