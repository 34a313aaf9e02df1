"""Reading articles: encodings detected, not assumed; every non-empty paragraph kept, in order."""

import codecs
import random
import textwrap
from pathlib import Path

import docx

import pytest

from pipeline.errors import InputError, UnsupportedInput
from pipeline.ingest import read_document

from ..helpers import DATA, SAMPLE_ARTICLE

SAMPLE_LINES = [line.strip() for line in SAMPLE_ARTICLE.read_text(encoding="utf-8").splitlines() if line.strip()]


def sources(document):
    return [paragraph.source for paragraph in document.paragraphs]


@pytest.mark.parametrize("encoding, bom, expected_name", [
    ("utf-8", b"", "UTF-8"),
    ("utf-8", codecs.BOM_UTF8, "UTF-8 with BOM"),
    ("utf-16-le", codecs.BOM_UTF16_LE, "UTF-16-LE"),
    ("utf-16-be", codecs.BOM_UTF16_BE, "UTF-16-BE"),
    ("cp1256", b"", "Windows-1256"),
    # Saved without a byte-order mark (read as UTF-8 its ASCII halves passed: "no Arabic text").
    ("utf-16-le", b"", "UTF-16-LE without byte-order mark"),
    ("utf-16-be", b"", "UTF-16-BE without byte-order mark"),
])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_text_encodings_and_line_endings(tmp_path, encoding, bom, expected_name, newline):
    path = tmp_path / "article.txt"
    path.write_bytes(bom + newline.join(SAMPLE_LINES).encode(encoding))
    document = read_document(path, "article.txt")
    assert document.encoding == expected_name
    assert sources(document) == SAMPLE_LINES


@pytest.mark.parametrize("damage", ["a byte flipped", "cut off mid-letter"])
def test_a_damaged_utf8_file_stays_utf8_with_the_damage_shown_and_said(tmp_path, damage):
    """One bad byte made the whole file a wrong guess of Windows-1256: every letter garbled,
    translated as nonsense, exit 0. Now the damage is U+FFFD where it is, and a notice."""
    data = "\n".join(SAMPLE_LINES).encode("utf-8")
    if damage == "a byte flipped":
        at = data.index("الكرملين".encode("utf-8"))
        data = data[:at] + b"\xff" + data[at + 2:]  # the first letter's two bytes → one bad byte
    else:
        data = data[:-1]  # the last letter's second byte gone
    path = tmp_path / "damaged.txt"
    path.write_bytes(data)
    document = read_document(path, "damaged.txt")
    assert document.encoding == "UTF-8"
    assert document.notices == ["1 byte sequence(s) not valid UTF-8 (a damaged or cut-off file) shown as \ufffd"]
    assert [p.source.replace("\ufffd", "") for p in document.paragraphs][1:-1] == [
        line.replace("الكرملين", "لكرملين", 1) if damage == "a byte flipped" else line for line in SAMPLE_LINES[1:-1]]
    assert "\ufffd" in "".join(sources(document)) and "ط§ظ" not in "".join(sources(document))


@pytest.mark.parametrize("mixture", ["a Windows-1256 word in a UTF-8 line", "a Windows-1256 line in a UTF-8 file",
                                     "a UTF-8 line in a Windows-1256 file"])
def test_a_file_mixing_utf8_and_windows_1256_is_read_word_by_word(tmp_path, mixture):
    """Copy pasted from an old Windows-1256 file into a UTF-8 one: one such word made the whole
    file Windows-1256, every UTF-8 letter garbled («ط²ظ„ط²ط§ظ„»), no notice, exit 0."""
    lines = SAMPLE_LINES[:3]
    if mixture == "a Windows-1256 word in a UTF-8 line":
        word = lines[1].split()[2]
        data = "\n".join(lines).encode("utf-8").replace(word.encode("utf-8"), word.encode("cp1256"), 1)
        pasted = [2]
    elif mixture == "a Windows-1256 line in a UTF-8 file":
        data = "\n".join(lines[:2]).encode("utf-8") + b"\n" + lines[2].encode("cp1256")
        pasted = [3]
    else:
        data = "\n".join(lines[:2]).encode("cp1256") + b"\n" + lines[2].encode("utf-8")
        pasted = [1, 2]
    path = tmp_path / "mixed.txt"
    path.write_bytes(data)
    document = read_document(path, "mixed.txt")
    assert sources(document) == lines
    assert document.encoding == "UTF-8 and Windows-1256"
    assert document.notices == [f"the file mixes two encodings: words on line(s) {', '.join(map(str, pasted))} are not "
                                "UTF-8 and were read as Windows-1256, the rest as UTF-8"]


