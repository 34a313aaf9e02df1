"""`tarjama regress`: suites, baselines, diffs, metric gates, JUnit XML — on the fixture model."""

import json
import re
import shutil
import sys
from pathlib import Path

import pytest
from lxml import etree

from pipeline.regress import SuiteError, load_suite, word_diff

from ..helpers import ROOT, run_cli, run_process

pytestmark = pytest.mark.model
SUITE = ROOT / "tests" / "regression" / "fixture-suite"


def regress(*args, cwd=None):
    return run_cli("regress", *map(str, args), cwd=cwd)


def junit_cases(path):
    tree = etree.parse(str(path))
    return {case.get("name"): case for case in tree.iter("testcase")}


def test_the_unchanged_pipeline_passes_the_fixture_suite_from_any_folder(tmp_path):
    # Run outside the repository: the suite names its own glossary, so the glossary cases still pass.
    result = regress(SUITE, "--junit", tmp_path / "junit.xml", "--json", tmp_path / "report.json", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "result: PASS — 0 of 27 cases failed, 0 of 3 metric gates failed" in result.stdout
    # sacrebleu's own signature strings, metric name included (chrF2, as sacrebleu calls it)
    assert re.search(r"^  BLEU\|nrefs:1\|case:mixed\|eff:no\|tok:13a\|smooth:exp\|version:[\d.]+ = [\d.]+$", result.stdout, re.M)
    assert re.search(r"^  chrF2\|nrefs:1\|case:mixed\|eff:yes\|nc:6\|nw:0\|space:no\|version:[\d.]+ = [\d.]+$",
                     result.stdout, re.M)
    assert re.search(r"^  TER\|nrefs:1\|case:lc\|tok:tercom\|", result.stdout, re.M)
    cases = junit_cases(tmp_path / "junit.xml")
    assert len(cases) == 27 + 3 and "metric:BLEU" in cases
    assert all(float(case.get("time")) > 0 for case in cases.values())      # real durations, not 0
    assert not any(case.find("failure") is not None for case in cases.values())
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert report["passed"] and report["scores"]["BLEU"] == report["baseline"]["scores"]["BLEU"]
    # sacrebleu's own command line on the same outputs prints the very lines regress printed
    references = {case.id: case.reference for case in load_suite(SUITE).cases if case.reference}
    scored = [case for case in report["cases"] if case["id"] in references]
    (tmp_path / "hyp.txt").write_text("".join(" ".join(c["output"].split()) + "\n" for c in scored), encoding="utf-8")
    (tmp_path / "ref.txt").write_text("".join(" ".join(references[c["id"]].split()) + "\n" for c in scored),
                                      encoding="utf-8")
    sacrebleu = run_process([str(Path(sys.executable).parent / "sacrebleu"), str(tmp_path / "ref.txt"), "-i",
                             str(tmp_path / "hyp.txt"), "-m", "bleu", "chrf", "ter", "-f", "text", "-w", "2"])
    printed = [line.strip() for line in result.stdout.splitlines() if "|nrefs:" in line]
    theirs = [line.strip() for line in sacrebleu.stdout.splitlines() if line.strip()]
    assert [line.split(" = ")[0] for line in printed] == [line.split(" = ")[0] for line in theirs]
    assert [line.split(" = ")[1] for line in printed] == [line.split(" = ")[1].split()[0] for line in theirs]


def test_a_decoding_change_fails_naming_the_changed_cases_with_diffs(tmp_path):
    result = regress(SUITE, "--set", "translation.num_beams=1", "--junit", tmp_path / "junit.xml")
    assert result.returncode == 1
    failed = [line.split(":")[0].split()[1] for line in result.stdout.splitlines() if line.startswith("FAIL ")]
    assert failed and all(name.startswith("unseen-ntrex-") or name.startswith("metric:") for name in failed)
    assert "output changed from the baseline" in result.stdout
    assert "[-" in result.stdout and "{+" in result.stdout      # word diffs
    # Why the outputs changed is said once, at the top (the baseline keeps its decoding settings).
    assert "  the baseline was made with other decoding settings: num_beams 4 → 1\n" in result.stdout
    # BLEU drops by more than its gate: a failure when significant, else a note in the log.
    assert "metric:BLEU" in failed or "note metric:BLEU: " in result.stdout and "but not significantly" in result.stdout
    cases = junit_cases(tmp_path / "junit.xml")                 # valid JUnit XML, failures where they belong
    for name in failed:
        failure = cases[name].find("failure")
        assert failure is not None and failure.get("message")
    assert cases["karabakh-01"].find("failure") is None
    assert "the baseline was made with other decoding settings" in cases["karabakh-01"].find("system-out").text


def test_a_segmentation_change_fails(tmp_path):
    result = regress(SUITE, "--set", "segmentation.max_unit_tokens=24")
    assert result.returncode == 1
    assert "FAIL karabakh-01: " in result.stdout and "output changed from the baseline" in result.stdout
    assert "decoding settings" not in result.stdout   # the same decoding: the change is elsewhere


def test_a_mistyped_flag_code_is_refused_before_translating(tmp_path):
    """`forbid_flags: [dialekt]` was a note in the log and the case passed: a gate that never fires."""
    suite = fixture_jsonl(tmp_path / "suite.jsonl", {"id": "a", "source": "أنا ولد.", "forbid_flags": ["dialekt"]})
    result = regress(suite)
    assert result.returncode == 2
    assert result.stderr == f"tarjama: error: {suite}: case a: unknown flag code 'dialekt' (did you mean 'dialect'?)\n"
    fixture_jsonl(suite, {"id": "a", "source": "أنا ولد.", "expect_flags": ["zzz"]})
    result = regress(suite)
    assert result.returncode == 2 and "case a: unknown flag code 'zzz' (known: arabic_in_target, " in result.stderr
    assert all(code in result.stderr for code in ("dialect", "glossary", "memory_match", "number_changed"))
    # The memory's offers are flags a case may name (they are raised with --use-memory).
    fixture_jsonl(suite, {"id": "a", "source": "أنا ولد.", "forbid_flags": ["memory_match", "dialect"]})
    assert load_suite(suite).cases[0].forbid_flags == ["memory_match", "dialect"]


def test_expectations_and_a_significant_metric_drop_fail(tmp_path):
    suite = tmp_path / "suite"
    shutil.copytree(SUITE, suite)
    spec = (suite / "suite.yaml").read_text(encoding="utf-8").replace("../../../", str(ROOT) + "/")
    spec = spec.replace("  - Lachin\n", "  - Lachin\n  - Stepanakert\n")            # an expectation the output misses
    spec = spec.replace("  name: fixture\n", "  name: fixture\n  alpha: 0.1\n")     # 26 sentences: a lenient alpha
    (suite / "suite.yaml").write_text(spec, encoding="utf-8")
    baseline = json.loads((suite / "baseline.json").read_text(encoding="utf-8"))
    cases = load_suite(suite).cases
    references = {case.id: case.reference for case in cases if case.reference}
    baseline["outputs"].update(references)                   # a baseline that matched the references exactly …
    baseline["scores"] = {"BLEU": 100.0, "chrF": 100.0, "TER": 0.0}
    (suite / "baseline.json").write_text(json.dumps(baseline), encoding="utf-8")
    result = regress(suite)
    assert result.returncode == 1
    assert "FAIL karabakh-08: must contain «Stepanakert»" in result.stdout
    assert "FAIL metric:BLEU: BLEU worsened by" in result.stdout and "significant: p=" in result.stdout


def test_update_baseline_accepts_the_current_outputs(tmp_path):
    suite = tmp_path / "suite.jsonl"
    suite.write_text(
        json.dumps({"settings": {"model": str(ROOT / "models" / "fixture-ar-en"), "generation": {"num_beams": 1}}}) + "\n"
        + json.dumps({"id": "kid", "source": "أنا ولد.", "reference": "I'm a kid.", "must_contain": ["kid"]}) + "\n"
        + json.dumps({"id": "tass", "source": "المصدر: تاس", "reference": "Source: TASS"}) + "\n", encoding="utf-8")
    first = regress(suite)
    assert first.returncode == 0 and "no baseline" in first.stdout
    assert regress(suite, "--update-baseline").returncode == 0
    baseline = json.loads((tmp_path / "suite.baseline.json").read_text(encoding="utf-8"))
    assert baseline["outputs"] == {"kid": "I'm a kid.", "tass": "Source: TASS"} and baseline["scores"]["BLEU"] == 100.0
    assert regress(suite).returncode == 0
    # Another suite file in the same folder keeps a baseline of its own.
    other = tmp_path / "other.jsonl"
    other.write_text(suite.read_text(encoding="utf-8").replace('"tass"', '"source"'), encoding="utf-8")
    assert "no baseline" in regress(other).stdout
    assert regress(other, "--update-baseline").returncode == 0
    assert (tmp_path / "other.baseline.json").is_file()
    assert json.loads((tmp_path / "suite.baseline.json").read_text(encoding="utf-8")) == baseline

    # A baseline named on the command line that is not there is an error, not a pass.
    missing = regress(suite, "--baseline", str(tmp_path / "baselin.json"))
    assert missing.returncode == 2
    assert missing.stderr == f"tarjama: error: {tmp_path / 'baselin.json'}: no such baseline file (--update-baseline writes one)\n"
    folder = regress(suite, "--junit", str(tmp_path))
    assert folder.returncode == 2 and "is a folder; give the report file's name" in folder.stderr


def test_tsv_suites_and_clear_errors(tmp_path):
    suite = tmp_path / "suite.tsv"
    suite.write_text(f'# settings: {{"model": "{ROOT / "models" / "fixture-ar-en"}"}}\n'
                     "id\tsource\treference\tmust_contain\tmust_not_contain\n"
                     "kid\tأنا ولد.\tI'm a kid.\tkid|I'm\tgirl\n", encoding="utf-8")
    loaded = load_suite(suite)
    assert loaded.cases[0].must_contain == ["kid", "I'm"] and loaded.cases[0].must_not_contain == ["girl"]
    assert regress(suite).returncode == 0
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "source": "x", "colour": "red"}\n', encoding="utf-8")
    with pytest.raises(SuiteError, match="case 1: colour: unknown key"):
        load_suite(bad)
    result = regress(bad)
    assert result.returncode == 2 and result.stderr.startswith("tarjama: error: ")


