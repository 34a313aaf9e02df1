"""Review checks, one table per family, on real news lines (sample article, NTREX)."""

import pytest

from pipeline.model import Paragraph, Sentence
from pipeline.checks import CHECKS, Checker, status_for
from pipeline.glossary import load_glossary

from ...helpers import ROOT


def run(check, source, target, kind="body", sentences=(), **params):
    spec = CHECKS[check]
    paragraph = Paragraph("p0001", 1, source, kind=kind, target=target, sentences=list(sentences))
    return spec.function(paragraph, spec.params(**params))


def codes(flags):
    return [f.code for f in flags if f.severity != "info"]


def test_the_registry_is_pinned():
    assert list(CHECKS) == ["empty_target", "untranslated", "arabic_in_target", "numbers", "length_ratio", "truncated",
                            "sentence_count", "repetition", "character_loop", "quotes", "length_cap", "budget_split",
                            "protected_text",
                            "low_confidence", "glossary", "dialect", "bidi_controls"]


# --- numbers and dates ----------------------------------------------------------------------
SAMPLE = ("وبتاريخ 9 نوفمبر/تشرين الثاني 2020، وقّع الرئيس الروسي فلاديمير بوتين والرئيس الأذربيجاني إلهام علييف "
          "ورئيس الوزراء الأرمني نيكول باشينيان، على بيان مشترك حول الوقف للعمليات القتالية في ناغورني قره باغ.")
SAMPLE_EN = ("On 9 November 2020, Russian President Vladimir Putin, Azerbaijani President Ilham Aliyev and Armenian "
             "Prime Minister Nikol Pashinyan signed a joint statement on the cessation of hostilities in Nagorno-Karabakh.")


