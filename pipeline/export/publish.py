"""Publishing: the reviewed English article, ready for the web or the print desk, and a
bilingual page.

`tarjama publish OUTPUT_DIR` reads every article record there and writes, per article, the
English article (Markdown, HTML or DOCX: headline as title, sub-headings, body, quotations,
list items, captions and credit lines as such; site furniture left out; a DOCX through python-docx,
its template's settings completed as ECMA-376 requires, `ooxml.complete_zoom`) and a bilingual HTML
page (Arabic right-to-left beside the English, paragraph by paragraph). The English of a
paragraph is the editor's where there is one, else the machine's.

An article is not published while an editor still has work in it: a paragraph rejected, an
error flag (docs/checks.md: what must be fixed before publishing) on a paragraph nobody
approved, or English that is the Arabic (`untranslated`) or that holds a directional control (`bidi_control`:
it would show in another order than it reads), approved or not. `allow_unreviewed` publishes anyway and marks the output as unreviewed.
"""

from __future__ import annotations

import dataclasses
import html
import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import ooxml
from ..fsutil import atomic_write_bytes, atomic_write_text
from ..model import Document, Paragraph
from ..text.arabic import BIDI_CONTROLS, bidi_names, has_arabic
from .record import ArticleRecord
from .tmx import article_records

FORMATS = ("md", "html", "docx")
LEFT_OUT = ("boilerplate",)  # site furniture («اقرأ أيضاً», share buttons): not part of the article
UNREVIEWED = "Unreviewed machine translation: not approved by an editor."


@dataclass
class Published:
    article: str                                        # the record's path, relative to the output folder
    written: list[Path] = field(default_factory=list)
    blockers: list[str] = field(default_factory=list)   # why it was not published (one per row)
    withdrawn: list[Path] = field(default_factory=list) # files an earlier publish wrote, removed as it is held back
    damaged: str | None = None                          # the record cannot be read: why


def the_arabic_as_english(paragraph: Paragraph, text: str) -> bool:
    """`text` is the paragraph's Arabic (the `untranslated` check, run here: an approval made
    since the checks last ran has no flags of its own)."""
    from ..checks.base import NoParams
    from ..checks.script import untranslated

    return bool(untranslated(dataclasses.replace(paragraph, target=text), NoParams()))


def blockers(document: Document) -> list[str]:
    """The rows an editor must still deal with before this article can be published."""
    found = []
    for paragraph in document.paragraphs:
        review = paragraph.review
        controls = BIDI_CONTROLS.findall(paragraph.english) if paragraph.kind not in LEFT_OUT else []
        if controls:
            # Approved or not: the editor saw the text in the order it shows, the checks compared the
            # order it reads, and the published page would show the one and hold the other.
            found.append(f"{paragraph.id}'s English holds {bidi_names(controls)}: it can show in another order "
                         f"than it reads; retype the text around it")
        elif review is not None and review.status == "rejected":
            note = " ".join(review.note.split()) if review.note else ""  # one line: a note can hold paragraphs
            found.append(f"{paragraph.id} is rejected" + (f" («{note}»)" if note else ""))
        elif review is not None and review.status == "approved" and the_arabic_as_english(paragraph, paragraph.english):
            # An approval cannot make the Arabic its own English (a CAT tool's "confirm all" over
            # segments left as the source would publish the Arabic).
            found.append(f"{paragraph.id} is approved, but its English is the Arabic (untranslated)")
        elif (review is None or review.status != "approved") and paragraph.kind not in LEFT_OUT and any(
                f.severity == "error" for f in paragraph.flags):  # a row left out of the article holds nothing back
            codes = ", ".join(sorted({f.code for f in paragraph.flags if f.severity == "error"}))
            found.append(f"{paragraph.id} has an open error ({codes})")
    return found


def _published_paragraphs(document: Document) -> list[Paragraph]:
    return [p for p in document.paragraphs if p.kind not in LEFT_OUT and p.english.strip()]