def test_a_suite_with_cases_added_and_taken_out_compares_the_cases_both_have(tmp_path):
    """Cases added since the baseline (here a nonsense English for the model to miss) dropped the
    whole-suite BLEU and read as a worse model; cases taken out were named nowhere."""
    suite = tmp_path / "suite.jsonl"
    cases = [{"id": "kid", "source": "أنا ولد.", "reference": "I'm a kid."},
             {"id": "tass", "source": "المصدر: تاس", "reference": "Source: TASS"},
             {"id": "gone", "source": "أنا بنت.", "reference": "I'm a girl."}]
    settings = {"settings": {"model": str(ROOT / "models" / "fixture-ar-en"), "generation": {"num_beams": 1}}}

    def write(rows):
        suite.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in [settings, *rows]) + "\n", encoding="utf-8")

    write(cases)
    assert regress(suite, "--update-baseline").returncode == 0
    write(cases[:2] + [{"id": "new", "source": "قتل ثلاثة أشخاص.", "reference": "Purple elephants dance at noon."}])
    result = regress(suite)
    assert result.returncode == 0, result.stdout
    assert "in the baseline, no longer in the suite: gone" in result.stdout
    assert "in the suite, not in the baseline: new" in result.stdout
    assert "worsened" not in result.stdout  # the two cases both have are unchanged
    report = tmp_path / "r.json"
    regress(suite, "--json", report)
    [bleu] = [m for m in json.loads(report.read_text(encoding="utf-8"))["metrics"] if m["name"] == "BLEU"]
    assert "on the 2 the baseline has too 100.00 (baseline 100.00" in bleu["notes"][0]


