"""Segmentation: paragraph kinds on real news lines, sentence boundaries, the token budget."""

import pytest

from pipeline.ingest import read_document
from pipeline.model import Paragraph
from pipeline.segment import (SegmentOptions, assign_kinds, fit_budget, line_kind, segment_document,
                              segment_paragraph, sentence_spans)

from .helpers import SAMPLE_ARTICLE


def test_kinds_of_the_sample_article():
    document = read_document(SAMPLE_ARTICLE, "karabakh-talks.ar.txt")
    assign_kinds(document.paragraphs)
    assert [p.kind for p in document.paragraphs] == [
        "body", "body", "body", "heading", "body", "body", "body", "body", "body", "body",
        "boilerplate",  # «مجموعة الرؤية الاستراتيجية ...»: the site's name after the last body paragraph
        "caption", "source"]


@pytest.mark.parametrize("line, kind", [
    ("الصورة: الموقع الرسمي لرئيس روسيا الاتحادية", "caption"),        # sample article
    ("صورة: أرشيفية", "caption"),
    ("تصوير: محمد علي", "caption"),
    ("(الصورة: رويترز)", "caption"),
    ("المصدر: تاس", "source"),                                            # sample article
    ("المصدر : وكالات", "source"),
    ("بقلم: سارة محمد", "byline"),
    ("كتب: أحمد حسن", "byline"),
    ("موسكو - ", "dateline"),
    ("القاهرة، 17 فبراير (رويترز) -", "dateline"),
    ("(رويترز) -", "dateline"),
    ("- ارتفاع أسعار النفط", "list_item"),
    ("1. تبادل الأسرى", "list_item"),
    ("اقرأ أيضاً: بوتين يلتقي باشينيان", "boilerplate"),
    ("جميع الحقوق محفوظة", "boilerplate"),
    ('"كل دقيقة تجلب سيارة إسعاف بعض الجثث. أصبحت المياه النظيفة نادرة."', "quote"),  # NTREX telegraph.405422
    ("بحث الرئيس الروسي فلاديمير بوتين ورئيس الوزراء الأرمني نيكول باشينيان، تنفيذ الاتفاقات.", None),
    ("موسكو - بحث الرئيس الروسي فلاديمير بوتين ورئيس الوزراء الأرمني نيكول باشينيان تنفيذ الاتفاقات بشأن ناغورني قره باغ.", None),
])
def test_line_kinds_on_real_lines(line, kind):
    assert line_kind(line) == kind


def test_headline_heading_and_furniture_by_position():
    # NTREX bbc.381646: line 1 is the headline; a short unpunctuated line inside is a sub-heading.
    paragraphs = [Paragraph(f"p{i}", i, text) for i, text in enumerate([
        'أقراص صحراء الجزيرة: شعر توم دالي "بالنقص" حيال هويته الجنسية',
        "يقول الغواص الأولمبي توم دالي أنه كان يشعر بالنقص تجاه الجميع في نشأته بسبب هويته الجنسية.",
        "حول اتفاقيات قره باغ",
        "وبتاريخ 9 نوفمبر/تشرين الثاني 2020، وقّع الرئيس الروسي فلاديمير بوتين على بيان مشترك.",
        "وقال إنه سيعود",  # continues the narrative: not a heading although short and unpunctuated
        "وقّع الرئيس الروسي فلاديمير بوتين على بيان مشترك.",
        "مجموعة الرؤية الاستراتيجية",
    ], start=1)]
    assign_kinds(paragraphs)
    assert [p.kind for p in paragraphs] == ["headline", "body", "heading", "body", "body", "body", "boilerplate"]


def test_input_format_hints_win():
    paragraph = Paragraph("p0001", 1, "بحث الرئيس الروسي فلاديمير بوتين.", kind_hint="heading")
    assign_kinds([paragraph])
    assert paragraph.kind == "heading"


def pieces(text):
    return [text[a:b] for a, b in sentence_spans(text)]


