"""How WordprocessingML is spelled: runs, paragraphs, tables, right-to-left, shading, fields,
comments, and the package around them; reading a paragraph's accepted text and the core properties;
checking a package that came from outside before anything reads it (`check_package`).

Kept apart from what the bilingual document looks like (export/docx/) and from reading articles
(ingest.py). The writer emits the XML as strings, not through python-docx's objects (issue 19:
writing as fast as translating): every element below is written in the order of the ECMA-376
transitional schema (CT_PPrBase, CT_TblPr, CT_TcPr, CT_SectPr …; run and row properties, CT_RPr
and CT_TrPr, which the schema lets come in any order, in the order it lists them: Word's, and the
Open XML SDK's validator requires it of run properties), because Word may reject or ignore
children out of order; tests/unit/export/test_ooxml_schema.py validates every part of every kind
of DOCX against the schemas (tests/data/ooxml). Right-to-left is spelled the way Word and
LibreOffice both read it: `w:bidi` on the paragraph, and on each Arabic run `w:rtl`, the
complex-script font (`w:rFonts w:cs`) and size (`w:szCs`) and the bidi language. The package's
fixed parts (styles with the comment styles, settings in Word 2013 mode and with the zoom
percentage the schema requires, theme, fonts, numbering) are python-docx's default template, read
and deflated once per process; per document only document.xml, the footer, comments.xml and the
core properties are written.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from functools import lru_cache
import importlib.util
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

# python-docx is not imported to write: a run that only writes documents starts 0.1 s sooner.
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def qn(tag: str) -> str:
    """A "w:"-prefixed WordprocessingML name in Clark notation, as python-docx's `qn` gives it."""
    prefix, _, name = tag.partition(":")
    if prefix != "w":
        raise ValueError(f"{tag}: only w: names are used here")
    return _W + name

# Characters XML 1.0 cannot hold: C0 controls but tab/newline/CR, U+FFFE/U+FFFF, lone surrogates.
# Text with one is refused as lxml refuses it (ingest shows them in articles as U+FFFD).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_ESCAPES = {"\r": "&#13;"}  # a raw CR in character data would be read back as a newline


# Anything `xml_text` or `xml_attr` must look at: most text has none, and is used as it is.
_SPECIAL = re.compile("[&<>\"'\t\n\r" + NOT_XML.pattern[1:-1] + "]")


def xml_text(value: str) -> str:
    """`value` as XML character data."""
    if not _SPECIAL.search(value):
        return value
    if NOT_XML.search(value):
        raise ValueError("All strings must be XML compatible: Unicode or ASCII, no NULL bytes or control characters")
    return escape(value, _ESCAPES)


def xml_attr(value: str) -> str:
    """`value` as a quoted XML attribute value."""
    if not _SPECIAL.search(value):
        return f'"{value}"'
    if NOT_XML.search(value):
        raise ValueError("All strings must be XML compatible: Unicode or ASCII, no NULL bytes or control characters")
    return quoteattr(value)


# --- measures (as python-docx computed them, so the numbers stay what they were) -----------

def half_points(points: float) -> str:
    """w:sz: half-points of a size in points (python-docx: Pt, then truncated)."""
    return str(int(int(points * 12700) / 12700 * 2))


def twips(points: float) -> str:
    """Spacing before/after in twips of a size in points."""
    return str(int(round(int(points * 12700) / 635)))


def twips_of_cm(cm: float) -> int:
    return int(round(int(cm * 360000) / 635))


def line_multiple(multiple: float) -> str:
    """w:spacing w:line of a line-spacing multiple (w:lineRule auto)."""
    return str(int(round(int(multiple * 152400) / 635)))


# --- runs ------------------------------------------------------------------------------------

_RUN_BREAKS = re.compile(r"([\t\r\n])")


def _t(text: str) -> str:
    space = ' xml:space="preserve"' if len(text.strip()) < len(text) else ""
    return f"<w:t{space}>{xml_text(text)}</w:t>"


def run_content(text: str) -> str:
    """A run's text: w:t, with w:tab for a tab and w:br for a newline or CR."""
    if not text:
        return ""
    if "\t" not in text and "\n" not in text and "\r" not in text:
        return _t(text)
    parts = []
    for piece in _RUN_BREAKS.split(text):
        if piece == "\t":
            parts.append("<w:tab/>")
        elif piece == "\n" or piece == "\r":
            parts.append("<w:br/>")
        elif piece:
            parts.append(_t(piece))
    return "".join(parts)


