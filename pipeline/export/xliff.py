"""XLIFF 1.2 for CAT tools (memoQ, Trados, Phrase, OmegaT): out from article records, and back in.

Out (`tarjama export-xliff`): one .xlf per article, one `<file>` (original = the article's source
path, ar → en, plaintext), one `<trans-unit>` per paragraph whose id is the paragraph id, the
sentences as `<seg-source>` / `<mrk mtype="seg">` on both sides (an editor's English, which
has no sentence alignment, as one piece), the review state as the
target's `state`, flags as `<note>`s, the paragraph kind as `restype`, a fuzzy match from the
memory as `<alt-trans>`. XLIFF 1.2 strict: the version CAT tools read reliably today. With
`--copy-source` (build_xliff's copy_source), for OmegaT's own XLIFF filter, which translates the
text of <target> in place and leaves <source> alone: every <target> holds the Arabic, as
needing translation, and the English goes to OmegaT as a TMX (`export-tmx`); a header note
(COPY_SOURCE_NOTE) says its states carry no review, so coming back a unit whose state says neither
approval nor rejection keeps the record's status (OmegaT writes none).

In (`tarjama import-review EDITED.xlf`): the units read back as the rows of a reviewed document
(export/docx/read.ReviewedDocument), so roundtrip.merge_review checks and merges them exactly as
it does a DOCX: matched by id, edited Arabic, missing and foreign units refused. Inline codes a
CAT tool put in (<bpt>, <ept>, <it>, <ph>, <x> …) are markup, left out; one standing for a line
break is a newline. A target that is still its unit's Arabic (a CAT tool's copy of the source in
a segment nobody translated: OmegaT's own XLIFF filter translates a target in place, so a unit
nobody translated keeps the Arabic it was given) is no translation: the record's English stays,
as for a unit without <target>.

States, both ways (`review` is the editor's, import-review's `ParagraphReview`):

    out                                           state                      qualifier
    machine English (no review, or not edited)    needs-review-translation   mt-suggestion
    an editor's approved English from the memory  translated                 leveraged-tm
    no English (none, or an editor emptied it)    needs-translation
    edited, not approved                          translated
    approved                                      final (approved="yes")
    rejected                                      needs-translation          rejected-inaccurate

    in: a rejected-* qualifier → rejected; approved="yes" → approved, approved="no" → not (the
    attribute says it where a tool sets it); else final or signed-off → approved; any other state
    → the checks' status (ok / needs review), with the unit's English as the editor's when it changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .. import __version__
from ..errors import ReviewImportError
from ..fsutil import atomic_write_bytes
from ..model import Paragraph
from ..safexml import UnsafeXML, parse_untrusted, text_without_codes
from ..text.arabic import ARABIC_LETTER
from .docx.layout import STATUS_WORDS
from .docx.read import ReviewedDocument, ReviewedRow
from .record import ArticleRecord, row_cells
from .tmx import readable_records

NS = "urn:oasis:names:tc:xliff:document:1.2"
NAMESPACES = (NS, "urn:oasis:names:tc:xliff:document:1.1")  # read: 1.1 is what some tools still write
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
TOOL = "tarjama"
BASE_PREFIX = "tarjama-row "  # trans-unit extradata: the unit's cell hashes as written
SHA_NOTE = "source sha256 "  # the header note that names the article, as the DOCX's core properties do
# The header note of an `--copy-source` file: its states say nothing of the review (every target
# is the Arabic, needing translation), so an import keeps the record's approvals and rejections.
COPY_SOURCE_NOTE = "copy-source: each <target> holds the Arabic to translate; the states say nothing of the review"
PRIORITY = {"error": "1", "warning": "2", "info": "5"}  # XLIFF: 1 is the most important
GENERIC_NOTE_AUTHORS = {"", "translator", "reviewer", "editor", "developer", "pofilter"}
MAX_XLIFF_BYTES = 100 * 2**20


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


# --- out ----------------------------------------------------------------------------------

def target_state(paragraph: Paragraph) -> tuple[str, str | None]:
    """The XLIFF state (and state-qualifier) of a paragraph's English; see the module's table."""
    review = paragraph.review
    if review is not None and review.status == "approved":
        return "final", None
    if review is not None and review.status == "rejected":
        return "needs-translation", "rejected-inaccurate"
    if not paragraph.english.strip():
        return "needs-translation", None  # also an editor's emptied English: nothing to review yet
    if review is not None and review.editor_target is not None:
        return "translated", None
    if paragraph.sentences and all(s.origin == "human" for s in paragraph.sentences):
        return "translated", "leveraged-tm"
    return "needs-review-translation", "mt-suggestion"


def _segments(parent, text: str, spans: list[tuple[str, tuple[int, int]]]) -> None:
    """`text` into `parent` with each span as `<mrk mtype="seg" mid=…>`; the text between spans
    (spaces, line breaks) stays in place, so the element's whole text is `text` exactly."""
    position, previous = 0, None
    for mid, (start, end) in spans:
        gap = text[position:start]
        if previous is None:
            parent.text = gap or None
        else:
            previous.tail = gap or None
        mark = etree.SubElement(parent, _q("mrk"), mtype="seg", mid=mid)
        mark.text = text[start:end]
        previous, position = mark, end
    rest = text[position:]
    if previous is None:
        parent.text = rest or None
    else:
        previous.tail = rest or None


