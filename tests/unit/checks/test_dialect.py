"""The `dialect` check: spoken Arabic flagged, named, explained; measured out of sample (two-fold by document)."""

import math

import pytest

from bench.dialect import measure
from pipeline.checks import Checker, validate_check_settings
from pipeline.checks.dialect import DialectParams, dialect, judged_score, pieces
from pipeline.model import Paragraph
from pipeline.text.dialect import markers

from ...helpers import DATA


def flags(text, **params):
    return dialect(Paragraph("p0001", 1, text), DialectParams(**params))


# Real sentences of FLORES-200 (tests/data/dialects) and NTREX-128 news.
LEVANTINE = "سمك القرش موجود، بس من النادر ما يهاجم البشر. بتخاف معظم أسماك القرش من البشر وبتسبح بعيد."
EGYPTIAN = "الموزاصور كان المفترس المهيمن في عصره عشان كده مكنش بيخاف أي شيء باستثناء الموزاصورات التانية."
MOROCCAN = "كان الموساسوروس أقوى مفترس فالوقت ديالو ومكان تيخاف من حتى حاجة من غير بني جلدته."
TUNISIAN = "الموزاصور كان هو المفترس المهيمن في عصرو، هذاك علاش ماكانش يخاف من شي، باستثناء الموزاصورات الأخرى."
MSA = "أسماك القرش موجودة بالفعل، لكنها نادرًا ما تهاجم البشر. تخاف معظم أسماك القرش من البشر وتسبح بعيدًا إن رأت أحدهم."
NEWS = ("وأشار الكرملين أيضاً إلى أن المحادثات تطرقت إلى بعض القضايا الراهنة الخاصة بالتعاون الروسي - الأرمني، "
        "وأنه\"تم الاتفاق على مواصلة الاتصالات على مختلف المستويات\".")


@pytest.mark.parametrize("text, variety, word", [
    (LEVANTINE, "Levantine", "بتخاف"),
    (EGYPTIAN, "Egyptian", "كده"),
    (MOROCCAN, "Maghrebi", "ديالو"),
    (TUNISIAN, "Maghrebi", "ماكانش"),
])
def test_a_spoken_sentence_is_a_warning_that_names_its_variety_and_words(text, variety, word):
    [flag] = flags(text)
    assert flag.code == "dialect" and flag.severity == "warning"
    assert flag.evidence["variety"] == variety and f"({variety})" in flag.message
    assert word in flag.evidence["words"] and f"«{word}»" in flag.message


@pytest.mark.parametrize("text", [MSA, NEWS,
                                  "وأعلنت الوزارة ما يلي: كما يلي ذكره في البيان.",       # «يلي» follows, not «اللي»
                                  "وصل المبعوث الأممي ستيفان دي ميستورا إلى دمشق.",          # «دي» in a name
                                  "رحّب الرئيسُ الأمريكيُّ جورج دبليو بوش بالإعلان.",      # «رحّب» is not «رح»
                                  "أصبح نجم الفريق الأول هداف الدوري هذا الموسم.",          # «نجم» a star
                                  "خضعت عدة مناطق لسيطرة باكو، وعقد مجلس لويا جيرغا."])     # ب + «اكو», ل + «ويا»: names
def test_msa_and_its_lookalikes_are_not_flagged(text):
    assert flags(text) == []


def test_a_spoken_quotation_inside_an_msa_paragraph_is_caught():
    quote = "والله ما في حدا بدو يرجع عالحرب، بس الناس لسه خايفة وما بتعرف شو رح يصير بكرا."
    paragraph = f"وبعد دخول قوات حفظ السلام، استقر الوضع في المنطقة. وقال أحد السكان لمراسلنا: \"{quote}\" وأضاف أن الأسعار ارتفعت."
    assert quote in pieces(paragraph)
    [flag] = flags(paragraph)
    assert flag.evidence["text"] == quote and flag.evidence["variety"] == "Levantine"
    assert flags(paragraph.replace(f"\"{quote}\"", "")) == []


@pytest.mark.parametrize("text, found", [
    ("وهي بتغطيه وبيعمله وبيستخدموها", ["بتغطيه", "وبيعمله", "وبيستخدموها"]),   # b- present of a common verb
    ("التزمت الحكومة بتغطية التكاليف بتوفر الظروف", []),   # ب + a verbal noun (ta marbuta, تَوفُّر) is MSA
    ("بيتها بينما بيكون", [("بيكون")]),                     # a house, "while"; «بيكون» only weak (Bacon)
    ("حيكون وهيعمل حيث هيكل", ["حيكون", "وهيعمل"]),        # the ح/ه future, not «حيث», «هيكل»
])
def test_verb_patterns_need_a_common_verb(text, found):
    assert [m.word for m in markers(text)] == found


