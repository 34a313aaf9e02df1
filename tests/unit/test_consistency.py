"""Consistency across a batch (pipeline/consistency.py) on real lines; the run report and the DOCX.

The model is a test double (tests/helpers.DictionaryTranslator): these tests are about what the
run does with the English, whoever wrote it."""

import json

import docx

from pipeline.batch import BatchRunner
from pipeline.config import SegmentationSettings, load_settings
from pipeline.consistency import ConsistencyIndex, _similar
from pipeline.folders import discover
from pipeline.ingest import document_from_lines
from pipeline.segment import segment_document

from ..helpers import DATA, SAMPLE_ARTICLE, DictionaryTranslator

SAMPLE = SAMPLE_ARTICLE.read_text(encoding="utf-8").splitlines()


def translated(lines: list[str], english: list[str], name: str):
    document = segment_document(document_from_lines(lines, name), SegmentationSettings())
    for paragraph, text in zip(document.paragraphs, english):
        for unit in paragraph.sentences:
            unit.target, unit.origin = text, "model"
        paragraph.target = text
    return document


def codes(document):
    return [[f.code for f in p.flags] for p in document.paragraphs]


def test_the_same_arabic_translated_two_ways_across_articles():
    arabic = (DATA / "ntrex-dev" / "articles" / "bbc.381646.ar.txt").read_text(encoding="utf-8").splitlines()[1]
    english = (DATA / "ntrex-dev" / "articles" / "bbc.381646.en.txt").read_text(encoding="utf-8").splitlines()[1]
    index = ConsistencyIndex()
    first = translated([arabic], [english], "a.txt")
    second = translated([arabic], [english.replace("24-year-old", "young")], "b.txt")
    third = translated([arabic], [english], "c.txt")
    for document in (first, second, third):
        index.check(document)
    assert codes(first) == [[]]
    assert "inconsistent_translation" in codes(second)[0] and second.paragraphs[0].status == "needs_review"
    assert "inconsistent_translation" in codes(third)[0]  # it agrees with a.txt but not with b.txt
    found = [f for f in index.report() if f["code"] == "inconsistent_translation"]
    assert found and all({o["article"] for o in f["occurrences"]} == {"a.txt", "b.txt", "c.txt"} for f in found)
    assert all(f["count"] == 3 for f in found)


def test_another_number_makes_another_sentence_and_the_report_lists_twenty_occurrences():
    arabic = (DATA / "ntrex-dev" / "articles" / "bbc.381646.ar.txt").read_text(encoding="utf-8").splitlines()[1]
    english = (DATA / "ntrex-dev" / "articles" / "bbc.381646.en.txt").read_text(encoding="utf-8").splitlines()[1]
    index = ConsistencyIndex()
    # the same sentence with another year is another sentence, whatever its English
    for year in (1917, 1918):
        document = translated([f"وقال المتحدث باسم الحكومة إن الاجتماع سيعقد في عام {year} في العاصمة."],
                              [f"The government spokesman said the meeting would be held in {year} in the capital."],
                              f"{year}.txt")
        index.check(document)
        assert codes(document) == [[]]
    # the same sentence translated two ways in 30 articles: all counted, the first 20 listed
    for n in range(30):
        index.check(translated([arabic], [english if n % 2 else english.replace("24-year-old", "young")], f"{n}.txt"))
    found = [f for f in index.report() if f["code"] == "inconsistent_translation"]
    assert found and all(f["count"] == 30 and len(f["occurrences"]) == 20 for f in found)
    assert all([o["article"] for o in f["occurrences"][:3]] == ["0.txt", "1.txt", "2.txt"] for f in found)


def test_a_name_in_two_spellings_and_the_forms_of_one_word_are_not():
    index = ConsistencyIndex()
    first = translated([SAMPLE[0]], ["Putin and Armenian Prime Minister Nikol Pashinyan discussed the agreements."], "a.txt")
    second = translated([SAMPLE[5]], ["Putin, Aliyev and Armenian Prime Minister Nikol Pashinian signed a statement."],
                        "b.txt")
    index.check(first)
    index.check(second)
    [flag] = [f for f in second.paragraphs[0].flags if f.code == "name_spelling"]
    assert flag.message == "«باشينيان» is spelled Pashinian here but Pashinyan in a.txt p0001"
    assert not _similar("Russia", "Russian") and not _similar("Democrats", "Democratic")
    assert not _similar("Tuesday", "Thursday") and _similar("Pashinyan", "Pashinian")


