"""The editor round trip: a reviewed bilingual DOCX back into the article record and the memory.

`tarjama import-review EDITED.docx` reads the document (export/docx/read.py), matches its rows
to the article record by paragraph id (a bookmark around the visible id), and records per
paragraph a `ParagraphReview`: the status, the editor's English (when it differs from the
machine's), the note, who and when.

Anything that breaks the alignment — rows deleted, duplicated or reordered, an edited Arabic
cell, an id from elsewhere, a document from another article, an unknown status — is refused
with every problem named, and nothing is written. Importing the same file twice gives the same
record; a file imported before another one is refused, since it would undo the later one.
Approved paragraphs go into the translation memory as human translations (paragraph
level, and sentence level where the editor's English still splits into as many sentences).
An approval covers only the English its file showed: one over English changed since the file
was written, or another file's approval over this file's English edit, is not taken (the row
needs review; `review_import.not_approved`).

An edited XLIFF (`tarjama import-review EDITED.xlf`, from a CAT tool) comes in the same way:
export/xliff.py reads its units as rows, and the same checks and merge apply.
"""

from __future__ import annotations

import copy
import dataclasses
import difflib
import datetime as dt
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from . import ooxml
from .errors import ReviewImportError
from .export.docx.layout import EDITOR_STATUSES, KIND_WORDS, NO_TRANSLATION, STATUS_WORDS, DocxOptions, status_of
from .export.docx.read import ReviewedDocument, ReviewedRow, read_review, typed_in_review
from .export.docx.write import review_lines
from .export.publish import the_arabic_as_english
from .export.record import (ROW_HASH, ArticleRecord, dumps, read_record, review_hashes, row_cells, split_cells,
                            split_hashes)
from .fsutil import RecordLock, atomic_write_text, file_stamp
from .model import REVIEW_STATUSES, Document, Paragraph, ParagraphReview
from .text.protected import hide
from .text.sentences import english_sentences
from .translate.memory import MemoryKey

XLIFF_SUFFIXES = (".xlf", ".xliff")  # an edited XLIFF from a CAT tool, read like the DOCX

__all__ = ["ReviewImportError", "ReviewImported", "approved_entries", "carry_reviews", "import_review", "merge_review",
           "reuse_approved", "unimported_edits"]


def same_arabic(edited: str, source: str) -> bool:
    """Is a file's Arabic the article's? Compared in Unicode NFC: a CAT tool or word processor that
    saves NFC (shadda before fatha, alef + hamza above composed to «أ») has edited nothing. Only
    the comparison: the record keeps its Arabic as it was."""
    return edited == source or unicodedata.normalize("NFC", edited) == unicodedata.normalize("NFC", source)


def _problems(reviewed: ReviewedDocument, article: ArticleRecord) -> list[str]:
    document = article.document
    if reviewed.article_sha256 and reviewed.article_sha256 != document.source_sha256:
        return [f"this is the review of {reviewed.article_id} (sha256 {reviewed.article_sha256[:12]}…), "
                f"not of {document.id} (sha256 {document.source_sha256[:12]}…)"]
    paragraphs = {p.id: p for p in document.paragraphs}
    expected = list(paragraphs)
    word = reviewed.unit_word  # "row" of a DOCX, "unit" of an XLIFF
    problems = []
    seen: dict[str, list[int]] = {}
    for row in reviewed.rows:
        if row.problem:  # a DOCX row that cannot be read cell by cell
            problems.append(f"{word} {row.row}" + (f" ({row.id})" if row.id and "≠" not in row.id else "")
                            + f": {row.problem}")
        if "≠" in row.id:
            marked, visible = row.id.split("≠", 1)
            if re.fullmatch(re.escape(visible) + r"_Copy_\d+", marked):  # LibreOffice renames a copied bookmark
                problems.append(f"{word} {row.row}: a copy of {visible}'s {word} (a duplicated {word})")
            else:
                problems.append(f"{word} {row.row}: its id cell was changed ({row.id.replace('≠', ' became ')})")
            continue
        if not row.id:
            problems.append(f"{word} {row.row}: a {word} was added (it has no id); take it out")
            continue
        if row.id not in paragraphs:
            problems.append(f"{word} {row.row}: id «{row.id}» does not belong to {document.id}")
            continue
        seen.setdefault(row.id, []).append(row.row)
    for pid, rows in seen.items():
        if len(rows) > 1:
            problems.append(f"{pid} appears in {word}s {', '.join(map(str, rows))} (a duplicated {word})")
    missing = [pid for pid in expected if pid not in seen]
    if missing:
        problems.append(f"{word}s deleted: {', '.join(missing)}")
    order = [row.id for row in reviewed.rows if row.id in paragraphs and len(seen.get(row.id, [])) == 1]
    for before, after in zip(order, order[1:]):
        if expected.index(before) > expected.index(after):
            problems.append(f"{word}s out of order: {before} comes before {after}")
    for row in reviewed.rows:
        paragraph = paragraphs.get(row.id)
        if row.problem:
            continue
        if paragraph is not None and not same_arabic(row.arabic, paragraph.source):
            problems.append(f"{row.id} ({word} {row.row}): the Arabic was edited; it must stay as it was")
        if paragraph is not None and status_of(row.status_text) is None:
            problems.append(f"{row.id} ({word} {row.row}): status «{row.status_text}» is not one of "
                            f"{', '.join(EDITOR_STATUSES)}")
    return problems