@pytest.mark.parametrize("text, found", [
    ("والكهنة كانوا يحاولوا يخدموا الآلهة", [("يحاولوا", True), ("يخدموا", True)]),  # two: a habit
    ("وأي الفصائل ينتموا.", [("ينتموا", False)]),             # one: a slip of MSA copy (NTREX)
    ("على أن يقدموا ولم يحضروا", []),                          # after a particle MSA drops the -ن too
    ("تجمعوا في مكان قريب وتظاهروا", []),                      # ت-: the past of forms V and VI
    ("حاولو المفاوضين أنهم يصححو الوضعية", [("يصححو", False)]),  # Maghrebi -و
    ("كاتضمن ماتشو بيتشو ثلاثة مباني وكيرجع تاريخها", [("كاتضمن", True), ("وكيرجع", True)]),
    ("قال الكاتب إن المدينة", []),                            # «كاتب» a writer
])
def test_the_plural_without_n_and_the_moroccan_progressive(text, found):
    assert [(m.word, m.strong) for m in markers(text)] == found


@pytest.mark.parametrize("text, found", [
    ("الماء قاعد يتصب من فوق السد", [("قاعد يتصب", True)]),                  # the progressive «قاعد» (FLORES aeb)
    ("الناس عم يقولوا", [("عم", False), ("عم يقولوا", True), ("يقولوا", False)]),  # Levantine «عم» + a verb
    ("عمّ تتكلّمون يا رفاق؟", [("عمّ", False)]),               # MSA «عمّ» (عن + ما) before a verb (Tatoeba)
    ("ولكن بعد ذلك عمّ الصمت", []),                             # «عمّ» spread (NTREX): before a noun with ال, no marker
    ("ضمن قاعدة بيانات تحتوي", []),                               # «قاعدة» a base
    ("وكَالت الشرطة إنها ماهوش هنا ومعاه إحنا", [("وكَالت", True), ("ماهوش", True), ("ومعاه", True), ("إحنا", True)]),
    ("هذاك علاش هاداك الراجل", [("هذاك", True), ("علاش", True), ("هاداك", True)]),
    ("بيبلغ وبتشبه وبيعني", [("بيبلغ", True), ("وبيعني", True)]),   # ب + ت + «شبه»: also the MSA «بتشبّه»
    ("راح يصير هيك", [("راح", False), ("راح يصير", True), ("هيك", True)]),  # «راح» + a present verb: the future
    ("راح الرجل إلى السوق", []),                                  # MSA «راح» went, before a noun: no marker
])
def test_spoken_words_and_the_progressive_auxiliaries(text, found):
    assert [(m.word, m.strong) for m in markers(text)] == found


def _msa_texts():
    ntrex = DATA / "ntrex-dev"
    texts = (ntrex / "ntrex.dev.ar").read_text(encoding="utf-8").splitlines()
    texts += [line for path in sorted((ntrex / "articles").glob("*.ar.txt"))
              for line in path.read_text(encoding="utf-8").splitlines()]
    return texts + (DATA / "dialects" / "flores200.dev-half.arb").read_text(encoding="utf-8").splitlines()


def test_no_strong_marker_in_msa_news_or_flores_msa():
    """A strong marker is a form MSA does not write: none in the 1,662 NTREX sentences, the 893
    paragraphs of its articles or the 517 FLORES MSA lines."""
    texts = _msa_texts()
    assert len(texts) > 3000
    assert [(m.word, text[:80]) for text in texts for m in markers(text) if m.strong] == []


def test_a_short_piece_without_a_strong_marker_is_not_judged_by_the_model_alone():
    params = DialectParams()
    assert judged_score(9.0, False, params.min_words_unmarked - 1, params) == -math.inf
    assert judged_score(9.0, False, params.min_words_unmarked, params) == 9.0 - params.unmarked_margin
    assert judged_score(0.1, True, 3, params) == math.inf and judged_score(-0.1, True, 3, params) == -math.inf


