"""Writing the editor's document: a side-by-side bilingual review table, one row per paragraph.

A4 landscape: a title block (source file, model, date, counts, what was not translated, guidance
for editors, a legend), then one table whose header row repeats on every page. What it looks like
(columns, words, colours, bookmarks, statuses) is layout.py's; how WordprocessingML spells it
(right-to-left the way Word and LibreOffice both read it, shading, fields) is ooxml.py's. The
document is built to come back (read.py): each row's id is a bookmark, the article's identity is
in the core properties. Rows are shaded by their worst flag; every warning or error is also a
Word comment on the English. All dates come from the run (the creation time from
roundtrip.docx_created, which the batch passes in), so the same run gives the same bytes.

The document is written as WordprocessingML strings, not through python-docx's objects (issue 19:
about 30 times faster); bench/docx_equivalence.py compares it with the python-docx writer it
replaced, part by part after canonicalisation.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ... import ooxml
from ...fsutil import atomic_write_bytes
from ...fuzzy import FLAG_CODES as FUZZY_FLAGS
from ...model import CREDITS, SEVERITIES, TITLES, Document, Paragraph, worst_severity
from ...text.arabic import has_arabic
from ...ooxml import Run, mixed_runs, paragraph as para, text_runs
from ..record import RunInfo, summary
from .layout import (ARABIC, ARTICLE_SUBJECT, COLUMNS, TITLE_PREFIX, GREY, GUIDANCE, HEADER_FILL, INFO_COLUMNS, KEEP_ROW_MAX_CHARS,
                     KIND_WORDS, LEGEND_NOTE, MARGINS_CM, NO_TRANSLATION, PAGE_CM, ROW_BOOKMARK, SEVERITY_MEANINGS,
                     SEVERITY_WORDS, SHADING, STATUS_WORDS, EDITOR_STATUSES, STATUS_CONTROL, REVIEW_WORDS, DRAFT_WORDS,
                     ROW_WORDS, DocxOptions)

WORST_FIRST = tuple(reversed(SEVERITIES))
GREY_HEX = "%02X%02X%02X" % GREY
TABLE_STYLE = "TableGrid"     # the template's "Table Grid": every cell ruled
NORMAL_SIZE, NORMAL_AFTER = 10.5, 2  # points: the Normal style (the English face is the options')
PAGE = (ooxml.twips_of_cm(PAGE_CM[0]), ooxml.twips_of_cm(PAGE_CM[1]))
MARGINS = (ooxml.twips_of_cm(MARGINS_CM["side"]), ooxml.twips_of_cm(MARGINS_CM["top_bottom"]))
_WIDTHS = [width for _, width in COLUMNS]


def _created(run: RunInfo, created: str | None = None) -> dt.datetime:
    """`created` (default: the run's time) as a time; 2000-01-01 when there is none."""
    created = created or run.created
    return dt.datetime.fromisoformat(created.replace("Z", "+00:00")) if created else dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)


def _styled(runs: list[Run], *, size: float | None = None, bold: bool = False, italic: bool = False,
            grey: bool = False) -> list[Run]:
    for run in runs:
        if size:
            run.size = ooxml.half_points(size)
        run.bold = run.bold or bold
        run.italic = run.italic or italic
        if grey:
            run.color = GREY_HEX
    return runs


def _bold(text: str) -> Run:
    run = Run(text)
    run.bold = True
    return run


def _footer(document: Document) -> bytes:
    runs = [Run(f"{document.id} — page "), *ooxml.field_runs("PAGE"), Run(" of "), *ooxml.field_runs("NUMPAGES")]
    return ooxml.footer_part(para(ooxml.runs_xml(_styled(runs, size=8)), style="Footer"))


def _to_do(document: Document) -> str:
    """What the editor has to do, worst first: rows by their worst flag, and the review so far."""
    worst = [worst_severity(p.flags) for p in document.paragraphs]
    parts = [f"{worst.count(severity)} " + (ROW_WORDS[severity].replace(" rows ", " row ", 1) if worst.count(severity) == 1
                                             else ROW_WORDS[severity])
             for severity in WORST_FIRST if worst.count(severity)]
    reviews = [p.review.status for p in document.paragraphs if p.review is not None]
    done = [f"{reviews.count(status)} {status}" for status in ("approved", "rejected") if reviews.count(status)]
    text = "; ".join(parts) if parts else "no findings: read it through and approve"
    return text + (f". Reviewed so far: {', '.join(done)}" if done else "")