class Run:
    """A w:r being written: its content and its properties, set in any order, written in
    CT_RPr's order."""

    __slots__ = ("content", "style", "font_cs", "bold", "bold_cs", "italic", "color", "size", "size_cs", "fill",
                 "bidi_lang")

    def __init__(self, text: str = "", *, content: str | None = None):
        self.content = run_content(text) if content is None else content
        self.style = self.font_cs = self.color = self.size = self.size_cs = self.fill = self.bidi_lang = None
        self.bold = self.bold_cs = self.italic = False

    def right_to_left(self, font: str, size_pt: float, lang: str = "ar-SA") -> "Run":
        """An Arabic run: rtl, complex-script font and size, bidi language."""
        self.font_cs, self.size_cs, self.bidi_lang = font, str(round(size_pt * 2)), lang
        return self

    def xml(self) -> str:
        props = []
        if self.style:
            props.append(f'<w:rStyle w:val="{self.style}"/>')
        if self.font_cs:
            props.append(f"<w:rFonts w:cs={xml_attr(self.font_cs)}/>")
        if self.bold:
            props.append("<w:b/>")
        if self.bold_cs:
            props.append("<w:bCs/>")
        if self.italic:
            props.append("<w:i/>")
        if self.color:
            props.append(f'<w:color w:val="{self.color}"/>')
        if self.size:
            props.append(f'<w:sz w:val="{self.size}"/>')
        if self.size_cs:
            props.append(f'<w:szCs w:val="{self.size_cs}"/>')
        if self.fill:
            props.append(f'<w:shd w:val="clear" w:color="auto" w:fill="{self.fill}"/>')
        if self.bidi_lang:
            props.append(f'<w:rtl/><w:lang w:bidi="{self.bidi_lang}"/>')
        if props:
            return f"<w:r><w:rPr>{''.join(props)}</w:rPr>{self.content}</w:r>"
        return f"<w:r>{self.content}</w:r>" if self.content else "<w:r/>"


def runs_xml(runs: list[Run]) -> str:
    return "".join(run.xml() for run in runs)


# An Arabic stretch inside other text: Arabic letters and marks, and the spaces, digits and
# punctuation between two of them — not «»: each quoted item is its own right-to-left run, so a
# list («لسه», «بتعرف») keeps its order in an English line instead of being read as one reversed stretch.
_ARABIC_STRETCH = re.compile(
    r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]"
    r"(?:[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff\s\d.,:\"'()-]*"
    r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff])?")
_LATIN_OR_DIGIT = re.compile(r"[A-Za-z0-9]")
_AFTER_CLOSING_QUOTE = re.compile(r"^([»\"'’”)\]]*)")


def mixed_runs(text: str, arabic_font: str, size_pt: float) -> list[Run]:
    """`text` of a left-to-right paragraph as runs, its Arabic stretches right-to-left with the
    complex-script font and size (an Arabic word quoted in an English message).

    Between two Arabic stretches, punctuation alone («لسه», «بتعرف») would be laid out right to
    left with them, reversing the list: a left-to-right mark (U+200E, invisible) after the closing
    quote keeps it in the English line's order."""
    runs, position, previous_arabic = [], 0, False
    for match in _ARABIC_STRETCH.finditer(text):
        if match.start() > position:
            piece = text[position:match.start()]
            if previous_arabic and not _LATIN_OR_DIGIT.search(piece):
                piece = _AFTER_CLOSING_QUOTE.sub("\\1\u200e", piece, count=1)
            runs.append(Run(piece))
        runs.append(Run(match.group()).right_to_left(arabic_font, size_pt))
        position, previous_arabic = match.end(), True
    if position < len(text) or not runs:
        runs.append(Run(text[position:]))
    return runs


def unmixed(text: str) -> str:
    """`text` as it was before `mixed_runs` (through `text_runs`) put its left-to-right marks in:
    what a cell written so reads back as, lines and tabs included, without them. The reader of a
    review DOCX takes the English and the note through it: the mark Tarjama wrote is not the
    editor's (it came back as an edit, and one more each round trip). Only a mark where
    `mixed_runs` puts one is taken out, so an editor's own marks stay."""
    def part(piece_of_line: str) -> str:
        pieces, position, previous_arabic = [], 0, False
        for match in _ARABIC_STRETCH.finditer(piece_of_line):
            if match.start() > position:
                piece = piece_of_line[position:match.start()]
                if previous_arabic and not _LATIN_OR_DIGIT.search(piece):
                    quotes = _AFTER_CLOSING_QUOTE.match(piece).group(1)
                    if piece[len(quotes):len(quotes) + 1] == "\u200e":
                        piece = quotes + piece[len(quotes) + 1:]
                pieces.append(piece)
            pieces.append(match.group())
            position, previous_arabic = match.end(), True
        pieces.append(piece_of_line[position:])
        return "".join(pieces)

    if "\u200e" not in text:
        return text
    return "\n".join("\t".join(part(p) for p in line.split("\t")) for line in text.split("\n"))


def text_runs(text: str, arabic_font: str | None = None, size_pt: float = 0) -> list[Run]:
    """`text` as runs, newlines as line breaks and tabs as tabs (in the run before them).
    With `arabic_font`, its Arabic stretches are right-to-left runs (`mixed_runs`)."""
    runs: list[Run] = []
    for line_number, line in enumerate(text.split("\n")):
        if line_number:
            runs[-1].content += "<w:br/>"
        for part_number, part in enumerate(line.split("\t")):
            if part_number:
                runs[-1].content += "<w:tab/>"
            runs.extend(mixed_runs(part, arabic_font, size_pt) if arabic_font and part else [Run(part)])
    return runs


