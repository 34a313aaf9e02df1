"""An editor at work on a bilingual review DOCX, simulated with python-docx and raw WordprocessingML."""

from __future__ import annotations

import copy
from pathlib import Path

import docx
from docx.oxml.ns import qn
from lxml import etree

from pipeline.export.docx.layout import ARABIC, ENGLISH, ID, NOTE, STATUS

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
WPS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"


class Editor:
    def __init__(self, path: Path):
        self.path = path
        self.document = docx.Document(str(path))
        self.table = self.document.tables[-1]

    def row(self, pid: str):
        for row in self.table.rows[1:]:
            if row.cells[ID].text.split("\n")[0] == pid:
                return row
        raise KeyError(pid)

    @staticmethod
    def _set_text(cell, text: str) -> None:
        paragraph = cell.paragraphs[0]
        runs = paragraph.runs
        if runs:
            runs[0].text = text
            for extra in runs[1:]:
                if extra._r.find(qn("w:commentReference")) is None:
                    extra._r.getparent().remove(extra._r)
        else:
            paragraph.add_run(text)

    def set_english(self, pid: str, text: str) -> None:
        self._set_text(self.row(pid).cells[ENGLISH], text)

    def set_arabic(self, pid: str, text: str) -> None:
        self._set_text(self.row(pid).cells[ARABIC], text)

    def set_status(self, pid: str, status: str) -> None:
        """Pick `status` in the Status drop-down (Word and LibreOffice change the text inside the
        content control), or type it where there is no control."""
        cell = self.row(pid).cells[STATUS]
        control = cell._tc.find(".//" + qn("w:sdtContent"))
        if control is None:
            self._set_text(cell, status)
            return
        texts = control.findall(".//" + qn("w:t"))
        texts[0].text = status
        for extra in texts[1:]:
            extra.getparent().remove(extra)

    def type_status(self, pid: str, status: str) -> None:
        """Select the whole Status cell and type over it (the drop-down goes with it)."""
        paragraph = self.row(pid).cells[STATUS].paragraphs[0]
        for child in list(paragraph._p):
            if child.tag != qn("w:pPr"):
                paragraph._p.remove(child)
        paragraph.add_run(status)

    def write_note(self, pid: str, note: str) -> None:
        self._set_text(self.row(pid).cells[NOTE], note)

    def track_replace(self, pid: str, old: str, new: str, author: str = "Layla Haddad",
                      date: str = "2024-03-01T10:00:00Z") -> None:
        """Replace `old` by `new` in the English as a tracked change (w:del + w:ins)."""
        paragraph = self.row(pid).cells[ENGLISH].paragraphs[0]
        run = next(r for r in paragraph.runs if old in r.text)
        before, after = run.text.split(old, 1)
        tail = copy.deepcopy(run._r)  # copied first: setting run.text = "" drops the run's w:t
        run.text = before
        deleted = etree.fromstring(f'<w:del xmlns:w="{W}" w:id="901" w:author="{author}" w:date="{date}">'
                                   f'<w:r><w:delText xml:space="preserve">{old}</w:delText></w:r></w:del>')
        inserted = etree.fromstring(f'<w:ins xmlns:w="{W}" w:id="902" w:author="{author}" w:date="{date}">'
                                    f'<w:r><w:t xml:space="preserve">{new}</w:t></w:r></w:ins>')
        tail.find(qn("w:t")).text = after
        tail.find(qn("w:t")).set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        run._r.addnext(deleted)
        deleted.addnext(inserted)
        inserted.addnext(tail)

    def track_insert_note(self, pid: str, text: str, author: str = "Omar Khalil",
                          date: str = "2024-03-02T09:30:00Z") -> None:
        """Type `text` into the Editor's note with Track Changes on (a w:ins in the cell's paragraph)."""
        paragraph = self.row(pid).cells[NOTE].paragraphs[0]
        paragraph._p.append(etree.fromstring(f'<w:ins xmlns:w="{W}" w:id="903" w:author="{author}" w:date="{date}">'
                                             f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:ins>'))

    def delete_row(self, pid: str) -> None:
        tr = self.row(pid)._tr
        tr.getparent().remove(tr)

    def duplicate_row(self, pid: str) -> None:
        tr = self.row(pid)._tr
        tr.addnext(copy.deepcopy(tr))

    def swap_rows(self, first: str, second: str) -> None:
        a, b = self.row(first)._tr, self.row(second)._tr
        b.addnext(copy.deepcopy(a))
        a.getparent().remove(a)

    def comment(self, pid: str, text: str, author: str = "", at_cursor: bool = True) -> None:
        """A comment on the English. `at_cursor`: as LibreOffice puts one with no text selected —
        a reference alone, no range around text — by a user with no name set (author "")."""
        paragraph = self.row(pid).cells[ENGLISH].paragraphs[0]
        comment = self.document.add_comment(paragraph.runs[0], text=text, author=author)
        if at_cursor:
            for tag in ("w:commentRangeStart", "w:commentRangeEnd"):
                for anchor in list(paragraph._p.iter(qn(tag))):
                    if anchor.get(qn("w:id")) == str(comment.comment_id):
                        anchor.getparent().remove(anchor)

    def comment_on_title_block(self, text: str, author: str) -> None:
        """A comment on the first line of the title block, outside the review table."""
        first = self.document.tables[0].rows[0].cells[0].paragraphs[0]
        self.document.add_comment(first.runs, text=text, author=author)

    def add_paragraph(self, pid: str, column: int, text: str) -> None:
        """Enter, then `text`: a paragraph of its own in the cell."""
        self.row(pid).cells[column].add_paragraph(text)

    def add_line_break(self, pid: str, column: int, text: str) -> None:
        """Shift+Enter, then `text`: a line break in the cell's first paragraph."""
        run = self.row(pid).cells[column].paragraphs[0].add_run()
        run.add_break()
        run.add_text(text)

    def delete_paragraph_mark(self, pid: str, column: int) -> None:
        """Word's tracked deletion of the mark ending the cell's first paragraph (Delete at its end)."""
        p = self.row(pid).cells[column].paragraphs[0]._p
        properties = p.get_or_add_pPr()
        run_properties = properties.find(qn("w:rPr"))
        if run_properties is None:
            run_properties = etree.SubElement(properties, qn("w:rPr"))
        etree.SubElement(run_properties, qn("w:del"), {qn("w:id"): "950", qn("w:author"): "Layla Haddad",
                                                       qn("w:date"): "2024-03-01T10:00:00Z"})

    def add_text_box(self, pid: str, text: str) -> None:
        """A text box in the English as Word writes one: the drawing, and a VML copy of it in
        mc:Fallback for older readers — the same text twice in the XML."""
        box = (f'<w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent>')
        run = etree.fromstring(
            f'<w:r xmlns:w="{W}" xmlns:mc="{MC}" xmlns:wps="{WPS}" xmlns:v="urn:schemas-microsoft-com:vml">'
            f'<mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx>{box}</wps:txbx></w:drawing>'
            f'</mc:Choice><mc:Fallback><w:pict><v:textbox>{box}</v:textbox></w:pict></mc:Fallback>'
            f'</mc:AlternateContent></w:r>')
        self.row(pid).cells[ENGLISH].paragraphs[0]._p.append(run)

    def merge_english_with_row_above(self, pid: str) -> None:
        """Table › Merge Cells over the English of the row above and this one (Word: vMerge)."""
        rows = self.table.rows
        index = next(i for i, row in enumerate(rows) if row._tr is self.row(pid)._tr)
        above, below = rows[index - 1]._tr.findall(qn("w:tc"))[ENGLISH], rows[index]._tr.findall(qn("w:tc"))[ENGLISH]
        for tc, value in ((above, "restart"), (below, None)):
            merge = etree.SubElement(tc.get_or_add_tcPr(), qn("w:vMerge"))
            if value:
                merge.set(qn("w:val"), value)
        for p in below.findall(qn("w:p")):  # Word moves the lower cell's text into the merged cell
            above.append(p)
        etree.SubElement(below, qn("w:p"))  # a cell keeps one paragraph

    def delete_row_tracked(self, pid: str) -> None:
        """Delete the row with Track Changes on: marked deleted, not yet accepted."""
        tr = self.row(pid)._tr
        properties = tr.get_or_add_trPr()
        etree.SubElement(properties, qn("w:del"), {qn("w:id"): "951", qn("w:author"): "Layla Haddad",
                                                   qn("w:date"): "2024-03-01T10:00:00Z"})

    def save(self, path: Path | None = None) -> Path:
        target = path or self.path
        self.document.save(str(target))
        return target
