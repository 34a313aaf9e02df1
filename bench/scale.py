"""10,000 articles: does anything grow with the size of a batch?

Articles are made from the NTREX dev articles: article k is article k mod 99 with one
paragraph changed («في عام 1234، …» in front of it, a number of its own), so each article has
one sentence the memory has never seen and the rest it has. The memory starts warm with the 99
originals (a first run, not timed), as a newsroom's memory is; the model is the project's
fixture MarianMT (models/fixture-ar-en) on CTranslate2 int8, greedy-cheap: this measures the
pipeline around the model, not the model.

For 100, 1,000 and 10,000 articles, each a fresh output folder with the warm memory:
1. the batch: seconds per article, peak RSS;
2. the same folder again with `--force`: every sentence from the memory (the memory-only path);
3. the same folder again, plain: every article skipped as unchanged (aim: 10,000 in ≤ 10 s);
and at 10,000: the memory database's size, the run report's size and the time to write it.
Aims (issue 19): seconds per article flat (10,000 within 1.25× of 100), peak RSS flat and ≤ 1 GB.

    python bench/scale.py ../shared/data/ntrex-dev/articles
    python bench/scale.py tests/data/ntrex-dev/articles --counts 20 60 --quick   # a smoke test
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import bytecode_compiled, machine  # noqa: E402
from bench.throughput import run_measured  # noqa: E402
from pipeline.fsutil import atomic_write_text  # noqa: E402

FIXTURE = ROOT / "models" / "fixture-ar-en-ct2-int8"
FLAT_AIM, RSS_AIM_MB, SKIP_AIM_S = 1.25, 1024, 10.0


def make_articles(bases: list[Path], count: int, folder: Path) -> None:
    """`count` articles from the bases, each with one paragraph of its own."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    texts = [[line for line in base.read_text(encoding="utf-8").splitlines() if line.strip()] for base in bases]
    for k in range(count):
        paragraphs = list(texts[k % len(texts)])
        changed = (k // len(texts)) % len(paragraphs)
        paragraphs[changed] = f"في عام {1000 + k}، {paragraphs[changed]}"
        (folder / f"a{k:05d}.ar.txt").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")


def tarjama(folder: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "pipeline", "translate", str(folder), "-o", str(out), "-q",
            "--model", str(FIXTURE), "--backend", "ctranslate2", "--set", "review.glossary=null", *extra]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("articles", type=Path, help="folder of *.ar.txt articles (NTREX: ntrex-dev/articles)")
    parser.add_argument("--counts", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--work", type=Path, default=Path("/tmp/tarjama-scale"), help="scratch folder")
    parser.add_argument("--quick", action="store_true", help="a smoke test: the figures are not a measurement")
    args = parser.parse_args()
    bytecode_compiled()
    bases = sorted(args.articles.glob("*.ar.txt"))
    work = args.work
    work.mkdir(parents=True, exist_ok=True)

    # The warm memory: the originals translated once.
    warm = work / "warm"
    shutil.rmtree(warm, ignore_errors=True)
    originals = work / "originals"
    shutil.rmtree(originals, ignore_errors=True)
    originals.mkdir()
    for base in bases:
        shutil.copy(base, originals / base.name)
    run_measured(tarjama(originals, warm))
    memory = warm / ".tarjama" / "memory.sqlite"

    rows = {}
    for count in args.counts:
        folder, out = work / f"in-{count}", work / f"out-{count}"
        make_articles(bases, count, folder)
        shutil.rmtree(out, ignore_errors=True)
        (out / ".tarjama").mkdir(parents=True)
        shutil.copy(memory, out / ".tarjama" / "memory.sqlite")
        first = run_measured(tarjama(folder, out))
        report_path = out / "_batch.json"
        report_text = report_path.read_text(encoding="utf-8")  # the first run's: it has the inconsistencies
        report = json.loads(report_text)
        done = report["totals"]["done"]
        started = time.perf_counter()
        atomic_write_text(work / "_batch.copy.json", report_text)
        report_write = time.perf_counter() - started
        forced = run_measured(tarjama(folder, out, "--force"))
        skipped = run_measured(tarjama(folder, out))
        rows[count] = {"done": done, "first": first[:2], "forced": forced[:2], "skipped": skipped[:2],
                       "memory_mb": (out / ".tarjama" / "memory.sqlite").stat().st_size / 2**20,
                       "report_kb": len(report_text.encode("utf-8")) / 1024, "report_write_s": report_write,
                       "new_units": report["translation"]["memory"]["lookups"] - report["translation"]["memory"]["hits"]}

    print(f"articles made from {len(bases)} NTREX articles, one new sentence each; fixture model on CTranslate2 int8, "
          f"warm memory; {machine()}\n")
    print("| articles | done | new sentences | s per article | peak RSS MB | --force: s per article | peak RSS MB "
          "| re-run, all skipped: s | memory DB MB | _batch.json KB |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for count, row in rows.items():
        print(f"| {count:,} | {row['done']:,} | {row['new_units']:,} | {row['first'][0] / count:.3f} | {row['first'][1]:.0f} "
              f"| {row['forced'][0] / count:.3f} | {row['forced'][1]:.0f} | {row['skipped'][0]:.1f} "
              f"| {row['memory_mb']:.1f} | {row['report_kb']:.0f} |")
    small, large = rows[args.counts[0]], rows[args.counts[-1]]
    biggest = args.counts[-1]
    print(f"\nrun report at {biggest:,} articles: {large['report_kb']:.0f} KB, written in {large['report_write_s'] * 1000:.0f} ms")
    per = lambda row, key, count: row[key][0] / count  # noqa: E731
    checks = [
        (f"s per article at {biggest:,} ≤ {FLAT_AIM}× at {args.counts[0]:,}",
         per(large, "first", biggest) <= FLAT_AIM * per(small, "first", args.counts[0])),
        (f"--force s per article at {biggest:,} ≤ {FLAT_AIM}× at {args.counts[0]:,}",
         per(large, "forced", biggest) <= FLAT_AIM * per(small, "forced", args.counts[0])),
        (f"peak RSS ≤ {RSS_AIM_MB} MB", max(r[k][1] for r in rows.values() for k in ("first", "forced")) <= RSS_AIM_MB),
        (f"{biggest:,} unchanged articles skipped in ≤ {SKIP_AIM_S:.0f} s", large["skipped"][0] <= SKIP_AIM_S),
    ]
    print("aims: " + "; ".join(f"{name} {'met' if ok else 'NOT met'}" for name, ok in checks))
    if args.quick:
        print("(quick mode: a smoke test; the figures above are not a measurement)")


if __name__ == "__main__":
    main()