def add_mixed_text(paragraph, text: str, arabic_font: str, size_pt: float) -> list:
    """`mixed_runs` appended to a python-docx paragraph (a document python-docx builds, such as a
    test's); returns its python-docx runs."""
    from docx.oxml import parse_xml
    from docx.text.run import Run as DocxRun

    added = []
    for run in mixed_runs(text, arabic_font, size_pt):
        element = parse_xml(run.xml().replace("<w:r", f"<w:r {_W_NS}", 1))
        paragraph._p.append(element)
        added.append(DocxRun(element, paragraph))
    return added


# --- paragraphs, fields, bookmarks, content controls ---------------------------------------------

def paragraph(content: str = "", *, style: str | None = None, bidi: bool = False, before: str | None = None,
              line: str | None = None, align: str | None = None) -> str:
    """A w:p; its properties in CT_PPrBase's order (pStyle, bidi, spacing, jc). `before` in
    twips; `line` a w:line of lineRule auto. Alignment is for left-to-right paragraphs: on a
    bidi paragraph the default start is the right edge, while jc=right would put it LEFT."""
    props = []
    if style:
        props.append(f'<w:pStyle w:val="{style}"/>')
    if bidi:
        props.append("<w:bidi/>")
    if before is not None or line is not None:
        spacing = (f' w:before="{before}"' if before is not None else "") + \
                  (f' w:line="{line}" w:lineRule="auto"' if line is not None else "")
        props.append(f"<w:spacing{spacing}/>")
    if align:
        props.append(f'<w:jc w:val="{align}"/>')
    properties = f"<w:pPr>{''.join(props)}</w:pPr>" if props else ""
    return f"<w:p>{properties}{content}</w:p>" if properties or content else "<w:p/>"


def field_runs(instruction: str, placeholder: str = "1") -> list[Run]:
    """A Word field (PAGE, NUMPAGES ...) as begin/instr/separate/result/end runs."""
    return [Run(content='<w:fldChar w:fldCharType="begin"/>'),
            Run(content=f'<w:instrText xml:space="preserve"> {xml_text(instruction)} </w:instrText>'),
            Run(content='<w:fldChar w:fldCharType="separate"/>'),
            Run(content=f"<w:t>{xml_text(placeholder)}</w:t>"),
            Run(content='<w:fldChar w:fldCharType="end"/>')]


def bookmark(content: str, name: str, bookmark_id: int) -> str:
    """A bookmark around `content` (a named range Word and LibreOffice keep through saves)."""
    return (f'<w:bookmarkStart w:id="{bookmark_id}" w:name={xml_attr(name)}/>{content}'
            f'<w:bookmarkEnd w:id="{bookmark_id}"/>')


def dropdown(content: str, items: list[str], *, tag: str, alias: str, sdt_id: int) -> str:
    """`content` (a run showing the current choice) in a drop-down list content control offering
    `items` (w:sdt with w:dropDownList: Word shows a list; LibreOffice a drop-down field). Typing
    over it still works; readers see the run's text."""
    choices = "".join(f"<w:listItem w:displayText={xml_attr(item)} w:value={xml_attr(item)}/>" for item in items)
    return (f"<w:sdt><w:sdtPr><w:alias w:val={xml_attr(alias)}/><w:tag w:val={xml_attr(tag)}/>"
            f'<w:id w:val="{sdt_id}"/><w:dropDownList>{choices}</w:dropDownList></w:sdtPr>'
            f"<w:sdtContent>{content}</w:sdtContent></w:sdt>")


def commented(content: str, comment_ids: list[int]) -> str:
    """`content` (runs) as the range of comments: starts in order, ends nested, each end followed
    by its reference run."""
    if not comment_ids:
        return content
    starts = "".join(f'<w:commentRangeStart w:id="{number}"/>' for number in comment_ids)
    ends = "".join(f'<w:commentRangeEnd w:id="{number}"/><w:r><w:rPr><w:rStyle w:val="CommentReference"/>'
                   f'</w:rPr><w:commentReference w:id="{number}"/></w:r>' for number in reversed(comment_ids))
    return starts + content + ends


def comment(comment_id: int, runs: list[Run], *, author: str, initials: str, date: str) -> str:
    """A w:comment of one paragraph (Word's "annotation text" style and reference mark first)."""
    return (f'<w:comment w:id="{comment_id}" w:author={xml_attr(author)} w:initials={xml_attr(initials)} '
            f'w:date="{date}"><w:p><w:pPr><w:pStyle w:val="CommentText"/></w:pPr><w:r><w:rPr>'
            f'<w:rStyle w:val="CommentReference"/></w:rPr><w:annotationRef/></w:r>{runs_xml(runs)}</w:p></w:comment>')


# --- tables ----------------------------------------------------------------------------------

def cell(content: str, width: int, fill: str | None = None) -> str:
    """A w:tc: its width (Word lays a table out from these) and shading; `content` its paragraphs."""
    shading = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{shading}</w:tcPr>{content}</w:tc>'


def row(cells: str, *, cant_split: bool = False, header: bool = False) -> str:
    """A w:tr; `cant_split` keeps it on one page, `header` repeats it at the top of every page."""
    props = ("<w:cantSplit/>" if cant_split else "") + ("<w:tblHeader/>" if header else "")
    return f"<w:tr><w:trPr>{props}</w:trPr>{cells}</w:tr>" if props else f"<w:tr>{cells}</w:tr>"


