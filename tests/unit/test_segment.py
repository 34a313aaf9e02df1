"""Segmentation: paragraph kinds on real news lines, units, the token budget (sentence boundaries:
tests/unit/text/test_sentences.py)."""

import pytest

from pipeline.config import SegmentationSettings
from pipeline.ingest import read_document
from pipeline.model import Paragraph
from pipeline.segment import assign_kinds, fit_budget, line_kind, segment_document, segment_paragraph

from ..helpers import SAMPLE_ARTICLE


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
    # on a line of its own, as wires write it: the agency, paper or writer after the dash
    ("القاهرة - رويترز", "dateline"),
    ("عمّان - (أ ف ب) -", "dateline"),
    ("بيروت - «الشرق الأوسط»", "dateline"),
    ("بيروت - كتب: أ. سامر خليل", "dateline"),
    ("واشنطن - وكالات", "dateline"),
    # a desk trial's datelines: an agency with dots, a tatweel as the dash, a date after the dash
    ("باريس - أ.ف.ب", "dateline"), ("برلين - د.ب.أ", "dateline"), ("الخرطوم ـ «القدس العربي»", "dateline"),
    ("القاهرة - 12 مارس 2024 (رويترز)", "dateline"), ("الرياض - 3 يناير 2025", "dateline"),
    ("المصـــدر: سانا", "source"),                                           # tatweel drawn inside the word
    ("الرباط - هسبريس", None),   # an outlet no list knows: not told from «غزة - رفح» (left as it was)
    ("الحرب في غزة - الجزء الثاني", None),                                  # a heading, not a dateline
    ("غزة - من الحرب إلى المجاعة", None), ("ترامب - «لن نتراجع عن الرسوم»", None), ("الاقتصاد المصري - (تحليل)", None),
    ("(رويترز)", "source"), ("(أ ف ب).", "source"),                            # the agency's credit alone
    ("القاهرة - رويترز - قال مسؤولون إن المحادثات ستستمر.", None),             # the story itself
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


def test_a_line_of_figures_and_a_table_cell_are_never_titles():
    paragraphs = [Paragraph(f"p{i}", i, text) for i, text in enumerate([
        "زلزال بقوة 6 درجات", "قال الدفاع المدني إن 12 شخصا قتلوا.", "200", "المنطقة الأكثر تضررا", "الحصيلة",
        "وأضاف أن فرق الإنقاذ تعمل.",
    ], start=1)]
    paragraphs[3].kind_hint = paragraphs[4].kind_hint = "table_cell"
    assign_kinds(paragraphs)
    assert [p.kind for p in paragraphs] == ["headline", "body", "body", "body", "body", "body"]


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


def test_spans_cover_every_visible_character_once():
    document = read_document(SAMPLE_ARTICLE, "karabakh-talks.ar.txt")
    segment_document(document, SegmentationSettings())
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
    segment_paragraph(paragraph, SegmentationSettings(max_unit_tokens=100),
                      count_tokens=lambda texts: [len(t.split()) + 1 for t in texts])
    assert all(len(unit.model_input.split()) + 1 <= 100 for unit in paragraph.sentences)
    assert all(unit.budget_split for unit in paragraph.sentences)
    assert " ".join(unit.source for unit in paragraph.sentences) == text
    assert [u.id for u in paragraph.sentences][:2] == ["p0001.s01", "p0001.s02"]


def test_model_input_is_normalised_but_source_is_not():
    paragraph = Paragraph("p0001", 1, "وذلك في11 يناير/كانون الثاني ٢٠٢١.")
    segment_paragraph(paragraph, SegmentationSettings())
    unit = paragraph.sentences[0]
    assert unit.source == "وذلك في11 يناير/كانون الثاني ٢٠٢١."
    assert unit.model_input == "وذلك في 11 يناير/كانون الثاني 2021."


BODY = "وقال مصدر دبلوماسي إن الخلافات حول الملف اليمني حالت دون التوافق على نص موحد."


@pytest.mark.parametrize("line, kind", [
    # body paragraphs that only lack their final full stop (a desk trial): two sentences, no title
    ("انتهت القمة مساء الأحد. ولم يصدر أي بيان ختامي عنها", "body"),
    ("غادر الوفد القطري مبكراً. ولم يعلق على ذلك", "body"),
    ("هل ينجح الاتفاق؟ وما البديل إذا فشل", "body"),               # a question, and the narrative goes on
    ("انتهت القمة مساء الأحد. لم يصدر أي بيان ختامي عنها", "body"),  # … on with «لم», «كما», «ثم» (regression hunt)
    ("أغلقت المدارس أبوابها. كما توقفت حركة القطارات", "body"),
    ("ارتفعت الأسعار بنسبة كبيرة. ثم عادت إلى الانخفاض", "body"),
    # sub-headings with a period or a question mark inside that ends no sentence of the body
    ("هل ينجح الاتفاق؟ خبراء يجيبون", "heading"),
    ("هل تنجح الهدنة؟ لا أحد يعرف", "heading"),                   # a question and its short answer
    ("ماذا بعد الاتفاق؟ قد يطول الانتظار", "heading"),
    ("حرب غزة. لا هدنة في الأفق", "heading"),                      # a label and its tagline
    ("حرب غزة. واشنطن تضغط", "heading"),                          # «و», a word's first letter (a code review)
    ("قمة الرياض. وفد إيراني يصل", "heading"),
    ("انتخابات 2024. النتائج الأولية", "heading"),                  # a stop of its own (regression hunt)
    ("د. محمد مرسي يفوز بالرئاسة", "heading"),
    ("م. أحمد يفتتح المشروع", "heading"),
    ("النمو يرتفع إلى 3.5 بالمئة", "heading"),
    ("U.S. Army تنسحب من القاعدة", "heading"),
    ("باريس تستضيف قمة ج.م.ع الاقتصادية", "heading"),
])
def test_a_sentence_end_inside_a_short_line_makes_it_body_not_a_heading(line, kind):
    paragraphs = [Paragraph(f"p{i}", i, text) for i, text in enumerate(
        ["انتهاء قمة الرياض دون بيان ختامي", line, BODY], start=1)]
    assign_kinds(paragraphs)
    assert [p.kind for p in paragraphs] == ["headline", kind, "body"]