def test_latin_names_and_quotation_marks_around_a_pasted_word_are_not_arabic(tmp_path):
    """A Windows-1252 name in a UTF-8 article became «Sلnchez»; UTF-8 «» touching a Windows-1256
    word became «آ«»."""
    path = tmp_path / "names.txt"
    path.write_bytes("قال المدرب ".encode() + "Sánchez García".encode("cp1252") + " إن الفريق جاهز.\n".encode()
                     + "وقال إن ".encode() + "«".encode() + "الاقتصاد".encode("cp1256") + "»".encode()
                     + " يتحسن.\n".encode())
    document = read_document(path, "names.txt")
    assert sources(document) == ["قال المدرب Sánchez García إن الفريق جاهز.", "وقال إن «الاقتصاد» يتحسن."]
    assert document.encoding == "UTF-8 and Windows-1256 and Windows-1252"
    assert len(document.notices) == 2 and "line(s) 1 are not UTF-8 and were read as Windows-1252" in document.notices[1]


def test_a_latin1_english_file_is_not_read_as_windows_1256(tmp_path):
    """«straße» in Windows-1256 is «straكe»: one Arabic letter made an English file an article."""
    path = tmp_path / "latin1.txt"
    path.write_bytes("Café résumé naïve, über straße.\n".encode("latin-1"))
    with pytest.raises(InputError, match="not UTF-8/UTF-16/Windows-1256 text"):
        read_document(path, "latin1.txt")


def test_windows_1256_detected_from_a_short_file(tmp_path):
    path = tmp_path / "short.txt"
    path.write_bytes("المصدر: تاس".encode("cp1256"))
    assert sources(read_document(path, "short.txt")) == ["المصدر: تاس"]


@pytest.mark.parametrize("line", ["بحث الرئيس", "قمة الرياض", "وأشار الكرملين إلى أن المحادثات ستستمر."])
def test_a_short_iso_8859_6_file_is_not_read_as_windows_1256(tmp_path, line):
    """A caption saved as ISO-8859-6 was read as Windows-1256, «بحث الرئيس» as «بحث انرئêس», and
    translated so, exit 0: the two code pages share the bytes of most letters, not of ل ق ك م ن ه
    و ى ي, which Windows-1256 reads as «á â ç è é ê ë» or as other letters."""
    path = tmp_path / "caption.txt"
    path.write_bytes(line.encode("iso8859_6"))
    document = read_document(path, "caption.txt")
    assert (sources(document), document.encoding) == ([line], "ISO-8859-6")


@pytest.mark.parametrize("line", ["ولكني لم", "يقل", "فهم", "وقد تم", "وأضاف", "قال \"لقد", "لا، لا، لا،"])
def test_a_short_iso_8859_6_file_is_not_read_as_a_dos_code_page_either(tmp_path, line):
    """charset-normalizer named DOS-720 for a few words of ISO-8859-6 — «ولكني لم» read as «كغعµم
    غف», «يقل» as «مظغ» — or IBM-864, whose letters came out as presentation forms in the wrong
    shapes («وقد تم» as «ﻭﻗﺩ ﺗﻣ»); and «لا، لا،» went through as Windows-1256's «نا¬ نا¬» (30 of 294
    NTREX snippets of one to ten words read wrong, 11 now: all Windows-1256 letters for letters)."""
    path = tmp_path / "caption.txt"
    path.write_bytes(line.encode("iso8859_6"))
    document = read_document(path, "caption.txt")
    assert (sources(document), document.encoding) == ([line], "ISO-8859-6")


@pytest.mark.parametrize("line", ["ولكني لم", "وقد تم", "لا، لا، لا،", "قال \"لقد"])
def test_the_same_words_in_windows_1256_stay_windows_1256(tmp_path, line):
    path = tmp_path / "caption.txt"
    path.write_bytes(line.encode("cp1256"))
    document = read_document(path, "caption.txt")
    assert (sources(document), document.encoding) == ([line], "Windows-1256")


