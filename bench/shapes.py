"""The two model shapes a desk can choose, measured in one run: opus-mt-ar-en (base, 76.8 M
parameters) and opus-mt-tc-big-ar-en (transformer-big, 241.7 M; README's default).

For each shape, on a model of that shape with seeded random weights (bench/build_random_model.py
--shape), beam 4, every approach generating 1.1 × the source tokens (as bench/throughput.py):

- model load time: the weights from disk to ready, in a fresh process (imports not counted):
  transformers `MarianMTModel.from_pretrained` + tokenizer, and CTranslate2 int8 `Translator`;
- 1. naive (`generate` per paragraph, batch 1), 2. Tarjama transformers, 3. Tarjama CTranslate2
  int8 (converted once, before the run): generated tokens/s, articles per minute (the articles
  given, scaled to the average NTREX article's length), peak RSS, each one process timed from
  start to exit.

    python bench/shapes.py ../shared/data/ntrex-dev/articles --articles-count 8 --text ../shared/data/ntrex-dev ../shared/data/parallel
    python bench/shapes.py tests/data/ntrex-dev/articles --quick    # a smoke test: tiny models, 1 article
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import bytecode_compiled, fresh_copy, machine, random_model_parser  # noqa: E402
from bench.throughput import FORCE_RATIO, random_model, run_measured, tarjama  # noqa: E402

LOAD_CHILD = """
import json, sys, time
from pathlib import Path
model_dir, ct2_dir = map(Path, sys.argv[1:3])
import ctranslate2, torch
from transformers import MarianMTModel, MarianTokenizer
started = time.perf_counter()
MarianTokenizer.from_pretrained(str(model_dir)); MarianMTModel.from_pretrained(str(model_dir)).eval()
transformers = time.perf_counter() - started
started = time.perf_counter()
ctranslate2.Translator(str(ct2_dir), device="cpu", compute_type="int8")
print(json.dumps({"transformers": transformers, "ctranslate2": time.perf_counter() - started}))
"""


def measure_shape(shape: str, folder: Path, work: Path, text: list[Path], quick: bool) -> dict:
    model_dir, ct2_dir = random_model(work, text, tiny=quick, shape=shape)
    _, _, stdout = run_measured([sys.executable, "-c", LOAD_CHILD, str(model_dir), str(ct2_dir)])
    loads = json.loads(stdout)
    files = sorted(folder.glob("*.txt"))
    rows = {}
    wall, rss, stdout = run_measured([sys.executable, str(ROOT / "bench" / "throughput.py"), "x", "--child-naive",
                                      str(model_dir), *map(str, files)])
    rows["naive"] = (wall, rss, json.loads(stdout)["generated_tokens"], None)
    for name, model, backend in (("transformers", model_dir, "transformers"), ("CTranslate2 int8", ct2_dir, "ctranslate2")):
        out = work / f"shapes-out-{shape}-{backend}"
        shutil.rmtree(out, ignore_errors=True)
        wall, rss, _ = run_measured(tarjama(folder, out, "--model", str(model), "--backend", backend, "--no-cache",
                                            "--force", "--set", "review.glossary=null"))
        report = json.loads((out / "_batch.json").read_text(encoding="utf-8"))
        rows[name] = (wall, rss, report["translation"]["generated_tokens"],
                      loads["ctranslate2" if backend == "ctranslate2" else "transformers"])
    rows["naive"] = (*rows["naive"][:3], loads["transformers"])
    return rows


def main() -> None:
    parser = random_model_parser(__doc__)
    parser.add_argument("--articles-count", type=int, default=8, help="how many articles (every k-th by name)")
    parser.add_argument("--quick", action="store_true", help="tiny models, 1 article: a smoke test, not a measurement")
    args = parser.parse_args()
    bytecode_compiled()
    os.environ["TARJAMA_BENCH_FORCE_LENGTH_RATIO"] = str(FORCE_RATIO)

    every = sorted(args.articles.glob("*.ar.txt"))
    count = 1 if args.quick else min(args.articles_count, len(every))
    files = every[:: max(1, len(every) // count)][:count]  # spread over the sources, not the first outlet's
    folder = fresh_copy(files, args.work / "shapes-input")
    lines = lambda paths: sum(1 for p in paths for line in p.read_text(encoding="utf-8").splitlines() if line.strip())  # noqa: E731
    chars = lambda paths: sum(len(p.read_text(encoding="utf-8")) for p in paths) / len(paths)  # noqa: E731
    # Articles per minute of an average NTREX article: the chosen ones' rate, scaled by length.
    scale = chars(files) / chars(every)
    results = {shape: measure_shape(shape, folder, args.work, args.text or [args.articles.parent], args.quick)
               for shape in ("base", "big")}

    print(f"{len(files)} articles, {lines(files) / len(files):.1f} paragraphs each (all {len(every)}: "
          f"{lines(every) / len(every):.1f}; articles per minute scaled to the average length, × {scale:.2f}); beam 4, generated tokens forced to {FORCE_RATIO} × source tokens; {machine()}\n")
    print("| shape | approach | wall s | generated tokens/s | average articles per minute | peak RSS MB | model load s | vs naive |")
    print("|---|---|---|---|---|---|---|---|")
    for shape, rows in results.items():
        naive_wall = rows["naive"][0]
        for name, (wall, rss, tokens, load) in rows.items():
            print(f"| {shape} | {name} | {wall:.1f} | {tokens / wall:.0f} | {len(files) / wall * 60 * scale:.1f} | {rss:.0f} | "
                  f"{load:.1f} | {naive_wall / wall:.1f}× |")
    base, big = results["base"]["CTranslate2 int8"], results["big"]["CTranslate2 int8"]
    print(f"\nbig / base, CTranslate2 int8: {big[0] / base[0]:.1f}× the time, {big[1] / base[1]:.1f}× the memory")
    if args.quick:
        print("(quick mode: tiny models for both shapes, a smoke test; the figures above are not a measurement)")


if __name__ == "__main__":
    main()
