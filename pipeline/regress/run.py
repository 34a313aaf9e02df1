"""Running a suite through the pipeline's own stages, scoring it with sacrebleu, comparing it
with its baseline, and the reports (text for a CI log, JSON, JUnit XML, a new baseline)."""

from __future__ import annotations

import datetime as dt
import difflib
import json
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from .. import __version__
from ..errors import InputError
from ..export.record import dumps
from ..fsutil import atomic_write_text
from ..ingest import document_from_lines
from ..model import Document
from ..ooxml import NOT_XML
from ..stages import Stages
from .suite import Case, Suite, SuiteError, SuiteSettings

# --- running ------------------------------------------------------------------------------

@dataclass
class CaseRun:
    case: Case
    output: str
    flags: list[str]
    reference: str | None
    checks: dict[str, str] = field(default_factory=dict)  # flag code → the check that raises it, for running checks
    seconds: float = 0.0  # its own segmenting, aligning and review, and its share of the batched translation


def _document_for(case: Case, suite: Suite, stages: Stages) -> Document:
    if case.source_file:
        try:
            return stages.read(suite.folder / case.source_file, case.id)
        except InputError as exc:
            raise SuiteError(f"{suite.source}: case {case.id}: {exc}") from None
    document = document_from_lines((case.source or "").splitlines(), case.id)
    if not document.paragraphs:
        raise SuiteError(f"{suite.source}: case {case.id}: empty source")
    return document


def _reference_for(case: Case, suite: Suite) -> str | None:
    if case.reference_file:
        from .suite import read_suite_text

        try:
            return read_suite_text(suite.folder / case.reference_file).strip()
        except SuiteError as exc:
            raise SuiteError(f"{suite.source}: case {case.id}: {exc}") from None
    return case.reference


def regress(path: Path, *, config: Path | None = None, model: str | None = None, backend: str | None = None,
            device: str | None = None, overrides: list[str] = (), baseline: Path | None = None,
            use_memory: bool = False, update_baseline: bool = False) -> Report:
    """`tarjama regress`: a suite translated with its settings (config.yaml — `config`, else the
    suite's own, else the one in force —, then the suite's block, then `model`, `backend` and
    `overrides`), scored and compared with its baseline. `update_baseline`: a baseline that
    cannot be read is to be replaced, not an error (the report says so)."""
    from ..config import apply_overrides, load_settings, with_updates
    from ..translate.loader import ModelHandle, open_memory
    from .suite import load_suite, suite_settings

    suite = load_suite(path, baseline_given=bool(baseline))
    if baseline:
        suite.settings.baseline, suite.baseline_named = str(Path(baseline).resolve()), True
    if suite.baseline_named and not update_baseline and not suite.baseline_path.is_file():
        # A typo in a baseline's name would pass every run with "no baseline": regressions unseen.
        raise SuiteError(f"{suite.path}: baseline {suite.settings.baseline} not found (relative to the suite); "
                         f"--update-baseline writes it")
    # Read before the model loads and translates: a broken baseline is said at once.
    try:
        accepted, unreadable = read_baseline(suite.baseline_path), None
    except BaselineError as exc:
        if not update_baseline:
            raise
        accepted, unreadable = None, exc.problem
    settings = suite_settings(suite, load_settings(config or suite.config_path), model, backend)
    settings = apply_overrides(with_updates(settings, model={"device": device}), list(overrides))
    if model or backend:  # --model and --backend over --set model.*, as in `tarjama translate`
        settings = with_updates(settings, model={"name": model, "backend": backend})
    handle = ModelHandle(settings)
    memory = open_memory(settings, settings.paths.output, use=use_memory)
    try:
        runs = run_suite(suite, Stages(settings, handle, memory=memory))
    finally:
        if memory is not None:
            memory.close()
    # The model that ran, as the command line, the suite or the config names it (a relative path
    # stays relative): --model, else --set model.name=, else the suite's, else the config's.
    set_names = [text.partition("=")[2].strip() for text in overrides if text.partition("=")[0].strip() == "model.name"]
    name = model or (set_names[-1] if set_names else None) or suite.settings.model or settings.model.name
    named = {"name": name, "fingerprint": handle.fingerprint,
             "backend": handle.backend, "generation": handle.options.signature()}
    return evaluate(suite, runs, named, accepted, unreadable)