def test_ids_indexes_and_blank_lines(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("\n\nالسطر الأول\n   \n\u200f\u200e\nالسطر الثاني  \n", encoding="utf-8")
    document = read_document(path, "a.txt")
    assert [(p.id, p.index, p.source) for p in document.paragraphs] == [
        ("p0001", 1, "السطر الأول"), ("p0002", 2, "السطر الثاني")]
    assert len(document.source_sha256) == 64 and document.format == "txt"


WRAPPED = """زلزال بقوة 6.2 درجة يضرب جنوب تركيا
أنقرة - الأناضول

ضرب زلزال بلغت قوته 6.2 درجة على مقياس ريختر ولاية هطاي
جنوبي تركيا فجر اليوم، وفق ما أعلنته إدارة الكوارث والطوارئ
التركية (آفاد)، دون ورود أنباء فورية عن سقوط ضحايا.

وقال وزير الداخلية علي يرلي كايا إن فرق الإنقاذ توجهت إلى
المنطقة المتضررة، مضيفاً أن ٢٣ هزة ارتدادية سجلت حتى الساعة
السابعة صباحاً بالتوقيت المحلي.
وأضاف أن الفرق تعمل.

وشملت المناطق المتضررة بحسب بيان الإدارة الصادر صباح اليوم:
- أنطاكيا
- إسكندرون
"""


def test_a_hard_wrapped_text_file_is_read_a_paragraph_at_a_time(tmp_path):
    """Blank lines between paragraphs and lines broken mid-sentence inside them: every wrapped
    line was a paragraph of its own, some of them headings. A line broken mid-sentence that fills
    the width is joined with the next; a title, a dateline, a sentence's end, a list stay lines."""
    path = tmp_path / "wrapped.txt"
    path.write_text(WRAPPED, encoding="utf-8")
    document = read_document(path, "wrapped.txt")
    assert sources(document) == [
        "زلزال بقوة 6.2 درجة يضرب جنوب تركيا", "أنقرة - الأناضول",
        "ضرب زلزال بلغت قوته 6.2 درجة على مقياس ريختر ولاية هطاي جنوبي تركيا فجر اليوم، وفق ما أعلنته إدارة "
        "الكوارث والطوارئ التركية (آفاد)، دون ورود أنباء فورية عن سقوط ضحايا.",
        "وقال وزير الداخلية علي يرلي كايا إن فرق الإنقاذ توجهت إلى المنطقة المتضررة، مضيفاً أن ٢٣ هزة ارتدادية "
        "سجلت حتى الساعة السابعة صباحاً بالتوقيت المحلي.",
        "وأضاف أن الفرق تعمل.", "وشملت المناطق المتضررة بحسب بيان الإدارة الصادر صباح اليوم:", "- أنطاكيا", "- إسكندرون"]
    assert document.notices == ["the file is hard-wrapped: 4 line break(s) inside paragraphs (blank lines between "
                                "them) joined, each paragraph read whole"]


def _fold_bytes(paragraph: str, width: int) -> list[str]:
    """`fold -s -w width`: lines of at most `width` UTF-8 bytes, broken at spaces."""
    lines, line = [], ""
    for word in paragraph.split():
        if line and len(f"{line} {word}".encode()) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return lines + [line]


@pytest.mark.parametrize("wrap", [
    lambda text: _fold_bytes(text, 120),                      # fold -w: bytes, two to an Arabic letter
    lambda text: _fold_bytes(text, 99),                       # fold -s -w 100: 99 once its space is stripped
    lambda text: textwrap.wrap(text, 72),                     # an e-mail client: characters
    lambda text: textwrap.wrap(text, 62),                     # … not filled to the limit, as fmt balances lines
])
def test_hard_wrapped_text_is_joined_however_the_tool_counted_and_with_a_list_in_it(tmp_path, wrap):
    # A regression hunt: files wrapped by bytes or by fmt, or with a list whose items end
    # sentences, were read a line at a time again.
    paragraphs = [SAMPLE_LINES[i] for i in (2, 4, 7)]
    items = ["- انخفض إنتاج محطات التحلية بنسبة 80 في المئة.", "- تضرر 65 بئرا من أصل 80 بئرا.",
             "- يحتاج القطاع إلى 40 مليون دولار لإصلاح الشبكة."]
    text = "\n\n".join(["زلزال بقوة 6.2 درجة يضرب جنوب تركيا", *("\n".join(wrap(p)) for p in paragraphs),
                        "\n".join(items)]) + "\n"
    path = tmp_path / "wrapped.txt"
    path.write_text(text, encoding="utf-8")
    document = read_document(path, "wrapped.txt")
    assert sources(document) == ["زلزال بقوة 6.2 درجة يضرب جنوب تركيا", *paragraphs, *items]
    assert document.notices and document.notices[0].startswith("the file is hard-wrapped")


@pytest.mark.parametrize("openings", [("(1) ", "(2) ", "(3) "), ("أولاً: ", "ثانياً: ", "ثالثاً: "), ("۱- ", "۲- ", "۳- ")])
def test_a_wrapped_files_list_items_numbered_any_way_stay_items(tmp_path, openings):
    """Reading knew fewer list openings than the kinds do: «ثانياً: …» (ordinal words) was taken
    for the wrapped rest of the item above it and joined to it."""
    paragraphs = [SAMPLE_LINES[i] for i in (2, 4, 7)]
    items = [opening + item for opening, item in zip(openings, ["انخفض إنتاج محطات التحلية بنسبة 80 في المئة.",
                                                                 "تضرر 65 بئرا من أصل 80 بئرا.",
                                                                 "يحتاج القطاع إلى 40 مليون دولار لإصلاح الشبكة."])]
    text = "\n\n".join(["زلزال بقوة 6.2 درجة يضرب جنوب تركيا", *("\n".join(textwrap.wrap(p, 62)) for p in paragraphs),
                        "\n".join(items)]) + "\n"
    path = tmp_path / "wrapped.txt"
    path.write_text(text, encoding="utf-8")
    document = read_document(path, "wrapped.txt")
    assert sources(document) == ["زلزال بقوة 6.2 درجة يضرب جنوب تركيا", *paragraphs, *items]


@pytest.mark.parametrize("text", [
    WRAPPED.replace("\n\n", "\n"),                  # no blank line anywhere: one paragraph per line, as ever
    "\n\n".join(SAMPLE_LINES),                      # blank lines, but every paragraph is one line
    # A regression hunt's shapes, each joined once: one blank line after the headline, then a
    # paragraph a line, two without their full stop (the next line's first word fits after them)
    "الحكومة تتعهد بخفض الأسعار\n\nتعهدت الحكومة اليوم الأحد بخفض أسعار المواد الغذائية الأساسية خلال الأشهر "
    "الثلاثة المقبلة، وسط احتجاجات في عدة مدن.\nوقال رئيس الوزراء في مؤتمر صحفي عقده في العاصمة: «لن نترك "
    "المواطن وحده في مواجهة الغلاء»\nوأضاف أن الحكومة ستخصص مليار دولار لدعم السلع الأساسية.\nولم يصدر تعليق "
    "فوري من المعارضة على هذه الخطة التي طال انتظارها منذ بداية الأزمة\nوكانت الأسعار قد ارتفعت بنسبة ٤٠٪.\n",
    # a headline over its dateline; a question over its answer; lines of verse
    "الرئيس يعلن خطة لمكافحة التضخم\nالقاهرة - رويترز\nأعلن الرئيس اليوم خطة لمكافحة التضخم.\n\nوقال إن الخطة "
    "تبدأ الشهر المقبل.\n",
    "مقابلة مع وزير الاقتصاد\n\nس: ما هي أولويات الحكومة في العام المقبل برأيكم\nج: خفض التضخم وزيادة فرص "
    "العمل.\n\nس: وماذا عن الدين العام\nج: سنعمل على خفضه تدريجياً.\n",
    "أمسية شعرية\n\nيا وطني الحبيب يا أرض الأجداد\nيا نبع الخير في كل البلاد\nيا موطن العز والمجد التليد\n"
    "سنبقى على العهد مهما طال الزمن.\n\nوقال الشاعر إن القصيدة كتبت في المنفى.\n",
])
def test_a_text_file_not_hard_wrapped_is_one_paragraph_per_line(tmp_path, text):
    path = tmp_path / "a.txt"
    path.write_text(text, encoding="utf-8")
    document = read_document(path, "a.txt")
    assert sources(document) == [line for line in text.splitlines() if line] and document.notices == []


@pytest.mark.parametrize("content, reason", [
    (b"", "empty"),
    (b"  \n\r\n\t ", "empty"),
    ("\n\u200f\n".encode(), "empty (whitespace only)"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256)) * 4, "not UTF-8/UTF-16/Windows-1256 text"),
    # Compressed, encrypted or random bytes named .txt were translated as "UTF-8 and Windows-1256
    # and Windows-1252": their short runs pass as UTF-8 Arabic words (301 rows of garbage, exit 0).
    (random.Random(1).randbytes(20_000), "not UTF-8/UTF-16/Windows-1256 text"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + random.Random(2).randbytes(50_000), "not UTF-8/UTF-16/Windows-1256 text"),
])
def test_unreadable_text_is_one_clear_reason(tmp_path, content, reason):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        read_document(path, "bad.txt")
    assert caught.value.reason == reason
    assert str(caught.value) == f"{path}: {reason}"


