"""The `tarjama` command line: its commands and options (argparse)."""

from __future__ import annotations

import argparse
from pathlib import Path

from .. import __version__
from . import handlers

EXAMPLES = """\
examples:
  tarjama translate                                 translate input/ into output/ (config.yaml)
  tarjama translate article.docx -o out/            one file
  tarjama translate --model models/fixture-ar-en    use a local model directory
  tarjama translate --set translation.num_beams=1   override any config.yaml key for one run
  tarjama translate --backend ctranslate2           int8 CTranslate2 (converted once, cached in models/)
  tarjama translate --force --no-cache              redo every article and translate every sentence anew
  tarjama memory stats                              what the translation memory holds
  tarjama memory import team.tmx                    a CAT tool's TMX into the memory (as approved translations)
  tarjama fetch-model Helsinki-NLP/opus-mt-ar-en    download a model into models/ (needs network)
  tarjama convert-model models/opus-mt-ar-en models/opus-mt-ar-en-ct2   convert for the ctranslate2 backend
  tarjama segment input/karabakh-talks.ar.txt       how an article is cut into translation units
  tarjama check article.ar.txt article.en.txt        review flags on an existing translation
  tarjama check a.ar.txt a.en.txt --docx out/a.docx  ... and its bilingual review sheet (+ out/a.json)
  tarjama import-review output/a.docx               an editor's reviewed DOCX back into a.json and the memory
  tarjama export-tmx output -o memory.tmx           TMX 1.4b for CAT tools
  tarjama export-xliff output                       XLIFF 1.2 per article for CAT tools (back with import-review)
  tarjama export-terms -o output/terms.tbx          the terms file as TBX (or .txt: OmegaT's glossary)
  tarjama import-review output/a.xlf                an edited XLIFF back into a.json and the memory
  tarjama publish output --format html              the reviewed English articles, and bilingual pages
  tarjama schema > article.schema.json              the JSON Schema of the per-article record
"""


