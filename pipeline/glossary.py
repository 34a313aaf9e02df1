"""The newsroom's terms: one file (`review.glossary`), used at three stages.

- segment: do-not-translate (`keep`) terms become placeholders, like URLs (text/protected.py);
- translate: a sentence whose Arabic has terms gets, among the model's n best hypotheses, the
  best one that renders every term as the glossary says (translate/base.py `choose`);
- checks: a paragraph whose English still lacks a term's rendering is flagged (checks/glossary.py).

A terms file is YAML, CSV or TBX (a CAT tool's termbase, below):

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

    # glossary.tbx — TBX (ISO 30042), as CAT tools export termbases: TBX-Basic 2008 (<martif>,
    # <termEntry>, <langSet>, <tig>/<ntig>) or 2019 (<tbx>, <conceptEntry>, <langSec>, <termSec>).
    # Each entry's Arabic terms (xml:lang ar, ar-SA …) are looked for, its English terms (en, en-GB
    # …) are their renderings; a term whose administrativeStatus is deprecated or superseded is
    # neither (a <termNote>, or DCT's <min:administrativeStatus>); entries without both languages
    # are left out. `tarjama export-terms` writes one.

Arabic terms match whole words, with the usual proclitics in front — و، ف، ب، ل، ك; and, for an
entry written with «ال», «بال»، «وال»، «لل» (a word that starts with ل merges one more lam: «اللاجئين»
is «للاجئين» after ل, «اللجنة» «للجنة») — after normalisation (tashkeel, kashida, alef/hamza
forms, hamza on و / ي, ta marbuta, alef maqsura); a term found only inside a longer term («البيت»
in «البيت الأبيض») is not required.
English renderings match as whole words, case-insensitively except an acronym of two or three
capitals (UN, US, WHO: "un", "us", "who" are words), which may be written with dots (U.N.);
hyphens (any of them) and spaces are interchangeable, curly and straight apostrophes the same,
and a possessive ('s) is fine. A kept term must be in the English as written, a whole word too
(TASS is not in "TASSILI").
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .config import load_yaml, yaml_problem
from .errors import ConfigError
from .fsutil import read_config_file, read_once_per_version
from .text.arabic import ARABIC_LETTERS, PROCLITICS_WITH_ARTICLE, PROCLITICS_WITH_ARTICLE_BEFORE_LAM, matching_form

log = logging.getLogger(__name__)


_HYPHENS_AND_SPACES = re.compile(r"[\s\-\u2010-\u2013\u2212]+")  # Word types U+2011, a no-break hyphen
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2032": "'", "`": "'"})
_ACRONYM = re.compile(r"[A-Z]{2,3}")
# An entry without «ال» («بوتين», «جنين», «سلام») takes و ف ب ل ك, not the article: «الجنين» is the
# fetus, «السلام» peace. A word that takes the article is entered with it («الكرملين»).
_TERM_PROCLITICS = "(?:و|ف)?(?:ب|ل|ك)?"


def _english_key(text: str, lower: bool = True) -> str:
    text = _HYPHENS_AND_SPACES.sub(" ", text.translate(_APOSTROPHES)).strip()
    return text.lower() if lower else text


def _rendering_pattern(rendering: str) -> re.Pattern:
    rendering = rendering.strip()
    if _ACRONYM.fullmatch(rendering):  # case kept; «U.N.» is «UN»
        return re.compile(r"(?<![\w.])" + r"\.?".join(rendering) + r"(?:\.(?!\w))?(?!\w)")
    return re.compile(rf"(?<!\w){re.escape(_english_key(rendering))}(?!\w)")


def renders(english: str, renderings: tuple[str, ...] | list[str]) -> bool:
    """Does `english` contain one of `renderings` as whole words (hyphens, spaces, apostrophes and,
    but for a short acronym, case aside)?"""
    folded, kept = _english_key(english), _english_key(english, lower=False)
    return any(_rendering_pattern(r).search(kept if _ACRONYM.fullmatch(r.strip()) else folded) for r in renderings)


def glossary_form(arabic: str) -> str:
    """`arabic` as terms are looked for in it: `matching_form`, and the hamza on و / ي written
    either way («مسؤول», «مسئول») made one. Only here: the dialect markers tell those apart."""
    return matching_form(arabic).replace("ؤ", "ء").replace("ئ", "ء")


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
            key = glossary_form(source)
            if key.startswith("ال"):  # «الكرملين»: «بالكرملين», «والكرملين», and «للكرملين» (ل + ال → لل)
                key = key[2:]
                # «اللاجئين»: «للاجئين» (ل + ال + لاجئين, one lam merged), not «لللاجئين»
                prefix = PROCLITICS_WITH_ARTICLE_BEFORE_LAM if key.startswith("ل") else PROCLITICS_WITH_ARTICLE
            else:
                prefix = _TERM_PROCLITICS
            needles = tuple(key.split())
            key = re.escape(key).replace(r"\ ", r"\s+")
            pattern = re.compile(rf"(?<![{ARABIC_LETTERS}]){prefix}{key}(?![{ARABIC_LETTERS}])")
        return cls(source, tuple(r.strip() for r in renderings if r.strip()), keep, enforce, pattern, needles)

    def in_source(self, arabic: str, key: str | None = None) -> bool:
        """Is the term in `arabic`? `key` is `glossary_form(arabic)`, when the caller has it already."""
        return bool(self.spans(arabic if self.keep else key if key is not None else glossary_form(arabic)))

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where the term is in `text` (`glossary_form` of the Arabic; the Arabic itself for a kept term)."""
        if not all(needle in text for needle in self.needles):
            return []
        return [m.span() for m in self.pattern.finditer(text)]

    def in_target(self, english: str) -> bool:
        if self.keep:  # a whole word, as renderings are: TASS is not in "TASSILI", EU not in "EUR"
            return bool(self.pattern.search(english))
        return renders(english, self.renderings)