def table(rows: str, widths: list[int], *, style: str, fixed: bool = False) -> str:
    """A w:tbl; column widths on w:tblGrid (LibreOffice reads these; Word reads w:tcW)."""
    layout = '<w:tblLayout w:type="fixed"/>' if fixed else ""
    grid = "".join(f'<w:gridCol w:w="{width}"/>' for width in widths)
    return (f'<w:tbl><w:tblPr><w:tblStyle w:val="{style}"/><w:tblW w:type="auto" w:w="0"/>{layout}'
            '<w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" w:lastRow="0" w:noHBand="0" '
            f'w:noVBand="1" w:val="04A0"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{rows}</w:tbl>')


def section(*, page: tuple[int, int], margins: tuple[int, int]) -> str:
    """The w:sectPr: page size and margins (side, top and bottom) in twips, the footer (`footer_part`)."""
    (width, height), (side, top_bottom) = page, margins
    orient = ' w:orient="landscape"' if width > height else ""
    return (f'<w:sectPr w:rsidR="00FC693F" w:rsidRPr="0006063C" w:rsidSect="00034616">'  # the template's rsids
            f'<w:footerReference w:type="default" r:id="{FOOTER_RID}"/>'
            f'<w:pgSz w:w="{width}" w:h="{height}"{orient}/>'
            f'<w:pgMar w:top="{top_bottom}" w:right="{side}" w:bottom="{top_bottom}" w:left="{side}" w:header="720" '
            f'w:footer="720" w:gutter="0"/><w:cols w:space="720"/><w:docGrid w:linePitch="360"/></w:sectPr>')


# --- parts -------------------------------------------------------------------------------------

_W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_DECLARATION = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
# The namespaces of python-docx's template parts (mc:Ignorable names two of them).
_WORD_NAMESPACES = (
    'xmlns:wpc="http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas" '
    'xmlns:mo="http://schemas.microsoft.com/office/mac/office/2008/main" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:mv="urn:schemas-microsoft-com:mac:vml" '
    'xmlns:o="urn:schemas-microsoft-com:office:office" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math" xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:wp14="http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:w10="urn:schemas-microsoft-com:office:word" '
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" '
    'xmlns:wpg="http://schemas.microsoft.com/office/word/2010/wordprocessingGroup" '
    'xmlns:wpi="http://schemas.microsoft.com/office/word/2010/wordprocessingInk" '
    'xmlns:wne="http://schemas.microsoft.com/office/word/2006/wordml" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" mc:Ignorable="w14 wp14"')


def document_part(body: str) -> bytes:
    return f"{_DECLARATION}<w:document {_WORD_NAMESPACES}><w:body>{body}</w:body></w:document>".encode()


def footer_part(content: str) -> bytes:
    return f"{_DECLARATION}<w:ftr {_WORD_NAMESPACES}>{content}</w:ftr>".encode()


def comments_part(comments: list[str]) -> bytes:
    return (f"{_DECLARATION}<w:comments {_W_NS} "
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f"{''.join(comments)}</w:comments>").encode()


def w3cdtf(when: dt.datetime) -> str:
    """A UTC time as the core properties and comments write it."""
    return when.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def core_part(*, title: str, subject: str, author: str, description: str, created: dt.datetime,
              revision: int = 1) -> bytes:
    """docProps/core.xml: title, subject, author (also the last to modify), created = modified."""
    when = w3cdtf(created)
    return (f"{_DECLARATION}<cp:coreProperties {_CORE_NAMESPACES}><dc:title>{xml_text(title)}</dc:title>"
            f"<dc:subject>{xml_text(subject)}</dc:subject><dc:creator>{xml_text(author)}</dc:creator><cp:keywords/>"
            f"<dc:description>{xml_text(description)}</dc:description>"
            f"<cp:lastModifiedBy>{xml_text(author)}</cp:lastModifiedBy><cp:revision>{revision}</cp:revision>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{when}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{when}</dcterms:modified><cp:category/>'
            "</cp:coreProperties>").encode()


_CORE_NAMESPACES = ('xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
                    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
                    'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"')
_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument."


