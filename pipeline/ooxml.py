"""How WordprocessingML is spelled: namespaces, element order, right-to-left, shading, fields.

Kept apart from what the bilingual document looks like (export/docx/) and from reading
articles (ingest.py); both use these helpers. python-docx has no API for bidi paragraphs,
complex-script fonts, repeating header rows or cell shading, so those are raw XML here.
Word rejects or ignores children out of schema order: every insertion below goes through
`_insert_in_order` with the order written down once as data.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass

from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn

# Schema order (ECMA-376 Part 1, CT_PPrBase / CT_RPr / CT_TrPr / CT_TcPr) of the children we set.
_PPR_ORDER = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl",
    "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens",
    "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE",
    "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
    "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection",
    "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr",
    "w:sectPr", "w:pPrChange",
)
_RPR_ORDER = (
    "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps", "w:strike",
    "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof", "w:snapToGrid",
    "w:vanish", "w:webHidden", "w:color", "w:spacing", "w:w", "w:kern", "w:position", "w:sz",
    "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign",
    "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath",
)
_TRPR_ORDER = ("w:cnfStyle", "w:divId", "w:gridBefore", "w:gridAfter", "w:wBefore", "w:wAfter",
               "w:cantSplit", "w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden")
_TCPR_ORDER = ("w:cnfStyle", "w:tcW", "w:gridSpan", "w:hMerge", "w:vMerge", "w:tcBorders",
               "w:shd", "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign",
               "w:hideMark")
_ORDERS = {"w:pPr": _PPR_ORDER, "w:rPr": _RPR_ORDER, "w:trPr": _TRPR_ORDER, "w:tcPr": _TCPR_ORDER}


def _insert_in_order(parent, child) -> None:
    """Put `child` into a properties element where the schema wants it, replacing a twin."""
    order = [qn(tag) for tag in _ORDERS[parent.prefix + ":" + parent.tag.split("}")[1]]]
    for existing in parent.findall(child.tag):
        parent.remove(existing)
    rank = order.index(child.tag)
    for index, sibling in enumerate(parent):
        if sibling.tag in order and order.index(sibling.tag) > rank:
            parent.insert(index, child)
            return
    parent.append(child)


def _element(tag: str, **attrs: str):
    element = OxmlElement(tag)
    for name, value in attrs.items():
        element.set(qn(f"w:{name}"), value)
    return element


def set_paragraph_rtl(paragraph) -> None:
    """Mark a paragraph right-to-left. Alignment stays unset: on a bidi paragraph the default
    start alignment is the right edge, while jc=right would put the text on the LEFT."""
    _insert_in_order(paragraph._p.get_or_add_pPr(), _element("w:bidi"))


def set_run_rtl(run, font: str, size_pt: float, lang: str = "ar-SA") -> None:
    """Arabic run: rtl flag, complex-script font and size, bidi language."""
    rpr = run._r.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = _element("w:rFonts")
    fonts.set(qn("w:cs"), font)
    _insert_in_order(rpr, fonts)
    _insert_in_order(rpr, _element("w:szCs", val=str(round(size_pt * 2))))
    _insert_in_order(rpr, _element("w:rtl"))
    _insert_in_order(rpr, _element("w:lang", bidi=lang))


# An Arabic stretch inside other text: Arabic letters and marks, and the spaces, digits and
# punctuation between two of them — not «»: each quoted item is its own right-to-left run, so a
# list («لسه», «بتعرف») keeps its order in an English line instead of being read as one reversed stretch.
_ARABIC_STRETCH = re.compile(
    r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]"
    r"(?:[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff\s\d.,:\"'()-]*"
    r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff])?")


def add_mixed_text(paragraph, text: str, arabic_font: str, size_pt: float):
    """Add `text` to a left-to-right paragraph as runs, its Arabic stretches marked right-to-left
    with the complex-script font and size (an Arabic word quoted in an English message). Returns runs.

    Between two Arabic stretches, punctuation alone («لسه», «بتعرف») would be laid out right to
    left with them, reversing the list: a left-to-right mark (U+200E, invisible) after the closing
    quote keeps it in the English line's order."""
    runs, position, previous_arabic = [], 0, False
    for match in _ARABIC_STRETCH.finditer(text):
        if match.start() > position:
            piece = text[position:match.start()]
            if previous_arabic and not re.search(r"[A-Za-z0-9]", piece):
                piece = re.sub(r"^([»\"'’”)\]]*)", "\\1\u200e", piece, count=1)
            runs.append(paragraph.add_run(piece))
        run = paragraph.add_run(match.group())
        set_run_rtl(run, arabic_font, size_pt)
        runs.append(run)
        position, previous_arabic = match.end(), True
    if position < len(text) or not runs:
        runs.append(paragraph.add_run(text[position:]))
    return runs