@pytest.mark.parametrize("source, target, expected", [
    (SAMPLE, SAMPLE_EN, []),                                                            # dual month name is one month
    (SAMPLE, SAMPLE_EN.replace("2020", "2021"), ["number_changed"]),                    # year changed
    (SAMPLE, SAMPLE_EN.replace("9 ", ""), ["number_missing"]),                          # number dropped
    (SAMPLE, SAMPLE_EN.replace("November", "December"), ["month_mismatch"]),            # month changed
    (SAMPLE, SAMPLE_EN.replace("Nikol", "Nikol, 61,"), ["number_extra"]),               # number added
    ("وذلك في11 يناير/كانون الثاني 2021.", "That was on 11 January 2021.", []),           # «في11»
    ("نما الاقتصاد بنسبة ٣٫٥٪ عام ٢٠٢١", "The economy grew by 3.5% in 2021", []),         # Arabic-Indic, «٫», ٪
    ("نما الاقتصاد بنسبة ٣٫٥٪", "The economy grew by 35%", ["number_changed"]),            # decimal point lost
    ("بلغ عدد السكان ۱۲۰۰ نسمة", "The population was 1,200", []),                       # Persian digits, thousands
    ("أكثر من 300 ألف نسمة", "more than 300,000 people", []),                             # scale word
    ("أكثر من 30،000 كوري", "more than 30,000 Koreans", []),                             # Arabic comma as separator
    ("شمل الاستطلاع 20.000 تلميذ", "a survey of 20,000 pupils", []),                     # European thousands point
    ("قتل أحد عشر شخصا", "Eleven people were killed", []),                              # words on both sides
    ("قتل 11 شخصا", "Eleven people were killed", []),                                   # eleven = 11
    ("استمرت نحو أربع ساعات", "lasted about 4 hours", []),                               # «أربع» = 4
    ("كان اجتماعها السادس والثلاثين", "was her 36th meeting", []),                       # ordinal words
    ("الذكرى الخمسين للحدث", "the 50th anniversary", []),
    ("تزوج من رجل أكبر منه بعشرين عامًا", "married a man 20 years his senior", []),       # «بعشرين»
    ("الحرب من 1950 وحتى 1953", "the 1950-53 war", []),                                  # abbreviated range
    ("في الساعة 11:15 صباحا", "at 11:15 a.m.", []),
    ("في الساعة 11:15 صباحا", "at 11 a.m.", ["number_missing"]),                         # minutes lost
    ("في الساعة 11:00", "at 11 a.m.", []),
    ("في 15 رمضان 1442 هـ", "on 27 April 2021", []),                                     # Hijri date given as Gregorian
    ("في 15 رمضان 1442 هـ", "on 15 Ramadan 1442 AH", []),
    ("مارس الضغط على الحكومة", "He exerted pressure on the government", []),             # «مارس» the verb
    ("في 17 مارس", "on 17 March", []),
    ("وصل عدد الضحايا إلى 11 و11 مصابا", "the toll reached 11", ["number_missing"]),     # each occurrence counts
    # numbers written in Arabic words must be in the English too
    ("بدأ العمل في سن الثالثة عشر", "He started work at the age of 13", []),
    ("بدأ العمل في سن الثالثة عشر", "He started work at the age of thirteen", []),
    ("بدأ العمل في سن الثالثة عشر", "He started work as a teenager", ["number_missing"]),  # 13 dropped
    ("بدأ العمل في سن الثالثة عشر", "He started work at the age of 10", ["number_changed"]),  # «عشر» is not 10 here
    ("قتل ثلاثة أشخاص", "Four people were killed", ["number_changed"]),                 # spelled out, changed
    ("كان اجتماعها السادس والثلاثين", "was her 63rd meeting", ["number_changed"]),
    ("عاش خمسة وعشرين عاما هناك", "he lived there for twenty-five years", []),
    ("قضى عشر سنوات في السجن", "he spent a decade in prison", []),
    ("شارك آلاف الأشخاص", "thousands of people took part", []),                        # a bare scale word
    ("قال أحد المسؤولين يوم الاثنين", "an official said on Monday", []),                  # 1 and 2 are not required
    ("ارتفعت الأسعار 10 في المئة", "prices rose 10 percent", []),                        # «في المئة» is per cent
    ("ارتفعت الأسعار 10 بالمئة", "prices rose 10 percent", []),
    ("خصصت 5 ملايين دولار", "allocated $5 million", []),                                 # a scale after digits
    # the same number in another format
    ("يبدأ الحفل في الساعة 5:30 مساء", "The concert starts at 5.30pm", []),              # British time
    ("اتصلوا على الرقم 116123", "Call 116 123", []),                                    # phone number in groups
    ("اتصلوا على الرقم 116123", "Call 116 124", ["number_changed"]),
    # how Arabic news writes numbers, and right English for them (a newsroom trial's false alarms)
    ("نشر الجيش ألفي جندي", "The army deployed 2,000 soldiers", []),                     # a dual in construct
    ("نشر الجيش ألفي جندي", "The army deployed 3,000 soldiers", ["number_changed"]),
    ("أعيد بناء مئتي مدرسة", "200 schools were rebuilt", []),
    ("تضرر مليونا شخص", "Two million people were affected", []),
    ("بلغت التكلفة 3 آلاف و500 دولار", "The cost reached $3,500", []),                    # one amount in two parts
    ("بلغت التكلفة 3 آلاف و500 دولار", "The cost reached $3,600", ["number_changed"]),
    ("بلغت قيمة الصفقة مليار و200 مليون دولار", "The deal was worth $1.2 billion", []),
    ("بلغت قيمة الصفقة مليار و200 مليون دولار", "The deal was worth $1.3 billion", ["number_changed"]),
    ("تبدأ المباراة الساعة 19:30", "The match starts at 7:30 p.m.", []),                  # a 24-hour clock
    ("تبدأ المباراة الساعة 19:30", "The match starts at 8:30 p.m.", ["number_changed"]),
    ("يبدأ الاجتماع في 15:00", "The meeting begins at 3 p.m.", []),
    ("يبدأ الحفل في السابعة والنصف مساءً", "The ceremony begins at 7:30 p.m.", []),        # a time in words
    ("يبدأ الحفل في السابعة والنصف مساءً", "The ceremony begins at 19:30", []),
    ("يبدأ الحفل في السابعة والنصف مساءً", "The ceremony begins at 8:30 p.m.", ["number_changed"]),
    ("أعلنت النتائج في 12/3/2024", "The results were announced on March 12, 2024", []),  # day/month/year
    ("أعلنت النتائج في ٢٥/٥/٢٠٢٤", "The results were announced on May 25, 2024", []),
    ("أعلنت النتائج في 12/3/2024", "The results were announced on April 12, 2024", ["number_missing"]),
    ("خلال العام المالي 2023/2024", "in fiscal year 2023/24", []),                       # a year range
    ("اجتمع قادة مجموعة العشرين في روما", "G20 leaders met in Rome", []),
    # a second trial's 298 pairs: times, dates, scores and amounts as translators write them
    ("في الساعة التاسعة إلا ربعا ليلا", "at 8:45 p.m.", []),
    ("في الساعة الحادية عشرة وخمس وأربعين دقيقة", "at 11:45", []),
    ("في الساعة 00:30 بعد منتصف الليل", "at 12:30 a.m.", []),
    ("عند الساعة 12 ظهرا", "at noon", []),
    ("في الساعة السادسة مساء بتوقيت جرينتش", "at 1800 GMT", []),
    ("تبدأ الجلسة الساعة الثالثة عصرا", "the session starts at 3pm", []),
    ("تبدأ الجلسة الساعة الثالثة عصرا", "the session starts at 3am", ["number_changed"]),    # the part of the day
    ("تبدأ الجلسة الساعة 21:00", "the session starts at 9 p.m.", []),
    ("تبدأ الجلسة الساعة 21:00", "the session starts at 9am", ["number_changed"]),
    ("بتاريخ 2024/3/12", "on March 12, 2024", []), ("في 31-12-2025", "on December 31, 2025", []),
    ("خسر الهلال أمام النصر بهدفين مقابل هدف", "Al Hilal lost 2-1 to Al Nassr", []),
    ("فاز ريال مدريد بثلاثة أهداف دون رد", "Real Madrid won 3-0", []),
    ("في الفاتح من جانفي المقبل", "on January 1", []),
    ("بين سبع وعشر سنوات", "from seven to ten years", []),                                # not 17
    ("وصل عدد السكان إلى مليونا ونصف المليون", "the population reached 1.5 million", []),
    ("استقبلت البلاد 1.000.000 سائح", "the country received 1,000,000 tourists", []),
    ("انعقد مؤتمر المناخ كوب 28 في دبي", "the COP28 climate conference met in Dubai", []),
    ("يتوقع وصول نحو 40 ألفا من الزوار", "some 40,000 visitors are expected", []),
    ("بلغت الخسائر 15 مليار دولار", "losses reached $15bn", []),
    ("بلغت الخسائر 15 مليار دولار", "losses reached $15m", ["number_changed"]),             # the scale counts
    ("قتل 300 ألف شخص", "300 people were killed", ["number_changed"]),
    ("ازدهرت الموسيقى في الثمانينيات", "music flourished in the 1980s", []),
    ("ازدهرت الموسيقى في الثمانينيات", "music flourished in the 1970s", ["number_changed"]),
    ("بني القصر في القرن التاسع عشر", "the palace was built in the 19th century", []),
    ("بني القصر في القرن التاسع عشر", "the palace was built in the 18th century", ["number_changed"]),
    # a regression hunt on the rules above
    ("قتل 3 أشخاص في هجوم يوم 12/3/2024", "12 people were killed in an attack on March 12, 2024", ["number_missing"]),
    ("بلغ عدد السكان خمسة عشر مليونا", "The population reached 15 million", []),       # the accusative, not a dual
    ("بلغ عدد السكان ثلاثة ملايين ونصف", "The population reached 3.5 million", []),
    ("وصلت المساعدات بقيمة 15 مليار دولار", "Aid worth $15 bln arrived", []),
    ("تبدأ الجلسة الساعة 12 ظهرا", "The session starts at midnight", ["number_changed"]),
    ("استمر الإضراب من الأحد صباحا حتى الواحدة ظهرا", "The strike lasted from Sunday morning until 1 p.m.", []),
    ("قتل 5 مساء الجمعة في هجوم بدأ في الخامسة صباحا", "5 were killed on Friday evening in an attack that began at 5 a.m.",
     []),
    # a third trial's fresh news: a king's number in Roman numerals, scores said in words
    ("افتتح العاهل المغربي الملك محمد السادس المعرض", "Morocco's King Mohammed VI opened the fair", []),
    ("افتتح العاهل المغربي الملك محمد السادس المعرض", "Morocco's King Mohammed IV opened the fair", ["number_missing"]),
    ("فاز الأهلي على الترجي بهدف نظيف", "Al Ahly beat Esperance 1-0", []),
    ("انتهت المباراة بالتعادل السلبي", "The match ended 0-0", []),
])
def test_numbers(source, target, expected):
    assert codes(run("numbers", source, target)) == expected