def _relationships(rels: list[tuple[str, str, str]]) -> bytes:
    items = "".join(f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"/>' for rid, kind, target in rels)
    return f'{_DECLARATION}<Relationships xmlns="{_RELS_NS}">{items}</Relationships>'.encode()


def _content_types(parts: list[tuple[str, str]]) -> bytes:
    overrides = "".join(f'<Override PartName="/{name}" ContentType="{kind}"/>' for name, kind in sorted(parts))
    return (f'{_DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            f'<Default Extension="xml" ContentType="application/xml"/>{overrides}</Types>').encode()


# The styles that comments refer to (python-docx's template lacks them): Word's built-in
# "annotation text" and "annotation reference".
_COMMENT_STYLES = (
    f'<w:style {_W_NS} w:type="paragraph" w:styleId="CommentText"><w:name w:val="annotation text"/>'
    '<w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/>'
    '<w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>',
    f'<w:style {_W_NS} w:type="character" w:styleId="CommentReference"><w:name w:val="annotation reference"/>'
    '<w:basedOn w:val="DefaultParagraphFont"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/>'
    '<w:rPr><w:sz w:val="16"/><w:szCs w:val="16"/></w:rPr></w:style>',
)
# The template's parts that every document keeps as they are, with their content types.
_TEMPLATE_PARTS = {
    "word/stylesWithEffects.xml": "application/vnd.ms-word.stylesWithEffects+xml",
    "word/webSettings.xml": _CT + "wordprocessingml.webSettings+xml",
    "word/fontTable.xml": _CT + "wordprocessingml.fontTable+xml",
    "word/theme/theme1.xml": _CT + "theme+xml",
    "customXml/item1.xml": None,
    "customXml/_rels/item1.xml.rels": None,
    "customXml/itemProps1.xml": _CT + "customXmlProperties+xml",
    "word/numbering.xml": _CT + "wordprocessingml.numbering+xml",
    "docProps/app.xml": _CT + "extended-properties+xml",
}


@dataclass(frozen=True)
class Deflated:
    """A zip member compressed once (the package's fixed parts)."""

    data: bytes
    crc: int
    size: int


def deflated(data: bytes) -> Deflated:
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    return Deflated(compressor.compress(data) + compressor.flush(), zlib.crc32(data), len(data))


_ZIP_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01 00:00: fixed member dates, the same bytes for the same run


def zip_members(members: list[tuple[str, Deflated]]) -> bytes:
    """A zip archive of deflated members (written here so the fixed parts are compressed once)."""
    out, directory = io.BytesIO(), []
    for name, member in members:
        encoded = name.encode("ascii")
        offset = out.tell()
        out.write(struct.pack("<4s2B4HL2L2H", b"PK\x03\x04", 20, 0, 0, 8, 0, _ZIP_DATE, member.crc,
                              len(member.data), member.size, len(encoded), 0))
        out.write(encoded)
        out.write(member.data)
        directory.append(struct.pack("<4s4B4HL2L5H2L", b"PK\x01\x02", 20, 3, 20, 0, 0, 8, 0, _ZIP_DATE, member.crc,
                                     len(member.data), member.size, len(encoded), 0, 0, 0, 0, 0o600 << 16, offset)
                         + encoded)
    start = out.tell()
    central = b"".join(directory)
    out.write(central)
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members), len(central), start, 0))
    return out.getvalue()


@lru_cache(maxsize=1)
def _template() -> dict[str, bytes]:
    # Found without importing python-docx (find_spec runs no package code).
    package_dir = Path(importlib.util.find_spec("docx").origin).parent
    with (package_dir / "templates" / "default.docx").open("rb") as file, zipfile.ZipFile(file) as package:
        return {name: package.read(name) for name in [*_TEMPLATE_PARTS, "word/styles.xml", "word/settings.xml"]}