@pytest.mark.parametrize("text, expected", [
    # two sentences of the sample article's third paragraph
    ("أن الزعيمين تطرقا إلى مسألة تبادل أسرى الحرب. وأشار البيان الصحفي إلى أنه",
     ["أن الزعيمين تطرقا إلى مسألة تبادل أسرى الحرب.", "وأشار البيان الصحفي إلى أنه"]),
    ('قائلًا: "ليس الجميع مثلي". في حديثه', ['قائلًا: "ليس الجميع مثلي".', "في حديثه"]),
    ('قال "ليس الجميع مثلي." ثم غادر', ['قال "ليس الجميع مثلي."', "ثم غادر"]),
    ("هل انتهى؟ نعم! انتهى", ["هل انتهى؟", "نعم!", "انتهى"]),
    ("قال إن الاقتصاد، رغم كل شيء، نما", ["قال إن الاقتصاد، رغم كل شيء، نما"]),     # never on «،»
    ("نما بنسبة 3.5 في المئة و٣٫٥ في المئة", ["نما بنسبة 3.5 في المئة و٣٫٥ في المئة"]),
    ("التقى د. أحمد مع أ. محمد في عام 1988 م. في موسكو", ["التقى د. أحمد مع أ. محمد في عام 1988 م. في موسكو"]),
    ("said the U.S. envoy and J. Smith", ["said the U.S. envoy and J. Smith"]),
    ("زوروا www.example.com/a.b للمزيد", ["زوروا www.example.com/a.b للمزيد"]),
    ("راسلوا info@example.com. شكرا", ["راسلوا info@example.com.", "شكرا"]),
    ("1. تبادل الأسرى", ["1. تبادل الأسرى"]),
    ("السطر الأول\nالسطر الثاني", ["السطر الأول", "السطر الثاني"]),  # a soft line break in a .docx paragraph
    # a particle cannot end a sentence («في» V in Roe v. Wade, NTREX) ...
    ("أن تحدد مستقبل روي في. واد، وما إذا", ["أن تحدد مستقبل روي في. واد، وما إذا"]),
    # ... but the same word after another letter name ends a spelled-out acronym, which can
    ("كما ذكرت شبكة سي إن إن. وأضافت الشبكة", ["كما ذكرت شبكة سي إن إن.", "وأضافت الشبكة"]),
    ("عرض على قناة آي تي في. وقال المنتج", ["عرض على قناة آي تي في.", "وقال المنتج"]),
    ("مع من؟ لا أحد يعرف", ["مع من؟", "لا أحد يعرف"]),                 # a question may end in «من»
    # a stray period before a bare prepositional phrase (NTREX: the "D.C." of D.C. Circuit) ...
    ("يعمل قاضيًا بمحكمة الاستئناف. بالعاصمة واشنطن.", ["يعمل قاضيًا بمحكمة الاستئناف. بالعاصمة واشنطن."]),
    # ... but a sentence that opens with a prepositional phrase is a sentence
    ("انتهى الاجتماع. بالإضافة إلى ذلك، قال الوزير", ["انتهى الاجتماع.", "بالإضافة إلى ذلك، قال الوزير"]),
    ("انتهى الاجتماع. للأسف.", ["انتهى الاجتماع.", "للأسف."]),
])
def test_sentence_boundaries(text, expected):
    assert pieces(text) == expected


def test_spans_cover_every_visible_character_once():
    document = read_document(SAMPLE_ARTICLE, "karabakh-talks.ar.txt")
    segment_document(document, SegmentOptions())
    for paragraph in document.paragraphs:
        covered = "".join(unit.source for unit in paragraph.sentences)
        assert "".join(covered.split()) == "".join(paragraph.source.split())
        for unit in paragraph.sentences:
            start, end = unit.source_span
            assert paragraph.source[start:end] == unit.source


def word_budget(limit):
    """A test double for the model tokenizer: one token per word, plus </s>."""
    return lambda text: len(text.split()) + 1 <= limit


def test_budget_split_prefers_semicolon_then_comma_and_keeps_everything():
    text = ("وبحسب الوثيقة، يتوقف الجانبان الأذربيجاني والأرمني كل عند المواقع التي وصل إليها؛ "
            "ونتيجة لهذا الاتفاق خضعت عدة مناطق لسيطرة باكو، كما انتشرت قوات روسية لحفظ السلام.")
    spans = fit_budget(text, (0, len(text)), word_budget(18))
    parts = [text[a:b] for a, b in spans]
    assert parts[0].endswith("؛")  # cut at the semicolon first
    assert all(len(p.split()) + 1 <= 18 for p in parts)
    assert " ".join(parts) == text


def test_an_enormous_sentence_is_cut_into_pieces_within_budget_in_order():
    words = [f"كلمة{i}" for i in range(5000)]
    text = " ".join(words)
    paragraph = Paragraph("p0001", 1, text)
    segment_paragraph(paragraph, SegmentOptions(max_unit_tokens=100),
                      count_tokens=lambda texts: [len(t.split()) + 1 for t in texts])
    assert all(len(unit.model_input.split()) + 1 <= 100 for unit in paragraph.sentences)
    assert all(unit.budget_split for unit in paragraph.sentences)
    assert " ".join(unit.source for unit in paragraph.sentences) == text
    assert [u.id for u in paragraph.sentences][:2] == ["p0001.s01", "p0001.s02"]


def test_model_input_is_normalised_but_source_is_not():
    paragraph = Paragraph("p0001", 1, "وذلك في11 يناير/كانون الثاني ٢٠٢١.")
    segment_paragraph(paragraph, SegmentOptions())
    unit = paragraph.sentences[0]
    assert unit.source == "وذلك في11 يناير/كانون الثاني ٢٠٢١."
    assert unit.model_input == "وذلك في 11 يناير/كانون الثاني 2021."