@pytest.mark.parametrize("first, kind", [
    ("انتهت القمة مساء الأحد. ولم يصدر أي بيان ختامي عنها", "body"),
    # NTREX reuters.218933 and nytimes.184804: the full stop of "U.S." carried into the headline
    ('السفير الأمريكى. يتهم الصين بـ "التسلُّط" عبر "إعلانات دعائية"', "headline"),
    ("الولايات المتحدة الأمريكية. أثقلت معاقبة السلفادور على دعمها للصين، ثم تراجعت", "headline"),
])
def test_a_first_line_is_no_headline_when_the_narrative_goes_on_after_a_sentence(first, kind):
    paragraphs = [Paragraph("p1", 1, first), Paragraph("p2", 2, BODY)]
    assign_kinds(paragraphs)
    assert paragraphs[0].kind == kind


def test_a_line_cut_mid_clause_is_no_heading():
    """A hard-wrapped line read alone (no blank lines in the file to tell paragraphs apart) that
    ends with a particle no sentence ends with is no title."""
    paragraphs = [Paragraph(f"p{i}", i, text) for i, text in enumerate([
        "زلزال يضرب جنوب تركيا", "أكد وزير الداخلية علي يرلي كايا أن فرق الإنقاذ توجهت إلى",
        "المنطقة المتضررة فجر اليوم.", "مجموعة الإنقاذ في"], start=1)]
    assign_kinds(paragraphs)
    assert [p.kind for p in paragraphs] == ["headline", "body", "body", "body"]


def kinds_of(lines: list[str]) -> list[str]:
    """The kinds assign_kinds gives an article of these lines, in order."""
    paragraphs = [Paragraph(f"p{i}", i, text) for i, text in enumerate(lines, start=1)]
    assign_kinds(paragraphs)
    return [p.kind for p in paragraphs]


def test_a_sub_heading_over_a_section_of_bullets_is_a_heading_not_site_text():
    """The article's text ends at its last body paragraph, list item or quotation: a sub-heading
    whose section is bullets and a quotation was site furniture (left out of the published
    article though an editor approved it; a publishing trial)."""
    lines = ["أزمة المياه تتفاقم في غزة مع اشتداد الحر", BODY, "الأرقام الرئيسية",
             "- انخفض إنتاج محطات التحلية بنسبة 80 في المئة.", "- تضرر 65 بئرا من أصل 80 بئرا.",
             "«لا نستطيع أن نطلب من الناس أن يختاروا بين الشرب والاستحمام».",
             "الصورة: أطفال يملؤون أوعية المياه في خان يونس.", "شارك المقال"]
    assert kinds_of(lines) == ["headline", "body", "heading", "list_item", "list_item", "quote", "caption",
                               "boilerplate"]


def test_a_sites_lists_of_other_articles_after_the_article_stay_furniture():
    """Unpunctuated headlines of other articles under «أخبار ذات صلة» / «الأكثر قراءة» at the end
    are not the article's text: the lines over them stay site text, never sub-headings (a
    regression hunt found them published as '## …' when every list item counted)."""
    lines = ["بوتين وباشينيان يبحثان اتفاقات قره باغ", BODY, "سكاي نيوز عربية", "أخبار ذات صلة",
             "- أذربيجان تعلن استعادة السيطرة على مدينة شوشا", "- أرمينيا تتهم أذربيجان بخرق وقف إطلاق النار",
             "الأكثر قراءة", "- ارتفاع أسعار النفط في الأسواق العالمية"]
    assert kinds_of(lines) == ["headline", "body", "boilerplate", "boilerplate", "list_item", "list_item",
                               "boilerplate", "list_item"]


def test_an_articles_closing_sub_heading_over_unpunctuated_bullets_stays_a_heading():
    # A regression hunt: with only punctuated list items counted as the article's text, its own
    # closing key points made the sub-heading over them site text.
    lines = ["اتفاق على هدنة في غزة", BODY, "أبرز بنود الاتفاق", "- وقف إطلاق النار لمدة ستة أسابيع",
             "- تبادل الأسرى على ثلاث مراحل"]
    assert kinds_of(lines) == ["headline", "body", "heading", "list_item", "list_item"]