def _xliff_defaults(reviewed: ReviewedDocument, article: ArticleRecord) -> ReviewedDocument:
    """An XLIFF unit without a <target> (or with its Arabic still in it: export/xliff.py
    read_xliff) keeps the record's English — an editor's where there is one, not the machine's
    under it; one whose state says neither approved nor rejected keeps the checks' status (a CAT
    tool's "translated" is not an approval) — in a copy-source file, whose states say nothing of
    the review, the record's status."""
    paragraphs = {p.id: p for p in article.document.paragraphs}
    for row in reviewed.rows:
        paragraph = paragraphs.get(row.id)
        if row.english is None:
            row.english = _shown(paragraph)[0] if paragraph is not None else ""
            row.english_defaulted = True
        if row.status_text is None:
            # copy-source: the record's status stays, but only over the English it was given for —
            # a translator's new English is a draft, never the approval of the English before it
            kept = paragraph is not None and not reviewed.states and row.english == _shown(paragraph)[0]
            status = _shown(paragraph)[1] if kept else (paragraph.status if paragraph is not None else "ok")
            row.status_text = STATUS_WORDS[status]
    return reviewed


def _bases(article: ArticleRecord, reviewed: ReviewedDocument) -> list[str] | None:
    """The cell hashes each row of the file was written with, in the file's order; None when the
    file does not carry them (an XLIFF unit without extradata) and the record does not know them."""
    if reviewed.unit_word != "row":
        bases = [row.base for row in reviewed.rows]
        return bases if all(bases) else None
    rows = _docx_written(article, reviewed, len(reviewed.rows))
    return None if rows is None else [rows[i * ROW_HASH:(i + 1) * ROW_HASH] for i in range(len(reviewed.rows))]


def follow_changed_arabic(reviewed: ReviewedDocument, article: ArticleRecord) -> tuple[ReviewedDocument, list[str]]:
    """A file written before the article's Arabic changed (re-translated since with another
    input): the work in it (rows whose English, status or note differ from what Tarjama wrote)
    follows its paragraph's Arabic, as carry_reviews does across runs; work whose Arabic is no
    longer in the article goes to the record's `orphaned_reviews`. Returns the file as rows of the
    article as it is now (paragraphs without work in the file as the record shows them) and the
    ids of the orphaned work. Raises ReviewImportError when the file does not say what it showed."""
    document = article.document
    bases = _bases(article, reviewed)
    if bases is None:
        raise ReviewImportError(
            f"{reviewed.path.name} cannot be imported, nothing was written: the Arabic of {document.id} changed since "
            f"this file was written (sha256 {reviewed.article_sha256[:12]}… then, {document.source_sha256[:12]}… now) and "
            f"the file does not say what Tarjama wrote in it, so its {reviewed.unit_word}s cannot be told from the work in them")
    free = {p.id: p for p in document.paragraphs}
    worked: dict[str, ReviewedRow] = {}
    orphaned = []
    for row, base in zip(reviewed.rows, bases):
        english = row.english if row.english is not None and row.english != NO_TRANSLATION else ("" if row.english else None)
        status = status_of(row.status_text) if row.status_text else None
        now, was = split_cells(row_cells(english or "", status, row.note or None)), split_cells(base)
        if not ((english is not None and now[0] != was[0]) or now[2] != was[2] or (status and now[1] != was[1])):
            continue  # nothing done in this row
        match = free.get(row.id)
        if match is None or not same_arabic(row.arabic, match.source):
            match = next((p for p in free.values() if same_arabic(row.arabic, p.source)), None)
        if match is None:
            orphaned.append(row.id)
            review = ParagraphReview(status=status or "needs_review", editor_target=english, note=row.note or None,
                                     editors=sorted(set(row.people)),
                                     edited_at=max(row.dates) if row.dates else reviewed.modified)
            article.orphaned_reviews.append({"paragraph": row.id, "source": row.arabic, "target": english or "",
                                             "review": dataclasses.asdict(review)})
            continue
        del free[match.id]
        worked[match.id] = dataclasses.replace(row, id=match.id, arabic=match.source, base=base)
    rows = []
    for number, paragraph in enumerate(document.paragraphs, start=1):
        row = worked.get(paragraph.id)
        if row is None:  # no work for it in this file: as the record shows it
            english, status, note = _shown(paragraph)
            row = ReviewedRow(number, paragraph.id, paragraph.source, english, STATUS_WORDS[status], note or "",
                              base=shown_cells(paragraph))
        else:
            row = dataclasses.replace(row, row=number)
        rows.append(row)
    return dataclasses.replace(reviewed, rows=rows, article_sha256=document.source_sha256, unit_word="unit"), orphaned


