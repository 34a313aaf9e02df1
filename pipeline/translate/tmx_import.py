"""`tarjama memory import FILE.tmx`: a translation memory from a CAT tool into Tarjama's memory.

A TMX (1.1–1.4b) of Arabic/English pairs — any `xml:lang` casing or region: ar, AR, ar-SA, en-GB,
en_US — goes in as editors' approved translations: at paragraph level always (so an identical
paragraph is served it, and a similar one is offered it as a fuzzy match), and at sentence level
where the Arabic is one sentence (keyed like the model input, as roundtrip.approved_entries
does); a <seg>'s line breaks and no-break spaces are kept, the indentation around it is not. A
pair Tarjama itself exported as machine output nobody approved (`<prop type="x-origin">model</prop>`
without `x-status` approved), or as English nobody approved (`x-status` other than `approved`: an
editor's draft), is kept as reference only: offered as a match, never served as approved English; a rejected one is left out.

Nothing an editor approved is overwritten: a pair whose Arabic the memory already holds with
other English is counted as conflicting and left out (as is a second, different English for the
same Arabic in one file). The file is parsed as untrusted XML (pipeline/safexml.py).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ..errors import InputError
from ..model import Paragraph
from ..safexml import UnsafeXML, parse_untrusted, text_without_codes
from ..text.arabic import ARABIC_LETTER
from ..text.protected import hide
from ..text.sentences import sentence_spans
from .memory import HUMAN, MemoryKey, TranslationMemory

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
MAX_TMX_BYTES = 500 * 2**20
# A <seg>'s text is kept as written — a line break or a no-break space in it is the translation's —
# but for XML whitespace at its two ends: the indentation of a pretty-printed file
# (<seg>⏎      text⏎    </seg>), never part of a paragraph (the DOCX reader trims a cell so too);
# and a line break followed by indentation inside it, where a tool wrapped a long <seg> in its
# file («will announce⏎          the budget»): a space.
_XML_SPACE = " \t\r\n"
_WRAPPED = re.compile(r"[ \t]*\r?\n[ \t]+")


class NotTmx(InputError):
    """A file given to `memory import` that cannot be imported at all (not a TMX, not well-formed,
    too large, entities). The one file the command was given, not a file of a batch: exit 2, as
    a missing file is."""

    exit_code = 2


@dataclass
class TmxPair:
    arabic: str
    english: str
    origin: str   # "human", or "model" where Tarjama's own export says so
    tuid: str | None


@dataclass
class TmxImported:
    file: Path
    memory: Path
    imported: int = 0      # pairs written (each at paragraph level, some at sentence level too)
    skipped: int = 0       # units without an Arabic and an English side, rejected ones, or already in the memory
    conflicting: int = 0   # the memory (or the file, earlier) has other English for the Arabic: kept
    not_arabic: int = 0    # of the skipped: an "Arabic" side without an Arabic letter


def _language(tag: str | None) -> str:
    """ar-SA, AR, ar_EG → ar: the primary subtag, lower case."""
    return (tag or "").replace("_", "-").split("-")[0].strip().lower()


def _text(seg) -> str:
    """A <seg>'s text: highlighted text kept, inline codes (their native markup) left out but for
    a line break, a newline — as an XLIFF target is read (safexml.text_without_codes)."""
    return text_without_codes(seg)


def read_tmx(path: Path) -> tuple[list[TmxPair], int, int]:
    """The Arabic/English pairs of a TMX file, how many units had no such pair, and how many of
    those had an Arabic side without an Arabic letter (a CAT project whose source files held the
    English: OmegaT given Tarjama's default XLIFF translates its English <target>, and labels it
    with the project's source language)."""
    try:
        tree = parse_untrusted(path, "a TMX file", max_bytes=MAX_TMX_BYTES)
    except UnsafeXML as exc:
        raise NotTmx(exc.path, exc.reason) from None
    root = tree.getroot()
    if root.tag != "tmx":
        raise NotTmx(path, f"not a TMX file (its root is <{etree.QName(root).localname}>)")
    if root.find("body") is None:
        raise NotTmx(path, "no <body>: not a TMX file's contents")
    pairs, unpaired, not_arabic = [], 0, 0
    for unit in root.iterfind("body/tu"):
        sides: dict[str, str] = {}
        for variant in unit.iterfind("tuv"):
            seg = variant.find("seg")
            language = _language(variant.get(XML_LANG) or variant.get("lang"))  # TMX 1.1 wrote lang=
            if seg is not None and language:
                sides.setdefault(language, _WRAPPED.sub(" ", _text(seg).strip(_XML_SPACE)))
        props = {p.get("type"): (p.text or "").strip() for p in unit.iterfind("prop")}
        arabic, english = sides.get("ar", ""), sides.get("en", "")
        status = props.get("x-status")
        if not arabic or not english or status == "rejected":
            unpaired += 1
            continue
        if not ARABIC_LETTER.search(arabic):
            # Not an Arabic paragraph: no article's Arabic would ever match it
            unpaired += 1
            not_arabic += 1
            continue
        # Tarjama's own export says which English an editor approved: the machine's English an
        # editor approved as it was (x-status approved, x-origin model) is approved; a draft nobody
        # approved (x-status ok / needs-review) is reference only, like the machine's.
        approved = status == "approved" or (status is None and props.get("x-origin") != "model")
        pairs.append(TmxPair(arabic, english, HUMAN if approved else "model", unit.get("tuid")))
    return pairs, unpaired, not_arabic


def _entries(pair: TmxPair, key: MemoryKey, source_key: str, strip_diacritics: bool, file: str) -> list[tuple]:
    from ..config import SegmentationSettings
    from ..segment import make_unit

    note = json.dumps({"imported_from": file, "tuid": pair.tuid}, ensure_ascii=False)
    entries = [("paragraph", source_key, pair.english, pair.origin, note)]
    spans = sentence_spans(pair.arabic)
    if pair.origin == HUMAN and len(spans) == 1:
        # One sentence: keyed like a translation unit, so the same sentence inside another
        # paragraph is served it too.
        unit = make_unit(Paragraph("p0001", 1, pair.arabic), 1, spans[0],
                         SegmentationSettings(strip_diacritics=strip_diacritics))
        keyed = None if unit.verbatim else hide(pair.english, unit.protected)
        if keyed is not None:
            entries.append(("unit", key.unit(unit.model_input), keyed, pair.origin, note))
    return entries


def import_tmx(path: Path, memory_file: Path, *, strip_diacritics: bool = True) -> TmxImported:
    """Every Arabic/English pair of the TMX at `path` into the memory at `memory_file`, one
    transaction. Raises InputError (one line naming the file) for what is not a usable TMX."""
    pairs, unpaired, not_arabic = read_tmx(path)
    result = TmxImported(path, memory_file, skipped=unpaired, not_arabic=not_arabic)
    key = MemoryKey("", "", strip_diacritics)
    memory = TranslationMemory(memory_file)
    try:
        known = memory.reference_paragraphs([key.paragraph(p.arabic) for p in pairs])
        rows = []
        for pair in pairs:
            source = key.paragraph(pair.arabic)
            if source in known:
                if known[source] == pair.english:
                    result.skipped += 1
                else:
                    result.conflicting += 1
                continue
            known[source] = pair.english
            rows.extend(_entries(pair, key, source, strip_diacritics, path.name))
            result.imported += 1
        memory.store_imported(rows)
    finally:
        memory.close()
    return result
