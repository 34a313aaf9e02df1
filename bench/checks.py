"""Review checks measured on human news translations (issue: review flags editors can trust).

On NTREX-128 (99 news articles, English originals with human Arabic translations, paragraph
per line, line-aligned), read as Arabic source → English target:

1. false alarms: the share of the clean human pairs that get a warning or an error;
2. recall: faults are injected into copies of the pairs — a number dropped, a digit changed, a
   year changed, a number the Arabic writes in words changed in the English, Arabic left in the
   English, a phrase looped three times, a phrase looped until the length cap cut it, letters
   looped inside a word, the English cut to its first 40%, an empty English, a glossary term
   replaced — and a fault counts as caught when the faulty copy gets a warning or error that
   the clean pair did not have;
3. severity: the share of clean pairs with an error, and of the faults an editor must fix
   before publishing that get a new error (not only a warning).

Prints a table per check and the combined figures.

    python bench/checks.py ../shared/data/ntrex-dev [--glossary tests/data/ntrex-glossary.yaml]
"""

from __future__ import annotations

import argparse
import copy
import random
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.text.arabic import ARABIC_LETTERS  # noqa: E402
from pipeline.consistency import NOT_NAMES, ConsistencyIndex  # noqa: E402
from pipeline.model import Document, Paragraph, Sentence  # noqa: E402
from pipeline.text.sentences import english_sentences, sentence_spans  # noqa: E402
from pipeline.checks import CHECKS, Checker  # noqa: E402
from pipeline.glossary import Glossary, load_glossary  # noqa: E402
from pipeline.segment import assign_kinds  # noqa: E402

DEFAULT_GLOSSARY = Path(__file__).resolve().parent.parent / "tests" / "data" / "ntrex-glossary.yaml"
SEED = 20261129
TRIAL_ROUNDS = 4  # rounds of planted faults (each a new seed): more trials, a steadier figure

Pair = tuple[str, str, str]  # (arabic, english, kind)
Fault = Callable[[Pair, random.Random, Glossary], str | None]  # new English, or None when not applicable


def load_pairs(folder: Path) -> list[Pair]:
    pairs = []
    for arabic_file in sorted((folder / "articles").glob("*.ar.txt")):
        arabic = arabic_file.read_text(encoding="utf-8").splitlines()
        english = arabic_file.with_name(arabic_file.name.replace(".ar.", ".en.")).read_text(encoding="utf-8").splitlines()
        paragraphs = [Paragraph(f"p{i:04d}", i, a) for i, a in enumerate(arabic, start=1)]
        assign_kinds(paragraphs)
        pairs.extend((p.source, e, p.kind) for p, e in zip(paragraphs, english))
    return pairs


# --- faults ------------------------------------------------------------------------------

_DIGITS = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*(?![\w])")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def _shared_numbers(pair: Pair) -> list[re.Match]:
    """Numbers of the English that also stand in the Arabic (so dropping one is a real fault)."""
    from pipeline.text.arabic import to_ascii_digits

    arabic = to_ascii_digits(pair[0])
    return [m for m in _DIGITS.finditer(pair[1]) if m.group() in arabic]


def drop_number(pair: Pair, rng: random.Random, _: Glossary) -> str | None:
    numbers = _shared_numbers(pair)
    if not numbers:
        return None
    m = rng.choice(numbers)
    return (pair[1][:m.start()] + pair[1][m.end():]).replace("  ", " ")


def change_digit(pair: Pair, rng: random.Random, _: Glossary) -> str | None:
    numbers = _shared_numbers(pair)
    if not numbers:
        return None
    m = rng.choice(numbers)
    digits = [i for i, ch in enumerate(m.group()) if ch.isdigit()]
    i = rng.choice(digits)
    changed = m.group()[:i] + str((int(m.group()[i]) + rng.randint(1, 9)) % 10) + m.group()[i + 1:]
    return pair[1][:m.start()] + changed + pair[1][m.end():]


def change_year(pair: Pair, rng: random.Random, _: Glossary) -> str | None:
    years = [m for m in _YEAR.finditer(pair[1]) if m.group() in pair[0]]
    if not years:
        return None
    m = rng.choice(years)
    return pair[1][:m.start()] + str(int(m.group()) + rng.choice([-3, -2, -1, 1, 2, 3])) + pair[1][m.end():]


_NUMBER_WORDS = ["three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen",
                 "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty", "thirty", "forty",
                 "fifty", "sixty", "seventy", "eighty", "ninety"]
