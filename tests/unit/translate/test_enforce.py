"""The glossary while translating: requests that carry their terms, the choice among hypotheses,
the memory keeping both, and the terms file's `enforce` switch.

The model here is a test double behind the Translator interface that returns given hypotheses;
real n-best decoding (transformers and CTranslate2 on the fixture model) is tested end to end in
tests/e2e/test_end_to_end.py and tests/e2e/test_ctranslate2.py.
"""

import pytest

from pipeline.config import SegmentationSettings
from pipeline.errors import ConfigError
from pipeline.glossary import load_glossary
from pipeline.ingest import document_from_lines
from pipeline.segment import segment_document
from pipeline.translate.base import Request, Translation, choose, model_input_of
from pipeline.translate.executors import LocalExecutor
from pipeline.translate.memory import MemoryKey, TranslationMemory
from pipeline.translate.stage import TranslateStage

from ...helpers import ROOT

KEY = MemoryKey("sha256:double", "s")
# NTREX-128 (CC BY-SA 4.0, tests/data/README.md), line 310 of ntrex.dev.ar
RALLY = ('قال ترامب في تجمع في ويلينغ بولاية فرجينيا الغربية: "إن التصويت لصالح القاضي كافانو هو بمثابة تصويت '
         'لرفض الأساليب القاسية والفاضحة من جانب الحزب الديمقراطي".')
HYPOTHESES = [  # the model's best first; only the third spells both names as the glossary does
    '"A vote for Judge Cavanaugh is a vote to reject the Democrats," Tramp said at a rally in Wheeling.',
    '"A vote for Judge Kavanaugh is a vote to reject the Democrats," Tramp said at a rally in Wheeling.',
    '"A vote for Judge Kavanaugh is a vote to reject the Democrats," Trump said at a rally in Wheeling.',
]


class NBest:
    """A test double: the given hypotheses for every request, chosen among as a backend chooses."""

    name, backend, fingerprint = "n-best double", "double", "sha256:double"

    def __init__(self, hypotheses):
        self.hypotheses = hypotheses
        self.requests: list[str] = []

    def translate(self, texts):
        self.requests.extend(texts)
        results = []
        for text in texts:
            request = Request.parse(text)
            kept, terms = choose(request, self.hypotheses[:request.hypotheses])
            results.append(Translation(self.hypotheses[kept], score=-0.1 * (kept + 1), tokens=20, terms=terms))
        return results


@pytest.fixture(scope="module")
def glossary():
    return load_glossary(ROOT / "tests" / "data" / "ntrex-glossary.yaml")


def rally_document():
    return segment_document(document_from_lines([RALLY], "rally.txt"), SegmentationSettings())


def test_a_request_carries_the_terms_found_in_its_arabic(glossary):
    model_input = rally_document().paragraphs[0].sentences[0].model_input
    terms = glossary.required_in(model_input)
    assert [t.source for t in terms] == ["ترامب", "كافانو"]
    request = Request.of(model_input, terms, 4)
    assert request != model_input and model_input_of(request) == model_input
    parsed = Request.parse(request)
    assert parsed.text == model_input and parsed.hypotheses == 4
    assert parsed.terms == (("ترامب", ("Trump",)), ("كافانو", ("Kavanaugh",)))
    # a sentence without terms is asked for as it is: its memory entries stay those of before
    assert Request.of("جملة بلا أسماء.", glossary.required_in("جملة بلا أسماء."), 4) == "جملة بلا أسماء."


def test_a_term_after_lam_is_required_as_arabic_writes_it(tmp_path):
    # «اللاجئين» after ل is «للاجئين»: the model input of that sentence asks for "refugees"
    path = tmp_path / "g.yaml"
    path.write_text("terms:\n  - {ar: اللاجئين, en: refugees}\n", encoding="utf-8")
    glossary = load_glossary(path)
    document = segment_document(document_from_lines(["قدمت الحكومة مساعدات للاجئين في المخيمات."], "a.txt"),
                                SegmentationSettings())
    model_input = document.paragraphs[0].sentences[0].model_input
    assert Request.parse(Request.of(model_input, glossary.required_in(model_input), 4)).terms == (
        ("اللاجئين", ("refugees",)),)


