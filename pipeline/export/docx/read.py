"""Reading the editor's document back: each row's id, Arabic, English, status and note, and who
edited it when, as the document says (tracked-change authors and dates, comments by people other
than Tarjama, the file's last-modified). Tracked changes are read as accepted. Rows are found by
the layout the writer used (layout.py); matching them to the article is roundtrip.py's.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

from ...errors import ReviewImportError
from ...ooxml import bookmark_names, has_tracked_changes, paragraph_text, qn, read_core_properties
from .layout import ARABIC, ARTICLE_SUBJECT, ENGLISH, ID, NOTE, ROW_BOOKMARK, STATUS, DocxOptions


@dataclass
class ReviewedRow:
    row: int                 # 1-based position among the table's body rows
    id: str
    arabic: str
    english: str
    status_text: str
    note: str
    tracked_changes: bool = False
    people: list[str] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)
    base: str | None = None  # cell hashes of the row as written, where the file carries them (an XLIFF unit)


@dataclass
class ReviewedDocument:
    path: Path
    sha256: str
    article_sha256: str | None
    article_id: str | None
    modified: str | None
    modified_by: str | None
    rows: list[ReviewedRow]
    unit_word: str = "row"   # what the messages call a row: "row" (DOCX) or "unit" (XLIFF)
    # When Tarjama wrote what the file was made from (the run's time: a DOCX's "created", which
    # Word and LibreOffice keep; an XLIFF's <file date>); None when it does not say.
    created: str | None = None


def _cell_text(cell) -> str:
    return "\n".join(paragraph_text(p) for p in cell._tc.iter(qn("w:p"))).strip()


def _review_table(word):
    for table in word.tables:
        if table.rows and _cell_text(table.rows[0].cells[0]) == "#":
            return table
    return None


def read_review(path: Path) -> ReviewedDocument:
    import docx

    data = b""
    try:
        data = path.read_bytes()
        word = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds for a broken package
        kind = ("an OpenDocument file (.odt) renamed" if data[:2] == b"PK" and b"opendocument" in data[:200]
                else "a Word 97-2003 .doc renamed" if data[:4] == b"\xd0\xcf\x11\xe0"
                else type(exc).__name__)
        raise ReviewImportError(f"{path}: not a readable .docx ({kind}); save it as Word .docx (File › Save As › "
                                f"Word 2007-365 .docx) and import that") from None
    table = _review_table(word)
    if table is None:
        raise ReviewImportError(f"{path}: no Tarjama review table (a table whose first column is '#')")
    comments = {}
    try:
        comments = {str(c.comment_id): c for c in word.comments}
    except Exception:  # no comments part
        pass
    rows = []
    for number, row in enumerate(table.rows[1:], start=1):
        tcs = row._tr.findall(qn("w:tc"))
        if len(tcs) <= NOTE:
            raise ReviewImportError(f"{path}: row {number} has {len(tcs)} cells; the review table has {NOTE + 1} or more")
        cells = row.cells
        visible = _cell_text(cells[ID]).split("\n")[0].strip()
        marked = [n[len(ROW_BOOKMARK):] for n in bookmark_names(cells[ID]._tc) if n and n.startswith(ROW_BOOKMARK)]
        reviewed = ReviewedRow(number, marked[0] if marked else visible, _cell_text(cells[ARABIC]),
                               _cell_text(cells[ENGLISH]), _cell_text(cells[STATUS]), _cell_text(cells[NOTE]))
        if marked and visible and marked[0] != visible:
            reviewed.id = f"{marked[0]}≠{visible}"
        english = cells[ENGLISH]._tc
        reviewed.tracked_changes = has_tracked_changes(english)
        for change in english.xpath(".//w:ins | .//w:del"):
            if change.get(qn("w:author")):
                reviewed.people.append(change.get(qn("w:author")))
            if change.get(qn("w:date")):
                reviewed.dates.append(change.get(qn("w:date")))
        notes = [reviewed.note] if reviewed.note else []
        for anchor in row._tr.iter(qn("w:commentRangeStart")):
            comment = comments.get(anchor.get(qn("w:id")))
            if comment is not None and comment.author != DocxOptions.author and comment.text.strip():
                notes.append(f"{comment.author}: {comment.text.strip()}")
                reviewed.people.append(comment.author)
                if comment.timestamp:
                    reviewed.dates.append(comment.timestamp.isoformat().replace("+00:00", "Z"))
        reviewed.note = "\n".join(notes)
        rows.append(reviewed)
    # Read directly, not through python-docx: after a LibreOffice save it would make up its own
    # defaults (editor "python-docx", edited now) and lose the article's identity.
    core = read_core_properties(data)
    subject = (core.subject or "").split(" ", 2)
    article_sha, article_id = (subject[1], subject[2]) if len(subject) == 3 and subject[0] == ARTICLE_SUBJECT else (None, None)
    modified, modified_by = core.modified, core.last_modified_by
    if modified_by == DocxOptions.author:
        # Saved by a tool that keeps Tarjama's own "last modified" (python-docx, some scripts):
        # who edited and when is not known, and Tarjama's writing time is not an edit time.
        modified = modified_by = None
    return ReviewedDocument(path, hashlib.sha256(data).hexdigest(), article_sha, article_id,
                            modified.isoformat().replace("+00:00", "Z") if modified else None,
                            modified_by, rows, created=_utc(core.created))


def _utc(moment) -> str | None:
    return moment.astimezone(dt.timezone.utc).isoformat().replace("+00:00", "Z") if moment else None
