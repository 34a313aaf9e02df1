"""The `dialect` check measured on the held-out part of the data (issue 20).

On the documents `models/build_dialect.py` did not train on (`part(docid) == "held-out"`):

1. per spoken variety of FLORES-200 (half of devtest), the share of sentences flagged;
2. false alarms: the share of NTREX-128 MSA news sentences and of FLORES MSA sentences flagged;
3. mixed: NTREX news paragraphs (held-out articles, body paragraphs) with a spoken-variety
   sentence quoted in them («وقال أحد السكان: "…"», a FLORES sentence of the held-out part,
   the six varieties in turn), the share flagged;
4. clean paragraphs: the share of every NTREX paragraph the check flags (what it adds to the
   clean-paragraph warning rate of bench/checks.py).

Each figure is marked against its aim. A sentence is judged as the check judges a paragraph.

    python bench/dialect.py ../shared/data/dialects ../shared/data/ntrex-dev
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from models.build_dialect import SPOKEN_CODES, load_flores, load_ntrex, part  # noqa: E402
from pipeline.checks.dialect import DialectParams, dialect  # noqa: E402
from pipeline.model import Paragraph  # noqa: E402
from pipeline.segment import assign_kinds  # noqa: E402

VARIETY_NAMES = {"arz": "Egyptian", "apc": "North Levantine", "ajp": "South Levantine", "acm": "Iraqi",
                 "aeb": "Tunisian", "ary": "Moroccan", "ars": "Najdi (no aim)"}
SPOKEN_AIM = 0.85
NEWS_AIM = 0.02
FLORES_MSA_AIM = 0.05
MIXED_AIM = 0.90
CLEAN_ADDED_AIM = 0.005
SEED = 20
ATTRIBUTIONS = ("وقال أحد السكان", "وقالت إحدى المشاركات", "وأضاف شاهد عيان", "وقال مواطن للصحيفة")


def flagged(text: str, params: DialectParams = DialectParams()) -> bool:
    return bool(dialect(Paragraph("p0001", 1, text), params))


@dataclass
class Results:
    spoken: dict[str, tuple[int, int]] = field(default_factory=dict)  # code → (flagged, sentences)
    news: tuple[int, int] = (0, 0)
    flores_msa: tuple[int, int] = (0, 0)
    mixed: tuple[int, int] = (0, 0)
    clean_paragraphs: tuple[int, int] = (0, 0)
    seconds: float = 0.0
    sentences_judged: int = 0

    @staticmethod
    def rate(pair: tuple[int, int]) -> float:
        return pair[0] / pair[1] if pair[1] else 0.0


def _count(texts: list[str]) -> tuple[int, int]:
    return sum(flagged(t) for t in texts), len(texts)


def news_paragraphs(ntrex: Path, which: str | None) -> list[Paragraph]:
    """Every NTREX paragraph (kind assigned) of the articles in `which` part (None: all)."""
    paragraphs = []
    for path in sorted((ntrex / "articles").glob("*.ar.txt")):
        if which is not None and part(path.name[: -len(".ar.txt")]) != which:
            continue
        article = [Paragraph(f"p{i:04d}", i, line) for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)]
        assign_kinds(article)
        paragraphs.extend(article)
    return paragraphs


def mixed_paragraphs(ntrex: Path, quotes: list[str], seed: int = SEED) -> list[str]:
    """Held-out NTREX body paragraphs, each with one spoken sentence quoted at its end."""
    rng = random.Random(seed)
    bodies = [p.source for p in news_paragraphs(ntrex, "held-out") if p.kind == "body"]
    return [f"{body} {rng.choice(ATTRIBUTIONS)}: \"{quotes[i % len(quotes)]}\""
            for i, body in enumerate(bodies)]


def measure(dialects: Path, ntrex: Path, which: str = "held-out") -> Results:
    results = Results()
    docids, lines = load_flores(dialects)
    rows = [i for i, d in enumerate(docids) if part(d) == which]
    started = time.perf_counter()
    for code in (*SPOKEN_CODES, "ars"):
        results.spoken[code] = _count([lines[code][i] for i in rows])
    results.flores_msa = _count([lines["arb"][i] for i in rows])
    results.news = _count([s for d, s in load_ntrex(ntrex) if part(d) == which])
    quotes = [lines[code][i] for i in rows for code in SPOKEN_CODES]
    random.Random(SEED).shuffle(quotes)
    results.mixed = _count(mixed_paragraphs(ntrex, quotes))
    results.sentences_judged = sum(n for _, n in results.spoken.values()) + results.flores_msa[1] + results.news[1]
    results.seconds = time.perf_counter() - started
    paragraphs = news_paragraphs(ntrex, None)
    results.clean_paragraphs = (sum(bool(dialect(p, DialectParams())) for p in paragraphs), len(paragraphs))
    return results


def _mark(ok: bool) -> str:
    return "met" if ok else "NOT met"


def table(results: Results) -> str:
    rate = Results.rate
    rows = ["| set | flagged | of | share | aim |", "|---|---|---|---|---|"]
    for code, pair in results.spoken.items():
        aim = "—" if code == "ars" else f"≥ {SPOKEN_AIM:.0%}: {_mark(rate(pair) >= SPOKEN_AIM)}"
        rows.append(f"| {VARIETY_NAMES[code]} (`{code}`) | {pair[0]} | {pair[1]} | {rate(pair):.1%} | {aim} |")
    rows.append(f"| MSA news sentences (NTREX) | {results.news[0]} | {results.news[1]} | {rate(results.news):.1%} | "
                f"≤ {NEWS_AIM:.0%}: {_mark(rate(results.news) <= NEWS_AIM)} |")
    rows.append(f"| FLORES MSA sentences (`arb`) | {results.flores_msa[0]} | {results.flores_msa[1]} | "
                f"{rate(results.flores_msa):.1%} | ≤ {FLORES_MSA_AIM:.0%}: {_mark(rate(results.flores_msa) <= FLORES_MSA_AIM)} |")
    rows.append(f"| news paragraphs with a spoken quotation | {results.mixed[0]} | {results.mixed[1]} | "
                f"{rate(results.mixed):.1%} | ≥ {MIXED_AIM:.0%}: {_mark(rate(results.mixed) >= MIXED_AIM)} |")
    rows.append(f"| all NTREX paragraphs (clean) | {results.clean_paragraphs[0]} | {results.clean_paragraphs[1]} | "
                f"{rate(results.clean_paragraphs):.1%} | adds ≤ {CLEAN_ADDED_AIM:.1%} to the warning rate: "
                f"{_mark(rate(results.clean_paragraphs) <= CLEAN_ADDED_AIM)} (upper bound) |")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dialects", type=Path, help="the dialects folder (flores200.dev-half.*)")
    parser.add_argument("ntrex", type=Path, help="the ntrex-dev folder")
    parser.add_argument("--part", choices=("held-out", "train"), default="held-out",
                        help="which part of the document split to measure (default: held-out)")
    args = parser.parse_args()
    results = measure(args.dialects, args.ntrex, args.part)
    print(f"dialect check on the {args.part} documents (split: models/build_dialect.py part())\n")
    print(table(results))
    print(f"\n{results.sentences_judged} sentences judged in {results.seconds:.1f} s "
          f"({results.sentences_judged / results.seconds:.0f} sentences/s, one core)")


if __name__ == "__main__":
    main()
