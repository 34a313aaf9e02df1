"""MarianMT through CTranslate2: int8 on the CPU, several batches in flight.

A CTranslate2 model directory is made from a transformers one by `convert_model` (the
`tarjama convert-model` command), with the tokenizer files copied in so the directory stands
alone. With `model.backend: ctranslate2` and a transformers model, the conversion happens once,
into `<paths.models>/<name>-ct2-<quantization>`, and is reused.
"""

from __future__ import annotations

import json
import shutil
import warnings
from pathlib import Path
from typing import Sequence

from ..errors import ModelNotAvailable
from .base import GenerationOptions, Pending, Request, Stop, Translation, by_beam, choose
from .batching import plan_batches

TOKENIZER_FILES = ["source.spm", "target.spm", "vocab.json", "tokenizer_config.json", "special_tokens_map.json",
                   "generation_config.json"]
CT2_MARKER = "model.bin"
# CTranslate2 ends a beam search once beam_size × patience hypotheses have finished; with patience 1
# a short hypothesis that ends early can win although a longer one scores better (the fixture's
# «…ways to develevelop cooperation within the frame.», −0.074, against the right −0.007, in int8
# and float32 alike), where transformers keeps searching. Patience 2 finds the better one.
PATIENCE = 2


def is_ct2_dir(path: Path) -> bool:
    return (path / CT2_MARKER).is_file()


def convert_model(source: Path, target: Path, quantization: str = "int8", *, force: bool = False) -> Path:
    """Convert a transformers MarianMT directory to CTranslate2 in `target` (written atomically).

    `force` replaces a CTranslate2 model (or an empty folder) at `target`, nothing else: not the
    model being converted, nor a folder of the user's that happens to have the name."""
    _check_target(source, target, force)
    import ctranslate2

    from .marian import quiet_hub

    quiet_hub()
    copy = [name for name in TOKENIZER_FILES if (source / name).is_file()]
    building = target.with_name(f".{target.name}.converting")
    shutil.rmtree(building, ignore_errors=True)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*sacremoses.*")
            converter = ctranslate2.converters.TransformersConverter(str(source), copy_files=copy)
            converter.convert(str(building), quantization=None if quantization == "none" else quantization, force=True)
        (building / "tarjama-conversion.json").write_text(
            json.dumps({"from": str(source), "quantization": quantization}, indent=2) + "\n", encoding="utf-8")
        if target.exists():
            shutil.rmtree(target)
        building.rename(target)
    except Exception as exc:
        shutil.rmtree(building, ignore_errors=True)
        if isinstance(exc, ModelNotAvailable):
            raise
        raise ModelNotAvailable(f"{source}: CTranslate2 conversion failed ({str(exc).splitlines()[0][:200]})") from None
    return target


def _check_target(source: Path, target: Path, force: bool) -> None:
    from ..errors import UsageError

    src, dst = source.resolve(), target.resolve()
    if dst == src or src.is_relative_to(dst) or dst.is_relative_to(src):
        raise UsageError(f"{target}: is the model being converted, or holds it, or lies inside it; "
                         f"choose another folder for the CTranslate2 model")
    if not target.exists():
        return
    if not force:
        raise ModelNotAvailable(f"{target} exists; pass --force to replace it")
    if not target.is_dir() or not (is_ct2_dir(target) or not any(target.iterdir())):
        raise UsageError(f"{target}: exists and is not a CTranslate2 model; --force replaces only a model "
                         f"Tarjama converted (move the folder away first)")


def converted_dir(model_dir: Path, models_dir: Path, quantization: str, name: str = "") -> Path:
    """The CTranslate2 copy of a transformers model, converting it the first time: models/<name>-ct2-int8,
    <name> the model's folder, or for a hub model in the Hugging Face cache (a folder named by a
    commit hash) its id with "--" for "/" (Helsinki-NLP--opus-mt-tc-big-ar-en: two organisations'
    models of one name do not share a copy)."""
    if is_ct2_dir(model_dir):
        return model_dir
    label = name.strip("/").replace("/", "--") if model_dir.parent.name == "snapshots" and name else model_dir.name
    target = models_dir / f"{label}-ct2-{quantization}"
    record = target / "tarjama-conversion.json"
    if is_ct2_dir(target) and record.is_file() and json.loads(record.read_text("utf-8")).get("from") == str(model_dir):
        return target
    return convert_model(model_dir, target, quantization, force=True)


