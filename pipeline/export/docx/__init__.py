"""The editor's document: the bilingual review DOCX, written (write.py) and read back (read.py)
by one layout (layout.py). How WordprocessingML is spelled (as strings) is pipeline/ooxml.py."""

from .layout import DOCX_VERSION, DocxOptions
from .write import build_docx, write_docx

__all__ = ["DOCX_VERSION", "DocxOptions", "build_docx", "write_docx"]
