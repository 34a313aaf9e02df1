"""Consistency across a batch: the same thing said the same way.

The per-paragraph checks (checks/) look at one paragraph. These look across every article of a
run, in input order (not the order they finish translating in), and flag the paragraph where
an inconsistency appears (the earlier article is already written; the run report names both):

- `inconsistent_translation`: the same Arabic sentence (normalised: tashkeel, hamza forms,
  spacing, punctuation) translated differently;
- `inconsistent_source`: the same English sentence produced from different Arabic;
- `name_spelling`: one name in two spellings (Pashinyan / Pashinian) where the paragraphs share
  the rare Arabic word that is the name («باشينيان»).

Short sentences («وأضاف:», "He added.") are left out: they repeat with different meanings.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from .model import Document, Flag, Paragraph
from .text.arabic import ARABIC_LETTERS, matching_form

MIN_WORDS = 5            # a sentence shorter than this is not compared
MIN_NAME = 5             # letters of a name that is compared
RARE_SHARE = 0.02        # an Arabic word in more paragraphs than this share is no name
RARE_AFTER = 50          # ... once this many paragraphs have been seen

_ARABIC_WORD = re.compile(f"[{ARABIC_LETTERS}]+")
_SENTENCE_WORD = re.compile(r"[^\W_]+")  # letters and digits of any script
LISTED = 20              # occurrences of one inconsistency listed in the run report (all are counted)
_ENGLISH_WORD = re.compile(r"[\w'’-]+")
_NAME = re.compile(r"\b[A-Z][a-z]+(?:['’]s)?\b")


@dataclass
class Seen:
    article: str
    paragraph: str
    text: str            # the other side, as written (for the message and the report)


@dataclass
class NameSeen:
    """A spelling of a name in the batch: where it first appeared, and the rare Arabic words of
    its paragraphs — in any of them, and in all of them."""

    first: Seen
    in_any: set[str]
    in_all: set[str]

    def add(self, rare_words: frozenset) -> None:
        self.in_any |= rare_words
        self.in_all &= rare_words


@dataclass
class Inconsistency:
    code: str
    key: str                                   # the Arabic sentence, the English sentence or the name pair
    occurrences: list[dict] = field(default_factory=list)  # {article, paragraph, text}: the first LISTED
    count: int = 0                             # every occurrence
    seen: set = field(default_factory=set, repr=False)

    def add(self, seen: Seen) -> None:
        entry = (seen.article, seen.paragraph, seen.text)
        if entry not in self.seen:
            self.seen.add(entry)
            self.count += 1
            if len(self.occurrences) < LISTED:  # a run report stays readable, and small, at 10,000 articles
                self.occurrences.append({"article": seen.article, "paragraph": seen.paragraph, "text": seen.text})

    def to_dict(self) -> dict:
        return {"code": self.code, "key": self.key, "occurrences": self.occurrences, "count": self.count}


def _arabic_key(text: str) -> str:
    """A sentence as compared: its words and numbers (a sentence with another number or another
    Latin name is another sentence), normalised, without punctuation."""
    return " ".join(_SENTENCE_WORD.findall(matching_form(text)))


def _english_key(text: str) -> str:
    return " ".join(w.lower() for w in _ENGLISH_WORD.findall(text))


# Capitalised words that are no names, and endings of words derived from a name (Democrat-ic,
# German-y, Judici-ary): two words that differ only there are one word's forms, not spellings.
NOT_NAMES = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
              "march", "april", "june", "july", "august", "september", "october", "november", "december"}
_DERIVED = re.compile(r"(?:ians?|ans?|ese|ics?|ary|al|ia|s|y|a|e)$")
# The Latin letters an Arabic name's first letter is written with (its first sound).
_FIRST_LETTER = {"ا": "aeiou", "أ": "aeiou", "إ": "aeiou", "آ": "aeiou", "ع": "aeiou", "ب": "bp", "ت": "t", "ث": "t",
                 "ج": "jg", "ح": "h", "خ": "kh", "د": "d", "ذ": "tdz", "ر": "r", "ز": "z", "س": "sc", "ش": "sc",
                 "ص": "s", "ض": "d", "ط": "t", "ظ": "z", "غ": "g", "ف": "fvp", "ق": "qkgc", "ك": "kc", "ل": "l",
                 "م": "m", "ن": "n", "ه": "h", "و": "wvou", "ي": "yjie", "ى": "aeiou", "ة": ""}
_PROCLITIC = re.compile(r"^(?:و|ف)?(?:ب|ل|ك)?(?:ال)?(?=[^\W\d_]{3})")


@lru_cache(maxsize=1 << 16)  # a batch's vocabulary repeats: each word's stem is worked out once
def _stem(word: str) -> str:
    """An Arabic word without «و ف ب ل ك ال» in front: «لباشينيان» and «باشينيان» are one name."""
    return _PROCLITIC.sub("", word)


_PROTHETIC = re.compile(r"^s[bcdfgklmnpqtvwz]", re.IGNORECASE)


def _sounds_like(arabic: str, name: str) -> bool:
    """Does the Arabic word begin with the name's first sound? Arabic writes a prothetic alef
    before s + consonant («اسكتلندا» Scotland, «إسبانيا» Spain)."""
    if _PROTHETIC.match(name) and arabic[:1] in "اإ" and arabic[1:2] in "سص":
        return True
    return name[0].lower() in _FIRST_LETTER.get(arabic[:1], "")


def _derived(a: str, b: str) -> bool:
    """Forms of one word: the same stem, different derivational endings (Russia / Russian,
    Democrats / Democratic). Two endings that are single vowels are a spelling's, not a
    derivation's (America / Americe, Florida / Floride)."""
    stem_a, stem_b = _DERIVED.sub("", a), _DERIVED.sub("", b)
    if stem_a != stem_b:
        return False
    endings = {a[len(stem_a):], b[len(stem_b):]}
    return not all(len(e) == 1 and e in "aeiouy" for e in endings)


