"""TMX 1.4b export of translated articles, for CAT tools (memoQ, Trados, OmegaT).

One translation unit per paragraph, Arabic → English, with the article, the paragraph id, the
review status and the origin of the English as properties. The English is the editor's when an
editor approved or edited it, else the machine's; a paragraph without English (none, or an
editor's emptied) has no unit. `sentences` (`export-tmx --sentences`): a unit per sentence where
the English is the machine's, aligned sentence by sentence, for CAT tools that segment by sentence
(memoQ, Trados, OmegaT by default), which then find each sentence as a 100% match (a sentence cut
into pieces to fit the model is one unit); an editor's English has no sentence alignment and stays
one paragraph unit.
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


def sentence_units(paragraph: Paragraph) -> list[tuple[str, str, str, bool]] | None:
    """The TMX units of `--sentences` for a paragraph: (id, Arabic, English, all an editor's?) per
    Arabic sentence, or None (see sentence_pairs). A sentence cut into pieces to fit the model
    (`budget_split`) is one unit — the sentence as written and its pieces' English, from the first
    to the last, `p0003.s02-s05` —: a CAT tool segments the sentence, never the pieces, which
    were only ever fuzzy matches of it."""
    from ..segment import unit_spans

    pairs = sentence_pairs(paragraph)
    if pairs is None:
        return None
    groups: list[list[tuple[Sentence, str]]] = []
    sentences = unit_spans(paragraph)
    for pair in pairs:
        unit, _ = pair
        inside = next((span for span in sentences
                       if span[0] <= unit.source_span[0] and unit.source_span[1] <= span[1]), None)
        previous = groups[-1][-1][0] if groups else None
        if (unit.budget_split and previous is not None and previous.budget_split and inside is not None
                and inside[0] <= previous.source_span[0] and previous.source_span[1] <= inside[1]):
            groups[-1].append(pair)  # another piece of the sentence the previous piece is in
        else:
            groups.append([pair])
    units = []
    for group in groups:
        first, last = group[0][0], group[-1][0]
        if len(group) == 1:
            units.append((first.id, first.source, group[0][1], first.origin == "human"))
            continue
        english = paragraph.target[first.target_span[0]:last.target_span[1]].strip()
        arabic = paragraph.source[first.source_span[0]:last.source_span[1]]
        units.append((f"{first.id}-{last.id.rsplit('.', 1)[-1]}", arabic, english,
                      all(unit.origin == "human" for unit, _ in group)))
    return units


def served_as_an_editors(paragraph: Paragraph) -> bool:
    """Its English all came from editors' approved translations (the memory served every sentence
    that has words, or the whole paragraph), none of it from the model."""
    origins = {s.origin for s in paragraph.sentences}
    return "human" in origins and origins <= {"human", "verbatim"}


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
            english = paragraph.english
            if not english.strip():
                continue  # no English: no pair
            pairs = sentence_units(paragraph) if sentences else None
            # A paragraph unit, or a unit per sentence: its own id, the paragraph's properties. English
            # served from the memory as an editor's is approved where it is all an editor's: a
            # paragraph with one sentence so served and the others the machine's is not (its machine
            # sentences went out as approved, and a memory importing the TMX served them as such).
            units = ([unit for unit in pairs if unit[2] and unit[1].strip()] if pairs
                     else [(paragraph.id, paragraph.source, english, served_as_an_editors(paragraph))])
            for unit_id, arabic, text, human in units:
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
                for lang, segment in (("ar", arabic), ("en", text)):
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
