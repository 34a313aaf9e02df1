"""The terms file out (`tarjama export-terms`: TBX-Basic, OmegaT's glossary) and a CAT tool's TBX in
as a terms file — read back by Tarjama and by translate-toolkit, a real TBX client."""

import pytest
from translate.storage import tbx

from pipeline.checks import CHECKS
from pipeline.errors import ConfigError
from pipeline.export.terms import to_tbx, to_tsv
from pipeline.glossary import load_glossary
from pipeline.model import Paragraph

from ...helpers import ROOT, run_cli

TERMS = """terms:
  - {ar: باشينيان, en: [Pashinyan, Pashinian]}
  - {ar: الكرملين, en: Kremlin}
  - {ar: ناغورني قره باغ, en: Nagorno-Karabakh, enforce: false}
keep: [TASS]
"""


def glossary_flags(glossary, arabic: str, english: str) -> list[str]:
    spec = CHECKS["glossary"]
    paragraph = Paragraph("p0001", 1, arabic, target=english)
    return [flag.evidence["term"] for flag in spec.function(paragraph, spec.params(glossary=glossary))]


def as_tuples(glossary):
    return [(t.source, t.renderings, t.keep, t.enforce) for t in glossary.terms]


def test_a_terms_file_goes_to_tbx_and_comes_back_the_same(tmp_path):
    (tmp_path / "g.yaml").write_text(TERMS, encoding="utf-8")
    glossary = load_glossary(tmp_path / "g.yaml")
    (tmp_path / "g.tbx").write_bytes(to_tbx(glossary))
    again = load_glossary(tmp_path / "g.tbx")
    assert as_tuples(again) == as_tuples(glossary) == [
        ("باشينيان", ("Pashinyan", "Pashinian"), False, True), ("الكرملين", ("Kremlin",), False, True),
        ("ناغورني قره باغ", ("Nagorno-Karabakh",), False, False), ("TASS", ("TASS",), True, True)]
    # The check finds the same terms through the TBX as through the YAML («للكرملين»: ل + ال).
    arabic, english = "وقال بيان للكرملين إن باشينيان زار موسكو.", "A Kremlin statement said Pashinian visited Moscow."
    assert glossary_flags(again, arabic, english) == glossary_flags(glossary, arabic, english) == []
    assert glossary_flags(again, arabic, "The presidency said Pashinian visited Moscow.") == ["الكرملين"]


def test_translate_toolkit_reads_the_tbx_as_arabic_terms_with_their_english(tmp_path):
    (tmp_path / "g.yaml").write_text(TERMS, encoding="utf-8")
    store = tbx.tbxfile.parsestring(to_tbx(load_glossary(tmp_path / "g.yaml")))
    assert [(unit.getid(), unit.source, unit.target) for unit in store.units] == [
        ("t1", "باشينيان", "Pashinyan"), ("t2", "الكرملين", "Kremlin"), ("t3", "ناغورني قره باغ", "Nagorno-Karabakh"),
        ("t4", "TASS", "TASS")]


def test_omegats_glossary_is_a_line_per_rendering(tmp_path):
    (tmp_path / "g.yaml").write_text(TERMS, encoding="utf-8")
    assert to_tsv(load_glossary(tmp_path / "g.yaml")).splitlines() == [
        "باشينيان\tPashinyan", "باشينيان\tPashinian", "الكرملين\tKremlin",
        "ناغورني قره باغ\tNagorno-Karabakh\tnot enforced", "TASS\tTASS\tdo not translate"]


# A termbase as a CAT tool exports it in the 2019 dialect (ISO 30042:2019, TBX-Basic: namespaced,
# <conceptEntry>/<langSec>/<termSec>), with regional language tags, a deprecated English term, an
# entry in French only and one with no English.
TBX_2019 = """<?xml version="1.0" encoding="UTF-8"?>
<?xml-model href="https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/DCA/TBXcoreStructV03_TBX-Basic_integrated.rng"?>
<tbx style="dca" type="TBX-Basic" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
  <tbxHeader><fileDesc><sourceDesc><p>Newsroom termbase</p></sourceDesc></fileDesc></tbxHeader>
  <text><body>
    <conceptEntry id="c12">
      <langSec xml:lang="ar-SA"><termSec><term>الأمم المتحدة</term></termSec></langSec>
      <langSec xml:lang="en-GB">
        <termSec><term>United Nations</term>
          <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec>
        <termSec><term>UN</term></termSec>
        <termSec><term>United Nation Organisation</term>
          <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></termSec>
      </langSec>
    </conceptEntry>
    <conceptEntry id="c13">
      <langSec xml:lang="fr"><termSec><term>Nations unies</term></termSec></langSec>
    </conceptEntry>
    <conceptEntry id="c14">
      <langSec xml:lang="ar"><termSec><term>مجلس الأمن</term></termSec></langSec>
    </conceptEntry>
  </body></text>
</tbx>
"""


