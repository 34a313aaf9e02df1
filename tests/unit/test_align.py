"""Sentence translations re-joined into paragraphs, with spans on both sides."""

from pipeline.align import align_paragraph
from pipeline.model import Paragraph, Sentence


def unit(pid, n, source, span, target):
    return Sentence(f"{pid}.s{n:02d}", source, span, source, target=target)


def test_targets_joined_with_spans_that_point_at_each_sentence():
    source = "أن الزعيمين تطرقا إلى مسألة تبادل أسرى الحرب. وأشار البيان الصحفي إلى أنه"
    paragraph = Paragraph("p0003", 3, source, sentences=[
        unit("p0003", 1, source[:46], (0, 46), " The two leaders discussed the exchange of prisoners. "),
        unit("p0003", 2, source[47:], (47, len(source)), "The statement said that"),
    ])
    align_paragraph(paragraph)
    assert paragraph.target == "The two leaders discussed the exchange of prisoners. The statement said that"
    for sentence in paragraph.sentences:
        start, end = sentence.target_span
        assert paragraph.target[start:end] == sentence.target


def test_line_breaks_between_units_are_kept_and_empty_targets_leave_no_double_space():
    source = "السطر الأول\nالسطر الثاني. الثالث"
    paragraph = Paragraph("p0001", 1, source, sentences=[
        unit("p0001", 1, "السطر الأول", (0, 11), "First line"),
        unit("p0001", 2, "السطر الثاني.", (12, 25), ""),
        unit("p0001", 3, "الثالث", (26, 32), "Third"),
    ])
    align_paragraph(paragraph)
    assert paragraph.target == "First line\nThird"
    assert paragraph.sentences[1].target_span[0] == paragraph.sentences[1].target_span[1]
