"""Spoken Arabic: the words that give a variety away, written down by hand.

Written news is Modern Standard Arabic (MSA); a quotation may be in a spoken variety, which the
translation models handle far worse. These markers are function words and affixes that MSA does
not use: negation (مش, ما…ش), the future (ح-, ه-, غادي, باش), demonstratives and adverbs (هيك,
دلوقتي, هلق, دابا, هسه), "want" (بدّي), question words (شو, إيش, واش, شنو), the possessive
(ديال, بتاع, متاع). Each word was checked against MSA news (NTREX-128): a word MSA also uses
in another sense («دول» countries, «زي» uniform, «هواية» hobby, «لمن» for whom, «تبع»
followed, «بدو» Bedouin, «عم» uncle, «صار» became, «أبي» my father, «هاي» in names like «ذي هاي
بريد») is left out, or kept as a weak marker that needs support.

Words are compared in their `matching_form` (hamza forms of alef, ta marbuta and alef maqsura
made one, tashkeel gone), with «و» or «ف» allowed in front. `pipeline/checks/dialect.py` adds a
small statistical model (`dialect_model.json`) for what a word list cannot see.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .arabic import ARABIC_LETTERS, matching_form, strip_tashkeel

EGYPTIAN = "Egyptian"
LEVANTINE = "Levantine"
IRAQI_GULF = "Iraqi/Gulf"
MAGHREBI = "Maghrebi"
SPOKEN = ""  # spoken Arabic common to several varieties: says "spoken", not which
VARIETIES = (EGYPTIAN, LEVANTINE, IRAQI_GULF, MAGHREBI)

# Strong markers: words MSA does not write. One is enough to call a sentence spoken.
_STRONG = {
    SPOKEN: "اللي للي باللي مش موش ليش فين كتير كتيره اكتر التاني التانيه تاني تانيه "
            "التانيين انو لانو بانو عشان علشان كمان لسه لسا هيك لهيك منشان مشان هيدا هيدي "
            "هاد هادا هاذا هاذي عندو ماعندوش معندوش مافي مافيش مفيش ماكانش مكانش مكنش بعدين كويس كويسه "
            "مبارح شاف شافت شافو شافوا يشوف تشوف نشوف يشوفوا يشوفو ماشي مليان مليانه "
            "بيها بيهم ليها ليهم ياخد تاخد ناخد ياخدو ياخدوا يوخد توخد دايما دايمن الصبح "
            "معاه معاها معاهم معايا معاك معانا معاكم احنا "
            # ت for ث and د for ذ as people say them (MSA: ثلاث, اثنين, أكثر, أخذ); «بالمية» percent
            # (MSA: بالمائة, في المئة); «بتمّ» the b-present of تمّ; «ومش» (three letters: see _marker)
            "تلات تلاته تلاتين التلات التلاته اتنين الاتنين الاكتر اخد اخدت اخدو اخدوا اخدنا "
            "بالميه بتم ومش الاشي هالاشي لكنو منو الماي ايش "
            # said in more than one variety, so they name none: «امبارح» (Egyptian, Levantine),
            # «هالشي» (Levantine, Iraqi, Gulf), «هسه» / «هسا» (Iraqi, Jordanian, Palestinian)
            "امبارح هالشي هسه هسا "
            # «ايوه» yes; «بكرا» tomorrow (MSA «بكرة» a pulley is written with ة); «هديك» that;
            # 11–19 as said in the Levant, Iraq and the Gulf (MSA writes «أحد عشر», two words)
            "ايوه بكرا هديك احدعش حدعش اتنعش اطنعش اثنعش تلطعش ثلطعش اربعطعش خمسطعش ستعش سطعش "
            "سبعطعش تمنطعش ثمنطعش تسعطعش "
            # ي for ئ and no final hamza, as people say them (MSA: سائق, غائبين, ضرائب, قراءة; الفضاء,
            # الصحراء, الأشياء, الضوء); «شوية» a little; «بلكي» maybe;
            # «مية» a hundred, and water in Egypt (MSA: مئة, مياه)
            "السايق سايق غايب غايبين غايبه نايم رايح رايحه رايحين عايش خايف طايره دايره قايمه "
            "ضرايب الضرايب وثايق رسايل عجايب دقايق حقايق نتايج وسايل الجاي الجايه جايين قرايه القرايه "
            "الفضا الصحرا الشتا الدوا الغدا العشا الاشيا العلما الوزرا الفقرا الضو "
            "شويه بشويه بلكي هسع ميه الميه عيله العيله حايط الحايط حياطين الحياطين تلث البارح شوف "
            "حبيت وحدو لقيوا لقيو فاضي فاضيه هزايم حدايق الحدايق ياريت بشوي "
            # «يجي» comes (MSA: «يجيء», «يأتي»), «محد» nobody
            "يجي تجي نجي يجون تجون يجوا محد",
    EGYPTIAN: "ده ودا كده كدا دلوقتي دلوقت ازاي بتاع بتاعه بتاعت بتوع عايز عاوز عايزه عايزين "
              "بقالي بقالنا بقاله بقالها بقالهم بقالك اوي "
              "عاوزين بيبقي بيبقوا هيبقي هتبقي ماحدش محدش برضه بردو برده النهارده مابيش امتي معلش "
              "حداشر اتناشر تلتاشر اربعتاشر خمستاشر ستاشر سبعتاشر تمنتاشر تسعتاشر",
    LEVANTINE: "هلق هلا هون هنيك هيدول هدول بدي بدك بدنا بدهم بدها ليكو منيح منيحه كتار "
               "رح اشي شوي فش مافش مسكر مسكره زلمه عنجد منقدر بنقدر بكتير اجت "
               "بلش بلشت بلشو بلشوا بلشنا يبلش تبلش مصاري المصاري قديش اديش هودي كرمال هونه لهون لهلق ازا نحنا "
               "هلقيت هيكي لحتى مصرياتي مصرياتنا مصرياته مصرياتهم منعرف منشوف منروح لوين",
    IRAQI_GULF: "اكو ماكو شكو شلون كلش هيج ويه يكدر تكدر يكدرون نكدر اكدر هذول هاذول "
                "شنو شنهو وش يبون دحين ويا وياه ويانا زغير زغيره يدز يدزون همين ومو "
                "يكول تكول يكولون تكولون نكول يكولو كالت كالوا كالو شكد دزو دزوا دزت هذوله ينطي تنطي انطي "
                "ينطون هذني ذوله شبيك باجر باچر هيچي "
                "وكت يكعد كاعد كاعده كاعدين بلكت صدك مالتي مالته مالتها مالتهم مالتنا وياهم وياي وياك "
                "كدام كدامك كدامه كدامي لخ يبيله يبيلها يبيلهم تبيله تبيلها "
                # Gulf «أبغى» (I want), «مب» (not), «جذي» (so), «شفيك»; Iraqi written with چ / گ
                "ابغي نبغي تبغي يبغي مب جذي شفيك شفيه شفيها هيچ چان چانت گال گالت يگول گاعد "
                # more of «قال», «كان», «قعد», «لقي», «وقف», «وقع», «فوق», «وقت», «قدام» as Iraqi and Gulf
                # writers spell them (گ for their g, چ for their ch): letters MSA never writes in a word
                "گالوا گالو گلت گلنا گلتله گلتلك اگول تگول نگول يگولون تگولون يگولوا يگولو "
                "چانوا چانو چنت چنا چنتوا چنتو يچون تچون نچون اچون ذيچ هذيچ هاذيچ "
                "گاعده گاعدين گعد گعدت گعدوا يگعد تگعد نگعد لگوا لگو لگيت لگينا لگاه يلگي يلگون "
                "وگف وگفت وگفوا يوگف توگف وگع وگعت وگعوا يوگع فوگ الفوگ فوگاني فوگانيه الفوگانيه "
                "وگت الوگت گدام گدامه گدامي صدگ",
    MAGHREBI: "ديال ديالو ديالها ديالهم ديالنا ديالي نتاع نتاعو متاع متاعو متاعها متاعهم متاعنا "
              "بزاف برشا برشه دابا واخا كاين كاينه كاينين مكاينش كاع هادشي داكشي "
              "هاذشي علاش كيفاش فاش منين واش باش بش تنجم ينجم ينجمو تنجمو زاده زادا "
              "مافماش بلاصه البلاصه جوج الزوز هوما شنوه باهي فيسع شحال مزيان "
              "ولات ولاو حوايج الحوايج لحوايج لقاو هكاك لاحقاش "
              "ماهوش ماهيش ماهمش مانيش ماكش ماناش هذاك هذيك هاذاك هاذيك هاداك هاديك هادوك هادو هذوما زوز "
              "هذيكه هاذيكه هذاكه هاذاكه باهيه باهين بلايص البلايص بالميا هكا هكاكا انتوما "
              "شكون كهو ساهل صعيب ثماش يخمم تخمم نخمم والو فماش شنيه اشنوه وقتاش قداش "
              "كرهبه الكرهبه كرهبتي كرهبتو كرهبتها كراهب سبيطار صبيطار السبيطار الصبيطار "
              "احداش حداش طناش اطناش تلطاش ثلطاش اربعطاش ربعطاش خمسطاش ستاش سطاش سبعطاش تمنطاش ثمنطاش تسعطاش "
              "تسطاش التسطاش التلطاش الثلطاش الستاش السطاش الباهي مافمش فمش هوني ياخي يزي بالشوي الماكله "
              "التحويس لبسان سراول راهي راهو صعيبه بغينا راني الدراري بهاذ",
}
# Weak markers: spoken, but MSA has the same letters in another sense now and then, or a news
# writer may use them («ممكن», «لازم», «بس»). They count only with other evidence.
_WEAK = {
    SPOKEN: "بس ممكن لازم هيه بدل شي زي حاجه ليه عم راح بيكون بتكون يلي وين طلع طلعت حكي حكت يخلي تخلي "
            "لحد الها جنب بيه",
    EGYPTIAN: "خالص بكره دا وده",
    LEVANTINE: "متل شو حدا تبعو تبعها تبعهم تبعنا همه ولاد المي",
    IRAQI_GULF: "هذي لمن يبي تبي زين مو كال لكو جا هوايه",
    # «ديما» (always) is also the name Dima, common enough (Tatoeba has a whole story of him)
    MAGHREBI: "توا توه غادي بحال فما كيما حنا راه بغيت اش خاطر خاصك ديما تتسمي",
}


def _table(groups: dict[str, str]) -> dict[str, str]:
    table = {}
    for variety, words in groups.items():
        for word in words.split():
            table.setdefault(word, variety)
    return table


STRONG_MARKERS = _table(_STRONG)
WEAK_MARKERS = {w: v for w, v in _table(_WEAK).items() if w not in STRONG_MARKERS}

# Negation around the verb, «ما…ش» / «م…ش» (مكانش, ماعرفتش, ميعرفش, منقدرش, مشتركتش): MSA words
# that start with م and end with ش are nouns and participles (مفتش, متوحش, مهمش), so the stem must
# begin like a verb or a pronoun-carrying preposition, or end in the past's -ت with three letters
# or more between م and -تش («مفتش» has one).
_CIRCUMFIX_NEGATION = re.compile(
    r"^(?:ما[^\s]{3,}|م[يتن][^\s]{3,}|م(?:كان|كانت|فيه?|عند[^\s]*|ل[^\s]+|ب[يت][^\s]+)|م[^\s]{3,}ت)ش$")
# Present with b- before a subject prefix and a common verb (Egyptian, Levantine): بيعمل, بتقول,
# بتتعلق, بيستخدموها. MSA writes ب + a verbal noun that can look the same («بتوفّر» "with the
# provision of", «بتآكل» "with the erosion of", «بتعلّق»), so a stem that is also a verbal noun
# after ت is allowed only after ي or ن; «بيكون» (Bacon) and «بتكون» (with the forming of) stay
# weak markers.
_VERBS = ("عمل|قول|حب|روح|ضطر|شوف|خاف|قدر|عرف|جي|اخد|خلي|حكي|شتغل|دور|رجع|بقي|ستخدم|ستعمل|حتوي|عتمد|"
          "غطي|نزل|بدا|سمح|عيش|طلع|صير|ساعد|ختلف|وصل|حاول|شمل|عتبر|جذب|تعلق|تضمن|تم|حتاج|فكر|"
          "شتري|لعب|كتب|اكل|وفر|مشي|خلق|تميز|قدم|حط|عطي|قعد|ضل|ظل|فضل|جمع|شهد|قع|كلم|تكلم|دفع|"
          "حصل|كسب|لاقي|لقي|سال|سكن|زور|فتح|نام|صحي|درس|تعلم|علم|ربح|خسر|بيع|شرب|لبس|وقف|مسك|"
          "ضرب|حضر|طلب|رفض|عرض|حمي|بني|هرب|غير|ختار|نتظر|قرر|جرب|حسب|قرا|سمع|نقل|حمل|خرج|دخل|"
          "ضمن|حتفل|عدم|تشكل|تحرك|ستني|ساوي|فهم|عني|نسي|حس|خلص|بلش|بعت|جيب|سوي|شبه|بلغ|شرح|ركز|دعم|قبل|"
          "ضيف|بدل|شيل|وقع|مثل|لفت|لمح|شجع|ضوي|سمي|صور|رسم|غني|ركض|سبح|طير|كبر|زيد|نقص|فرق|وصف|سوق|"
          "صرف|نشر|حكم|قتل|ربي|زرع|طبخ|غسل|نضف|رتب|جهز|صلح|كسر|سكر|قفل|ضحك|بكي|صرخ|نادي|جاوب|ترك|سيب|"
          "عدي|ركب|سافر|حرق|بعد|قرب|حفظ|ستفيد|ستقبل|نتج|نتشر|نقذ|حدد|حقق|تطلب|طور|ستحق|متد|شير|ضم")
_AMBIGUOUS_AFTER_T = ("اكل|وفر|مشي|خلق|قدم|جمع|غير|نقل|حمل|خرج|دخل|عرض|وقف|بني|علم|كلم|عرف|"
                      "وصل|فضل|مسك|طلب|فتح|حضر|قرر|هرب|فهم|خلص|شبه|بلغ|ركز|قبل|بدل|وقع|مثل|لفت|شجع|صور|رسم|غني|"
                      "كبر|زيد|فرق|وصف|صرف|حكم|ربي|جهز|صلح|كسر|قفل|ركب|حرق|بعد|قرب|حفظ|حدد|حقق|طور|سوق")  # ب + ت + these is also an MSA verbal noun: «بتجمّع», «بتدخّل»
# (never a stem of forms V and VI, which begins with ت: «بتتعلق» is ب + تتعلق, the noun «بتعلّق» has one ت)
_SUFFIX = "(?:وا|و|ون|ي|ين|ها|هم|ه|ك|كم|نا|وها|وهم|وه|ني|لها|له|لهم|لك|ش)?"
# A verb ending in ي drops it before the plural's -و («بيحكوا», «بيمشوا», «حيبقوا»): its stem
# without ي and a plural ending (two letters or more left: «بيجو» is Peugeot).
_DEFECTIVE = "|".join(verb[:-1] for verb in _VERBS.split("|") if verb.endswith("ي") and len(verb) > 2)
_VERB = rf"(?:(?:{_VERBS}){_SUFFIX}|(?:{_DEFECTIVE})(?:وا|و|ون|وها|وهم|وه|ولها|وله|ولهم|ولك))"
_B_PRESENT = re.compile(
    rf"^(?:و|ف)?(?:ب[ين]|بت(?!(?:{_AMBIGUOUS_AFTER_T}){_SUFFIX}$)){_VERB}$")
# The future with ه- (Egyptian) and ح- (Egyptian, and Levantine beside «رح», a word above).
# «هياكل» (structures) is MSA, not ه + ياكل.
# («حتفهم» "their death", MSA news's «لقي حتفه», is not ح + «تفهم» "you will understand")
_H_FUTURE = re.compile(rf"^(?:و|ف)?(?!حتف(?:ه|ها|هم|هما|هن)$)ح(?:ي|ت|ن)(?:كون{_SUFFIX}|{_VERB})$")
# The b- present's plural with ب alone before the verb (Levantine «بقولوا», «بعملو», «بحكوا»):
# MSA writes ب + a noun, never ب + a verb with the plural's -و.
_B_PLURAL = re.compile(rf"^(?:و|ف)?ب(?:{_VERBS}|{_DEFECTIVE})وا?$")
_HA_FUTURE = re.compile(rf"^(?:و|ف)?(?!هياكل)ه(?:ي|ت|ن)(?:كون{_SUFFIX}|{_VERB})$")
# Moroccan and Algerian progressive ك- / كا- / تي- before a subject prefix: كيقول, كنعرف,
# كاتضمن, تيخافو (تيكون without it), over the same common verbs («كاتب» a writer is not one, nor
# MSA's «كنتم» you were, ك + ن + «تم»).
_K_PRESENT = re.compile(rf"^(?:و|ف)?(?!كنتم)(?:(?:كا|ك|تي)(?:ي|ت|ن)|تي)(?:دير|بغي|خدم|سمي|تسمي|كون|{_VERBS})[^\s]{{0,4}}$")
# The present plural without its -ن («كانوا يقدموا», «يحاولوا يخدموا»): MSA drops it only after
# a particle (أن، لن، لم، كي، حتى، لا), the spoken varieties always, and the Maghrebi write it
# -و («يصححو»; not after يو-/يا-, where Japanese names are: «ياماموتو»). Only the ي- person: ت- is
# also the past of forms V and VI («تجمعوا», «تظاهروا»). The stem has three letters or more:
# «يدعوا» is a common misspelling of «يدعو». MSA copy slips now and then («ينتموا»), so one is
# a weak marker and two are strong.
_PLURAL_WITHOUT_N = re.compile(r"^(?:و|ف)?ي(?![وا])[^\s]{3,}وا?$")
# The Maghrebi present plural of verbs ending in a vowel, -او («يبداو», «نلقاو», «تتعداو»): MSA
# writes -ون / -وا; five letters or more (names such as «تشاو» are shorter).
_MAGHREBI_PLURAL = re.compile(r"^(?:و|ف)?[يتن][^\s]{2,}او$")
_SUBJUNCTIVE = {"ان", "لن", "لم", "كي", "لكي", "حتي", "لا", "ولم", "ولن", "وان", "فلم", "فلن", "الا", "لئلا", "وحتي",
                "لكيلا", "ولكي", "لما", "ولا", "فلا", "كيلا", "بان", "وبان"}
# The progressive with an auxiliary before a present verb: Levantine «عم» («عم يقول», «عم بتشتغل»)
# and «قاعد» (Tunisian, Gulf, Egyptian: «قاعد يتصب»). MSA has «عمّ» "spread" before a noun
# («عمّ الصمت»), «عم» "uncle" before a name, and «عمّ» "about what" (عن + ما) before a verb («عمّ
# تتكلمون», Tatoeba): written with its shadda, «عمّ» is not taken as the auxiliary. «قاعدة» "base"
# («قاعدة بيانات») is not one either. «راح» before a present verb is the future (Levantine, Iraqi:
# «راح يصير»); MSA's «راح» "went" takes a noun, or «راح يفعل» "set about doing" in literary prose,
# rare in news (none in NTREX), and the model must lean to spoken as well (`strong_marker_score`).
_PROGRESSIVE = {"عم": LEVANTINE, "وعم": LEVANTINE, "قاعد": SPOKEN, "وقاعد": SPOKEN, "قاعدين": SPOKEN,
                "راح": SPOKEN}
_PRESENT = re.compile(r"^(?:و|ف)?ب?[يتن][^\s]{2,}$")
# The negation ما…ش with «ما» written apart («ما واجهش», «ما يلزمش», Tunisian, Egyptian, Maghrebi):
# a word of three letters or more before its -ش, not a noun with ال. After MSA's «ما» ("what")
# come verbs whose root ends in ش («ما يعيش», «ما يناقش», «ما يفتش»): their stems are left out.
_SPLIT_NEGATION = re.compile(r"^(?:و|ف)?(?!ال)[^\s]{3,}ش$")
_AFTER_MA = {"ما", "وما"}
_MSA_STEMS_IN_SH = re.compile(
    r"^(?:و|ف)?(?:[يتنا]|ست|ت)?(?:عيش|عاش|عايش|ناقش|نقاش|فتش|فتيش|جيش|دهش|وحش|عطش|نعش|تعش|رعش|رتعش|طيش|بطش|خدش|نبش|"
    r"فحش|غش|رش|هش|حرش|تحرش|همش|كمش|نكمش|شوش|نقش|فرش|قماش|فراش|عرش|كبش|نتعش|ندهش|ستوحش|توحش|هرش|خش|بحش)$")
# «هاي» "this" before a noun with ال («هاي الطريقة»; Levantine, Iraqi): alone it is a name's
# («ذي هاي بريد») or the greeting, so only before the article.
_DEMONSTRATIVE = {"هاي", "وهاي"}
# «يمكن» / «ممكن» "maybe, can" right before a verb of the third or first person («ممكن يكون»,
# «يمكن يوصلك»): MSA puts «أن» between («يمكن أن يكون»), or a verbal noun («يمكن تحقيقه»,
# which is why a verb with ت- is not taken, but for «تكون»).
_MAYBE = {"يمكن", "ويمكن", "ممكن", "وممكن"}
_MAYBE_VERB = re.compile(r"^(?:[ين][^\s]{2,}|تكون|تكونو|تكونوا)$")
# A sukun on a word's first letter («نْهار», «عْلى», «وْصف»): Maghrebi writers mark the cluster a
# word begins with; MSA words never begin with a vowelless letter (an alef with sukun, «اْلبلدة»,
# is MSA's article written oddly, and not taken).
_SUKUN_FIRST = re.compile("^[\u0628-\u064a]\u0652")
# Markers of two words, spoken in every variety: (the word before, a test of the word).
_PAIRS = ((_AFTER_MA, lambda word: bool(_SPLIT_NEGATION.match(word)) and not _MSA_STEMS_IN_SH.match(word)),
          (_DEMONSTRATIVE, lambda word: word.startswith("ال") and len(word) > 3),
          (_MAYBE, _MAYBE_VERB.match))
# The demonstrative «هال» "this" before a noun («هالمكان», «بهالبرامج», «لهالسبب»; Levantine,
# Iraqi, Gulf, Tunisian). Names begin so too («هالووين», «هاليفاكس», «هالكيت»: Halloween, Halifax,
# Halkett, the Faroese village «هالدارسفيك») and MSA's «هالك» "perishing": only behind a preposition
# («بهالبرامج») or before a noun's shape — a hamza or alef first («هالإشي», «هالأشياء»), or a
# feminine or plural ending («هالنظرية», «هالحكومات»).
_HAL = re.compile(r"^(?:و|ف)?(ب|ل|ع)?هال(?![كوي])(?!اند$)([^\s]{3,})$")  # «هالاند»: Haaland
# «عال» for «على ال» before a noun («عالأرض», «عالجمب», «عالمستشفى»): not MSA's «عالم» /
# «عالمي» … "world", «عالية» "high" («فعالية» "effectiveness"), «عالق» "stuck", «عالج» "treated".
_ALA = re.compile(r"^(?:و|ف)?عال(?!م(?:ي|ه|ا|ين|ون|نا|ك|هم|يه|يا|يين|يتين|يون|ات|ان)?$)(?!ي)(?!ق)(?!ج(?:[توهن]|$))"
                  r"[^\s]{3,}$")
# The Iraqi progressive د- before a subject prefix and a common verb («ديسوي», «دنروح»).
_D_PROGRESSIVE = re.compile(rf"^(?:و|ف)?(?!ديربي)د(?:ي|ت|ن)(?:{_VERBS}){_SUFFIX}$")  # «ديربي»: a derby
# Markers that are MSA before a word: «ينجم عن» "results from" (Tunisian «ينجم» "can").
_MSA_BEFORE = {f"{conjunction}{verb}": {"عن", "عنه", "عنها", "عنهم"}
               for conjunction in ("", "و", "ف") for verb in ("ينجم", "تنجم")}
# «يلي» "that follows" is MSA after «ما» / «فيما» / «الذي» («وفيما يلي نص البيان:», «اليوم الذي
# يلي») and before «ذلك»; spoken «يلي» is "who, which" («الشي يلي بدي ياه»).
_MSA_BEFORE["يلي"] = {"ذلك", "هذا", "هذه"}
# Names and MSA phrases a newsroom trial's MSA copy had: «شي جين بينغ» (Xi Jinping), «المية ومية»
# (a camp near Sidon), «الباهي الأدغم» (a Tunisian prime minister), «زين العابدين»
_MSA_BEFORE.update({"شي": {"جين", "جينبينغ"}, "المية": {"ومية"}, "الميه": {"وميه"}, "الباهي": {"الادغم"},
                    "زين": {"العابدين", "الدين"}, "حاجه": {"ماسه", "ملحه"}})  # «حاجة ماسة» urgent need
_MSA_AFTER = {"يلي": {"ما", "فيما", "وفيما", "كما", "مما", "وما", "لما", "الذي", "التي", "والذي", "والتي", "الذين"},
              "ومية": {"المية"}, "وميه": {"الميه"},
              "زين": {"شركه", "مجموعه", "اتصالات"},                    # Zain, the telecoms company (matching forms: ة is ه)
              "حاجه": {"في", "وفي", "لا", "دون"},                      # «في حاجة ل…» "in need of"
              # «عاد توا» "has just come back": MSA; Tunisian «توا» "now" does not follow these verbs
              "توا": {"عاد", "عادت", "وصل", "وصلت", "خرج", "خرجت", "انتهى", "انتهي", "انتهت", "قدم", "رحل", "غادر"}}
# Before a noun with ال these are MSA: «وراح ضحية الهجوم», «راح الجنود» (went, fell; before a
# present verb «راح» is the spoken future, a strong marker of its own: _PROGRESSIVE), «بدل السكن»
# (an allowance), «حاجة الأسواق» (need).
_MSA_BEFORE_NOUN = {"راح": ("ال", "ضحي"), "وراح": ("ال", "ضحي"), "فراح": ("ال", "ضحي"),
                    "بدل": ("ال",), "وبدل": ("ال",), "حاجه": ("ال",), "وحاجه": ("ال",),
                    "عم": ("ال",)}  # «عم الرئيس»: the president's uncle
_PATTERNS = ((_CIRCUMFIX_NEGATION, SPOKEN), (_B_PRESENT, SPOKEN), (_H_FUTURE, SPOKEN), (_HA_FUTURE, EGYPTIAN),
             (_K_PRESENT, MAGHREBI), (_MAGHREBI_PLURAL, MAGHREBI), (_D_PROGRESSIVE, IRAQI_GULF),
             (_B_PLURAL, SPOKEN), (_ALA, SPOKEN))
# The patterns as one regex, each alternative named by its place in _PATTERNS: a word is matched
# once, not once per pattern (most words match none). An alternation tries its alternatives in order,
# so a form's match is the first pattern it matches.
_ANY_PATTERN = re.compile("|".join(f"(?P<p{i}>{pattern.pattern})" for i, (pattern, _) in enumerate(_PATTERNS)))
# Object and possessive endings a listed strong marker may carry («تشوفهم», «عشانهم», «بلشها»).
_ENDINGS = ("ها", "هم", "كم", "نا", "ني", "وها", "وهم")

# A word goes on through tashkeel and kashida («رحّب» is one word, not «رح» + «ب»).
_WORD = re.compile(f"[{ARABIC_LETTERS}][{ARABIC_LETTERS}\u064b-\u0652\u0640]*")


@dataclass(frozen=True)
class Marker:
    word: str      # as written in the text
    variety: str   # one of VARIETIES, or SPOKEN when several varieties share it
    strong: bool


def words(text: str) -> list[tuple[str, str]]:
    """(as written, matching form) for every Arabic word of `text`."""
    found = _WORD.findall(text)
    return list(zip(found, map(matching_form, found)))


def markers(text: str, written: list[tuple[str, str]] | None = None) -> list[Marker]:
    """The dialect markers of `text`, in order, each distinct word once (`written`: its `words`
    when the caller has them already)."""
    found: dict[str, Marker] = {}
    previous, previous_written = "", ""
    sequence = words(text) if written is None else written
    for i, (written_word, word) in enumerate(sequence):
        if previous in _PROGRESSIVE and _PRESENT.match(word) and "\u0651" not in previous_written:
            found.setdefault(f"{previous} {word}", Marker(f"{previous_written} {written_word}", _PROGRESSIVE[previous], True))
        for before, test in _PAIRS:
            if previous in before and test(word):
                found.setdefault(f"{previous} {word}", Marker(f"{previous_written} {written_word}", SPOKEN, True))
        if _SUKUN_FIRST.match(written_word) and word not in found:
            found[word] = Marker(written_word, MAGHREBI, True)
        following = sequence[i + 1][1] if i + 1 < len(sequence) else ""
        msa_here = (following in _MSA_BEFORE.get(word, ()) or previous in _MSA_AFTER.get(word, ())
                    or word in _MSA_BEFORE_NOUN and following.startswith(_MSA_BEFORE_NOUN[word]))
        if word not in found and not msa_here:
            marker = _as_spelt(_marker(word), word, written_word)
            if marker is not None and not (marker[1] and written_word.endswith("ة") and _is_pattern(word)):
                found[word] = Marker(written_word, *marker)
            elif _PLURAL_WITHOUT_N.match(word) and previous not in _SUBJUNCTIVE:
                found[word] = Marker(written_word, SPOKEN, False)
            elif word == "الي" and strip_tashkeel(written_word) == "الي" and word + "?" not in found:
                # «الي» / «الّي» "who, which": MSA's «إلى» is written with ى (or «الى»), and
                # «إليّ» "to me" has its hamza (the matching form is tested first: it is cheaper)
                found[word + "?"] = Marker(written_word, SPOKEN, False)
        previous, previous_written = word, written_word
    plural = [w for w, m in found.items() if not m.strong and _PLURAL_WITHOUT_N.match(w)]
    if len(plural) >= 2:  # one may be a slip of MSA copy («ينتموا»), two are a habit
        for w in plural:
            found[w] = Marker(found[w].word, SPOKEN, True)
    return list(found.values())


# Spellings that make a marker an MSA word, which the matching form hides: «بدى» (seemed, with
# ى) is not «بدي» (I want), nor «شوى» (grilled) «شوي», nor «تخلّى» (gave up) «تخلي» (Levantine
# «حكى» talked is spelt with ى too, so it stays); and «هلّا» / «هلا» "would you" (MSA's
# polite request, «هلّا أغلقت النافذة؟», Tatoeba) is not the Levantine «هلأ» "now", which only its
# hamza tells apart: without it, a weak marker.
_NOT_WITH_ALEF_MAQSURA = {"بدي", "شوي", "تخلي", "ديالي", "اوي", "نجي"}  # «ديالى» (Diyala), «أوى», «نجى» (survived)
# Written with ة, Egyptian «بقاله» ("it has been … for him") is MSA's «بقالة» (a grocery).
_NOT_WITH_TA_MARBUTA = {"بقاله"}
# Written with a madda, Egyptian «أوي» (very) is MSA's «آوي» (I shelter).
_NOT_WITH_MADDA = {"اوي"}
# «بمتاع الدنيا» (the goods of this world, classical) is not ب + Tunisian «متاع» "of".
_NOT_BEHIND_PREPOSITION = {"متاع"}
# Written with its hamza, Gulf «باجر» (tomorrow) is MSA's «بأجر» (with pay: «إجازة بأجر كامل»).
_NOT_WITH_HAMZA = {"باجر"}
_STRONG_WITH_HAMZA_ONLY = {"هلا"}
# Names that read as «و» + a marker: «واكو» (Waco, Texas) is not «و» + «اكو» (written «وأكو»).
_NAMES = {"واكو"}


def _as_spelt(marker: tuple[str, bool] | None, word: str, written_word: str) -> tuple[str, bool] | None:
    """`marker` (of the matching form `word`) as the word is written: none, or weak, where the
    spelling makes it MSA or a name."""
    if marker is None:
        return None
    if word in _NAMES and "أ" not in written_word or word in _NOT_WITH_HAMZA and "أ" in written_word:
        return None
    forms = _forms(word)
    plain = strip_tashkeel(written_word)
    if not _NOT_WITH_ALEF_MAQSURA.isdisjoint(forms) and plain.endswith("ى"):
        return None
    if not _NOT_WITH_MADDA.isdisjoint(forms) and "آ" in plain:
        return None
    if not _NOT_WITH_TA_MARBUTA.isdisjoint(forms) and plain.endswith("ة"):
        return None
    if not _STRONG_WITH_HAMZA_ONLY.isdisjoint(forms) and not plain.endswith("أ"):
        return marker[0], False
    return marker


def _forms(word: str) -> list[str]:
    """The word, and without «و» or «ف» in front when it has one."""
    return [word, word[1:]] if word[:1] in "وف" and len(word) > 3 else [word]


def _is_pattern(word: str) -> bool:
    """Matched by a verb pattern rather than listed: a word written with ta marbuta is then a noun
    («بتغطية» "by covering", not «بتغطيه» "she covers it"); a noun after «هال» or «عال»
    («هالنظرية», «عالطاولة») is meant to be one."""
    forms = _forms(word)
    listed = any(f in STRONG_MARKERS or f in WEAK_MARKERS for f in forms)
    return not listed and not _HAL.match(word) and not _ALA.match(word)


@lru_cache(maxsize=16384)  # words recur
def _marker(word: str) -> tuple[str, bool] | None:
    forms = _forms(word)
    # «لهالشي», «لكتير», «لعشان»: a preposition in front of a strong marker of four letters or
    # more (never a weak one: «لبس» is not «بس»; nor a short one: «لويا» is Loya Jirga's).
    if word[:1] in "بل" and len(word) > 4 and word[1:] in STRONG_MARKERS and word[1:] not in _NOT_BEHIND_PREPOSITION:
        return STRONG_MARKERS[word[1:]], True
    for form in forms:
        if form in STRONG_MARKERS:
            return STRONG_MARKERS[form], True
        if form in WEAK_MARKERS:
            return WEAK_MARKERS[form], False
    # Negated with «ما» in front («مابدي», «مامنقدر») or carrying an ending («تشوفهم»): strong
    # markers of three letters or more (not «رح», «ده»), never a weak one («ماهية» essence).
    for form in forms:
        stems = [form[2:]] if form.startswith("ما") else []
        stems += [form[: -len(ending)] for ending in _ENDINGS if form.endswith(ending)]
        for stem in stems:
            if len(stem) >= 3 and stem in STRONG_MARKERS:
                return STRONG_MARKERS[stem], True
    if (hal := _HAL.match(word)) and (hal[1] or hal[2].startswith("ا") or hal[2].endswith(("ه", "ات", "ين", "ون"))):
        return SPOKEN, True
    # The first pattern that any form matches.
    matched = [int(match.lastgroup[1:]) for form in forms if (match := _ANY_PATTERN.match(form))]
    if matched:
        return _PATTERNS[min(matched)][1], True
    return None
