"""`tarjama memory import`: TMX files from CAT tools into the memory, and what is refused."""

import sqlite3

import pytest

from pipeline.errors import InputError
from pipeline.translate.memory import MemoryKey, TranslationMemory
from pipeline.translate.tmx_import import import_tmx, read_tmx

from ...helpers import ROOT

NTREX = ROOT / "tests" / "data" / "ntrex-dev"

# As memoQ / Trados write them: a 1.4b header, regions and casing in xml:lang, inline codes.
CAT_TMX = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
  <header creationtool="SDL Language Platform" creationtoolversion="8.0" o-tmf="SDL TM8 Format" datatype="xml"
          segtype="sentence" adminlang="en-GB" srclang="ar-SA"/>
  <body>
    <tu creationdate="20240301T100000Z">
      <tuv xml:lang="AR-SA"><seg>وقال باشينيان إن المحادثات كانت صعبة.</seg></tuv>
      <tuv xml:lang="en-GB"><seg>Pashinyan said the talks had been <bpt i="1">&lt;b&gt;</bpt>difficult<ept i="1">&lt;/b&gt;</ept>.</seg></tuv>
    </tu>
    <tu>
      <tuv xml:lang="ar"><seg>المصدر: تاس</seg></tuv>
      <tuv xml:lang="EN-us"><seg>Source: TASS</seg></tuv>
    </tu>
    <tu>
      <tuv xml:lang="ar-EG"><seg>نص بلا ترجمة</seg></tuv>
      <tuv xml:lang="fr-FR"><seg>Un texte sans anglais</seg></tuv>
    </tu>
    <tu>
      <tuv xml:lang="ar-SA"><seg>المصدر: تاس</seg></tuv>
      <tuv xml:lang="en-GB"><seg>Source: Tass news agency</seg></tuv>
    </tu>
  </body>