def merge_review(reviewed: ReviewedDocument, article: ArticleRecord) -> ArticleRecord:
    """The article with the editors' work in it (each paragraph's `review`). Raises
    ReviewImportError naming every problem."""
    problems = _problems(reviewed, article)
    if problems:
        raise ReviewImportError(f"{reviewed.path.name} cannot be imported, nothing was written: " + "; ".join(problems))
    history = imported_files(article)
    if history and reviewed.sha256 == history[-1]["sha256"]:
        return article  # the file imported last, again: its work is in the record already
    if history and reviewed.sha256 != history[-1]["sha256"] and reviewed.sha256 in {h["sha256"] for h in history}:
        # An older file again (a DOCX imported before an XLIFF, say): its rows would undo the later
        # import's approvals and English. The later work is in the DOCX Tarjama writes next.
        same = next(h["file"] for h in history if h["sha256"] == reviewed.sha256)
        what = "was imported already" if same == reviewed.path.name else f"is byte for byte {same}, imported already"
        raise ReviewImportError(f"{reviewed.path.name} {what}, before {history[-1]['file']}: importing it "
                                f"again would undo what that import brought; nothing was written (the next "
                                f"`tarjama translate` writes a DOCX with both)")
    # A file made before a later import of another file (an editor's old DOCX, saved again after a
    # CAT tool's XLIFF came in) does not show that import's work.
    stale = reviewed.created is not None and any(
        h.get("imported_at", "") > reviewed.created for h in history if h["sha256"] != reviewed.sha256)
    written = _written_rows(article, reviewed)  # what each row showed when Tarjama wrote the file
    brought: dict[str, set[str]] = {}
    for entry in history:
        for pid, cells in (entry.get("rows") or {}).items():
            brought.setdefault(pid, set()).add(cells)
    kept, changed, replaced = [], {}, list((article.review_import or {}).get("replaced") or [])
    not_approved: list[dict] = []
    rows = {row.id: row for row in reviewed.rows}
    tracked = False
    for paragraph in article.document.paragraphs:
        row = rows[paragraph.id]
        english = "" if row.english == NO_TRANSLATION else row.english
        status, note = status_of(row.status_text), row.note or None
        cells, current = row_cells(english, status, note), shown_cells(paragraph)
        previous = paragraph.review
        if written is not None and paragraph.id in written:
            # Cell by cell: what the editor changed in this file comes in; a cell left as written
            # keeps the record's (newer work from another file or run stays).
            # In a file made before later work, a cell as an earlier import brought it is no new
            # work either (an old DOCX edited again after a CAT tool replaced its draft).
            base = split_cells(written[paragraph.id])
            before = [split_cells(b) for b in brought.get(paragraph.id, ())] if stale else []
            now, shown = split_cells(cells), _shown(paragraph)
            left = [now[i] == base[i] or any(now[i] == b[i] for b in before) for i in range(3)]
            present = split_cells(current)
            # An approval covers only the English it was given over (not_approved).
            unseen = _approval_unseen(now, base, present, left, row.english_defaulted)
            if unseen:
                status = "rejected" if shown[1] == "rejected" else "needs_review"  # a rejection stays
                left[1] = False  # the status is decided here, not taken from either side
                not_approved.append({"paragraph": paragraph.id, "why": unseen})
            for i, field in enumerate(("english", "status", "note")):
                if unseen and i == 1:
                    continue  # the approval did not come in: nothing of the record's was replaced
                if not left[i] and present[i] != base[i] and now[i] != present[i] and shown[i]:
                    # Changed in this file and, since it was written, by another import or run:
                    # this file's value comes in (the later import), the other is kept and named.
                    by = _brought_by(history, paragraph.id, i, present[i])
                    replaced.append({"paragraph": paragraph.id, "field": field, "value": shown[i], "by": by})
            english = shown[0] if left[0] else english
            status = shown[1] if left[1] else status
            note = shown[2] if left[2] else note
            if cells != current and row_cells(english, status, note) != cells:
                kept.append(paragraph.id)
        elif cells != current and stale and (cells in brought.get(paragraph.id, ()) or _machine_row(paragraph, article, english, status, note)):
            # Not known how the file was written (an XLIFF from before units carried it, a DOCX
            # older than those the record keeps): a row as an earlier import brought it, or still
            # the machine's, in a file made before later work, keeps the record's.
            english, status, note = _shown(paragraph)
            kept.append(paragraph.id)
        # English served as an editor's is the editor's, not the machine's: kept as theirs, so
        # taking the approval back keeps the text.
        review = ParagraphReview(
            status=status,
            editor_target=english if english != paragraph.target or _served(paragraph, article) and english else None,
            note=note,
            editors=sorted(set(row.people)) or ([reviewed.modified_by] if reviewed.modified_by else []),
            edited_at=max(row.dates) if row.dates else reviewed.modified,
            tracked_changes=row.tracked_changes)
        # A status left as the row showed it stays the checks' word while it was theirs before.
        review.status_from_checks = (status in ("ok", "needs_review") and status == _shown(paragraph)[1]
                                     and (previous is None or previous.status_from_checks))
        if previous is not None and previous.english_over(paragraph.target) == review.english_over(paragraph.target):
            # This file changed the status or the note only: who edited the English, and when, stay.
            review.editors = sorted(set(previous.editors) | set(review.editors))
            review.edited_at = review.edited_at or previous.edited_at
            review.tracked_changes = review.tracked_changes or previous.tracked_changes
        if previous is not None and _same_work(previous, review, paragraph.target):
            review = previous  # a row nobody changed this time keeps who reviewed it and when
        elif row_cells(english, status, note) != current:
            changed[paragraph.id] = row_cells(english, status, note)
        paragraph.review = review
        tracked |= row.tracked_changes
    statuses = [p.review.status for p in article.document.paragraphs]
    previous_import = article.review_import or {}
    if not history or history[-1]["sha256"] != reviewed.sha256:
        from .batch import run_timestamp

        history.append({"file": reviewed.path.name, "sha256": reviewed.sha256,
                        "imported_at": run_timestamp().isoformat().replace("+00:00", "Z"), "rows": changed})
    article.review_import = {"file": reviewed.path.name, "sha256": reviewed.sha256, "modified": reviewed.modified,
                             "tracked_changes": tracked, "counts": {s: statuses.count(s) for s in REVIEW_STATUSES},
                             "history": history, "kept": kept}
    if replaced:
        article.review_import["replaced"] = replaced
    if not_approved:
        article.review_import["not_approved"] = not_approved
    comments = list(previous_import.get("document_comments") or [])
    comments += [c for c in reviewed.document_comments if c not in comments]
    if comments:  # on the article, not on a row: kept from import to import, shown in the next DOCX
        article.review_import["document_comments"] = comments
    return article


