"""The training pairs of the fixture model, collected from files committed in models/fixture-data/.

- `karabakh-talks.ar.txt` (the sample article of input/) with `karabakh-talks.en.txt`, our own
  English, one line per translation unit in order. The units are cut by Tarjama's own
  segmenter and normalised as the pipeline normalises model input, so the fixture knows
  exactly what the pipeline will send it for this article.
- `variants.tsv`: a second English for a unit of the article, learned as the model's
  second-best (build_fixture.py), e.g. the name spelled the glossary's way.
- `tatoeba.tsv`: short conversational pairs selected once from the Tatoeba test set / Anki
  export (CC BY 2.0 FR) by `select_tatoeba` below: every 55th pair of ../shared/data/parallel,
  plus the first pairs that contain digits, keeping single-sentence pairs with a unique source.

Run `python models/fixture_pairs.py --tatoeba ../shared/data/parallel` to redo the selection.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "fixture-data"
sys.path.insert(0, str(HERE.parent))  # the pipeline package of this checkout

from pipeline.text.arabic import normalize_for_model  # noqa: E402
from pipeline.ingest import read_document  # noqa: E402
from pipeline.segment import unit_spans  # noqa: E402
from pipeline.text.sentences import sentence_spans  # noqa: E402

EVERY = 55
WITH_DIGITS = 16


def article_pairs(article: Path = DATA / "karabakh-talks.ar.txt",
                  english: Path = DATA / "karabakh-talks.en.txt") -> list[tuple[str, str]]:
    document = read_document(article, article.name)
    sources = [normalize_for_model(p.source[a:b]) for p in document.paragraphs for a, b in unit_spans(p)]
    targets = [line for line in english.read_text(encoding="utf-8").splitlines() if line.strip()]
    if len(sources) != len(targets):
        raise SystemExit(f"{english}: {len(targets)} lines for {len(sources)} units of {article.name}; "
                         "segmentation changed — update the English to match")
    return list(zip(sources, targets))


def tsv_pairs(path: Path) -> list[tuple[str, str]]:
    """Arabic<TAB>English lines (``#`` lines are comments), the Arabic normalised as the model sees it."""
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            source, target = line.split("\t")
            pairs.append((normalize_for_model(source), target))
    return pairs


def tatoeba_pairs(path: Path = DATA / "tatoeba.tsv") -> list[tuple[str, str]]:
    return tsv_pairs(path)


def variant_pairs(path: Path = DATA / "variants.tsv") -> list[tuple[str, str]]:
    """Second-best English for some units (Arabic as written in the article<TAB>English)."""
    return tsv_pairs(path)


def all_pairs() -> list[tuple[str, str]]:
    """Article pairs first, then Tatoeba pairs whose source the article does not already have."""
    pairs = article_pairs()
    seen = {source for source, _ in pairs}
    for source, target in tatoeba_pairs():
        if source not in seen:
            seen.add(source)
            pairs.append((source, target))
    return pairs


def select_tatoeba(folder: Path) -> list[tuple[str, str]]:
    arabic = (folder / "tatoeba-union.ar").read_text(encoding="utf-8").splitlines()
    english = (folder / "tatoeba-union.en").read_text(encoding="utf-8").splitlines()
    chosen, seen = [], set()
    digits = 0

    def take(source: str, target: str) -> bool:
        key = normalize_for_model(source)
        if key in seen or not key or len(sentence_spans(source)) != 1 or len(target) > 80 or "\t" in source + target:
            return False
        seen.add(key)
        chosen.append((source.strip(), target.strip()))
        return True

    for number, (source, target) in enumerate(zip(arabic, english), start=1):
        if number % EVERY == 0:
            take(source, target)
        elif digits < WITH_DIGITS and any(ch.isdigit() for ch in source + target) and take(source, target):
            digits += 1
    return chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tatoeba", type=Path, required=True, help="folder with tatoeba-union.ar/.en")
    args = parser.parse_args()
    pairs = select_tatoeba(args.tatoeba)
    header = ("# Tatoeba pairs (test set v2021-08-07 and the manythings.org Anki export), CC BY 2.0 FR,\n"
              "# https://tatoeba.org — selected by models/fixture_pairs.py: Arabic<TAB>English.\n")
    (DATA / "tatoeba.tsv").write_text(header + "".join(f"{s}\t{t}\n" for s, t in pairs), encoding="utf-8")
    print(f"{len(pairs)} pairs written to {DATA / 'tatoeba.tsv'}")


if __name__ == "__main__":
    main()