def test_a_cat_tools_tbx_2019_is_a_terms_file(tmp_path):
    path = tmp_path / "termbase.tbx"
    path.write_text(TBX_2019, encoding="utf-8")
    glossary = load_glossary(path)
    assert as_tuples(glossary) == [("الأمم المتحدة", ("United Nations", "UN"), False, True)]
    arabic = "دعت الأمم المتحدة إلى وقف إطلاق النار."
    assert glossary_flags(glossary, arabic, "The UN called for a ceasefire.") == []
    # the deprecated name is not a rendering
    assert glossary_flags(glossary, arabic, "The United Nation Organisation called for a ceasefire.") == ["الأمم المتحدة"]


# The same termbase in TBX-Basic 2019's other style (DCT: each data category an element of its
# own, <min:administrativeStatus>), and a 2008 one saying it with normativeAuthorization: the
# deprecated name was a rendering there (the check and the enforcement took "United Nation
# Organisation" for the UN).
TBX_2019_DCT = (TBX_2019.replace('style="dca"', 'style="dct"')
                .replace('xmlns="urn:iso:std:iso:30042:ed-2"',
                         'xmlns="urn:iso:std:iso:30042:ed-2" xmlns:min="http://www.tbxinfo.net/ns/min" '
                         'xmlns:basic="http://www.tbxinfo.net/ns/basic"')
                .replace('<termNote type="administrativeStatus">preferredTerm-admn-sts</termNote>',
                         '<min:administrativeStatus>preferredTerm-admn-sts</min:administrativeStatus>')
                .replace('<termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote>',
                         '<min:administrativeStatus>deprecatedTerm-admn-sts</min:administrativeStatus>'))
TBX_2008_NORMATIVE = """<?xml version="1.0"?><martif type="TBX" xml:lang="en"><text><body>
  <termEntry id="c12"><langSet xml:lang="ar"><tig><term>الأمم المتحدة</term></tig></langSet>
    <langSet xml:lang="en"><tig><term>United Nations</term></tig><tig><term>UN</term></tig>
      <ntig><termGrp><term>United Nation Organisation</term>
        <termNote type="normativeAuthorization">deprecatedTerm</termNote></termGrp></ntig></langSet></termEntry>
</body></text></martif>"""


@pytest.mark.parametrize("content", [TBX_2019_DCT, TBX_2008_NORMATIVE])
def test_a_deprecated_term_is_no_rendering_however_the_tbx_says_it(tmp_path, content):
    assert "deprecatedTerm" in content
    path = tmp_path / "termbase.tbx"
    path.write_text(content, encoding="utf-8")
    glossary = load_glossary(path)
    assert as_tuples(glossary) == [("الأمم المتحدة", ("United Nations", "UN"), False, True)]
    arabic = "دعت الأمم المتحدة إلى وقف إطلاق النار."
    assert glossary_flags(glossary, arabic, "The United Nation Organisation called for a ceasefire.") == ["الأمم المتحدة"]


def test_a_tbx_2008_with_ntig_and_two_entries_for_one_arabic_term(tmp_path):
    path = tmp_path / "old.tbx"
    path.write_text("""<?xml version="1.0"?><martif type="TBX" xml:lang="en"><text><body>
      <termEntry id="a"><langSet xml:lang="AR"><ntig><termGrp><term>مجلس الأمن</term></termGrp></ntig></langSet>
        <langSet xml:lang="EN"><ntig><termGrp><term>Security Council</term></termGrp></ntig></langSet></termEntry>
      <termEntry id="b"><langSet xml:lang="ar"><tig><term>مجلس الأمن</term></tig></langSet>
        <langSet xml:lang="en"><tig><term>National Security Council</term></tig></langSet></termEntry>
    </body></text></martif>""", encoding="utf-8")
    with pytest.raises(ConfigError, match="«مجلس الأمن» is listed twice with different English "
                                          r"\(entry a: Security Council; entry b: National Security Council\)"):
        load_glossary(path)


@pytest.mark.parametrize("content, message", [
    ("<tmx version='1.4'><body/></tmx>", "not a TBX file (its root is <tmx>, not <martif> or <tbx>)"),
    (TBX_2019.replace('xml:lang="ar-SA"', 'xml:lang="fa"').replace('<langSec xml:lang="ar">', '<langSec xml:lang="ur">'),
     "no TBX entry has both Arabic (xml:lang ar) and English (en) terms"),
    ('<?xml version="1.0"?><!DOCTYPE martif [<!ENTITY x SYSTEM "file:///etc/passwd">]><martif>&x;</martif>',
     "declares XML entities (refused: they can read local files or expand without bound)"),
    ("<martif><text>", "not a TBX file: not well-formed XML"),
])
def test_a_bad_tbx_is_one_line_naming_it(tmp_path, content, message):
    path = tmp_path / "bad.tbx"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_glossary(path)
    assert str(raised.value).startswith(f"{path}: {message}") and "\n" not in str(raised.value)