def _distance(a: str, b: str) -> int:
    """Levenshtein distance (insertions, deletions, substitutions), rapidfuzz's."""
    return Levenshtein.distance(a, b)


@lru_cache(maxsize=1 << 16)  # names recur
def _skeleton(name: str) -> str:
    """A name with its vowels as «*» and doubled letters written once: what an Arabic spelling
    fixes. Arabic does not write short vowels or (without tashkeel) gemination, so two
    transliterations of one name differ there: Mohammed / Muhammad, Harlem / Herlam, Cromwel /
    Cromwell. Where the vowels are stays: Nelson / Nielsen, Karen / Karine are other names."""
    return re.sub(r"[aeiouy]", "*", re.sub(r"(.)\1+", r"\1", name.lower()))


def _similar(a: str, b: str) -> bool:
    """Two spellings of one name: same first letter, neither a derived form of the other
    (Russia / Russian, Democrats / Democratic), and either other vowels or doubled letters only
    (Cromwel / Cromwell, Harlem / Herlam) or, when neither is the other plus letters (Trump / Trumps, Paris
    / Parish), one or two letters apart (Thompson / Thomson)."""
    # The cheap tests first (most pairs fail them); the same answer as testing in the order above.
    if a[0] != b[0]:
        return False
    if _skeleton(a) != _skeleton(b):
        if abs(len(a) - len(b)) > 1 or a.startswith(b) or b.startswith(a):
            return False
        limit = 1 if min(len(a), len(b)) <= 6 else 2
        if Levenshtein.distance(a, b, score_cutoff=limit) > limit:
            return False
    return not ({a.lower(), b.lower()} & NOT_NAMES or _derived(a, b))


