"""The review DOCX of the string writer against the python-docx writer it replaced (issue 19).

Not a benchmark: the safety net of the rewrite, kept so that it can be run again. The old writer
(python-docx's object API, `pipeline/export/docx/write.py` and `pipeline/ooxml.py` as they were
at REV, read from git) and the current one build documents of the same records; their parts are
compared after canonicalisation (exclusive C14N, which drops namespace declarations no element
uses; template parts also without the whitespace between elements, which python-docx drops on
loading), the old writer's with what was changed on purpose since (`since_the_rewrite`). The
records: NTREX articles with their human English, as they are and with every paragraph flagged;
the sample article with the glossary example's flags; and variants of it with editors' reviews,
notes and drafts, a fuzzy match, an Arabic file name, notices, an empty English, line breaks and
tabs, another document look.

    python bench/docx_equivalence.py [--rev 7958fa6] [--articles tests/data/ntrex-dev/articles]

Prints one line per difference and a summary; exit 1 when anything differs.
"""

from __future__ import annotations

import argparse
import copy
import importlib.util
import io
import subprocess
import sys
import tempfile
import types
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OLD_REV = "7958fa6"  # main before the string writer
PARTS = ("word/document.xml", "word/comments.xml", "word/footer1.xml", "docProps/core.xml", "word/styles.xml",
         "word/settings.xml", "word/numbering.xml", "docProps/app.xml", "word/_rels/document.xml.rels",
         "_rels/.rels", "[Content_Types].xml")


