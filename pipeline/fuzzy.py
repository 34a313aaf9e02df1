"""Fuzzy matches: the memory's nearest paragraph offered to the editor, never used silently.

After the checks, each paragraph whose English did not come from an exact memory entry is
compared with every paragraph-level entry of the memory — editors' approved translations and
imported CAT memories (`tarjama memory import`) — by rapidfuzz's normalised Indel similarity of
the normalised Arabic. The best at or above `memory.fuzzy_threshold` becomes the paragraph's
`memory_match` and an info flag: the review document shows it (with the percentage and the
memory's English), the record keeps it, the XLIFF carries it as `<alt-trans>`. The model's
English stays the target: an editor decides.

A match whose Arabic differs only in its numbers (MTUOC's @NUM@ idea: digits masked, the rest
identical) is offered with the numbers carried over from this Arabic into the memory's English,
and flagged as such; ties go to an editor's entry.

Fast for memories of tens of thousands of entries: a ratio of at least t is impossible when the
lengths differ by more than a factor of (2 − t)/t, so only entries in that length window are
scored (sorted by length, found by bisection), and rapidfuzz scores them in C++ with a cutoff.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from .model import Document, Flag, MemoryMatch

FUZZY_VERSION = "2"  # bump when what is offered changes: part of every article's run signature
# 2: a match whose English the paragraph already has is no longer offered (b09c4e0)
NUMBER = re.compile(r"\d+(?:[.,٫]\d+)*")  # the memory keys hold Western digits (normalize_for_model)
MASK = "@NUM@"
FLAG_MATCH = "memory_match"            # info: a fuzzy match is offered
FLAG_NUMBERS = "memory_match_numbers"  # info: the match differs only in numbers, carried over
FLAG_CODES = (FLAG_MATCH, FLAG_NUMBERS)


@dataclass(frozen=True)
class _Entry:
    source: str
    target: str
    origin: str


def _carry(numbers: list[list[str]], english: str) -> tuple[str, bool]:
    """The memory's English with each changed number replaced by this Arabic's; False when a
    changed number is not in the English once (spelt out, reformatted): then left as it was."""
    carried = english
    complete = True
    for old, new in numbers:
        if old == new:
            continue
        hits = [m for m in NUMBER.finditer(carried) if m.group() == old]
        if len(hits) != 1:
            complete = False
            continue
        carried = carried[:hits[0].start()] + new + carried[hits[0].end():]
    return carried, complete


class FuzzyIndex:
    """Paragraph-level memory entries, ready for nearest-match lookups."""

    def __init__(self, entries, threshold: float):
        self.threshold = threshold
        # An editor's entry is kept over an imported one for the same Arabic.
        best: dict[str, _Entry] = {}
        for source, target, origin in entries:
            if source not in best or (origin == "human" and best[source].origin != "human"):
                best[source] = _Entry(source, target, origin)
        self.entries = sorted(best.values(), key=lambda e: len(e.source))
        self.lengths = [len(e.source) for e in self.entries]
        self.sources = [e.source for e in self.entries]
        self.by_mask: dict[str, list[_Entry]] = {}
        for entry in self.entries:
            if NUMBER.search(entry.source):
                self.by_mask.setdefault(NUMBER.sub(MASK, entry.source), []).append(entry)

    def __len__(self) -> int:
        return len(self.entries)

    def best(self, source: str) -> MemoryMatch | None:
        """The nearest entry to `source` (a normalised paragraph) at or above the threshold."""
        from rapidfuzz import fuzz, process

        if not self.entries or not source:
            return None
        masked = NUMBER.sub(MASK, source)
        for entry in self.by_mask.get(masked, []) if masked != source else []:
            if entry.source != source:
                numbers = [[old, new] for old, new in zip(NUMBER.findall(entry.source), NUMBER.findall(source))]
                target, carried = _carry(numbers, entry.target)
                return MemoryMatch(fuzz.ratio(source, entry.source), entry.source, target, entry.origin,
                                   entry.target, numbers, carried)
        t = self.threshold
        low = bisect.bisect_left(self.lengths, len(source) * t / (2 - t))
        high = bisect.bisect_right(self.lengths, len(source) * (2 - t) / t)
        if low >= high:
            return None
        window = self.entries[low:high]
        found = process.extract(source, self.sources[low:high], scorer=fuzz.ratio, processor=None,
                                score_cutoff=t * 100, limit=5)
        if not found:
            return None
        top = max(score for _, score, _ in found)
        # Ties (to a tenth of a per cent) go to an editor's entry over an imported machine one.
        _, score, index = max(((c, s, i) for c, s, i in found if s >= top - 0.1),
                              key=lambda hit: (window[hit[2]].origin == "human", hit[1]))
        entry = window[index]
        return MemoryMatch(score, entry.source, entry.target, entry.origin, entry.target)


def _flag(match: MemoryMatch) -> Flag:
    whose = "an editor's translation" if match.origin == "human" else "imported machine translation"
    evidence = {"score": round(match.score, 1), "origin": match.origin}
    if match.numbers:
        changed = ", ".join(f"{old} → {new}" for old, new in match.numbers if old != new)
        how = ("numbers carried over" if match.carried else
               "not every number could be carried over: check them")
        return Flag(FLAG_NUMBERS, "info", f"{match.percent}% match in the memory ({whose}), differing only in "
                                          f"numbers ({changed}; {how}): «{match.target}»", {**evidence, "numbers": match.numbers})
    return Flag(FLAG_MATCH, "info", f"{match.percent}% match in the memory ({whose}): «{match.target}»", evidence)


def offer_matches(document: Document, index: FuzzyIndex | None, paragraph_key) -> Document:
    """Each paragraph without an exact memory translation gets the best match (if any) as its
    `memory_match` and an info flag. `paragraph_key`: the memory's key of a paragraph's Arabic."""
    if index is None or not len(index):
        return document
    for paragraph in document.paragraphs:
        paragraph.memory_match = None
        paragraph.flags = [f for f in paragraph.flags if f.code not in FLAG_CODES]
        if paragraph.sentences and all(s.origin in ("human", "verbatim") for s in paragraph.sentences):
            continue  # an editor's English is already the target (an exact match), or nothing to translate
        match = index.best(paragraph_key(paragraph.source))
        if match is None or (match.score >= 100 and match.origin == "human"):
            continue
        if " ".join(match.target.split()) == " ".join(paragraph.target.split()):
            continue  # nothing to offer: the English it has (Tarjama's own TMX imported back, say)
        paragraph.memory_match = match
        paragraph.flags.append(_flag(match))
    return document
