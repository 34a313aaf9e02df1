"""An editor at work on a bilingual review DOCX, simulated with python-docx and raw WordprocessingML."""

from __future__ import annotations

import copy
from pathlib import Path

import docx
from docx.oxml.ns import qn
from lxml import etree

from pipeline.export.docx.layout import ARABIC, ENGLISH, ID, NOTE, STATUS

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


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

    def save(self, path: Path | None = None) -> Path:
        target = path or self.path
        self.document.save(str(target))
        return target