def _status_hash(status: str) -> str:
    """The Status cell's hash in a row's cells (export.record.row_cells)."""
    return split_cells(row_cells("", status, None))[1]


APPROVED = _status_hash("approved")


def _approval_unseen(now: list[str], base: list[str], present: list[str], left: list[bool], defaulted: bool) -> str | None:
    """Why the row's approval would cover English it was not given over, or None when it covers
    the English beside it (cell hashes of the file's row now, as written, and the record's now;
    `left`: which cells the file left as written). An approval covers only the English beside it:
    "over": this file approves, but the English kept is the record's, changed since the file was
    written (a re-translation, another file's edit): not what the editor saw;
    "under": the record's approval (another file's) would stay, but the English is this file's
    edit, made under a status that did not say approved.
    An approval given with this file's own English edit, or over English nothing changed since, is
    taken, and so is one over the record's English when the record is approved already (another
    file approved that English). `defaulted`: the file had no English for the row (an XLIFF unit
    without a <target>, given the record's): it showed what was written."""
    kept = left[0] or defaulted  # the row keeps the record's English
    shown = base[0] if defaulted else now[0]  # the English the file showed beside its status
    if not left[1] and now[1] == APPROVED and present[1] != APPROVED and kept and shown != present[0]:
        return "over"
    if left[1] and present[1] == APPROVED and now[1] != APPROVED and not kept and now[0] != present[0]:
        return "under"
    return None


def _brought_by(history: list[dict], pid: str, cell: int, value: str) -> str | None:
    """The file whose import made cell `cell` of row `pid` the value it has (`value`, a hash): the
    last import that changed it to that value. An import records a row's three cells whenever it
    changed one of them, so the latest import holding the value may only have carried it (B
    changed the status, and its row holds the note A brought)."""
    by, was = None, None
    for entry in history:
        cells = (entry.get("rows") or {}).get(pid)
        if not cells:
            continue
        now = split_cells(cells)[cell]
        if now != was and now == value:
            by = entry["file"]
        was = now
    return by


def _shown(paragraph) -> tuple[str, str, str | None]:
    """(English, status, note) of a paragraph's row as the DOCX shows it."""
    review = paragraph.review
    return (paragraph.english, review.status if review is not None else paragraph.status,
            review.note if review is not None else None)


def _served(paragraph, article: ArticleRecord) -> bool:
    """Its English was served as an editor's (an approval, from the memory or the record). Not in a
    checked human translation (`tarjama check --docx`): its English is the text under review."""
    return article.run.backend != "human" and any(unit.origin == "human" for unit in paragraph.sentences)


def _machine_row(paragraph, article: ArticleRecord, english: str, status: str | None, note: str | None) -> bool:
    """The row says what the machine and the checks said: its English, the checks' status, no note."""
    return not _served(paragraph, article) and english == paragraph.target and status == paragraph.status and not note


# --- what a row showed ----------------------------------------------------------------------
# The record keeps the cell hashes of each row of the DOCX it was written with (the last
# DOCX_ROWS_KEPT different ones, outputs.docx_rows, found by the DOCX's creation date), and an
# XLIFF unit carries its own: an import takes only the cells the editor changed in that file,
# and a file made before later work never undoes it.
DOCX_ROWS_KEPT = 8


def shown_cells(paragraph) -> str:
    """The cell hashes of a paragraph's row as the DOCX shows it (export/docx/write.py)."""
    return row_cells(*_shown(paragraph))


def _shown_rows(document: Document) -> tuple[str, list[str]]:
    """What the DOCX written now shows: each row's cell hashes, and its Review column's lines."""
    return ("".join(shown_cells(p) for p in document.paragraphs),
            [review_hashes(review_lines(p)) for p in document.paragraphs])