def test_number_messages_say_what_and_where():
    flag = run("numbers", SAMPLE, SAMPLE_EN.replace("2020", "2021"))[0]
    assert flag.message == "2020 in the Arabic but 2021 in the English"
    assert flag.evidence == {"missing": ["2020"], "extra": ["2021"]}


# --- the other checks ----------------------------------------------------------------------
@pytest.mark.parametrize("check, source, target, kwargs, expected", [
    ("empty_target", SAMPLE, "", {}, ["empty_target"]),
    ("empty_target", SAMPLE, SAMPLE_EN, {}, []),
    ("untranslated", SAMPLE, SAMPLE, {}, ["untranslated"]),
    ("untranslated", "COVID-19", "COVID-19", {}, []),                                 # nothing Arabic to translate
    ("arabic_in_target", SAMPLE, SAMPLE_EN.replace("Putin", "بوتين"), {}, ["arabic_in_target"]),
    ("arabic_in_target", SAMPLE, SAMPLE_EN, {}, []),
    # an Arabic hashtag is copied as written (text/protected.py): right, not left untranslated
    ("arabic_in_target", "تصدر وسم #أنقذوا_غزة قائمة الأكثر تداولا.", "The hashtag #أنقذوا_غزة topped the trending list.",
     {}, []),
    ("arabic_in_target", "تصدر وسم #أنقذوا_غزة قائمة الأكثر تداولا.", "The hashtag #أنقذوا_غزة topped the قائمة.",
     {}, ["arabic_in_target"]),
    ("untranslated", "#غزة #فلسطين", "#غزة #فلسطين", {}, []),
    ("arabic_in_target", "تضامنا مع #غزة، خرج آلاف المحتجين", "In solidarity with #غزة, thousands came out", {}, []),
    ("untranslated", "تصدر وسم #أنقذوا_غزة القائمة.", "تصدر وسم #أنقذوا_غزة القائمة.", {}, ["untranslated"]),
    ("length_ratio", SAMPLE, SAMPLE_EN, {}, []),
    ("length_ratio", SAMPLE, SAMPLE_EN[:70], {}, ["length_ratio"]),
    ("length_ratio", SAMPLE, SAMPLE_EN + " " + SAMPLE_EN, {}, ["length_ratio"]),
    ("length_ratio", "المصدر: تاس", "Source: TASS, the Russian news agency", {}, []),    # too short to judge
    ("truncated", SAMPLE, SAMPLE_EN[:120], {}, ["truncated"]),
    ("truncated", SAMPLE, SAMPLE_EN, {}, []),
    ("truncated", "حول اتفاقيات قره باغ.", "On the Karabakh agreements", {"kind": "heading"}, []),
    ("sentence_count", "قال. ثم غادر. وعاد. ونام.", "He said.", {}, ["sentence_count"]),
    ("sentence_count", "قال. ثم غادر.", "He said, then left.", {}, []),                  # a merge is information only
    ("repetition", SAMPLE, SAMPLE_EN.replace("signed", "signed a joint a joint a joint"), {}, ["repetition"]),
    ("repetition", "لا لا لا للحرب", "No, no, no to war", {}, []),                        # the Arabic loops too
    ("repetition", "بلغت الخسائر 15 مليار دولار", "losses reached 15,000,000,000 dollars", {}, []),  # not «000» 3 times
    ("repetition", "بلغت الخسائر 15 مليار دولار", "losses reached $15" + ",000" * 18, {}, ["repetition"]),  # a loop
    # a phrase of four words or more said twice in a row is a stutter; with a comma between, rhetoric
    ("repetition", "ارتفعت الأرباح في الربع الأول من هذا العام.",
     "Profits rose in the first quarter of this year in the first quarter of this year.", {}, ["repetition"]),
    ("repetition", "قال: لم أفعل ذلك.", 'He said: "I didn\'t do it, I didn\'t do it."', {}, []),
    ("repetition", "نقص في الوقود والدواء.", "Shortages of fuel and medicine.", {"doubled_phrase_words": 0}, []),
    ("repetition", "قال كذا. وقال كذا.", "He said so and so. He said so and so.", {}, ["repeated_sentence"]),
    ("repetition", SAMPLE, SAMPLE_EN, {}, []),
])
def test_checks(check, source, target, kwargs, expected):
    kind = kwargs.pop("kind", "body")
    assert codes(run(check, source, target, kind=kind, **kwargs)) == expected


