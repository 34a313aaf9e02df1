"""The translate stage: memory first, the rest through an executor, articles handed on as they finish."""

import pytest

from pipeline.config import SegmentationSettings
from pipeline.ingest import document_from_lines
from pipeline.segment import segment_document
from pipeline.translate import executors
from pipeline.translate.base import Translation
from pipeline.translate.executors import LocalExecutor
from pipeline.translate.memory import MemoryKey, TranslationMemory
from pipeline.translate.stage import TranslateStage

from ...helpers import DictionaryTranslator

KEY = MemoryKey(DictionaryTranslator.fingerprint, "s")


def articles(*texts: str):
    return [segment_document(document_from_lines(text.splitlines(), f"a{number}.txt"), SegmentationSettings())
            for number, text in enumerate(texts)]


class Failing(DictionaryTranslator):
    """A model that fails on one input (a test double for a crash inside the backend)."""

    def translate(self, texts):
        if "جملة معطوبة." in texts:
            raise IndexError("index out of range in self")
        return super().translate(texts)


class PerArticle(LocalExecutor):
    """A test double for an executor that plans whole articles per item, as the Ray one does."""

    def plan(self, needs):
        return [sorted(owned) for owned in needs if owned]


def test_memory_hits_never_reach_the_model_and_results_are_stored(tmp_path):
    memory = TranslationMemory(tmp_path / "m.sqlite")
    memory.store([("جملة أولى.", Translation("The first sentence.", -0.1))], KEY)
    model = DictionaryTranslator({"جملة ثانية.": "The second sentence."})
    [document] = articles("جملة أولى. جملة ثانية.")
    stage = TranslateStage(LocalExecutor(model), KEY, memory)
    assert [error for _, error in stage.run([document])] == [None]
    assert model.calls == [["جملة ثانية."]]
    assert [u.target for u in document.paragraphs[0].sentences] == ["The first sentence.", "The second sentence."]
    assert set(memory.lookup(["جملة ثانية."], KEY)) == {"جملة ثانية."}
    assert stage.stats.unique == 2 and stage.stats.generated_tokens == 4


def test_an_editors_paragraph_wins_over_the_model(tmp_path):
    memory = TranslationMemory(tmp_path / "m.sqlite")
    memory.store_human([("paragraph", "جملة أولى. جملة ثانية.", "An editor's paragraph.",
                         '{"acknowledged": ["length_ratio"]}')])
    model = DictionaryTranslator()
    [document] = articles("جملة أولى. جملة ثانية.")
    list(TranslateStage(LocalExecutor(model), KEY, memory).run([document]))
    paragraph = document.paragraphs[0]
    assert [(u.target, u.origin) for u in paragraph.sentences] == [("An editor's paragraph.", "human")]
    assert paragraph.approved_flags == ["length_ratio"] and model.calls == []


def test_an_article_whose_item_failed_fails_alone():
    documents = articles("جملة سليمة.", "جملة معطوبة.", "جملة ثالثة.")
    done = dict((d.id, e) for d, e in TranslateStage(PerArticle(Failing()), KEY).run(documents))
    assert done["a0.txt"] is None and done["a2.txt"] is None
    assert isinstance(done["a1.txt"], IndexError)


def test_locally_too_a_failing_item_fails_only_the_articles_that_need_it(monkeypatch):
    monkeypatch.setattr(executors, "CHUNK", 1)  # one sentence per work item (of its own length:
    documents = articles("جملة سليمة وطويلة.", "جملة معطوبة.")  # a chunk ends where a length does)
    done = dict((d.id, e) for d, e in TranslateStage(LocalExecutor(Failing()), KEY).run(documents))
    assert done["a0.txt"] is None and isinstance(done["a1.txt"], IndexError)


def test_articles_come_back_as_soon_as_their_sentences_are(monkeypatch):
    monkeypatch.setattr(executors, "CHUNK", 1)
    # the longest sentence is translated first: the article that needs only it is done first
    documents = articles("جملة قصيرة.", "هذه جملة أطول بكثير من الجملة الأخرى.")
    assert [d.id for d, _ in TranslateStage(LocalExecutor(DictionaryTranslator()), KEY).run(documents)] == [
        "a1.txt", "a0.txt"]


