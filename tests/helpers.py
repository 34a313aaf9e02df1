"""Paths of the repo's test data and the fixture model, and helpers shared by tests."""

from __future__ import annotations

import contextlib
import functools
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
FIXTURE_MODEL = ROOT / "models" / "fixture-ar-en"
SAMPLE_ARTICLE = ROOT / "models" / "fixture-data" / "karabakh-talks.ar.txt"  # the article the fixture knows


def run_process(command: list[str], *, cwd: Path | None = None, env: dict | None = None, input: str | None = None,
                timeout: float = 600) -> subprocess.CompletedProcess:
    """Run a command in its own process group, capturing its output; on a timeout (or any error)
    the whole group is killed, so no child it started outlives the test."""
    process = subprocess.Popen(command, cwd=cwd or ROOT, env=env, text=True, start_new_session=True,
                               stdin=subprocess.PIPE if input is not None else subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        stdout, stderr = process.communicate(input, timeout=timeout)
    except BaseException:
        kill_group(process)
        raise
    kill_group(process)  # the command is done; anything it left behind in its group is not
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


@contextlib.contextmanager
def spawned(command: list[str], *, cwd: Path | None = None, env: dict | None = None, capture: bool = True):
    """A running command in its own process group (signals can reach all of it with os.killpg);
    whatever happens in the test, the group is killed when the block ends."""
    output = subprocess.PIPE if capture else subprocess.DEVNULL
    process = subprocess.Popen(command, cwd=cwd or ROOT, env=env, text=True, start_new_session=True,
                               stdin=subprocess.DEVNULL, stdout=output, stderr=output)
    try:
        yield process
    finally:
        kill_group(process)


def kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    process.wait()


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None, timeout: float = 600,
            isolated: bool = False) -> subprocess.CompletedProcess:
    """Run `tarjama ARGS` as a user would, capturing its exit code, stdout and stderr.

    By default in this process: `pipeline.cli.main` with the working directory and output
    streams of a command, which spares the seconds of importing torch and transformers again
    (most tests run the command many times). `isolated=True`, or any `env`, runs
    `python -m pipeline ARGS` in a process of its own: for settings that libraries read once at
    import (HF_HUB_OFFLINE, HF_ENDPOINT) and for what only a real process shows.
    """
    if isolated or env:
        return run_process([sys.executable, "-m", "pipeline", *args], cwd=cwd, env={**os.environ, **(env or {})},
                           timeout=timeout)
    import io

    from pipeline.cli import main

    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.chdir(cwd or ROOT), contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            code = main(list(args))
        except SystemExit as exit:  # argparse: --help, --version, a usage error
            code = exit.code if isinstance(exit.code, int) else (0 if exit.code is None else 2)
    return subprocess.CompletedProcess(["tarjama", *args], code, stdout.getvalue(), stderr.getvalue())


class DictionaryTranslator:
    """A test double behind the Translator protocol, for tests about everything but the model.

    It "translates" by looking the input up in a dictionary and otherwise returns a fixed
    English sentence; counts one token per word. The real model runs in the model-marked tests.
    """

    backend = "test-double"
    fingerprint = "sha256:" + "0" * 64
    loaded = True

    def __init__(self, known: dict[str, str] | None = None, options=None):
        from pipeline.translate.base import GenerationOptions

        self.name = "dictionary"
        self.known = known or {}
        self.options = options or GenerationOptions.from_settings()
        self.calls: list[list[str]] = []

    def count_tokens(self, texts):
        return [len(text.split()) + 1 for text in texts]

    def translate(self, texts):
        """Each request's model input looked up; one hypothesis, chosen as a backend chooses."""
        from pipeline.translate.base import Request, Translation, choose

        self.calls.append(list(texts))
        results = []
        for text in texts:
            request = Request.parse(text)
            english = self.known.get(request.text, "An English sentence.")
            results.append(Translation(english, score=-0.5, tokens=len(english.split()) + 1,
                                       terms=choose(request, [english])[1]))
        return results