def test_broken_suites_and_baselines_are_one_line_and_exit_2(tmp_path):
    """CI reads exit 1 as "the translations regressed": a broken setup must be exit 2 and one
    line, never a traceback (a newcomer's trial found five that were)."""
    model = ROOT / "models" / "fixture-ar-en"
    settings = json.dumps({"settings": {"model": str(model)}})
    case = json.dumps({"id": "a", "source": "قتل ثلاثة أشخاص.", "reference": "Three people were killed."},
                      ensure_ascii=False)
    (tmp_path / "cp1256.jsonl").write_bytes((settings + "\n" + case + "\n").encode("cp1256"))
    (tmp_path / "beams.jsonl").write_text(json.dumps({"settings": {"model": str(model), "generation": {"num_beams": 0}}})
                                          + "\n" + case + "\n", encoding="utf-8")
    (tmp_path / "shape.json").write_text("[]", encoding="utf-8")
    cases = [(tmp_path / "cp1256.jsonl", (), "cp1256.jsonl: not UTF-8 text (byte"),
             (tmp_path / "beams.jsonl", (), "beams.jsonl settings: translation.num_beams: input should be greater than"),
             (SUITE, ("--baseline", tmp_path / "shape.json"), "shape.json: not a Tarjama baseline")]
    for suite, extra, message in cases:
        result = regress(suite, *extra)
        assert result.returncode == 2 and message in result.stderr, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    # An escaped lone surrogate in a case is shown as U+FFFD, as translate shows it.
    (tmp_path / "surrogate.jsonl").write_text(settings + '\n{"id": "a", "source": "\\ud800 قتل", "reference": "x"}\n',
                                              encoding="utf-8")
    assert load_suite(tmp_path / "surrogate.jsonl").cases[0].source == "\ufffd قتل"


