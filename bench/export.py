"""Export speed: what writing an article costs once its English is back (issue 19).

Per NTREX-128 article (99 news articles, Arabic with the human English, paragraph per line), the
English already there — no model: each paragraph's English sentences are dealt out over its
translation units in order, as a model's would come back. Then, as `batch.py` does per article:

1. align + checks: `Stages.finish` (house style, align, the review checks with the glossary) and
   the consistency check against the articles before it;
2. JSON: the article record (`ArticleRecord.to_dict`, `dumps`), with the DOCX's sha256 and row hashes;
3. DOCX: the review document (`build_docx`).

Two cases: (a) the articles as they are (the checks' own flags), (b) the worst case: every
paragraph also flagged with a warning quoting its Arabic, so every row is shaded and carries a
Word comment. Files are built in memory, not written (the disk is not the writer's cost). Each
pass (default 3) and case runs in a process of its own, as a batch would: the sample article is
written first, so that what is loaded or compiled once per process is not counted, and then the
99 articles in order — an article never meets itself in what a process keeps (compiled
patterns, words already seen). Each article's best pass counts. Prints the mean and median ms
per article of each part and the total against the aim (≤ 15 ms).

    python bench/export.py ../shared/data/ntrex-dev/articles
    python bench/export.py tests/data/ntrex-dev/articles --passes 1     # a smoke test
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import deal, human_english, machine  # noqa: E402

AIM_MS = 15.0
DEFAULT_GLOSSARY = ROOT / "tests" / "data" / "ntrex-glossary.yaml"
SAMPLE = ROOT / "models" / "fixture-data"  # written first in each process: the sample article
PARTS = ("align + checks", "JSON", "DOCX")


def load_articles(folder: Path, stages) -> list:
    """The articles, prepared (read, segmented) and given their human English, unit by unit."""
    documents = []
    for arabic_file in sorted(folder.glob("*.ar.txt")):
        english = human_english(arabic_file)
        document = stages.prepare(arabic_file, arabic_file.name) if english is not None else None
        if document is None or len(english) != len(document.paragraphs):
            continue
        for paragraph, target in zip(document.paragraphs, english):
            for unit, share in zip(paragraph.sentences, deal(target, len(paragraph.sentences))):
                unit.target, unit.score, unit.origin = share, -0.3, "model"
        documents.append(document)
    return documents


def flag_every_paragraph(document) -> None:
    """The worst case: a warning on every paragraph, quoting its Arabic (a Word comment each)."""
    from pipeline.model import Flag

    for paragraph in document.paragraphs:
        word = paragraph.source.split()[0] if paragraph.source.split() else paragraph.source
        paragraph.flags.append(Flag("number_changed", "warning", f"«{word}» in the Arabic but not in the English",
                                    {"bench": True}))
        if paragraph.status == "ok":
            paragraph.status = "needs_review"


def measure(documents: list, settings, run_info, worst: bool) -> dict[str, list[float]]:
    """Per part, each article's time (ms), in this process, after the sample article."""
    from pipeline.consistency import ConsistencyIndex
    from pipeline.export.docx import DocxOptions, build_docx
    from pipeline.export.record import ArticleRecord, dumps
    from pipeline.roundtrip import docx_rows
    from pipeline.stages import Stages

    options = DocxOptions.from_settings(settings.document)
    times = {part: [] for part in PARTS}
    stages = Stages(settings)
    consistency = ConsistencyIndex()
    for document in documents:
        started = time.perf_counter()
        stages.finish(document)
        consistency.check(document)
        checked = time.perf_counter()
        if worst:
            flag_every_paragraph(document)
        marked = time.perf_counter()
        data = build_docx(document, run_info, options)
        built = time.perf_counter()
        record = ArticleRecord(document, run_info, run_info.created, "0" * 64, None,
                               hashlib.sha256(data).hexdigest(), [], docx_rows(document, run_info.created, None))
        dumps(record.to_dict()).encode("utf-8")
        done = time.perf_counter()
        for part, seconds in zip(PARTS, (checked - started, done - built, built - marked)):
            times[part].append(seconds * 1000)
    return times


def child(args) -> None:
    """One pass of one case, in this process: prints each article's times as JSON."""
    from pipeline import __version__
    from pipeline.config import load_settings
    from pipeline.export.record import RunInfo
    from pipeline.stages import Stages

    settings = load_settings(args.config, [f"review.glossary={args.glossary}"])
    run_info = RunInfo("human translation (NTREX-128)", "sha256:" + "0" * 64, "human", {"num_beams": 4},
                       {"tarjama_version": __version__}, created="2026-11-29T12:00:00Z")
    stages = Stages(settings)
    documents = load_articles(args.articles, stages)
    warm_up = load_articles(SAMPLE, stages)
    measure(warm_up, settings, run_info, args.child == "b")
    print(json.dumps({"articles": len(documents), "paragraphs": sum(len(d.paragraphs) for d in documents),
                      "times": measure(documents, settings, run_info, args.child == "b")}))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("articles", type=Path, help="folder of *.ar.txt articles with *.en.txt beside them "
                                                    "(NTREX: ntrex-dev/articles)")
    parser.add_argument("--glossary", type=Path, default=DEFAULT_GLOSSARY, help="terms for the glossary check")
    parser.add_argument("--config", type=Path, default=ROOT / "config.yaml")
    parser.add_argument("--passes", type=int, default=3, help="passes over the articles; each article's best counts")
    parser.add_argument("--child", choices=("a", "b"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return 0

    print_header = True
    verdicts = []
    for case, code in (("(a) as they are", "a"), ("(b) every paragraph flagged", "b")):
        passes = []
        for _ in range(args.passes):
            result = subprocess.run([sys.executable, __file__, str(args.articles), "--glossary", str(args.glossary),
                                     "--config", str(args.config), "--child", code], capture_output=True, text=True)
            if result.returncode != 0:
                raise SystemExit(result.stderr[-3000:])
            passes.append(json.loads(result.stdout.splitlines()[-1]))
        if not passes[0]["articles"]:
            raise SystemExit(f"{args.articles}: no *.ar.txt with an *.en.txt beside it")
        if print_header:
            count, paragraphs = passes[0]["articles"], passes[0]["paragraphs"]
            print(f"{count} articles, {paragraphs} paragraphs ({paragraphs / count:.1f} per article); best of "
                  f"{args.passes} pass(es) per article, each pass and case a process of its own; {machine()}\n")
            print("| case | part | mean ms/article | median ms/article |")
            print("|---|---|---|---|")
            print_header = False
        best = {part: [min(run["times"][part][n] for run in passes) for n in range(count)] for part in PARTS}
        totals = [sum(best[part][n] for part in PARTS) for n in range(count)]
        for part in PARTS:
            print(f"| {case} | {part} | {statistics.mean(best[part]):.2f} | {statistics.median(best[part]):.2f} |")
        mean = statistics.mean(totals)
        print(f"| {case} | **total** | **{mean:.2f}** | **{statistics.median(totals):.2f}** |")
        verdicts.append(f"{case}: mean {mean:.1f} ms ≤ {AIM_MS:g} ms {'met' if mean <= AIM_MS else 'NOT met'}")
    print("\naim: " + "; ".join(verdicts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