@dataclass(frozen=True)
class Glossary:
    terms: tuple[Term, ...] = ()
    path: str = ""
    digest: str = ""  # sha256 of the file: what the run signature counts

    def found_in(self, arabic: str) -> list[Term]:
        """The terms in `arabic`, in file order; a translated term found only inside a longer one
        («البيت» inside «البيت الأبيض», whose English is "White House", not "home") is left out."""
        key = glossary_form(arabic)
        found = [(term, term.spans(arabic if term.keep else key)) for term in self.terms]
        found = [(term, spans) for term, spans in found if spans]
        outer = [span for term, spans in found if not term.keep for span in spans]

        def inside_longer(span: tuple[int, int]) -> bool:
            return any(a <= span[0] and span[1] <= b and b - a > span[1] - span[0] for a, b in outer)

        return [term for term, spans in found if term.keep or not all(inside_longer(span) for span in spans)]

    def required_in(self, arabic: str) -> list[Term]:
        """The terms to enforce while translating `arabic` (a model input): the enforced,
        translated (not kept) terms found in it."""
        return [t for t in self.found_in(arabic) if t.enforce and not t.keep]


_TRUE, _FALSE = {"", "true", "yes", "1"}, {"false", "no", "0"}


def _enforce_value(value, where: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value if value is not None else "").strip().lower()
    if text in _TRUE | _FALSE:
        return text in _TRUE
    raise ConfigError(f"{where}: enforce must be true or false, not '{value}'")