def _styles(normal_font: str, normal_size_pt: float, normal_after_pt: float) -> bytes:
    """The template's styles: Normal in the document's face, size and spacing after; the comment styles."""
    from lxml import etree

    root = etree.fromstring(_template()["word/styles.xml"], etree.XMLParser(remove_blank_text=True))
    normal = next(style for style in root.iter(qn("w:style")) if style.get(qn("w:styleId")) == "Normal")
    for tag in ("w:pPr", "w:rPr"):
        for old in normal.findall(qn(tag)):
            normal.remove(old)
    normal.append(etree.fromstring(f'<w:pPr {_W_NS}><w:spacing w:after="{twips(normal_after_pt)}"/></w:pPr>'))
    normal.append(etree.fromstring(f"<w:rPr {_W_NS}><w:rFonts w:ascii={xml_attr(normal_font)} "
                                   f'w:hAnsi={xml_attr(normal_font)}/><w:sz w:val="{half_points(normal_size_pt)}"/>'
                                   "</w:rPr>"))
    for xml in _COMMENT_STYLES:
        root.append(etree.fromstring(xml))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _settings(compatibility_mode: int) -> bytes:
    """The template's settings in Word 2013+ layout: its 14 (Word 2010) opens in Compatibility Mode;
    its zoom with the percentage the schema requires (`complete_zoom`)."""
    from lxml import etree

    root = etree.fromstring(_template()["word/settings.xml"], etree.XMLParser(remove_blank_text=True))
    for setting in root.iter(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), str(compatibility_mode))
    complete_zoom(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def complete_zoom(settings) -> None:
    """A w:settings element (lxml; python-docx's `document.settings.element` too) with the
    `w:percent` that ECMA-376 requires on `w:zoom` (CT_Zoom): python-docx's template has
    `<w:zoom w:val="bestFit"/>` without it, which the schema refuses. 100; with `bestFit` Word
    fits the page to the window all the same."""
    for zoom in settings.iter(qn("w:zoom")):
        if zoom.get(qn("w:percent")) is None:
            zoom.set(qn("w:percent"), "100")


@lru_cache(maxsize=16)
def _fixed_parts(normal_font: str, normal_size_pt: float, normal_after_pt: float) -> dict[str, Deflated]:
    parts = {name: deflated(data) for name, data in _template().items() if name in _TEMPLATE_PARTS}
    parts["word/styles.xml"] = deflated(_styles(normal_font, normal_size_pt, normal_after_pt))
    parts["word/settings.xml"] = deflated(_settings(15))
    return parts


FOOTER_RID = "rId9"
_FIXED_ORDER = ("word/styles.xml", "word/stylesWithEffects.xml", "word/settings.xml", "word/webSettings.xml",
                "word/fontTable.xml", "word/theme/theme1.xml", "customXml/item1.xml", "customXml/_rels/item1.xml.rels",
                "customXml/itemProps1.xml", "word/numbering.xml")


@lru_cache(maxsize=2)
def _wiring(with_comments: bool) -> tuple[Deflated, Deflated, Deflated]:
    """[Content_Types].xml, the package's and the document's relationships (no thumbnail picture:
    a review document has no picture of its own)."""
    rels = [("rId3", f"{_OFFICE_RELS}/styles", "styles.xml"),
            ("rId4", "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects", "stylesWithEffects.xml"),
            ("rId5", f"{_OFFICE_RELS}/settings", "settings.xml"), ("rId6", f"{_OFFICE_RELS}/webSettings", "webSettings.xml"),
            ("rId7", f"{_OFFICE_RELS}/fontTable", "fontTable.xml"), ("rId8", f"{_OFFICE_RELS}/theme", "theme/theme1.xml"),
            ("rId1", f"{_OFFICE_RELS}/customXml", "../customXml/item1.xml"),
            ("rId2", f"{_OFFICE_RELS}/numbering", "numbering.xml"), (FOOTER_RID, f"{_OFFICE_RELS}/footer", "footer1.xml")]
    types = [(name, kind) for name, kind in _TEMPLATE_PARTS.items() if kind] + [
        ("docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
        ("word/document.xml", _CT + "wordprocessingml.document.main+xml"),
        ("word/styles.xml", _CT + "wordprocessingml.styles+xml"),
        ("word/settings.xml", _CT + "wordprocessingml.settings+xml"),
        ("word/footer1.xml", _CT + "wordprocessingml.footer+xml")]
    if with_comments:
        rels.append(("rId10", f"{_OFFICE_RELS}/comments", "comments.xml"))
        types.append(("word/comments.xml", _CT + "wordprocessingml.comments+xml"))
    package_rels = [("rId3", f"{_RELS_NS}/metadata/core-properties", "docProps/core.xml"),
                    ("rId4", f"{_OFFICE_RELS}/extended-properties", "docProps/app.xml"),
                    ("rId1", f"{_OFFICE_RELS}/officeDocument", "word/document.xml")]
    return deflated(_content_types(types)), deflated(_relationships(package_rels)), deflated(_relationships(rels))


def word_package(*, document: bytes, footer: bytes, comments: bytes | None, core: bytes, normal_font: str,
                 normal_size_pt: float, normal_after_pt: float) -> bytes:
    """The .docx: this document's parts with the template's fixed ones; Normal's face, size and
    spacing after as given. The document's footer is relationship `rId9`."""
    fixed = _fixed_parts(normal_font, normal_size_pt, normal_after_pt)
    content_types, package_rels, document_rels = _wiring(comments is not None)
    members = [("[Content_Types].xml", content_types), ("_rels/.rels", package_rels),
               ("docProps/core.xml", deflated(core)), ("docProps/app.xml", fixed["docProps/app.xml"]),
               ("word/document.xml", deflated(document)), ("word/_rels/document.xml.rels", document_rels),
               *[(name, fixed[name]) for name in _FIXED_ORDER], ("word/footer1.xml", deflated(footer))]
    if comments is not None:
        members.append(("word/comments.xml", deflated(comments)))
    return zip_members(members)


# --- reading -----------------------------------------------------------------------------

_SKIP_CONTAINERS = {qn("w:del"), qn("w:moveFrom"), qn("w:txbxContent")}
_T, _TAB, _BR, _CR, _NBH = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr"), qn("w:noBreakHyphen")


def paragraph_text(p_element) -> str:
    """The text of a w:p as a reader sees it with all tracked changes accepted.

    Inserted runs (w:ins) count, deleted ones (w:del, w:moveFrom) do not. Text boxes anchored in
    the paragraph (w:txbxContent) are not part of its text; the reader reports them apart.
    """
    parts: list[str] = []

    def walk(element) -> None:
        for child in element:
            tag = child.tag
            if tag in _SKIP_CONTAINERS:
                continue
            if tag == _T:
                parts.append(child.text or "")
            elif tag == _TAB:
                # w:tab inside w:pPr/w:tabs is a tab stop definition, not a character.
                if element.tag == qn("w:r"):
                    parts.append("\t")
            elif tag in (_BR, _CR):
                parts.append("\n")
            elif tag == _NBH:
                parts.append("\u2011")
            else:
                walk(child)

    walk(p_element)
    return "".join(parts)


def paragraph_texts(fragment: str) -> list[str]:
    """The texts of the w:p in a fragment this module wrote, as a reader sees them."""
    from lxml import etree

    root = etree.fromstring(f"<fragment {_W_NS}>{fragment}</fragment>")
    return [paragraph_text(p) for p in root.iter(qn("w:p"))]


def bookmark_names(element) -> list[str]:
    return [b.get(qn("w:name")) for b in element.iter(qn("w:bookmarkStart"))]


def has_tracked_changes(element) -> bool:
    return bool(element.xpath(".//w:ins | .//w:del | .//w:moveFrom | .//w:moveTo"))


@dataclass
class CoreProperties:
    """What `docProps/core.xml` says; None where it says nothing (never a made-up default)."""

    subject: str | None = None
    creator: str | None = None
    last_modified_by: str | None = None
    modified: dt.datetime | None = None
    created: dt.datetime | None = None


_PACKAGE_RELS = "_rels/.rels"
_SMALL_PART = 16 * 2**20  # a package's relationships or core properties: a few KB
_CORE_NS = {"cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
            "dc": "http://purl.org/dc/elements/1.1/", "dcterms": "http://purl.org/dc/terms/",
            "rel": "http://schemas.openxmlformats.org/package/2006/relationships"}


def read_core_properties(data: bytes) -> CoreProperties:
    """The core properties of a .docx, found through any relationship whose type ends in
    `/metadata/core-properties`: LibreOffice writes it under an `officedocument/2006` type that
    python-docx does not know, and python-docx then invents defaults (author "python-docx",
    modified = now). XML is parsed without entities or network access."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            # read_member: a DOCX in the output folder may be anyone's (a zip bomb's core.xml too)
            rels = etree.fromstring(read_member(archive, _PACKAGE_RELS, _SMALL_PART), parser)
            target = next((rel.get("Target") for rel in rels.iterfind("rel:Relationship", _CORE_NS)
                           if (rel.get("Type") or "").endswith("/metadata/core-properties")), None)
            if not target:
                return CoreProperties()
            core = etree.fromstring(read_member(archive, target.lstrip("/"), _SMALL_PART), parser)
    except (KeyError, zipfile.BadZipFile, etree.XMLSyntaxError, ValueError, OSError, EOFError, RuntimeError,
            NotImplementedError):  # PackageProblem is a ValueError
        return CoreProperties()

    def text(path: str) -> str | None:
        found = core.find(path, _CORE_NS)
        return found.text.strip() if found is not None and found.text and found.text.strip() else None

    def moment(path: str) -> dt.datetime | None:
        value = text(path)
        try:
            when = dt.datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None
        except ValueError:
            return None
        return when.replace(tzinfo=dt.timezone.utc) if when is not None and when.tzinfo is None else when

    return CoreProperties(text("dc:subject"), text("dc:creator"), text("cp:lastModifiedBy"), moment("dcterms:modified"),
                          moment("dcterms:created"))


# --- a package from outside, checked before anything reads it -----------------------------

class PackageProblem(ValueError):
    """Why a .docx is refused before python-docx reads it: one line, without the file's name (the
    reader that refuses it names the file)."""


class PackageTooLarge(PackageProblem):
    """The members unzip to more than the limit (a zip bomb, or an oversized file)."""


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an OLE compound file: a .doc, or Word's encrypted .docx
_CHUNK = 1 << 20


def check_package(data: bytes, max_unzipped: int) -> None:
    """Refuse a .docx that is not a plain zip of honest members before python-docx reads it
    (PackageProblem): an encrypted or renamed file, a damaged archive, two members of one name (Word
    and Tarjama could each read another), members that unzip to more than `max_unzipped` bytes in
    all or to more than their headers say (zipfile trusts a header's size: a member claiming 1 KB
    that inflates to gigabytes cost it 2 GB of memory), an encrypted member, a compression Word
    never uses, and an XML part with a DTD (<!DOCTYPE>): Word refuses one, python-docx would leave
    its entities out of the text without a word. Each member is inflated once here, a megabyte at
    a time, and its actual size counted."""
    if data.startswith(_OLE):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise PackageProblem("password-protected (encrypted): open it in Word, remove the password (File › Info "
                                 "› Protect Document › Encrypt with Password, emptied) and save it again")
        if "WordDocument".encode("utf-16-le") in data:
            raise PackageProblem("a Word 97-2003 document (.doc) named .docx; open it in Word and save it as .docx")
        raise PackageProblem("an older Office file (an OLE compound file: .xls, .ppt …) named .docx")
    if data[:2] == b"PK" and b"opendocument" in data[:200]:  # its first member, stored: "mimetype"
        raise PackageProblem("an OpenDocument file (.odt) renamed")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, NotImplementedError):
        raise PackageProblem("not a zip archive (damaged, or another format renamed)") from None
    with archive:
        seen: set[str] = set()
        for info in members:
            key = info.filename.replace("\\", "/").lstrip("/").casefold()  # OPC part names ignore case
            if key in seen:
                raise PackageProblem(f"two members named {info.filename!r}: Word and Tarjama could each read "
                                     f"another")
            seen.add(key)
        total = sum(info.file_size for info in members)
        if total > max_unzipped:
            raise PackageTooLarge(f"unzips to {total:,} bytes (limit {max_unzipped:,}; a zip bomb or an oversized file)")
        checked = set()
        for info in members:
            xml = info.filename.lower().endswith((".xml", ".rels"))
            _inflate(archive, info, xml)
            if xml:
                checked.add(info.filename)
        for info in _xml_typed(archive, members, checked):  # an XML part named otherwise ([Content_Types].xml says)
            _inflate(archive, info, True)


def _inflate(archive: zipfile.ZipFile, info: zipfile.ZipInfo, xml: bool) -> None:
    """Inflate one member a megabyte at a time, refusing it when it is encrypted, compressed
    otherwise than Word does, or unzips to another size than its header says (more: a zip bomb);
    an XML member's prolog is read for a DTD. Nothing is kept."""
    name = info.filename
    if info.flag_bits & 0x1:
        raise PackageProblem(f"its member {name} is encrypted")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise PackageProblem(f"its member {name} is compressed with method {info.compress_type}, which Word never uses")
    dishonest = PackageProblem(f"its member {name} does not unzip to the {info.file_size:,} bytes its header says: "
                               f"a damaged file or a zip bomb")
    if info.compress_type == zipfile.ZIP_STORED and info.compress_size != info.file_size:
        raise dishonest
    probe = copy.copy(info)  # the same member, allowed one byte more: a member longer than its header shows
    probe.file_size = info.file_size + 1
    prolog = _Prolog(name) if xml else None
    size = 0
    try:
        with archive.open(probe) as member:
            while chunk := member.read(_CHUNK):
                size += len(chunk)
                if size > info.file_size:
                    raise dishonest
                if prolog is not None and not prolog.feed(chunk):
                    prolog = None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError) as exc:
        if isinstance(exc, PackageProblem):
            raise
        raise dishonest from None
    if size != info.file_size:
        raise dishonest
    if prolog is not None:
        prolog.close()