def test_a_suite_names_its_glossary_and_an_expectation_says_when_no_glossary_is_loaded(tmp_path):
    from pipeline.config import load_settings
    from pipeline.regress import CaseRun, check_case, suite_settings

    suite = load_suite(SUITE)
    settings = suite_settings(suite, load_settings())
    assert settings.review.glossary == (ROOT / "docs" / "glossary.example.yaml").resolve()
    case = next(c for c in suite.cases if c.id == "karabakh-07").model_copy(
        update={"must_contain": [], "expect_flags": ["glossary"]})
    without = CaseRun(case, "Pashinian said.", [], None, checks={"number_missing": "numbers"})
    outcome = check_case(without, None, fail_on_change=True)
    assert not outcome.passed
    assert any(p.startswith("expected flag glossary cannot be raised: no glossary is loaded") for p in outcome.problems)
    with_glossary = CaseRun(case, "Pashinian said.", ["glossary"], None, checks={"glossary": "glossary"})
    assert check_case(with_glossary, None, fail_on_change=True).passed


def test_word_diff():
    assert word_diff("since February 1998 after", "since February 1988 after") == "since February [-1998-] {+1988+} after"


def fixture_jsonl(path, *cases, **settings):
    """A suite file on the fixture model (greedy decoding: quick)."""
    settings = {"model": str(ROOT / "models" / "fixture-ar-en"), "generation": {"num_beams": 1}, **settings}
    rows = [{"settings": settings}, *(cases or [{"id": "kid", "source": "أنا ولد.", "reference": "I'm a kid."}])]
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    return path


def test_an_unreadable_baseline_is_replaced_by_update_baseline(tmp_path):
    """The error said "recreate it with --update-baseline", and --update-baseline read the old
    baseline first and stopped on the same error."""
    suite = fixture_jsonl(tmp_path / "suite.jsonl")
    baseline = tmp_path / "suite.baseline.json"
    baseline.write_text('{\n  "suite": "suite",\n  "outputs": {"kid": "I\'m a', encoding="utf-8")   # cut off
    refused = regress(suite)
    assert refused.returncode == 2
    assert refused.stderr == f"tarjama: error: {baseline}: not JSON; recreate it with --update-baseline\n"
    updated = regress(suite, "--update-baseline")
    assert updated.returncode == 0, updated.stderr
    assert f"  {baseline}: not JSON; replaced by this run's outputs (--update-baseline)\n" in updated.stdout
    assert json.loads(baseline.read_text(encoding="utf-8"))["outputs"] == {"kid": "I'm a kid."}
    again = regress(suite)
    assert again.returncode == 0 and "replaced" not in again.stdout and "no baseline" not in again.stdout


def test_a_baseline_of_the_wrong_shape_is_one_line_and_exit_2(tmp_path):
    """Valid JSON of the wrong shape crashed with a traceback and exit 1, CI's code for "the
    translations regressed"."""
    suite = fixture_jsonl(tmp_path / "suite.jsonl")
    baseline = tmp_path / "suite.baseline.json"
    good = {"suite": "suite", "model": {"name": "m", "fingerprint": "sha256:0"}, "scores": {"BLEU": 100.0},
            "outputs": {"kid": "I'm a kid."}}
    wrong = [({"model": None}, "model is not a name and a fingerprint"),
             ({"model": {"name": 7}}, "model is not a name and a fingerprint"),
             ({"outputs": {"kid": 3}}, "the output of case kid is not text"),
             ({"scores": {"BLEU": "high"}}, "the BLEU score is not a number"),
             ({"scores": [100.0]}, "scores are not by metric")]
    for change, problem in wrong:
        baseline.write_text(json.dumps({**good, **change}), encoding="utf-8")
        result = regress(suite)
        assert result.returncode == 2, result.stderr
        assert result.stderr == (f"tarjama: error: {baseline}: not a Tarjama baseline ({problem}); "
                                 f"recreate it with --update-baseline\n")
    baseline.write_text(json.dumps(good), encoding="utf-8")
    assert regress(suite).returncode == 0