def test_the_run_report_and_the_review_document_name_both_articles(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(SAMPLE[0] + "\n", encoding="utf-8")
    (tmp_path / "in" / "b.txt").write_text(SAMPLE[5] + "\n", encoding="utf-8")
    model = DictionaryTranslator()
    config = tmp_path / "config.yaml"
    config.write_text("", encoding="utf-8")
    settings = load_settings(config)
    for name, english in (("a.txt", "Armenian Prime Minister Nikol Pashinyan discussed the agreements."),
                          ("b.txt", "Armenian Prime Minister Nikol Pashinian signed a joint statement.")):
        document = segment_document(document_from_lines([(tmp_path / "in" / name).read_text("utf-8").strip()], name),
                                    SegmentationSettings(), model.count_tokens)
        model.known.update({unit.model_input: english for unit in document.paragraphs[0].sentences})
    BatchRunner(settings, model, tmp_path / "out").run(*discover([tmp_path / "in"]))
    report = json.loads((tmp_path / "out" / "_batch.json").read_text(encoding="utf-8"))
    [found] = [f for f in report["inconsistencies"] if f["code"] == "name_spelling"]
    assert found["key"] == "Pashinyan / Pashinian"
    assert [(o["article"], o["text"]) for o in found["occurrences"]] == [("a.txt", "Pashinyan"), ("b.txt", "Pashinian")]
    review = docx.Document(str(tmp_path / "out" / "b.docx")).tables[-1].rows[1].cells[5].text
    assert "spelled Pashinian here but Pashinyan in a.txt" in review
    assert [f["code"] for f in json.loads((tmp_path / "out" / "b.json").read_text("utf-8"))["paragraphs"][0]["flags"]] \
        .count("name_spelling") == 1

    # Again with b.txt changed (a blank line more): a.txt is skipped as unchanged, and b.txt is
    # still compared with it (its record is read into the index when b.txt comes).
    with (tmp_path / "in" / "b.txt").open("a", encoding="utf-8") as stream:
        stream.write("\n")
    report = BatchRunner(settings, model, tmp_path / "out").run(*discover([tmp_path / "in"]))
    assert [(f.input, f.status) for f in report.files] == [("a.txt", "skipped"), ("b.txt", "done")]
    assert "spelled Pashinian here but Pashinyan in a.txt" in \
        docx.Document(str(tmp_path / "out" / "b.docx")).tables[-1].rows[1].cells[5].text


def test_what_counts_as_two_spellings_of_one_name():
    from pipeline.consistency import _similar, _sounds_like

    assert _similar("America", "Americe") and _similar("Florida", "Floride")   # a vowel at the end: a spelling
    assert not _similar("Russia", "Russian") and not _similar("Democrats", "Democratic")  # derived forms
    # Arabic writes neither short vowels nor doubled letters: spellings differ there, at any length
    assert _similar("Mohammed", "Muhammad") and _similar("Harlem", "Herlam") and _similar("Cromwel", "Cromwell")
    # ... but where the vowels are, and added consonants, make other names (real NTREX pairs)
    assert not _similar("Nelson", "Nielsen") and not _similar("Karen", "Karine")
    assert not _similar("Paris", "Parish") and not _similar("Catalonia", "Catalan")
    assert _sounds_like("اسكتلندا", "Scotland") and _sounds_like("إسبانيا", "Spain")  # the prothetic alef
    assert not _sounds_like("اليونان", "Greece")


def test_a_status_left_as_the_checks_gave_it_follows_a_consistency_flag(tmp_path):
    """The consistency check runs before the reviews are carried over: a row the editor left "ok"
    that this run's consistency check flags says "needs review", in the record and the DOCX."""
    from pipeline.export.docx.layout import STATUS
    from pipeline.ooxml import paragraph_text
    from pipeline.roundtrip import import_review

    from ..editor import W, Editor

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(SAMPLE[0] + "\n", encoding="utf-8")
    (tmp_path / "in" / "b.txt").write_text(SAMPLE[5] + "\n", encoding="utf-8")
    model = DictionaryTranslator()
    reference = SAMPLE_ARTICLE.with_name("karabakh-talks.en.txt").read_text(encoding="utf-8").splitlines()
    # the reference English (no check flags it), its two spellings of «باشينيان» as they are
    for name, english in (("a.txt", reference[0]), ("b.txt", reference[6])):
        document = segment_document(document_from_lines([(tmp_path / "in" / name).read_text("utf-8").strip()], name),
                                    SegmentationSettings(), model.count_tokens)
        model.known.update({unit.model_input: english for unit in document.paragraphs[0].sentences})
    config = tmp_path / "config.yaml"
    config.write_text("review:\n  consistency: false\n", encoding="utf-8")
    BatchRunner(load_settings(config), model, tmp_path / "out").run(*discover([tmp_path / "in"]))
    out = tmp_path / "out"
    assert json.loads((out / "b.json").read_text("utf-8"))["paragraphs"][0]["status"] == "ok"
    editor = Editor(out / "b.docx")
    editor.write_note("p0001", "Spelling as the desk wants it.")
    import_review(editor.save(), settings=load_settings(config))
    assert json.loads((out / "b.json").read_text("utf-8"))["paragraphs"][0]["review"]["status"] == "ok"

    config.write_text("", encoding="utf-8")                      # the consistency check on
    BatchRunner(load_settings(config), model, out).run(*discover([tmp_path / "in"]))
    [paragraph] = json.loads((out / "b.json").read_text("utf-8"))["paragraphs"]
    assert "name_spelling" in [f["code"] for f in paragraph["flags"]] and paragraph["status"] == "needs_review"
    assert paragraph["review"]["status"] == "needs_review"
    assert paragraph["review"]["note"] == "Spelling as the desk wants it."
    status = docx.Document(str(out / "b.docx")).tables[-1].rows[1].cells[STATUS]._tc  # the text in its drop-down
    assert "".join(paragraph_text(p) for p in status.iter(f"{{{W}}}p")) == "needs review"
