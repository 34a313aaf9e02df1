"""Folder runs with the model replaced by a test double (the fixture model runs in tests/e2e)."""

import json
from pathlib import Path

from pipeline.batch import BatchRunner
from pipeline.folders import discover
from pipeline.config import load_settings

from ..helpers import SAMPLE_ARTICLE, DictionaryTranslator, assert_nothing_lost, sha256_tree


def runner(tmp_path: Path, translator=None) -> BatchRunner:
    settings = load_settings(_empty_config(tmp_path))
    return BatchRunner(settings, translator or DictionaryTranslator(), tmp_path / "out")


def _empty_config(tmp_path: Path) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text("", encoding="utf-8")
    return path


def make_tree(root: Path) -> None:
    (root / "world" / "europe").mkdir(parents=True)
    (root / "world" / "europe" / "karabakh.txt").write_bytes(SAMPLE_ARTICLE.read_bytes())
    (root / "موجز الأخبار.txt").write_text("بحث الرئيس الروسي فلاديمير بوتين.\nالمصدر: تاس\n", encoding="utf-8")
    (root / "a.txt").write_text("نص أول.\n", encoding="utf-8")
    (root / "a.md").write_text("# نص ثان\n", encoding="utf-8")
    (root / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    (root / "empty.txt").write_bytes(b"")
    (root / ".hidden.txt").write_text("مخفي", encoding="utf-8")
    (root / "~$lock.docx").write_bytes(b"lock")


def test_a_folder_run_mirrors_the_tree_isolates_failures_and_reports(tmp_path):
    make_tree(tmp_path / "in")
    before = sha256_tree(tmp_path / "in")
    files, passed = discover([tmp_path / "in"])
    report = runner(tmp_path).run(files, passed)
    out = tmp_path / "out"
    assert sha256_tree(tmp_path / "in") == before  # inputs never modified
    assert {(f.input, f.status) for f in report.files} == {
        ("a.md", "done"), ("a.txt", "done"), ("empty.txt", "failed"), ("world/europe/karabakh.txt", "done"),
        ("موجز الأخبار.txt", "done"), ("photo.jpg", "skipped")}
    assert [f.reason for f in report.files if f.status == "failed"] == ["empty"]
    for rel, stem in [("world/europe/karabakh.txt", "world/europe/karabakh"), ("a.txt", "a.txt"),
                      ("a.md", "a.md"), ("موجز الأخبار.txt", "موجز الأخبار")]:
        assert_nothing_lost(tmp_path / "in" / rel, out / f"{stem}.json", out / f"{stem}.docx")
    saved = json.loads((out / "_batch.json").read_text(encoding="utf-8"))
    assert saved["totals"] == {"files": 6, "done": 4, "failed": 1, "skipped": 1, "paragraphs": 17,
                               "sentences": saved["totals"]["sentences"], "flagged": saved["totals"]["flagged"],
                               "notices": 0, "by_code": saved["totals"]["by_code"]}
    assert all(entry["notices"] == [] for entry in saved["files"])
    # flags per code: the run's total is the sum of its articles' records
    records = [json.loads((out / f"{stem}.json").read_text(encoding="utf-8"))["summary"]["by_code"]
               for stem in ("world/europe/karabakh", "a.txt", "a.md", "موجز الأخبار")]
    assert saved["totals"]["by_code"] == {code: sum(r.get(code, 0) for r in records) for r in records for code in r}
    assert saved["model"]["backend"] == "test-double"
    assert not list(out.rglob("*.part"))  # no temporary files left behind


def test_the_run_report_names_each_articles_notices(tmp_path):
    """What a reader did not translate was only in the article's record: `_batch.json` names it
    per file and counts it in its totals."""
    import docx

    (tmp_path / "in").mkdir()
    word = docx.Document()
    word.sections[0].header.paragraphs[0].text = "النشرة الاقتصادية - الخميس ١٦ أيار ٢٠٢٤"
    word.add_paragraph("بحث الرئيس الروسي فلاديمير بوتين.")
    word.save(tmp_path / "in" / "a.docx")
    (tmp_path / "in" / "b.txt").write_text("بحث الرئيس الروسي فلاديمير بوتين.\n", encoding="utf-8")
    report = runner(tmp_path).run(*discover([tmp_path / "in"]))
    saved = json.loads((tmp_path / "out" / "_batch.json").read_text(encoding="utf-8"))
    assert {entry["input"]: entry["notices"] for entry in saved["files"]} == {
        "a.docx": ["page headers/footers not translated"], "b.txt": []}
    assert saved["totals"]["notices"] == report.totals()["notices"] == 1


def test_units_of_all_articles_go_to_the_translator_together_each_once(tmp_path):
    (tmp_path / "in").mkdir()
    for name in ("one.txt", "two.txt"):
        (tmp_path / "in" / name).write_text("المصدر: تاس\nنص خاص بالملف " + name[:3] + ".\n", encoding="utf-8")
    translator = DictionaryTranslator()
    runner(tmp_path, translator).run(*discover([tmp_path / "in"]))
    assert len(translator.calls) == 1
    assert sorted(translator.calls[0]) == ["المصدر: تاس", "نص خاص بالملف one.", "نص خاص بالملف two."]


def test_units_without_arabic_are_copied_not_translated(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("COVID-19\nhttps://example.com/a\nبحث بوتين.\n٢٠٢١\n", encoding="utf-8")
    translator = DictionaryTranslator({"بحث بوتين.": "Putin discussed."})
    runner(tmp_path, translator).run(*discover([tmp_path / "in"]))
    record = json.loads((tmp_path / "out" / "a.json").read_text(encoding="utf-8"))
    assert [(p["target"], p["sentences"][0]["origin"]) for p in record["paragraphs"]] == [
        ("COVID-19", "verbatim"), ("https://example.com/a", "verbatim"), ("Putin discussed.", "model"),
        ("2021", "verbatim")]
    assert translator.calls == [["بحث بوتين."]]


def test_two_runs_give_byte_identical_outputs(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_bytes(SAMPLE_ARTICLE.read_bytes())
    runner(tmp_path).run(*discover([tmp_path / "in"]))
    first = {p: (tmp_path / "out" / p).read_bytes() for p in ("a.json", "a.docx")}
    runner(tmp_path).run(*discover([tmp_path / "in"]))
    assert first == {p: (tmp_path / "out" / p).read_bytes() for p in ("a.json", "a.docx")}


def test_the_run_signature_follows_the_resolved_checks_not_the_words_in_config(monkeypatch):
    """Skip-unchanged compares signatures: a check's default written out in config.yaml must not
    redo an article, a changed threshold or a changed default must."""
    from pipeline.batch import run_signature
    import dataclasses

    from pipeline.checks import CHECKS, Checker
    from pipeline.checks.length import SentenceCountParams
    from pipeline.export.record import RunInfo

    run = RunInfo("fixture", "sha256:0", "transformers", {"num_beams": 4})
    left_to_defaults = run_signature(run, Checker.from_settings({}), None)
    assert run_signature(run, Checker.from_settings({"sentence_count": {"min_share": 0.5}}), None) == left_to_defaults
    assert run_signature(run, Checker.from_settings({"sentence_count": {"min_share": 0.4}}), None) != left_to_defaults
    assert run_signature(run, Checker.from_settings({"sentence_count": {"enabled": False}}), None) != left_to_defaults
    class NewDefault(SentenceCountParams):
        min_share: float = 0.3

    monkeypatch.setitem(CHECKS, "sentence_count", dataclasses.replace(CHECKS["sentence_count"], params=NewDefault))
    assert run_signature(run, Checker.from_settings({}), None) != left_to_defaults  # a new default in a new release


def test_translation_runs_ahead_of_writing_in_a_thread_and_hands_over_in_order():
    import threading

    import pytest

    from pipeline.batch import in_background
    from pipeline.errors import Interrupted

    producers = []

    def articles():
        producers.append(threading.current_thread().name)
        yield from ("a.txt", "b.txt", "c.txt")
        raise Interrupted("stopped before this article")  # the translate stage's way of stopping

    handed = []
    with pytest.raises(Interrupted):
        for item in in_background(articles()):
            handed.append(item)
    assert handed == ["a.txt", "b.txt", "c.txt"]  # everything before the error, in order
    assert producers == ["tarjama-translate"]       # produced in its own thread

    produced = []

    def endless():
        for n in range(10_000):
            produced.append(n)
            yield n

    stream = in_background(endless(), ahead=2)
    assert next(stream) == 0
    stream.close()  # the consumer stops early: the producer stops too, a few items ahead at most
    assert len(produced) <= 5


def test_a_failed_write_fails_that_article_alone_in_its_place_and_leaves_no_part_file(tmp_path, monkeypatch):
    """The writer threads flush files while the next article is finished: a full disk on one
    article's JSON fails that article (one line, in input order), the others are written."""
    import errno

    from pipeline import batch

    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / "in").mkdir(exist_ok=True)
        (tmp_path / "in" / name).write_text(f"نص الملف {name[0]}.\nالمصدر: تاس\n", encoding="utf-8")
    real_write = batch.atomic_write_text

    def disk_full_for_b(path, text):
        if path.name == "b.json":
            raise OSError(errno.ENOSPC, "No space left on device")
        real_write(path, text)

    monkeypatch.setattr(batch, "atomic_write_text", disk_full_for_b)
    report = runner(tmp_path).run(*discover([tmp_path / "in"]))
    assert [(f.input, f.status) for f in report.files] == [("a.txt", "done"), ("b.txt", "failed"), ("c.txt", "done")]
    assert report.files[1].reason == "cannot write its outputs: OSError: [Errno 28] No space left on device"
    assert (tmp_path / "out" / "c.json").is_file() and not (tmp_path / "out" / "b.json").exists()
    assert not list((tmp_path / "out").rglob("*.part"))


def test_a_review_imported_while_the_article_translates_is_carried_into_its_new_record(tmp_path):
    """A batch read each article's record before translating it and wrote the new one from that:
    an editor's review imported meanwhile (`tarjama import-review` on the desk while a long batch
    ran with --force) was wiped from the record — a rejection, notes and statuses gone, found with
    a real batch and a real import. The record written since it was read is the one carried over."""
    from pipeline.export.record import read_record
    from pipeline.roundtrip import import_review

    from ..editor import Editor

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_bytes(SAMPLE_ARTICLE.read_bytes())
    out = tmp_path / "out"
    runner(tmp_path).run(*discover([tmp_path / "in"]))
    editor = Editor(out / "a.docx")  # the editor works on a copy, and imports it into the record
    editor.set_status("p0003", "rejected")
    edited = editor.save(tmp_path / "edited.docx")

    class ImportedMeanwhile(DictionaryTranslator):
        def translate(self, texts):
            if not self.calls:
                import_review(edited, out / "a.json")
            return super().translate(texts)

    report = BatchRunner(load_settings(_empty_config(tmp_path)), ImportedMeanwhile(), out, force=True).run(
        *discover([tmp_path / "in"]))
    assert [(f.input, f.status) for f in report.files] == [("a.txt", "done")]
    record = read_record(out / "a.json")
    assert record.document.paragraphs[2].review.status == "rejected"
    assert record.review_import is not None


def test_a_batch_that_writes_the_record_while_a_review_is_imported_waits_for_it(tmp_path, monkeypatch):
    """The other way round: an import that read the record before a batch wrote it anew (the story
    updated) wrote its merge of the old record over the batch's — the new paragraph's record gone,
    and the batch's DOCX no longer the one the record knows, so every later run refused the article
    as edited by hand. Then the import stopped when the record had changed, but a write between its
    check and its own write still went through (a code review). Now the two take turns on the
    record (fsutil.RecordLock): the batch started meanwhile waits, then carries the review over."""
    import threading

    from pipeline import checks
    from pipeline.export.record import read_record
    from pipeline.roundtrip import import_review

    from ..editor import Editor

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_bytes(SAMPLE_ARTICLE.read_bytes())
    out = tmp_path / "out"
    runner(tmp_path).run(*discover([tmp_path / "in"]))
    editor = Editor(out / "a.docx")
    editor.set_status("p0003", "rejected")
    edited = editor.save(tmp_path / "edited.docx")
    real_check = checks.check_editor_english
    batch = threading.Thread(target=lambda: runner(tmp_path).run(*discover([tmp_path / "in"])))
    before = (out / "a.json").read_bytes()

    def a_batch_meanwhile(document, checker):  # the import has read the record; the story is updated and translated
        if not batch.is_alive():
            with open(tmp_path / "in" / "a.txt", "a", encoding="utf-8") as story:
                story.write("\nوأضاف البيان أن المحادثات ستستمر الأسبوع المقبل.\n")
            batch.start()
            batch.join(timeout=3)  # it translates, then waits for the record
            assert batch.is_alive() and (out / "a.json").read_bytes() == before
        return real_check(document, checker)

    monkeypatch.setattr(checks, "check_editor_english", a_batch_meanwhile)
    import_review(edited, out / "a.json")
    batch.join(timeout=120)
    assert not batch.is_alive()
    record = read_record(out / "a.json")  # the batch's record, with the review imported meanwhile
    assert len(record.document.paragraphs) == 14 and record.document.paragraphs[2].review.status == "rejected"
    monkeypatch.undo()
    again = runner(tmp_path).run(*discover([tmp_path / "in"])).files[0]
    assert (again.status, again.reason) == ("skipped", "unchanged since its outputs were written (--force redoes it)")
