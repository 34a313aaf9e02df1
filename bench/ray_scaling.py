"""Ray scale-out on one machine: the same folder locally, and on local Ray with 1 and 2 workers.

On 2 cores this shows Ray's overhead more than a speed-up: two workers share the two cores one
local process already uses (CTranslate2 with two batches in flight). Run it on a cluster to see
the scale-out. The model is the random-weight model of the real opus-mt-ar-en shape (built by
bench/build_random_model.py, converted to CTranslate2 int8), beam 4, output length forced to
1.1 × the source (random weights would otherwise stop at arbitrary lengths).

    python bench/ray_scaling.py ../shared/data/ntrex-dev/articles --work /tmp/tarjama-bench-full
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import fresh_copy  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("articles", type=Path, help="folder of *.ar.txt articles")
    parser.add_argument("--work", type=Path, default=Path("/tmp/tarjama-bench"),
                        help="scratch folder holding the random model (bench/throughput.py builds it)")
    parser.add_argument("--quick", action="store_true", help="the 5 shortest articles: a smoke test")
    args = parser.parse_args()
    ct2 = args.work / "opus-mt-ar-en-random-ct2-int8"
    if not (ct2 / "model.bin").is_file():
        raise SystemExit(f"{ct2}: run bench/throughput.py first (it builds and converts the random model)")
    files = sorted(args.articles.glob("*.ar.txt"))
    if args.quick:
        files = sorted(sorted(files, key=lambda p: p.stat().st_size)[:5])
    folder = fresh_copy(files, args.work / "ray-input")
    common = ["--model", str(ct2), "--backend", "ctranslate2", "--no-cache", "--force", "-q",
              "--set", "translation.num_beams=4"]
    os.environ["TARJAMA_BENCH_FORCE_LENGTH_RATIO"] = "1.1"  # every child: exactly 1.1 × the source tokens
    runs = {
        "local process (CTranslate2, 2 batches in flight)": ["--executor", "local"],
        "Ray, 1 worker (2 CPUs)": ["--executor", "ray", "--set", "executor.actors=1", "--set", "executor.cpus_per_actor=2"],
        "Ray, 2 workers (1 CPU each)": ["--executor", "ray", "--set", "executor.actors=2", "--set", "executor.cpus_per_actor=1"],
    }
    rows = []
    for name, extra in runs.items():
        out = args.work / "ray-out" / name.split(",")[0].replace(" ", "-")
        shutil.rmtree(out, ignore_errors=True)
        started = time.perf_counter()
        result = subprocess.run([sys.executable, "-m", "pipeline", "translate", str(folder), "-o", str(out), *common, *extra],
                                capture_output=True, text=True, cwd=ROOT, env={**os.environ})
        wall = time.perf_counter() - started
        if result.returncode != 0:
            raise SystemExit(f"{name} failed:\n{result.stderr[-2000:]}")
        report = json.loads((out / "_batch.json").read_text(encoding="utf-8"))
        workers = report.get("workers", {}).get("workers", [])
        rows.append((name, wall, report["translation"]["units"], report["translation"]["generated_tokens"],
                     ", ".join(f"{w['items']} items / {w['seconds']:.0f} s" for w in workers) or "—"))
    local = rows[0][1]
    print(f"{len(files)} articles; {os.cpu_count()} CPU cores\n")
    print("| run | wall s | sentences/s | generated tokens/s | vs local | per worker (items / busy s) |")
    print("|---|---|---|---|---|---|")
    for name, wall, units, tokens, workers in rows:
        print(f"| {name} | {wall:.1f} | {units / wall:.1f} | {tokens / wall:.0f} | {local / wall:.2f}× | {workers} |")


if __name__ == "__main__":
    main()