def test_a_crash_inside_regress_is_never_exit_1(tmp_path, monkeypatch):
    """Exit 1 is "the translations regressed": a bug must not read as one in CI."""
    from pipeline.regress import run

    def broken(runs):
        raise TypeError("a bug")

    monkeypatch.setattr(run, "score", broken)
    result = regress(fixture_jsonl(tmp_path / "suite.jsonl"))
    assert result.returncode == 2
    assert "Traceback" in result.stderr and "TypeError: a bug" in result.stderr
    assert result.stderr.endswith("tarjama: error: regress stopped on an unexpected error (a bug in Tarjama, not a "
                                  "regression; the traceback above is for the report)\n")


def test_control_characters_in_a_failing_case_are_escaped_in_the_junit_xml(tmp_path):
    """A vertical tab from a Word paste in an expectation (or a bell in an id) made the JUnit
    writer raise: a traceback, exit 1 and no XML."""
    suite = fixture_jsonl(tmp_path / "suite.jsonl",
                          {"id": "kid\u0007", "source": "أنا ولد.", "reference": "I'm a kid.", "must_contain": ["a\u000bkid"]})
    result = regress(suite, "--junit", tmp_path / "junit.xml", "--json", tmp_path / "report.json")
    assert result.returncode == 1, result.stderr
    [case] = [case for name, case in junit_cases(tmp_path / "junit.xml").items() if not name.startswith("metric:")]
    assert case.get("name") == "kid\\u0007"
    assert case.find("failure").get("message") == "must contain «a\\u000bkid»"
    assert json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))["cases"][0]["id"] == "kid\u0007"


def test_the_log_the_report_and_the_baseline_name_the_model_that_ran(tmp_path):
    """`--set model.name=…` ran that model, but the log, --json and a new baseline named the suite's."""
    fixture = ROOT / "models" / "fixture-ar-en"
    suite = fixture_jsonl(tmp_path / "suite.jsonl", model="Helsinki-NLP/opus-mt-tc-big-ar-en")
    result = regress(suite, "--set", f"model.name={fixture}", "--update-baseline", "--json", tmp_path / "r.json")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0].startswith(f"regress suite: 1 cases (1 with references); model {fixture} (")
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["model"]["name"] == str(fixture)
    assert json.loads((tmp_path / "suite.baseline.json").read_text(encoding="utf-8"))["model"]["name"] == str(fixture)
    # --model over --set model.name, as in `tarjama translate`: the one named is the one run.
    both = regress(suite, "--model", "models/fixture-ar-en", "--set", "model.name=Helsinki-NLP/opus-mt-ar-en")
    assert both.returncode == 0, both.stderr
    assert " model models/fixture-ar-en (transformers, " in both.stdout.splitlines()[0]


def test_a_change_in_line_breaks_or_spaces_shows_in_the_diff():
    """A paragraph break become a space failed with a "diff" that showed nothing."""
    assert word_diff("I'm a kid.\nA child", "I'm a kid. A child") == "I'm a kid. [-⏎-] A child"
    assert word_diff("a b", "a\n\nb") == "a {+⏎ ⏎+} b"
    assert word_diff("a  b ", "a b") == "(only spaces differ: the words and line breaks are the same)"
    assert word_diff("a\nb", "a\nb") == "a ⏎ b"