def set_run_bold_cs(run) -> None:
    """Bold for complex scripts: Word uses w:bCs, not w:b, for Arabic text."""
    _insert_in_order(run._r.get_or_add_rPr(), _element("w:bCs"))


def set_cell_shading(cell, fill_hex: str) -> None:
    _insert_in_order(cell._tc.get_or_add_tcPr(), _element("w:shd", val="clear", color="auto", fill=fill_hex))


def shade_run(run, fill_hex: str) -> None:
    _insert_in_order(run._r.get_or_add_rPr(), _element("w:shd", val="clear", color="auto", fill=fill_hex))


def set_cell_width(cell, twips: int) -> None:
    _insert_in_order(cell._tc.get_or_add_tcPr(), _element("w:tcW", w=str(twips), type="dxa"))


def set_repeat_header(row) -> None:
    """Repeat this row at the top of every page."""
    _insert_in_order(row._tr.get_or_add_trPr(), _element("w:tblHeader"))


def set_cant_split(row) -> None:
    """Keep a row on one page: a translation pair should not break across pages."""
    _insert_in_order(row._tr.get_or_add_trPr(), _element("w:cantSplit"))


def set_grid_widths(table, twips: list[int]) -> None:
    """Column widths on w:tblGrid (LibreOffice reads these; Word reads w:tcW)."""
    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), twips):
        col.set(qn("w:w"), str(width))


def set_compatibility_mode(word, mode: int = 15) -> None:
    """Word 2013+ layout: python-docx's template says 14 (Word 2010), which Word opens in
    Compatibility Mode."""
    for setting in word.settings.element.iter(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), str(mode))


# The styles that comments refer to (python-docx's template lacks them): Word's built-in
# "annotation text" and "annotation reference".
_COMMENT_STYLES = (
    f'<w:style {nsdecls("w")} w:type="paragraph" w:styleId="CommentText"><w:name w:val="annotation text"/>'
    '<w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/>'
    '<w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>',
    f'<w:style {nsdecls("w")} w:type="character" w:styleId="CommentReference"><w:name w:val="annotation reference"/>'
    '<w:basedOn w:val="DefaultParagraphFont"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/>'
    '<w:rPr><w:sz w:val="16"/><w:szCs w:val="16"/></w:rPr></w:style>',
)


def add_comment_styles(word) -> None:
    styles = word.styles.element
    present = {style.get(qn("w:styleId")) for style in styles.iter(qn("w:style"))}
    for xml in _COMMENT_STYLES:
        style = parse_xml(xml)
        if style.get(qn("w:styleId")) not in present:
            styles.append(style)


def drop_thumbnail(word) -> None:
    """python-docx's template carries a stock preview picture; a review document has no picture of its own."""
    rels = word.part.package.rels
    for rid, rel in list(rels.items()):
        if rel.reltype.endswith("/metadata/thumbnail"):
            rels.pop(rid)


def set_table_fixed_layout(table) -> None:
    tbl_pr = table._tbl.tblPr
    layout = tbl_pr.find(qn("w:tblLayout"))
    if layout is None:
        layout = _element("w:tblLayout")
        # tblLayout comes after tblW/jc/tblInd/tblBorders/shd in CT_TblPr; before tblCellMar/tblLook.
        anchor = tbl_pr.find(qn("w:tblCellMar"))
        if anchor is None:
            anchor = tbl_pr.find(qn("w:tblLook"))
        if anchor is not None:
            anchor.addprevious(layout)
        else:
            tbl_pr.append(layout)
    layout.set(qn("w:type"), "fixed")