def _title_block(document: Document, run: RunInfo, options: DocxOptions, article_comments: list[str]) -> str:
    counts = summary(document)
    parts = [para(Run(f"{TITLE_PREFIX}{Path(document.id).name}").xml(), style="Heading1")]
    rows = [("To do", _to_do(document)),
            ("Contents", f"{counts['paragraphs']} paragraphs, {counts['sentences']} sentences")]
    if article_comments:  # editors' comments on the title block of a DOCX imported before
        rows.append(("Comments on the article", " · ".join(article_comments)))
    if document.notices:
        rows.append(("Not translated", "; ".join(document.notices)))
    rows.append(("For editors", GUIDANCE))
    info = "".join(ooxml.row(ooxml.cell(para(_bold(label).xml()), INFO_COLUMNS[0])
                             # an Arabic file name, right to left in an English line
                             + ooxml.cell(para(ooxml.runs_xml(mixed_runs(value, options.arabic_font, 10.5))),
                                          INFO_COLUMNS[1]))
                   for label, value in rows)
    parts.append(ooxml.table(info, list(INFO_COLUMNS), style=TABLE_STYLE))

    # Provenance: what reproduces this document, small, after what the editor needs.
    provenance = mixed_runs(
        f"Source {document.source_path} (sha256 {document.source_sha256[:12]}…"
        f"{', ' + document.encoding if document.encoding else ''}) · model {run.model_name} ({run.backend}, "
        f"{run.model_fingerprint[:19]}…, beam {run.generation.get('num_beams')}) · translated "
        f"{_created(run).strftime('%Y-%m-%d %H:%M UTC')} · Tarjama {run.pipeline.get('tarjama_version', '')}",
        options.arabic_font, 7.5)
    parts.append(para(ooxml.runs_xml(_styled(provenance, size=7.5, grey=True)), before=ooxml.twips(4)))

    legend = [_bold("Legend  ")]
    for severity in WORST_FIRST:
        swatch = Run("\u00a0\u00a0\u00a0\u00a0")
        swatch.fill = SHADING[severity]
        legend += [swatch, Run(f" {SEVERITY_WORDS[severity]}: {SEVERITY_MEANINGS[severity]}    ")]
    legend.append(Run(LEGEND_NOTE))
    parts.append(para(ooxml.runs_xml(_styled(legend, size=9)), before=ooxml.twips(6)))
    return "".join(parts)


def _header_row() -> str:
    cells = []
    for index, (label, width) in enumerate(COLUMNS):
        # An English label over the Arabic column: right-aligned, but not a bidi paragraph, where
        # Word would mirror its closing bracket.
        cells.append(ooxml.cell(para(_bold(label).xml(), align="right" if index == ARABIC else None), width, HEADER_FILL))
    return ooxml.row("".join(cells), cant_split=True, header=True)


def _id_cell(paragraph: Paragraph) -> str:
    label = Run(paragraph.id)
    label.size = ooxml.half_points(8)
    content = para(ooxml.bookmark(label.xml(), ROW_BOOKMARK + paragraph.id, paragraph.index))
    if KIND_WORDS.get(paragraph.kind):
        content += para(ooxml.runs_xml(_styled([Run(KIND_WORDS[paragraph.kind])], size=7, grey=True)))
    return content


def _arabic_cell(paragraph: Paragraph, options: DocxOptions) -> str:
    size = options.arabic_size + (2 if paragraph.kind == "headline" else 0)
    runs = _styled(text_runs(paragraph.source), size=size, bold=paragraph.kind in TITLES, grey=paragraph.kind in CREDITS)
    if not has_arabic(paragraph.source):
        # An English line (a byline, a quoted title) in an Arabic article: left to right, else its
        # full stop shows at the start («.article»); right-aligned with the Arabic above it.
        return para(ooxml.runs_xml(runs), align="right", line=ooxml.line_multiple(options.arabic_line_spacing))
    for run in runs:
        run.right_to_left(options.arabic_font, size)
        run.bold_cs = paragraph.kind in TITLES
    return para(ooxml.runs_xml(runs), bidi=True, line=ooxml.line_multiple(options.arabic_line_spacing))


