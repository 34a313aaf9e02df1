"""An article's text as it came, and an English from outside (README, "Untrusted files"): a bidi
override in the Arabic reaches the editor flagged on its row, and an English holding a directional
control — here from a CAT tool's XLIFF, approved — is never published. Real files through the batch,
export-xliff, import-review and publish, with the test double for the model."""

import json
import re

from pipeline.batch import BatchRunner
from pipeline.config import load_settings
from pipeline.export.publish import publish
from pipeline.export.xliff import export_xliff
from pipeline.folders import discover
from pipeline.roundtrip import import_review

from ..helpers import DictionaryTranslator


def test_a_bidi_override_is_flagged_on_its_row_and_an_english_holding_one_is_held_back(tmp_path):
    source = tmp_path / "in" / "a.txt"
    source.parent.mkdir()
    # «1202» is shown as 2021 to the editor comparing the English; the model reads (and the checks compare) 1202
    source.write_text("قتل \u202e1202\u202c شخصا في الهجوم.\nوأشار البيان إلى أن المحادثات مستمرة.\n", encoding="utf-8")
    config = tmp_path / "config.yaml"
    config.write_text("", encoding="utf-8")
    out = tmp_path / "out"
    BatchRunner(load_settings(config), DictionaryTranslator(), out).run(*discover([tmp_path / "in"]))
    record = json.loads((out / "a.json").read_text(encoding="utf-8"))
    flags = {p["id"]: [(f["code"], f["severity"]) for f in p["flags"] if f["code"] == "bidi_control"]
             for p in record["paragraphs"]}
    assert flags == {"p0001": [("bidi_control", "warning")], "p0002": []}
    assert "\u202e" not in record["paragraphs"][0]["sentences"][0]["model_input"]  # what the model saw

    # A CAT tool's English for p0002, approved, says "51" and shows "15".
    export_xliff(out, out)
    xliff = out / "a.xlf"
    text = xliff.read_text(encoding="utf-8")
    unit = re.search(r'<trans-unit id="p0002".*?</trans-unit>', text, re.S).group()
    edited = re.sub(r"<target[^>]*>.*?</target>", '<target state="final">The statement said \u202e51\u202c '
                                                  'people are held.</target>', unit, flags=re.S)
    xliff.write_text(text.replace(unit, edited), encoding="utf-8")
    import_review(xliff, settings=load_settings(config))
    results = publish(out, tmp_path / "published", "html")
    assert results[0].written == []
    assert results[0].blockers == ["p0002's English holds U+202C (pop directional formatting), U+202E (right-to-left "
                                   "override): it can show in another order than it reads; retype the text around it"]


def test_directional_controls_around_a_url_or_a_hashtag_stay_out_of_tarjamas_own_english(tmp_path):
    """Arabic sets a URL or a hashtag apart with an embedding (LRE … PDF), which is honest there. A
    line of them alone is copied as written, and a URL is put back into the model's English: both
    carried the controls (one left unbalanced) into the English, which the check calls an error and
    publish refused — on Tarjama's own English (a code review)."""
    source = tmp_path / "in" / "a.txt"
    source.parent.mkdir()
    source.write_text("نشرت الوزارة التقرير على موقعها \u202ahttps://example.com/report\u202c اليوم.\n"
                      "\u202a#Gaza\u202c \u202a@UN\u202c\n", encoding="utf-8")
    config = tmp_path / "config.yaml"
    config.write_text("", encoding="utf-8")
    out = tmp_path / "out"
    BatchRunner(load_settings(config), DictionaryTranslator(), out).run(*discover([tmp_path / "in"]))
    record = json.loads((out / "a.json").read_text(encoding="utf-8"))
    assert [p["target"] for p in record["paragraphs"]][1] == "#Gaza @UN"
    assert "https://example.com/report" in record["paragraphs"][0]["target"]
    assert not any("\u202a" in p["target"] or "\u202c" in p["target"] for p in record["paragraphs"])
    assert not [f for p in record["paragraphs"] for f in p["flags"] if f["code"] == "bidi_control"]
    assert "\u202a#Gaza\u202c" in record["paragraphs"][1]["source"]  # the Arabic itself stays as written
