"""Stopping a run: how long `tarjama translate` takes to end after Ctrl-C / SIGTERM, against the old way.

Desk staff stop long runs (Ctrl-C), and service managers do (`docker stop` sends SIGTERM and kills
after 10 s; systemd after 90 s). A run is stopped `--after` seconds into its translation (its
memory file exists and the first chunk has been decoding for that long) with SIGTERM to its
process group, as a service manager sends it, and timed from the signal to the process's exit —
the articles done written, the run report written, exit code 130 — two ways, in turns, on a
model of the real opus-mt-ar-en shape with random weights (bench/build_random_model.py; beam 4,
output forced to 1.1 × the source tokens, as bench/throughput.py does):

1. the old way: the stop heard between work items only — the executor does not pass it to the
   backend, so the chunk in flight (256 sentences or a few more) and the one queued behind it
   are translated first (Tarjama before this change);
2. Tarjama: the transformers backend gives up the batches not started and ends the running ones
   at their next decoding step; the finished batches' English is kept in the memory.

Each way runs `--pairs` times (2), interleaved; the median of each is compared, as a ratio.
Also reported: the sentences in the memory after the stop (work kept for the next run).

    python bench/stop.py ../shared/data/ntrex-dev/articles --text ../shared/data/ntrex-dev ../shared/data/parallel
    python bench/stop.py tests/data/ntrex-dev/articles --quick     # a smoke test: a tiny model
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import bytecode_compiled, fresh_copy, machine, random_model_parser  # noqa: E402
from bench.throughput import FORCE_RATIO, random_model, tarjama  # noqa: E402
from pipeline.translate.base import FORCE_LENGTH_ENV  # noqa: E402

# The old way: the same command, with the executor handing the backend no stop request.
OLD_WAY = ("import sys\n"
           "import pipeline.translate.executors as executors\n"
           "from pipeline.translate import base\n"
           "executors.submit = lambda model, texts, stop=None: base.submit(model, texts)\n"
           "from pipeline.cli import main\n"
           "sys.argv[0] = 'tarjama'\n"
           "sys.exit(main())\n")
WAYS = ("1. the old way (stop heard between chunks)", "2. Tarjama (work in flight given up)")


def stopped_run(command: list[str], out: Path, after: float) -> tuple[float, int, int]:
    """(seconds from SIGTERM to exit, exit code, sentences in the memory) of one run stopped
    `after` seconds into its translation."""
    env = {**os.environ, FORCE_LENGTH_ENV: str(FORCE_RATIO)}
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                               env=env, start_new_session=True, cwd=ROOT)
    memory = out / ".tarjama" / "memory.sqlite"
    deadline = time.monotonic() + 600
    while not memory.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"the run ended before it started translating:\n{process.stderr.read().decode()[-2000:]}")
        time.sleep(0.05)
    time.sleep(after)
    if process.poll() is not None:
        raise SystemExit(f"the run finished before the stop ({after} s): give fewer seconds or more articles")
    os.killpg(process.pid, signal.SIGTERM)
    signalled = time.perf_counter()
    process.wait(timeout=3600)
    seconds = time.perf_counter() - signalled
    stderr = process.stderr.read().decode()
    if process.returncode != 130 or "Traceback" in stderr or not (out / "_batch.json").is_file():
        raise SystemExit(f"the run did not stop cleanly (exit {process.returncode}):\n{stderr[-2000:]}")
    with sqlite3.connect(memory) as db:
        kept = db.execute("SELECT COUNT(*) FROM translations WHERE level = 'unit'").fetchone()[0]
    return seconds, process.returncode, kept


def main() -> None:
    parser = random_model_parser(__doc__)
    parser.add_argument("--after", type=float, default=30.0, help="seconds of translation before the stop (30)")
    parser.add_argument("--pairs", type=int, default=2, help="runs of each way, interleaved (2)")
    parser.add_argument("--quick", action="store_true", help="a tiny model stopped at once, one pair: a smoke test")
    args = parser.parse_args()
    if args.quick:
        args.after, args.pairs = 0.0, 1
    bytecode_compiled()
    work = args.work / "stop"
    model_dir, _ = random_model(args.work, args.text or [args.articles.parent], tiny=args.quick)
    articles = sorted(args.articles.glob("*.ar.txt"))
    folder = fresh_copy(articles, work / "articles")
    results: dict[str, list[tuple[float, int, int]]] = {way: [] for way in WAYS}
    for _ in range(args.pairs):
        for way in WAYS:
            out = work / "out"
            command = tarjama(folder, out, "--model", str(model_dir))  # a fresh memory each run: what the stop keeps
            if way == WAYS[0]:
                command = [sys.executable, "-c", OLD_WAY, *command[3:]]
            shutil.rmtree(out, ignore_errors=True)
            results[way].append(stopped_run(command, out, args.after))
    print(f"# Stopping a run (SIGTERM {args.after:g} s into the translation) — {machine()}")
    print(f"{len(articles)} articles, {'a tiny random model' if args.quick else 'the opus-mt-ar-en shape, random weights'}, "
          f"beam 4, output forced to {FORCE_RATIO} × the source tokens; median of {args.pairs} run(s) each, interleaved\n")
    print("| way | seconds from the signal to exit | sentences kept in the memory |")
    print("|---|---|---|")
    medians = {}
    for way, runs in results.items():
        medians[way] = statistics.median(seconds for seconds, _, _ in runs)
        print(f"| {way} | {medians[way]:.1f} ({', '.join(f'{s:.1f}' for s, _, _ in runs)}) | "
              f"{statistics.median(kept for _, _, kept in runs):.0f} |")
    print(f"\nTarjama stops {medians[WAYS[0]] / max(medians[WAYS[1]], 1e-9):.1f}× sooner than the old way.")
    print(json.dumps({"after": args.after, "ways": {way: runs for way, runs in results.items()}}))


if __name__ == "__main__":
    main()