def _same_rows(entry: dict, rows: str, review: list[str]) -> bool:
    # An entry from before the Review column's hashes were kept is never the same: its file's
    # Review lines are unknown, and must stay so (told by their shape), not take these hashes.
    return entry["rows"] == rows and entry.get("review") == review


def docx_created(document: Document, run_created: str, previous: ArticleRecord | None) -> str:
    """The creation time of the DOCX now written. An import finds which DOCX a file was made from
    by it (Word and LibreOffice keep it), so no two different DOCX of an article share one — with
    SOURCE_DATE_EPOCH every run has the same time, and two runs can fall in one second: a DOCX
    showing what the last one showed keeps its time (a re-run stays byte for byte the same); a
    new one gets the run's time, or a second after the latest already used."""
    rows, review = _shown_rows(document)
    earlier = list(previous.docx_rows) if previous is not None else []
    if earlier and _same_rows(earlier[-1], rows, review) and earlier[-1]["created"]:
        return max(earlier[-1]["created"])
    used = [time for entry in earlier for time in entry.get("created", [])]
    if not used or run_created > max(used):
        return run_created
    later = dt.datetime.fromisoformat(max(used).replace("Z", "+00:00")) + dt.timedelta(seconds=1)
    return later.isoformat().replace("+00:00", "Z")


def docx_rows(document: Document, created: str, previous: ArticleRecord | None) -> list[dict]:
    """The record's DOCX row hashes with those of the DOCX now written (created: its run's time).
    A DOCX that shows what an earlier one showed adds its time to that entry (re-runs with
    --force do not push older files out)."""
    rows, review = _shown_rows(document)
    earlier = list(previous.docx_rows) if previous is not None else []
    same = next((entry for entry in earlier if _same_rows(entry, rows, review)), {"created": []})
    now = {"created": sorted({*same["created"], created}), "rows": rows, "review": review}
    return ([entry for entry in earlier if entry is not same] + [now])[-DOCX_ROWS_KEPT:]


def _docx_entry(article: ArticleRecord, reviewed: ReviewedDocument, count: int) -> dict | None:
    """The record's entry for the DOCX `reviewed` was made from (its creation time, unique per
    DOCX: docx_created), or None when unknown or not one (records from before docx_created)."""
    if not reviewed.created:
        return None
    candidates = [entry for entry in article.docx_rows
                  if reviewed.created in entry.get("created", []) and len(entry.get("rows", "")) == ROW_HASH * count]
    return candidates[0] if len(candidates) == 1 else None


def _docx_written(article: ArticleRecord, reviewed: ReviewedDocument, count: int) -> str | None:
    """The cell hashes of the `count` rows of the DOCX the record wrote that `reviewed` was made
    from (found by its creation time, unique per DOCX: docx_created), or None when unknown —
    also when several DOCX share the time (records from before docx_created): a wrong guess
    would take the cells a file never touched for edits."""
    entry = _docx_entry(article, reviewed, count)
    return entry["rows"] if entry is not None else None


def keep_typed_text(reviewed: ReviewedDocument, article: ArticleRecord) -> None:
    """Text an editor typed where the import does not read — the Review column, under the id —
    goes into the row's note, marked where it was (`row.moved` names the columns). The Review
    column's own lines are known by their hashes in the record (the DOCX the file was made from);
    for a file the record does not know, by their shape (read.typed_in_review)."""
    entry = _docx_entry(article, reviewed, len(reviewed.rows))
    written = entry.get("review") if entry is not None else None
    for number, row in enumerate(reviewed.rows):
        ours = split_hashes(written[number]) if written is not None and number < len(written) else None
        in_review = ([line for line in row.review_lines if review_hashes([line]) not in ours] if ours is not None
                     else typed_in_review(row.review_lines))
        typed = [line.strip() for line in row.under_id if line.strip() not in KIND_WORDS.values()]
        notes = [row.note] if row.note else []
        for column, lines in (("#", typed), ("Review", in_review)):
            if lines:
                notes.append(f"[typed in the {column} column] " + "\n".join(lines))
                row.moved.append(column)
        row.note = "\n".join(notes)


def _written_rows(article: ArticleRecord, reviewed: ReviewedDocument) -> dict[str, str] | None:
    """paragraph id → the cell hashes the imported file was written with; None when unknown (a
    DOCX older than the last DOCX_ROWS_KEPT, or the article's paragraphs changed since)."""
    if reviewed.unit_word != "row":  # an XLIFF unit carries its own (extradata)
        found = {row.id: row.base for row in reviewed.rows if row.base}
        return found if len(found) == len(reviewed.rows) else None
    paragraphs = article.document.paragraphs
    rows = _docx_written(article, reviewed, len(paragraphs))
    if rows is None:
        return None
    return {p.id: rows[i * ROW_HASH:(i + 1) * ROW_HASH] for i, p in enumerate(paragraphs)}


def imported_files(article: ArticleRecord) -> list[dict]:
    """Every file imported into the record, oldest first ({"file", "sha256"}); a record from
    before the history was kept knows only its last one."""
    last = article.review_import
    if not last:
        return []
    return [dict(h) for h in last.get("history") or [{"file": last.get("file", ""), "sha256": last["sha256"]}]]