def input_paragraphs(path: Path) -> list[str]:
    """The non-empty paragraphs of an input file, as the user wrote them.

    For .txt this is read here, apart from pipeline.ingest (only the encoding detection is
    shared), so the check below does not trust the code it checks.
    """
    if path.suffix.lower() == ".txt":
        import re

        from pipeline.text.arabic import FORMAT_CONTROLS
        from pipeline.ingest import decode_text, displayable

        text, _ = decode_text(path, path.read_bytes())
        # README: CR LF, CR, LF, VT, FF, NEL, LS and PS end a line; characters no document can
        # hold are shown as U+FFFD.
        lines = re.split("\r\n|[\r\n\x0b\x0c\x85\u2028\u2029]", text)
        return [displayable(line.strip()) for line in lines if FORMAT_CONTROLS.sub("", line).strip()]
    from pipeline.ingest import read_document

    return [p.source for p in read_document(path, path.name).paragraphs]


def review_table(docx_path: Path):
    """The bilingual table of an output DOCX (the last table of the body)."""
    import docx

    return docx.Document(str(docx_path)).tables[-1]


def validate_record(record: dict) -> None:
    """The article record against its JSON Schema (dates checked as dates)."""
    import jsonschema

    from pipeline.export.record import article_schema

    jsonschema.Draft202012Validator(article_schema(), format_checker=jsonschema.FormatChecker()).validate(record)


def assert_nothing_lost(input_path: Path, json_path: Path, docx_path: Path) -> dict:
    """Every non-empty input paragraph appears exactly once, in order, unchanged, in the JSON
    (which validates against the schema) and in the DOCX (one table row each). Returns the record."""
    import json

    expected = input_paragraphs(input_path)
    record = json.loads(json_path.read_text(encoding="utf-8"))
    validate_record(record)
    paragraphs = record["paragraphs"]
    assert [p["source"] for p in paragraphs] == expected
    assert [p["index"] for p in paragraphs] == list(range(1, len(expected) + 1))
    assert len({p["id"] for p in paragraphs}) == len(paragraphs)
    from pipeline.text.arabic import FORMAT_CONTROLS

    def visible(text: str) -> str:
        return "".join(FORMAT_CONTROLS.sub("", text).split())

    for paragraph in paragraphs:
        # every visible character of the paragraph is in exactly one unit, in order
        assert visible("".join(s["source"] for s in paragraph["sentences"])) == visible(paragraph["source"])
        for sentence in paragraph["sentences"]:
            start, end = sentence["source_span"]
            assert paragraph["source"][start:end] == sentence["source"]
            start, end = sentence["target_span"]
            assert paragraph["target"][start:end] == sentence["target"]
    rows = review_table(docx_path).rows[1:]
    assert len(rows) == len(expected)
    for row, paragraph in zip(rows, paragraphs):
        assert row.cells[0].text.split("\n")[0] == paragraph["id"]
        assert row.cells[1].text == paragraph["source"]
    return record


def sha256_tree(root: Path) -> dict[str, str]:
    """Hash of every file under `root` (to prove inputs were not modified)."""
    import hashlib

    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


XLIFF_SCHEMAS = ROOT / "tests" / "data" / "xliff"


def _offline_schema_parser():
    """A parser for XML schemas that resolves the W3C xml.xsd to the copy in tests/data/xliff and
    never touches the network, and the resolver class, whose `used` counts that import's resolutions."""
    from lxml import etree

    class Local(etree.Resolver):
        used = 0

        def resolve(self, url, public_id, context):
            if url == "http://www.w3.org/2001/xml.xsd":
                Local.used += 1
                return self.resolve_filename(str(XLIFF_SCHEMAS / "xml.xsd"), context)
            return None

    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(Local())
    return parser, Local


def xliff_schema():
    """The OASIS XLIFF 1.2 strict schema (tests/data/xliff), its import of the W3C xml.xsd
    resolved to the copy beside it: validation never touches the network."""
    from lxml import etree

    parser, Local = _offline_schema_parser()
    schema = etree.XMLSchema(etree.parse(str(XLIFF_SCHEMAS / "xliff-core-1.2-strict.xsd"), parser))
    assert Local.used == 1, "the schema's import of xml.xsd was not resolved to the local copy"
    return schema