class _Prolog:
    """An XML member's start, parsed up to its root element: is there a DTD before it? Parsed by
    libxml2 itself (any encoding it reads) with a target that stops at the DOCTYPE's name, before
    any entity is declared, or at the root element; nothing is resolved or fetched."""

    class _Seen(Exception):
        pass

    class _Target:
        def __init__(self) -> None:
            self.doctype_seen = False

        def doctype(self, name, public_id, system_url) -> None:
            self.doctype_seen = True
            raise _Prolog._Seen

        def start(self, tag, attributes, namespaces=None) -> None:
            raise _Prolog._Seen

        def close(self) -> None:
            return None

    def __init__(self, name: str) -> None:
        from lxml import etree

        self.name = name
        self.target = self._Target()
        self.parser = etree.XMLParser(target=self.target, resolve_entities=False, no_network=True, load_dtd=False)

    def feed(self, chunk: bytes) -> bool:
        """False once the prolog is over (the root element seen), or the member is no XML (not
        this check's business: the reader says so if it reads the part)."""
        return self._step(self.parser.feed, chunk)

    def close(self) -> None:
        self._step(self.parser.close)

    def _step(self, action, *data) -> bool:
        from lxml import etree

        try:
            action(*data)
        except self._Seen:
            if self.target.doctype_seen:
                raise PackageProblem(f"its part {self.name} has a DTD (<!DOCTYPE …>), which Word never writes: its "
                                     f"entities could read local files or expand without bound") from None
            return False
        except etree.XMLSyntaxError:
            return False
        return True