def test_a_paragraph_break_become_a_space_fails_with_a_visible_diff(tmp_path):
    suite = fixture_jsonl(tmp_path / "suite.jsonl",
                          {"id": "two", "source": "أنا ولد.\nالطفل يحتاج الى الحنان.", "reference": "I'm a kid."})
    assert regress(suite, "--update-baseline").returncode == 0
    baseline = json.loads((tmp_path / "suite.baseline.json").read_text(encoding="utf-8"))
    assert baseline["outputs"]["two"].count("\n") == 1
    baseline["outputs"]["two"] = baseline["outputs"]["two"].replace("\n", " ")
    (tmp_path / "suite.baseline.json").write_text(json.dumps(baseline), encoding="utf-8")
    result = regress(suite)
    assert result.returncode == 1
    assert "FAIL two: output changed from the baseline\n     I'm a kid. {+⏎+} " in result.stdout


def test_two_suite_files_with_one_stem_in_a_folder_do_not_share_a_baseline(tmp_path):
    """ok.jsonl and ok.tsv in one folder both kept ok.baseline.json, each passing against the other's."""
    jsonl = fixture_jsonl(tmp_path / "ok.jsonl")
    assert regress(jsonl, "--update-baseline").returncode == 0      # alone with its stem: ok.baseline.json
    assert (tmp_path / "ok.baseline.json").is_file()
    tsv = tmp_path / "ok.tsv"
    tsv.write_text(f'# settings: {{"model": "{ROOT / "models" / "fixture-ar-en"}"}}\n'
                   "id\tsource\treference\nkid\tأنا ولد.\tI'm a kid.\n", encoding="utf-8")
    for suite, twin in ((tsv, "ok.jsonl"), (jsonl, "ok.tsv")):
        result = regress(suite)
        assert result.returncode == 2
        assert result.stderr == (f"tarjama: error: {suite}: {twin} in the same folder would share its baseline "
                                 f"ok.baseline.json; name this suite's own (settings: baseline) or rename one\n")
    # --baseline FILE names one too (a code review: the twin was refused before it was applied)
    assert regress(tsv, "--baseline", str(tmp_path / "tsv-own.baseline.json"), "--update-baseline").returncode == 0
    # Naming its own baseline settles it for that suite; the other suite file keeps its name.
    tsv.write_text(tsv.read_text(encoding="utf-8").replace('"}\n', '", "baseline": "ok-tsv.baseline.json"}\n', 1),
                   encoding="utf-8")
    assert regress(tsv, "--update-baseline").returncode == 0 and (tmp_path / "ok-tsv.baseline.json").is_file()
    assert load_suite(tmp_path / "ok.tsv").baseline_path == tmp_path / "ok-tsv.baseline.json"
    (tmp_path / "ok.tsv").unlink()
    assert load_suite(jsonl).baseline_path == tmp_path / "ok.baseline.json"


def test_suite_mistakes_name_the_file_the_line_and_the_case(tmp_path):
    """YAML errors had no line; a folder suite's case errors named the folder; an empty source no
    file; a missing reference_file no case, and only once the whole suite was translated; a TSV
    row longer than its header said "None: keys should be strings"."""
    model = ROOT / "models" / "fixture-ar-en"

    def folder(name, text, **files):
        suite = tmp_path / name
        suite.mkdir()
        (suite / "suite.yaml").write_text(f"settings: {{model: {model}}}\n" + text, encoding="utf-8")
        for file_name, content in files.items():
            (suite / file_name.replace("_", ".")).write_text(content, encoding="utf-8")
        return suite

    mistakes = [
        (folder("tabs", "cases:\n\t- id: a\n\t  source: سأدفع الفاتورة.\n"), "tabs/suite.yaml: not valid YAML at line 3"),
        (folder("colon", "cases:\n  - id: a\n    source: المصدر: تاس\n"), "colon/suite.yaml: not valid YAML at line 4"),
        (folder("unknown", "cases:\n  - id: a\n    source: x\n    colour: red\n"),
         "unknown/suite.yaml case 1: colour: unknown key"),
        (folder("file", "cases: cases.jsonl\n", cases_jsonl='{"id": "a", "source": "x", "colour": "red"}\n'),
         "file/cases.jsonl case 1: colour: unknown key"),
        (folder("fileset", "cases: cases.jsonl\n", cases_jsonl='{"settings": {"alpha": 2}}\n{"id": "a", "source": "x"}\n'),
         "fileset/cases.jsonl settings: alpha: input should be less than 1"),
        (folder("noref", "cases:\n  - id: a\n    source: x\n  - id: b\n    source: x\n    reference_file: b.en.txt\n"),
         "noref/suite.yaml: case b: reference_file b.en.txt not found (relative to the suite)"),
        (folder("nosrc", "cases:\n  - id: a\n    source_file: a.txt\n"),
         "nosrc/suite.yaml: case a: source_file a.txt not found (relative to the suite)"),
    ]
    long_row = tmp_path / "long.tsv"
    long_row.write_text("# settings: {}\nid\tsource\treference\na\tx\ty\n\nb\tx\ty\textra\n", encoding="utf-8")
    mistakes.append((long_row, "long.tsv:5: more fields than the header has (4, the header 3)"))
    for suite, message in mistakes:
        with pytest.raises(SuiteError) as raised:
            load_suite(suite)
        assert str(raised.value) == f"{tmp_path}/{message}"
    # Found at run time (an empty source), still named with its file.
    empty = folder("empty", "cases:\n  - id: a\n    source: ' '\n")
    result = regress(empty)
    assert result.returncode == 2 and result.stderr == f"tarjama: error: {empty}/suite.yaml: case a: empty source\n"
    # A reference file that is there but not UTF-8: the case and the file, before any translating.
    bad = folder("latin1", "cases:\n  - id: a\n    source: أنا ولد.\n    reference_file: a.en.txt\n")
    (bad / "a.en.txt").write_bytes("café".encode("latin-1"))
    result = regress(bad)
    assert result.returncode == 2
    assert result.stderr == f"tarjama: error: {bad}/suite.yaml: case a: {bad}/a.en.txt: not UTF-8 text (byte 3); save it as UTF-8\n"