def _valid_spans(spans: list[tuple[int, int]], length: int) -> bool:
    position = 0
    for start, end in spans:
        if not position <= start <= end <= length:
            return False
        position = end
    return True


def _mid(unit_id: str) -> str:
    return unit_id.replace(".", "-")  # p0003.s01 → p0003-s01, an NMTOKEN that reads like the id


def _trans_unit(body, paragraph: Paragraph, copy_source: bool = False) -> None:
    unit = etree.SubElement(body, _q("trans-unit"), id=paragraph.id, restype=f"x-{paragraph.kind}")
    unit.set(XML_SPACE, "preserve")  # line breaks and spaces inside a paragraph are content
    # copy_source: the <target> holds the Arabic for a CAT tool to translate in place (OmegaT's own
    # XLIFF filter translates the text of <target>, not of <source>): nothing in it is approved yet.
    state, qualifier = ("needs-translation", None) if copy_source else target_state(paragraph)
    # XLIFF's attribute for a tool's own data: the unit as written (cell hashes of its English,
    # status and note as an import reads them back), so an import takes only what a CAT tool changed.
    review = paragraph.review
    shown = paragraph.english
    # The status a copy-source file reads back is the record's (its states carry none: read_xliff)
    status = (review.status if review is not None else paragraph.status) if copy_source else (
        review_status(state, qualifier) or paragraph.status)
    unit.set("extradata", BASE_PREFIX + row_cells(shown, status, review.note if review is not None else None))
    if state == "final":
        unit.set("approved", "yes")
    source = etree.SubElement(unit, _q("source"))
    source.text = paragraph.source
    units = [s for s in paragraph.sentences]
    source_spans = [tuple(s.source_span) for s in units]
    if units and not copy_source and _valid_spans(source_spans, len(paragraph.source)):
        seg_source = etree.SubElement(unit, _q("seg-source"))
        _segments(seg_source, paragraph.source, [(_mid(s.id), span) for s, span in zip(units, source_spans)])
    edited = review is not None and review.editor_target is not None
    english = shown  # what the DOCX shows too
    target = etree.SubElement(unit, _q("target"), state=state)
    target.set(XML_LANG, "en")
    if qualifier:
        target.set("state-qualifier", qualifier)
    # The machine's English in the sentences of <seg-source> (the same mids): a CAT tool shows
    # sentence beside sentence. An editor's English has no sentence alignment: one piece.
    target_spans = [s.target_span for s in units]
    if copy_source:
        # The Arabic as <source> has it, in one piece: the CAT tool segments it (OmegaT by its own
        # rules, or not at all with paragraph segmentation) as it segments the TMX of the English.
        target.text = paragraph.source
    elif (not edited and english and units and None not in target_spans
            and _valid_spans([tuple(span) for span in target_spans], len(english))):
        _segments(target, english, [(_mid(s.id), tuple(span)) for s, span in zip(units, target_spans)])
    else:
        target.text = english or None
    match = paragraph.memory_match
    if match is not None:
        # The memory's nearest paragraph as a proposal: CAT tools show it beside the target.
        alt = etree.SubElement(unit, _q("alt-trans"), {"match-quality": f"{match.percent}%", "tool-id": TOOL,
                                                       "origin": f"tarjama-memory ({match.origin})"})
        etree.SubElement(alt, _q("source")).text = match.source
        alt_target = etree.SubElement(alt, _q("target"))
        alt_target.set(XML_LANG, "en")
        alt_target.text = match.target
        if match.numbers:
            changed = ", ".join(f"{old} → {new}" for old, new in match.numbers if old != new)
            etree.SubElement(alt, _q("note"), {"from": TOOL}).text = (
                f"differs only in numbers ({changed}); "
                + ("carried over into this English" if match.carried else "not every number could be carried over")
                + f"; the memory's English: {match.memory_target}")
    for flag in paragraph.flags:
        note = etree.SubElement(unit, _q("note"), {"from": TOOL, "priority": PRIORITY[flag.severity], "annotates": "target"})
        note.text = f"{flag.severity} {flag.code}: {flag.message}"
    if copy_source and review is not None and review.status in ("approved", "rejected"):
        # The state cannot say it (the <target> is the Arabic): a translator sees it as a comment.
        etree.SubElement(unit, _q("note"), {"from": TOOL, "priority": "2"}).text = (
            f"{review.status} by an editor" + (": its English is the editor's (in the TMX of `tarjama export-tmx`)"
                                              if review.status == "approved" else ""))
    if review is not None and review.note:
        author = ", ".join(review.editors) or "editor"
        etree.SubElement(unit, _q("note"), {"from": author}).text = review.note