def run_suite(suite: Suite, stages: Stages) -> list[CaseRun]:
    """Every case through the stages (all cases' sentences in one batched stream)."""
    documents = [_document_for(case, suite, stages) for case in suite.cases]
    references = [_reference_for(case, suite) for case in suite.cases]  # read before the translating
    seconds = []
    for document in documents:
        started = time.perf_counter()
        stages.segment(document)
        seconds.append(time.perf_counter() - started)
    started = time.perf_counter()
    for _, error in stages.translate(documents):
        if error is not None:
            raise error
    translating = time.perf_counter() - started
    units = [sum(len(p.sentences) for p in document.paragraphs) for document in documents]
    running = {code: name for name, (spec, _) in stages.checker.checks.items() for code in spec.codes}
    runs = []
    for case, document, reference, own, count in zip(suite.cases, documents, references, seconds, units):
        started = time.perf_counter()
        stages.finish(document)
        own += time.perf_counter() - started + translating * count / max(1, sum(units))
        runs.append(CaseRun(case, "\n".join(p.target for p in document.paragraphs),
                            sorted({f.code for p in document.paragraphs for f in p.flags}), reference,
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


LINE_BREAK = "⏎"


def _words(text: str) -> list[str]:
    """The words of `text`, a line break (a paragraph's end) being one too: ⏎."""
    words = []
    for number, line in enumerate(text.split("\n")):
        words += [LINE_BREAK] * (number > 0) + line.split()
    return words


def word_diff(old: str, new: str) -> str:
    """`[-removed-]{+added+}` over words, the way `git diff --word-diff` shows it; line breaks
    are words (⏎); texts that differ only in spaces say so."""
    a, b = _words(old), _words(new)
    if a == b and old != new:
        return "(only spaces differ: the words and line breaks are the same)"
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
    drop: bool = False   # a metric worse by more than its gate, but not significantly: said, not failed


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
    from ..checks import CHECKS

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
    # Cases added to the suite or taken out since the baseline: the gate compares the cases both
    # have (the baseline's outputs scored again on them), never "the suite changed" as "the model
    # got worse"; the headline score stays the whole suite's.
    with_reference = [run for run in runs if run.reference]
    taken_out = set(baseline["outputs"]) - {run.case.id for run in runs}
    common = None
    if len(scored) != len(with_reference) or taken_out:
        ours, theirs = score(scored)[0], score([replace(r, output=baseline["outputs"][r.case.id])
                                                 for r in scored])[0]
        common = (ours, theirs, len(scored), len(with_reference))
    outcomes = []
    for name, whole in scores.items():
        before = baseline["scores"].get(name)
        gate = settings.metrics.get(name)
        if before is None or gate is None:
            outcomes.append(Outcome(f"metric:{name}", True, notes=["not gated"], skipped=True))
            continue
        current = whole
        note = f"{name} {whole:.2f} (baseline {before:.2f}"
        if common is not None and name in common[0]:
            current, before = common[0][name], common[1][name]
            note = (f"{name} {whole:.2f} on all {common[3]} cases with a reference; on the {common[2]} the baseline "
                    f"has too {current:.2f} (baseline {before:.2f}")
        worse = current - before if name == "TER" else before - current  # TER: lower is better
        p = p_values.get(name)
        outcome = Outcome(f"metric:{name}", True, notes=[note + (f", p={p:.3f})" if p is not None else ")")])
        if worse > gate.max_drop:
            if p is not None and p < settings.alpha:
                outcome.passed = False
                outcome.problems.append(f"{name} worsened by {worse:.2f} (allowed {gate.max_drop}), "
                                        f"significant: p={p:.3f} < {settings.alpha}")
            else:
                outcome.notes.append(f"worsened by {worse:.2f} but not significantly (p={p:.3f})" if p is not None
                                     else f"worsened by {worse:.2f}")
                outcome.drop = True  # reported in the log, not failed
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
    unreadable: str | None = None  # why the baseline file is replaced (--update-baseline)

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


ANOTHER_MODEL = "the baseline was made with another model"
OTHER_DECODING = "the baseline was made with other decoding settings"


def decoding_changes(baseline: dict | None, model: dict) -> list[str]:
    """How this run's decoding settings differ from the baseline's ("num_beams 4 → 1"); an empty
    list when they are the same or the baseline does not say (older baselines)."""
    before = ((baseline or {}).get("model") or {}).get("generation")
    now = model.get("generation") or {}
    if not isinstance(before, dict):
        return []
    return [f"{key} {before.get(key, 'unset')} → {now.get(key, 'unset')}"
            for key in sorted(set(before) | set(now)) if before.get(key) != now.get(key)]


class BaselineError(SuiteError):
    """A baseline file that cannot be read as one; `problem` says why, without the file."""

    def __init__(self, path: Path, problem: str):
        self.problem = problem
        super().__init__(f"{path}: {problem}; recreate it with --update-baseline")


def read_baseline(path: Path) -> dict | None:
    """The accepted run kept at `path`; None when there is none; BaselineError when the file is
    not a baseline."""
    if not path.is_file():
        return None
    try:
        baseline = json.loads(path.read_text(encoding="utf-8"))
    except ValueError:  # not JSON, or not UTF-8
        raise BaselineError(path, "not JSON") from None
    except OSError as exc:
        raise BaselineError(path, f"cannot be read ({exc.strerror or exc})") from None
    problem = _not_a_baseline(baseline)
    if problem:
        raise BaselineError(path, f"not a Tarjama baseline ({problem})")
    return baseline


def _not_a_baseline(data) -> str | None:
    """What in parsed JSON is not the shape `write_baseline` writes (None: nothing)."""
    if not isinstance(data, dict) or not isinstance(data.get("outputs"), dict):
        return "no outputs by case id"
    wrong = [case_id for case_id, output in data["outputs"].items() if not isinstance(output, str)]
    if wrong:
        return f"the output of case {wrong[0]} is not text"
    model = data.get("model", {})
    if not isinstance(model, dict) or not all(isinstance(model.get(key, ""), str) for key in ("name", "fingerprint")):
        return "model is not a name and a fingerprint"
    scores = data.get("scores") or {}
    if not isinstance(scores, dict):
        return "scores are not by metric"
    wrong = [name for name, value in scores.items() if isinstance(value, bool) or not isinstance(value, (int, float))]
    if wrong:
        return f"the {wrong[0]} score is not a number"
    return None


def evaluate(suite: Suite, runs: list[CaseRun], model: dict, baseline: dict | None = None,
             unreadable: str | None = None) -> Report:
    """The runs scored and checked against `baseline` (as `read_baseline` gives it; `unreadable`:
    why the baseline file is being replaced)."""
    started = time.perf_counter()
    scores, signatures = score(runs)
    metrics = check_metrics(runs, scores, baseline, suite.settings)
    for outcome in metrics:  # scoring and the paired bootstrap serve all metrics at once: shared evenly
        outcome.seconds = round((time.perf_counter() - started) / len(metrics), 4)
    cases = [check_case(run, baseline, suite.settings.fail_on_change) for run in runs]
    if baseline and baseline.get("model", {}).get("fingerprint") != model["fingerprint"]:
        for outcome in cases:
            outcome.notes.append(ANOTHER_MODEL)
    if decoding_changes(baseline, model):  # outputs may differ for that alone: said, so nobody hunts a regression
        for outcome in cases:
            outcome.notes.append(OTHER_DECODING)
    return Report(suite, model, scores, signatures, cases, metrics, baseline, runs, unreadable)


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

    suite = TestSuite(_xml_safe(f"tarjama regress {report.suite.name}"))
    for outcome in report.cases + report.metrics:
        case = TestCase(_xml_safe(outcome.name), classname=_xml_safe(f"regress.{report.suite.name}"), time=outcome.seconds)
        if not outcome.passed:
            failure = Failure(_xml_safe("; ".join(outcome.problems)), "regression")
            failure.text = _xml_safe("\n".join(outcome.problems + ([f"word diff: {outcome.diff}"] if outcome.diff else [])))
            case.result = [failure]
        elif outcome.skipped:
            case.result = [Skipped(_xml_safe("; ".join(outcome.notes)))]
        if outcome.notes or outcome.diff:
            case.system_out = _xml_safe("\n".join(outcome.notes + ([f"word diff: {outcome.diff}"] if outcome.diff else [])))
        suite.add_testcase(case)
    xml = JUnitXml()
    xml.add_testsuite(suite)
    text = xml.tostring()
    atomic_write_text(path, text.decode("utf-8") if isinstance(text, bytes) else text)



def _xml_safe(text: str) -> str:
    """`text` with the characters XML cannot hold (a vertical tab pasted from Word, a bell) shown
    as escapes ("\\u000b"), so a case id or an expectation holding one still gets its report."""
    return NOT_XML.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


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
    if report.unreadable:
        lines.append(f"  {suite.baseline_path}: {report.unreadable}; replaced by this run's outputs (--update-baseline)")
    elif report.baseline is None:
        lines.append(f"  no baseline at {suite.baseline_path}: run with --update-baseline to accept these outputs")
    else:
        if report.baseline.get("model", {}).get("fingerprint") != report.model["fingerprint"]:
            made = report.baseline.get("model", {})
            lines.append(f"  the baseline was made with another model: {made.get('name', '?')} "
                         f"({str(made.get('fingerprint', '?'))[:19]}…)")
        changes = decoding_changes(report.baseline, report.model)
        if changes:
            lines.append(f"  {OTHER_DECODING}: {', '.join(changes)}")
        here = {run.case.id for run in report.runs}
        gone = [case_id for case_id in report.baseline.get("outputs", {}) if case_id not in here]
        new = [run.case.id for run in report.runs if run.case.id not in report.baseline.get("outputs", {})]
        if gone:
            lines.append(f"  in the baseline, no longer in the suite: {', '.join(gone)}")
        if new:
            lines.append(f"  in the suite, not in the baseline: {', '.join(new)}")
    for outcome in report.cases + report.metrics:
        notes = [n for n in outcome.notes if n not in (ANOTHER_MODEL, OTHER_DECODING)]  # said once, above
        if not outcome.passed:
            lines.append(f"FAIL {outcome.name}: {'; '.join(outcome.problems)}")
        elif outcome.diff or notes and (not outcome.name.startswith("metric:") or outcome.drop):
            lines.append(f"note {outcome.name}: {'; '.join(notes)}")
        if outcome.diff:
            lines.append(f"     {outcome.diff}")
    failed_cases = sum(1 for o in report.cases if not o.passed)
    failed_gates = sum(1 for o in report.metrics if not o.passed)
    gates = sum(1 for o in report.metrics if not o.skipped)  # a metric not gated is no gate
    lines.append(f"result: {'PASS' if report.passed else 'FAIL'} — {failed_cases} of {len(report.cases)} cases failed, "
                 f"{failed_gates} of {gates} metric gates failed")
    return "\n".join(lines)
