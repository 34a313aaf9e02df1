"""Sentence boundaries: Arabic news copy (on real lines, NTREX and the sample) and English."""

import pytest

from pipeline.text.sentences import english_sentences, sentence_spans


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
    # an era mark after a year ends the sentence when the next word can only open a clause, as «1946م.» does
    ("ولد في ٢٦ فبراير ١٩٤٦ م. ثم انتقل إلى الإسكندرية.", ["ولد في ٢٦ فبراير ١٩٤٦ م.", "ثم انتقل إلى الإسكندرية."]),
    ("ولد عام 1946م. ثم انتقل إلى القاهرة.", ["ولد عام 1946م.", "ثم انتقل إلى القاهرة."]),
    ("يعود المعبد إلى عام 500 ق.م. وقد اكتشف عام 1922.", ["يعود المعبد إلى عام 500 ق.م.", "وقد اكتشف عام 1922."]),
    # … and only then: a word with «و» / «ف» may be a verb of its own or go on (regression hunt)
    ("توفي عام 1445 هـ. ودفن في المدينة المنورة.", ["توفي عام 1445 هـ. ودفن في المدينة المنورة."]),
    ("وفي عام 1453 م. فتح العثمانيون القسطنطينية.", ["وفي عام 1453 م. فتح العثمانيون القسطنطينية."]),
    ("في عام 1969 م. وصل الإنسان إلى القمر.", ["في عام 1969 م. وصل الإنسان إلى القمر."]),
    ("حكموا مصر من عام 1517 م. وحتى عام 1798 م.", ["حكموا مصر من عام 1517 م. وحتى عام 1798 م."]),
    # the article joined to a Latin acronym, and an initial typed with a space before its period
    ("وقال مسؤول في الـU.S. Army إن الجنود عادوا.", ["وقال مسؤول في الـU.S. Army إن الجنود عادوا."]),
    ("قال د.محمد إن الوضع صعب. وأضاف د . علي أن الحل قريب.", ["قال د.محمد إن الوضع صعب.", "وأضاف د . علي أن الحل قريب."]),
])
def test_sentence_boundaries(text, expected):
    assert pieces(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("The talks ended. Both sides agreed.", ["The talks ended.", "Both sides agreed."]),
    ('He said "no." Then he left.', ['He said "no."', "Then he left."]),
    ("It rose 3.5 per cent. In 2021 it fell.", ["It rose 3.5 per cent.", "In 2021 it fell."]),
    ("See e.g. the report.", ["See e.g. the report."]),                       # no capital after it
])
def test_english_sentences(text, expected):
    assert english_sentences(text) == expected


def test_a_paragraph_of_a_megabyte_is_cut_in_time_that_grows_with_its_length_not_its_square(tmp_path):
    """A file without line breaks is one paragraph: every period used to search the paragraph from
    its start (200,000 characters took 32 s, a megabyte minutes; the input limit allows 50 MB). Read
    and segmented here as `translate` does, from a real file."""
    import time

    from pipeline.config import SegmentationSettings
    from pipeline.ingest import read_document
    from pipeline.segment import segment_document

    sentence = "بدورها، أعلنت الحكومة الأرمنية في بيان لمكتبها الصحفي، أن الزعيمين تطرقا إلى مسألة تبادل أسرى الحرب. "
    path = tmp_path / "one-line.txt"
    path.write_text(sentence * 3000 + "وقال د. أحمد في عام 1988 م. ثم غادر", encoding="utf-8")  # 550 KB, one line
    started = time.perf_counter()
    document = segment_document(read_document(path, "one-line.txt"), SegmentationSettings())
    # a guard against quadratic time (minutes before the fix) with room for any machine, not a speed figure
    assert time.perf_counter() - started < 20
    units = document.paragraphs[0].sentences
    assert len(units) == 3002 and units[-2].source == "وقال د. أحمد في عام 1988 م." and units[-1].source == "ثم غادر"


@pytest.mark.parametrize("text", ["بحث " + "!" * 100_000, "بحث " + "." * 100_000 + "x"])
def test_a_long_run_of_marks_is_one_pass(text):
    import time

    started = time.perf_counter()
    sentence_spans(text)  # each mark of the run tried the rest of it: 20,000 «!» took 6 s, 100,000 minutes
    assert time.perf_counter() - started < 5


def test_english_of_many_brackets_before_capitals_is_one_pass():
    import time

    started = time.perf_counter()
    assert len(english_sentences("x) A " * 50_000)) == 1  # 20,000 took 3.6 s
    assert time.perf_counter() - started < 5