@read_once_per_version
def load_glossary(path: Path) -> Glossary:
    """Read a YAML, CSV or TBX terms file. A malformed file is a one-line ConfigError naming it."""
    if str(path).lower().endswith(".tbx"):
        terms, where, unusable = _read_tbx(path)
        _refuse_conflicts(path, terms, where)
        glossary = Glossary(tuple(terms), str(path), hashlib.sha256(Path(path).read_bytes()).hexdigest())
        if unusable and (glossary.path, glossary.digest) not in _SAID:
            # Not an error (a termbase being built has entries not yet translated), but not silent:
            # as YAML, such an entry would be refused (`en: ""`).
            _SAID.add((glossary.path, glossary.digest))
            shown = ", ".join(unusable[:5]) + (f" and {len(unusable) - 5} more" if len(unusable) > 5 else "")
            log.warning("%s: %d %s an Arabic term but no English one (empty, deprecated or missing) and %s left "
                        "out: %s", path, len(unusable), "entry has" if len(unusable) == 1 else "entries have",
                        "is" if len(unusable) == 1 else "are", shown)
        return glossary
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
            parsed = load_yaml(text) or {}
        except yaml.YAMLError as exc:
            raise ConfigError(f"{path}: {yaml_problem(exc)}") from None
        if not isinstance(parsed, dict) or set(parsed) - {"terms", "keep"}:
            raise ConfigError(f"{path}: expected the keys 'terms' and/or 'keep'")
        entries = _texts_or_list(parsed.get("terms"), f"{path}: 'terms'", items=dict)
        for number, entry in enumerate(entries, start=1):
            if entry.get("ar") is None or entry.get("en") is None:  # an empty one is said below
                raise ConfigError(f"{path}: term {number} needs 'ar' and 'en'")
            if set(entry) - {"ar", "en", "enforce"}:
                raise ConfigError(f"{path}: term {number}: unknown key(s) "
                                  f"{', '.join(sorted(set(entry) - {'ar', 'en', 'enforce'}))} (known: ar, en, enforce)")
            source = _texts_or_list(entry["ar"], f"{path}: term {number}: 'ar'", single=True)[0]
            english = _texts_or_list(entry["en"], f"{path}: term {number}: 'en'")
            # `en: [""]` or `en: "  "`: every occurrence would be flagged "should be rendered as " (nothing)
            if not source.strip():
                raise ConfigError(f"{path}: term {number}: 'ar' is empty")
            if not any(r.strip() for r in english):
                raise ConfigError(f"{path}: term {number}: no English rendering for «{source.strip()}»")
            enforce = _enforce_value(entry.get("enforce", True), f"{path}: term {number}")
            terms.append(Term.make(source, english, enforce=enforce))
            where.append(f"term {number}")
        kept_terms = _texts_or_list(parsed.get("keep"), f"{path}: 'keep'")
        if not all(kept.strip() for kept in kept_terms):
            raise ConfigError(f"{path}: 'keep' has an empty term")
        terms.extend(Term.make(kept, [], keep=True) for kept in kept_terms)
    _refuse_conflicts(path, terms, where)
    return Glossary(tuple(terms), str(path), hashlib.sha256(data).hexdigest())


# A term's administrativeStatus that says it is not to be used (TBX-Basic's picklist values, and
# the short forms some tools write): neither looked for nor accepted as a rendering. Written as
# <termNote type="administrativeStatus"> (the 2008 dialect, 2019's DCA style) or as an element of its
# own, <min:administrativeStatus> (2019's DCT style); older termbases say it with
# normativeAuthorization («deprecatedTerm»).
_NOT_IN_USE = {"deprecatedterm-admn-sts", "supersededterm-admn-sts", "deprecated", "superseded",
               "deprecatedterm", "supersededterm"}
_STATUS_CATEGORIES = {"administrativeStatus", "normativeAuthorization"}


def _not_in_use(holder) -> bool:
    """A <tig>, <ntig> or <termSec> whose term a status says is not to be used."""
    for element in holder.iter():
        name = etree_name(element)
        category = element.get("type") if name in ("termNote", "descrip", "admin") else name
        if category in _STATUS_CATEGORIES and "".join(element.itertext()).strip().lower() in _NOT_IN_USE:
            return True
    return False
# The notes Tarjama's own TBX carries for what TBX has no field for (pipeline/export/terms.py).
KEEP_NOTE, NOT_ENFORCED_NOTE = "tarjama: keep (do not translate)", "tarjama: enforce false"


# TBX files whose entries left out have been said, this process: said once, not per load.
_SAID: set[tuple[str, str]] = set()