def _same_work(previous: ParagraphReview, review: ParagraphReview, target: str) -> bool:
    return (previous.status == review.status and previous.note == review.note
            and previous.english_over(target) == review.english_over(target))


# --- across runs --------------------------------------------------------------------------

def carry_reviews(document: Document, previous: ArticleRecord, moved: dict[str, str] | None = None) -> list[dict]:
    """Put the editors' reviews of the article's last record on the re-translated document.

    A review follows its paragraph's Arabic, not its position: the paragraph the two sequences of
    Arabic align it with (difflib), else the one with the same id and the same source, else the
    first one with the same source. Reviews whose Arabic is no longer
    in the article are returned (the record keeps them as `orphaned_reviews`), never dropped.

    A status the editor left as the checks gave it follows the checks: an "ok" or "needs review"
    that is the checks' word as the row showed it, left so by every import (`status_from_checks`)
    becomes the new paragraph's checks status, so a row flagged by this run says "needs review"
    and a row cleared says "ok". Run after the checks. An editor's own choice (the Status changed
    in a file, approved, rejected — kept so even once the checks agree with it and clear again)
    is carried as it is, and so is the status of a row with the editor's English (its draft is
    checked after this: checks.check_editor_english). The note and the English are always carried. The previous
    record's reviews are copied, never changed."""
    orphans = list(previous.orphaned_reviews)
    free = {p.id: p for p in document.paragraphs if p.review is None}
    # First the paragraphs the two sequences of Arabic align (two identical paragraphs, the first
    # deleted: the one left is the second, and its review goes with it), then the rest by source.
    old_paragraphs, new_paragraphs = previous.document.paragraphs, document.paragraphs
    aligned: dict[str, Paragraph] = {}
    matcher = difflib.SequenceMatcher(None, [p.source for p in old_paragraphs], [p.source for p in new_paragraphs],
                                      autojunk=False)
    for block in matcher.get_matching_blocks():
        for offset in range(block.size):
            new = new_paragraphs[block.b + offset]
            if new.id in free:
                aligned[old_paragraphs[block.a + offset].id] = new
    reviewed = [old for old in old_paragraphs if old.review is not None]
    for old in sorted(reviewed, key=lambda old: old.id not in aligned):  # the aligned ones first, each in order
        match = aligned.get(old.id)
        if match is None or match.id not in free:
            match = free.get(old.id)
            if match is None or match.source != old.source:
                match = next((p for p in free.values() if p.source == old.source), None)
        if match is None:
            orphans.append({"paragraph": old.id, "source": old.source, "target": old.target,
                            "review": dataclasses.asdict(old.review)})
            continue
        review = dataclasses.replace(old.review, editors=list(old.review.editors))
        if _follows_checks(review):
            review.status = match.status
        match.review = review
        if moved is not None:  # for follow_ids: the review of old.id is on match.id now
            moved[old.id] = match.id
        del free[match.id]
    return orphans


def follow_ids(review_import: dict | None, moved: dict[str, str]) -> dict | None:
    """The last import's account of what files brought (`history` rows, `replaced`, `kept`,
    `not_approved`) keyed by the re-translated article's paragraph ids (`moved`, from
    carry_reviews): after a paragraph was inserted above it, an earlier import's "p0002" is "p0003"
    now, and a file written before read another row's cells as what it brought — an approval
    withdrawn since came back with it. Entries of paragraphs whose review went to
    `orphaned_reviews` are dropped. The previous record's dict is copied, never changed."""
    if not review_import:
        return review_import
    followed = copy.deepcopy(review_import)
    for entry in followed.get("history") or []:
        entry["rows"] = {moved[pid]: cells for pid, cells in (entry.get("rows") or {}).items() if pid in moved}
    for key in ("replaced", "not_approved"):
        if key in followed:
            followed[key] = [dict(item, paragraph=moved[item["paragraph"]]) for item in followed[key]
                             if item.get("paragraph") in moved]
    if "kept" in followed:
        followed["kept"] = [moved[pid] for pid in followed["kept"] if pid in moved]
    return followed


def _follows_checks(review: ParagraphReview) -> bool:
    """The review's status is the checks' word the row showed, left so by every import (an editor's
    own "needs review" stays one after the checks came to agree with it and then cleared)."""
    return review.editor_target is None and review.status_from_checks and review.status in ("ok", "needs_review")


def reuse_approved(document: Document, previous: ArticleRecord, model_input) -> None:
    """The approved English of the article's last record on the paragraphs with the same Arabic,
    before translation: an approval holds whether or not the memory is used (`--no-cache`, a
    cleared memory), as the memory's copy of it would (translate/stage.py). `model_input`: the
    paragraph's Arabic as the memory keys it."""
    from .translate.stage import use_human_english

    approved: dict[str, tuple[str, list[str]]] = {}
    for old in previous.document.paragraphs:
        if old.review is not None and old.review.status == "approved":
            acknowledged = sorted({flag.code for flag in old.flags} | set(old.approved_flags))
            approved.setdefault(old.source, (old.english, acknowledged))
    for paragraph in document.paragraphs:
        if paragraph.source in approved:
            english, acknowledged = approved[paragraph.source]
            use_human_english(paragraph, english, acknowledged, model_input(paragraph.source))