def test_a_quotation_after_an_unpaired_quotation_mark_is_still_a_piece():
    quote = "الناس لسه خايفة وما بتعرف شو رح يصير بكرا"
    paragraph = f"وقال المسؤول إن\"الوضع مستقر. وقال أحد السكان: \"{quote}\""
    assert quote in pieces(paragraph)


def test_a_weak_marker_alone_does_not_flag_msa():
    text = "ووقع الهجوم قبل الساعة 7 صباحًا بالقرب من شاطئ بيكون في إنسينيتاس."  # NTREX: Beacon's beach
    assert [m.word for m in markers(text)] == ["بيكون"] and flags(text) == []
    # «حاجة» (need) before «إلى» or a noun with ال is MSA, no marker at all
    assert markers("هناك ستة ملايين شخص ما زالوا في حاجة إلى المساعدة ولبّوا حاجة الأسواق") == []


def test_markers_are_whole_words_and_the_negation_circumfix_needs_a_verb():
    assert [m.word for m in markers("رحّب الرئيس بالإعلان")] == []
    assert [(m.word, m.strong) for m in markers("هو مكانش هنا وماعرفتش")] == [("مكانش", True), ("وماعرفتش", True)]
    assert markers("المفتش والمتوحش والمهمش") == []


def test_the_variety_is_named_by_a_marker_or_by_a_sure_model():
    # «بتخاف», «بس»: spoken, but no marker of one variety; the variety model names it Levantine
    [named] = flags(LEVANTINE)
    assert named.evidence["variety"] == "Levantine"
    [unsure] = flags(LEVANTINE, variety_share=1.0)  # the model is never that sure: "variety unclear"
    assert unsure.evidence["variety"] is None and "(variety unclear)" in unsure.message
    [marked] = flags(MOROCCAN, variety_share=1.0)   # «ديالو» names Maghrebi whatever the model says
    assert marked.evidence["variety"] == "Maghrebi"


def test_the_threshold_and_the_switch_come_from_the_config():
    assert flags(LEVANTINE, threshold=100.0, strong_marker_score=100.0) == []
    assert flags(LEVANTINE, threshold=100.0)  # a strong marker («بتخاف») has its own bar
    assert "dialect" not in Checker.from_settings({"dialect": {"enabled": False}}).checks
    assert Checker.from_settings({}).checks["dialect"][1] == DialectParams()
    with pytest.raises(ValueError, match="dialect.threshold_x: unknown key"):
        validate_check_settings({"dialect": {"threshold_x": 1}})


@pytest.mark.parametrize("text, found", [
    ("مابدي روح ومامنقدر نستنى", [("مابدي", True), ("ومامنقدر", True)]),    # «ما» before a strong marker
    ("رح تشوفهم عشانهم", [("رح", True), ("تشوفهم", True), ("عشانهم", True)]),   # a strong marker with an ending
    ("ماهية الأمر ومارح", []),                                       # «هيه» is weak, «رح» too short for «ما»
    ("البلايص هذيكه يبداو فيها نلقاو", [("البلايص", True), ("هذيكه", True), ("يبداو", True), ("نلقاو", True)]),
    ("قال تشاو إن الكاكاو", []),                                      # -او in a name or a noun: not a Maghrebi plural
    ("هي مشتركتش والمفتش هنا", [("مشتركتش", True)]),                  # م…تش with a past verb; «مفتش» an inspector
    ("تلات ساعات اخدت بالميه", [("تلات", True), ("اخدت", True), ("بالميه", True)]),  # ت for ث, د for ذ, «بالمية»
    ("معلش، شكون قال لهون؟ والو", [("معلش", True), ("شكون", True), ("لهون", True), ("والو", True)]),
    # MSA of Tatoeba that read as spoken: «بدى» seemed (not «بدي»), «كنتم» you were (not ك + ن + «تم»),
    # «هلّا» would you (the Levantine «هلأ» now has its hamza), «ديما» the name Dima
    ("بدى الأمر جنونيّا. أين كنتم جميعكم؟", []),
    ("هلّا أغلقت النافذة؟", [("هلّا", False)]),
    ("هلأ رايحين", [("هلأ", True), ("رايحين", True)]),
    ("تنهد ديما وقال", [("ديما", False)]),
    ("تخلّى سامي عن ليلى. وُلد في مدينة واكو", []),           # gave up (not «تخلي»); Waco, not و + «اكو»
    # the b- present of forms V and VI (ب + تتعلق: MSA's noun «بتعلّق» has one ت), and of «دعم», «قبل»
    ("اللي بتتعلق بالموضوع بتتميز وبتدعم بيقبلو", [("اللي", True), ("بتتعلق", True), ("بتتميز", True),
                                                  ("وبتدعم", True), ("بيقبلو", True)]),
    ("وتتميز بتميّز أدائها وبتعلّق الناس بها وبتقبّل النقد", []),   # ب + a verbal noun: MSA
    # a verb ending in ي drops it before the plural's -و: «بيحكوا», «بيمشوا», the futures «حيبقوا»,
    # «هينسوا»; «بيجو» (Peugeot) is too short a stem to be «جي» without its ي
    ("وكانوا بيحكوا وبيمشوا حيبقوا هينسوا", [("بيحكوا", True), ("وبيمشوا", True), ("حيبقوا", True),
                                         ("هينسوا", True)]),
    ("اشترى سيارة بيجو", []),
    # 11–19 as they are said (MSA writes «سبعة عشر», two words); «كرهبة» car, «سبيطار» hospital
    ("عمرو سبعطاش ولا خمستاشر ولا سبعطعش", [("سبعطاش", True), ("خمستاشر", True), ("سبعطعش", True)]),
    ("الكرهبة وصلت لصبيطار وقتاش؟", [("الكرهبة", True), ("لصبيطار", True), ("وقتاش", True)]),
    ("ايوه بكرا ازا نحنا رحنا", [("ايوه", True), ("بكرا", True), ("ازا", True), ("نحنا", True)]),
    # «بكرة» (a pulley, or Egyptian tomorrow) stays weak; «تنعش» revives, not Levantine twelve
    ("وجد الباحث بكرة في المصنع تنعش الاقتصاد", [("بكرة", False)]),
])
def test_negation_endings_and_spellings_of_speech(text, found):
    assert [(m.word, m.strong) for m in markers(text)] == found