_NUMBER_WORD = re.compile(r"\b(" + "|".join(_NUMBER_WORDS) + r")\b", re.I)


def change_number_word(pair: Pair, rng: random.Random, _: Glossary) -> str | None:
    """A number the Arabic writes in words, changed in the English ("three" → "five")."""
    from pipeline.text.numbers import arabic_digits_text, arabic_number_phrases

    values = {p.value for p in arabic_number_phrases(arabic_digits_text(pair[0])) if p.required}
    words = [m for m in _NUMBER_WORD.finditer(pair[1])
             if (_NUMBER_WORDS.index(m.group().lower()) + 3 if m.group().lower() in _NUMBER_WORDS[:17]
                 else 10 * (_NUMBER_WORDS.index(m.group().lower()) - 15)) in values]
    if not words:
        return None
    m = rng.choice(words)
    other = rng.choice([w for w in _NUMBER_WORDS if w != m.group().lower()])
    return pair[1][:m.start()] + other + pair[1][m.end():]


def leave_arabic(pair: Pair, rng: random.Random, _: Glossary) -> str | None:
    arabic_words = re.findall(f"[{ARABIC_LETTERS}]{{3,}}", pair[0])
    english_words = pair[1].split(" ")
    if not arabic_words or len(english_words) < 2:
        return None
    english_words[rng.randrange(len(english_words))] = rng.choice(arabic_words)
    return " ".join(english_words)


def loop_phrase(pair: Pair, rng: random.Random, _: Glossary) -> str | None:
    words = pair[1].split(" ")
    if len(words) < 4:
        return None
    size = rng.choice([2, 3])
    start = rng.randrange(len(words) - size + 1)
    phrase = words[start:start + size]
    return " ".join(words[:start + size] + phrase * 2 + words[start + size:])


def loop_to_the_cap(pair: Pair, rng: random.Random, _: Glossary) -> str | None:
    """What a looping model writes: a phrase repeated until the length cap cuts it mid-phrase."""
    words = pair[1].split(" ")
    if len(words) < 4:
        return None
    start = rng.randrange(len(words) - 1)
    phrase = words[start:start + rng.choice([1, 2, 3])]
    looped = words[:start] + phrase * 12
    return " ".join(looped[:start + rng.randrange(8, 12 * len(phrase))])


def loop_characters(pair: Pair, rng: random.Random, _: Glossary) -> str | None:
    """A subword loop inside one word: "sincerely" → "sincencencence", "it" → "itititit"."""
    words = [m for m in re.finditer(r"[A-Za-z]{2,}", pair[1])]
    if not words:
        return None
    m = rng.choice(words)
    word = m.group()
    cut = rng.randrange(2, len(word) + 1)
    unit = word[max(0, cut - rng.choice([1, 2, 3])):cut]
    return pair[1][:m.start()] + word[:cut] + unit * rng.choice([3, 4, 5]) + pair[1][m.end():]


def cut_to_40_percent(pair: Pair, rng: random.Random, _: Glossary) -> str | None:
    keep = pair[1][:int(len(pair[1]) * 0.4)]
    return keep[:keep.rfind(" ")] if " " in keep else keep


def empty(pair: Pair, rng: random.Random, _: Glossary) -> str | None:
    return ""


def _misspell(word: str, rng: random.Random) -> str:
    vowels = [i for i, ch in enumerate(word) if ch.lower() in "aeiou" and i > 0]
    i = rng.choice(vowels) if vowels else len(word) - 1
    return word[:i] + ("e" if word[i].lower() != "e" else "a") + word[i + 1:]


def replace_glossary_term(pair: Pair, rng: random.Random, glossary: Glossary) -> str | None:
    present = [t for t in glossary.terms if not t.keep and t.in_source(pair[0]) and t.in_target(pair[1])]
    if not present:
        return None
    term = rng.choice(present)
    for rendering in term.renderings:
        if rendering in pair[1]:
            return pair[1].replace(rendering, _misspell(rendering, rng))
    return None


FAULTS: dict[str, Fault] = {
    "number dropped": drop_number,
    "digit changed": change_digit,
    "year changed": change_year,
    "number in words changed": change_number_word,
    "Arabic left in English": leave_arabic,
    "phrase looped 3 times": loop_phrase,
    "phrase looped to the length cap": loop_to_the_cap,
    "letters looped in a word": loop_characters,
    "cut to first 40%": cut_to_40_percent,
    "empty English": empty,
    "glossary term replaced": replace_glossary_term,
}


# --- measuring ---------------------------------------------------------------------------