def _path(text: str) -> Path:
    """A path argument. An empty one (`-o ""`, `-o "$OUT"` with OUT unset) would be Path(""), the
    folder the command runs in: the articles written, read or published there. Refused, as an
    empty path setting is (config.py)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("an empty path names the folder the command runs in; give a path "
                                         "(. for that folder)")
    return Path(text)


CONFIG_HELP = ("settings file (default: $TARJAMA_CONFIG, else ./config.yaml in the folder you run from, "
               "else built-in defaults; the run report and the summary name the one in force)")


def _add_settings_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", metavar="FILE", help=CONFIG_HELP)
    parser.add_argument("--model", metavar="M", help="model: Hugging Face hub id or local directory (model.name)")
    parser.add_argument("--device", choices=["auto", "cpu", "cuda"], help="where the model runs (model.device)")
    parser.add_argument("--set", metavar="KEY=VALUE", action="append", default=[], dest="overrides",
                        help="override a config.yaml value, e.g. --set translation.num_beams=1 (repeatable)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tarjama",
        description="Translate Arabic news articles into English and publish each as a side-by-side "
                    "bilingual DOCX for editors plus a JSON record with per-paragraph review flags.",
        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"tarjama {__version__}")
    parser.add_argument("--debug", action="store_true", help="show debug logs and full tracebacks")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    translate = commands.add_parser(
        "translate", help="translate articles (.txt, .md, .docx) into bilingual DOCX + JSON",
        description="Translate every article under the given files/folders (default: paths.input of "
                    "config.yaml). Each input becomes <output>/<same relative path>/<name>.docx and "
                    "<name>.json; a run report is written to <output>/_batch.json.")
    translate.add_argument("paths", nargs="*", type=_path, metavar="PATH", help="article files or folders")
    translate.add_argument("-o", "--output", type=_path, metavar="DIR", help="output folder (default: paths.output)")
    translate.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    translate.add_argument("--force", action="store_true",
                           help="redo articles whose input, settings and model did not change since their outputs")
    translate.add_argument("--no-cache", action="store_true",
                           help="neither read nor write the translation memory for this run")
    translate.add_argument("--backend", choices=["transformers", "ctranslate2"], help="model.backend for this run")
    translate.add_argument("--executor", choices=["local", "ray"],
                           help="translate in this process (local) or on a Ray pool (executor.kind)")
    translate.add_argument("--ray-address", metavar="ADDR",
                           help="an existing Ray cluster, e.g. auto or ray://head:10001 (executor.ray_address)")
    _add_settings_options(translate)
    translate.set_defaults(handler=handlers.cmd_translate)

    segment = commands.add_parser(
        "segment", help="show how an article is cut into paragraphs and translation units",
        description="Show the paragraphs of an article with their kind, and the translation units "
                    "(sentences, or pieces of over-long sentences) inside each with their character spans "
                    "and model token counts. Nothing is translated; only the model's tokenizer is loaded "
                    "(without it, token counts are estimated).")
    segment.add_argument("file", type=_path, metavar="FILE", help="an article (.txt, .md, .docx)")
    segment.add_argument("--json", action="store_true",
                         help="print the paragraph/sentence fields of the article JSON, without translations")
    _add_settings_options(segment)
    segment.set_defaults(handler=handlers.cmd_segment)

    check = commands.add_parser(
        "check", help="run the review checks on an existing translation (two line-aligned files)",
        description="QA of an existing translation, human or machine: SOURCE (Arabic) and TARGET (English) are "
                    "text files with one paragraph per line, line N of TARGET translating line N of SOURCE. "
                    "Prints the flags per paragraph and a summary.")
    check.add_argument("source", type=_path, metavar="SOURCE", help="Arabic, one paragraph per line")
    check.add_argument("target", type=_path, metavar="TARGET", help="English, line-aligned with SOURCE")
    check.add_argument("--json", action="store_true", help="print the flags as the article JSON's flag objects")
    check.add_argument("--glossary", type=_path, metavar="FILE", help="terms file (YAML, CSV or TBX); default review.glossary")
    check.add_argument("--strict", action="store_true", help="exit with 1 when any paragraph needs review")
    check.add_argument("--docx", type=_path, metavar="OUT.docx",
                       help="also write the bilingual review document, and its article record as OUT.json beside it "
                            "(tarjama import-review reads the editor's work back)")
    check.add_argument("--config", metavar="FILE", help=CONFIG_HELP)
    check.add_argument("--set", metavar="KEY=VALUE", action="append", default=[], dest="overrides",
                       help="override a config.yaml value, e.g. --set review.checks.quotes.enabled=false")
    check.set_defaults(handler=handlers.cmd_check)

    convert = commands.add_parser(
        "convert-model", help="convert a MarianMT model to CTranslate2 (int8 by default)",
        description="Convert a transformers MarianMT model directory (or hub id) into a CTranslate2 model "
                    "directory for `model.backend: ctranslate2`, tokenizer files included. int8 weights are "
                    "about 4x smaller and several times faster on a CPU.")
    convert.add_argument("src", metavar="SRC", help="transformers model: local directory or hub id")
    convert.add_argument("dst", type=_path, metavar="DST", help="new CTranslate2 model directory")
    convert.add_argument("--quantization", default="int8",
                         choices=["int8", "int8_float32", "int8_float16", "int16", "float16", "float32", "none"],
                         help="weight type (default int8; none keeps the model's own)")
    convert.add_argument("--force", action="store_true",
                         help="replace DST if it is a CTranslate2 model or an empty folder (any other is refused)")
    convert.add_argument("--config", metavar="FILE", help=CONFIG_HELP)
    convert.set_defaults(handler=handlers.cmd_convert_model)

    memory = commands.add_parser(
        "memory", help="show, clear or fill the translation memory",
        description="The translation memory keeps every translated sentence (keyed by the normalised source, "
                    "the model's fingerprint and the generation settings) so re-runs translate only what changed. "
                    "`memory import FILE.tmx` adds the Arabic/English pairs of a CAT tool's TMX as editors' "
                    "approved translations (an identical paragraph is served them, a similar one offered them as "
                    "a fuzzy match); what the memory already holds with other English is kept and counted as "
                    "conflicting.")
    memory.add_argument("action", choices=["stats", "clear", "import"],
                        help="stats: what it holds; clear: forget machine translations (editors' approved ones are "
                             "kept); import: a TMX file's pairs into it")
    memory.add_argument("file", nargs="?", type=_path, metavar="FILE.tmx", help="with import: the TMX file")
    memory.add_argument("--all", action="store_true", help="with clear: forget the editors' translations too")
    memory.add_argument("-o", "--output", type=_path, metavar="DIR", help="output folder whose memory to use")
    memory.add_argument("--config", metavar="FILE", help=CONFIG_HELP)
    memory.set_defaults(handler=handlers.cmd_memory)

    regress = commands.add_parser(
        "regress", help="translation regression tests: translate a suite, score it, compare with a baseline",
        description="Translate a regression suite (a folder with suite.yaml, or a .jsonl/.tsv file of cases) with "
                    "the pipeline's own segmentation, model and checks; score BLEU/chrF/TER with sacrebleu; compare "
                    "with the suite's baseline: changed outputs (with word diffs), metric drops (significance by "
                    "paired bootstrap resampling) and violated expectations fail. Exit 1 on any failure. "
                    "See docs/regression.md.")
    regress.add_argument("suite", type=_path, metavar="SUITE", help="suite folder or .jsonl/.tsv file")
    regress.add_argument("--baseline", type=_path, metavar="FILE",
                         help="baseline file (default: baseline.json in a suite folder, <name>.baseline.json beside "
                              "a .jsonl or .tsv suite, or the suite's settings.baseline)")
    regress.add_argument("--update-baseline", action="store_true",
                         help="accept the current outputs and scores as the new baseline (after a human looked)")
    regress.add_argument("--junit", type=_path, metavar="FILE", help="write JUnit XML (one test per case and per metric)")
    regress.add_argument("--json", type=_path, metavar="FILE", dest="json_report", help="write a JSON report")
    regress.add_argument("--use-memory", action="store_true", help="serve known sentences from the translation memory")
    regress.add_argument("--backend", choices=["transformers", "ctranslate2"], help="override the suite's backend")
    _add_settings_options(regress)
    regress.set_defaults(handler=handlers.cmd_regress)

    review = commands.add_parser(
        "import-review", help="read an editor's reviewed DOCX (or an edited XLIFF) back into the article JSON and the memory",
        description="Read a bilingual DOCX an editor reviewed in Word or LibreOffice: for each paragraph the "
                    "editor's English (tracked changes accepted), status (ok, needs review, approved, rejected) and "
                    "note. Rows are matched to the article JSON by paragraph id; deleted, duplicated or reordered "
                    "rows, an edited Arabic cell or a document of another article are refused and nothing is "
                    "written. Approved English goes into the translation memory and wins on the next run. An .xlf "
                    "from a CAT tool is read the same way: units by id, state final or signed-off = approved, a "
                    "rejected-* state-qualifier = rejected, approved=\"yes\"/\"no\" approves or not whatever the state.")
    review.add_argument("docx", type=_path, metavar="EDITED.docx|.xlf", help="the reviewed document or XLIFF")
    review.add_argument("--json", type=_path, metavar="ARTICLE.json", dest="article",
                        help="the article record (default: the .json beside it with the same name)")
    review.add_argument("-o", "--output", type=_path, metavar="OUT.json", help="where to write (default: ARTICLE.json)")
    review.add_argument("--memory", type=_path, metavar="FILE", help="translation memory to receive approved English "
                                                                    "(default: the output folder's)")
    review.add_argument("--config", metavar="FILE", help=CONFIG_HELP)
    review.set_defaults(handler=handlers.cmd_import_review)

    tmx = commands.add_parser("export-tmx", help="export translated articles as TMX 1.4b for CAT tools",
                              description="Write one TMX translation unit per paragraph (Arabic → English) of every "
                                          "article JSON under OUTPUT_DIR, with article id, paragraph id, status, "
                                          "origin and kind as properties; the English is the editor's where there "
                                          "is one.")
    tmx.add_argument("output_dir", type=_path, metavar="OUTPUT_DIR", help="a folder of Tarjama outputs")
    tmx.add_argument("-o", "--output", type=_path, metavar="FILE", required=True, help="the .tmx file to write")
    tmx.add_argument("--approved-only", action="store_true", help="only paragraphs an editor approved")
    tmx.add_argument("--sentences", action="store_true",
                     help="a unit per sentence where the English is the machine's (aligned), for CAT tools that "
                          "segment by sentence; an editor's English stays one paragraph unit")
    tmx.set_defaults(handler=handlers.cmd_export_tmx)

    terms = commands.add_parser(
        "export-terms", help="export the terms file as TBX or as OmegaT's glossary for CAT tools",
        description="Write the newsroom's terms file (GLOSSARY, default review.glossary) as TBX-Basic (-o FILE.tbx: "
                    "what CAT tools import as a termbase, and Tarjama reads back as a terms file) or as OmegaT's "
                    "tab-separated glossary (-o FILE.txt or .tsv: one line per English rendering).")
    terms.add_argument("glossary", type=_path, nargs="?", metavar="GLOSSARY",
                       help="a terms file (YAML, CSV or TBX); default review.glossary of config.yaml")
    terms.add_argument("-o", "--output", type=_path, metavar="FILE", required=True,
                       help="the file to write: .tbx, or .txt / .tsv for OmegaT's glossary")
    terms.add_argument("--config", metavar="FILE", help=CONFIG_HELP)
    terms.set_defaults(handler=handlers.cmd_export_terms)

    xliff = commands.add_parser(
        "export-xliff", help="export translated articles as XLIFF 1.2 for CAT tools (one .xlf per article)",
        description="Write, for every article JSON under OUTPUT_DIR, an XLIFF 1.2 file (<name>.xlf): one trans-unit "
                    "per paragraph (its id is the paragraph id), sentences as <mrk mtype=\"seg\">, the review state "
                    "as the target's state, flags as notes, a fuzzy match from the memory as <alt-trans>. Bring the "
                    "edited file back with `tarjama import-review NAME.xlf`. An .xlf there with work not imported yet is "
                    "kept, not replaced (named; exit 1).")
    xliff.add_argument("output_dir", type=_path, metavar="OUTPUT_DIR", help="a folder of Tarjama outputs")
    xliff.add_argument("-o", "--output", type=_path, metavar="DIR",
                       help="where to write, mirroring OUTPUT_DIR's tree (default: OUTPUT_DIR, beside each JSON)")
    xliff.add_argument("--force", action="store_true",
                       help="replace an .xlf that holds a CAT tool's work not yet imported (kept by default, exit 1)")
    xliff.add_argument("--copy-source", action="store_true",
                       help="each <target> holds a copy of the Arabic, for OmegaT's own XLIFF filter (it translates "
                            "the text of <target>); give OmegaT the English as a TMX (export-tmx)")
    xliff.set_defaults(handler=handlers.cmd_export_xliff)

    publish = commands.add_parser(
        "publish", help="the reviewed English article of every article, ready to publish, and a bilingual page",
        description="Write, for every article record under OUTPUT_DIR, the English article (headline, "
                    "sub-headings, body, quotations, captions and credit lines; the editor's English where there "
                    "is one) as <name>.en.md|html|docx, and <name>.bilingual.html (Arabic beside the English). "
                    "An article with a rejected paragraph, an open error or an approved paragraph whose English is "
                    "the Arabic is not published (exit 1, naming the "
                    "rows; what an earlier publish wrote of it is withdrawn) unless --allow-unreviewed. Warnings do "
                    "not hold an article back.")
    publish.add_argument("output_dir", type=_path, metavar="OUTPUT_DIR", help="a folder of Tarjama outputs")
    publish.add_argument("-o", "--output", type=_path, metavar="DIR", help="where to write (default: OUTPUT_DIR/published)")
    publish.add_argument("--format", choices=["md", "html", "docx"], default="md", help="the English article's format")
    publish.add_argument("--allow-unreviewed", action="store_true",
                         help="publish articles held back (a rejected row, an open error, approved Arabic as English) "
                              "too, marked as unreviewed")
    publish.set_defaults(handler=handlers.cmd_publish)

    schema = commands.add_parser("schema", help="print the JSON Schema of the per-article JSON record",
                                 description="Print the JSON Schema (draft 2020-12) that every article JSON validates against.")
    schema.set_defaults(handler=handlers.cmd_schema)

    fetch = commands.add_parser(
        "fetch-model", help="download a model from the Hugging Face hub into models/",
        description="Download a MarianMT model into the models folder (paths.models) so that later runs, "
                    "and other machines you copy the folder to, work offline.")
    fetch.add_argument("name", nargs="?", help="hub id (default: model.name of config.yaml)")
    fetch.add_argument("--config", metavar="FILE", help=CONFIG_HELP)
    fetch.set_defaults(handler=handlers.cmd_fetch_model)
    for command in commands.choices.values():  # `tarjama translate --debug` as well as `tarjama --debug translate`
        command.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                             help="show debug logs and full tracebacks")
    return parser