def unimported_edits(docx: Path, previous: ArticleRecord | None, digest: str | None = None) -> str | None:
    """Why the review DOCX at `docx` must not be replaced, or None when it may be (`digest`: its
    sha256, when the caller has it already).

    It may be replaced when it is the file Tarjama wrote (the hash its record keeps) or a file
    whose review was imported (an XLIFF imported after it does not make it unknown). A record
    from before hashes were kept, or none at all: the document's own properties tell whether
    anyone but Tarjama saved it."""
    if not docx.is_file():
        return None
    data = docx.read_bytes() if digest is None else None
    digest = digest or hashlib.sha256(data).hexdigest()
    known = set()
    if previous is not None:
        known.update(h for h in [previous.docx_sha256] + [h["sha256"] for h in imported_files(previous)] if h)
    if known:
        edited = digest not in known
    else:  # Tarjama saves as DocxOptions.author, modified = the run's time
        properties = ooxml.read_core_properties(data if data is not None else docx.read_bytes())
        written = previous.created if previous is not None else None
        modified = properties.modified.isoformat().replace("+00:00", "Z") if properties.modified else None
        edited = properties.last_modified_by != DocxOptions.author or (written is not None and modified != written)
    if not edited:
        return None
    return (f"{docx.name} was changed after Tarjama wrote it and its edits are not imported: run "
            f"`tarjama import-review {docx}` first, or move the file away to start it afresh")


def unimported_xliff(xliff: Path, article: ArticleRecord, replacement: bytes) -> str | None:
    """Why the XLIFF at `xliff` must not be replaced by `replacement` (`export-xliff` again), or
    None when it may be: it is not there, it is `replacement` already, it was imported, or no
    unit differs from what Tarjama wrote in it (each unit carries its cells as written). A CAT
    tool's work not yet imported is never overwritten."""
    from .export.xliff import read_xliff

    if not xliff.is_file():
        return None
    data = xliff.read_bytes()
    if data == replacement or hashlib.sha256(data).hexdigest() in {h["sha256"] for h in imported_files(article)}:
        return None
    advice = f"run `tarjama import-review {xliff}` first, or move the file away (or --force to replace it)"
    try:
        reviewed = read_xliff(xliff)
    except (ReviewImportError, OSError, ValueError) as exc:
        return f"{xliff.name} is not an XLIFF Tarjama can read ({str(exc).split(': ', 1)[-1]}): not replaced; {advice}"
    decided = {_status_hash(status) for status in ("approved", "rejected")}
    edited = []
    for row in reviewed.rows:
        if not row.base:  # a unit without its cells as written (an older Tarjama, a tool that drops attributes)
            edited.append(row.id)
            continue
        english, status, note = split_cells(row.base)
        now_status = status_of(row.status_text) if row.status_text else None
        now = split_cells(row_cells(row.english or "", now_status, row.note or None))
        if ((row.english is not None and now[0] != english) or now[2] != note
                or (now[1] != status if now_status else status in decided and reviewed.states)):
            edited.append(row.id)
    if not edited:
        return None
    shown = ", ".join(edited[:5]) + (f" and {len(edited) - 5} more" if len(edited) > 5 else "")
    return f"{xliff.name} has work not imported yet ({shown}): not replaced; {advice}"


def approved_entries(article: ArticleRecord) -> list[tuple[str, str, str, str]]:
    """(level, source, target, note) memory rows for the approved paragraphs of a reviewed article.

    The paragraph's English goes in at paragraph level; where it splits into as many sentences
    as the paragraph had translation units (and none was a verbatim URL or handle), each
    sentence goes in at unit level too, so the same sentence in another article is served the
    editor's English.
    """
    key = MemoryKey("", "", article.run.pipeline.get("strip_diacritics", True))  # as the run normalised
    entries = []
    for paragraph in article.document.paragraphs:
        review = paragraph.review
        if review is None or review.status != "approved":
            continue
        english = review.english_over(paragraph.target)
        if not english.strip():
            continue  # an emptied paragraph approved: nothing to serve
        if the_arabic_as_english(paragraph, english):
            continue  # the Arabic approved as its own English (a CAT tool's "confirm all"): never served
        note = json.dumps({"article": article.document.id, "paragraph": paragraph.id, "editors": review.editors,
                           "edited_at": review.edited_at,
                           # what the editor saw when approving: the flags shown, and those already
                           # acknowledged (not shown again), so an untouched re-import keeps them quiet
                           "acknowledged": sorted({f.code for f in paragraph.flags} | set(paragraph.approved_flags))},
                          ensure_ascii=False)
        entries.append(("paragraph", key.paragraph(paragraph.source), english, note))
        units = paragraph.sentences
        sentences = english_sentences(english)
        if len(sentences) == len(units) and not any(u.origin == "verbatim" for u in units):
            for unit, sentence in zip(units, sentences):
                # Keyed like the model input: a URL or e-mail of the sentence back to its placeholder.
                keyed = hide(sentence, unit.protected)
                if keyed is not None:
                    entries.append(("unit", key.unit(unit.model_input), keyed, note))
    return entries


