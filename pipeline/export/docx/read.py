"""Reading the editor's document back: each row's id, Arabic, English, status and note, and who
edited it when, as the document says (tracked-change authors and dates, comments by people other
than Tarjama, the file's last-modified). Tracked changes are read as accepted. Rows are found by
the layout the writer used (layout.py); matching them to the article is roundtrip.py's.

Nothing an editor typed is dropped unsaid: the Review column's lines and the # column's lines
under the id are read for roundtrip.keep_typed_text (which puts what an editor typed there into
the row's note); comments outside the table are kept apart (`document_comments`); what cannot be read safely (merged cells, a row deletion
still pending under Track Changes) is a problem the import names, refusing the file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

from ...errors import ReviewImportError
from ...ingest import DEFAULT_MAX_DOCX_UNZIPPED_BYTES, DEFAULT_MAX_INPUT_BYTES
from ...ooxml import (PackageProblem, PackageTooLarge, bookmark_names, check_package, has_tracked_changes,
                      paragraph_text, qn, read_core_properties, unmixed)
from .layout import (ARABIC, ARTICLE_SUBJECT, COLUMNS, DRAFT_WORDS, ENGLISH, ID, NOTE, REVIEW,
                     REVIEW_WORDS, ROW_BOOKMARK, SEVERITY_WORDS, STATUS, STATUS_WORDS, DocxOptions)

_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


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
    moved: list[str] = field(default_factory=list)  # columns whose typed text went into the note
    review_lines: list[str] = field(default_factory=list)  # the Review column's paragraphs (roundtrip.keep_typed_text)
    under_id: list[str] = field(default_factory=list)      # lines of the # column after the id
    problem: str | None = None  # why the row cannot be read safely (merged cells, a pending deletion)
    english_defaulted: bool = False  # no English in the file (an XLIFF unit without a <target>): the record's put in


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
    # Comments anchored outside the review table (on the title block): "author: text".
    document_comments: list[str] = field(default_factory=list)
    # An XLIFF's states say the review (False: `export-xliff --copy-source`, where every target is
    # the Arabic to translate: a unit whose state says neither approval nor rejection keeps the record's).
    states: bool = True


def _paragraphs(element) -> list:
    """The w:p of an element as a reader sees them: a text box's once (Word writes it twice, as a
    drawing and, in mc:Fallback, as a VML copy for old readers)."""
    return [p for p in element.iter(qn("w:p")) if not any(a.tag == _MC_FALLBACK for a in p.iterancestors())]


def _mark_deleted(p) -> bool:
    """The paragraph's mark is deleted under Track Changes: accepted, it joins the next one."""
    return p.find(f"{qn('w:pPr')}/{qn('w:rPr')}/{qn('w:del')}") is not None


def _cell_text(cell) -> str:
    """A cell's text, tracked changes accepted: its paragraphs (an editor's Enter) apart by a blank
    line, a line break (Shift+Enter) a newline — so a paragraph the editor split stays two when
    published; empty paragraphs add nothing."""
    tc = getattr(cell, "_tc", cell)
    blocks, current = [], ""
    for p in _paragraphs(tc):
        current += paragraph_text(p)
        if _mark_deleted(p):
            continue
        blocks.append(current)
        current = ""
    blocks.append(current)
    return "\n\n".join(block.strip("\n") for block in blocks if block.strip()).strip()


def _comment_ids(element) -> list[str]:
    """Ids of the comments anchored in an element, in order: by their range, or — a comment
    LibreOffice puts at the cursor with no text selected — by the reference alone."""
    found = []
    for anchor in element.iter(qn("w:commentRangeStart"), qn("w:commentReference")):
        if anchor.get(qn("w:id")) not in found:
            found.append(anchor.get(qn("w:id")))
    return found


def _comment_note(comment) -> str:
    text = comment.text.strip()
    return f"{comment.author}: {text}" if comment.author else text  # LibreOffice without a user name


_REVIEW_LINES = (*(f"{word}:" for word in SEVERITY_WORDS.values()), DRAFT_WORDS)


def typed_in_review(lines: list[str]) -> list[str]:
    """Lines of the Review column that are none of the shapes Tarjama writes there (the checks'
    status, an editor's review carried over, the machine's draft, one line per flag): for a file
    whose own lines the record does not know (roundtrip.keep_typed_text knows them by hash)."""
    typed = []
    for text in lines:
        ours = (text in STATUS_WORDS.values() or text.startswith(_REVIEW_LINES)
                or any(text == word or text.startswith((f"{word} by ", f"{word}, ")) for word in REVIEW_WORDS.values()))
        if text and not ours:
            typed.append(text)
    return typed


def _row_problem(tr) -> str | None:
    """Why a row cannot be read cell by cell: a row deletion still pending under Track Changes,
    or cells merged with the row above or across columns (python-docx would give the merged
    cell's text to every row or column it spans: one paragraph's English twice)."""
    if tr.find(f"{qn('w:trPr')}/{qn('w:del')}") is not None:
        return ("deleted under Track Changes and not yet accepted or rejected (Review › Accept or Reject; rows "
                "cannot be deleted, so reject it)")
    column = 0
    for tc in tr.findall(qn("w:tc")):
        properties = tc.find(qn("w:tcPr"))
        span_element = properties.find(qn("w:gridSpan")) if properties is not None else None
        span = int(span_element.get(qn("w:val"), "1")) if span_element is not None else 1
        names = [label for label, _ in COLUMNS[column:column + span]]
        merge = properties.find(qn("w:vMerge")) if properties is not None else None
        if merge is not None and merge.get(qn("w:val"), "continue") != "restart":
            return (f"its {' / '.join(names)} cell is merged with the row above (Table › Split Cells, or undo the "
                    f"merge): each paragraph needs cells of its own")
        if span > 1:
            return f"cells merged across columns ({', '.join(names)}): split them again (Table › Split Cells)"
        column += span
    return None


