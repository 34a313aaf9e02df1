"""TMX 1.4b export of translated articles, for CAT tools (memoQ, Trados, OmegaT).

One translation unit per paragraph, Arabic → English, with the article, the paragraph id, the
review status and the origin of the English as properties. The English is the editor's when an
editor approved or edited it, else the machine's; a paragraph without English (none, or an
editor's emptied) has no unit. `sentences` (`export-tmx --sentences`): a unit per sentence where
the English is the machine's, aligned sentence by sentence, for CAT tools that segment by sentence
(memoQ, Trados, OmegaT by default), which then find each sentence as a 100% match; an editor's
English has no sentence alignment and stays one paragraph unit.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Iterable

from lxml import etree

from .. import __version__
from ..errors import TarjamaError
from ..fsutil import atomic_write_bytes
from ..model import Paragraph, Sentence
from .record import ArticleRecord, read_record

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def article_records(output_dir: Path, damaged: list[tuple[Path, str]] | None = None
                    ) -> Iterable[tuple[Path, ArticleRecord]]:
    """Article records under an output folder (not the run report, not hidden folders, not
    JSON files of other kinds). `damaged` collects the records that cannot be read — a file that
    is not JSON at all (cut short), or a record beside its DOCX — with the reason."""
    for path in sorted(output_dir.rglob("*.json")):
        if path.name.startswith("_") or any(part.startswith(".") for part in path.relative_to(output_dir).parts):
            continue
        try:
            yield path, read_record(path)
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            if damaged is not None and _looks_like_a_record(path):
                damaged.append((path, f"not a readable article record ({type(exc).__name__}: {str(exc)[:80]})"))


def _looks_like_a_record(path: Path) -> bool:
    """A .json that fails to read is named when it is a record: its DOCX is beside it, or it
    begins as Tarjama writes records (a file cut short, a key renamed by hand) — not an empty
    file, JSON Lines or notes of another tool that happen to end in .json."""
    if path.with_suffix(".docx").is_file():
        return True
    try:
        with path.open("rb") as handle:
            head = handle.read(512)
    except OSError:
        return False
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{") and b'"schema_version"' in head


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


def sentence_pairs(paragraph: Paragraph) -> list[tuple[Sentence, str]] | None:
    """The paragraph's Arabic sentences with their part of the English, when the English is the
    machine's and every sentence's span into it is known and in order; else None."""
    review = paragraph.review
    if review is not None and review.editor_target is not None or not paragraph.sentences:
        return None
    spans = [sentence.target_span for sentence in paragraph.sentences]
    position = 0
    for span in spans:
        if span is None or not position <= span[0] <= span[1] <= len(paragraph.target):
            return None
        position = span[1]
    return [(sentence, paragraph.target[start:end].strip())
            for sentence, (start, end) in zip(paragraph.sentences, spans)]


def _units(paragraph: Paragraph, sentences: bool) -> list[tuple[str, str, str, bool]]:
    """The paragraph's units as (id, Arabic, English, from an editor's translation): one for the
    paragraph, or with `sentences` one per aligned sentence of the machine's English."""
    pairs = sentence_pairs(paragraph) if sentences else None
    if pairs:
        return [(sentence.id, sentence.source, english, sentence.origin == "human")
                for sentence, english in pairs if english and sentence.source.strip()]
    human = bool(paragraph.sentences) and all(sentence.origin == "human" for sentence in paragraph.sentences)
    return [(paragraph.id, paragraph.source, paragraph.english, human)]


def build_tmx(records: Iterable[tuple[Path, ArticleRecord]], *, include_unreviewed: bool = True,
              sentences: bool = False) -> bytes:
    tmx = etree.Element("tmx", version="1.4")
    etree.SubElement(tmx, "header", creationtool="Tarjama", creationtoolversion=__version__,
                     segtype="sentence" if sentences else "paragraph",
                     **{"o-tmf": "tarjama-json", "adminlang": "en", "srclang": "ar", "datatype": "plaintext"})
    body = etree.SubElement(tmx, "body")
    for _, record in records:
        document = record.document
        for paragraph in document.paragraphs:
            review = paragraph.review
            # The editor's English where there is one, even emptied: never the machine's they deleted
            edited = review is not None and review.editor_target is not None
            if not paragraph.english.strip():
                continue  # no English: no pair
            for unit_id, arabic, english, human in _units(paragraph, sentences):
                # English served from an editor's approved translation counts as approved; a
                # paragraph of served and machine sentences is the machine's as much as it is theirs
                status = review.status if review else ("approved" if human else paragraph.status)
                if not include_unreviewed and status != "approved":
                    continue
                unit = etree.SubElement(body, "tu", tuid=f"{document.id}#{unit_id}")
                changed = _tmx_date((review.edited_at if review else None) or record.created)
                if changed:
                    unit.set("changedate", changed)
                if review and review.editors:
                    unit.set("changeid", ", ".join(review.editors))
                _prop(unit, "x-document", document.id)
                _prop(unit, "x-paragraph-id", paragraph.id)
                _prop(unit, "x-status", status)
                _prop(unit, "x-origin", "human" if human or edited else "model")
                _prop(unit, "x-kind", paragraph.kind)
                if review and review.note:
                    note = etree.SubElement(unit, "note")
                    note.text = review.note
                for lang, segment in (("ar", arabic), ("en", english)):
                    variant = etree.SubElement(unit, "tuv", {XML_LANG: lang})
                    etree.SubElement(variant, "seg").text = segment
    return etree.tostring(tmx, xml_declaration=True, encoding="UTF-8", pretty_print=True,
                          doctype='<!DOCTYPE tmx SYSTEM "tmx14.dtd">')


class NothingToExport(TarjamaError):
    """No article records under the folder: an empty TMX would only hide a mistyped path."""


def readable_records(output_dir: Path, damaged: list[tuple[Path, str]]) -> list[tuple[Path, ArticleRecord]]:
    """The article records an export reads; those that cannot be read go to `damaged` (the caller
    names them and fails: an export must not be silently short of an article). None readable: one line."""
    records = list(article_records(output_dir, damaged))
    if not records:
        unreadable = f" ({len(damaged)} could not be read: {damaged[0][0]}: {damaged[0][1]})" if damaged else ""
        raise NothingToExport(f"{output_dir}: no readable article records (the .json files `tarjama translate` "
                              f"writes){unreadable}; nothing written")
    return records


def export_tmx(output_dir: Path, target: Path, *, approved_only: bool = False, sentences: bool = False,
               damaged: list[tuple[Path, str]] | None = None) -> int:
    """The TMX of every readable record; `damaged` collects the records that could not be read."""
    records = readable_records(output_dir, damaged if damaged is not None else [])
    data = build_tmx(records, include_unreviewed=not approved_only, sentences=sentences)
    atomic_write_bytes(target, data)
    return data.count(b"<tu ")