@pytest.mark.parametrize("text, found", [
    # ما…ش with «ما» written apart (Tunisian FLORES: «ما واجهش هايتي مشاكل»); MSA's «ما» "what"
    # before a verb whose root ends in ش is not it
    ("قبل وصول القوات، ما واجهش هايتي مشاكل، وما يلزمش تستنى", [("ما واجهش", True), ("وما يلزمش", True)]),
    ("هذا ما يعيش عليه الناس وما يناقش البرلمان وما يفتش عنه المحققون وما الجيش إلا أداة", []),
    # «هال» "this" before a noun: behind a preposition or before a noun's shape; names are not it
    ("للتسجيل بهالبرامج ولهالسبب هالإشي صعب وهالحكومات", [("بهالبرامج", True), ("ولهالسبب", True),
                                                        ("هالإشي", True), ("وهالحكومات", True)]),
    ("هالمكان", []),
    ("احتفلوا بهالووين في هاليفاكس مع هالكيت والجنود هالكين", []),
    # «هاي» before a noun with ال; «ذي هاي بريد» (a band's name) is MSA news
    ("هاي الطريقة أحسن", [("هاي الطريقة", True)]), ("فريق ذي هاي بريد من بريستول", []),
    # «ينجم عن» "results from" is MSA; the Tunisian «ينجم» "can" is not followed by «عن»
    ("الأضرار التي تنجم عن الزلزال وما ينجم عنه كبيرة", []),
    ("ينجم يجي غدوة", [("ينجم", True), ("يجي", True)]),
    # ي for ئ and no final hamza, as said; the Iraqi progressive د-; a hundred; 13 and 19 with ال
    ("لكن السايق كان غايب عن الضرايب والعلما بالفضا", [("السايق", True), ("غايب", True), ("الضرايب", True),
                                                    ("والعلما", True), ("بالفضا", True)]),
    ("هو ديسوي الأكل ودنروح للسوق، والدين والديمقراطية", [("ديسوي", True), ("ودنروح", True)]),
    ("استنى شوية، الولايات الثلطاش والقرن التسطاش مية نقطة", [("شوية", True), ("الثلطاش", True),
                                                          ("التسطاش", True), ("مية", True)]),
    ("سافر فورًا إلى الدار البيضاء", []),   # «فورا» is not ف + a marker
    # «عال» for «على ال»; MSA's «عالمية», «عالية», «فعاليتها», «عالجها», «عالق» are not it
    ("حطوا الكتاب عالطاولة وقعدوا عالأرض", [("عالطاولة", True), ("عالأرض", True)]),
    ("فعاليتها عالية في العالم، عالجها الطبيب وهو عالق، عالمية عالمات", []),
    # the b- present's plural with ب alone; MSA's «بلغوا», «بنوا», «بحثوا» are past verbs
    ("الناس بقولوا إنهم بعملو هيك", [("بقولوا", True), ("بعملو", True), ("هيك", True)]),
    ("بلغوا القمة وبنوا بيوتا وبحثوا عن الماء", []),
    # «ممكن» / «يمكن» right before a verb; MSA has «أن» or a verbal noun between
    ("ممكن يكون صح ويمكن نروح", [("ممكن", False), ("ممكن يكون", True), ("ويمكن نروح", True)]),
    ("يمكن تحقيقه ويمكن أن يكون", []),
    # «وأكو» (and there is) is not «واكو» (Waco); «واجه» (faced) is not و + Iraqi «اجه» (came)
    ("وأكو طبعاً معادن مثل الفضة", [("وأكو", True)]), ("واجه سامي صعوبة في التأقلم", []),
    ("لقيوا الكيس فاضي، والتجول بيستحق", [("لقيوا", True), ("فاضي", True), ("بيستحق", True)]),
    # a sukun on a word's first letter is Maghrebi writing (Tatoeba); MSA's article with an odd
    # sukun on its alef is not it
    ("البارَح كانْ نْهارْ شْبَابْ.", [("البارَح", True), ("نْهارْ", True), ("شْبَابْ", True)]),
    ("اْلإنْسَانُ اْلشَّرِيفُ", []),
    ("يمكن تكون قيمة الرقم، ياريت بشوي", [("يمكن تكون", True), ("ياريت", True), ("بشوي", True)]),
    ("شعرها مبلول والأرض مبلولة", []),   # «مبلول» wet is MSA too (Tatoeba)
    # MSA formulas of news a newsroom trial saw flagged: «فيما يلي» "the following", «بأجر» "with
    # pay" (not Gulf «باجر» "tomorrow"), «وراح» "went, fell" before a noun
    ("وفيما يلي نص البيان كاملاً: وتضمنت التوصيات ما يلي، واليوم الذي يلي الانتخابات، يلي ذلك اجتماع", []),
    ("حصل الموظفون على إجازة بأجر كامل", []), ("نلتقي باجر", [("باجر", True)]),
    ("وراح الجنود يبحثون عن الناجين وراح ضحية الهجوم عشرات", []),
    ("الشي يلي بدي ياه", [("يلي", False), ("بدي", True)]), ("راح يصير", [("راح", False), ("راح يصير", True)]),
    # a second trial's 150 MSA paragraphs: names and MSA words read as markers
    ("وقع الرئيس الصيني شي جين بينغ وقال محافظ ديالى إن شركة زين ستصرف بدل السكن", []),
    ("في مخيم المية ومية، ذكرى رحيل الباهي الأدغم، والانشغال بمتاع الدنيا، وقد عاد توا", []),
    ("سجل هالاند هدفين ولبّت الشركة حاجة الأسواق", []), ("لا آوي أحدا وقد أوى إليه", []),
    ("قتل صاحب بقالة ونجى رئيس الوزراء من محاولة اغتيال", []),           # a grocery; survived
    ("توفي عم الرئيس وفاز الفريق في ديربي العاصمة", []),                   # an uncle; a derby
    ("الاقتصاد يواجه حاجة ماسة إلى الاستثمارات", []),
    # a third trial's spoken quotations: Gulf, Iraqi written with چ / گ, Levantine «منعرف», Maghrebi
    ("أبغى أروح، هذا مب زين، جذي أحسن", [("أبغى", True), ("مب", True), ("زين", False), ("جذي", True)]),
    ("هيچ صار وچان يگول", [("هيچ", True), ("وچان", True), ("يگول", True)]),
    # more Iraqi spellings with چ / گ (quotations written for the project in newsroom Iraqi)
    ("چنا على وشك نشن حرب، وگالوا إن الطوبة وگعت فوگ الحارس", [("چنا", True), ("وگالوا", True), ("وگعت", True),
                                                              ("فوگ", True)]),
    ("ولگوا جثته بعد ساعة، والتقارير تگول إنهم چانوا گاعدين", [("ولگوا", True), ("تگول", True), ("چانوا", True),
                                                             ("گاعدين", True)]),
    # MSA news writes گ / ڤ / پ in names (Moroccan place names, foreign names): not a marker
    ("وصل الوفد إلى أگادير ثم إلى گلميم، والتقى پول ماكارتني في ڤيينا", []),
    ("منعرف لوين، وبغينا نشوف الدراري", [("منعرف", True), ("لوين", True), ("وبغينا", True), ("نشوف", True),
                                         ("الدراري", True)]),
    # and its spoken quotations' words the markers lacked
    ("الامتحان كان صعب أوي، بقالي ساعتين واقف", [("أوي", True), ("بقالي", True)]),
    ("وبنضطر نستدين ومصرياتنا راحت ويجون يسألون ومحد يدري", [("وبنضطر", True), ("ومصرياتنا", True), ("ويجون", True),
                                                          ("ومحد", True)]),
    ("الخضرا راهي فايقة والغربة صعيبة والمنتخب يبيله مدرب", [("راهي", True), ("صعيبة", True), ("يبيله", True)]),
])
def test_split_negation_demonstratives_and_more_spellings_of_speech(text, found):
    assert [(m.word, m.strong) for m in markers(text)] == found