def validate_xliff(data: bytes) -> None:
    """XLIFF bytes against the strict schema; the schema's own messages on failure."""
    from lxml import etree

    schema = xliff_schema()
    document = etree.fromstring(data).getroottree()
    assert schema.validate(document), "\n".join(str(error) for error in schema.error_log)


OOXML_SCHEMAS = ROOT / "tests" / "data" / "ooxml"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


@functools.lru_cache(maxsize=1)
def wordprocessingml_schema():
    """The ECMA-376 transitional schema of WordprocessingML (tests/data/ooxml: wml.xsd and the
    schemas it imports, DrawingML's among them), compiled once. wml.xsd imports the xml:
    namespace by namespace alone, without a location: a two-line driver schema imports it first
    from the W3C address, resolved to the copy beside the XLIFF schema, so validation never
    touches the network."""
    from lxml import etree

    parser, Local = _offline_schema_parser()
    driver = ('<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">'
              '<xsd:import namespace="http://www.w3.org/XML/1998/namespace"'
              ' schemaLocation="http://www.w3.org/2001/xml.xsd"/>'
              '<xsd:import namespace="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
              ' schemaLocation="wml.xsd"/></xsd:schema>')
    schema = etree.XMLSchema(etree.fromstring(driver, parser, base_url=str(OOXML_SCHEMAS / "driver.xsd")))
    assert Local.used == 1, "the import of xml.xsd was not resolved to the local copy"
    return schema


@functools.lru_cache(maxsize=1)
def understood_namespaces() -> frozenset[str]:
    """The namespaces the schemas of tests/data/ooxml declare: what a consumer with only
    ECMA-376 understands (Word understands its own extensions too: w14, w15 …)."""
    from lxml import etree

    return frozenset({etree.parse(str(path)).getroot().get("targetNamespace") for path in OOXML_SCHEMAS.glob("*.xsd")}
                     | {"http://www.w3.org/XML/1998/namespace"})


def markup_compatibility(root, understood: frozenset[str]):
    """`root` (changed in place, and returned) as a consumer that understands the namespaces
    `understood` reads it under Markup Compatibility (ECMA-376 Part 3), as Word does before
    validating: elements and attributes of a namespace that `mc:Ignorable` names and the consumer
    does not understand are dropped (an element `mc:ProcessContent` names leaves its children in
    its place); an `mc:AlternateContent` is replaced by the content of its first `mc:Choice`
    whose `Requires` namespaces are all understood, else of its `mc:Fallback`, else by nothing;
    the `mc:` attributes go. A namespace `mc:MustUnderstand` names that is not understood is an
    error, as it is for Word."""
    from lxml import etree

    def namespaces(element, attribute: str) -> set[str]:
        return {element.nsmap[prefix] for prefix in (element.get(f"{{{MC}}}{attribute}") or "").split()}

    def process_content(element) -> set[tuple[str, str]]:
        names = set()
        for name in (element.get(f"{{{MC}}}ProcessContent") or "").split():
            prefix, _, local = name.partition(":")
            names.add((element.nsmap[prefix], local))
        return names

    def walk(element, ignorable: set[str], unwrap: set[tuple[str, str]]) -> None:
        not_understood = namespaces(element, "MustUnderstand") - understood
        assert not not_understood, f"{element.tag} must be understood in {sorted(not_understood)}"
        ignorable = ignorable | (namespaces(element, "Ignorable") - understood)
        unwrap = unwrap | process_content(element)
        for name in list(element.attrib):
            if etree.QName(name).namespace in ignorable | {MC}:
                del element.attrib[name]
        index = 0
        while index < len(element):
            child = element[index]
            if not isinstance(child.tag, str):  # a comment or processing instruction
                index += 1
                continue
            qname = etree.QName(child)
            if child.tag == f"{{{MC}}}AlternateContent":
                chosen = next((branch for branch in child if branch.tag == f"{{{MC}}}Choice"
                               and {branch.nsmap[p] for p in branch.get("Requires", "").split()} <= understood), None)
                if chosen is None:
                    chosen = next((branch for branch in child if branch.tag == f"{{{MC}}}Fallback"), None)
                element[index:index + 1] = list(chosen) if chosen is not None else []
            elif qname.namespace in ignorable:
                keep = (qname.namespace, qname.localname) in unwrap or (qname.namespace, "*") in unwrap
                element[index:index + 1] = list(child) if keep else []
            else:
                walk(child, ignorable, unwrap)
                index += 1

    walk(root, set(), set())
    return root