def _english_cell(paragraph: Paragraph, options: DocxOptions, comment_ids: list[int]) -> str:
    text = paragraph.english
    size = options.english_size + (2 if paragraph.kind == "headline" else 0)
    runs = text_runs(text, options.arabic_font, size) if text else [Run(NO_TRANSLATION)]
    _styled(runs, size=size, bold=paragraph.kind in TITLES, italic=paragraph.kind == "quote",
            grey=paragraph.kind in CREDITS or not text)
    return para(ooxml.commented(ooxml.runs_xml(runs), comment_ids))


def _status_cell(paragraph: Paragraph) -> str:
    """The editor's status when there is one, else the checks': a drop-down of the statuses."""
    status = paragraph.review.status if paragraph.review is not None else paragraph.status
    shown = Run(STATUS_WORDS[status])
    shown.size = ooxml.half_points(9)
    # Content-control ids are apart from bookmark and comment ids (annotation ids must not clash).
    return para(ooxml.dropdown(shown.xml(), list(EDITOR_STATUSES), sdt_id=10_000_000 + paragraph.index, **STATUS_CONTROL))


def _note_cell(paragraph: Paragraph, options: DocxOptions) -> str:
    note = paragraph.review.note if paragraph.review is not None else None
    return para(ooxml.runs_xml(_styled(text_runs(note, options.arabic_font, 9), size=9)) if note else "")


def _review_cell(paragraph: Paragraph, options: DocxOptions) -> str:
    first = _bold(STATUS_WORDS[paragraph.status]) if paragraph.status != "ok" else Run(STATUS_WORDS["ok"])
    lines = [para(first.xml())]
    review = paragraph.review
    if review is not None and (review.status in ("approved", "rejected") or review.editor_target is not None):
        who = ", ".join(review.editors)
        line = [_bold(REVIEW_WORDS[review.status]),
                Run((f" by {who}" if who else "") + (f", {review.edited_at[:10]}" if review.edited_at else ""))]
        lines.append(para(ooxml.runs_xml(_styled(line, size=8))))
        if review.editor_target is not None and review.status != "approved":
            draft = _styled([Run(DRAFT_WORDS + " ")], italic=True)
            draft += mixed_runs(paragraph.target or NO_TRANSLATION, options.arabic_font, 8)
            lines.append(para(ooxml.runs_xml(_styled(draft, size=8))))
    for flag in paragraph.flags:
        line = [_bold(f"{SEVERITY_WORDS[flag.severity]}: ")]
        line += mixed_runs(flag.message, options.arabic_font, 8)  # «…» quotes the Arabic
        lines.append(para(ooxml.runs_xml(_styled(line, size=8))))
    return "".join(lines)


def review_lines(paragraph: Paragraph) -> list[str]:
    """The Review cell's paragraphs as the reader will read them (the record keeps their hashes)."""
    return [text.strip() for text in ooxml.paragraph_texts(_review_cell(paragraph, DocxOptions()))]


ORPHANS_HEADING = "Reviews of paragraphs since rewritten at the source (kept for reference; not read back)"
ORPHAN_COLUMNS = (("Was", 820), ("Arabic then", 4560), ("English", 4560), ("Status", 1250), ("Editor's note", 3949))