# --- Markdown -------------------------------------------------------------------------------

# Characters that make inline markup in CommonMark (emphasis, code, links, raw HTML, entities):
# escaped with a backslash, which CommonMark allows before any ASCII punctuation.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>&|~])")


def _md_inline(text: str) -> str:
    return _MD_INLINE.sub(r"\\\1", text)


def _md_escape(text: str) -> str:
    """A paragraph's text as Markdown text, never markup: inline markup escaped, and a line that
    starts like a block (# heading, > quote, - + * list item, "1." / "1)" numbered item) kept
    text — the backslash goes before the mark itself («1998\\. The war…»), not the digit."""
    text = _md_inline(text)
    if text[:1] in "#-+=":  # "=" : a line of them would make the line before a heading
        return "\\" + text
    return re.sub(r"^(\d+)([.)])(?=\s|$)", r"\1\\\2", text)


def blocks(text: str) -> list[str]:
    """A paragraph's English as the editor made it: the paragraphs an Enter in a cell split it into
    (read back apart by a blank line), each with its line breaks (Shift+Enter)."""
    return [block.strip("\n") for block in re.split(r"\n[ \t]*\n", text) if block.strip()]


def _md_heading(text: str) -> str:
    """A heading's text on one line; «#» at its end escaped, else CommonMark takes it for the
    heading's closing marks ("ranked #" would lose its «#»)."""
    return re.sub(r"(^|\s)(#+)$", r"\1\\\2", _md_inline(" ".join(text.split())))


def _md_lines(text: str, indent: str = "") -> str:
    """A paragraph's lines (an editor's Shift+Enter in a cell) as CommonMark hard line breaks ("\\"
    at a line's end), as the HTML's <br> and the DOCX's breaks, and its paragraphs (an Enter)
    apart by a blank line: each line escaped on its own (a line may start like a block),
    continued under `indent` (a quotation's "> ", a list item's "  ")."""
    paragraphs = [("\\\n" + indent).join(_md_escape(line.strip()) for line in block.split("\n") if line.strip())
                  for block in blocks(text)]
    return ("\n" + indent.rstrip() + "\n" + indent).join(paragraphs)


def to_markdown(document: Document, unreviewed: bool = False) -> str:
    lines = [f"> **{UNREVIEWED}**", ""] if unreviewed else []
    for paragraph in _published_paragraphs(document):
        text = paragraph.english
        kind = paragraph.kind
        if kind == "headline":  # a heading is one line in Markdown
            lines.append(f"# {_md_heading(text)}")
        elif kind == "heading":
            lines.append(f"## {_md_heading(text)}")
        elif kind == "quote":
            lines.append(f"> {_md_lines(text, '> ')}")
        elif kind == "list_item":
            lines.append(f"- {_md_lines(text, '  ')}")
        elif kind in ("caption", "source", "byline"):
            lines.append("\n\n".join(f"*{_md_lines(block)}*" for block in blocks(text)))
        else:
            lines.append(_md_lines(text))
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


# --- HTML -----------------------------------------------------------------------------------

_STYLE = """
body { font-family: Georgia, "Times New Roman", serif; margin: 2rem auto; max-width: 46rem; padding: 0 1rem;
       line-height: 1.55; color: #1a1a1a; }
.unreviewed { background: #fdecea; border-left: 4px solid #c0392b; padding: .5rem 1rem; }
.credit, .caption { color: #6b6b6b; font-size: .9em; }
.caption { font-style: italic; }
blockquote { border-left: 3px solid #ccc; margin-left: 0; padding-left: 1rem; font-style: italic; }
"""