# --- measured out of sample, two-fold by document (bench/dialect.py; figures in docs/checks.md) ---

@pytest.fixture(scope="module")
def measured():
    pytest.importorskip("sklearn")  # the bench trains a model on each half (the `test` extra installs it)
    return measure(DATA / "dialects", DATA / "ntrex-dev")


def test_false_alarms_on_msa_are_within_the_aims(measured):
    pooled = measured["pooled"]
    assert pooled.news[1] == 1662 and pooled.flores_msa[1] == 517
    assert pooled.rate(pooled.news) <= 0.02
    assert pooled.rate(pooled.flores_msa) <= 0.05
    # at most 0.5 points added to the clean-paragraph warning rate (an upper bound: all NTREX paragraphs)
    assert pooled.clean_paragraphs[1] == 893 and pooled.rate(pooled.clean_paragraphs) <= 0.005


# The issue aims at 85% per variety and 90% of mixed paragraphs; not all met (docs/checks.md). The
# figures are held a little below the measured level, pooled over both halves and on the held-out
# half alone (the floors it held when the shipped model was trained on the train half only), so a
# change that loses recall fails.
FLOORS = {"arz": 0.87, "apc": 0.80, "ajp": 0.76, "acm": 0.59, "aeb": 0.77, "ary": 0.89}
HELD_OUT_FLOORS = {"arz": 0.85, "apc": 0.76, "ajp": 0.70, "acm": 0.55, "aeb": 0.71, "ary": 0.89}