class ConsistencyIndex:
    """What a run has said so far, and the inconsistencies found; `check` flags a document's
    paragraphs against it (and against the document's own earlier paragraphs), then adds it."""

    def __init__(self) -> None:
        # Each distinct pairing once, where it was first seen: what is kept does not grow with
        # how often an article's sentences and names come back in a batch.
        self.by_arabic: dict[str, dict[str, Seen]] = {}    # arabic key → {english key: first seen}
        self.by_english: dict[str, dict[str, Seen]] = {}   # english key → {arabic key: first seen}
        self.names: dict[str, NameSeen] = {}
        # Names by what a spelling of them must share (see _similar), so a name is compared with
        # a few, not with every name of the batch: (first letter, length), (first letter, skeleton).
        self.by_length: dict[tuple[str, int], list[str]] = {}
        self.by_skeleton: dict[tuple[str, str], list[str]] = {}
        self.first_seen: dict[str, int] = {}
        self.lowercase: set[str] = set()                          # English words seen in lower case
        self.document_frequency: Counter = Counter()
        self.paragraphs = 0
        self.found: dict[tuple[str, str], Inconsistency] = {}

    def add(self, document: Document) -> None:
        """Remember a document without flagging it (an article skipped as unchanged)."""
        for paragraph in document.paragraphs:
            words = self._words(paragraph)
            self._add(document.id, paragraph, self._pairs(paragraph), words, self._rare_words(words))

    def check(self, document: Document) -> None:
        for paragraph in document.paragraphs:
            pairs, words = self._pairs(paragraph), self._words(paragraph)  # normalised once
            rare = self._rare_words(words)
            flags = self._sentence_flags(document.id, paragraph, pairs) + self._name_flags(document.id, paragraph, rare)
            if flags:
                paragraph.flags.extend(flags)
                if paragraph.status == "ok":
                    paragraph.status = "needs_review"
            self._add(document.id, paragraph, pairs, words, rare)

    def report(self) -> list[dict]:
        return [found.to_dict() for found in self.found.values()]

    # --- what a paragraph says ------------------------------------------------------------------
    @staticmethod
    def _pairs(paragraph: Paragraph) -> list[tuple[str, str, str]]:
        """(arabic key, english key, english) per sentence long enough to compare."""
        pairs = []
        for unit in paragraph.sentences:
            english = unit.target.strip()
            if not english or unit.origin == "verbatim":
                continue
            arabic = _arabic_key(unit.source)
            if len(arabic.split()) >= MIN_WORDS and len(english.split()) >= MIN_WORDS:
                pairs.append((arabic, _english_key(english), english))
        return pairs

    def _words(self, paragraph: Paragraph) -> set[str]:
        """Each Arabic word as written and without its proclitics: «لباشينيان» matches
        «باشينيان», and «بنسلفانيا», whose ب is the name's own, still matches itself."""
        words = set(_ARABIC_WORD.findall(matching_form(paragraph.source)))
        return words | {_stem(w) for w in words}

    def _rare_words(self, words: set[str]) -> frozenset:
        if self.paragraphs < RARE_AFTER:
            return frozenset(w for w in words if len(w) >= 4)
        limit = RARE_SHARE * self.paragraphs
        return frozenset(w for w in words if len(w) >= 4 and self.document_frequency[w] <= limit)

    @staticmethod
    def _names(text: str) -> set[str]:
        return {re.sub(r"['’]s$", "", name) for name in _NAME.findall(text) if len(name) >= MIN_NAME}

    def _add(self, article: str, paragraph: Paragraph, pairs: list[tuple[str, str, str]], words: set[str],
             rare: frozenset) -> None:
        """Remember a paragraph: its sentence pairs, its names with their `rare` Arabic words (worked
        out before `words` join the document frequencies), its words."""
        for arabic, english, text in pairs:
            self.by_arabic.setdefault(arabic, {}).setdefault(english, Seen(article, paragraph.id, text))
            self.by_english.setdefault(english, {}).setdefault(arabic, Seen(article, paragraph.id, paragraph.source))
        target = paragraph.target
        self.lowercase.update(w for w in _ENGLISH_WORD.findall(target) if w.islower())
        for name in self._names(target):
            if name not in self.names:
                self.first_seen[name] = len(self.first_seen)
                self.by_length.setdefault((name[0], len(name)), []).append(name)
                self.by_skeleton.setdefault((name[0], _skeleton(name)), []).append(name)
                self.names[name] = NameSeen(Seen(article, paragraph.id, name), set(rare), set(rare))
            else:
                self.names[name].add(rare)
        self.document_frequency.update(words)
        self.paragraphs += 1

    # --- what disagrees with it -----------------------------------------------------------------
    def _record(self, code: str, key: str, earlier: Seen, here: Seen) -> None:
        found = self.found.setdefault((code, key), Inconsistency(code, key))
        found.add(earlier)
        found.add(here)

    def _sentence_flags(self, article: str, paragraph: Paragraph, pairs: list[tuple[str, str, str]]) -> list[Flag]:
        flags = []
        for arabic, english, text in pairs:
            other = next((seen for key, seen in self.by_arabic.get(arabic, {}).items() if key != english), None)
            if other is not None:
                self._record("inconsistent_translation", arabic, other, Seen(article, paragraph.id, text))
                flags.append(Flag("inconsistent_translation", "warning",
                                  f"the same Arabic sentence is translated differently in {other.article} "
                                  f"{other.paragraph}: «{other.text[:80]}»",
                                  {"article": other.article, "paragraph": other.paragraph, "other": other.text}))
            source = next((seen for key, seen in self.by_english.get(english, {}).items() if key != arabic), None)
            if source is not None:
                self._record("inconsistent_source", english, source, Seen(article, paragraph.id, paragraph.source))
                flags.append(Flag("inconsistent_source", "warning",
                                  f"«{text[:60]}» also translates different Arabic in {source.article} {source.paragraph}",
                                  {"article": source.article, "paragraph": source.paragraph}))
        return flags

    def _candidates(self, name: str) -> list[str]:
        """The names seen so far that may be other spellings of `name`, in the order first seen."""
        found = {other for size in (len(name) - 1, len(name), len(name) + 1)
                 for other in self.by_length.get((name[0], size), ())}
        found.update(self.by_skeleton.get((name[0], _skeleton(name)), ()))
        return sorted(found, key=self.first_seen.__getitem__)

    def _name_flags(self, article: str, paragraph: Paragraph, words: frozenset) -> list[Flag]:
        flags = []
        for name in sorted(self._names(paragraph.target)):
            if name.lower() in self.lowercase or not words or name in self.names:
                continue  # a spelling already used in this run was judged where it first appeared
            for other in self._candidates(name):
                if other == name or other.lower() in self.lowercase or not _similar(name, other):
                    continue
                seen = self.names[other]
                # The name's Arabic: a rare word in this paragraph and in one that has the other
                # spelling (the others may inflect it or say "he"), whose first letter sounds like the name's.
                shared = next((w for w in sorted(words) if _sounds_like(w, name)
                               and w in seen.in_any), None)
                if shared is None and _distance(name, other) == 1:
                    shared = next((w for w in sorted(words) if w in seen.in_all), None)
                if shared is None:
                    continue
                where = seen.first
                self._record("name_spelling", f"{other} / {name}", where, Seen(article, paragraph.id, name))
                flags.append(Flag("name_spelling", "warning",
                                  f"«{shared}» is spelled {name} here but {other} in {where.article} {where.paragraph}",
                                  {"arabic": shared, "spellings": [other, name], "article": where.article,
                                   "paragraph": where.paragraph}))
                break
        return flags