def model_unit(source, target, score=-0.2, **extra):
    return Sentence("p0001.s01", source, (0, len(source)), source, target=target, score=score, origin="model", **extra)


def test_quotes_per_unit_for_machine_output_and_information_only_for_whole_paragraphs():
    source = 'وأنه "تم الاتفاق على مواصلة الاتصالات".'
    good, dropped = 'and that "it was agreed to continue contacts".', 'and that "it was agreed to continue contacts.'
    assert codes(run("quotes", source, good, sentences=[model_unit(source, good)])) == []
    assert codes(run("quotes", source, dropped, sentences=[model_unit(source, dropped)])) == ["quotes"]
    flags = run("quotes", source, dropped)  # a human translation: no units
    assert [(f.code, f.severity) for f in flags] == [("quotes", "info")]


def test_unit_level_checks_of_the_model_output():
    unit = model_unit("بحث الرئيس.", "The president", score=-2.3, hit_length_cap=True, budget_split=True)
    assert codes(run("low_confidence", "بحث الرئيس.", "The president", sentences=[unit])) == ["low_confidence"]
    assert codes(run("low_confidence", "بحث الرئيس.", "The president", sentences=[unit], threshold=-3.0)) == []
    assert codes(run("length_cap", "بحث الرئيس.", "The president", sentences=[unit])) == ["length_cap"]
    assert [f.severity for f in run("budget_split", "بحث الرئيس.", "The president", sentences=[unit])] == ["info"]


@pytest.mark.parametrize("target, expected", [
    ("Sincencencence the talks began, the sides met.", ["character_loop"]),   # a subword loop
    ("Itititit was agreed to continue contacts.", ["character_loop"]),
    ("The fffff talks were held in Moscow.", ["character_loop"]),
    ("The committee met in Mississippi on 1000000 occasions.", []),           # double letters, digits: English
    ("Bookkeepers say bananas are good.", []),
])
def test_character_loops(target, expected):
    assert codes(run("character_loop", "وقال إن المحادثات جرت في موسكو.", target)) == expected


def test_laughter_the_arabic_writes_too_is_no_character_loop():
    assert codes(run("character_loop", "وضحك قائلا: ههههه", "He laughed: hahahaha")) == []


def severities(flags):
    return [(f.code, f.severity) for f in flags if f.severity != "info"]