def add_bookmark(paragraph, runs, name: str, bookmark_id: int) -> None:
    """A bookmark around `runs` (a named range Word and LibreOffice keep through saves)."""
    start = _element("w:bookmarkStart", id=str(bookmark_id), name=name)
    runs[0]._r.addprevious(start)
    runs[-1]._r.addnext(_element("w:bookmarkEnd", id=str(bookmark_id)))


def bookmark_names(element) -> list[str]:
    return [b.get(qn("w:name")) for b in element.iter(qn("w:bookmarkStart"))]


def add_dropdown(paragraph, run, items: list[str], *, tag: str, alias: str, sdt_id: int) -> None:
    """Wrap `run` (showing the current choice) in a drop-down list content control offering
    `items` (w:sdt with w:dropDownList: Word shows a list; LibreOffice a drop-down field). Typing
    over it still works; readers see the run's text."""
    properties = OxmlElement("w:sdtPr")
    properties.append(_element("w:alias", val=alias))
    properties.append(_element("w:tag", val=tag))
    properties.append(_element("w:id", val=str(sdt_id)))
    choices = OxmlElement("w:dropDownList")
    for item in items:
        choices.append(_element("w:listItem", displayText=item, value=item))
    properties.append(choices)
    sdt, content = OxmlElement("w:sdt"), OxmlElement("w:sdtContent")
    run._r.addprevious(sdt)
    content.append(run._r)  # moves the run inside the control
    sdt.append(properties)
    sdt.append(content)


def add_field(paragraph, instruction: str, placeholder: str = "1") -> None:
    """A Word field (PAGE, NUMPAGES ...) as begin/instr/separate/result/end runs."""
    def run_with(child):
        run = OxmlElement("w:r")
        run.append(child)
        paragraph._p.append(run)

    run_with(_element("w:fldChar", fldCharType="begin"))
    instr = OxmlElement("w:instrText")
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    instr.text = f" {instruction} "
    run_with(instr)
    run_with(_element("w:fldChar", fldCharType="separate"))
    text = OxmlElement("w:t")
    text.text = placeholder
    run_with(text)
    run_with(_element("w:fldChar", fldCharType="end"))


def add_text_with_breaks(paragraph, text: str, arabic_font: str | None = None, size_pt: float = 0):
    """Add `text` as runs, turning newlines into line breaks and tabs into tabs. Returns runs.

    With `arabic_font`, Arabic stretches of the text are marked right-to-left (`add_mixed_text`).
    """
    runs = []
    for line_number, line in enumerate(text.split("\n")):
        if line_number:
            runs[-1].add_break() if runs else paragraph.add_run().add_break()
        for part_number, part in enumerate(line.split("\t")):
            if part_number:
                (runs[-1] if runs else paragraph.add_run()).add_tab()
            runs.extend(add_mixed_text(paragraph, part, arabic_font, size_pt) if arabic_font and part
                        else [paragraph.add_run(part)])
    return runs


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


def has_tracked_changes(element) -> bool:
    return bool(element.xpath(".//w:ins | .//w:del | .//w:moveFrom | .//w:moveTo"))


@dataclass
class CoreProperties:
    """What `docProps/core.xml` says; None where it says nothing (never a made-up default)."""

    subject: str | None = None
    creator: str | None = None
    last_modified_by: str | None = None
    modified: dt.datetime | None = None


_PACKAGE_RELS = "_rels/.rels"
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
            rels = etree.fromstring(archive.read(_PACKAGE_RELS), parser)
            target = next((rel.get("Target") for rel in rels.iterfind("rel:Relationship", _CORE_NS)
                           if (rel.get("Type") or "").endswith("/metadata/core-properties")), None)
            if not target:
                return CoreProperties()
            core = etree.fromstring(archive.read(target.lstrip("/")), parser)
    except (KeyError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return CoreProperties()

    def text(path: str) -> str | None:
        found = core.find(path, _CORE_NS)
        return found.text.strip() if found is not None and found.text and found.text.strip() else None

    modified = text("dcterms:modified")
    try:
        when = dt.datetime.fromisoformat(modified.replace("Z", "+00:00")) if modified else None
    except ValueError:
        when = None
    if when is not None and when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return CoreProperties(text("dc:subject"), text("dc:creator"), text("cp:lastModifiedBy"), when)