@pytest.mark.parametrize("code", list(FLOORS))
def test_spoken_sentences_are_flagged(measured, code):
    pooled, held_out = measured["pooled"], measured["held-out"]
    assert pooled.spoken[code][1] == 517 and held_out.spoken[code][1] == 224
    assert pooled.rate(pooled.spoken[code]) >= FLOORS[code]
    assert held_out.rate(held_out.spoken[code]) >= HELD_OUT_FLOORS[code]


def test_the_variety_named_is_rarely_wrong(measured):
    """Of the spoken sentences flagged (six varieties, pooled), the message names the right variety
    for about two in three, another for fewer than one in ten (the rest: "variety unclear")."""
    counts = [measured["pooled"].naming[code] for code in FLOORS]
    right, wrong, unclear = (sum(c[k] for c in counts) for k in range(3))
    total = right + wrong + unclear
    assert total == sum(measured["pooled"].spoken[code][0] for code in FLOORS)
    assert right / total >= 0.64 and wrong / total <= 0.08


def test_news_paragraphs_with_a_spoken_quotation_are_flagged(measured):
    pooled = measured["pooled"]
    assert pooled.mixed[1] >= 700
    assert pooled.rate(pooled.mixed) >= 0.79 and measured["held-out"].rate(measured["held-out"].mixed) >= 0.74


def test_every_flag_says_which_words_or_that_none_stands_out():
    """A trial saw a flag naming no words at all (the model alone, no word leaning much)."""
    lines = (DATA / "dialects" / "flores200.dev-half.acm").read_text(encoding="utf-8").splitlines()[:150]
    messages = [found[0].message for found in map(flags, lines) if found]
    assert len(messages) > 50
    assert all("(words: «" in m or "(no single word stands out" in m for m in messages)
