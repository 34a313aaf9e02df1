"""Batch invariance: does a sentence's English depend on what else is translated with it?

Two ways to batch, measured in one run:

- "one length per batch" (Tarjama): every batch holds sentences of one padded length, so each
  has its own length cap and is computed at the same shape alone and in any batch
  (transformers: lengths in steps of 16, padded to the step; CTranslate2: one exact length);
- "mixed lengths": the usual length-sorted batches, capped by their longest sentence and padded
  to it (what Tarjama did before, and what most pipelines do).

1. Invariance, with the fixture model on NTREX news it never saw (where its output loops to the
   length cap, the fragile case): each article translated alone and inside the whole folder; the
   count of articles whose paragraphs come out identical.
2. Cost, with a model of the real opus-mt-ar-en shape and random weights (bench/build_random_model.py),
   beam 4, output forced to 1.1 × the source: generated tokens per second of the same sentences,
   in chunks of 256 as the translate stage sends them, each way measured twice, interleaved;
   CTranslate2 int8 on 40 articles, transformers on 12.

    python bench/batch_invariance.py ../shared/data/ntrex-dev/articles --random-model /tmp/opus-mt-ar-en-random
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import machine  # noqa: E402
from pipeline.config import SegmentationSettings  # noqa: E402
from pipeline.align import align_document  # noqa: E402
from pipeline.ingest import read_document  # noqa: E402
from pipeline.segment import segment_document  # noqa: E402
from pipeline.translate import batching  # noqa: E402
from pipeline.translate.stage import translate_documents  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CHUNK = 256


def mixed_batches(lengths, batch_size, batch_tokens, step=1):
    """The usual plan: longest first, padded, lengths mixed (the cap then follows the longest)."""
    order = sorted(range(len(lengths)), key=lambda i: (-lengths[i], i))
    batches, current = [], []
    for index in order:
        if current and (len(current) >= batch_size or lengths[current[0]] * (len(current) + 1) > batch_tokens):
            batches.append(current)
            current = []
        current.append(index)
    return batches + ([current] if current else [])


def planner(mode: str):
    """Install a batch plan in the backends (they import plan_batches by name)."""
    from pipeline.translate import ct2, marian

    plan = batching.plan_batches if mode == "one length per batch" else mixed_batches
    marian.plan_batches = ct2.plan_batches = plan


def load_articles(folder: Path, limit: int | None, counter):
    articles = sorted(folder.glob("*.ar.txt"))[:limit]
    documents = []
    for path in articles:
        document = read_document(path, path.name)
        segment_document(document, SegmentationSettings(), counter)
        documents.append(document)
    return documents


def targets(document) -> list[str]:
    return [paragraph.target for paragraph in document.paragraphs]


def invariance(folder: Path, limit: int | None, backend: str, modes: list[str]) -> dict[str, tuple[int, int]]:
    from pipeline.config import load_settings, with_updates
    from pipeline.translate.loader import ModelHandle

    settings = with_updates(load_settings(ROOT / "config.yaml"), model={"name": str(ROOT / "models" / "fixture-ar-en"),
                                                                        "backend": backend},
                            paths={"models": "/tmp/tarjama-bench-models"})
    translator = ModelHandle(settings)
    results = {}
    for mode in modes:
        planner(mode)
        together = load_articles(folder, limit, translator.count_tokens)
        translate_documents(together, translator)
        same = 0
        for document in together:
            alone = read_document(folder / document.id, document.id)
            segment_document(alone, SegmentationSettings(), translator.count_tokens)
            translate_documents([alone], translator)
            align_document(alone)
            align_document(document)
            same += targets(alone) == targets(document)
        results[mode] = (same, len(together))
        print(f"  {backend}, {mode}: {same} of {len(together)} articles identical alone and in the folder", flush=True)
    return results


def cost(folder: Path, limit: int | None, model: Path, backend: str, repeats: int = 2) -> dict[str, float]:
    from pipeline.translate.base import GenerationOptions
    from pipeline.translate.ct2 import CTranslate2Translator, convert_model
    from pipeline.translate.loader import SentencePieceCounter
    from pipeline.translate.marian import MarianTranslator

    counter = SentencePieceCounter(model)
    units = sorted({u.model_input for d in load_articles(folder, limit, counter) for p in d.paragraphs for u in p.sentences},
                   key=len, reverse=True)
    if backend == "ctranslate2":
        converted = model.with_name(model.name + "-ct2-int8")
        if not (converted / "model.bin").is_file():
            convert_model(model, converted, "int8", force=True)
        options = GenerationOptions.from_settings(num_beams=4, batch_size=16, force_length_ratio=1.1)
        translator = CTranslate2Translator(converted, name="random", options=options, inter_threads=2, intra_threads=1)
    else:
        options = GenerationOptions.from_settings(num_beams=4, batch_size=32, force_length_ratio=1.1)
        translator = MarianTranslator(model, name="random", options=options)
    speeds: dict[str, list[float]] = {}
    modes = ["one length per batch", "mixed lengths"]
    planner(modes[0])
    translator.translate(units[:32])  # warm up
    for _ in range(repeats):
        for mode in modes:
            planner(mode)
            started, tokens = time.perf_counter(), 0
            for start in range(0, len(units), CHUNK):
                tokens += sum(r.tokens for r in translator.translate(units[start:start + CHUNK]))
            speeds.setdefault(mode, []).append(tokens / (time.perf_counter() - started))
            print(f"  {backend}, {mode}: {speeds[mode][-1]:.0f} generated tokens/s ({len(units)} sentences)", flush=True)
    return {mode: sum(values) / len(values) for mode, values in speeds.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("articles", type=Path, help="folder of *.ar.txt articles (NTREX: ntrex-dev/articles)")
    parser.add_argument("--random-model", type=Path, help="a model built by bench/build_random_model.py (for the cost)")
    parser.add_argument("--transformers-articles", type=int, default=25,
                        help="articles for the transformers backend (slow on looping output; default 25)")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    modes = ["one length per batch", "mixed lengths"]
    print(machine())
    rows = {("ctranslate2", mode): value for mode, value in invariance(args.articles, None, "ctranslate2", modes).items()}
    rows.update({("transformers", mode): value
                 for mode, value in invariance(args.articles, args.transformers_articles, "transformers", modes).items()})
    print("\n| backend | batches | articles identical alone and in the folder |\n|---|---|---|")
    for (backend, mode), (same, total) in rows.items():
        print(f"| {backend} | {mode} | {same} of {total} |")
    if args.random_model:
        rows = [("CTranslate2 int8", cost(args.articles, 40, args.random_model, "ctranslate2")),
                ("transformers", cost(args.articles, 12, args.random_model, "transformers"))]
        print("\n| backend | batches | generated tokens/s | relative |\n|---|---|---|---|")
        for backend, speeds in rows:
            ours, theirs = speeds["one length per batch"], speeds["mixed lengths"]
            print(f"| {backend} | one length per batch | {ours:.0f} | {ours / theirs:.2f} |")
            print(f"| {backend} | mixed lengths | {theirs:.0f} | 1.00 |")


if __name__ == "__main__":
    main()
