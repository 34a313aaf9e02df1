"""Regression suites as a newsroom keeps them: a folder with suite.yaml, a .jsonl or a .tsv file.

Loading and validating them (unknown keys are errors naming the case and the key), and the
settings a suite runs with: a config file (`--config`, else the suite's own `config:`, else the
one in force), then the suite's settings block, then the command line.
"""

from __future__ import annotations

import csv
import difflib
import glob
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..config import Settings, load_yaml, with_updates, yaml_problem
from ..errors import TarjamaError

BASELINE_NAME = "baseline.json"
SUITE_SUFFIXES = (".jsonl", ".tsv")  # a suite file's; else a folder with suite.yaml


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
    source: Path        # the file the cases are in (suite.yaml, its cases file, the suite file): errors name it
    baseline_named: bool = False  # its settings (or --baseline) name the baseline: one missing is a typo, not a first run

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


def read_suite_text(path: Path) -> str:
    """A suite file's text (UTF-8, a byte-order mark allowed); SuiteError naming the file when
    it cannot be read or is another encoding. Lone surrogates (an escaped "\\ud800" in JSON) become
    U+FFFD later, as `translate` shows them."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise SuiteError(f"{path}: cannot read ({exc.strerror or exc})") from None
    except UnicodeDecodeError as exc:
        raise SuiteError(f"{path}: not UTF-8 text (byte {exc.start}); save it as UTF-8") from None


def _no_surrogates(value):
    """Strings of a parsed suite with lone surrogates (JSON's "\\ud800") shown as U+FFFD."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_no_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {k: _no_surrogates(v) for k, v in value.items()}
    return value


_SURROGATE = re.compile("[\ud800-\udfff]")


def _read_cases_file(path: Path) -> tuple[dict, list[dict]]:
    """Settings and raw cases of a .jsonl or .tsv file."""
    text = read_suite_text(path)
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
            item = _no_surrogates(item)
            if isinstance(item, dict) and set(item) == {"settings"}:
                settings = item["settings"]
            else:
                cases.append(item)
    elif path.suffix.lower() == ".tsv":
        lines = text.splitlines()
        if lines and lines[0].startswith("# settings:"):
            try:
                settings = json.loads(lines.pop(0).split(":", 1)[1])
            except json.JSONDecodeError as exc:
                raise SuiteError(f"{path}:1: the settings line is not JSON ({exc.msg})") from None
        first = 2 if len(text.splitlines()) > len(lines) else 1  # the header's line in the file
        rows = csv.DictReader(io.StringIO("\n".join(lines)), delimiter="\t", quoting=csv.QUOTE_NONE)
        for row in rows:
            if None in row:  # csv's key for the fields past the header's
                raise SuiteError(f"{path}:{rows.line_num + first - 1}: more fields than the header has "
                                 f"({len(rows.fieldnames) + len(row[None])}, the header {len(rows.fieldnames)})")
            case = {k: v for k, v in row.items() if v not in (None, "")}
            for key in ("must_contain", "must_not_contain", "expect_flags", "forbid_flags"):
                if key in case:
                    case[key] = _split_list(case[key])
            cases.append(case)
    else:
        raise SuiteError(f"{path}: a suite is a folder with suite.yaml, a .jsonl or a .tsv file")
    return settings, cases


def load_suite(path: Path, baseline_given: bool = False) -> Suite:
    path = Path(path)
    if path.is_dir():
        spec = path / "suite.yaml"
        if not spec.is_file():
            raise SuiteError(f"{path}: no suite.yaml in this folder")
        try:
            data = _no_surrogates(load_yaml(read_suite_text(spec)) or {})
        except yaml.YAMLError as exc:
            raise SuiteError(f"{spec}: {yaml_problem(exc)}") from None
        if not isinstance(data, dict) or set(data) - {"settings", "cases"}:
            raise SuiteError(f"{spec}: expected the keys 'settings' and 'cases'")
        settings, cases = data.get("settings") or {}, data.get("cases") or []
        source = spec
        if isinstance(cases, str):
            source = path / cases
            extra_settings, cases = _read_cases_file(source)
            _validated(SuiteSettings, extra_settings, f"{source} settings")  # its own mistakes named as its
            settings = {**extra_settings, **settings}
        where, folder = spec, path
    elif path.is_file():
        settings, cases = _read_cases_file(path)
        source = where = path
        folder = path.parent
    else:
        raise SuiteError(f"{path}: no such suite")
    suite_settings = _validated(SuiteSettings, settings, f"{where} settings")
    if path.is_file() and "baseline" not in settings and not baseline_given:  # (--baseline FILE names one)
        # Two suite files in one folder must not share (and overwrite) one baseline: ok.jsonl and
        # ok.tsv would both keep ok.baseline.json. Refused, not renamed: a suite file's baseline
        # keeps its name when a twin comes along, so it is never silently left behind.
        twins = sorted(other.name for other in path.parent.glob(glob.escape(path.stem) + ".*")
                       if other != path and other.stem == path.stem and other.suffix.lower() in SUITE_SUFFIXES)
        if twins:
            raise SuiteError(f"{path}: {twins[0]} in the same folder would share its baseline "
                             f"{path.stem}.baseline.json; name this suite's own (settings: baseline) or rename one")
        suite_settings.baseline = f"{path.stem}.baseline.json"
    parsed = [_validated(Case, case, f"{source} case {number}") for number, case in enumerate(cases, start=1)]
    ids = [case.id for case in parsed]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise SuiteError(f"{source}: duplicate case ids: {', '.join(duplicates)}")
    for case in parsed:
        if (case.source is None) == (case.source_file is None):
            raise SuiteError(f"{source}: case {case.id}: give exactly one of source and source_file")
        if case.reference is not None and case.reference_file is not None:
            raise SuiteError(f"{source}: case {case.id}: give at most one of reference and reference_file")
        unknown = [code for code in case.expect_flags + case.forbid_flags if code not in flag_codes()]
        if unknown:
            # A typo in forbid_flags never fires: the gate it was meant to be would pass every run.
            close = difflib.get_close_matches(unknown[0], flag_codes(), n=1)
            raise SuiteError(f"{source}: case {case.id}: unknown flag code {unknown[0]!r}"
                             + (f" (did you mean {close[0]!r}?)" if close else f" (known: {', '.join(flag_codes())})"))
        # Every case's files before anything is translated, not one at the end of a long run.
        for key in ("source_file", "reference_file"):
            name = getattr(case, key)
            if name is not None and not (folder / name).is_file():
                raise SuiteError(f"{source}: case {case.id}: {key} {name} not found (relative to the suite)")
    if not parsed:
        raise SuiteError(f"{source}: no cases")
    return Suite(path, folder, suite_settings, parsed, source, "baseline" in settings)


def flag_codes() -> list[str]:
    """The flag codes a case can expect or forbid: every check's, and the memory's offers (with
    --use-memory). The batch's consistency flags are not among them: a case is translated alone."""
    from ..checks import CHECKS
    from ..fuzzy import FLAG_CODES

    return sorted({code for spec in CHECKS.values() for code in spec.codes} | set(FLAG_CODES))


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
    with_suite = with_updates(settings, origin=f"{suite.path} settings", review=review,
                              translation=dict(suite.settings.generation))
    return with_updates(with_suite, model={"name": name, "backend": backend or suite.settings.backend})


