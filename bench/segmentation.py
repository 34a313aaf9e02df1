"""Sentence-boundary accuracy on NTREX-128 news (issue: segmentation, measured on real articles).

Each line of `ntrex.dev.ar` is one gold sentence; `articles/<doc>.ar.txt` joins 1–3 of them
with a space per paragraph, so the gold boundaries inside every paragraph are known. Reports,
for Tarjama's splitter and for the naive split after [.!?؟] + space:

- precision: predicted boundaries that are gold boundaries;
- punctuated recall: gold boundaries after sentence-final punctuation (closing quotes and
  brackets allowed after it) that were found — the ones a text-based splitter can find;
- all-boundary recall: every gold boundary, including the ~7% after headline-like sentences
  that end without punctuation;
- exact paragraphs: share of paragraphs whose boundaries are all right and none extra.

    python bench/segmentation.py ../shared/data/ntrex-dev
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.config import SegmentationSettings  # noqa: E402
from pipeline.model import Document, Paragraph  # noqa: E402
from pipeline.segment import segment_document  # noqa: E402

Splitter = Callable[[list[str]], list[list[tuple[int, int]]]]  # an article's paragraphs → spans of each
_PUNCTUATED = re.compile(r"[.!?؟…][\"'”’»›)\]}]*$")


def naive_spans(text: str) -> list[tuple[int, int]]:
    """What most people write first: split after . ! ? ؟ followed by whitespace."""
    spans, start = [], 0
    for match in re.finditer(r"(?<=[.!?؟])\s+", text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def naive(paragraphs: list[str]) -> list[list[tuple[int, int]]]:
    return [naive_spans(text) for text in paragraphs]


def tarjama(paragraphs: list[str]) -> list[list[tuple[int, int]]]:
    """Tarjama's translation units, as the model gets them: paragraph kinds first (a headline stays
    whole), URLs and handles kept inside their sentence, the token budget estimated (no tokenizer)."""
    article = Document("bench", "bench", "", "txt", [Paragraph(f"p{i:04d}", i, text) for i, text in enumerate(paragraphs, 1)])
    segment_document(article, SegmentationSettings())
    return [[unit.source_span for unit in paragraph.sentences] for paragraph in article.paragraphs]


Gold = list[list[tuple[str, list[int], list[bool]]]]


def gold_articles(folder: Path) -> Gold:
    """Per article, per paragraph: (text, gold boundary offsets, whether each follows final punctuation)."""
    docids = (folder / "ntrex.dev.docids").read_text(encoding="utf-8").splitlines()
    sentences = (folder / "ntrex.dev.ar").read_text(encoding="utf-8").splitlines()
    by_doc: dict[str, list[str]] = {}
    for doc, sentence in zip(docids, sentences):
        by_doc.setdefault(doc, []).append(sentence)
    result = []
    for doc, doc_sentences in by_doc.items():
        article = []
        queue = list(doc_sentences)
        for paragraph in (folder / "articles" / f"{doc}.ar.txt").read_text(encoding="utf-8").splitlines():
            parts: list[str] = []
            while queue and " ".join(parts) != paragraph:
                parts.append(queue.pop(0))
            if " ".join(parts) != paragraph:
                raise ValueError(f"{doc}: paragraph does not match its gold sentences")
            offsets, punctuated, position = [], [], 0
            for part in parts[:-1]:
                position += len(part) + 1
                offsets.append(position)
                punctuated.append(bool(_PUNCTUATED.search(part.rstrip())))
            article.append((paragraph, offsets, punctuated))
        result.append(article)
    return result


@dataclass
class Scores:
    precision: float
    punctuated_recall: float
    all_recall: float
    exact_paragraphs: float
    predicted: int
    gold: int
    gold_punctuated: int
    false_splits: list[str]
    missed: list[str]


def evaluate(splitter: Splitter, data: Gold) -> Scores:
    true = predicted = gold = gold_punct = found_punct = exact = paragraphs = 0
    false_splits, missed = [], []
    for article in data:
        predictions = splitter([text for text, _, _ in article])
        for (paragraph, offsets, punctuated), spans in zip(article, predictions):
            paragraphs += 1
            starts = {a for a, _ in spans} - {0}  # a boundary is where the next sentence starts
            gold_set = set(offsets)
            true += len(starts & gold_set)
            predicted += len(starts)
            gold += len(gold_set)
            gold_punct += sum(punctuated)
            found_punct += sum(1 for offset, p in zip(offsets, punctuated) if p and offset in starts)
            exact += starts == gold_set
            false_splits += [paragraph[max(0, s - 30):s + 10] for s in sorted(starts - gold_set)]
            missed += [paragraph[max(0, s - 30):s + 10] for s, p in zip(offsets, punctuated) if p and s not in starts]
    return Scores(true / predicted if predicted else 1.0, found_punct / gold_punct if gold_punct else 1.0,
                  true / gold if gold else 1.0, exact / paragraphs, predicted, gold, gold_punct, false_splits, missed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data", type=Path, help="the ntrex-dev folder (ntrex.dev.ar, ntrex.dev.docids, articles/)")
    parser.add_argument("--show-errors", action="store_true", help="print Tarjama's false and missed boundaries")
    args = parser.parse_args()
    data = gold_articles(args.data)
    paragraphs = [paragraph for article in data for paragraph in article]
    gold = sum(len(o) for _, o, _ in paragraphs)
    punct = sum(sum(p) for _, _, p in paragraphs)
    print(f"{len(data)} articles, {len(paragraphs)} paragraphs, {gold} gold boundaries inside them, {punct} after sentence-final punctuation "
          f"({gold - punct} after unpunctuated headline-like sentences)\n")
    print("| splitter | precision | punctuated recall | all-boundary recall | exact paragraphs |")
    print("|---|---|---|---|---|")
    for name, splitter in (("naive split after [.!?؟] + space", naive), ("Tarjama", tarjama)):
        s = evaluate(splitter, data)
        print(f"| {name} | {s.precision:.4f} | {s.punctuated_recall:.4f} | {s.all_recall:.4f} | {s.exact_paragraphs:.4f} |")
    if args.show_errors:
        s = evaluate(tarjama, data)
        print("\nfalse splits:", *s.false_splits, sep="\n  ")
        print("\nmissed punctuated boundaries:", *s.missed, sep="\n  ")


if __name__ == "__main__":
    main()