# The children of w:rPr and w:trPr: the schema lets them come in any order (an unbounded
# xsd:choice), but Word writes them in the order the schema lists them, and the Open XML SDK's
# validator requires that order of run properties (Open-XML-SDK issue 737).
_ORDERED_BY_LISTING = {"rPr": ("group", "EG_RPrBase", ("rPrChange",)),
                       "trPr": ("complexType", "CT_TrPrBase", ("ins", "del", "trPrChange"))}


@functools.lru_cache(maxsize=1)
def _listed_orders() -> dict[str, list[str]]:
    from lxml import etree

    xsd, w = "{http://www.w3.org/2001/XMLSchema}", "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    wml = etree.parse(str(OOXML_SCHEMAS / "wml.xsd"))
    orders = {}
    for element, (kind, name, after) in _ORDERED_BY_LISTING.items():
        listed = [child.get("name") for child in wml.find(f"{xsd}{kind}[@name='{name}']").iter(f"{xsd}element")]
        orders[w + element] = [w + child for child in [*listed, *after]]
    return orders


def out_of_listed_order(root) -> list[str]:
    """The w:rPr and w:trPr under `root` whose children are not in the order the schema lists them."""
    found = []
    for tag, order in _listed_orders().items():
        for element in root.iter(tag):
            positions = [order.index(child.tag) if child.tag in order else len(order)
                         for child in element if isinstance(child.tag, str)]
            if positions != sorted(positions):
                found.append(f"line {element.sourceline}: {_w_name(element)} has its children out of the listed "
                             "order: " + ", ".join(_w_name(child) for child in element if isinstance(child.tag, str)))
    return found


def _w_name(element) -> str:
    return "w:" + element.tag.rpartition("}")[2]


WORDPROCESSINGML_PARTS = re.compile(r"word/(document|comments|footer\d*|header\d*|settings|styles|numbering|fontTable|"
                                    r"webSettings|stylesWithEffects|theme/theme\d+)\.xml")


def docx_schema_problems(data: bytes) -> dict[str, list[str]]:
    """Every WordprocessingML and DrawingML part of a DOCX (document, comments, footers, settings,
    styles, numbering, and the template's font table, web settings, theme …), after Markup
    Compatibility processing, against the ECMA-376 transitional schema, and its run and row
    properties in the order the schema lists them: the problems of each part ([] when valid)."""
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {name: part_problems(package.read(name)) for name in package.namelist()
                if WORDPROCESSINGML_PARTS.fullmatch(name)}


def part_problems(xml: bytes | str) -> list[str]:
    """One part's problems: after Markup Compatibility processing (`markup_compatibility`), the
    ECMA-376 schema's messages, and run or row properties out of the listed order."""
    from lxml import etree

    schema = wordprocessingml_schema()
    root = markup_compatibility(etree.fromstring(xml), understood_namespaces())
    found = [] if schema.validate(root) else [f"line {error.line}: {error.message}" for error in schema.error_log]
    return found + out_of_listed_order(root)


def validate_docx(data: bytes) -> list[str]:
    """A DOCX's parts against ECMA-376 (`docx_schema_problems`), the schema's messages on
    failure; returns the names of the parts validated."""
    problems = docx_schema_problems(data)
    assert {"word/document.xml", "word/styles.xml", "word/settings.xml"} <= problems.keys(), sorted(problems)
    assert not any(problems.values()), "\n".join(f"{name}: {problem}" for name, found in problems.items()
                                                 for problem in found)
    return sorted(problems)
