"""Spoken Arabic in the source: a warning, because the models translate it far worse than MSA.

A paragraph is cut into its sentences and its quoted stretches («…», "…", “…”), so one
spoken quotation inside a paragraph of Modern Standard Arabic is judged on its own. Each piece
gets a score from a linear model over its words, the letter n-grams of its words and the
hand-written markers of `pipeline/text/dialect.py`; the weights (`dialect_model.json`) are
trained by `models/build_dialect.py` on FLORES-200 and NTREX-128 (see docs/checks.md for the
data, the split and the figures). Scoring is a sum of dictionary look-ups: no heavy dependency.

The message names the variety where the evidence agrees (Egyptian, Levantine, Iraqi/Gulf,
Maghrebi) and the words that gave it away, so the editor can judge.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pydantic import Field

from ..model import Flag, Paragraph
from ..text.dialect import SPOKEN, Marker, markers, words
from ..text.sentences import sentence_spans
from .base import Params

MODEL_FILE = Path(__file__).with_name("dialect_model.json")
MIN_WORDS = 3  # shorter pieces («قال "نعم"») carry too little to judge
# A quotation: «…», "…" or “…” on one line (a quote may run over sentence ends).
_QUOTES = re.compile(r"«([^«»\n]+)»|\"([^\"\n]+)\"|“([^“”\n]+)”")
# Any quotation mark: the stretches between two of them are judged too, because one unpaired
# «"» earlier in a paragraph (newsroom copy has them) pairs every later one wrongly; and the words
# after a colon («وقال أحد السكان: …»), where a quotation without marks begins.
_QUOTE_MARK = re.compile("[\"«»“”]")
_AFTER_COLON = re.compile(r"[:：]\s*([^:：]+)$")


class DialectParams(Params):
    # The model's score (log-odds of "spoken") above which a sentence or quotation is flagged;
    # None: the threshold stored with the model, chosen at training time (docs/checks.md).
    threshold: float | None = None
    # A piece without a strong hand-written marker needs this much more: the model alone is less
    # sure (names and rare words of MSA news), a marker is evidence an editor can see.
    unmarked_margin: float = Field(default=1.0, ge=0)
    # A piece with a strong marker (a word or form MSA does not write, checked against MSA news)
    # is flagged when the model leans to spoken at all (log-odds above this), whatever the
    # threshold: the model then only guards against a marker that is also a name or a foreign word.
    # Raising `threshold` does not touch these pieces; raise this too to flag fewer.
    strong_marker_score: float = 0.0
    min_words: int = Field(default=MIN_WORDS, ge=1)
    # A piece without a strong marker is judged by the model alone only from this many words:
    # on a short piece (a name in quotes, «ذي هاي بريد») its score is mostly noise.
    min_words_unmarked: int = Field(default=5, ge=1)
    # The variety is named from the variety model (when no hand-written marker names it) only when
    # the model gives it this share of its probability; else "variety unclear". Higher: fewer
    # wrong names, more unclear ones (docs/checks.md has the trade-off measured).
    variety_share: float = Field(default=0.7, ge=0, le=1)


@dataclass(frozen=True)
class DialectModel:
    bias: float
    weights: dict[str, float]
    threshold: float
    variety_bias: dict[str, float]
    variety_weights: dict[str, dict[str, float]]  # feature → {variety: weight}

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> "DialectModel":
        return cls.from_dict(json.loads(path.read_text(encoding="utf-8")))

    @classmethod
    def from_dict(cls, data: dict) -> "DialectModel":
        """A model as `models/build_dialect.py` returns it (what the JSON file holds)."""
        return cls(data["bias"], data["weights"], data["threshold"], data["variety_bias"], data["variety_weights"])


@lru_cache(maxsize=1)
def model() -> DialectModel:
    return DialectModel.load()


def features(forms: list[str], found: list[Marker]) -> dict[str, int]:
    """The model's features of a piece of text: its words (matching forms), the 2–4-letter
    n-grams of each word with its edges marked (prefixes and suffixes are where the varieties
    differ: بي-, ح-, -ش, -و), and how many strong and weak markers it has (capped at 2)."""
    feats: dict[str, int] = {}
    # In the words' order, not a set's: a set's order changes with each process's string hashing,
    # and with it the last bits of the score's sum (a flag's score differed between two runs).
    for word in dict.fromkeys(forms):
        feats.update(_word_features(word))  # each feature once
    strong = sum(m.strong for m in found)
    weak = len(found) - strong
    if strong:
        feats["M:strong"] = min(strong, 2)
    if weak:
        feats["M:weak"] = min(weak, 2)
    return feats


def _feature_names(word: str) -> Iterator[str]:
    """The word itself, then its 2–4-letter n-grams with its edges marked by a space."""
    yield "w:" + word
    padded = f" {word} "
    for n in (2, 3, 4):
        for i in range(len(padded) - n + 1):
            yield "c:" + padded[i:i + n]


@lru_cache(maxsize=16384)  # words recur
def _word_features(word: str) -> dict[str, int]:
    return dict.fromkeys(_feature_names(word), 1)


@dataclass(frozen=True)
class Judgement:
    score: float             # log-odds that the piece is spoken Arabic
    variety: str             # one of VARIETIES, or "" when it cannot tell
    evidence: list[str]      # the words that gave it away, as written
    marked: bool = False     # has at least one hand-written marker
    strong: bool = False     # has at least one strong marker


@dataclass
class _Scored:
    """A piece scored; which variety and why are worked out only for the piece that is flagged."""

    written: list[tuple[str, str]]
    found: list[Marker]
    score: float

    @property
    def strong(self) -> bool:
        return any(marker.strong for marker in self.found)

    def judgement(self, m: DialectModel, variety_share: float = DialectParams().variety_share) -> Judgement:
        feats = features([form for _, form in self.written], self.found)
        return Judgement(self.score, _variety(m, feats, self.found, variety_share),
                         _evidence(m, self.written, self.found),
                         bool(self.found), self.strong)


@lru_cache(maxsize=1 << 16)  # words recur
def _weighted(word: str) -> frozenset[str]:
    """The word's features that the shipped model has a weight for, looked up as they are made
    (most of a word's n-grams have none)."""
    return frozenset(filter(model().weights.__contains__, _feature_names(word)))


def _score(m: DialectModel, forms: list[str], found: list[Marker]) -> float:
    """bias + the weights of the piece's features (each feature once, `features`). Features the
    model has no weight for add 0.0: for the shipped model, the union of the words' weighted
    features is summed instead, a fraction of the look-ups, and with `math.fsum`, whose exact sum
    does not depend on a set's order (which changes with each process's string hashing)."""
    weights = m.weights
    if m is not model():
        return m.bias + sum(weights.get(f, 0.0) * v for f, v in features(forms, found).items())
    terms = list(map(weights.__getitem__, frozenset().union(*map(_weighted, forms))))
    strong = sum(marker.strong for marker in found)
    weak = len(found) - strong
    if strong:
        terms.append(weights.get("M:strong", 0.0) * min(strong, 2))
    if weak:
        terms.append(weights.get("M:weak", 0.0) * min(weak, 2))
    return m.bias + math.fsum(terms)


def _scored(text: str, m: DialectModel, written: list[tuple[str, str]] | None = None) -> _Scored:
    written = words(text) if written is None else written
    found = markers(text, written)
    return _Scored(written, found, _score(m, [form for _, form in written], found))


def judge(text: str, dialect_model: DialectModel | None = None) -> Judgement:
    """How spoken `text` (a sentence or a quotation) is, which variety, and why."""
    m = dialect_model or model()
    return _scored(text, m).judgement(m)


def _variety(m: DialectModel, feats: dict[str, int], found: list[Marker], share: float) -> str:
    named = Counter(marker.variety for marker in found if marker.variety != SPOKEN and marker.strong)
    if named:
        (top, count), *rest = named.most_common(2) + [("", 0)]
        if count > rest[0][1]:
            return top
    totals = dict(m.variety_bias)
    for f, v in feats.items():
        for variety, w in m.variety_weights.get(f, {}).items():
            totals[variety] += w * v
    totals.pop("MSA", None)  # a class of the variety model, never a name (models/build_dialect.py)
    best = max(totals, key=totals.get)
    # Named only when the model is fairly sure (its softmax share ≥ `share`); otherwise "spoken".
    z = sum(math.exp(t - totals[best]) for t in totals.values())
    return best if 1 / z >= share else ""


def _evidence(m: DialectModel, written: list[tuple[str, str]], found: list[Marker], limit: int = 4) -> list[str]:
    shown = [marker.word for marker in sorted(found, key=lambda x: not x.strong)]
    if len(shown) < limit:
        # Then the words the model leans on most (their own weight and their letter n-grams').
        def lean(form: str) -> float:
            grams = (name for name in _word_features(form) if name.startswith("c:"))
            return m.weights.get("w:" + form, 0.0) + sum(m.weights.get(g, 0.0) for g in grams)

        seen = {marker.word for marker in found}
        ranked = sorted({(lean(form), w) for w, form in written if w not in seen}, reverse=True)
        shown += [w for score, w in ranked if score > 1.0][: limit - len(shown)]
        if not shown:  # none leans much on its own: the two that lean most, so the editor sees some
            shown = [w for score, w in ranked if score > 0][:2]
    return shown[:limit]


def pieces(text: str) -> list[str]:
    """The sentences of `text`, its quoted stretches, the stretches between any two quotation
    marks and what follows a colon in a sentence, each judged on its own."""
    sentences = [text[start:end] for start, end in sentence_spans(text)]
    found = list(sentences)
    candidates = [next(g for g in match.groups() if g is not None) for match in _QUOTES.finditer(text)]
    candidates += _QUOTE_MARK.split(text)[1:-1]
    candidates += [m.group(1) for s in sentences for m in [_AFTER_COLON.search(s)] if m]
    for quoted in candidates:
        quoted = quoted.strip()
        if quoted and quoted not in found:
            found.append(quoted)
    return found


def judged_score(score: float, strong: bool, n_words: int, params: DialectParams) -> float:
    """The piece's score as compared with the threshold (flagged when above it): a piece with a
    strong marker is flagged when the model leans to spoken at all (above `strong_marker_score`:
    +inf, else -inf); one without needs `unmarked_margin` more and `min_words_unmarked` words. A
    weak marker («صار», «حاجة», «ممكن») lowers nothing: MSA has it often enough, and the model has
    it among its features already. models/build_dialect.py calibrates the threshold on this."""
    if strong:
        return math.inf if score > params.strong_marker_score else -math.inf
    if n_words < params.min_words_unmarked:
        return -math.inf
    return score - params.unmarked_margin


def dialect(paragraph: Paragraph, params: DialectParams, dialect_model: DialectModel | None = None) -> list[Flag]:
    """The check (`dialect_model`: another model than the shipped one, as bench/dialect.py
    measures a model trained without the documents it judges)."""
    m = dialect_model or model()
    threshold = m.threshold if params.threshold is None else params.threshold
    best: tuple[_Scored, str] | None = None
    for piece in pieces(paragraph.source):
        written = words(piece)
        if len(written) < params.min_words:
            continue
        scored = _scored(piece, m, written)
        if judged_score(scored.score, scored.strong, len(written), params) > threshold and (
                best is None or scored.score > best[0].score):
            best = (scored, piece)
    if best is None:
        return []
    judgement, piece = best[0].judgement(m, params.variety_share), best[1]
    variety = judgement.variety or "variety unclear"
    message = f"spoken Arabic ({variety}), not MSA: models translate it less well; check the English against the Arabic"
    if judgement.evidence:
        message += " (words: " + ", ".join(f"«{w}»" for w in judgement.evidence) + ")"
    else:
        message += " (no single word stands out: the sentence as a whole reads as spoken)"
    return [Flag("dialect", "warning", message,
                 {"variety": judgement.variety or None, "words": judgement.evidence,
                  "text": piece[:200], "score": round(judgement.score, 2)})]