def test_a_case_with_both_reference_and_reference_file_is_refused(tmp_path):
    """Accepted silently, reference_file winning: which reference counted was anybody's guess."""
    (tmp_path / "a.en.txt").write_text("I'm a kid.\n", encoding="utf-8")
    suite = fixture_jsonl(tmp_path / "suite.jsonl",
                          {"id": "a", "source": "أنا ولد.", "reference": "I am a boy.", "reference_file": "a.en.txt"})
    result = regress(suite)
    assert result.returncode == 2
    assert result.stderr == f"tarjama: error: {suite}: case a: give at most one of reference and reference_file\n"
    fixture_jsonl(suite, {"id": "a", "source": "أنا ولد.", "reference_file": "a.en.txt"})
    assert load_suite(suite).cases[0].reference_file == "a.en.txt"


def test_a_report_that_cannot_be_written_is_named_as_the_user_gave_it(tmp_path, monkeypatch):
    """`…/.junit.xml.g6f20few.part: Read-only file system`: the hidden temporary, not --junit's FILE."""
    import errno
    import os

    from pipeline import fsutil

    def read_only(*args, dir, prefix, suffix):
        raise OSError(errno.EROFS, "Read-only file system", os.path.join(dir, f"{prefix}g6f20few{suffix}"))

    monkeypatch.setattr(fsutil.tempfile, "mkstemp", read_only)
    for option in ("--junit", "--json"):
        result = regress(fixture_jsonl(tmp_path / "suite.jsonl"), option, tmp_path / "report")
        assert result.returncode == 2
        assert result.stderr == f"tarjama: error: {tmp_path / 'report'}: Read-only file system\n"
    result = regress(tmp_path / "suite.jsonl", "--update-baseline")
    assert result.stderr == f"tarjama: error: {tmp_path / 'suite.baseline.json'}: Read-only file system\n"


def test_a_baseline_the_suite_names_that_is_not_there_is_an_error(tmp_path):
    """`baseline: baselnie.json` (a typo) ran and passed with exit 0 ("no baseline"): every
    regression hidden, as a mistyped --baseline FILE would (refused for that reason)."""
    suite = fixture_jsonl(tmp_path / "suite.jsonl", baseline="baselnie.json")
    result = regress(suite)
    assert result.returncode == 2
    assert result.stderr == (f"tarjama: error: {suite}: baseline baselnie.json not found (relative to the suite); "
                             f"--update-baseline writes it\n")
    assert regress(suite, "--update-baseline").returncode == 0 and (tmp_path / "baselnie.json").is_file()
    assert regress(suite).returncode == 0
    # The default baseline missing on a first run stays a note.
    first = regress(fixture_jsonl(tmp_path / "first.jsonl"))
    assert first.returncode == 0 and f"  no baseline at {tmp_path / 'first.baseline.json'}: run with" in first.stdout
