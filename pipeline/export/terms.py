"""The newsroom's terms file out, for CAT tools (`tarjama export-terms`).

- TBX: TBX-Basic in the 2008 dialect (<martif>, ISO 30042:2008), the one CAT tools import most
  widely (OmegaT, memoQ, Trados MultiTerm, Weblate); `load_glossary` reads it back, and the 2019
  dialect too. One <termEntry> per entry: its Arabic term, and each English rendering as a term
  of the English <langSet>. What TBX has no field for is a note Tarjama reads back: a kept
  (do-not-translate) term, the same text on both sides, and an entry not enforced while translating.
- TSV: OmegaT's glossary (glossary/*.txt: UTF-8, term, translation, comment by tabs), one line per
  rendering.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from ..fsutil import atomic_write_bytes, atomic_write_text
from ..glossary import KEEP_NOTE, NOT_ENFORCED_NOTE, Glossary

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
FORMATS = {".tbx": "tbx", ".tsv": "tsv", ".txt": "tsv", ".utf8": "tsv"}


def to_tbx(glossary: Glossary) -> bytes:
    root = etree.Element("martif", {"type": "TBX-Basic", XML_LANG: "en"})
    header = etree.SubElement(root, "martifHeader")
    file_desc = etree.SubElement(header, "fileDesc")
    etree.SubElement(etree.SubElement(file_desc, "sourceDesc"), "p").text = (
        f"Tarjama terms file {Path(glossary.path).name} (sha256 {glossary.digest})")
    etree.SubElement(etree.SubElement(header, "encodingDesc"), "p", type="XCSURI").text = "TBXBasicXCSV02.xcs"
    body = etree.SubElement(etree.SubElement(root, "text"), "body")
    for number, term in enumerate(glossary.terms, start=1):
        entry = etree.SubElement(body, "termEntry", id=f"t{number}")
        if term.keep:
            etree.SubElement(entry, "note").text = KEEP_NOTE
        elif not term.enforce:
            etree.SubElement(entry, "note").text = NOT_ENFORCED_NOTE
        for language, texts in (("ar", [term.source]), ("en", list(term.renderings))):
            section = etree.SubElement(entry, "langSet", {XML_LANG: language})
            for text in texts:
                etree.SubElement(etree.SubElement(section, "tig"), "term").text = text
    etree.indent(root, space="  ")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def to_tsv(glossary: Glossary) -> str:
    """OmegaT's tab-separated glossary; a tab or line break inside a term would cut it: a space."""
    def clean(text: str) -> str:
        return " ".join(text.split())

    lines = []
    for term in glossary.terms:
        comment = "do not translate" if term.keep else "" if term.enforce else "not enforced"
        for rendering in term.renderings:
            lines.append("\t".join((clean(term.source), clean(rendering), comment)).rstrip("\t"))
    return "".join(line + "\n" for line in lines)


def export_terms(glossary: Glossary, output: Path) -> str:
    """Write `glossary` to `output` in the format its suffix names; returns the format."""
    kind = FORMATS.get(output.suffix.lower())
    if kind == "tbx":
        atomic_write_bytes(output, to_tbx(glossary))
    elif kind == "tsv":
        atomic_write_text(output, to_tsv(glossary))
    else:
        from ..errors import UsageError

        raise UsageError(f"{output}: write the terms as .tbx (TBX-Basic) or .txt / .tsv (OmegaT's glossary)")
    return kind
