"""House style: a newsroom's ordered regex rules, on the Arabic the model sees and on its English.

A rules file (YAML or CSV, named by `style.rules` in config.yaml) lists rules in the order they
apply. A `pre` rule edits each sentence's model input before translation (removing tatweel,
a name's spelling the model knows better); a `post` rule edits the machine's English after it
("percent" → "per cent", a newsroom's spelling of a name). Every application is recorded on the
sentence (`style`: rule, stage, count), so an editor can see why the English differs from what
the model wrote. An editor's English and text copied verbatim are never touched. A rule that does
not compile is a one-line configuration error naming the file and the rule.

    rules:
      - {name: no tatweel, stage: pre, pattern: "ـ", replace: ""}
      - {name: per cent, stage: post, pattern: '\\bpercent\\b', replace: per cent}
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import yaml

from .config import load_yaml, yaml_problem
from .errors import ConfigError
from .fsutil import read_config_file, read_once_per_version
from .model import Document

STAGES = ("pre", "post")


@dataclass(frozen=True)
class Rule:
    name: str
    stage: str          # "pre": the model input; "post": the English
    pattern: re.Pattern
    replace: str


@dataclass(frozen=True)
class HouseStyle:
    rules: tuple[Rule, ...] = ()
    digest: str = ""    # sha256 of the file: part of the run signature

    def of(self, stage: str) -> list[Rule]:
        return [rule for rule in self.rules if rule.stage == stage]


@read_once_per_version
def load_style(path: Path | None) -> HouseStyle:
    if path is None:
        return HouseStyle()
    data, text = read_config_file(path, "the house-style rules")
    if str(path).lower().endswith(".csv"):
        entries = list(csv.DictReader(io.StringIO(text)))
    else:
        try:
            parsed = load_yaml(text) or {}
        except yaml.YAMLError as exc:
            raise ConfigError(f"{path}: {yaml_problem(exc)}") from None
        if not isinstance(parsed, dict) or set(parsed) - {"rules"} or not isinstance(parsed.get("rules") or [], list):
            raise ConfigError(f"{path}: expected a list under the key 'rules'")
        entries = parsed.get("rules") or []
    rules = [_rule(path, number, entry) for number, entry in enumerate(entries, start=1)]
    return HouseStyle(tuple(rules), hashlib.sha256(data).hexdigest())


def _rule(path: Path, number: int, entry) -> Rule:
    if not isinstance(entry, dict):
        raise ConfigError(f"{path}: rule {number} must be a mapping with name, stage, pattern, replace")
    name = str(entry.get("name") or f"rule {number}")
    where = f"{path}: rule {number} ({name})"
    stage = str(entry.get("stage") or "").strip()
    if stage not in STAGES:
        raise ConfigError(f"{where}: stage must be 'pre' (the Arabic the model sees) or 'post' (the English), "
                          f"not '{stage}'")
    if not entry.get("pattern"):
        raise ConfigError(f"{where}: no pattern")
    try:
        pattern = re.compile(str(entry["pattern"]))
    except re.error as exc:
        raise ConfigError(f"{where}: the pattern does not compile: {exc}") from None
    replace = "" if entry.get("replace") is None else str(entry["replace"])
    try:
        pattern.sub(replace, "")  # a bad group reference in the replacement shows here
    except (re.error, IndexError) as exc:
        raise ConfigError(f"{where}: the replacement is not valid: {exc}") from None
    return Rule(name, stage, pattern, replace)


def _apply(text: str, rules: list[Rule], stage: str, record: list[dict]) -> str:
    for rule in rules:
        text, count = rule.pattern.subn(rule.replace, text)
        if count:
            record.append({"rule": rule.name, "stage": stage, "count": count})
    return text


def pre_edit(document: Document, style: HouseStyle, count_tokens: Callable[[list[str]], list[int]] | None = None) -> None:
    """The `pre` rules on every model input (after segmentation; token counts redone where changed)."""
    rules = style.of("pre")
    if not rules:
        return
    changed = []
    for paragraph in document.paragraphs:
        for unit in paragraph.sentences:
            if unit.verbatim:
                continue
            edited = _apply(unit.model_input, rules, "pre", unit.style)
            if edited != unit.model_input:
                unit.model_input = edited
                changed.append(unit)
    if changed and count_tokens is not None:
        for unit, tokens in zip(changed, count_tokens([u.model_input for u in changed])):
            unit.source_tokens = tokens


def post_edit(document: Document, style: HouseStyle) -> None:
    """The `post` rules on the machine's English of every sentence (never an editor's)."""
    rules = style.of("post")
    if not rules:
        return
    for paragraph in document.paragraphs:
        for unit in paragraph.sentences:
            if unit.origin == "model" and unit.target:
                unit.target = _apply(unit.target, rules, "post", unit.style)