def test_what_must_be_fixed_before_publishing_is_an_error():
    looped = "The president " + "the president " * 10
    capped = model_unit("بحث الرئيس.", looped, hit_length_cap=True)
    assert severities(run("repetition", "بحث الرئيس.", looped, sentences=[capped])) == [("repetition", "error")]
    assert severities(run("repetition", SAMPLE, SAMPLE_EN.replace("signed", "signed a joint a joint a joint"))) == [
        ("repetition", "warning")]                                            # a short loop: check it
    assert severities(run("repetition", SAMPLE, SAMPLE_EN.replace("signed", "signed" + " a joint" * 7))) == [
        ("repetition", "error")]                                              # a runaway loop
    assert severities(run("length_cap", "بحث الرئيس.", looped, sentences=[capped])) == [("length_cap", "error")]
    cut = model_unit(SAMPLE, SAMPLE_EN[:120], hit_length_cap=True)
    assert severities(run("truncated", SAMPLE, SAMPLE_EN[:120], sentences=[cut])) == [("truncated", "error")]
    assert severities(run("truncated", SAMPLE, SAMPLE_EN[:120])) == [("truncated", "warning")]
    assert severities(run("arabic_in_target", SAMPLE, SAMPLE_EN.replace("Putin", "بوتين"))) == [("arabic_in_target", "error")]
    assert severities(run("sentence_count", "قال. ثم غادر. وعاد. ونام.", "He said.")) == [("sentence_count", "error")]


# --- glossary ------------------------------------------------------------------------------
def test_glossary_example_on_the_sample_sentence(tmp_path):
    glossary = load_glossary(ROOT / "docs" / "glossary.example.yaml")
    assert codes(run("glossary", SAMPLE, SAMPLE_EN, glossary=glossary)) == []
    wrong = SAMPLE_EN.replace("Pashinyan", "Pashinian")
    flags = run("glossary", SAMPLE, wrong, glossary=glossary)
    assert [(f.code, f.evidence["term"]) for f in flags] == [("glossary", "باشينيان")]
    assert "Pashinyan" in flags[0].message


def test_glossary_csv_with_proclitics_and_do_not_translate(tmp_path):
    path = tmp_path / "terms.csv"
    path.write_text("arabic,english,type\nالكرملين,Kremlin,term\nقره باغ,Karabakh|Qarabagh,term\nTASS,,keep\n", encoding="utf-8")
    glossary = load_glossary(path)
    assert codes(run("glossary", "وأشار الكرملين", "The Kremlin noted", glossary=glossary)) == []
    assert codes(run("glossary", "وللكرملين رأي", "Moscow has a view", glossary=glossary)) == ["glossary"]  # «و+ل+ال»
    assert codes(run("glossary", "في قره باغ", "in Qarabagh", glossary=glossary)) == []
    assert codes(run("glossary", "نقلا عن TASS", "according to Tass", glossary=glossary)) == ["glossary"]


