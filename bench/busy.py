"""A busy machine: each backend's throughput with one competing CPU-bound process, against quiet.

Users run Tarjama next to other work. With torch's default (one batch on every core), OpenMP
threads wait for each other, and when another process holds one of the cores the waits become
the run. This script translates the same articles quiet and then with a competing process
(a Python busy loop it starts and stops itself, one core's worth), on a model of the real
opus-mt-ar-en shape with random weights (bench/throughput.py builds it), and reports the drop:

1. transformers, one batch on every core (`transformers.inter_threads=1, intra_threads=0`: torch's default);
2. transformers, Tarjama's default: two batches side by side, one thread each (`inter_threads=2, intra_threads=1`);
3. CTranslate2 int8, Tarjama's default (`ctranslate2.inter_threads=2, intra_threads=1`);
4. CTranslate2 int8, one batch on every core (`inter_threads=1, intra_threads=0`).

Throughput is generated tokens per second of the translate stage (`_batch.json` timings: the
decoding, not imports or model loading). Aim (issue 19): Tarjama's defaults drop at most 2.5×.

    python bench/busy.py ../shared/data/ntrex-dev/articles --text ../shared/data/ntrex-dev ../shared/data/parallel
    python bench/busy.py tests/data/ntrex-dev/articles --quick     # a smoke test: 2 articles, a tiny model
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import bytecode_compiled, fresh_copy, machine, random_model_parser  # noqa: E402
from bench.throughput import random_model, run_measured, tarjama  # noqa: E402

DROP_AIM = 2.5
CONFIGURATIONS = {
    "1. transformers, one batch on every core": ("transformers", {"transformers.inter_threads": 1, "transformers.intra_threads": 0}),
    "2. transformers, Tarjama's default (2 batches × 1 thread)": ("transformers", {}),
    "3. CTranslate2 int8, Tarjama's default (2 batches × 1 thread)": ("ctranslate2", {}),
    "4. CTranslate2 int8, one batch on every core": ("ctranslate2", {"ctranslate2.inter_threads": 1, "ctranslate2.intra_threads": 0}),
}
DEFAULTS = ("2. transformers, Tarjama's default (2 batches × 1 thread)", "3. CTranslate2 int8, Tarjama's default (2 batches × 1 thread)")
BUSY_LOOP = "while True: pass"


def translate(folder: Path, out: Path, model: Path, backend: str, settings: dict) -> tuple[float, int]:
    """(translate-stage seconds, generated tokens) of one fresh run."""
    shutil.rmtree(out, ignore_errors=True)
    extra = [item for key, value in settings.items() for item in ("--set", f"{key}={value}")]
    # tarjama() pins ctranslate2's threads to the defaults: these come after, so they win
    run_measured(tarjama(folder, out, "--model", str(model), "--backend", backend, "--no-cache", "--force",
                         "--set", "review.glossary=null", *extra))
    report = json.loads((out / "_batch.json").read_text(encoding="utf-8"))
    return report["timings"]["translate"], report["translation"]["generated_tokens"]


def main() -> None:
    parser = random_model_parser(__doc__)
    parser.add_argument("--articles-count", type=int, default=12, help="how many articles (the first, by name)")
    parser.add_argument("--quick", action="store_true", help="2 articles on a tiny model: a smoke test, not a measurement")
    args = parser.parse_args()
    bytecode_compiled()
    os.environ["TARJAMA_BENCH_FORCE_LENGTH_RATIO"] = "1.1"  # as bench/throughput.py: the same tokens every run
    model_dir, ct2_dir = random_model(args.work, args.text or [args.articles.parent], tiny=args.quick)
    files = sorted(args.articles.glob("*.ar.txt"))[: 2 if args.quick else args.articles_count]
    folder = fresh_copy(files, args.work / "busy-input")

    rows = {}
    for name, (backend, settings) in CONFIGURATIONS.items():
        model = ct2_dir if backend == "ctranslate2" else model_dir
        quiet = translate(folder, args.work / "busy-out", model, backend, settings)
        competitor = subprocess.Popen([sys.executable, "-c", BUSY_LOOP])
        try:
            busy = translate(folder, args.work / "busy-out", model, backend, settings)
        finally:
            competitor.kill()
            competitor.wait()
        rows[name] = (quiet[1] / quiet[0], busy[1] / busy[0])

    print(f"{len(files)} articles; beam 4, generated tokens forced to 1.1 × source tokens; "
          f"one competing busy loop on {os.cpu_count()} cores; {machine()}\n")
    print("| configuration | quiet tokens/s | busy tokens/s | drop |")
    print("|---|---|---|---|")
    for name, (quiet, busy) in rows.items():
        print(f"| {name} | {quiet:.0f} | {busy:.0f} | {quiet / busy:.1f}× |")
    checks = [(f"{name.split(',')[0][3:]} drops ≤ {DROP_AIM}×", rows[name][0] / rows[name][1] <= DROP_AIM) for name in DEFAULTS]
    print("\naims: " + "; ".join(f"{name} {'met' if ok else 'NOT met'}" for name, ok in checks))
    if args.quick:
        print("(quick mode: a tiny model and 2 articles, a smoke test; the figures above are not a measurement)")


if __name__ == "__main__":
    main()
