"""The editor round trip: a reviewed bilingual DOCX back into the article JSON and the memory.

`tarjama import-review EDITED.docx` reads the table the DOCX writer made, matches its rows to
the article record by paragraph id (a bookmark around the visible id), and records per
paragraph the editor's English (when it differs from the machine's), the status, the editor's
note and who/when where the document says so (tracked-change authors and dates, comments by
people other than Tarjama, the file's last-modified). Tracked changes are read as accepted.

Anything that breaks the alignment — rows deleted, duplicated or reordered, an edited Arabic
cell, an id from elsewhere, a document from another article, an unknown status — is refused
with every problem named, and nothing is written. Importing the same file twice gives the same
record. Approved paragraphs go into the translation memory as human translations (paragraph
level, and sentence level where the editor's English still splits into as many sentences).
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from docx.oxml.ns import qn

from .arabic import normalize_for_model
from .errors import TarjamaError
from .export.docx_writer import (ARABIC, ARTICLE_SUBJECT, ENGLISH, ID, NOTE, ROW_BOOKMARK, STATUS, DocxOptions,
                                 EDITOR_STATUSES)
from .ooxml import bookmark_names, has_tracked_changes, paragraph_text, read_core_properties
from .protected import hide
from .review.length import english_sentences

PLACEHOLDER = "[no translation]"
TARJAMA_AUTHOR = DocxOptions.author  # the author Tarjama writes into its documents and comments
STATUS_ALIASES = {"ok": "ok", "needs review": "needs_review", "needs_review": "needs_review",
                  "approved": "approved", "approve": "approved", "rejected": "rejected", "reject": "rejected"}


class ReviewImportError(TarjamaError):
    """The edited document cannot be matched to its article; nothing was written."""


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


@dataclass
class ReviewedDocument:
    path: Path
    sha256: str
    article_sha256: str | None
    article_id: str | None
    modified: str | None
    modified_by: str | None
    rows: list[ReviewedRow]


def _cell_text(cell) -> str:
    return "\n".join(paragraph_text(p) for p in cell._tc.iter(qn("w:p"))).strip()


def _review_table(word):
    for table in word.tables:
        if table.rows and _cell_text(table.rows[0].cells[0]) == "#":
            return table
    return None


def read_review(path: Path) -> ReviewedDocument:
    import docx

    try:
        data = path.read_bytes()
        word = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds for a broken package
        raise ReviewImportError(f"{path}: not a readable .docx ({type(exc).__name__})") from None
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
            if comment is not None and comment.author != TARJAMA_AUTHOR and comment.text.strip():
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
    if modified_by == TARJAMA_AUTHOR:
        # Saved by a tool that keeps Tarjama's own "last modified" (python-docx, some scripts):
        # who edited and when is not known, and Tarjama's writing time is not an edit time.
        modified = modified_by = None
    return ReviewedDocument(path, hashlib.sha256(data).hexdigest(), article_sha, article_id,
                            modified.isoformat().replace("+00:00", "Z") if modified else None,
                            modified_by, rows)


def _problems(reviewed: ReviewedDocument, record: dict) -> list[str]:
    document = record["document"]
    if reviewed.article_sha256 and reviewed.article_sha256 != document["source_sha256"]:
        return [f"this is the review of {reviewed.article_id} (sha256 {reviewed.article_sha256[:12]}…), "
                f"not of {document['id']} (sha256 {document['source_sha256'][:12]}…)"]
    paragraphs = {p["id"]: p for p in record["paragraphs"]}
    expected = list(paragraphs)
    problems = []
    seen: dict[str, list[int]] = {}
    for row in reviewed.rows:
        if "≠" in row.id:
            problems.append(f"row {row.row}: its id cell was changed ({row.id.replace('≠', ' became ')})")
            continue
        if row.id not in paragraphs:
            problems.append(f"row {row.row}: id «{row.id}» does not belong to {document['id']}")
            continue
        seen.setdefault(row.id, []).append(row.row)
    for pid, rows in seen.items():
        if len(rows) > 1:
            problems.append(f"{pid} appears in rows {', '.join(map(str, rows))} (a duplicated row)")
    missing = [pid for pid in expected if pid not in seen]
    if missing:
        problems.append(f"rows deleted: {', '.join(missing)}")
    order = [row.id for row in reviewed.rows if row.id in paragraphs and len(seen.get(row.id, [])) == 1]
    for before, after in zip(order, order[1:]):
        if expected.index(before) > expected.index(after):
            problems.append(f"rows out of order: {before} comes before {after}")
    for row in reviewed.rows:
        paragraph = paragraphs.get(row.id)
        if paragraph is not None and row.arabic != paragraph["source"]:
            problems.append(f"{row.id} (row {row.row}): the Arabic was edited; it must stay as it was")
        status = STATUS_ALIASES.get(" ".join(row.status_text.lower().replace("_", " ").split()))
        if paragraph is not None and status is None:
            problems.append(f"{row.id} (row {row.row}): status «{row.status_text}» is not one of "
                            f"{', '.join(EDITOR_STATUSES)}")
    return problems


def merge_review(reviewed: ReviewedDocument, record: dict) -> dict:
    """The record with the editors' work in it. Raises ReviewImportError naming every problem."""
    problems = _problems(reviewed, record)
    if problems:
        raise ReviewImportError(f"{reviewed.path.name} cannot be imported, nothing was written: " + "; ".join(problems))
    merged = json.loads(json.dumps(record))  # a deep copy
    rows = {row.id: row for row in reviewed.rows}
    tracked = False
    for paragraph in merged["paragraphs"]:
        row = rows[paragraph["id"]]
        english = "" if row.english == PLACEHOLDER else row.english
        status = STATUS_ALIASES[" ".join(row.status_text.lower().replace("_", " ").split())]
        review = {"status": status,
                  "editor_target": english if english != paragraph["target"] else None,
                  "note": row.note or None,
                  "editors": sorted(set(row.people)) or ([reviewed.modified_by] if reviewed.modified_by else []),
                  "edited_at": max(row.dates) if row.dates else reviewed.modified,
                  "tracked_changes": row.tracked_changes}
        tracked |= row.tracked_changes
        paragraph["review"] = review
    merged["review_import"] = {"file": reviewed.path.name, "sha256": reviewed.sha256, "modified": reviewed.modified,
                               "tracked_changes": tracked,
                               "counts": {s: sum(1 for p in merged["paragraphs"] if p["review"]["status"] == s)
                                          for s in ("ok", "needs_review", "approved", "rejected")}}
    return merged


