"""Fuzzing ingest → segmentation → alignment → both writers with random Unicode.

The translator is a test double (DictionaryTranslator): the model is not what is fuzzed here.
CI runs a few hundred examples; `TARJAMA_FUZZ_EXAMPLES=10000 pytest tests/e2e/test_fuzz.py` is the
long run reported in README.
"""

import os
import string

import docx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.config import SegmentationSettings
from pipeline.align import align_document
from pipeline.errors import InputError
from pipeline.export.docx import write_docx
from pipeline.export.record import RunInfo, document_record, write_json
from pipeline.ingest import read_document
from pipeline.checks import check_document
from pipeline.segment import segment_document
from pipeline.translate.stage import translate_documents

from ..helpers import DictionaryTranslator, assert_nothing_lost

EXAMPLES = int(os.environ.get("TARJAMA_FUZZ_EXAMPLES", "250"))
RUN = RunInfo("fuzz", "sha256:" + "0" * 64, "test-double", {"num_beams": 1, "max_new_tokens_ratio": 2.0, "max_new_tokens": 64},
              {"tarjama_version": "0", "segmenter_version": "1"}, "2024-01-01T00:00:00Z")

ALPHABET = st.sampled_from(list(
    "ابتثجحخدذرزسشصضطظعغفقكلمنهويءأإآةىئؤـًٌٍَُِّْ" + string.ascii_letters + string.digits + "٠١٢٣٤٥٦٧٨٩۰۱۲٫٬٪"
    + ".!?؟…،؛:,;\"'«»“”()[]{}-–—/\\@#%&<>*_=+|~^`" + " \t\n\r" + "\u200f\u200e\u202a\u202b\u202c\u2066\u2069\u200b\ufeff"
    + "\x00\x07\x0b\x0c\x1b\x7f\x85\u2028\u2029" + "😀🇸🇦👍🏽" + "ﻷﺎﻣ" + "&amp;&#1605;"))
TEXT = st.lists(st.one_of(ALPHABET, st.characters()), min_size=0, max_size=300).map("".join)


def pipeline_run(path, tmp):
    """ingest → segment → translate (double) → align → review → JSON + DOCX; None if refused."""
    try:
        document = read_document(path, path.name)
    except InputError as refused:
        assert "\n" not in str(refused)                               # one clear line
        return None
    translator = DictionaryTranslator()
    segment_document(document, SegmentationSettings(max_unit_tokens=24), translator.count_tokens)
    translate_documents([document], translator)
    align_document(document)
    check_document(document)
    json_path, docx_path = tmp / "out" / f"{path.stem}.json", tmp / "out" / f"{path.stem}.docx"
    write_json(json_path, document_record(document, RUN))
    write_docx(docx_path, document, RUN)
    return json_path, docx_path


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(TEXT, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1256", "surrogates"]), st.sampled_from([".txt", ".md"]))
def test_text_files(tmp_path_factory, text, encoding, suffix):
    tmp = tmp_path_factory.mktemp("fuzz")
    path = tmp / f"article{suffix}"
    if encoding == "surrogates":
        data = (text + "\ud800").encode("utf-8", "surrogatepass")      # invalid UTF-8: must be refused cleanly
    else:
        try:
            data = text.encode(encoding)
        except UnicodeEncodeError:
            data = text.encode("utf-8", "surrogatepass")
    path.write_bytes(data)
    produced = pipeline_run(path, tmp)
    if produced and suffix == ".txt":
        assert_nothing_lost(path, *produced)
    elif produced:
        docx.Document(str(produced[1]))                                  # it opens
        assert_nothing_lost(path, *produced)


@settings(max_examples=max(20, EXAMPLES // 10), deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(TEXT, min_size=1, max_size=6))
def test_word_files(tmp_path_factory, paragraphs):
    from pipeline.ingest import displayable

    tmp = tmp_path_factory.mktemp("fuzz")
    path = tmp / "article.docx"
    word = docx.Document()
    for text in paragraphs:
        # Word cannot store what XML cannot hold: write what python-docx accepts.
        word.add_paragraph(displayable(text).replace("\ufffd", ""))
    word.save(path)
    produced = pipeline_run(path, tmp)
    if produced:
        assert_nothing_lost(path, *produced)