def test_unsupported_kinds_are_named(tmp_path):
    for name in ("photo.jpg", "notes"):
        path = tmp_path / name
        path.write_bytes(b"x")
        with pytest.raises(UnsupportedInput, match="not an article"):
            read_document(path, name)


def test_markdown_blocks_and_hints(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("# العنوان الرئيسي\n\nفقرة أولى\nتكملة السطر\n\n## عنوان فرعي\n\n- بند أول\n- بند ثان\n\n"
                    "> اقتباس طويل\n", encoding="utf-8")
    document = read_document(path, "a.md")
    assert [(p.source, p.kind_hint) for p in document.paragraphs] == [
        ("العنوان الرئيسي", "headline"), ("فقرة أولى تكملة السطر", None), ("عنوان فرعي", "heading"),
        ("بند أول", "list_item"), ("بند ثان", "list_item"), ("اقتباس طويل", "quote")]


def test_markdown_markup_is_not_text_and_an_ordered_item_keeps_its_number(tmp_path):
    """Emphasis marks and link syntax reached the Arabic column and the model («**نيروبي - خاص**»),
    and «1.» of a numbered list was lost. A link keeps its address (protected like any URL), and
    what only looks like a tag («x<y>z») stays text."""
    path = tmp_path / "a.md"
    path.write_text("**نيروبي - خاص**\n\nقال إن *الوقت ينفد* وزار [موقع البرنامج](https://example.org/x).\n\n"
                    "1. المرحلة الأولى\n2. المرحلة **الثانية**\n\n<div>نص داخل عنصر</div>\n\nقارن x<y>z و<b>هذا</b>\n",
                    encoding="utf-8")
    document = read_document(path, "a.md")
    assert [(p.source, p.kind_hint) for p in document.paragraphs] == [
        ("نيروبي - خاص", None), ("قال إن الوقت ينفد وزار موقع البرنامج (https://example.org/x).", None),
        ("1. المرحلة الأولى", "list_item"), ("2. المرحلة الثانية", "list_item"), ("نص داخل عنصر", None),
        ("قارن x<y>z وهذا", None)]


def test_markdown_front_matter_is_named_not_translated_and_a_picture_alone_is_a_caption(tmp_path):
    """YAML front matter became one heading («title: ... author: ...»), a picture's alt text a
    heading. The front matter is the site's metadata: left out and named; the alt text of a picture
    alone in its paragraph describes it: a caption."""
    path = tmp_path / "a.md"
    path.write_text('---\ntitle: "الحكومة تعلن خطة إنقاذ"\nauthor: سارة علي\ntags: [اقتصاد, حكومة]\n---\n\n'
                    "أعلنت الحكومة خطة إنقاذ اقتصادي شاملة.\n\n![مخيم للنازحين قرب الجنينة](camp.jpg)\n\n"
                    "وقال الوزير إن ![شعار](logo.png) الخطة تبدأ غدا.\n\n---\n\nنص بعد فاصل.\n", encoding="utf-8")
    document = read_document(path, "a.md")
    assert [(p.source, p.kind_hint) for p in document.paragraphs] == [
        ("أعلنت الحكومة خطة إنقاذ اقتصادي شاملة.", None), ("مخيم للنازحين قرب الجنينة", "caption"),
        ("وقال الوزير إن شعار الخطة تبدأ غدا.", None), ("نص بعد فاصل.", None)]
    assert document.notices == ["front matter not translated (5 lines of metadata at the top of the file)"]
    # With Windows line ends too; and an article that opens with a rule, with another further
    # down, keeps the text between them (a code review: it was taken for front matter)
    path.write_text(path.read_text(encoding="utf-8").replace("\n", "\r\n"), encoding="utf-8", newline="")
    assert read_document(path, "a.md").notices == ["front matter not translated (5 lines of metadata at the top of the file)"]
    path.write_text("---\n\nأعلنت الحكومة خطة إنقاذ.\n\n---\n\nنص بعد فاصل.\n", encoding="utf-8")
    assert sources(read_document(path, "a.md")) == ["أعلنت الحكومة خطة إنقاذ.", "نص بعد فاصل."]


def make_docx(path: Path) -> None:
    word = docx.Document()
    word.add_heading("محادثات قره باغ", level=0)           # style "Title"
    word.add_paragraph("بوتين وباشينيان يبحثان تنفيذ الاتفاقات", style="Subtitle")  # a sub-heading, not a second headline
    word.add_paragraph("بحث الرئيس الروسي فلاديمير بوتين.")
    word.add_paragraph("")
    word.add_heading("حول اتفاقيات قره باغ", level=1)       # style "Heading 1"
    word.add_paragraph("بند في قائمة", style="List Bullet")
    table = word.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "خلية أولى"
    table.cell(0, 1).text = "خلية ثانية"
    word.add_paragraph("المصدر: تاس")
    word.save(path)


def test_docx_body_in_order_with_style_hints_and_tables(tmp_path):
    path = tmp_path / "a.docx"
    make_docx(path)
    document = read_document(path, "a.docx")
    assert [(p.source, p.kind_hint) for p in document.paragraphs] == [
        ("محادثات قره باغ", "headline"), ("بوتين وباشينيان يبحثان تنفيذ الاتفاقات", "heading"),
        ("بحث الرئيس الروسي فلاديمير بوتين.", None),
        ("حول اتفاقيات قره باغ", "heading"), ("بند في قائمة", "list_item"),
        ("خلية أولى", "table_cell"), ("خلية ثانية", "table_cell"), ("المصدر: تاس", None)]
    assert document.format == "docx" and document.encoding is None and document.notices == []


def test_docx_tracked_changes_read_as_accepted(tmp_path):
    path = tmp_path / "tracked.docx"
    word = docx.Document()
    paragraph = word.add_paragraph("بحث ")
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    from lxml import etree
    ins = etree.fromstring(f'<w:ins xmlns:w="{w}" w:id="1" w:author="ed" w:date="2024-01-01T00:00:00Z">'
                           f'<w:r><w:t>الرئيس</w:t></w:r></w:ins>')
    dele = etree.fromstring(f'<w:del xmlns:w="{w}" w:id="2" w:author="ed" w:date="2024-01-01T00:00:00Z">'
                            f'<w:r><w:delText> القديم</w:delText></w:r></w:del>')
    paragraph._p.append(ins)
    paragraph._p.append(dele)
    word.save(path)
    assert sources(read_document(path, "tracked.docx")) == ["بحث الرئيس"]


W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def w_paragraph(text):
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def w_cell(content):
    return f"<w:tc>{content}</w:tc>"


def test_docx_text_inside_content_controls_and_custom_xml_is_read_in_order(tmp_path):
    """Newsroom templates put the story in content controls (w:sdt): python-docx's
    iter_inner_content and cell.paragraphs see only direct w:p / w:tbl, and the body was dropped
    without a word. A control around a paragraph, a table, a row, a cell, or inside a cell; and
    custom XML (w:customXml) around a paragraph."""
    from docx.oxml import parse_xml

    word = docx.Document()
    word.add_paragraph("وزير الخارجية يزور دمشق", style="Title")
    body = word.element.body
    blocks = [
        f'<w:sdt {W_NS}><w:sdtPr><w:alias w:val="نص الخبر"/><w:id w:val="1"/></w:sdtPr><w:sdtContent>'
        + w_paragraph("وصل وزير الخارجية إلى دمشق صباح اليوم.")
        + "<w:tbl><w:tr>" + w_cell(w_paragraph("عدد اللاجئين")) + w_cell(w_paragraph("١٫٥ مليون")) + "</w:tr></w:tbl>"
        + "</w:sdtContent></w:sdt>",
        f'<w:customXml {W_NS} w:element="story">' + w_paragraph("وأضاف أن العجز سينخفض إلى ٣٪.") + "</w:customXml>",
        f"<w:tbl {W_NS}><w:tr>" + w_cell(w_paragraph("الحزب"))
        + w_cell("<w:sdt><w:sdtContent>" + w_paragraph("عدد المقاعد ٤٥") + "</w:sdtContent></w:sdt>") + "</w:tr>"
        + "<w:sdt><w:sdtContent><w:tr>" + w_cell(w_paragraph("حزب الوسط"))
        + "<w:sdt><w:sdtContent>" + w_cell(w_paragraph("١٢")) + "</w:sdtContent></w:sdt>"
        + "</w:tr></w:sdtContent></w:sdt></w:tbl>",
    ]
    for block in blocks:
        body.insert(len(body) - 1, parse_xml(block))  # before the section properties
    word.add_paragraph("وتأتي الزيارة بعد قطيعة استمرت سنوات.")
    path = tmp_path / "sdt.docx"
    word.save(path)
    assert [(p.source, p.kind_hint) for p in read_document(path, "sdt.docx").paragraphs] == [
        ("وزير الخارجية يزور دمشق", "headline"), ("وصل وزير الخارجية إلى دمشق صباح اليوم.", None),
        ("عدد اللاجئين", "table_cell"), ("١٫٥ مليون", "table_cell"), ("وأضاف أن العجز سينخفض إلى ٣٪.", None),
        ("الحزب", "table_cell"), ("عدد المقاعد ٤٥", "table_cell"), ("حزب الوسط", "table_cell"), ("١٢", "table_cell"),
        ("وتأتي الزيارة بعد قطيعة استمرت سنوات.", None)]


def test_docx_merged_cells_are_read_once(tmp_path):
    """python-docx's row.cells returns a vertically merged cell (w:vMerge) for every row it spans
    and a horizontally merged one (w:gridSpan) for every grid column: «نينوى» was three
    paragraphs. Each cell's text is read once, where the cell starts."""
    word = docx.Document()
    word.add_paragraph("نتائج الانتخابات البرلمانية في المحافظات الشمالية")
    table = word.add_table(rows=4, cols=3)
    rows = [("المحافظة", "الحزب", "المقاعد"), ("نينوى", "الحزب الأول", "١٢"), ("", "الحزب الثاني", "٨"),
            ("المجموع", "", "٢٤")]
    for i, row in enumerate(rows):
        for j, text in enumerate(row):
            if text:
                table.cell(i, j).text = text
    table.cell(1, 0).merge(table.cell(2, 0))  # w:vMerge over two rows
    table.cell(3, 0).merge(table.cell(3, 1))  # w:gridSpan over two columns
    assert table.rows[2].cells[0].text == "نينوى" and table.rows[3].cells[1].text == "المجموع"  # the trap
    word.add_paragraph("وقالت المفوضية إن نسبة المشاركة بلغت ٤١٪.")
    path = tmp_path / "merged.docx"
    word.save(path)
    assert sources(read_document(path, "merged.docx")) == [
        "نتائج الانتخابات البرلمانية في المحافظات الشمالية", "المحافظة", "الحزب", "المقاعد", "نينوى", "الحزب الأول",
        "١٢", "الحزب الثاني", "٨", "المجموع", "٢٤", "وقالت المفوضية إن نسبة المشاركة بلغت ٤١٪."]


def numbered(paragraph, num_id, level=0):
    from docx.oxml import parse_xml

    paragraph._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr {W_NS}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'))
    return paragraph


def test_docx_lists_by_numbering_properties_are_list_items_with_their_numbers(tmp_path):
    """LibreOffice and most editors write a list as Normal / Text Body paragraphs with w:numPr:
    they became headings or boilerplate. Numbering on the paragraph or its style makes a list
    item; a decimal number is kept as shown (levels, w:start), other formats are not worked out;
    numId 0 and LibreOffice's outline numbering of headings (format "none") are no list."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import parse_xml

    word = docx.Document()
    numbering = word.part.numbering_part.element
    levels = [("decimal", "%1.", 1), ("decimal", "%1.%2", 1), ("lowerLetter", "%3)", 1)]
    definitions = [
        (90, "".join(f'<w:lvl w:ilvl="{i}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl>'
                     for i, (fmt, text, start) in enumerate(levels))),
        (91, '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="\uf0b7"/></w:lvl>'),
        (92, '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="none"/><w:lvlText w:val=""/></w:lvl>'),
        (93, '<w:lvl w:ilvl="0"><w:start w:val="4"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1-"/></w:lvl>'),
    ]
    for number, levels_xml in reversed(definitions):
        numbering.insert(0, parse_xml(f'<w:abstractNum {W_NS} w:abstractNumId="{number}">{levels_xml}</w:abstractNum>'))
        numbering.append(parse_xml(f'<w:num {W_NS} w:numId="{number}"><w:abstractNumId w:val="{number}"/></w:num>'))
    bullets = word.styles.add_style("نقاط الخبر", WD_STYLE_TYPE.PARAGRAPH)
    bullets.element.get_or_add_pPr().append(parse_xml(f'<w:numPr {W_NS}><w:numId w:val="91"/></w:numPr>'))
    outline = word.styles["Heading 1"]
    outline.element.get_or_add_pPr().append(parse_xml(f'<w:numPr {W_NS}><w:numId w:val="92"/></w:numPr>'))

    word.add_paragraph("قال الجيش إنه قصف مواقع عدة في المنطقة.")
    word.add_paragraph("وشملت الأهداف:")
    numbered(word.add_paragraph("مستودع للذخيرة قرب المطار"), 91)
    word.add_paragraph("مقر قيادة في حي الشيخ مقصود", style="نقاط الخبر")
    word.add_heading("مراحل الخطة", level=1)
    numbered(word.add_paragraph("إجلاء المدنيين"), 90)
    numbered(word.add_paragraph("من الأحياء الشرقية"), 90, level=1)
    numbered(word.add_paragraph("من الأحياء الغربية"), 90, level=1)
    numbered(word.add_paragraph("عبر الممر الساحلي"), 90, level=2)
    numbered(word.add_paragraph("إيصال المساعدات"), 90)
    numbered(word.add_paragraph("إلى المستشفيات"), 90, level=1)
    numbered(word.add_paragraph("إعادة الإعمار"), 93)
    numbered(word.add_paragraph("ولم ترد أنباء عن سقوط ضحايا.", style="نقاط الخبر"), 0)  # numbering taken away
    path = tmp_path / "lists.docx"
    word.save(path)
    document = read_document(path, "lists.docx")
    assert [(p.source, p.kind_hint) for p in document.paragraphs] == [
        ("قال الجيش إنه قصف مواقع عدة في المنطقة.", None), ("وشملت الأهداف:", None),
        ("مستودع للذخيرة قرب المطار", "list_item"), ("مقر قيادة في حي الشيخ مقصود", "list_item"),
        ("مراحل الخطة", "heading"),
        ("1. إجلاء المدنيين", "list_item"), ("1.1 من الأحياء الشرقية", "list_item"),
        ("1.2 من الأحياء الغربية", "list_item"), ("عبر الممر الساحلي", "list_item"),  # a letter: not worked out
        ("2. إيصال المساعدات", "list_item"), ("2.1 إلى المستشفيات", "list_item"),
        ("4- إعادة الإعمار", "list_item"), ("ولم ترد أنباء عن سقوط ضحايا.", None)]


def text_box(*texts):
    """A DrawingML text box with its VML fallback, as Word and LibreOffice write one: its text twice."""
    content = "<w:txbxContent>" + "".join(w_paragraph(text) for text in texts) + "</w:txbxContent>"
    return (f'<w:r {W_NS} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
            'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
            'xmlns:v="urn:schemas-microsoft-com:vml"><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
            f"<wps:wsp><wps:txbx>{content}</wps:txbx></wps:wsp></w:drawing></mc:Choice>"
            f"<mc:Fallback><w:pict><v:rect><v:textbox>{content}</v:textbox></v:rect></w:pict></mc:Fallback>"
            "</mc:AlternateContent></w:r>")


def test_a_docx_whose_text_is_all_in_text_boxes_is_read_from_them(tmp_path):
    """A page laid out in frames failed as "empty (whitespace only)", and the notice naming the
    text boxes was lost with it. With no text in the body the boxes are the article; with body
    text they stay out, named."""
    from docx.oxml import parse_xml

    word = docx.Document()
    anchor = word.add_paragraph()
    anchor._p.append(parse_xml(text_box("الحكومة تعلن خطة إنقاذ اقتصادي",
                                        "أعلنت الحكومة خطة إنقاذ اقتصادي شاملة بكلفة ٥ مليارات دولار.")))
    word.add_paragraph().add_run().add_break()
    word.add_paragraph()._p.append(parse_xml(text_box("وقال رئيس الوزراء إن الخطة تبدأ الشهر المقبل.")))
    path = tmp_path / "frames.docx"
    word.save(path)
    document = read_document(path, "frames.docx")
    assert sources(document) == ["الحكومة تعلن خطة إنقاذ اقتصادي",
                                 "أعلنت الحكومة خطة إنقاذ اقتصادي شاملة بكلفة ٥ مليارات دولار.",
                                 "وقال رئيس الوزراء إن الخطة تبدأ الشهر المقبل."]
    assert document.notices == ["the body has no text: its 2 text box(es) read as the article, in the order they "
                                "are anchored"]

    word.add_paragraph("وتأتي الخطة بعد عامين من الركود.")
    word.save(path)
    document = read_document(path, "frames.docx")
    assert sources(document) == ["وتأتي الخطة بعد عامين من الركود."]
    assert document.notices == ["2 text box(es) not translated"]


def test_docx_notices_name_every_header_comments_and_linked_pictures_and_links_keep_their_address(tmp_path):
    """Only the default header and footer were looked at (a first page's one was lost), reviewers'
    comments and a linked picture were not named, and a hyperlink lost its address."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import parse_xml

    word = docx.Document()
    section = word.sections[0]
    section.different_first_page_header_footer = True
    section.first_page_header.paragraphs[0].text = "حصري لوكالة الأنباء - يمنع النشر قبل الساعة ١٨:٠٠"
    paragraph = word.add_paragraph("ونشر الصندوق بيانه على ")
    link = word.part.relate_to("https://www.imf.org/ar/News", RT.HYPERLINK, is_external=True)
    paragraph._p.append(parse_xml(
        f'<w:hyperlink {W_NS} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
        f'r:id="{link}"><w:r><w:t>موقعه الرسمي</w:t></w:r></w:hyperlink>'))
    paragraph.add_run(" يوم الأربعاء.")
    note = word.add_paragraph("وقال الصندوق إن الاتفاق يحتاج إلى موافقة.")
    word.add_comment(note.runs[0], text="تحقق من المبلغ", author="رئيس القسم", initials="ر")
    picture = word.part.relate_to("https://example.org/photo.jpg", RT.IMAGE, is_external=True)
    word.add_paragraph()._p.append(parse_xml(
        f'<w:r {W_NS} xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:drawing>'
        f'<a:blip r:link="{picture}"/></w:drawing></w:r>'))
    path = tmp_path / "notices.docx"
    word.save(path)
    document = read_document(path, "notices.docx")
    assert sources(document) == ["ونشر الصندوق بيانه على موقعه الرسمي (https://www.imf.org/ar/News) يوم الأربعاء.",
                                 "وقال الصندوق إن الاتفاق يحتاج إلى موافقة."]
    assert document.notices == ["1 reviewer's comment(s) not translated", "pictures kept out (images are not translated)",
                                "page headers/footers not translated"]


def test_broken_docx_is_one_clear_reason(tmp_path):
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04 this is not really a zip")
    with pytest.raises(InputError, match="not a valid .docx"):
        read_document(path, "broken.docx")


@pytest.mark.parametrize("made, reason", [
    ("password-protected.docx", "not a valid .docx: password-protected (encrypted): open it in Word, remove the password "
                                "(File › Info › Protect Document › Encrypt with Password, emptied) and save it again"),
    ("word-97.doc", "not a valid .docx: a Word 97-2003 document (.doc) named .docx; open it in Word and save it as .docx"),
])
def test_a_password_protected_docx_and_a_doc_named_docx_say_what_they_are(tmp_path, made, reason):
    """Both failed as 'not a zip archive (damaged, or another format renamed)': a desk told its
    file was damaged looks for a backup, when it had only to remove a password or save as .docx.
    The files are real: LibreOffice's .doc and .docx, the .docx encrypted by msoffcrypto-tool
    (tests/data/README.md)."""
    path = tmp_path / "article.docx"
    path.write_bytes((DATA / "word" / made).read_bytes())
    with pytest.raises(InputError) as caught:
        read_document(path, "article.docx")
    assert caught.value.reason == reason


def test_short_windows_1256_lines_where_charset_normalizer_guesses_wrong(tmp_path):
    # charset-normalizer 3.x reads these 11 bytes as cp932 (Japanese); the Arabic fallback must not.
    from charset_normalizer import from_bytes

    data = "المصدر: تاس".encode("cp1256")
    assert from_bytes(data).best().encoding != "cp1256"  # why the fallback exists
    path = tmp_path / "one-line.txt"
    path.write_bytes(data)
    assert read_document(path, "one-line.txt").encoding == "Windows-1256"
