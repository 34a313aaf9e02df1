"""The newsroom's terms: one file (`review.glossary`), used at three stages.

- segment: do-not-translate (`keep`) terms become placeholders, like URLs (text/protected.py);
- translate: a sentence whose Arabic has terms gets, among the model's n best hypotheses, the
  best one that renders every term as the glossary says (translate/base.py `choose`);
- checks: a paragraph whose English still lacks a term's rendering is flagged (checks/glossary.py).

A terms file is YAML or CSV:

    # glossary.yaml
    terms:
      - ar: باشينيان
        en: [Pashinyan]            # any of these renderings is right
      - ar: ناغورني قره باغ
        en: [Nagorno-Karabakh]
        enforce: false             # checked, but not chosen for while translating
    keep:                          # do-not-translate: must appear unchanged in the English
      - TASS

    # glossary.csv — columns arabic,english,type[,enforce]; several renderings separated by "|";
    # type is "term" (default) or "keep" (the arabic column then holds the kept text);
    # enforce is true (default) or false
    arabic,english,type,enforce
    باشينيان,Pashinyan,term,true
    TASS,,keep,

Arabic terms match whole words, with the usual proclitics (و، ف، ب، ل، ك، ال) in front, after
normalisation (tashkeel, kashida, alef/hamza forms, ta marbuta, alef maqsura). English
renderings match case-insensitively as whole words; hyphens and spaces are interchangeable and
a possessive ('s) is fine.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import ConfigError
from .fsutil import read_config_file
from .text.arabic import ARABIC_LETTERS, PROCLITICS, PROCLITICS_WITH_ARTICLE, matching_form


def _english_key(text: str) -> str:
    return re.sub(r"[\s\-‐–]+", " ", text.lower()).strip()


def renders(english: str, renderings: tuple[str, ...] | list[str]) -> bool:
    """Does `english` contain one of `renderings` as whole words (case, hyphens and spaces aside)?"""
    text = _english_key(english)
    return any(re.search(rf"(?<!\w){re.escape(_english_key(r))}(?!\w)", text) for r in renderings)


@dataclass(frozen=True)
class Term:
    source: str                 # as written in the glossary
    renderings: tuple[str, ...]  # English forms, any of which is right
    keep: bool = False          # do-not-translate: the source text itself must appear
    enforce: bool = True        # chosen for among the model's hypotheses while translating
    pattern: re.Pattern = field(compare=False, repr=False, default=None)
    # Pieces of text a match must contain: looked for first, as plain substrings, because the
    # pattern (optional proclitics in front) is tried at every position of the text.
    needles: tuple[str, ...] = field(compare=False, repr=False, default=())

    @classmethod
    def make(cls, source: str, renderings: list[str], keep: bool = False, enforce: bool = True) -> "Term":
        source = source.strip()
        if keep:
            pattern = re.compile(rf"(?<!\w){re.escape(source)}(?!\w)")
            renderings, needles = [source], (source,)
        else:
            key = matching_form(source)
            if key.startswith("ال"):  # «الكرملين»: «بالكرملين», «والكرملين», and «للكرملين» (ل + ال → لل)
                prefix, key = PROCLITICS_WITH_ARTICLE, key[2:]
            else:
                prefix = PROCLITICS
            needles = tuple(key.split())
            key = re.escape(key).replace(r"\ ", r"\s+")
            pattern = re.compile(rf"(?<![{ARABIC_LETTERS}]){prefix}{key}(?![{ARABIC_LETTERS}])")
        return cls(source, tuple(r.strip() for r in renderings if r.strip()), keep, enforce, pattern, needles)

    def in_source(self, arabic: str, key: str | None = None) -> bool:
        """Is the term in `arabic`? `key` is `matching_form(arabic)`, when the caller has it already."""
        text = arabic if self.keep else key if key is not None else matching_form(arabic)
        return all(needle in text for needle in self.needles) and bool(self.pattern.search(text))

    def in_target(self, english: str) -> bool:
        if self.keep:
            return self.source in english
        return renders(english, self.renderings)


@dataclass(frozen=True)
class Glossary:
    terms: tuple[Term, ...] = ()
    path: str = ""
    digest: str = ""  # sha256 of the file: what the run signature counts

    def required_in(self, arabic: str) -> list[Term]:
        """The terms to enforce while translating `arabic` (a model input): the enforced,
        translated (not kept) terms found in it."""
        key = matching_form(arabic)
        return [t for t in self.terms if t.enforce and not t.keep and t.in_source(arabic, key)]


_TRUE, _FALSE = {"", "true", "yes", "1"}, {"false", "no", "0"}


def _enforce_value(value, where: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value if value is not None else "").strip().lower()
    if text in _TRUE | _FALSE:
        return text in _TRUE
    raise ConfigError(f"{where}: enforce must be true or false, not '{value}'")


def load_glossary(path: Path) -> Glossary:
    """Read a YAML or CSV terms file. A malformed file is a one-line ConfigError naming it."""
    data, text = read_config_file(path, "the glossary")
    terms: list[Term] = []
    where: list[str] = []  # each term's line (CSV) or number (YAML), for messages
    if str(path).lower().endswith(".csv"):
        reader = csv.DictReader(io.StringIO(text))
        header = [name.strip().lower() for name in reader.fieldnames or []]
        if "arabic" not in header or not {"english", "type"} & set(header):
            raise ConfigError(f"{path}: the first line must name the columns arabic,english[,type,enforce] "
                              f"(found: {','.join(reader.fieldnames or []) or 'nothing'})")
        reader.fieldnames = header
        for number, row in enumerate(reader, start=2):
            source = (row.get("arabic") or "").strip()
            if not source:
                raise ConfigError(f"{path}:{number}: the 'arabic' column is empty (columns: arabic,english,type)")
            kind = (row.get("type") or "term").strip().lower()
            if kind not in ("term", "keep"):
                raise ConfigError(f"{path}:{number}: type must be 'term' or 'keep', not '{kind}'")
            renderings = (row.get("english") or "").split("|")
            if kind == "term" and not any(r.strip() for r in renderings):
                raise ConfigError(f"{path}:{number}: no English rendering for «{source}»")
            enforce = _enforce_value(row.get("enforce"), f"{path}:{number}")
            terms.append(Term.make(source, renderings, keep=kind == "keep", enforce=enforce))
            where.append(f"line {number}")
    else:
        try:
            parsed = yaml.safe_load(text) or {}
        except yaml.YAMLError:
            raise ConfigError(f"{path}: not valid YAML") from None
        if not isinstance(parsed, dict) or set(parsed) - {"terms", "keep"}:
            raise ConfigError(f"{path}: expected the keys 'terms' and/or 'keep'")
        for number, entry in enumerate(parsed.get("terms") or [], start=1):
            if not isinstance(entry, dict) or not entry.get("ar") or not entry.get("en"):
                raise ConfigError(f"{path}: term {number} needs 'ar' and 'en'")
            if set(entry) - {"ar", "en", "enforce"}:
                raise ConfigError(f"{path}: term {number}: unknown key(s) "
                                  f"{', '.join(sorted(set(entry) - {'ar', 'en', 'enforce'}))} (known: ar, en, enforce)")
            english = entry["en"] if isinstance(entry["en"], list) else [entry["en"]]
            enforce = _enforce_value(entry.get("enforce", True), f"{path}: term {number}")
            terms.append(Term.make(str(entry["ar"]), [str(e) for e in english], enforce=enforce))
            where.append(f"term {number}")
        terms.extend(Term.make(str(kept), [], keep=True) for kept in parsed.get("keep") or [])
    _refuse_conflicts(path, terms, where)
    return Glossary(tuple(terms), str(path), hashlib.sha256(data).hexdigest())


def _refuse_conflicts(path: Path, terms: list[Term], where: list[str]) -> None:
    """The same Arabic term twice with different English: the check would flag every English
    that uses the other one (a team merging two lists). One line naming both entries."""
    first: dict[str, int] = {}
    for index, term in enumerate(terms[:len(where)]):
        if term.keep:
            continue
        key = matching_form(term.source)
        if key not in first:
            first[key] = index
            continue
        earlier = terms[first[key]]
        if {r.lower() for r in earlier.renderings} != {r.lower() for r in term.renderings}:
            raise ConfigError(f"{path}: «{term.source}» is listed twice with different English ({where[first[key]]}: "
                              f"{' | '.join(earlier.renderings)}; {where[index]}: {' | '.join(term.renderings)}): "
                              f"give it one entry with its renderings separated by '|' (any of them is then right)")