_BILINGUAL_STYLE = """
body { font-family: "Segoe UI", "Noto Sans", Arial, sans-serif; margin: 1.5rem auto; max-width: 72rem;
       padding: 0 1rem; color: #1a1a1a; }
.unreviewed { background: #fdecea; border-left: 4px solid #c0392b; padding: .5rem 1rem; }
.row { display: grid; grid-template-columns: 1fr 1fr; gap: 2rem; border-bottom: 1px solid #e4e4e4;
       padding: .6rem 0; }
.ar { font-family: "Noto Naskh Arabic", "Amiri", "Arabic Typesetting", "Traditional Arabic", serif;
      font-size: 1.15em; line-height: 1.8; }
.row p { margin: 0; }
.headline p { font-size: 1.5em; font-weight: bold; }
.heading p { font-size: 1.2em; font-weight: bold; }
.quote p { font-style: italic; }
.credit p, .caption p { color: #6b6b6b; font-size: .9em; }
"""

_KIND_CLASS = {"headline": "headline", "heading": "heading", "quote": "quote", "list_item": "list",
               "caption": "caption", "source": "credit", "byline": "credit", "dateline": "body",
               "boilerplate": "credit", "body": "body"}


def _lines_html(text: str) -> str:
    return "<br>".join(html.escape(line) for line in text.split("\n"))


def _paragraphs_html(text: str, opening: str = "<p>") -> str:
    """Each of an editor's paragraphs (blocks) as a <p> of its own, line breaks as <br>."""
    return "".join(f"{opening}{_lines_html(block)}</p>" for block in blocks(text))


