"""How WordprocessingML is spelled: namespaces, element order, right-to-left, shading, fields.

Kept apart from what the bilingual document looks like (export/docx.py) and from reading
articles (ingest.py); both use these helpers. python-docx has no API for bidi paragraphs,
complex-script fonts, repeating header rows or cell shading, so those are raw XML here.
Word rejects or ignores children out of schema order: every insertion below goes through
`_insert_in_order` with the order written down once as data.
"""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

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


def add_text_with_breaks(paragraph, text: str):
    """Add `text` as runs, turning newlines into line breaks and tabs into tabs. Returns runs."""
    runs = []
    for line_number, line in enumerate(text.split("\n")):
        if line_number:
            runs[-1].add_break() if runs else paragraph.add_run().add_break()
        for part_number, part in enumerate(line.split("\t")):
            if part_number:
                (runs[-1] if runs else paragraph.add_run()).add_tab()
            runs.append(paragraph.add_run(part))
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