# The model's output stopped at the length cap in these faults (the sentence says so, as the
# translate stage records it).
CAPPED = {"phrase looped to the length cap"}
# Faults an editor must fix before publishing: the check must say so with an error.
MUST_BE_ERRORS = ("Arabic left in English", "phrase looped to the length cap", "letters looped in a word",
                  "empty English")


def _flags(checker: Checker, pair: Pair, english: str, capped: bool = False) -> dict[str, set]:
    """Warning and error flags per check: {check: {(code, message, severity)}}."""
    found: dict[str, set] = {}
    paragraph = Paragraph("p0001", 1, pair[0], kind=pair[2], target=english)
    if capped:
        paragraph.sentences = [Sentence("p0001.s1", pair[0], (0, len(pair[0])), pair[0], target=english,
                                        hit_length_cap=True)]
    for name, (spec, params) in checker.checks.items():
        hits = {(f.code, f.message, f.severity) for f in spec.function(paragraph, params) if f.severity != "info"}
        if hits:
            found[name] = hits
    return found


def _errors(flags: dict[str, set]) -> set:
    return {hit for hits in flags.values() for hit in hits if hit[2] == "error"}


@dataclass
class Results:
    pairs: int
    clean_flagged: int
    clean_by_check: dict[str, int]
    fault_totals: dict[str, int] = field(default_factory=dict)
    caught: dict[str, int] = field(default_factory=dict)               # by any check
    caught_by_check: dict[str, dict[str, int]] = field(default_factory=dict)
    clean_errors: int = 0                                              # clean pairs with an error
    caught_as_error: dict[str, int] = field(default_factory=dict)      # faulty pairs with a new error

    def false_alarm_rate(self) -> float:
        return self.clean_flagged / self.pairs

    def recall(self, fault: str) -> float:
        return self.caught[fault] / self.fault_totals[fault] if self.fault_totals[fault] else float("nan")


def measure(folder: Path, glossary_file: Path | None = DEFAULT_GLOSSARY) -> Results:
    pairs = load_pairs(folder)
    checker = Checker.from_settings({}, glossary_file)
    glossary = load_glossary(glossary_file) if glossary_file else Glossary()
    clean = [_flags(checker, pair, pair[1]) for pair in pairs]
    results = Results(len(pairs), sum(1 for f in clean if f), {name: sum(1 for f in clean if name in f) for name in checker.checks})
    results.clean_errors = sum(1 for f in clean if _errors(f))
    rng = random.Random(SEED)
    for fault, inject in FAULTS.items():
        results.fault_totals[fault] = results.caught[fault] = results.caught_as_error[fault] = 0
        results.caught_by_check[fault] = dict.fromkeys(checker.checks, 0)
        for pair, clean_flags in zip(pairs, clean):
            english = inject(pair, rng, glossary)
            if english is None or english == pair[1]:
                continue
            results.fault_totals[fault] += 1
            faulty = _flags(checker, pair, english, capped=fault in CAPPED)
            new = {name for name, hits in faulty.items() if hits - clean_flags.get(name, set())}
            results.caught[fault] += bool(new)
            results.caught_as_error[fault] += bool(_errors(faulty) - _errors(clean_flags))
            for name in new:
                results.caught_by_check[fault][name] += 1
    return results


def table(results: Results) -> str:
    faults = list(FAULTS)
    lines = ["| check | false alarms on clean pairs | " + " | ".join(faults) + " |",
             "|---|---|" + "---|" * len(faults)]
    for name in results.clean_by_check:
        cells = [f"{results.caught_by_check[f][name] / results.fault_totals[f]:.1%}" if results.fault_totals[f] else "–"
                 for f in faults]
        lines.append(f"| `{name}` | {results.clean_by_check[name] / results.pairs:.1%} | " + " | ".join(cells) + " |")
    lines.append(f"| **any check** | **{results.false_alarm_rate():.1%}** | "
                 + " | ".join(f"**{results.recall(f):.1%}**" for f in faults) + " |")
    lines.append("| faulty pairs | | " + " | ".join(str(results.fault_totals[f]) for f in faults) + " |")
    lines += ["", "Severity: what must be fixed before publishing is an error.", "",
              "| | clean pairs | " + " | ".join(MUST_BE_ERRORS) + " |", "|---|---|" + "---|" * len(MUST_BE_ERRORS),
              f"| flagged as an error | {results.clean_errors / results.pairs:.1%} | "
              + " | ".join(f"{results.caught_as_error[f] / results.fault_totals[f]:.1%}" for f in MUST_BE_ERRORS) + " |"]
    return "\n".join(lines)