def _orphans_block(orphans: list[dict], options: DocxOptions) -> str:
    """The record's `orphaned_reviews`: an editor's English, status and note for Arabic no longer
    in the article, shown before the review table so that the work is in front of the editor."""
    widths = [width for _, width in ORPHAN_COLUMNS]
    rows = [ooxml.row("".join(ooxml.cell(para(_bold(label).xml(), align="right" if index == ARABIC else None),
                                         width, HEADER_FILL)
                              for index, (label, width) in enumerate(ORPHAN_COLUMNS)), header=True)]
    for orphan in orphans:
        review = orphan.get("review") or {}
        arabic = _styled(text_runs(orphan.get("source", "")), size=options.arabic_size)
        for piece in arabic:
            piece.right_to_left(options.arabic_font, options.arabic_size)
        english = review.get("editor_target") or orphan.get("target") or ""
        was = Run(orphan.get("paragraph", ""))
        was.size = ooxml.half_points(8)
        contents = (para(was.xml()),
                    para(ooxml.runs_xml(arabic), bidi=True),
                    para(ooxml.runs_xml(_styled(text_runs(english, options.arabic_font, 10), size=10))),
                    para(Run(STATUS_WORDS.get(review.get("status", ""), review.get("status", ""))).xml()),
                    para(ooxml.runs_xml(_styled(text_runs(review.get("note") or "", options.arabic_font, 9), size=9))))
        rows.append(ooxml.row("".join(ooxml.cell(content, width) for content, width in zip(contents, widths))))
    return (para(_bold(ORPHANS_HEADING).xml(), before=ooxml.twips(6))
            + ooxml.table("".join(rows), widths, style=TABLE_STYLE, fixed=True) + para())


def build_docx(document: Document, run: RunInfo, options: DocxOptions = DocxOptions(),
               orphans: list[dict] | None = None, created: str | None = None,
               article_comments: list[str] | None = None) -> bytes:
    """`created`: the document's creation time when not the run's (roundtrip.docx_created: unique
    among an article's DOCX, which is how an import finds what the file showed).
    `article_comments`: the record's review_import.document_comments."""
    created = _created(run, created).replace(microsecond=0)
    date = ooxml.w3cdtf(created)
    body = [_title_block(document, run, options, article_comments or []), para()]
    if orphans:
        body.append(_orphans_block(orphans, options))
    rows = [_header_row()]
    comments: list[str] = []
    for paragraph in document.paragraphs:
        # Warnings and errors, and a fuzzy match from the memory (a note to act on, not a finding):
        # each a Word comment on the English.
        commented = [flag for flag in paragraph.flags if flag.severity in ("warning", "error") or flag.code in FUZZY_FLAGS]
        comment_ids = list(range(len(comments), len(comments) + len(commented)))
        for number, flag in zip(comment_ids, commented):
            comments.append(ooxml.comment(
                number, mixed_runs(f"{SEVERITY_WORDS[flag.severity]}: {flag.message}", options.arabic_font, 10),
                author=options.author, initials="TJ", date=date))
        severity = worst_severity(paragraph.flags)
        fill = SHADING[severity] if severity else None
        contents = (_id_cell(paragraph), _arabic_cell(paragraph, options), _english_cell(paragraph, options, comment_ids),
                    _status_cell(paragraph), _note_cell(paragraph, options), _review_cell(paragraph, options))
        cells = "".join(ooxml.cell(content, width, fill) for content, width in zip(contents, _WIDTHS))
        rows.append(ooxml.row(cells, cant_split=len(paragraph.source) + len(paragraph.target) <= KEEP_ROW_MAX_CHARS))
    body.append(ooxml.table("".join(rows), _WIDTHS, style=TABLE_STYLE, fixed=True))
    body.append(ooxml.section(page=PAGE, margins=MARGINS))
    core = ooxml.core_part(title=f"{TITLE_PREFIX}{document.id}", subject=f"{ARTICLE_SUBJECT} {document.source_sha256} {document.id}",
                           author=options.author, created=created,
                           description=f"tarjama {run.pipeline.get('tarjama_version', '')}; model {run.model_fingerprint}")
    return ooxml.word_package(document=ooxml.document_part("".join(body)), footer=_footer(document),
                              comments=ooxml.comments_part(comments) if comments else None, core=core,
                              normal_font=options.english_font, normal_size_pt=NORMAL_SIZE,
                              normal_after_pt=NORMAL_AFTER)


def write_docx(path: Path, document: Document, run: RunInfo, options: DocxOptions = DocxOptions()) -> None:
    atomic_write_bytes(path, build_docx(document, run, options))