def test_a_chunk_ends_where_a_length_does(monkeypatch):
    monkeypatch.setattr(executors, "CHUNK", 2)
    model = DictionaryTranslator()  # tokens: words + 1
    texts = ["ثلاث كلمات هنا", "أربع كلمات في الجملة", "كلمتان هنا", "ثلاث كلمات أخرى", "كلمة", "ثلاث كلمات أيضا"]
    chunks = LocalExecutor(model).plan([texts])
    assert [[len(text.split()) for text in chunk] for chunk in chunks] == [[4, 3, 3, 3], [2, 1]]
    assert sorted(text for chunk in chunks for text in chunk) == sorted(texts)  # each once


def test_a_stop_request_ends_the_stage_between_items(monkeypatch):
    from pipeline.errors import Interrupted

    monkeypatch.setattr(executors, "CHUNK", 1)
    documents = articles("جملة أولى.", "جملة ثانية.")
    stage = TranslateStage(LocalExecutor(DictionaryTranslator()), KEY, stop=lambda: True)
    with pytest.raises(Interrupted):
        list(stage.run(documents))


def test_a_memory_that_cannot_take_more_fails_no_article(tmp_path, caplog):
    """A full disk under the memory stopped the whole batch with a traceback (sqlite3:
    "database or disk is full") from the first chunk it could not store: every article after it
    lost. The English is used for this run's articles, the memory is left whole, said once."""
    memory = TranslationMemory(tmp_path / "m.sqlite")
    memory.store([("جملة أولى.", Translation("The first sentence.", -0.1))], KEY)
    pages = memory.db.execute("PRAGMA page_count").fetchone()[0]
    memory.db.execute(f"PRAGMA max_page_count = {pages}")  # SQLite's own SQLITE_FULL, as on a full disk
    model = DictionaryTranslator({"جملة ثانية.": "The second sentence."})
    documents = articles("جملة أولى. جملة ثانية.", "جملة ثالثة طويلة جدا " * 45 + ".", "جملة رابعة طويلة جدا " * 45 + ".")
    stage = TranslateStage(LocalExecutor(model), KEY, memory)
    with caplog.at_level("WARNING"):
        assert [error for _, error in stage.run(documents)] == [None, None, None]
    assert [u.target for u in documents[0].paragraphs[0].sentences] == ["The first sentence.", "The second sentence."]
    assert all(u.target for d in documents for p in d.paragraphs for u in p.sentences)
    assert memory.stats.unstored == memory.stats.lookups - memory.stats.hits == 5  # all the model translated
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert warnings == [f"{tmp_path / 'm.sqlite'}: cannot write to the translation memory (database or disk is full); "
                        "this run's translations are used but not kept"]
    memory.db.execute(f"PRAGMA max_page_count = {10 * pages}")  # space again: the memory works, nothing half-stored
    assert memory.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert set(memory.lookup(["جملة أولى.", "جملة ثانية."], KEY)) == {"جملة أولى."}
    memory.store([("جملة ثانية.", Translation("The second sentence.", -0.1))], KEY)
    assert set(memory.lookup(["جملة ثانية."], KEY)) == {"جملة ثانية."}


def test_a_line_copied_as_written_keeps_no_directional_control():
    """A post copied from social media wraps each handle, hashtag and address in isolates: a line
    of them alone was copied into the English with the controls between them («…/arabic\\u2069
    \\u2066#Egypt»), and the machine's own English was a bidi_control error that held the article
    back from publishing, the editor told to retype what nobody typed."""
    from pipeline.checks import Checker

    [document] = articles("قال بوتين إن المحادثات كانت مفيدة.\n"
                          "\u2066https://www.bbc.com/arabic\u2069 \u2066#Egypt\u2069 \u2066@kremlin_ru\u2069\n"
                          "#مصر\u200f #السعودية")
    stage = TranslateStage(LocalExecutor(DictionaryTranslator()), KEY, None)
    assert [error for _, error in stage.run([document])] == [None]
    _, links, hashtags = document.paragraphs
    assert [u.target for u in links.sentences] == ["https://www.bbc.com/arabic #Egypt @kremlin_ru"]
    assert [u.target for u in hashtags.sentences] == ["#مصر\u200f #السعودية"]  # a mark is kept: it reorders nothing
    from pipeline.align import align_document

    align_document(document)
    checker = Checker.from_settings()
    checker.check(links)
    assert [f.code for f in links.flags] == []
