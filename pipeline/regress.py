"""Translation regression suites: `tarjama regress SUITE`.

A suite is plain files a newsroom keeps in its own repository:

- a folder with `suite.yaml` (settings and cases, or `cases:` naming a JSONL/TSV file), or
- a single `.jsonl` file (first line `{"settings": {...}}` optional, then one case per line), or
- a single `.tsv` file (header `id  source  reference  must_contain  must_not_contain`; lists
  separated by `|`; an optional first line `# settings: {json}`).

A case has an `id`, an Arabic `source` (a sentence or a paragraph; newlines separate paragraphs)
or a `source_file` (a whole article, read like `tarjama translate` reads it), an optional English
`reference` (or `reference_file`), and optional expectations: `must_contain`, `must_not_contain`
(strings, e.g. a name or a number), `expect_flags`, `forbid_flags` (review flag codes).

The suite is translated with the pipeline's own segmentation, translator and checks (the
translation memory is bypassed unless asked for), scored with sacrebleu (BLEU, chrF, TER, with
their signatures) and compared with a stored baseline: the outputs and scores of an accepted
run, tied to the model's fingerprint. Changed outputs fail with a word diff; a metric that drops
by more than its allowed delta fails when sacrebleu's paired bootstrap resampling says the drop
is significant; a violated expectation fails.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from . import __version__
from .align import align_document
from .config import Settings, with_updates
from .errors import InputError, TarjamaError
from .export.record import dumps
from .fsutil import atomic_write_text
from .ingest import is_blank, read_document
from .model import Document, Paragraph, paragraph_id
from .review import Reviewer, review_document
from .segment import SegmentOptions, segment_document
from .translate.stage import translate_documents

BASELINE_NAME = "baseline.json"


class SuiteError(TarjamaError):
    """A suite file is malformed."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MetricGate(_Strict):
    max_drop: float = Field(1.0, ge=0)  # points a metric may lose (TER: gain) before the gate can fail


class SuiteSettings(_Strict):
    name: str | None = None
    config: str | None = None                 # a config.yaml for this suite (relative to it), not the working directory's
    glossary: str | None = None               # terms file (relative to the suite), in place of review.glossary
    model: str | None = None                  # hub id or directory (relative to the suite)
    backend: Literal["transformers", "ctranslate2"] | None = None
    generation: dict[str, float | int] = Field(default_factory=dict)  # translation.* overrides
    metrics: dict[Literal["BLEU", "chrF", "TER"], MetricGate] = Field(
        default_factory=lambda: {"BLEU": MetricGate(), "chrF": MetricGate(), "TER": MetricGate()})
    resamples: int = Field(1000, ge=100)      # paired bootstrap resamples
    alpha: float = Field(0.05, gt=0, lt=1)    # a drop counts when p < alpha
    fail_on_change: bool = True               # a case whose output differs from the baseline fails
    baseline: str = BASELINE_NAME             # relative to the suite


class Case(_Strict):
    id: str = Field(min_length=1)
    source: str | None = None
    source_file: str | None = None
    reference: str | None = None
    reference_file: str | None = None
    must_contain: list[str] = Field(default_factory=list)
    must_not_contain: list[str] = Field(default_factory=list)
    expect_flags: list[str] = Field(default_factory=list)
    forbid_flags: list[str] = Field(default_factory=list)


@dataclass
class Suite:
    path: Path          # the suite file or folder
    folder: Path        # where relative paths point
    settings: SuiteSettings
    cases: list[Case]

    @property
    def name(self) -> str:
        return self.settings.name or self.path.stem

    @property
    def baseline_path(self) -> Path:
        return self.folder / self.settings.baseline

    @property
    def config_path(self) -> Path | None:
        return self.folder / self.settings.config if self.settings.config else None


# --- loading ------------------------------------------------------------------------------

def _validated(model: type[BaseModel], data, where: str):
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        key = ".".join(str(p) for p in error["loc"]) or "(top)"
        what = "unknown key" if error["type"] == "extra_forbidden" else error["msg"].lower()
        raise SuiteError(f"{where}: {key}: {what}") from None


def _split_list(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split("|") if part.strip()]