# --- consistency across a batch ----------------------------------------------------------------

CONSISTENCY_CODES = ("inconsistent_translation", "inconsistent_source", "name_spelling")


def load_articles(folder: Path) -> list[Document]:
    """The NTREX articles as translated documents: the human English as each paragraph's target,
    sentence by sentence where both sides have as many sentences, else the paragraph whole."""
    documents = []
    for arabic_file in sorted((folder / "articles").glob("*.ar.txt")):
        arabic = arabic_file.read_text(encoding="utf-8").splitlines()
        english = arabic_file.with_name(arabic_file.name.replace(".ar.", ".en.")).read_text(encoding="utf-8").splitlines()
        document = Document(arabic_file.name, arabic_file.name, "", "txt")
        for i, (source, target) in enumerate(zip(arabic, english), start=1):
            document.paragraphs.append(_paragraph(f"p{i:04d}", i, source, target))
        assign_kinds(document.paragraphs)
        documents.append(document)
    return documents


def _paragraph(pid: str, index: int, source: str, target: str) -> Paragraph:
    spans, sentences = sentence_spans(source), english_sentences(target)
    if len(spans) != len(sentences):
        spans, sentences = [(0, len(source))], [target]
    units = [Sentence(f"{pid}.s{n:02d}", source[a:b], (a, b), source[a:b], target=t, origin="human")
             for n, ((a, b), t) in enumerate(zip(spans, sentences), start=1)]
    return Paragraph(pid, index, source, target=target, sentences=units)


def _flagged(document: Document) -> list[Paragraph]:
    return [p for p in document.paragraphs if any(f.code in CONSISTENCY_CODES for f in p.flags)]


def _fresh(document: Document) -> Document:
    return copy.deepcopy(document)


def _variant_spelling(name: str, rng: random.Random) -> str:
    """Another spelling of a name, the ways transliterations differ: a vowel changed (Pashinyan /
    Pashinian), a letter dropped or doubled (Thompson / Thomson, Aliyev / Aliev, Conor / Connor),
    or two vowels changed (Mohammed / Muhammad)."""
    kind = rng.choice(("vowel", "drop", "double", "two vowels"))
    inner = range(1, len(name) - 1)
    if kind == "drop":
        i = rng.choice(inner)
        return name[:i] + name[i + 1:]
    if kind == "double":
        i = rng.choice([i for i in inner if name[i].lower() not in "aeiou"] or list(inner))
        return name[:i] + name[i] + name[i:]
    spelled = _misspell(name, rng)
    twice = _misspell(spelled, rng) if kind == "two vowels" else name
    return twice if twice != name else spelled


def _respell(target: str, name: str, rng: random.Random) -> str:
    return re.sub(rf"\b{re.escape(name)}\b", _variant_spelling(name, rng), target)


@dataclass
class Consistency:
    paragraphs: int
    clean_flagged: int
    clean_by_code: dict[str, int]
    trials: dict[str, int] = field(default_factory=dict)
    caught: dict[str, int] = field(default_factory=dict)
    caught_by_code: dict[str, Counter] = field(default_factory=dict)


def measure_consistency(folder: Path, seeds: range = range(SEED, SEED + TRIAL_ROUNDS)) -> Consistency:
    articles = load_articles(folder)
    clean = [_fresh(d) for d in articles]
    index = ConsistencyIndex()
    for document in clean:
        index.check(document)
    flagged = [p for d in clean for p in _flagged(d)]
    results = Consistency(sum(len(d.paragraphs) for d in clean), len(flagged),
                          Counter(f.code for p in flagged for f in p.flags if f.code in CONSISTENCY_CODES))
    # What a name is, for the trials (not the check's own test): a capitalised word of 6+ letters
    # never written in lower case in the corpus, in 2+ paragraphs of the article, all of which
    # share a rare Arabic word (in at most 2% of the corpus' paragraphs): its transliteration.
    lowercase = {w for d in articles for p in d.paragraphs for w in re.findall(r"[a-z]+", p.target)}
    index_words = ConsistencyIndex()._words
    frequency = Counter(w for d in articles for p in d.paragraphs for w in index_words(p))
    paragraphs = sum(len(d.paragraphs) for d in articles)
    for fault in ("sentence translated two ways", "name respelled in another article"):
        results.trials[fault] = results.caught[fault] = 0
        results.caught_by_code[fault] = Counter()
    names = [_transliterated_names(article, lowercase, frequency, paragraphs) for article in articles]
    for seed in seeds:
        _plant_faults(results, articles, names, random.Random(seed))
    return results


