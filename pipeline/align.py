"""Align: sentence translations re-joined into paragraph translations, spans on both sides.

English sentences are joined with one space, or with a line break where the Arabic had one
between the two units, or with nothing where the Arabic had nothing (a URL in brackets). Each unit records where its English sits in the paragraph's English.
"""

from __future__ import annotations

from .model import Document, Paragraph


def align_paragraph(paragraph: Paragraph) -> None:
    parts: list[str] = []
    position = 0
    previous_end = None
    for unit in paragraph.sentences:
        target = unit.target.strip()
        if parts and target:
            gap = paragraph.source[previous_end:unit.source_span[0]] if previous_end is not None else " "
            # As in the Arabic: a line break, a space, or nothing («(https://...)» stays whole).
            separator = "\n" if "\n" in gap else (" " if gap else "")
            parts.append(separator)
            position += len(separator)
        unit.target = target
        unit.target_span = (position, position + len(target))
        parts.append(target)
        position += len(target)
        if target:  # the next separator depends on the gap since the last unit that has English
            previous_end = unit.source_span[1]
    paragraph.target = "".join(parts)


def align_document(document: Document) -> Document:
    for paragraph in document.paragraphs:
        align_paragraph(paragraph)
    return document