def _page(title: str, style: str, body: list[str], unreviewed: bool) -> str:
    head = ["<!DOCTYPE html>", '<html lang="en" dir="ltr">', "<head>", '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{html.escape(title)}</title>", f"<style>{style}</style>", "</head>", "<body>"]
    banner = [f'<p class="unreviewed" role="note">{html.escape(UNREVIEWED)}</p>'] if unreviewed else []
    return "\n".join(head + banner + body + ["</body>", "</html>"]) + "\n"


def _title(document: Document) -> str:
    """The first headline's English, on one line; the file's name when there is none (or an
    editor emptied it: an HTML <title> must not be empty)."""
    first = next((p for p in document.paragraphs if p.kind == "headline" and p.english.strip()), None)
    return " ".join(first.english.split()) if first is not None else Path(document.id).stem


def to_html(document: Document, unreviewed: bool = False) -> str:
    body, items = ["<article>"], []
    for paragraph in _published_paragraphs(document):
        raw, kind = paragraph.english, paragraph.kind
        text = "<br>".join(_lines_html(block) for block in blocks(raw))
        if kind != "list_item" and items:
            body.append("<ul>" + "".join(items) + "</ul>")
            items = []
        if kind == "headline":
            body.append(f"<h1>{text}</h1>")
        elif kind == "heading":
            body.append(f"<h2>{text}</h2>")
        elif kind == "quote":
            body.append(f"<blockquote>{_paragraphs_html(raw)}</blockquote>")
        elif kind == "list_item":
            items.append(f"<li>{text if len(blocks(raw)) == 1 else _paragraphs_html(raw)}</li>")
        elif kind == "caption":
            body.append(_paragraphs_html(raw, '<p class="caption">'))
        elif kind in ("source", "byline"):
            body.append(_paragraphs_html(raw, '<p class="credit">'))
        else:
            body.append(_paragraphs_html(raw))
    if items:
        body.append("<ul>" + "".join(items) + "</ul>")
    body.append("</article>")
    return _page(_title(document), _STYLE, body, unreviewed)


def _source_opening(source: str) -> str:
    """The Arabic column's <p>: right to left — but for a line without Arabic (an English byline
    or quotation in the article), left to right, else its full stop shows at its start (as the
    review DOCX does)."""
    return '<p class="ar" lang="ar" dir="rtl">' if has_arabic(source) else '<p class="ar" lang="en" dir="ltr">'


def to_bilingual_html(document: Document, unreviewed: bool = False) -> str:
    """Every paragraph, Arabic (right to left) beside its English, in order."""
    body = ["<main>"]
    for paragraph in document.paragraphs:
        kind = _KIND_CLASS.get(paragraph.kind, "body")
        body.append(f'<section class="row {kind}" id="{html.escape(paragraph.id)}">'
                    f'{_source_opening(paragraph.source)}{_lines_html(paragraph.source)}</p>'
                    f'<p class="en" lang="en" dir="ltr">{_lines_html(paragraph.english)}</p></section>')
    body.append("</main>")
    return _page(_title(document) + " — Arabic and English", _BILINGUAL_STYLE, body, unreviewed)


# --- DOCX -----------------------------------------------------------------------------------

def to_docx(document: Document, unreviewed: bool = False) -> bytes:
    import io

    import docx
    from docx.shared import Pt, RGBColor

    word = docx.Document()
    ooxml.complete_zoom(word.settings.element)  # the template's settings as the schema requires them
    word.core_properties.title = _title(document)
    word.core_properties.author = "Tarjama"
    if unreviewed:
        banner = word.add_paragraph().add_run(UNREVIEWED)
        banner.bold, banner.font.color.rgb = True, RGBColor(0xC0, 0x39, 0x2B)
    for paragraph in _published_paragraphs(document):
        kind = paragraph.kind
        parts = blocks(paragraph.english)  # an editor's paragraphs, each a Word paragraph
        if kind == "headline":
            word.add_heading("\n".join(parts), level=0)
        elif kind == "heading":
            word.add_heading("\n".join(parts), level=2)
        for number, text in enumerate(parts if kind not in ("headline", "heading") else []):
            if kind == "quote":
                word.add_paragraph(text, style="Quote")
            elif kind == "list_item":
                # the item's further paragraphs under it, not bullets of their own
                word.add_paragraph(text, style="List Bullet" if number == 0 else "List Continue")
            else:
                run = word.add_paragraph().add_run(text)
                if kind in ("caption", "source", "byline"):
                    run.italic = kind == "caption"
                    run.font.size, run.font.color.rgb = Pt(9), RGBColor(0x6B, 0x6B, 0x6B)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


# --- the command ----------------------------------------------------------------------------

def publish(output_dir: Path, target_dir: Path, fmt: str = "md", *, allow_unreviewed: bool = False) -> list[Published]:
    """Publish every article record under `output_dir` into `target_dir` (same relative paths):
    `<name>.en.<fmt>` and `<name>.bilingual.html`. Articles with blockers are not written
    unless `allow_unreviewed`."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    results = []
    damaged: list[tuple[Path, str]] = []
    for path, record in article_records(output_dir, damaged):
        relative = path.relative_to(output_dir)
        result = Published(str(relative), blockers=blockers(record.document))
        results.append(result)
        if result.blockers and not allow_unreviewed:
            # What an earlier publish wrote of it is no longer approved: it must not stay out there.
            result.withdrawn = _withdraw(target_dir / relative.parent, path.stem)
            continue
        _write(record, target_dir / relative.parent, path.stem, fmt, bool(result.blockers), result)
    results += [Published(str(path.relative_to(output_dir)), damaged=reason) for path, reason in damaged]
    return results


def _withdraw(folder: Path, stem: str) -> list[Path]:
    removed = []
    for name in [f"{stem}.en.{fmt}" for fmt in FORMATS] + [f"{stem}.bilingual.html"]:
        if (folder / name).is_file():
            (folder / name).unlink()
            removed.append(folder / name)
    return removed


def _write(record: ArticleRecord, folder: Path, stem: str, fmt: str, unreviewed: bool, result: Published) -> None:
    document = record.document
    article = folder / f"{stem}.en.{fmt}"
    if fmt == "md":
        atomic_write_text(article, to_markdown(document, unreviewed))
    elif fmt == "html":
        atomic_write_text(article, to_html(document, unreviewed))
    else:
        atomic_write_bytes(article, to_docx(document, unreviewed))
    bilingual = folder / f"{stem}.bilingual.html"
    atomic_write_text(bilingual, to_bilingual_html(document, unreviewed))
    result.written += [article, bilingual]