def _read_tbx(path: Path) -> tuple[list[Term], list[str], list[str]]:
    """The terms of a TBX file (2008 <martif> or 2019 <tbx>; elements matched by local name, so
    both, namespaced or not), where each comes from, and the entries with an Arabic term but no
    English one («entry _3 «باشينيان»»). ConfigError naming the file when it is not one or holds no
    entry with Arabic and English terms."""
    from .safexml import UnsafeXML, parse_untrusted

    try:
        root = parse_untrusted(path, "a TBX file").getroot()
    except UnsafeXML as exc:
        raise ConfigError(str(exc)) from None
    if etree_name(root) not in ("martif", "tbx"):
        raise ConfigError(f"{path}: not a TBX file (its root is <{etree_name(root)}>, not <martif> or <tbx>)")
    terms: list[Term] = []
    where: list[str] = []
    unusable: list[str] = []
    kept: list[Term] = []  # after the terms, as in YAML: `where` names the terms only
    entries = [e for e in root.iter() if etree_name(e) in ("termEntry", "conceptEntry")]
    for number, entry in enumerate(entries, start=1):
        named = f"entry {entry.get('id') or number}"
        languages: dict[str, list[str]] = {"ar": [], "en": []}
        for section in (e for e in entry.iter() if etree_name(e) in ("langSet", "langSec")):
            language = (section.get("{http://www.w3.org/XML/1998/namespace}lang") or section.get("lang") or "")
            language = language.strip().lower().replace("_", "-").split("-")[0]
            if language not in languages:
                continue
            for holder in (e for e in section.iter() if etree_name(e) in ("tig", "ntig", "termSec")):
                term = next((e for e in holder.iter() if etree_name(e) == "term"), None)
                text = " ".join("".join(term.itertext()).split()) if term is not None else ""
                if text and not _not_in_use(holder) and text not in languages[language]:
                    languages[language].append(text)
        notes = {" ".join("".join(e.itertext()).split()) for e in entry.iter() if etree_name(e) == "note"}
        if KEEP_NOTE in notes:
            kept.extend(Term.make(text, [], keep=True) for text in languages["ar"] or languages["en"])
            continue
        if languages["ar"] and not languages["en"]:
            unusable.append(f"{named} «{languages['ar'][0]}»")
        if not languages["ar"] or not languages["en"]:
            continue  # a termbase holds other languages' entries too: not this pair's
        for arabic in languages["ar"]:
            terms.append(Term.make(arabic, languages["en"], enforce=NOT_ENFORCED_NOTE not in notes))
            where.append(named)
    if not terms and not kept:
        raise ConfigError(f"{path}: no TBX entry has both Arabic (xml:lang ar) and English (en) terms")
    return terms + kept, where, unusable


def etree_name(element) -> str:
    """An XML element's local name (comments and processing instructions: "")."""
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _texts_or_list(value, where: str, *, items: type = str, single: bool = False) -> list:
    """A YAML value that must be a text (or number), or a list of them (of mappings: `items=dict`);
    one text stands for a list of one («keep: TASS» is [TASS], not the letters T, A, S, S)."""
    def ok(item) -> bool:
        return isinstance(item, dict) if items is dict else isinstance(item, (str, int, float)) and not isinstance(item, bool)

    values = [] if value is None else value if isinstance(value, list) and not single else [value]
    if not all(ok(item) for item in values) or (items is dict and not isinstance(value, (list, type(None)))):
        wanted = "a list of terms ({ar: ..., en: ...})" if items is dict else "a text" if single else "a text or a list of texts"
        raise ConfigError(f"{where} must be {wanted}, not {json.dumps(value, ensure_ascii=False, default=str)[:60]}")
    return values if items is dict else [str(item) for item in values]


def _refuse_conflicts(path: Path, terms: list[Term], where: list[str]) -> None:
    """The same Arabic term twice with different English: the check would flag every English
    that uses the other one (a team merging two lists). One line naming both entries."""
    first: dict[str, int] = {}
    for index, term in enumerate(terms[:len(where)]):
        if term.keep:
            continue
        key = glossary_form(term.source)
        if key not in first:
            first[key] = index
            continue
        earlier = terms[first[key]]
        if {r.lower() for r in earlier.renderings} != {r.lower() for r in term.renderings}:
            raise ConfigError(f"{path}: «{term.source}» is listed twice with different English ({where[first[key]]}: "
                              f"{' | '.join(earlier.renderings)}; {where[index]}: {' | '.join(term.renderings)}): "
                              f"give it one entry with its renderings separated by '|' (any of them is then right)")