def _indent(element, level: int = 0) -> None:
    """Line breaks between structural elements only: whitespace inside <source>, <target> or a
    note would change the text it holds."""
    if element.tag in (_q("xliff"), _q("file"), _q("header"), _q("body"), _q("trans-unit"), _q("alt-trans")) and len(element):
        element.text = "\n" + "  " * (level + 1) + (element.text or "").strip()
        for child in element:
            _indent(child, level + 1)
            child.tail = "\n" + "  " * (level + 1)
        element[-1].tail = "\n" + "  " * level


def _iso(created: str | None) -> str | None:
    """An ISO 8601 time as the records write it (UTC, "Z"; a time without a zone is taken as
    UTC); None if it is not one."""
    try:
        moment = dt.datetime.fromisoformat(created.replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return moment.isoformat() + "Z"


def build_xliff(record: ArticleRecord, exported: str | None = None, *, copy_source: bool = False) -> bytes:
    """One article as an XLIFF 1.2 document (one <file>). Its `date` is when it was exported
    (`exported`, default the record's time): an import compares it with the imports before it.
    `copy_source`: each <target> holds a copy of the Arabic (state needs-translation), for a CAT
    tool that translates the target in place — OmegaT's own XLIFF filter; the English goes to the
    tool as a TMX (`export-tmx`)."""
    document = record.document
    root = etree.Element(_q("xliff"), version="1.2", nsmap={None: NS})
    attributes = {"original": document.source_path, "source-language": "ar", "target-language": "en",
                  "datatype": "plaintext", "tool-id": TOOL}
    date = _iso(exported or record.created)
    if date:
        attributes["date"] = date
    file = etree.SubElement(root, _q("file"), attributes)
    header = etree.SubElement(file, _q("header"))
    etree.SubElement(header, _q("tool"), {"tool-id": TOOL, "tool-name": "Tarjama", "tool-version": __version__})
    etree.SubElement(header, _q("note"), {"from": TOOL}).text = SHA_NOTE + document.source_sha256
    etree.SubElement(header, _q("note"), {"from": TOOL}).text = (
        f"machine translation: {record.run.model_name} ({record.run.backend}, {record.run.model_fingerprint})")
    if copy_source:
        etree.SubElement(header, _q("note"), {"from": TOOL}).text = COPY_SOURCE_NOTE
    body = etree.SubElement(file, _q("body"))
    for paragraph in document.paragraphs:
        _trans_unit(body, paragraph, copy_source)
    _indent(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


@dataclass
class XliffExport:
    written: list[tuple[Path, int]] = field(default_factory=list)  # (path, trans-units)
    kept: list[str] = field(default_factory=list)                  # why an existing file was not replaced
    damaged: list[tuple[Path, str]] = field(default_factory=list)  # records that could not be read, and why


def export_xliff(output_dir: Path, target_dir: Path, *, force: bool = False, copy_source: bool = False) -> XliffExport:
    """An .xlf beside (or, under `target_dir`, mirroring) every article record under
    `output_dir`. An .xlf already there with a CAT tool's work not yet imported is kept (said in
    `kept`), unless `force`. `copy_source`: see build_xliff."""
    from ..batch import run_timestamp
    from ..roundtrip import unimported_xliff

    result = XliffExport()
    records = readable_records(output_dir, result.damaged)
    exported = run_timestamp().isoformat().replace("+00:00", "Z")
    for path, record in records:
        target = target_dir / path.relative_to(output_dir).with_suffix(".xlf")
        data = build_xliff(record, exported, copy_source=copy_source)
        why = None if force else unimported_xliff(target, record, data)
        if why is not None:
            result.kept.append(why)
            continue
        atomic_write_bytes(target, data)
        result.written.append((target, len(record.document.paragraphs)))
    return result


# --- back in ------------------------------------------------------------------------------

def review_status(state: str | None, qualifier: str | None, approved: str | None = None) -> str | None:
    """What a unit says of the paragraph: approved, rejected, or None (the checks' own). XLIFF
    1.2's `approved` attribute is the approval where a tool sets it (translate-toolkit's
    markapproved, Weblate, Pootle): "yes" approves whatever the state, "no" takes an approval
    back even with the state left at final; without it, final and signed-off approve."""
    if qualifier and qualifier.startswith("rejected-"):
        return "rejected"
    if approved in ("yes", "no"):
        return "approved" if approved == "yes" else None
    if state in ("final", "signed-off"):
        return "approved"
    return None


def _text(element) -> str:
    """An element's text as a reader sees it: segments (<mrk>) and <g> flattened, inline codes
    left out but for a line break (safexml.text_without_codes)."""
    return text_without_codes(element)


def _target_text(target, ns: dict) -> str:
    """A unit's English. A segmented target (as exported) starts with its first <mrk> and has
    only spaces between them (an empty one is left out with its space). Text in front of the
    segments is a new target written before the old ones, which translate-toolkit (pofilter,
    Weblate, Pootle) does when it sets a target: that text is the edit, the segments behind it
    are stale."""
    marks = target.findall("x:mrk", ns)
    if not marks or "".join(mark.tail or "" for mark in marks).strip():
        return _text(target)
    if (target.text or "").strip():
        return target.text.strip()
    if all(_text(mark).strip() for mark in marks):
        return _text(target)
    # A segment left empty takes no space along (not " Second sentence." when the first was
    # emptied): the others, each after the space that followed the one before it
    english, gap = "", ""
    for mark in marks:
        text = _text(mark)
        if text.strip():
            english += (gap if english else "") + text
            gap = mark.tail or ""
    return english


def _still_the_arabic(english: str, arabic: str) -> bool:
    """A target that is its unit's Arabic: a CAT tool's copy of the source in a unit nobody
    translated (OmegaT's own XLIFF filter, given the Arabic in <target> — `export-xliff
    --copy-source` — leaves it there in every segment nobody translated), not an English.
    Compared as the import compares an edited Arabic (NFC), leading and trailing spaces aside; a
    source without an Arabic letter (a name, a figure) may well be its own English."""
    from ..roundtrip import same_arabic

    return bool(ARABIC_LETTER.search(arabic)) and same_arabic(english.strip(), arabic.strip())


def read_xliff(path: Path) -> ReviewedDocument:
    """The units of an edited XLIFF as reviewed rows. `english` is None where a unit has no
    <target>, `status_text` None where the state leaves the checks' status (see roundtrip)."""
    try:
        tree = parse_untrusted(path, "an XLIFF file", max_bytes=MAX_XLIFF_BYTES)
    except UnsafeXML as exc:
        raise ReviewImportError(str(exc)) from None
    root = tree.getroot()
    namespace = etree.QName(root).namespace
    if etree.QName(root).localname == "xliff" and root.get("version", "").startswith("2"):
        raise ReviewImportError(f"{path}: an XLIFF {root.get('version')} file; Tarjama exchanges XLIFF 1.2 (what "
                                f"`export-xliff` wrote): save it from the CAT tool as XLIFF 1.2")
    if etree.QName(root).localname != "xliff" or namespace not in NAMESPACES:
        raise ReviewImportError(f"{path}: not an XLIFF 1.2 file (its root is <{etree.QName(root).localname}>)")
    ns = {"x": namespace}
    files = root.findall("x:file", ns)
    if len(files) != 1:
        raise ReviewImportError(f"{path}: holds {len(files)} <file> elements; import the XLIFF of one article "
                                "(as `tarjama export-xliff` writes them)")
    [file] = files
    sha, states = None, True
    for note in file.findall("x:header/x:note", ns):
        if note.get("from") == TOOL and (note.text or "").startswith(SHA_NOTE):
            sha = note.text[len(SHA_NOTE):].strip()
        if note.get("from") == TOOL and (note.text or "").strip() == COPY_SOURCE_NOTE:
            states = False
    modified = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.timezone.utc).replace(microsecond=0)
    rows = []
    for number, unit in enumerate(file.iterfind(".//x:trans-unit", ns), start=1):
        target = unit.find("x:target", ns)
        status = review_status(target.get("state") if target is not None else None,
                               target.get("state-qualifier") if target is not None else None, unit.get("approved"))
        notes = [n for n in unit.findall("x:note", ns) if (n.get("from") or "") != TOOL and (n.text or "").strip()]
        people = [n.get("from") for n in notes if (n.get("from") or "").lower() not in GENERIC_NOTE_AUTHORS]
        extradata = unit.get("extradata") or ""
        arabic = _text(unit.find("x:source", ns))
        english = _target_text(target, ns) if target is not None else None
        if english is not None and status != "approved" and _still_the_arabic(english, arabic):
            # Not translated yet: the record's English stays, as for a unit without <target>. An
            # approval of it (a "confirm all") is read as it is: English that is the Arabic, held back.
            english = None
        row = ReviewedRow(number, unit.get("id", ""), arabic, english,
                          STATUS_WORDS[status] if status else None,
                          "\n".join(n.text.strip() for n in notes if (n.get("from") or "") != "pofilter"),
                          people=[p for person in people for p in person.split(", ")],
                          base=extradata[len(BASE_PREFIX):] if extradata.startswith(BASE_PREFIX) else None)
        rows.append(row)
    data = path.read_bytes()
    return ReviewedDocument(path, hashlib.sha256(data).hexdigest(), sha, file.get("original"),
                            modified.isoformat().replace("+00:00", "Z"), None, rows, unit_word="unit",
                            created=_iso(file.get("date")), states=states)
