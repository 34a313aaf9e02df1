"""Fuzzy-match lookup time against a memory of N paragraph entries (pipeline/fuzzy.py).

The memory is built from NTREX-128 news (tests/data/ntrex-dev): each entry one Arabic sentence,
or two joined as a paragraph, with a serial number appended so that every entry is distinct
(which also makes the numbers-only path find a match for an unchanged sentence, as it would for
a dated repeat of a story). The queries are the first 200 sentences of the same data with one
word dropped, so most have a match near 90%. Each query is timed through `FuzzyIndex.best`, and
the same queries are checked against a brute-force rapidfuzz scan of every entry (same best
score, or both nothing above the threshold).

    python bench/fuzzy_lookup.py tests/data/ntrex-dev --entries 50000
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.fuzzy import FuzzyIndex  # noqa: E402
from pipeline.text.arabic import normalize_for_model  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data", type=Path, help="an NTREX folder with ntrex.dev.ar and ntrex.dev.en")
    parser.add_argument("--entries", type=int, default=50_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--threshold", type=float, default=0.75)
    parser.add_argument("--brute-force", type=int, default=20, help="queries also checked by a full scan")
    args = parser.parse_args()
    from rapidfuzz import fuzz

    arabic = (args.data / "ntrex.dev.ar").read_text(encoding="utf-8").splitlines()
    english = (args.data / "ntrex.dev.en").read_text(encoding="utf-8").splitlines()
    rng = random.Random(1)
    entries = []
    while len(entries) < args.entries:
        i, j = rng.randrange(len(arabic)), rng.randrange(len(arabic))
        source = arabic[i] if rng.random() < 0.5 else f"{arabic[i]} {arabic[j]}"
        entries.append((normalize_for_model(f"{source} {len(entries)}"), english[i], "human"))
    started = time.perf_counter()
    index = FuzzyIndex(entries, args.threshold)
    built = time.perf_counter() - started
    queries = []
    for sentence in arabic[:args.queries]:
        words = sentence.split()
        del words[rng.randrange(len(words))]
        queries.append(normalize_for_model(" ".join(words)))
    started = time.perf_counter()
    found = [index.best(query) for query in queries]
    took = time.perf_counter() - started
    for query, match in list(zip(queries, found))[:args.brute_force]:
        if match is not None and match.numbers:
            continue  # differing only in numbers: offered whatever its score
        brute = max(fuzz.ratio(query, source) for source, _, _ in entries)
        expected = brute if brute >= args.threshold * 100 else None
        assert (match.score if match else None) == expected, (query, match, expected)
    hits = sum(1 for match in found if match)
    print(f"| {args.entries:,} entries | index built in {built:.2f} s | {len(queries)} lookups in {took:.2f} s | "
          f"{1000 * took / len(queries):.1f} ms per paragraph | {hits} matched at ≥ {args.threshold:.0%} | "
          f"{min(args.brute_force, len(queries))} checked against a full scan |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