@dataclass
class ReviewImported:
    record: dict     # the article record with the editors' work in it, as written
    written: Path    # where it was written
    memory: Path     # the translation memory that received the approved English
    approved: int    # memory entries written (paragraphs and sentences)
    changed_arabic: bool = False  # the file was written before the article's Arabic changed
    orphaned: list[str] = dataclasses.field(default_factory=list)  # its work whose Arabic is gone (orphaned_reviews)
    replaced: list[dict] = dataclasses.field(default_factory=list)  # cells it changed that another file had changed too
    moved: list[str] = dataclasses.field(default_factory=list)  # "p0003 (Review column)": typed text put in the note
    document_comments: list[str] = dataclasses.field(default_factory=list)  # comments outside the review table
    not_approved: list[dict] = dataclasses.field(default_factory=list)  # approvals not taken: not over the English kept


def import_review(docx: Path, article: Path | None = None, *, output: Path | None = None, memory: Path | None = None,
                  settings=None) -> ReviewImported:
    """`tarjama import-review`: the reviewed DOCX (or XLIFF, by its suffix) merged into its article record (default: the
    .json beside it), written to `output` (default: that record), approved English into the
    translation memory (default: the memory of the run that wrote the article). Raises
    ReviewImportError with nothing written when anything does not match."""
    from .checks import Checker, check_editor_english
    from .config import load_settings
    from .translate.loader import memory_for_article
    from .translate.memory import TranslationMemory

    settings = settings or load_settings()  # one config for the file's limits and the checks
    if docx.is_dir():
        raise ReviewImportError(f"{docx}: is a folder; give the reviewed .docx or the CAT tool's .xlf of one article")
    if not docx.is_file():
        raise ReviewImportError(f"{docx}: no such file")
    if docx.suffix.lower() in (".doc", ".odt", ".rtf", ".docm", ".dotx"):
        raise ReviewImportError(f"{docx}: a {docx.suffix.lower()} file; save it as Word .docx (File › Save As › "
                                f"Word 2007-365 .docx) and import that")
    if docx.suffix.lower() not in (".docx", *XLIFF_SUFFIXES):
        raise ReviewImportError(f"{docx}: not a review DOCX or an XLIFF (.docx, .xlf, .xliff); give the file an "
                                f"editor or a CAT tool saved")
    xliff = docx.suffix.lower() in XLIFF_SUFFIXES
    if xliff:  # the file first: what is wrong with it is said before what is missing beside it
        from .export.xliff import read_xliff

        reviewed = read_xliff(docx)
    else:
        reviewed = read_review(docx, max_bytes=int(settings.limits.max_input_mb * 2**20),
                               max_unzipped=int(settings.limits.max_docx_unzipped_mb * 2**20))
    article = article or docx.with_suffix(".json")
    if not article.is_file():
        raise ReviewImportError(f"{article}: no article record here; pass --json ARTICLE.json")
    # A batch writing this article waits until the merge is written, and one that wrote before is
    # read here (fsutil.RecordLock); the stamp check stays for systems without locks.
    with RecordLock(article):
        stamp = file_stamp(article)  # before reading: a batch that writes the record meanwhile is seen below
        try:
            record = read_record(article)
        except KeyError as exc:
            raise ReviewImportError(f"{article}: not a Tarjama article record (it has no {exc})") from None
        except (ValueError, TypeError) as exc:
            raise ReviewImportError(f"{article}: not a Tarjama article record ({type(exc).__name__})") from None
        if not xliff:
            keep_typed_text(reviewed, record)
        orphaned, document = [], record.document
        changed_arabic = (reviewed.article_sha256 not in (None, document.source_sha256)
                          and reviewed.article_id in (document.id, document.source_path))
        if changed_arabic:
            reviewed, orphaned = follow_changed_arabic(reviewed, record)
        if xliff:
            reviewed = _xliff_defaults(reviewed, record)
        approved_before = {p.id for p in record.document.paragraphs if p.review is not None and p.review.status == "approved"}
        replaced_before = len((record.review_import or {}).get("replaced") or [])
        merged = merge_review(reviewed, record)
        check_editor_english(merged.document, Checker.from_settings(settings.review.checks, settings.review.glossary))
        entries = approved_entries(merged)
        withdrawn = sorted(approved_before - {p.id for p in merged.document.paragraphs if p.review.status == "approved"})
        memory_file = memory or memory_for_article(article, settings)
        if file_stamp(article) != stamp:  # a batch wrote the article anew: this merge would wipe its record
            raise ReviewImportError(f"{article}: the record was written again while the review was being imported (a "
                                    f"batch translating the article); nothing was written: import it again")
        if entries or withdrawn and memory_file.is_file():
            store = TranslationMemory(memory_file)
            try:
                store.withdraw_human(merged.document.id, withdrawn)
                store.store_human(entries)
            finally:
                store.close()
        data = merged.to_dict()
        atomic_write_text(output or article, dumps(data))
    moved = [f"{row.id} ({' and '.join(row.moved)} column)" for row in reviewed.rows if row.moved]
    return ReviewImported(data, output or article, memory_file, len(entries), changed_arabic, orphaned,
                          (merged.review_import.get("replaced") or [])[replaced_before:], moved,
                          list(reviewed.document_comments), list(merged.review_import.get("not_approved") or []))