class CTranslate2Translator:
    """Translator backed by `ctranslate2.Translator.translate_batch` (scores from CTranslate2)."""

    backend = "ctranslate2"

    def __init__(self, model_dir: Path, *, name: str, options: GenerationOptions, device: str = "cpu",
                 compute_type: str = "int8", inter_threads: int = 2, intra_threads: int = 1):
        import ctranslate2

        from .pieces import MarianPieces, SentencePieceCounter

        if not is_ct2_dir(model_dir):
            raise ModelNotAvailable(f"{model_dir}: not a CTranslate2 model (no {CT2_MARKER}); "
                                    f"convert it with `tarjama convert-model`")
        self.name, self.options, self.model_dir = name, options, model_dir
        try:  # sentencepiece alone: transformers is a second to import and not needed here
            self.pieces = MarianPieces(model_dir)
            self.count_tokens = SentencePieceCounter(model_dir, self.pieces.source)  # loaded once
        except (OSError, ValueError, RuntimeError) as exc:
            raise ModelNotAvailable(f"{model_dir}: cannot load the Marian tokenizer "
                                    f"({str(exc).splitlines()[0][:160]})") from None
        device = "cuda" if device == "auto" and ctranslate2.get_cuda_device_count() > 0 else ("cpu" if device == "auto" else device)
        self.translator = ctranslate2.Translator(str(model_dir), device=device, compute_type=compute_type,
                                                 inter_threads=inter_threads, intra_threads=intra_threads)

    def _tokens(self, text: str) -> list[str]:
        return self.pieces.source_tokens(text)

    def translate(self, texts: Sequence[str]) -> list[Translation]:
        return self.submit(texts)()

    def submit(self, texts: Sequence[str], stop: Stop | None = None) -> Pending:
        """Queue the batches of `texts` on the inter_threads workers and return at once; what
        waits for their results (base.submit). `stop` is not heard: CTranslate2 cannot take back
        a batch it has queued, so a stop waits for them."""
        requests = [Request.parse(text) for text in texts]
        lengths = self.count_tokens([request.text for request in requests])
        pending = []
        for _, members in by_beam(requests, self.options):
            # Batches of exactly one length: CTranslate2 pads a batch to its longest sentence, and its
            # int8 kernels then compute the others differently (batching.py).
            for planned in plan_batches([lengths[i] for i in members], self.options.batch_size,
                                        self.options.batch_tokens, step=1):
                batch = [members[j] for j in planned]
                cap = self.options.cap_for(lengths[batch[0]])  # one length per batch: each sentence's own cap (base.cap_for)
                forced = self.options.forced_length([lengths[i] for i in batch])
                hypotheses = max(requests[i].hypotheses for i in batch)
                asynchronous = self.translator.translate_batch(
                    [self._tokens(requests[i].text) for i in batch], beam_size=self.options.beams_for(hypotheses),
                    num_hypotheses=hypotheses, patience=PATIENCE, asynchronous=True,
                    max_decoding_length=forced or cap, min_decoding_length=forced or 1,
                    return_scores=True, max_input_length=0)
                pending.append((batch, forced or cap, asynchronous))

        def results() -> list[Translation]:
            found_all: list[Translation | None] = [None] * len(texts)
            for batch, cap, asynchronous in pending:  # batches run on inter_threads workers meanwhile
                for index, result in zip(batch, asynchronous):
                    found = result.result()
                    candidates = [self._translation(tokens, score, cap)
                                  for tokens, score in zip(found.hypotheses, found.scores)]
                    kept, terms = choose(requests[index], [c.text for c in candidates])
                    candidates[kept].terms = terms
                    found_all[index] = candidates[kept]
            return found_all  # type: ignore[return-value]

        return results

    def _translation(self, tokens: list[str], score: float, cap: int) -> Translation:
        cut = len(tokens) >= cap  # stopped by the cap: no </s> was generated
        return Translation(text=self.pieces.text(tokens), score=round(float(score), 4),
                           hit_length_cap=cut, tokens=len(tokens) + (0 if cut else 1))