def old_writer(rev: str):
    """build_docx of the python-docx writer at `rev`, loaded from git as module `old_docx`."""
    def source(path: str) -> str:
        return subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:{path}"], check=True, capture_output=True,
                              text=True).stdout

    package = types.ModuleType("old_docx")
    package.__path__ = []
    sys.modules["old_docx"] = package
    folder = Path(tempfile.mkdtemp(prefix="old_docx"))
    code = {"ooxml": source("pipeline/ooxml.py"),
            "write": source("pipeline/export/docx/write.py")
            .replace("from ... import ooxml", "from old_docx import ooxml")
            .replace("from ...", "from pipeline.").replace("from ..record", "from pipeline.export.record")
            .replace("from .layout", "from pipeline.export.docx.layout")}
    for name, text in code.items():
        (folder / f"{name}.py").write_text(text, encoding="utf-8")
        spec = importlib.util.spec_from_file_location(f"old_docx.{name}", folder / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[f"old_docx.{name}"] = module
        spec.loader.exec_module(module)
        setattr(package, name, module)
    return package.write.build_docx


def since_the_rewrite(name: str, root) -> None:
    """What was changed on purpose since the rewrite, made in the old writer's part before comparing:
    settings' w:zoom has the percentage ECMA-376 requires (tests/unit/export/test_ooxml_schema.py);
    the title block's counts say "1 amber row", not "1 amber rows"."""
    if name == "word/settings.xml":
        from pipeline.ooxml import complete_zoom

        complete_zoom(root)
    if name == "word/document.xml":
        import re

        for text in root.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"):
            if text.text:
                text.text = re.sub(r"(?<![0-9])1 (red|amber|blue) rows\b", r"1 \1 row", text.text)


def canonical(name: str, data: bytes, old: bool = False) -> bytes:
    from lxml import etree

    template = name not in ("word/document.xml", "word/comments.xml", "word/footer1.xml", "docProps/core.xml")
    root = etree.fromstring(data, etree.XMLParser(remove_blank_text=template))
    if old:
        since_the_rewrite(name, root)
    if name.endswith(".rels"):  # relationships are a set: their order means nothing
        root[:] = sorted(root, key=lambda rel: rel.get("Id"))
    return etree.tostring(root, method="c14n", exclusive=True)


def compare(label: str, old: bytes, new: bytes) -> list[str]:
    problems = []
    with zipfile.ZipFile(io.BytesIO(old)) as a, zipfile.ZipFile(io.BytesIO(new)) as b:
        if sorted(a.namelist()) != sorted(b.namelist()):
            problems.append(f"{label}: members differ: {sorted(set(a.namelist()) ^ set(b.namelist()))}")
        if b.testzip() is not None:
            problems.append(f"{label}: a damaged member in the new package")
        for name in PARTS:
            if name not in a.namelist() or name not in b.namelist():
                continue
            x, y = canonical(name, a.read(name), old=True), canonical(name, b.read(name))
            if x != y:
                at = next((i for i, (p, q) in enumerate(zip(x, y)) if p != q), min(len(x), len(y)))
                problems.append(f"{label}: {name} differs at {at}:\n  old …{x[max(0, at - 150):at + 150]!r}\n"
                                f"  new …{y[max(0, at - 150):at + 150]!r}")
    return problems


def sample_variants(stages):
    """The sample article with the English per unit, checked; and variants of it."""
    from pipeline.model import Flag, MemoryMatch, ParagraphReview

    sample = stages.prepare(ROOT / "models" / "fixture-data" / "karabakh-talks.ar.txt", "karabakh-talks.ar.txt")
    english = (ROOT / "models" / "fixture-data" / "karabakh-talks.en.txt").read_text("utf-8").splitlines()
    units = [unit for paragraph in sample.paragraphs for unit in paragraph.sentences]
    for unit, line in zip(units, english):
        unit.target, unit.score, unit.origin = line, -0.4, "model"
    stages.finish(sample)
    yield "sample", sample

    reviewed = copy.deepcopy(sample)
    p = reviewed.paragraphs
    p[0].review = ParagraphReview("approved", editors=["Layla Haddad"], edited_at="2026-11-20T10:00:00Z")
    p[1].review = ParagraphReview("rejected", note="Wrong name\n\tsee «باشينيان» & <source>", editors=["A", "B"])
    p[2].review = ParagraphReview("needs_review", editor_target="An editor's draft.\nSecond line\twith a tab")
    p[3].review = ParagraphReview("ok", editor_target="", note="empty on purpose")
    p[4].review = ParagraphReview("approved", editor_target="Approved «نص» text", edited_at="2026-11-21T09:00:00Z")
    p[5].memory_match = MemoryMatch(87.0, "نص", "Offered English", "human")
    p[5].flags.append(Flag("memory_match", "info", "87% match in the memory (an editor's translation): «Offered»", {}))
    p[6].flags.append(Flag("length_ratio", "error", "the English is short for «قره باغ» and «باكو», «يريفان»", {}))
    p[6].status = "needs_review"
    p[7].target = ""
    p[8].target = "Line one\nline two\tand a tab & <angle> \"quotes\" 'single'  "
    p[9].kind = "quote"
    p[10].kind = "caption"
    yield "reviews, notes, drafts, fuzzy match, edge text", reviewed

    arabic_name = copy.deepcopy(sample)
    arabic_name.id = arabic_name.source_path = "أخبار/محادثات موسكو.ar.txt"
    arabic_name.notices = ["1 text box not translated", "2 control character(s) that no document can hold shown as \ufffd"]
    arabic_name.encoding = None
    yield "Arabic file name, notices", arabic_name


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rev", default=OLD_REV, help="the commit of the python-docx writer")
    parser.add_argument("--articles", type=Path, default=ROOT / "tests" / "data" / "ntrex-dev" / "articles")
    parser.add_argument("--limit", type=int, default=0, help="only the first N articles")
    args = parser.parse_args()

    from bench.export import flag_every_paragraph, load_articles
    from pipeline.config import load_settings
    from pipeline.export.docx import DocxOptions, build_docx
    from pipeline.export.record import RunInfo
    from pipeline.stages import Stages

    build_old = old_writer(args.rev)
    settings = load_settings(ROOT / "config.yaml")
    stages = Stages(settings)
    run = RunInfo("models/fixture-ar-en", "sha256:" + "ab" * 32, "transformers", {"num_beams": 4},
                  {"tarjama_version": "0.1.0"}, created="2026-11-29T07:06:40Z")
    cases = list(sample_variants(stages))
    articles = load_articles(args.articles, stages)[:args.limit or None]
    for document in articles:
        stages.finish(document)
        cases.append((document.id, document))
        flagged = copy.deepcopy(document)
        flag_every_paragraph(flagged)
        cases.append((f"{document.id} every paragraph flagged", flagged))
    looks = [DocxOptions(), DocxOptions(arabic_font="Amiri", arabic_size=14, arabic_line_spacing=1.5,
                                        english_font="Georgia", english_size=11.25)]
    problems, built = [], 0
    for label, document in cases:
        for look in looks if label.startswith(("sample", "reviews")) else looks[:1]:
            old, new = build_old(document, run, look), build_docx(document, run, look)
            if build_docx(document, run, look) != new:
                problems.append(f"{label}: two builds differ (not deterministic)")
            problems += compare(f"{label} [{look.arabic_font}]", old, new)
            built += 1
    for problem in problems:
        print(problem)
    print(f"{built} documents built both ways: {len(problems)} difference(s) in {', '.join(PARTS)}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