def _review_table(word):
    for table in word.tables:
        if table.rows and _cell_text(table.rows[0].cells[0]) == "#":
            return table
    return None


def read_review(path: Path, *, max_bytes: int = DEFAULT_MAX_INPUT_BYTES,
                max_unzipped: int = DEFAULT_MAX_DOCX_UNZIPPED_BYTES) -> ReviewedDocument:
    """The reviewed rows of an editor's DOCX. The file comes from outside: it is refused (one
    line naming it) when it is larger than `max_bytes`, or its package is not one python-docx
    should read (ooxml.check_package: a zip bomb, members that are not what their headers say,
    two members of one name, a DTD in a part, encryption), before python-docx reads it."""
    import docx

    advice = "save it as Word .docx (File › Save As › Word 2007-365 .docx) and import that"
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ReviewImportError(f"{path}: too large: {size:,} bytes (limit {max_bytes:,}, see limits in config.yaml)")
        data = path.read_bytes()
    except OSError as exc:
        raise ReviewImportError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    try:
        check_package(data, max_unzipped)
    except PackageTooLarge as exc:
        raise ReviewImportError(f"{path}: not read: {exc}, see limits in config.yaml") from None
    except PackageProblem as exc:
        raise ReviewImportError(f"{path}: not a readable .docx ({exc}); {advice}") from None
    try:
        word = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds for a broken package
        detail = (str(exc).splitlines() or [""])[0][:160]
        kind = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
        raise ReviewImportError(f"{path}: not a readable .docx ({kind}); {advice}") from None
    table = _review_table(word)
    if table is None:
        raise ReviewImportError(f"{path}: no Tarjama review table (a table whose first column is '#')")
    comments = {}
    try:
        comments = {str(c.comment_id): c for c in word.comments}
    except Exception:  # no comments part
        pass
    rows, in_rows = [], set()
    for number, row in enumerate(table.rows[1:], start=1):
        tcs = row._tr.findall(qn("w:tc"))
        if len(tcs) <= NOTE:
            raise ReviewImportError(f"{path}: row {number} has {len(tcs)} cells; the review table has {NOTE + 1} or more")
        cells = row.cells
        visible = _cell_text(cells[ID]).split("\n")[0].strip()
        marked = [n[len(ROW_BOOKMARK):] for n in bookmark_names(cells[ID]._tc) if n and n.startswith(ROW_BOOKMARK)]
        # The English and the note as the editor left them: without the marks the writer put in
        # (ooxml.mixed_runs keeps a list of Arabic words in the English's order with them)
        reviewed = ReviewedRow(number, marked[0] if marked else visible, _cell_text(cells[ARABIC]),
                               unmixed(_cell_text(cells[ENGLISH])), _cell_text(cells[STATUS]),
                               unmixed(_cell_text(cells[NOTE])))
        if marked and visible and marked[0] != visible:
            reviewed.id = f"{marked[0]}≠{visible}"
        reviewed.problem = _row_problem(row._tr)
        english = cells[ENGLISH]._tc
        reviewed.tracked_changes = has_tracked_changes(english)
        # Who changed the row, and when: tracked changes in the English, the Status and the note.
        changes = [c for tc in (english, cells[STATUS]._tc, cells[NOTE]._tc) for c in tc.xpath(".//w:ins | .//w:del")]
        for change in changes:
            if change.get(qn("w:author")):
                reviewed.people.append(change.get(qn("w:author")))
            if change.get(qn("w:date")):
                reviewed.dates.append(change.get(qn("w:date")))
        notes = [reviewed.note] if reviewed.note else []
        # Where the import does not read: roundtrip.keep_typed_text tells what an editor typed there.
        reviewed.under_id = [line.strip() for line in _cell_text(cells[ID]).split("\n")[1:] if line.strip()]
        if len(tcs) > REVIEW:
            reviewed.review_lines = [t for t in (paragraph_text(p).strip() for p in _paragraphs(cells[REVIEW]._tc)) if t]
        ids = _comment_ids(row._tr)
        in_rows.update(ids)
        for comment_id in ids:
            comment = comments.get(comment_id)
            if comment is not None and comment.author != DocxOptions.author and comment.text.strip():
                notes.append(_comment_note(comment))
                if comment.author:
                    reviewed.people.append(comment.author)
                if comment.timestamp:
                    reviewed.dates.append(comment.timestamp.isoformat().replace("+00:00", "Z"))
        reviewed.note = "\n".join(notes)
        rows.append(reviewed)
    elsewhere = [comments[i] for i in _comment_ids(word.element.body) if i not in in_rows and i in comments]
    document_comments = [_comment_note(c) for c in elsewhere if c.author != DocxOptions.author and c.text.strip()]
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
                            modified_by, rows, created=_utc(core.created), document_comments=document_comments)


def _utc(moment) -> str | None:
    return moment.astimezone(dt.timezone.utc).isoformat().replace("+00:00", "Z") if moment else None