</tmx>
"""


def test_a_cat_tools_tmx_goes_in_as_approved_translations(tmp_path):
    tmx = tmp_path / "team.tmx"
    tmx.write_text(CAT_TMX, encoding="utf-8")
    result = import_tmx(tmx, tmp_path / "memory.sqlite")
    # Two pairs; the French one has no English; the second English for «المصدر: تاس» conflicts.
    assert (result.imported, result.skipped, result.conflicting) == (2, 1, 1)
    memory = TranslationMemory(tmp_path / "memory.sqlite")
    key = MemoryKey("model", "settings")
    # Served like an editor's approved translation: whole paragraphs, and the one-sentence unit.
    assert memory.human_paragraphs([key.paragraph("المصدر: تاس")]) == {key.paragraph("المصدر: تاس"): ("Source: TASS", [])}
    [(unit, hit)] = memory.lookup(["وقال باشينيان إن المحادثات كانت صعبة."], key).items()
    assert hit.text == "Pashinyan said the talks had been difficult." and hit.origin == "human"  # inline codes left out
    memory.close()


def test_importing_again_changes_nothing_and_an_editors_english_is_never_replaced(tmp_path):
    tmx = tmp_path / "team.tmx"
    tmx.write_text(CAT_TMX, encoding="utf-8")
    assert import_tmx(tmx, tmp_path / "memory.sqlite").imported > 0
    rows = sqlite3.connect(tmp_path / "memory.sqlite").execute("SELECT * FROM translations ORDER BY source").fetchall()
    again = import_tmx(tmx, tmp_path / "memory.sqlite")
    assert (again.imported, again.skipped, again.conflicting) == (0, 3, 1)  # two known pairs + the French one; the Tass one
    assert sqlite3.connect(tmp_path / "memory.sqlite").execute("SELECT * FROM translations ORDER BY source").fetchall() == rows

    # An editor approved other English for one of the sentences before the team's TMX came in.
    key = MemoryKey("", "")
    editor = tmp_path / "editor.sqlite"
    memory = TranslationMemory(editor)
    memory.store_human([("paragraph", key.paragraph("المصدر: تاس"), "Source: TASS (Moscow)", "{}")])
    memory.close()
    result = import_tmx(tmx, editor)
    assert (result.imported, result.skipped, result.conflicting) == (1, 1, 2)
    memory = TranslationMemory(editor)
    assert memory.human_paragraphs([key.paragraph("المصدر: تاس")])[key.paragraph("المصدر: تاس")][0] == "Source: TASS (Moscow)"
    memory.close()


def test_the_ntrex_news_pairs_written_by_translate_toolkit_all_come_in(tmp_path):
    """1,662 real news sentence pairs, written as TMX by a CAT-side library (translate-toolkit)."""
    from translate.storage.tmx import tmxfile

    arabic = (NTREX / "ntrex.dev.ar").read_text(encoding="utf-8").splitlines()
    english = (NTREX / "ntrex.dev.en").read_text(encoding="utf-8").splitlines()
    store = tmxfile(sourcelanguage="ar-SA", targetlanguage="en-GB")
    for ar, en in zip(arabic, english):
        store.addtranslation(ar, "ar-SA", en, "en-GB")
    tmx = tmp_path / "ntrex.tmx"
    tmx.write_bytes(bytes(store))
    pairs, unpaired, _ = read_tmx(tmx)
    assert len(pairs) == len(arabic) == 1662 and unpaired == 0
    result = import_tmx(tmx, tmp_path / "memory.sqlite")
    key = MemoryKey("", "")
    distinct = {key.paragraph(" ".join(ar.split())) for ar in arabic}
    assert result.imported == len(distinct) and result.imported + result.skipped + result.conflicting == 1662
    memory = TranslationMemory(tmp_path / "memory.sqlite")
    found = memory.human_paragraphs([key.paragraph(arabic[10])])
    assert found[key.paragraph(arabic[10])][0] == " ".join(english[10].split())
    memory.close()


def test_line_breaks_and_no_break_spaces_in_a_seg_are_kept_and_indentation_around_it_is_not(tmp_path):
    from translate.storage.tmx import tmxfile

    # Written by translate-toolkit: the English has a line break and no-break spaces ("10 a.m.")
    store = tmxfile(sourcelanguage="ar", targetlanguage="en")
    store.addtranslation("قال الوزير:\nالمحادثات كانت صعبة.", "ar", "The minister said:\nThe talks were hard.", "en")
    store.addtranslation("بلغت الخسائر 10 ملايين دولار في العاشرة صباحا.", "ar",
                         "Losses reached $10\u00a0million at 10\u00a0a.m.", "en")
    tmx = tmp_path / "team.tmx"
    tmx.write_bytes(bytes(store))
    assert [p.english for p in read_tmx(tmx)[0]] == ["The minister said:\nThe talks were hard.",
                                                     "Losses reached $10\u00a0million at 10\u00a0a.m."]
    import_tmx(tmx, tmp_path / "memory.sqlite")
    memory, key = TranslationMemory(tmp_path / "memory.sqlite"), MemoryKey("", "")
    losses = "بلغت الخسائر 10 ملايين دولار في العاشرة صباحا."
    assert memory.human_paragraphs([key.paragraph(losses)])[key.paragraph(losses)][0] == (
        "Losses reached $10\u00a0million at 10\u00a0a.m.")
    [(_, hit)] = memory.lookup([losses], key).items()
    assert hit.text == "Losses reached $10\u00a0million at 10\u00a0a.m."
    memory.close()
    # A pretty-printed file indents inside <seg>: that is layout, not the translation
    tmx.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="ar"/><body>\n'
                   '  <tu>\n    <tuv xml:lang="ar">\n      <seg>\n        وصل الرئيس إلى القاهرة.\n      </seg>\n'
                   '    </tuv>\n    <tuv xml:lang="en">\n      <seg>\n        The president arrived in Cairo.\n      </seg>\n'
                   '    </tuv>\n  </tu>\n</body></tmx>\n', encoding="utf-8")
    [pair] = read_tmx(tmx)[0]
    assert (pair.arabic, pair.english) == ("وصل الرئيس إلى القاهرة.", "The president arrived in Cairo.")
    # … and a tool that wraps a long <seg> in its file: a line break then indentation is a space
    tmx.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="ar"/><body>\n'
                   '  <tu>\n    <tuv xml:lang="ar"><seg>قال الوزير إن الحكومة ستعلن\n          الموازنة الأسبوع المقبل.</seg></tuv>\n'
                   '    <tuv xml:lang="en"><seg>The minister said the government will announce\n'
                   '          the budget next week.</seg></tuv>\n  </tu>\n</body></tmx>\n', encoding="utf-8")
    [pair] = read_tmx(tmx)[0]
    assert (pair.arabic, pair.english) == ("قال الوزير إن الحكومة ستعلن الموازنة الأسبوع المقبل.",
                                           "The minister said the government will announce the budget next week.")


@pytest.mark.parametrize("content, message", [
    ('<?xml version="1.0"?><xliff version="1.2"><file/></xliff>', "not a TMX file (its root is <xliff>)"),
    ('<?xml version="1.0"?><tmx version="1.4"><header/></tmx>', "no <body>: not a TMX file's contents"),
    ("Arabic\tEnglish\n", "not a TMX file: not well-formed XML"),
    ('<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
     '<tmx version="1.4"><header/><body><tu><tuv xml:lang="ar"><seg>&x;</seg></tuv></tu></body></tmx>',
     "declares XML entities"),
    ('<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
     '<tmx version="1.4"><header/><body><tu><tuv xml:lang="ar"><seg>&b;</seg></tuv></tu></body></tmx>',
     "declares XML entities"),
])
def test_non_tmx_and_entity_tricks_are_refused_in_one_line_naming_the_file(tmp_path, content, message):
    bad = tmp_path / "suspect.tmx"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        import_tmx(bad, tmp_path / "memory.sqlite")
    text = str(caught.value)
    assert message in text and str(bad) in text and "\n" not in text
    assert caught.value.exit_code == 2  # the file the command was given: not a batch's failed file
    assert not (tmp_path / "memory.sqlite").exists()  # nothing written


def test_a_file_over_the_size_limit_is_refused_before_it_is_parsed(tmp_path, monkeypatch):
    import pipeline.translate.tmx_import as module

    monkeypatch.setattr(module, "MAX_TMX_BYTES", 1000)
    big = tmp_path / "big.tmx"
    big.write_text(CAT_TMX, encoding="utf-8")
    with pytest.raises(InputError, match="big.tmx: .* MB is more than"):
        import_tmx(big, tmp_path / "memory.sqlite")


def test_inline_codes_in_a_seg_are_left_out_and_a_line_break_code_is_a_newline(tmp_path):
    # As an XLIFF target is read (a code review: a TMX <ph> line break glued the words on its two
    # sides, "line oneline two", while the XLIFF reader made it a newline)
    tmx = tmp_path / "codes.tmx"
    tmx.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="ar"/><body><tu>'
                   '<tuv xml:lang="ar"><seg>قال الوزير:<ph type="lb">&lt;br/&gt;</ph>المحادثات صعبة.</seg></tuv>'
                   '<tuv xml:lang="en"><seg>The <bpt i="1">&lt;b&gt;</bpt>minister<ept i="1">&lt;/b&gt;</ept> said:'
                   '<ph>&lt;br/&gt;</ph>The talks are hard.</seg></tuv></tu></body></tmx>\n', encoding="utf-8")
    [pair] = read_tmx(tmx)[0]
    assert (pair.arabic, pair.english) == ("قال الوزير:\nالمحادثات صعبة.", "The minister said:\nThe talks are hard.")


def test_omegats_memory_of_a_project_that_translated_the_english_imports_nothing(tmp_path):
    """OmegaT given Tarjama's default XLIFF takes the English in <target> for its source text and
    labels it with the project's source language (tests/data/omegat): pairs whose Arabic side
    holds no Arabic would never match an article; they are skipped, and the command says why."""
    from ...helpers import run_cli

    tmx = ROOT / "tests" / "data" / "omegat" / "project_save.english-source.tmx"
    pairs, unpaired, not_arabic = read_tmx(tmx)
    assert (pairs, unpaired, not_arabic) == ([], 2, 2)
    result = import_tmx(tmx, tmp_path / "memory.sqlite")
    assert (result.imported, result.skipped, result.not_arabic) == (0, 2, 2)
    cli = run_cli("memory", "import", str(tmx), "-o", str(tmp_path / "out"))
    assert cli.returncode == 0 and "0 imported, 2 skipped" in cli.stdout
    assert "2 of the skipped have no Arabic letter on their Arabic side" in cli.stderr and "--copy-source" in cli.stderr


def test_omegats_own_memory_reads_as_any_tmx():
    # TMX 1.1 as OmegaT 3.6 writes its project_save.tmx: lang="AR" / "EN", sentence pairs, a note.
    pairs, unpaired, not_arabic = read_tmx(ROOT / "tests" / "data" / "omegat" / "project_save.tmx")
    assert (len(pairs), unpaired, not_arabic) == (6, 0, 0)
    assert ("حول اتفاقيات قره باغ", "About the Karabakh agreements") in [(p.arabic, p.english) for p in pairs]
    assert all(p.origin == "human" for p in pairs)