def test_export_terms_takes_the_configs_glossary_and_names_what_it_wrote(tmp_path):
    result = run_cli("export-terms", "-o", str(tmp_path / "terms.tbx"), cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"tarjama: 10 term(s), 10 rendering(s) written to {tmp_path / 'terms.tbx'} (TBX-Basic)\n"
    assert [t.source for t in load_glossary(tmp_path / "terms.tbx").terms] == [
        t.source for t in load_glossary(ROOT / "docs" / "glossary.example.yaml").terms]
    result = run_cli("export-terms", str(ROOT / "docs" / "glossary.example.yaml"), "-o", str(tmp_path / "terms.csv"))
    assert result.returncode == 2 and not (tmp_path / "terms.csv").exists()
    assert result.stderr == (f"tarjama: error: {tmp_path / 'terms.csv'}: write the terms as .tbx (TBX-Basic) or "
                             ".txt / .tsv (OmegaT's glossary)\n")
    result = run_cli("export-terms", str(tmp_path / "none.yaml"), "-o", str(tmp_path / "t.tbx"))
    assert result.returncode == 2 and result.stderr == f"tarjama: error: {tmp_path / 'none.yaml'}: no such terms file\n"


def test_an_entry_with_arabic_but_no_usable_english_is_said_not_silently_left_out(tmp_path, caplog):
    """An entry whose English term is empty (<term/>), deprecated or missing cannot be checked or
    enforced: YAML refuses its equivalent (`en: ""`); a TBX left it out without a word. It is left
    out and said, once, naming the entries — a French-only entry is another pair's, not said."""
    content = TBX_2019.replace('<langSec xml:lang="ar"><termSec><term>مجلس الأمن</term></termSec></langSec>',
                               '<langSec xml:lang="ar"><termSec><term>مجلس الأمن</term></termSec></langSec>'
                               '<langSec xml:lang="en"><termSec><term/></termSec></langSec>')
    content = content.replace("</body>", """<conceptEntry id="c15"><langSec xml:lang="ar"><termSec><term>بوتين</term>
      </termSec></langSec><langSec xml:lang="en"><termSec><term>Poutine</term>
      <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></termSec></langSec></conceptEntry></body>""")
    path = tmp_path / "termbase.tbx"
    path.write_text(content, encoding="utf-8")
    with caplog.at_level("WARNING", logger="pipeline.glossary"):
        glossary = load_glossary(path)
        load_glossary(path)  # loaded again in the same run: said once
    assert as_tuples(glossary) == [("الأمم المتحدة", ("United Nations", "UN"), False, True)]
    said = [r.getMessage() for r in caplog.records if r.name == "pipeline.glossary"]
    assert said == [f"{path}: 2 entries have an Arabic term but no English one (empty, deprecated or missing) and "
                    f"are left out: entry c14 «مجلس الأمن», entry c15 «بوتين»"]


def test_an_arabic_term_and_its_vocalised_form_are_one_term_to_the_check(tmp_path):
    """memoQ and MultiTerm termbases list a term's vocalised spelling as a synonym in the same
    entry; both match the same words (tashkeel aside), and a missing rendering was flagged once per
    spelling: «بوتين» should be rendered as Putin, «بُوتِين» should be rendered as Putin."""
    path = tmp_path / "memoq.tbx"
    path.write_text("""<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE martif SYSTEM "TBXcoreStructV02.dtd">
<martif type="TBX" xml:lang="en-US"><text><body>
  <termEntry id="_1"><descrip type="definition">Russian president</descrip>
    <langSet xml:lang="ar-SA"><tig><term>بوتين</term><termNote type="partOfSpeech">noun</termNote></tig>
      <tig><term>بُوتِين</term><termNote type="partOfSpeech">noun</termNote></tig></langSet>
    <langSet xml:lang="en-GB"><tig><term>Putin</term></tig></langSet></termEntry>
</body></text></martif>""", encoding="utf-8")
    glossary = load_glossary(path)
    assert [t.source for t in glossary.terms] == ["بوتين", "بُوتِين"]  # both exported again, for CAT tools
    assert glossary_flags(glossary, "قال بُوتِين ذلك.", "He said so.") == ["بوتين"]
    assert glossary_flags(glossary, "قال بوتين ذلك.", "Putin said so.") == []