def _plant_faults(results: Consistency, articles: list[Document], names_by_article: list[dict],
                  rng: random.Random) -> None:
    """One round of trials: per article, one sentence translated two ways, one name respelled."""
    for j, source_article in enumerate(articles):
        other = articles[(j + 1 + rng.randrange(len(articles) - 1)) % len(articles)]
        # 1. one of the article's sentences again, in another article, translated another way
        units = [(p, u) for p in source_article.paragraphs for u in p.sentences
                 if len(u.source.split()) >= 6 and len(u.target.split()) >= 6]
        if units:
            paragraph, unit = rng.choice(units)
            words = unit.target.split()
            drop = rng.randrange(len(words))
            english = " ".join(words[:drop] + words[drop + 1:])
            _trial(results, "sentence translated two ways", source_article, other,
                   Paragraph("p9999", 9999, unit.source, target=english,
                             sentences=[Sentence("p9999.s01", unit.source, (0, len(unit.source)), unit.source,
                                                 target=english, origin="human")]))
        # 2. a name of the article respelled in a paragraph moved to another article
        mentions = names_by_article[j]
        names = sorted(mentions)
        if names:
            name = rng.choice(names)
            moved = mentions[name][-1]  # moved out of its article: the other mentions stay
            target = _respell(moved.target, name, rng)
            kept = _fresh(source_article)
            kept.paragraphs = [p for p in kept.paragraphs if p.id != moved.id]
            _trial(results, "name respelled in another article", kept, other,
                   _paragraph("p9999", 9999, moved.source, target))


def _transliterated_names(article: Document, lowercase: set, frequency: Counter, paragraphs: int) -> dict:
    words = ConsistencyIndex()._words
    mentions: dict[str, list[Paragraph]] = {}
    for paragraph in article.paragraphs:
        for name in re.findall(r"(?<=[a-z,] )[A-Z][a-z]{5,}\b", paragraph.target):  # not sentence-initial
            if name.lower() not in lowercase | NOT_NAMES and paragraph not in mentions.get(name, []):
                mentions.setdefault(name, []).append(paragraph)
    named = {}
    for name, found in mentions.items():
        shared = set.intersection(*(words(p) for p in found)) if len(found) >= 2 else set()
        if any(len(w) >= 4 and frequency[w] <= 0.02 * paragraphs for w in shared):
            named[name] = found
    return named


def _trial(results: Consistency, fault: str, earlier: Document, later: Document, planted: Paragraph) -> None:
    index = ConsistencyIndex()
    first, second = _fresh(earlier), _fresh(later)
    second.paragraphs.append(planted)
    index.check(first)
    index.check(second)
    codes = {f.code for f in second.paragraphs[-1].flags if f.code in CONSISTENCY_CODES}
    results.trials[fault] += 1
    results.caught[fault] += bool(codes)
    results.caught_by_code[fault].update(codes)


def consistency_table(results: Consistency) -> str:
    faults = list(results.trials)
    lines = ["| consistency check | false alarms: clean paragraphs flagged | " + " | ".join(faults) + " |",
             "|---|---|" + "---|" * len(faults)]
    for code in CONSISTENCY_CODES:
        cells = [f"{results.caught_by_code[f][code] / results.trials[f]:.1%}" for f in faults]
        lines.append(f"| `{code}` | {results.clean_by_code[code] / results.paragraphs:.1%} | " + " | ".join(cells) + " |")
    lines.append(f"| **any** | **{results.clean_flagged / results.paragraphs:.1%}** | "
                 + " | ".join(f"**{results.caught[f] / results.trials[f]:.1%}**" for f in faults) + " |")
    lines.append("| trials | | " + " | ".join(str(results.trials[f]) for f in faults) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data", type=Path, help="the ntrex-dev folder (articles/*.ar.txt and *.en.txt)")
    parser.add_argument("--glossary", type=Path, default=DEFAULT_GLOSSARY)
    args = parser.parse_args()
    results = measure(args.data, args.glossary)
    print(f"{results.pairs} paragraph pairs; checks: {', '.join(CHECKS)}\n")
    print(table(results))
    consistency = measure_consistency(args.data)
    print(f"\nConsistency across the {len(load_articles(args.data))} articles read as one batch "
          f"({consistency.paragraphs} paragraphs):\n")
    print(consistency_table(consistency))


if __name__ == "__main__":
    main()
