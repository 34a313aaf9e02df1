"""Writing the editor's document: a side-by-side bilingual review table, one row per paragraph.

A4 landscape: a title block (source file, model, date, counts, what was not translated, guidance
for editors, a legend), then one table whose header row repeats on every page. What it looks like
(columns, words, colours, bookmarks, statuses) is layout.py's; how WordprocessingML spells it
(right-to-left the way Word and LibreOffice both read it, shading, fields) is ooxml.py's. The
document is built to come back (read.py): each row's id is a bookmark, the article's identity is
in the core properties. Rows are shaded by their worst flag; every warning or error is also a
Word comment on the English. All dates come from the run, so the same run gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt, RGBColor

from ... import ooxml
from ...fsutil import atomic_write_bytes
from ...fuzzy import FLAG_CODES as FUZZY_FLAGS
from ...model import CREDITS, SEVERITIES, TITLES, Document, Paragraph, worst_severity
from ..record import RunInfo, summary
from .layout import (ARABIC, ARTICLE_SUBJECT, COLUMNS, GREY, GUIDANCE, HEADER_FILL, ID, INFO_COLUMNS, KEEP_ROW_MAX_CHARS,
                     KIND_WORDS, LEGEND_NOTE, MARGINS_CM, NO_TRANSLATION, PAGE_CM, REVIEW, ROW_BOOKMARK, SEVERITY_MEANINGS,
                     SEVERITY_WORDS, SHADING, STATUS, STATUS_WORDS, ENGLISH, EDITOR_STATUSES, STATUS_CONTROL, NOTE,
                     REVIEW_WORDS, DRAFT_WORDS, ROW_WORDS, DocxOptions)

_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
WORST_FIRST = tuple(reversed(SEVERITIES))



def _created(run: RunInfo) -> dt.datetime:
    return dt.datetime.fromisoformat(run.created.replace("Z", "+00:00")) if run.created else dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)


def _setup_page(word, document: Document, options: DocxOptions) -> None:
    section = word.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(PAGE_CM[0]), Cm(PAGE_CM[1])
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(MARGINS_CM["side"]))
    section.top_margin = section.bottom_margin = Cm(MARGINS_CM["top_bottom"])
    normal = word.styles["Normal"]
    normal.font.name = options.english_font  # Latin text everywhere; Arabic runs name their own face
    normal.font.size = Pt(10.5)
    normal.paragraph_format.space_after = Pt(2)
    footer = section.footer.paragraphs[0]
    footer.add_run(f"{document.id} — page ").font.size = Pt(8)
    ooxml.add_field(footer, "PAGE")
    footer.add_run(" of ").font.size = Pt(8)
    ooxml.add_field(footer, "NUMPAGES")
    for run in footer.runs:
        run.font.size = Pt(8)


def _grey(run, size: float | None = None) -> None:
    run.font.color.rgb = RGBColor(*GREY)
    if size:
        run.font.size = Pt(size)


def _to_do(document: Document) -> str:
    """What the editor has to do, worst first: rows by their worst flag, and the review so far."""
    worst = [worst_severity(p.flags) for p in document.paragraphs]
    parts = [f"{worst.count(severity)} {ROW_WORDS[severity]}" for severity in WORST_FIRST if worst.count(severity)]
    reviews = [p.review.status for p in document.paragraphs if p.review is not None]
    done = [f"{reviews.count(status)} {status}" for status in ("approved", "rejected") if reviews.count(status)]
    text = "; ".join(parts) if parts else "no findings: read it through and approve"
    return text + (f". Reviewed so far: {', '.join(done)}" if done else "")


def _title_block(word, document: Document, run: RunInfo, options: DocxOptions) -> None:
    counts = summary(document)
    word.add_heading(f"Bilingual review — {Path(document.id).name}", level=1)
    info = word.add_table(rows=0, cols=2)
    info.style = word.styles["Table Grid"]
    rows = [("To do", _to_do(document)),
            ("Contents", f"{counts['paragraphs']} paragraphs, {counts['sentences']} sentences")]
    if document.notices:
        rows.append(("Not translated", "; ".join(document.notices)))
    rows.append(("For editors", GUIDANCE))
    for label, value in rows:
        cells = info.add_row().cells
        cells[0].paragraphs[0].add_run(label).bold = True
        ooxml.add_mixed_text(cells[1].paragraphs[0], value, options.arabic_font, 10.5)  # an Arabic file name
    ooxml.set_grid_widths(info, list(INFO_COLUMNS))
    for row in info.rows:
        for cell, width in zip(row.cells, INFO_COLUMNS):
            ooxml.set_cell_width(cell, width)

    # Provenance: what reproduces this document, small, after what the editor needs.
    provenance = word.add_paragraph()
    provenance.paragraph_format.space_before = Pt(4)
    ooxml.add_mixed_text(provenance, (
        f"Source {document.source_path} (sha256 {document.source_sha256[:12]}…"
        f"{', ' + document.encoding if document.encoding else ''}) · model {run.model_name} ({run.backend}, "
        f"{run.model_fingerprint[:19]}…, beam {run.generation.get('num_beams')}) · translated "
        f"{_created(run).strftime('%Y-%m-%d %H:%M UTC')} · Tarjama {run.pipeline.get('tarjama_version', '')}"),
        options.arabic_font, 7.5)
    for item in provenance.runs:
        _grey(item, size=7.5)

    legend = word.add_paragraph()
    legend.paragraph_format.space_before = Pt(6)
    legend.add_run("Legend  ").bold = True
    for severity in WORST_FIRST:
        swatch = legend.add_run("\u00a0\u00a0\u00a0\u00a0")
        ooxml.shade_run(swatch, SHADING[severity])
        legend.add_run(f" {SEVERITY_WORDS[severity]}: {SEVERITY_MEANINGS[severity]}    ")
    legend.add_run(LEGEND_NOTE)
    for item in legend.runs:
        item.font.size = Pt(9)


def _header_row(table) -> None:
    row = table.rows[0]
    ooxml.set_repeat_header(row)
    ooxml.set_cant_split(row)
    for index, (cell, (label, width)) in enumerate(zip(row.cells, COLUMNS)):
        paragraph = cell.paragraphs[0]
        paragraph.add_run(label).bold = True
        ooxml.set_cell_shading(cell, HEADER_FILL)
        ooxml.set_cell_width(cell, width)  # Word lays the header out from these, not from the grid
        if index == ARABIC:
            # An English label over the Arabic column: right-aligned, but not a bidi paragraph, where
            # Word would mirror its closing bracket.
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _arabic_cell(cell, paragraph: Paragraph, options: DocxOptions) -> None:
    target = cell.paragraphs[0]
    ooxml.set_paragraph_rtl(target)
    target.paragraph_format.line_spacing = options.arabic_line_spacing
    size = options.arabic_size + (2 if paragraph.kind == "headline" else 0)
    for run in ooxml.add_text_with_breaks(target, paragraph.source):
        ooxml.set_run_rtl(run, options.arabic_font, size)
        run.font.size = Pt(size)
        if paragraph.kind in TITLES:
            run.bold = True
            ooxml.set_run_bold_cs(run)
        if paragraph.kind in CREDITS:
            _grey(run)


def shown_english(paragraph: Paragraph) -> str:
    """The English a row shows: the editor's, approved or not, over the machine's."""
    review = paragraph.review
    return review.editor_target if review is not None and review.editor_target is not None else paragraph.target


def _english_cell(cell, paragraph: Paragraph, options: DocxOptions) -> list:
    target = cell.paragraphs[0]
    text = shown_english(paragraph)
    size = options.english_size + (2 if paragraph.kind == "headline" else 0)
    runs = ooxml.add_text_with_breaks(target, text, options.arabic_font, size) if text else [target.add_run(NO_TRANSLATION)]
    for run in runs:
        run.font.size = Pt(size)
        if paragraph.kind in TITLES:
            run.bold = True
        if paragraph.kind == "quote":
            run.italic = True
        if paragraph.kind in CREDITS or not text:
            _grey(run)
    return runs


def _review_cell(cell, paragraph: Paragraph, options: DocxOptions) -> None:
    first = cell.paragraphs[0]
    if paragraph.status == "ok":
        first.add_run(STATUS_WORDS["ok"])
    else:
        first.add_run(STATUS_WORDS[paragraph.status]).bold = True
    review = paragraph.review
    if review is not None and (review.status in ("approved", "rejected") or review.editor_target is not None):
        who = ", ".join(review.editors)
        line = cell.add_paragraph()
        line.add_run(REVIEW_WORDS[review.status]).bold = True
        line.add_run((f" by {who}" if who else "") + (f", {review.edited_at[:10]}" if review.edited_at else ""))
        if review.editor_target is not None and review.status != "approved":
            draft = cell.add_paragraph()
            draft.add_run(DRAFT_WORDS + " ").italic = True
            ooxml.add_mixed_text(draft, paragraph.target or NO_TRANSLATION, options.arabic_font, 8)
            for run in draft.runs:
                run.font.size = Pt(8)
        for run in line.runs:
            run.font.size = Pt(8)
    for flag in paragraph.flags:
        line = cell.add_paragraph()
        line.add_run(f"{SEVERITY_WORDS[flag.severity]}: ").bold = True
        ooxml.add_mixed_text(line, flag.message, options.arabic_font, 8)  # «…» quotes the Arabic
        for run in line.runs:
            run.font.size = Pt(8)


def _id_cell(cell, paragraph: Paragraph) -> None:
    run = cell.paragraphs[0].add_run(paragraph.id)
    run.font.size = Pt(8)
    ooxml.add_bookmark(cell.paragraphs[0], [run], ROW_BOOKMARK + paragraph.id, bookmark_id=paragraph.index)
    if KIND_WORDS.get(paragraph.kind):
        _grey(cell.add_paragraph().add_run(KIND_WORDS[paragraph.kind]), size=7)


def _status_cell(cell, paragraph: Paragraph) -> None:
    """The editor's status when there is one, else the checks': a drop-down of the statuses."""
    status = paragraph.review.status if paragraph.review is not None else paragraph.status
    target = cell.paragraphs[0]
    run = target.add_run(STATUS_WORDS[status])
    run.font.size = Pt(9)
    # Content-control ids are apart from bookmark and comment ids (annotation ids must not clash).
    ooxml.add_dropdown(target, run, list(EDITOR_STATUSES), sdt_id=10_000_000 + paragraph.index, **STATUS_CONTROL)


def _note_cell(cell, paragraph: Paragraph, options: DocxOptions) -> None:
    note = paragraph.review.note if paragraph.review is not None else None
    if note:
        for run in ooxml.add_text_with_breaks(cell.paragraphs[0], note, options.arabic_font, 9):
            run.font.size = Pt(9)


def build_docx(document: Document, run: RunInfo, options: DocxOptions = DocxOptions()) -> bytes:
    word = docx.Document()
    created = _created(run).replace(microsecond=0)
    properties = word.core_properties
    properties.title = f"Bilingual review — {document.id}"
    properties.author = properties.last_modified_by = options.author
    properties.created = properties.modified = created
    properties.revision = 1
    properties.comments = f"tarjama {run.pipeline.get('tarjama_version', '')}; model {run.model_fingerprint}"
    properties.subject = f"{ARTICLE_SUBJECT} {document.source_sha256} {document.id}"

    ooxml.set_compatibility_mode(word)
    ooxml.add_comment_styles(word)
    ooxml.drop_thumbnail(word)
    _setup_page(word, document, options)
    _title_block(word, document, run, options)
    word.add_paragraph()

    table = word.add_table(rows=1, cols=len(COLUMNS))
    table.style = word.styles["Table Grid"]
    ooxml.set_table_fixed_layout(table)
    ooxml.set_grid_widths(table, [width for _, width in COLUMNS])
    _header_row(table)
    for paragraph in document.paragraphs:
        row = table.add_row()
        cells = row.cells
        _id_cell(cells[ID], paragraph)
        _arabic_cell(cells[ARABIC], paragraph, options)
        english_runs = _english_cell(cells[ENGLISH], paragraph, options)
        _status_cell(cells[STATUS], paragraph)
        _note_cell(cells[NOTE], paragraph, options)
        _review_cell(cells[REVIEW], paragraph, options)
        if len(paragraph.source) + len(paragraph.target) <= KEEP_ROW_MAX_CHARS:
            ooxml.set_cant_split(row)
        severity = worst_severity(paragraph.flags)
        for cell, (_, width) in zip(cells, COLUMNS):
            ooxml.set_cell_width(cell, width)
            if severity:
                ooxml.set_cell_shading(cell, SHADING[severity])
        for flag in paragraph.flags:
            # Warnings and errors, and a fuzzy match from the memory (a note to act on, not a finding).
            if flag.severity in ("warning", "error") or flag.code in FUZZY_FLAGS:
                comment = word.add_comment(english_runs, text="", author=options.author, initials="TJ")
                ooxml.add_mixed_text(comment.paragraphs[0], f"{SEVERITY_WORDS[flag.severity]}: {flag.message}",
                                     options.arabic_font, 10)
                comment._comment_elm.date = created
    return _stable_zip(word)


def _stable_zip(word) -> bytes:
    """Save, then re-pack with fixed member dates: python-docx stamps each member with 'now'."""
    raw = io.BytesIO()
    word.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as source, \
            zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(member, source.read(info.filename))
    return out.getvalue()


def write_docx(path: Path, document: Document, run: RunInfo, options: DocxOptions = DocxOptions()) -> None:
    atomic_write_bytes(path, build_docx(document, run, options))