def test_the_best_hypothesis_with_every_term_is_chosen_else_the_best(glossary):
    terms = glossary.required_in(RALLY)
    kept, account = choose(Request.parse(Request.of(RALLY, terms, 3)), HYPOTHESES)
    assert kept == 2
    assert account == {"required": ["ترامب", "كافانو"], "met": ["ترامب", "كافانو"], "hypothesis": 3, "hypotheses": 3}
    # none has both: the model's best stays, and says what it lacks (the glossary check flags it)
    kept, account = choose(Request.parse(Request.of(RALLY, terms, 2)), HYPOTHESES[:2])
    assert kept == 0
    assert account == {"required": ["ترامب", "كافانو"], "met": [], "hypothesis": 1, "hypotheses": 2}
    # a plain request has nothing to choose for
    assert choose(Request.parse(RALLY), HYPOTHESES) == (0, None)


def test_the_stage_enforces_the_terms_and_the_memory_keeps_the_choice(tmp_path, glossary):
    memory = TranslationMemory(tmp_path / "m.sqlite")
    model = NBest(HYPOTHESES)
    document = rally_document()
    stage = TranslateStage(LocalExecutor(model), KEY, memory, glossary=glossary, hypotheses=3)
    assert [error for _, error in stage.run([document])] == [None]
    unit = document.paragraphs[0].sentences[0]
    assert unit.target == HYPOTHESES[2] and unit.glossary["hypothesis"] == 3
    assert Request.parse(model.requests[0]).terms  # the model was asked with the terms

    # again, from the memory: the same English and the same account of the choice, no model call
    again, model_again = rally_document(), NBest(HYPOTHESES)
    list(TranslateStage(LocalExecutor(model_again), KEY, memory, glossary=glossary, hypotheses=3).run([again]))
    assert model_again.requests == []
    assert again.paragraphs[0].sentences[0].target == HYPOTHESES[2]
    assert again.paragraphs[0].sentences[0].glossary == unit.glossary

    # without enforcement the same input is another request: the model's best, its own memory entry
    plain, model_plain = rally_document(), NBest(HYPOTHESES)
    list(TranslateStage(LocalExecutor(model_plain), KEY, memory).run([plain]))
    assert model_plain.requests == [unit.model_input]
    assert plain.paragraphs[0].sentences[0].target == HYPOTHESES[0] and plain.paragraphs[0].sentences[0].glossary is None


def test_an_editors_sentence_wins_over_an_enforced_request(tmp_path, glossary):
    memory = TranslationMemory(tmp_path / "m.sqlite")
    model_input = rally_document().paragraphs[0].sentences[0].model_input
    memory.store_human([("unit", model_input, "An editor's English with Trump and Kavanaugh.", None)])
    document, model = rally_document(), NBest(HYPOTHESES)
    list(TranslateStage(LocalExecutor(model), KEY, memory, glossary=glossary, hypotheses=3).run([document]))
    unit = document.paragraphs[0].sentences[0]
    assert (unit.target, unit.origin, unit.glossary) == ("An editor's English with Trump and Kavanaugh.", "human", None)
    assert model.requests == []


def test_enforce_is_switched_per_term_in_yaml_and_csv(tmp_path):
    yaml_file = tmp_path / "terms.yaml"
    yaml_file.write_text("terms:\n  - {ar: ترامب, en: [Trump]}\n  - {ar: كافانو, en: [Kavanaugh], enforce: false}\n",
                         encoding="utf-8")
    csv_file = tmp_path / "terms.csv"
    csv_file.write_text("arabic,english,type,enforce\nترامب,Trump,term,\nكافانو,Kavanaugh,term,no\n", encoding="utf-8")
    for path in (yaml_file, csv_file):
        glossary = load_glossary(path)
        assert [t.enforce for t in glossary.terms] == [True, False]
        assert [t.source for t in glossary.required_in(RALLY)] == ["ترامب"]  # the other is only checked


@pytest.mark.parametrize("content, message", [
    ("terms:\n  - {ar: ترامب, en: [Trump], enforce: maybe}\n", "term 1: enforce must be true or false, not 'maybe'"),
    ("terms:\n  - {ar: ترامب, en: [Trump], enforced: false}\n", "term 1: unknown key(s) enforced (known: ar, en, enforce)"),
])
def test_a_bad_enforce_value_is_one_line_naming_the_file(tmp_path, content, message):
    path = tmp_path / "terms.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_glossary(path)
    assert str(error.value) == f"{path}: {message}"
