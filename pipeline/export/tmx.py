"""TMX 1.4b export of translated articles, for CAT tools (memoQ, Trados, OmegaT).

One translation unit per paragraph, Arabic → English, with the article, the paragraph id, the
review status and the origin of the English as properties. The English is the editor's when an
editor approved or edited it, else the machine's.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Iterable

from lxml import etree

from .. import __version__
from ..errors import TarjamaError
from ..fsutil import atomic_write_bytes

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def article_records(output_dir: Path) -> Iterable[tuple[Path, dict]]:
    """Article JSON records under an output folder (not the run report, not hidden folders)."""
    for path in sorted(output_dir.rglob("*.json")):
        if path.name.startswith("_") or any(part.startswith(".") for part in path.relative_to(output_dir).parts):
            continue
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(record, dict) and record.get("schema_version") and "paragraphs" in record:
            yield path, record


def _tmx_date(iso: str | None) -> str | None:
    """TMX dates are UTC, YYYYMMDDThhmmssZ: an ISO 8601 time with an offset is converted to UTC
    (2024-05-01T10:00:00+02:00 → 20240501T080000Z); one without an offset is taken as UTC."""
    if not iso:
        return None
    try:
        moment = dt.datetime.fromisoformat(iso.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.timezone.utc)
    return moment.strftime("%Y%m%dT%H%M%SZ")


def _prop(parent, kind: str, value: str) -> None:
    prop = etree.SubElement(parent, "prop", type=kind)
    prop.text = value


def build_tmx(records: Iterable[tuple[Path, dict]], *, include_unreviewed: bool = True) -> bytes:
    tmx = etree.Element("tmx", version="1.4")
    etree.SubElement(tmx, "header", creationtool="Tarjama", creationtoolversion=__version__, segtype="paragraph",
                     **{"o-tmf": "tarjama-json", "adminlang": "en", "srclang": "ar", "datatype": "plaintext"})
    body = etree.SubElement(tmx, "body")
    for _, record in records:
        for paragraph in record["paragraphs"]:
            review = paragraph.get("review") or {}
            human = any(s.get("origin") == "human" for s in paragraph["sentences"])
            status = review.get("status") or ("approved" if human else paragraph["status"])
            if not include_unreviewed and status != "approved":
                continue
            english = review.get("editor_target") or paragraph["target"]
            if not english.strip():
                continue
            unit = etree.SubElement(body, "tu", tuid=f"{record['document']['id']}#{paragraph['id']}")
            changed = _tmx_date(review.get("edited_at") or record["document"].get("created"))
            if changed:
                unit.set("changedate", changed)
            if review.get("editors"):
                unit.set("changeid", ", ".join(review["editors"]))
            _prop(unit, "x-document", record["document"]["id"])
            _prop(unit, "x-paragraph-id", paragraph["id"])
            _prop(unit, "x-status", status)
            _prop(unit, "x-origin", "human" if human or review.get("editor_target") else "model")
            _prop(unit, "x-kind", paragraph["kind"])
            if review.get("note"):
                note = etree.SubElement(unit, "note")
                note.text = review["note"]
            for lang, text in (("ar", paragraph["source"]), ("en", english)):
                variant = etree.SubElement(unit, "tuv", {XML_LANG: lang})
                etree.SubElement(variant, "seg").text = text
    return etree.tostring(tmx, xml_declaration=True, encoding="UTF-8", pretty_print=True,
                          doctype='<!DOCTYPE tmx SYSTEM "tmx14.dtd">')


class NothingToExport(TarjamaError):
    """No article records under the folder: an empty TMX would only hide a mistyped path."""


def export_tmx(output_dir: Path, target: Path, *, approved_only: bool = False) -> int:
    records = list(article_records(output_dir))
    if not records:
        raise NothingToExport(f"{output_dir}: no article records (the .json files `tarjama translate` writes); "
                              "nothing written")
    data = build_tmx(records, include_unreviewed=not approved_only)
    atomic_write_bytes(target, data)
    return data.count(b"<tu ")