def test_a_term_listed_twice_the_same_way_is_fine_and_yaml_conflicts_are_named(tmp_path):
    from pipeline.errors import ConfigError

    path = tmp_path / "g.csv"
    path.write_text("arabic,english\nباكو,Baku\nباكو,baku\n", encoding="utf-8")
    assert codes(run("glossary", "وصل الوفد إلى باكو", "The delegation arrived in Baku", glossary=load_glossary(path))) == []
    path = tmp_path / "g.yaml"
    path.write_text("terms:\n  - {ar: الكرملين, en: Kremlin}\n  - {ar: الكرملين, en: Kremlin Palace}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="«الكرملين» is listed twice .*term 1: Kremlin; term 2: Kremlin Palace"):
        load_glossary(path)


def test_a_csv_header_s_case_and_spaces_do_not_matter(tmp_path):
    path = tmp_path / "g.csv"
    path.write_text("Arabic, English\nبوتين,Putin\n", encoding="utf-8")
    assert codes(run("glossary", "قال بوتين", "Putin said", glossary=load_glossary(path))) == []
    assert codes(run("glossary", "قال بوتين", "The president said", glossary=load_glossary(path))) == ["glossary"]


def test_a_term_inside_a_longer_term_is_neither_flagged_nor_required(tmp_path):
    # «البيت» (home) inside «البيت الأبيض» (the White House): right English is not flagged, and
    # the translation is not pushed towards "home"; «البيت» on its own still counts.
    path = tmp_path / "g.yaml"
    path.write_text("terms:\n  - {ar: البيت الأبيض, en: White House}\n  - {ar: البيت, en: home}\n", encoding="utf-8")
    glossary = load_glossary(path)
    said = "قال البيت الأبيض إن الرئيس سيسافر."
    assert codes(run("glossary", said, "The White House said the president would travel.", glossary=glossary)) == []
    assert [t.source for t in glossary.required_in(said)] == ["البيت الأبيض"]
    both = "قال البيت الأبيض إن الرئيس عاد إلى البيت."
    assert [t.source for t in glossary.required_in(both)] == ["البيت الأبيض", "البيت"]
    assert [f.evidence["term"] for f in run("glossary", both, "The White House said the president went back.",
                                            glossary=glossary)] == ["البيت"]


def test_terms_match_the_spellings_and_clitics_arabic_writers_use(tmp_path):
    path = tmp_path / "g.yaml"
    path.write_text("terms:\n  - {ar: الكرملين, en: Kremlin}\n  - {ar: مسؤول, en: [official, officials]}\n"
                    "  - {ar: جنين, en: Jenin}\n  - {ar: سلام, en: Salam}\n", encoding="utf-8")
    glossary = load_glossary(path)
    # an entry with «ال» is found behind «لل» (ل + ال), «بال», «وال»
    assert codes(run("glossary", "أرسل رسالة للكرملين.", "He sent a letter to the Kreml.", glossary=glossary)) == ["glossary"]
    assert codes(run("glossary", "وللكرملين رأي آخر.", "The Kremlin has another view.", glossary=glossary)) == []
    # one without it is a name as Arabic writes it: «الجنين» is the fetus, «للسلام» for peace
    assert codes(run("glossary", "يجب تقديم الرعاية للجنين وللسلام", "care for the fetus and for peace",
                     glossary=glossary)) == []
    assert codes(run("glossary", "اقتحم الجيش مخيم جنين وقال سلام", "The army raided the camp", glossary=glossary)) == [
        "glossary", "glossary"]
    # the hamza on و or on ي: «مسئول» is «مسؤول»
    assert codes(run("glossary", "قال مسئول روسي.", "A Russian officer said.", glossary=glossary)) == ["glossary"]
    assert [t.source for t in glossary.required_in("قال مسئولون روس")] == []  # a whole word, not a prefix
    assert [t.source for t in glossary.required_in("قال مسئول روسي")] == ["مسؤول"]


def test_an_entry_with_the_article_on_a_word_starting_with_lam_is_found_after_lam(tmp_path):
    # ل + ال + لاجئين is written «للاجئين» (the article's lam merges), not «لللاجئين»
    path = tmp_path / "g.yaml"
    path.write_text("terms:\n  - {ar: اللجنة الدولية للصليب الأحمر, en: [International Committee of the Red Cross, ICRC]}\n"
                    "  - {ar: اللاجئين, en: [refugees]}\n  - {ar: الكرملين, en: [Kremlin]}\n", encoding="utf-8")
    glossary = load_glossary(path)
    for arabic in ("قدم المانحون الدعم للاجئين في المخيمات.", "وللاجئين حقوق يكفلها القانون.",
                   "قدم المانحون الدعم باللاجئين في المخيمات.", "قدم المانحون الدعم واللاجئين في المخيمات."):
        assert [t.source for t in glossary.required_in(arabic)] == ["اللاجئين"], arabic
        assert codes(run("glossary", arabic, "Donors supported the displaced in the camps.", glossary=glossary)) == ["glossary"]
        assert codes(run("glossary", arabic, "Donors supported the refugees in the camps.", glossary=glossary)) == []
    icrc = "قدم المانحون الدعم للجنة الدولية للصليب الأحمر."
    assert [t.source for t in glossary.required_in(icrc)] == ["اللجنة الدولية للصليب الأحمر"]
    assert codes(run("glossary", icrc, "Donors supported the Red Crescent.", glossary=glossary)) == ["glossary"]
    assert codes(run("glossary", icrc, "Donors supported the ICRC.", glossary=glossary)) == []
    # other words keep «لل» + the word: «للكرملين»; a word without the article is not the term
    assert [t.source for t in glossary.required_in("وجه الرئيس رسالة للكرملين.")] == ["الكرملين"]
    assert glossary.required_in("قال لاجئون إن المخيم مكتظ.") == []


def test_english_as_word_types_it_and_short_acronyms(tmp_path):
    path = tmp_path / "g.yaml"
    path.write_text("terms:\n  - {ar: مأرب, en: \"Ma'rib\"}\n  - {ar: ناغورني قره باغ, en: Nagorno-Karabakh}\n"
                    "  - {ar: الأمم المتحدة, en: UN}\n  - {ar: منظمة الصحة العالمية, en: WHO}\n", encoding="utf-8")
    glossary = load_glossary(path)
    # Word's curly apostrophe and no-break hyphen (U+2011) are what the glossary wrote
    assert codes(run("glossary", "في مأرب", "in Ma\u2019rib", glossary=glossary)) == []
    assert codes(run("glossary", "في ناغورني قره باغ", "in Nagorno\u2011Karabakh", glossary=glossary)) == []
    # "un", "us", "who" are English words: an acronym of two or three capitals keeps its case
    un = "قالت الأمم المتحدة"
    assert codes(run("glossary", un, "The organisation, un peu tired, said", glossary=glossary)) == ["glossary"]
    assert codes(run("glossary", un, "The UN said", glossary=glossary)) == []
    assert codes(run("glossary", un, "The U.N. said", glossary=glossary)) == []
    assert codes(run("glossary", un, "a UN-backed plan", glossary=glossary)) == []
    assert codes(run("glossary", un, "UNESCO said", glossary=glossary)) == ["glossary"]
    who = "قالت منظمة الصحة العالمية"
    assert codes(run("glossary", who, "The health body, who said", glossary=glossary)) == ["glossary"]
    assert codes(run("glossary", who, "The WHO said", glossary=glossary)) == []


@pytest.mark.parametrize("content, message", [
    ("arabic,english\n,Putin\n", "the 'arabic' column is empty"),
    ("arabic,english,type\nبوتين,Putin,maybe\n", "type must be 'term' or 'keep'"),
    ("arabic,english\nبوتين,\n", "no English rendering"),
    ("ar,en\nبوتين,Putin\n", "the first line must name the columns arabic,english.*found: ar,en"),
    ("بوتين,Putin\n", "the first line must name the columns"),
    # The same term twice with different English (two lists merged): both entries named.
    ("arabic,english\nباكو,Baku\nباكو,Baku City\n",
     "«باكو» is listed twice with different English \\(line 2: Baku; line 3: Baku City\\): give it one entry"),
])
def test_a_bad_glossary_is_one_line(tmp_path, content, message):
    from pipeline.errors import ConfigError

    path = tmp_path / "g.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_glossary(path)


@pytest.mark.parametrize("content, message", [
    ("terms:\n  - {ar: بوتين, en: {x: Putin}}\n", "term 1: 'en' must be a text or a list of texts, not {\"x\": \"Putin\"}"),
    ("terms:\n  - {ar: [بوتين, b], en: Putin}\n", "term 1: 'ar' must be a text"),
    ("terms: {ar: بوتين, en: Putin}\n", "'terms' must be a list of terms"),
    ("keep:\n  - {a: 1}\n", "'keep' must be a text or a list of texts"),
])
def test_a_glossary_of_the_wrong_shape_is_one_line(tmp_path, content, message):
    from pipeline.errors import ConfigError

    path = tmp_path / "g.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as error:
        load_glossary(path)
    assert "\n" not in str(error.value)


@pytest.mark.parametrize("content, message", [
    ('terms:\n  - {ar: بوتين, en: [""]}\n', "g.yaml: term 1: no English rendering for «بوتين»"),
    ('terms:\n  - {ar: باشينيان, en: Pashinyan}\n  - {ar: بوتين, en: "  "}\n',
     "g.yaml: term 2: no English rendering for «بوتين»"),
    ('terms:\n  - {ar: بوتين, en: ["", " "]}\n', "g.yaml: term 1: no English rendering for «بوتين»"),
    ('terms:\n  - {ar: "  ", en: Putin}\n', "g.yaml: term 1: 'ar' is empty"),
    ('terms:\n  - {ar: "", en: Putin}\n', "g.yaml: term 1: 'ar' is empty"),
    ('terms:\n  - {ar: بوتين}\n', "g.yaml: term 1 needs 'ar' and 'en'"),
    ('keep: [TASS, ""]\n', "g.yaml: 'keep' has an empty term"),
])
def test_an_empty_term_or_rendering_in_yaml_is_refused_in_one_line(tmp_path, content, message):
    # accepted, it flagged every «بوتين» as "should be rendered as " (nothing), as the CSV reader never did
    from pipeline.errors import ConfigError

    path = tmp_path / "g.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_glossary(path)
    assert message in str(error.value) and "\n" not in str(error.value)


@pytest.mark.parametrize("empty", ['""', "[]"])
def test_an_empty_english_is_no_english_rendering_as_the_readme_says(tmp_path, empty):
    from pipeline.errors import ConfigError

    path = tmp_path / "glossary.yaml"
    path.write_text("terms:\n  - {ar: باشينيان, en: Pashinyan}\n  - {ar: علييف, en: Aliyev}\n"
                    f"  - {{ar: بوتين, en: {empty}}}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_glossary(path)
    assert str(error.value) == f"{path}: term 3: no English rendering for «بوتين»"


def test_a_kept_term_is_a_whole_word_in_the_english(tmp_path):
    path = tmp_path / "g.yaml"
    path.write_text("keep: [EU, TASS]\n", encoding="utf-8")
    glossary = load_glossary(path)
    tass, eu = "قالت وكالة TASS إن الاجتماع انتهى.", "وافق EU على الخطة."
    # inside a longer word it is not there: TASSILI, EUR
    assert codes(run("glossary", tass, "The TASSILI agency said the meeting was over.", glossary=glossary)) == ["glossary"]
    assert codes(run("glossary", eu, "The EUR zone approved the plan.", glossary=glossary)) == ["glossary"]
    assert codes(run("glossary", tass, "TASS's reporter said the meeting was over.", glossary=glossary)) == []
    assert codes(run("glossary", eu, "The EU-wide plan was approved (EU).", glossary=glossary)) == []


def test_one_kept_term_written_without_a_list_is_that_term(tmp_path):
    path = tmp_path / "g.yaml"
    path.write_text("keep: TASS\n", encoding="utf-8")  # not the letters T, A, S, S
    glossary = load_glossary(path)
    assert [(t.source, t.keep) for t in glossary.terms] == [("TASS", True)]
    assert codes(run("glossary", "نقلا عن TASS", "according to Tass", glossary=glossary)) == ["glossary"]


# --- settings and status -------------------------------------------------------------------
def test_checks_are_switched_and_tuned_from_config(tmp_path):
    from pipeline.config import load_settings
    from pipeline.errors import ConfigError

    config = tmp_path / "config.yaml"
    config.write_text("review:\n  checks:\n    numbers: {enabled: false}\n    length_ratio: {min_source_chars: 5}\n", encoding="utf-8")
    settings = load_settings(config)
    checker = Checker.from_settings(settings.review.checks, settings.review.glossary)
    assert "numbers" not in checker.checks and checker.checks["length_ratio"][1].min_source_chars == 5
    for text, message in [("review:\n  checks:\n    nombers: {}\n", "unknown check 'nombers'"),
                          ("review:\n  checks:\n    numbers: {extras: true}\n", "numbers.extras: unknown key"),
                          ("review:\n  checks:\n    low_confidence: {threshold: 2}\n", "low_confidence.threshold: input should be less than 0")]:
        config.write_text(text, encoding="utf-8")
        with pytest.raises(ConfigError, match=message):
            load_settings(config)


def test_status_is_needs_review_only_for_warnings_and_errors():
    from pipeline.model import Flag

    assert status_for([Flag("budget_split", "info", "x")]) == "ok"
    assert status_for([Flag("budget_split", "info", "x"), Flag("truncated", "warning", "y")]) == "needs_review"


# --- directional controls ("Trojan Source") -------------------------------------------------

@pytest.mark.parametrize("source, target, expected", [
    ("قتل \u202e51\u202c شخصا", "51 people were killed", [("bidi_control", "warning")]),   # shown as «15»
    ("قتل \u202d51 شخصا", "51 people were killed", [("bidi_control", "warning")]),         # LRO
    ("\u200fبحث الرئيس\u200e \u202bالروسي\u202c بوتين \u2067CNN\u2069", "Putin, CNN", []),  # marks, embeddings, isolates: honest in Arabic
    ("قتل 51 شخصا", "\u202e51\u202c people were killed", [("bidi_control", "error")]),
    ("قتل 51 شخصا", "51 people were \u2066killed\u2069", [("bidi_control", "error")]),
    ("قتل 51 شخصا", "51 people\u200e were killed", []),                                     # a mark reorders nothing
])
def test_bidi_controls(source, target, expected):
    flags = run("bidi_controls", source, target)
    assert [(f.code, f.severity) for f in flags] == expected
    if flags:
        assert "can show in another order than" in flags[0].message and "U+20" in flags[0].message


# Invisible marks: LRM, RLM and ALM are what Word and web pages put into mixed text (and CAT tools
# into a target); ZWNJ and ZWJ come with Arabic copied from elsewhere. No reader sees them, nor
# does the model (normalize_for_model): they must raise nothing. An English ending "…Karabakh.\u200e"
# was "cut off mid-sentence" (`truncated`) on 822 of 900 NTREX pairs; «\u200e2020\u200e» and
# «أحد عشر\u200f» were numbers changed or extra.
MARKED = [
    (SAMPLE, SAMPLE_EN + "\u200e"),                                        # LRM after the final full stop
    (SAMPLE, SAMPLE_EN + "\u200f"),                                        # RLM there
    (SAMPLE, SAMPLE_EN.replace(".", ".\u200f").replace(",", ",\u200e")),   # marks after every mark
    (SAMPLE, SAMPLE_EN.replace("2020", "\u200e2020\u200e")),               # a year wrapped in LRMs
    (SAMPLE.replace("2020", "\u200e2020\u200e"), SAMPLE_EN),               # in the Arabic too
    (SAMPLE.replace("2020", "\u061c2020"), SAMPLE_EN),                     # ALM before a number
    (SAMPLE + "\u200f", SAMPLE_EN),                                        # RLM at the end of the Arabic
    ("قتل أحد\u200f عشر\u200f شخصا.", "Eleven people were killed."),       # number words followed by RLM
    ("قال الر\u200cئيس إن المحا\u200dدثات كانت مفيدة.", "The president said the talks were useful."),  # ZWNJ, ZWJ
]


@pytest.mark.parametrize("source, target", MARKED)
def test_invisible_marks_raise_no_flag(source, target):
    checker = Checker.from_settings()
    clean = Paragraph("p0001", 1, source.replace("\u200e", "").replace("\u200f", "").replace("\u061c", "")
                      .replace("\u200c", "").replace("\u200d", ""),
                      target=target.replace("\u200e", "").replace("\u200f", ""))
    marked = Paragraph("p0001", 1, source, target=target)
    checker.check(clean)
    checker.check(marked)
    assert [(f.code, f.severity, f.message) for f in marked.flags] == [(f.code, f.severity, f.message) for f in clean.flags]
    assert marked.source == source and marked.target == target  # the paragraph keeps its text as written


def test_the_bidi_check_still_sees_the_controls_the_others_do_not():
    checker = Checker.from_settings()
    paragraph = Paragraph("p0001", 1, "قتل \u202e51\u202c شخصا.", target="51\u200e people were killed.\u2066\u2069")
    checker.check(paragraph)
    assert [(f.code, f.severity) for f in paragraph.flags] == [("bidi_control", "warning"), ("bidi_control", "error")]