def _read_cases_file(path: Path) -> tuple[dict, list[dict]]:
    """Settings and raw cases of a .jsonl or .tsv file."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise SuiteError(f"{path}: cannot read ({exc.strerror or exc})") from None
    settings: dict = {}
    cases: list[dict] = []
    if path.suffix.lower() == ".jsonl":
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                raise SuiteError(f"{path}:{number}: not JSON ({exc.msg})") from None
            if isinstance(item, dict) and set(item) == {"settings"}:
                settings = item["settings"]
            else:
                cases.append(item)
    elif path.suffix.lower() == ".tsv":
        lines = text.splitlines()
        if lines and lines[0].startswith("# settings:"):
            settings = json.loads(lines.pop(0).split(":", 1)[1])
        rows = csv.DictReader(io.StringIO("\n".join(lines)), delimiter="\t", quoting=csv.QUOTE_NONE)
        for row in rows:
            case = {k: v for k, v in row.items() if v not in (None, "")}
            for key in ("must_contain", "must_not_contain", "expect_flags", "forbid_flags"):
                if key in case:
                    case[key] = _split_list(case[key])
            cases.append(case)
    else:
        raise SuiteError(f"{path}: a suite is a folder with suite.yaml, a .jsonl or a .tsv file")
    return settings, cases


def load_suite(path: Path) -> Suite:
    path = Path(path)
    if path.is_dir():
        spec = path / "suite.yaml"
        try:
            data = yaml.safe_load(spec.read_text(encoding="utf-8")) or {}
        except FileNotFoundError:
            raise SuiteError(f"{path}: no suite.yaml in this folder") from None
        except yaml.YAMLError:
            raise SuiteError(f"{spec}: not valid YAML") from None
        if not isinstance(data, dict) or set(data) - {"settings", "cases"}:
            raise SuiteError(f"{spec}: expected the keys 'settings' and 'cases'")
        settings, cases = data.get("settings") or {}, data.get("cases") or []
        if isinstance(cases, str):
            extra_settings, cases = _read_cases_file(path / cases)
            settings = {**extra_settings, **settings}
        folder = path
    elif path.is_file():
        settings, cases = _read_cases_file(path)
        folder = path.parent
    else:
        raise SuiteError(f"{path}: no such suite")
    suite_settings = _validated(SuiteSettings, settings, f"{path} settings")
    parsed = [_validated(Case, case, f"{path} case {number}") for number, case in enumerate(cases, start=1)]
    ids = [case.id for case in parsed]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise SuiteError(f"{path}: duplicate case ids: {', '.join(duplicates)}")
    for case in parsed:
        if (case.source is None) == (case.source_file is None):
            raise SuiteError(f"{path}: case {case.id}: give exactly one of source and source_file")
    if not parsed:
        raise SuiteError(f"{path}: no cases")
    return Suite(path, folder, suite_settings, parsed)


def suite_settings(suite: Suite, settings: Settings, model: str | None = None, backend: str | None = None) -> Settings:
    """The run's settings: config.yaml (the suite's own when it names one), then the suite's block,
    then the command line."""
    name = model or suite.settings.model
    if name and not model and (suite.folder / name).exists():
        name = str((suite.folder / name).resolve())
    review = {}
    if suite.settings.glossary:
        glossary = (suite.folder / suite.settings.glossary).resolve()
        if not glossary.is_file():
            raise SuiteError(f"{suite.path}: glossary {suite.settings.glossary} not found (relative to the suite)")
        review["glossary"] = glossary
    return with_updates(settings, model={"name": name, "backend": backend or suite.settings.backend},
                        translation=dict(suite.settings.generation), review=review)


# --- running ------------------------------------------------------------------------------

@dataclass
class CaseRun:
    case: Case
    output: str
    flags: list[str]
    reference: str | None
    checks: dict[str, str] = field(default_factory=dict)  # flag code → the check that raises it, for running checks
    seconds: float = 0.0  # its own segmenting, aligning and review, and its share of the batched translation


def _document_for(case: Case, suite: Suite) -> Document:
    if case.source_file:
        path = suite.folder / case.source_file
        try:
            return read_document(path, case.id)
        except InputError as exc:
            raise SuiteError(f"case {case.id}: {exc}") from None
    document = Document(id=case.id, source_path=case.id, source_sha256="", format="txt")
    for line in (case.source or "").splitlines():
        if not is_blank(line):
            index = len(document.paragraphs) + 1
            document.paragraphs.append(Paragraph(paragraph_id(index), index, line.strip()))
    if not document.paragraphs:
        raise SuiteError(f"case {case.id}: empty source")
    return document


def _reference_for(case: Case, suite: Suite) -> str | None:
    if case.reference_file:
        return (suite.folder / case.reference_file).read_text(encoding="utf-8").strip()
    return case.reference


def run_suite(suite: Suite, settings: Settings, translator) -> list[CaseRun]:
    documents = [_document_for(case, suite) for case in suite.cases]
    options = SegmentOptions(**settings.segmentation.model_dump())
    seconds = []
    for document in documents:
        started = time.perf_counter()
        segment_document(document, options, translator.count_tokens)
        seconds.append(time.perf_counter() - started)
    started = time.perf_counter()
    translate_documents(documents, translator)  # all cases in one batched stream
    translating = time.perf_counter() - started
    units = [sum(len(p.sentences) for p in document.paragraphs) for document in documents]
    reviewer = Reviewer.from_settings(settings.review.checks, settings.review.glossary)
    running = {code: name for name, (spec, _) in reviewer.checks.items() for code in spec.codes}
    runs = []
    for case, document, own, count in zip(suite.cases, documents, seconds, units):
        started = time.perf_counter()
        align_document(document)
        review_document(document, reviewer)
        own += time.perf_counter() - started + translating * count / max(1, sum(units))
        runs.append(CaseRun(case, "\n".join(p.target for p in document.paragraphs),
                            sorted({f.code for p in document.paragraphs for f in p.flags}), _reference_for(case, suite),
                            running, round(own, 4)))
    return runs


# --- scoring and comparing ----------------------------------------------------------------

def _metrics():
    from sacrebleu.metrics import BLEU, CHRF, TER

    return {"BLEU": BLEU(), "chrF": CHRF(), "TER": TER()}


def _flat(text: str) -> str:
    return " ".join(text.split())


def score(runs: list[CaseRun]) -> tuple[dict[str, float], dict[str, str]]:
    scored = [run for run in runs if run.reference]
    if not scored:
        return {}, {}
    hypotheses, references = [_flat(r.output) for r in scored], [[_flat(r.reference) for r in scored]]
    scores, signatures = {}, {}
    for name, metric in _metrics().items():
        result = metric.corpus_score(hypotheses, references)
        scores[name] = round(result.score, 2)
        # Exactly as sacrebleu's own text output spells it ("chrF2|nrefs:1|…|version:2.6.0"), so a
        # score can be reproduced with `sacrebleu REF -i HYP -m chrf` and compared by pasting.
        signatures[name] = f"{result.name}|{metric.get_signature()}"
    return scores, signatures


def word_diff(old: str, new: str) -> str:
    """`[-removed-]{+added+}` over words, the way `git diff --word-diff` shows it."""
    a, b = old.split(), new.split()
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(" ".join(a[i1:i2]))
        if op in ("replace", "delete"):
            parts.append("[-" + " ".join(a[i1:i2]) + "-]")
        if op in ("replace", "insert"):
            parts.append("{+" + " ".join(b[j1:j2]) + "+}")
    return " ".join(parts)


@dataclass
class Outcome:
    name: str            # case id, or "metric:BLEU"
    passed: bool
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    diff: str = ""
    skipped: bool = False
    seconds: float = 0.0


def check_case(run: CaseRun, baseline: dict | None, fail_on_change: bool) -> Outcome:
    outcome = Outcome(run.case.id, True, seconds=run.seconds)
    for text in run.case.must_contain:
        if text not in run.output:
            outcome.problems.append(f"must contain «{text}»")
    for text in run.case.must_not_contain:
        if text in run.output:
            outcome.problems.append(f"must not contain «{text}»")
    for code in run.case.expect_flags:
        if code not in run.checks:
            outcome.problems.append(f"expected flag {code} cannot be raised: {_not_running(code)}")
        elif code not in run.flags:
            outcome.problems.append(f"expected flag {code} is missing (flags: {', '.join(run.flags) or 'none'})")
    for code in run.case.forbid_flags:
        if code in run.flags:
            outcome.problems.append(f"flag {code} must not be raised")
        elif code not in run.checks:
            outcome.notes.append(f"forbidden flag {code} is not checked: {_not_running(code)}")
    if baseline is not None:
        before = baseline["outputs"].get(run.case.id)
        if before is None:
            outcome.notes.append("new case: not in the baseline")
        elif before != run.output:
            outcome.diff = word_diff(before, run.output)
            (outcome.problems if fail_on_change else outcome.notes).append("output changed from the baseline")
    outcome.passed = not outcome.problems
    return outcome


def _not_running(code: str) -> str:
    from .review import CHECKS

    check = next((name for name, spec in CHECKS.items() if code in spec.codes), None)
    if check is None:
        return "no check raises it (unknown flag code)"
    if check == "glossary":
        return "no glossary is loaded (name one with the suite's `glossary:`, its `config:`, or review.glossary)"
    return f"the {check} check is turned off"


def check_metrics(runs: list[CaseRun], scores: dict, baseline: dict | None, settings: SuiteSettings) -> list[Outcome]:
    """A gate per metric: fail when it worsened by more than max_drop and the change is significant."""
    if not scores:
        return []
    if baseline is None or not baseline.get("scores"):
        return [Outcome(f"metric:{name}", True, notes=["no baseline to compare with"], skipped=True) for name in scores]
    scored = [run for run in runs if run.reference and run.case.id in baseline["outputs"]]
    p_values = _paired_bootstrap([baseline["outputs"][r.case.id] for r in scored], [r.output for r in scored],
                                 [r.reference for r in scored], settings.resamples)
    outcomes = []
    for name, current in scores.items():
        before = baseline["scores"].get(name)
        gate = settings.metrics.get(name)
        if before is None or gate is None:
            outcomes.append(Outcome(f"metric:{name}", True, notes=["not gated"], skipped=True))
            continue
        worse = current - before if name == "TER" else before - current  # TER: lower is better
        p = p_values.get(name)
        outcome = Outcome(f"metric:{name}", True, notes=[f"{name} {current:.2f} (baseline {before:.2f}, p={p:.3f})"
                                                         if p is not None else f"{name} {current:.2f} (baseline {before:.2f})"])
        if worse > gate.max_drop:
            if p is not None and p < settings.alpha:
                outcome.passed = False
                outcome.problems.append(f"{name} worsened by {worse:.2f} (allowed {gate.max_drop}), "
                                        f"significant: p={p:.3f} < {settings.alpha}")
            else:
                outcome.notes.append(f"worsened by {worse:.2f} but not significantly (p={p:.3f})" if p is not None
                                     else f"worsened by {worse:.2f}")
        outcomes.append(outcome)
    return outcomes


def _paired_bootstrap(baseline: list[str], current: list[str], references: list[str], resamples: int) -> dict[str, float]:
    """sacrebleu's paired bootstrap resampling: p-value of each metric's difference."""
    if len(references) < 2 or baseline == current:
        return {name: 1.0 for name in ("BLEU", "chrF", "TER")}
    from sacrebleu.significance import PairedTest

    test = PairedTest([("baseline", [_flat(t) for t in baseline]), ("current", [_flat(t) for t in current])],
                      _metrics(), [[_flat(r) for r in references]], test_type="bs", n_samples=resamples)
    _, results = test()
    # sacrebleu names the metrics by their settings ("chrF2"): match them by prefix.
    return {name: float(values[1].p_value) for name in ("BLEU", "chrF", "TER")
            for key, values in results.items() if key.startswith(name) and values[1].p_value is not None}


# --- reports ------------------------------------------------------------------------------

@dataclass
class Report:
    suite: Suite
    model: dict
    scores: dict
    signatures: dict
    cases: list[Outcome]
    metrics: list[Outcome]
    baseline: dict | None
    runs: list[CaseRun]

    @property
    def passed(self) -> bool:
        return all(o.passed for o in self.cases + self.metrics)

    def to_dict(self) -> dict:
        return {
            "suite": self.suite.name, "passed": self.passed, "model": self.model, "scores": self.scores,
            "signatures": self.signatures,
            "baseline": {"path": str(self.suite.baseline_path), "model": (self.baseline or {}).get("model"),
                         "scores": (self.baseline or {}).get("scores")} if self.baseline else None,
            "cases": [{"id": o.name, "passed": o.passed, "problems": o.problems, "notes": o.notes, "diff": o.diff,
                       "output": run.output, "flags": run.flags} for o, run in zip(self.cases, self.runs)],
            "metrics": [{"name": o.name.split(":", 1)[1], "passed": o.passed, "skipped": o.skipped,
                         "problems": o.problems, "notes": o.notes} for o in self.metrics],
        }


def evaluate(suite: Suite, runs: list[CaseRun], model: dict) -> Report:
    baseline = None
    if suite.baseline_path.is_file():
        try:
            baseline = json.loads(suite.baseline_path.read_text(encoding="utf-8"))
        except ValueError:
            raise SuiteError(f"{suite.baseline_path}: not JSON; recreate it with --update-baseline") from None
    started = time.perf_counter()
    scores, signatures = score(runs)
    metrics = check_metrics(runs, scores, baseline, suite.settings)
    for outcome in metrics:  # scoring and the paired bootstrap serve all metrics at once: shared evenly
        outcome.seconds = round((time.perf_counter() - started) / len(metrics), 4)
    cases = [check_case(run, baseline, suite.settings.fail_on_change) for run in runs]
    if baseline and baseline.get("model", {}).get("fingerprint") != model["fingerprint"]:
        for outcome in cases:
            outcome.notes.append("the baseline was made with another model")
    return Report(suite, model, scores, signatures, cases, metrics, baseline, runs)


def write_baseline(report: Report) -> Path:
    path = report.suite.baseline_path
    data = {"suite": report.suite.name, "accepted": dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
            "tarjama_version": __version__, "model": report.model, "scores": report.scores,
            "signatures": report.signatures, "outputs": {run.case.id: run.output for run in report.runs}}
    atomic_write_text(path, dumps(data))
    return path


def write_junit(report: Report, path: Path) -> None:
    """One test case per suite case and one per metric gate, for CI systems to show natively."""
    from junitparser import Failure, JUnitXml, Skipped, TestCase, TestSuite

    suite = TestSuite(f"tarjama regress {report.suite.name}")
    for outcome in report.cases + report.metrics:
        case = TestCase(outcome.name, classname=f"regress.{report.suite.name}", time=outcome.seconds)
        if not outcome.passed:
            failure = Failure("; ".join(outcome.problems), "regression")
            failure.text = "\n".join(outcome.problems + ([f"word diff: {outcome.diff}"] if outcome.diff else []))
            case.result = [failure]
        elif outcome.skipped:
            case.result = [Skipped("; ".join(outcome.notes))]
        if outcome.notes or outcome.diff:
            case.system_out = "\n".join(outcome.notes + ([f"word diff: {outcome.diff}"] if outcome.diff else []))
        suite.add_testcase(case)
    xml = JUnitXml()
    xml.add_testsuite(suite)
    text = xml.tostring()
    atomic_write_text(path, text.decode("utf-8") if isinstance(text, bytes) else text)



def render(report: Report) -> str:
    """The report as people read it in a CI log."""
    suite = report.suite
    scored = sum(1 for run in report.runs if run.reference)
    lines = [f"regress {suite.name}: {len(report.runs)} cases ({scored} with references); model "
             f"{report.model['name']} ({report.model['backend']}, {report.model['fingerprint'][:19]}…)"]
    if report.scores:
        before = (report.baseline or {}).get("scores") or {}
        lines.append("  " + "  ".join(f"{name} {value:.2f}" + (f" (baseline {before[name]:.2f})" if name in before else "")
                                      for name, value in report.scores.items()))
        lines += [f"  {signature} = {report.scores[name]:.2f}" for name, signature in report.signatures.items()]
    if report.baseline is None:
        lines.append(f"  no baseline at {suite.baseline_path}: run with --update-baseline to accept these outputs")
    for outcome in report.cases + report.metrics:
        if not outcome.passed:
            lines.append(f"FAIL {outcome.name}: {'; '.join(outcome.problems)}")
        elif outcome.diff or outcome.notes and not outcome.name.startswith("metric:"):
            lines.append(f"note {outcome.name}: {'; '.join(outcome.notes)}")
        if outcome.diff:
            lines.append(f"     {outcome.diff}")
    failed_cases = sum(1 for o in report.cases if not o.passed)
    failed_gates = sum(1 for o in report.metrics if not o.passed)
    lines.append(f"result: {'PASS' if report.passed else 'FAIL'} — {failed_cases} of {len(report.cases)} cases failed, "
                 f"{failed_gates} of {len(report.metrics)} metric gates failed")
    return "\n".join(lines)
