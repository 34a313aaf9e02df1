"""Train the spoken-Arabic model of the `dialect` check: pipeline/checks/dialect_model.json.

Data (read from the shared folders, never downloaded):
- FLORES-200, half of devtest (`dialects/`): the same 517 sentences in MSA (`.arb`) and seven
  spoken varieties, line-aligned; `.docids` gives each line's document.
- NTREX-128 dev (`ntrex-dev/`): 1,662 sentences of MSA news (`ntrex.dev.ar`, `.docids`), and the
  same articles as paragraphs (`articles/*.ar.txt`; used, when there, to set the threshold).

Split by DOCUMENT, never by sentence: the FLORES lines are translations of one another, so a
sentence in the training part would otherwise have its twin in another variety in the test
part. A document is in the training part when the sha256 of its id is even (`part()` below);
the rest is "held-out". `--part` chooses the documents to train on: all of them for the shipped
model (the default); bench/dialect.py trains on each half in turn and judges the other with it.

Two models, both L2-regularised logistic regression (scikit-learn, needed only here:
`pip install scikit-learn`), over the features of `pipeline.checks.dialect.features`:
1. spoken (Egyptian, North and South Levantine, Iraqi, Tunisian, Moroccan) against MSA (FLORES
   MSA + NTREX news). Najdi is left out: as written in FLORES it is close to MSA.
2. which variety (Egyptian, Levantine, Iraqi/Gulf, Maghrebi), on the spoken lines (Najdi's as
   Iraqi/Gulf where they differ from their MSA line), with the MSA lines as a fifth class that
   the check never names: it takes the words the varieties share with MSA, so the varieties'
   weights go to what tells them apart (wrong names 7.6% → 6.0% of the flagged, docs/checks.md).
The regularisation C and the flagging threshold are chosen within the training documents alone
by four-fold cross-validation, folds by document (`_fold()`): C by the out-of-fold recall at the
false-alarm limits on the train half (0.03, 0.1, 0.3, 1 and 3 tried: 0.1 best, by a point or
less), the threshold as the
lowest score that keeps out-of-fold false alarms at most 0.25% of NTREX sentences, 0.3% of the
NTREX article paragraphs (cut into sentences and quoted stretches as the check cuts them) and 2%
of FLORES MSA, judged as the check judges (`judged_score`: a piece without a strong marker needs
`unmarked_margin` more and 5 words; one with a strong marker is flagged above
`strong_marker_score` whatever the threshold). Small weights are dropped so the file stays small. Deterministic: liblinear's primal solver and lbfgs have no
randomness, the data are read in file order (tests/unit/checks/test_dialect_build.py). The
out-of-fold recall per variety at that threshold is printed and kept in the file ("training").

    python models/build_dialect.py ../shared/data/dialects ../shared/data/ntrex-dev [--part all]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.checks.dialect import MODEL_FILE, DialectParams, features, judged_score, pieces  # noqa: E402
from pipeline.text.dialect import EGYPTIAN, IRAQI_GULF, LEVANTINE, MAGHREBI, markers, words  # noqa: E402

SPOKEN_CODES = ("arz", "apc", "ajp", "acm", "aeb", "ary")
VARIETY_OF = {"arz": EGYPTIAN, "apc": LEVANTINE, "ajp": LEVANTINE, "acm": IRAQI_GULF, "ars": IRAQI_GULF,
              "aeb": MAGHREBI, "ary": MAGHREBI}
ALL_CODES = ("arb", "arz", "apc", "ajp", "acm", "ars", "aeb", "ary")
C = 0.1               # inverse regularisation strength (4-fold CV on the training part: 0.1, 0.3, 1, 3)
VARIETY_C = 0.3       # of the variety model
MARKER_SCALE = 3.0    # marker counts are scaled up in training: weaker regularisation for them
MIN_WEIGHT = 0.05     # smaller weights are dropped from the file
NTREX_FALSE_ALARMS = 0.0025
FLORES_FALSE_ALARMS = 0.02
PARAGRAPH_FALSE_ALARMS = 0.003  # of the NTREX article paragraphs (the aim: ≤ 0.5 points of warnings)


def part(docid: str) -> str:
    """'train' or 'held-out' for a document id (FLORES URL or NTREX id)."""
    return "train" if int(hashlib.sha256(docid.encode("utf-8")).hexdigest(), 16) % 2 == 0 else "held-out"


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")


def load_flores(folder: Path) -> tuple[list[str], dict[str, list[str]]]:
    """(document id per line, lines per variety code)."""
    docids = [d for d in _lines(folder / "flores200.dev-half.docids") if d]
    lines = {code: _lines(folder / f"flores200.dev-half.{code}")[: len(docids)] for code in ALL_CODES}
    return docids, lines


def load_ntrex(folder: Path) -> list[tuple[str, str]]:
    """(document id, sentence) for every NTREX sentence."""
    docids = [d for d in _lines(folder / "ntrex.dev.docids") if d]
    return list(zip(docids, _lines(folder / "ntrex.dev.ar")[: len(docids)]))


def vectorise(text: str) -> dict[str, float]:
    feats = features([form for _, form in words(text)], markers(text))
    return {f: (v * MARKER_SCALE if f.startswith("M:") else float(v)) for f, v in feats.items()}


def _fit(texts: list[str], labels: list, c: float = C, binary: bool = True):
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vectoriser = DictVectorizer()
    matrix = vectoriser.fit_transform([_vector(t) for t in texts]).tocsr()
    if binary:  # liblinear (primal, no randomness) wants 32-bit indices
        matrix.indices = matrix.indices.astype(np.int32)
        matrix.indptr = matrix.indptr.astype(np.int32)
        classifier = LogisticRegression(C=c, solver="liblinear", max_iter=5000).fit(matrix, labels)
    else:
        classifier = LogisticRegression(C=c, max_iter=5000).fit(matrix, labels)
    return vectoriser, classifier


_VECTORS: dict[str, dict[str, float]] = {}


def _vector(text: str) -> dict[str, float]:
    if text not in _VECTORS:
        _VECTORS[text] = vectorise(text)
    return _VECTORS[text]


FOLDS = 4


def _fold(docid: str) -> int:
    return int(hashlib.md5(docid.encode("utf-8")).hexdigest(), 16) % FOLDS


def _as_judged(score: float, text: str) -> float:
    """The score as the check compares it with the threshold (pipeline/checks/dialect.py)."""
    n_words = len(words(text))
    if n_words < DialectParams().min_words:
        return -math.inf
    return judged_score(score, any(m.strong for m in markers(text)), n_words, DialectParams())


def _judge_paragraphs(vectoriser, classifier, texts: list[str]) -> list[float]:
    """Each text cut into pieces as the check cuts a paragraph, judged as the check judges them:
    the highest judged score of its pieces (-inf without a piece of `min_words`)."""
    cut = [[p for p in pieces(text) if len(words(p)) >= DialectParams().min_words] for text in texts]
    flat = [p for ps in cut for p in ps]
    scores = iter(classifier.decision_function(vectoriser.transform([_vector(p) for p in flat])) if flat else [])
    return [max((_as_judged(float(next(scores)), p) for p in ps), default=-math.inf) for ps in cut]


def load_paragraphs(ntrex: Path) -> list[tuple[str, str]]:
    """(document id, paragraph) for every NTREX article paragraph (`articles/*.ar.txt`), if any."""
    return [(path.name[: -len(".ar.txt")], line) for path in sorted((ntrex / "articles").glob("*.ar.txt"))
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


PARTS = ("train", "held-out", "all")


def train(dialects: Path, ntrex: Path, which: str = "all") -> dict:
    """The model trained on the documents of `which` part ("all": every document; the shipped model)."""
    def chosen(docid: str) -> bool:
        return which == "all" or part(docid) == which

    docids, lines = load_flores(dialects)
    news = [(d, s) for d, s in load_ntrex(ntrex) if chosen(d)]
    rows = [i for i, d in enumerate(docids) if chosen(d)]

    def binary(select) -> tuple[list[str], list[int], list[str]]:
        texts, labels, kinds = [], [], []
        for i in rows:
            if select(docids[i]):
                for code in SPOKEN_CODES:
                    texts.append(lines[code][i]); labels.append(1); kinds.append(code)
                texts.append(lines["arb"][i]); labels.append(0); kinds.append("arb")
        for d, s in news:
            if select(d):
                texts.append(s); labels.append(0); kinds.append("ntrex")
        return texts, labels, kinds

    # The threshold, out of fold; and the recall it gives, out of fold (the spoken lines judged as
    # the check judges a paragraph: each piece, the highest).
    held_scores: dict[str, list[float]] = {"arb": [], "ntrex": [], "paragraphs": [], **{c: [] for c in SPOKEN_CODES}}
    paragraphs = [(d, text) for d, text in load_paragraphs(ntrex) if chosen(d)]
    for k in range(FOLDS):
        texts, labels, _ = binary(lambda d: _fold(d) != k)
        if len(set(labels)) < 2:
            continue  # a tiny input (the tests): no fold to learn from
        vectoriser, classifier = _fit(texts, labels)
        texts, _, kinds = binary(lambda d: _fold(d) == k)
        if texts:
            scores = classifier.decision_function(vectoriser.transform([_vector(t) for t in texts]))
            for kind, score, text in zip(kinds, scores, texts):
                if kind in ("arb", "ntrex"):
                    held_scores[kind].append(_as_judged(float(score), text))
        spoken = [(code, text) for code, text in zip(kinds, texts) if code in SPOKEN_CODES]
        for (code, _), judged in zip(spoken, _judge_paragraphs(vectoriser, classifier, [t for _, t in spoken])):
            held_scores[code].append(judged)
        # Whole paragraphs of the news articles, cut into pieces as the check cuts them: the
        # quoted stretches and fragments are where false alarms come from, not whole sentences.
        held_scores["paragraphs"] += _judge_paragraphs(vectoriser, classifier,
                                                       [text for d, text in paragraphs if _fold(d) == k])
    limits = [float(np.quantile(held_scores[kind], 1 - rate)) for kind, rate in
              (("ntrex", NTREX_FALSE_ALARMS), ("arb", FLORES_FALSE_ALARMS), ("paragraphs", PARAGRAPH_FALSE_ALARMS))
              if held_scores[kind]]
    threshold = max(limits, default=0.0)
    out_of_fold = {kind: round(float(np.mean(np.array(scores) > threshold)), 4)
                   for kind, scores in held_scores.items() if scores}

    texts, labels, _ = binary(lambda d: True)
    vectoriser, classifier = _fit(texts, labels)
    names = vectoriser.get_feature_names_out()
    weights = {}
    for name, w in zip(names, classifier.coef_[0]):
        w = float(w) * (MARKER_SCALE if name.startswith("M:") else 1.0)
        if abs(w) >= MIN_WEIGHT:
            weights[name] = round(w, 3)

    # Which variety, on the spoken lines and MSA (a class of its own, never named). Most Najdi
    # lines are their MSA line word for word: only those that differ are Iraqi/Gulf examples.
    vcodes = [code for code in VARIETY_OF if code != "ars"] + ["arb"]
    najdi = [i for i in rows if [f for _, f in words(lines["ars"][i])] != [f for _, f in words(lines["arb"][i])]]
    vtexts = [lines[code][i] for i in rows for code in vcodes] + [lines["ars"][i] for i in najdi]
    vlabels = [VARIETY_OF.get(code, "MSA") for i in rows for code in vcodes] + [VARIETY_OF["ars"]] * len(najdi)
    vvectoriser, vclassifier = _fit(vtexts, vlabels, VARIETY_C, binary=False)
    variety_weights: dict[str, dict[str, float]] = {}
    for j, name in enumerate(vvectoriser.get_feature_names_out()):
        scale = MARKER_SCALE if name.startswith("M:") else 1.0
        row = {str(c): round(float(vclassifier.coef_[r][j]) * scale, 3) for r, c in enumerate(vclassifier.classes_)
               if abs(vclassifier.coef_[r][j]) >= 2 * MIN_WEIGHT}
        if row:
            variety_weights[name] = row
    return {
        "about": "spoken-Arabic model of the dialect check, built by models/build_dialect.py",
        "training": {"flores_documents": len({docids[i] for i in rows}), "flores_lines": len(rows),
                     "ntrex_sentences": len(news), "ntrex_paragraphs": len(paragraphs),
                     "documents": {"all": "every document", "train": "documents whose sha256(id) is even",
                                   "held-out": "documents whose sha256(id) is odd"}[which],
                     "C": C, "threshold_from": f"{FOLDS}-fold out-of-fold scores (folds by document), as the check "
                     f"judges: ≤{NTREX_FALSE_ALARMS:.2%} NTREX sentences, ≤{PARAGRAPH_FALSE_ALARMS:.1%} NTREX "
                                       f"paragraphs, ≤{FLORES_FALSE_ALARMS:.0%} FLORES MSA",
                     "out_of_fold": out_of_fold},
        "threshold": round(threshold, 3),
        "bias": round(float(classifier.intercept_[0]), 3),
        "weights": dict(sorted(weights.items())),
        "variety_bias": {str(c): round(float(b), 3) for c, b in zip(vclassifier.classes_, vclassifier.intercept_)},
        "variety_weights": dict(sorted(variety_weights.items())),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dialects", type=Path, help="the dialects folder (flores200.dev-half.*)")
    parser.add_argument("ntrex", type=Path, help="the ntrex-dev folder (ntrex.dev.ar, ntrex.dev.docids)")
    parser.add_argument("-o", "--output", type=Path, default=MODEL_FILE)
    parser.add_argument("--part", choices=PARTS, default="all",
                        help="the documents to train on (default: all, the shipped model; bench/dialect.py "
                             "trains on each half in turn and judges the other)")
    args = parser.parse_args()
    model = train(args.dialects, args.ntrex, args.part)
    args.output.write_text(json.dumps(model, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{args.output}: {len(model['weights'])} weights, {len(model['variety_weights'])} variety features, "
          f"threshold {model['threshold']}, {args.output.stat().st_size / 1024:.0f} KiB")
    print("out of fold (4-fold by document, within the training documents):",
          ", ".join(f"{kind} {share:.1%}" for kind, share in model["training"]["out_of_fold"].items()))


if __name__ == "__main__":
    main()