def _xml_typed(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], checked: set[str]) -> list[zipfile.ZipInfo]:
    """Members not named .xml or .rels that [Content_Types].xml gives an XML content type: python-docx
    parses a part by its type, whatever its name."""
    from lxml import etree

    types = next((info for info in members if info.filename.casefold() == "[content_types].xml"), None)
    if types is None:
        return []
    try:
        root = etree.fromstring(archive.read(types), etree.XMLParser(resolve_entities=False, no_network=True))
    except (etree.XMLSyntaxError, ValueError):
        return []  # python-docx refuses the package for it
    by_extension = {(e.get("Extension") or "").lower(): e.get("ContentType") or "" for e in root
                    if str(e.tag).endswith("Default")}
    by_part = {(e.get("PartName") or "").lstrip("/").casefold(): e.get("ContentType") or "" for e in root
               if str(e.tag).endswith("Override")}
    found = []
    for info in members:
        if info.filename in checked or info.is_dir():
            continue
        base = info.filename.rsplit("/", 1)[-1]
        extension = base.rpartition(".")[2].lower() if "." in base else ""
        content_type = by_part.get(info.filename.casefold(), by_extension.get(extension, ""))
        if content_type.lower().endswith("xml"):
            found.append(info)
    return found


def read_member(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    """A small member's bytes, inflated no further than `limit` and its header's size (KeyError:
    no such member; PackageProblem: larger, or not what its header says)."""
    info = archive.getinfo(name)
    if info.file_size > limit:
        raise PackageProblem(f"its member {name} is {info.file_size:,} bytes, more than the {limit:,} allowed")
    _inflate(archive, info, False)
    return archive.read(info)