def approved_entries(record: dict) -> list[tuple[str, str, str, str]]:
    """(level, source, target, note) memory rows for the approved paragraphs of a merged record.

    The paragraph's English goes in at paragraph level; where it splits into as many sentences
    as the paragraph had translation units (and none was a verbatim URL or handle), each
    sentence goes in at unit level too, so the same sentence in another article is served the
    editor's English.
    """
    entries = []
    for paragraph in record["paragraphs"]:
        review = paragraph.get("review") or {}
        if review.get("status") != "approved":
            continue
        english = review.get("editor_target") or paragraph["target"]
        note = json.dumps({"article": record["document"]["id"], "paragraph": paragraph["id"],
                           "editors": review.get("editors"), "edited_at": review.get("edited_at"),
                           "acknowledged": sorted({f["code"] for f in paragraph["flags"]})}, ensure_ascii=False)
        entries.append(("paragraph", normalize_for_model(paragraph["source"]), english, note))
        units = paragraph["sentences"]
        sentences = english_sentences(english)
        if len(sentences) == len(units) and not any(u["origin"] == "verbatim" for u in units):
            for unit, sentence in zip(units, sentences):
                # Keyed like the model input: a URL or e-mail of the sentence back to its placeholder.
                keyed = hide(sentence, unit.get("protected", []))
                if keyed is not None:
                    entries.append(("unit", unit["model_input"], keyed, note))
    return entries


@dataclass
class ReviewImported:
    record: dict     # the article record with the editors' work in it, as written
    written: Path    # where it was written
    memory: Path     # the translation memory that received the approved English
    approved: int    # memory entries written (paragraphs and sentences)


def import_review(docx: Path, article: Path | None = None, *, output: Path | None = None, memory: Path | None = None,
                  settings=None) -> ReviewImported:
    """`tarjama import-review`: the reviewed DOCX merged into its article record (default: the
    .json beside it), written to `output` (default: that record), approved English into the
    translation memory (default: the memory of the run that wrote the article). Returns the
    merged record; raises ReviewImportError with nothing written when anything does not match."""
    from .config import load_settings
    from .export.record import dumps
    from .fsutil import atomic_write_text
    from .translate.loader import memory_for_article
    from .translate.memory import TranslationMemory

    if not docx.is_file():
        raise ReviewImportError(f"{docx}: no such file")
    article = article or docx.with_suffix(".json")
    if not article.is_file():
        raise ReviewImportError(f"{article}: no article record here; pass --json ARTICLE.json")
    record = json.loads(article.read_text(encoding="utf-8"))
    merged = merge_review(read_review(docx), record)
    entries = approved_entries(merged)
    memory_file = memory or memory_for_article(article, settings or load_settings())
    if entries:
        store = TranslationMemory(memory_file)
        try:
            store.store_human(entries)
        finally:
            store.close()
    atomic_write_text(output or article, dumps(merged))
    return ReviewImported(merged, output or article, memory_file, len(entries))
