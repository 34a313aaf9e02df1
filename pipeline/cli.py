"""The `tarjama` command. Each handler is a thin wrapper around library functions.

Errors from the library arrive as TarjamaError subclasses and are printed as one line,
`tarjama: error: ...`, with the class's exit code; tracebacks only with --debug.
Exit codes: 0 all done, 1 some files failed, 2 usage/config/model error, 130 interrupted.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import signal
import sys
import time
from pathlib import Path

from . import __version__
from .errors import InputNotFound, TarjamaError

log = logging.getLogger("pipeline")

EXAMPLES = """\
examples:
  tarjama translate                                 translate input/ into output/ (config.yaml)
  tarjama translate article.docx -o out/            one file
  tarjama translate --model models/fixture-ar-en    use a local model directory
  tarjama translate --set translation.num_beams=1   override any config.yaml key for one run
  tarjama translate --backend ctranslate2           int8 CTranslate2 (converted once, cached in models/)
  tarjama translate --force --no-cache              redo every article and translate every sentence anew
  tarjama memory stats                              what the translation memory holds
  tarjama fetch-model Helsinki-NLP/opus-mt-ar-en    download a model into models/ (needs network)
  tarjama convert-model models/opus-mt-ar-en models/opus-mt-ar-en-ct2   convert for the ctranslate2 backend
  tarjama segment input/karabakh-talks.ar.txt       how an article is cut into translation units
  tarjama check article.ar.txt article.en.txt        review flags on an existing translation
  tarjama import-review output/a.docx               an editor's reviewed DOCX back into a.json and the memory
  tarjama export-tmx output -o memory.tmx           TMX 1.4b for CAT tools
  tarjama schema > article.schema.json              the JSON Schema of the per-article record
"""


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
    translate.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="article files or folders")
    translate.add_argument("-o", "--output", type=Path, metavar="DIR", help="output folder (default: paths.output)")
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
    translate.set_defaults(handler=cmd_translate)

    segment = commands.add_parser(
        "segment", help="show how an article is cut into paragraphs and translation units",
        description="Show the paragraphs of an article with their kind, and the translation units "
                    "(sentences, or pieces of over-long sentences) inside each with their character spans "
                    "and model token counts. Nothing is translated; only the model's tokenizer is loaded "
                    "(without it, token counts are estimated).")
    segment.add_argument("file", type=Path, metavar="FILE", help="an article (.txt, .md, .docx)")
    segment.add_argument("--json", action="store_true",
                         help="print the paragraph/sentence fields of the article JSON, without translations")
    _add_settings_options(segment)
    segment.set_defaults(handler=cmd_segment)

    check = commands.add_parser(
        "check", help="run the review checks on an existing translation (two line-aligned files)",
        description="QA of an existing translation, human or machine: SOURCE (Arabic) and TARGET (English) are "
                    "text files with one paragraph per line, line N of TARGET translating line N of SOURCE. "
                    "Prints the flags per paragraph and a summary.")
    check.add_argument("source", type=Path, metavar="SOURCE", help="Arabic, one paragraph per line")
    check.add_argument("target", type=Path, metavar="TARGET", help="English, line-aligned with SOURCE")
    check.add_argument("--json", action="store_true", help="print the flags as the article JSON's flag objects")
    check.add_argument("--glossary", type=Path, metavar="FILE", help="terms file (YAML or CSV); default review.glossary")
    check.add_argument("--strict", action="store_true", help="exit with 1 when any paragraph needs review")
    check.add_argument("--config", metavar="FILE", help=CONFIG_HELP)
    check.add_argument("--set", metavar="KEY=VALUE", action="append", default=[], dest="overrides",
                       help="override a config.yaml value, e.g. --set review.checks.quotes.enabled=false")
    check.set_defaults(handler=cmd_check)

    convert = commands.add_parser(
        "convert-model", help="convert a MarianMT model to CTranslate2 (int8 by default)",
        description="Convert a transformers MarianMT model directory (or hub id) into a CTranslate2 model "
                    "directory for `model.backend: ctranslate2`, tokenizer files included. int8 weights are "
                    "about 4x smaller and several times faster on a CPU.")
    convert.add_argument("src", metavar="SRC", help="transformers model: local directory or hub id")
    convert.add_argument("dst", type=Path, metavar="DST", help="new CTranslate2 model directory")
    convert.add_argument("--quantization", default="int8",
                         choices=["int8", "int8_float32", "int8_float16", "int16", "float16", "float32", "none"],
                         help="weight type (default int8; none keeps the model's own)")
    convert.add_argument("--force", action="store_true", help="replace DST if it exists")
    convert.add_argument("--config", metavar="FILE", help=CONFIG_HELP)
    convert.set_defaults(handler=cmd_convert_model)

    memory = commands.add_parser(
        "memory", help="show or clear the translation memory",
        description="The translation memory keeps every translated sentence (keyed by the normalised source, "
                    "the model's fingerprint and the generation settings) so re-runs translate only what changed.")
    memory.add_argument("action", choices=["stats", "clear"], help="stats: what it holds; clear: forget machine "
                                                                      "translations (editors' approved ones are kept)")
    memory.add_argument("--all", action="store_true", help="with clear: forget the editors' translations too")
    memory.add_argument("-o", "--output", type=Path, metavar="DIR", help="output folder whose memory to use")
    memory.add_argument("--config", metavar="FILE", help=CONFIG_HELP)
    memory.set_defaults(handler=cmd_memory)

    regress = commands.add_parser(
        "regress", help="translation regression tests: translate a suite, score it, compare with a baseline",
        description="Translate a regression suite (a folder with suite.yaml, or a .jsonl/.tsv file of cases) with "
                    "the pipeline's own segmentation, model and checks; score BLEU/chrF/TER with sacrebleu; compare "
                    "with the suite's baseline: changed outputs (with word diffs), metric drops (significance by "
                    "paired bootstrap resampling) and violated expectations fail. Exit 1 on any failure. "
                    "See docs/regression.md.")
    regress.add_argument("suite", type=Path, metavar="SUITE", help="suite folder or .jsonl/.tsv file")
    regress.add_argument("--baseline", type=Path, metavar="FILE", help="baseline file (default: the suite's baseline.json)")
    regress.add_argument("--update-baseline", action="store_true",
                         help="accept the current outputs and scores as the new baseline (after a human looked)")
    regress.add_argument("--junit", type=Path, metavar="FILE", help="write JUnit XML (one test per case and per metric)")
    regress.add_argument("--json", type=Path, metavar="FILE", dest="json_report", help="write a JSON report")
    regress.add_argument("--use-memory", action="store_true", help="serve known sentences from the translation memory")
    regress.add_argument("--backend", choices=["transformers", "ctranslate2"], help="override the suite's backend")
    _add_settings_options(regress)
    regress.set_defaults(handler=cmd_regress)

    review = commands.add_parser(
        "import-review", help="read an editor's reviewed DOCX back into the article JSON and the memory",
        description="Read a bilingual DOCX an editor reviewed in Word or LibreOffice: for each paragraph the "
                    "editor's English (tracked changes accepted), status (ok, needs review, approved, rejected) and "
                    "note. Rows are matched to the article JSON by paragraph id; deleted, duplicated or reordered "
                    "rows, an edited Arabic cell or a document of another article are refused and nothing is "
                    "written. Approved English goes into the translation memory and wins on the next run.")
    review.add_argument("docx", type=Path, metavar="EDITED.docx", help="the reviewed document")
    review.add_argument("--json", type=Path, metavar="ARTICLE.json", dest="article",
                        help="the article record (default: the .json beside the .docx with the same name)")
    review.add_argument("-o", "--output", type=Path, metavar="OUT.json", help="where to write (default: ARTICLE.json)")
    review.add_argument("--memory", type=Path, metavar="FILE", help="translation memory to receive approved English "
                                                                    "(default: the output folder's)")
    review.add_argument("--config", metavar="FILE", help=CONFIG_HELP)
    review.set_defaults(handler=cmd_import_review)

    tmx = commands.add_parser("export-tmx", help="export translated articles as TMX 1.4b for CAT tools",
                              description="Write one TMX translation unit per paragraph (Arabic → English) of every "
                                          "article JSON under OUTPUT_DIR, with paragraph id, status and origin as "
                                          "properties; the English is the editor's where there is one.")
    tmx.add_argument("output_dir", type=Path, metavar="OUTPUT_DIR", help="a folder of Tarjama outputs")
    tmx.add_argument("-o", "--output", type=Path, metavar="FILE", required=True, help="the .tmx file to write")
    tmx.add_argument("--approved-only", action="store_true", help="only paragraphs an editor approved")
    tmx.set_defaults(handler=cmd_export_tmx)

    schema = commands.add_parser("schema", help="print the JSON Schema of the per-article JSON record",
                                 description="Print the JSON Schema (draft 2020-12) that every article JSON validates against.")
    schema.set_defaults(handler=cmd_schema)

    fetch = commands.add_parser(
        "fetch-model", help="download a model from the Hugging Face hub into models/",
        description="Download a MarianMT model into the models folder (paths.models) so that later runs, "
                    "and other machines you copy the folder to, work offline.")
    fetch.add_argument("name", nargs="?", help="hub id (default: model.name of config.yaml)")
    fetch.add_argument("--config", metavar="FILE", help=CONFIG_HELP)
    fetch.set_defaults(handler=cmd_fetch_model)
    for command in commands.choices.values():  # `tarjama translate --debug` as well as `tarjama --debug translate`
        command.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                             help="show debug logs and full tracebacks")
    return parser


def _settings(args):
    from .config import load_settings, with_updates

    settings = load_settings(args.config, args.overrides)
    executor = {"kind": getattr(args, "executor", None), "ray_address": getattr(args, "ray_address", None)}
    if executor["ray_address"] and not executor["kind"]:
        executor["kind"] = "ray"
    return with_updates(settings, model={"name": args.model, "device": args.device,
                                         "backend": getattr(args, "backend", None)}, executor=executor)


def cmd_translate(args) -> int:
    from tqdm import tqdm

    from .batch import BatchRunner, discover
    from .translate.loader import load_translator

    settings = _settings(args)
    paths = args.paths or [settings.paths.input]
    missing = [str(path) for path in paths if not path.exists()]
    if len(missing) == len(paths):  # a mistyped path: say so, and leave the last run's report alone
        raise InputNotFound(f"no such file or folder: {', '.join(missing)}")
    output_dir = (args.output or settings.paths.output).resolve()
    files, passed = discover(paths, exclude=output_dir)
    if not files and not passed:
        print(f"tarjama: nothing to translate under {', '.join(map(str, paths))}", file=sys.stderr)
        return 0
    started = time.perf_counter()
    translator = load_translator(settings, output_dir, use_memory=not args.no_cache)
    executor = None
    if settings.executor.kind == "ray":
        from .distributed import RayExecutor

        executor = RayExecutor(settings, translator.fingerprint, debug=args.debug)
    bar = tqdm(total=len(files), unit="article", disable=args.quiet or not sys.stderr.isatty(), file=sys.stderr)
    runner = BatchRunner(settings, translator, output_dir, progress=bar.update, force=args.force, debug=args.debug,
                         translation_progress=lambda done, total: bar.set_postfix_str(f"sentences {done}/{total}"),
                         executor=executor)
    with _stop_on_first_interrupt(runner):
        try:
            report = runner.run(files, passed)
        finally:
            bar.close()
            if executor is not None:
                executor.shutdown()
    for item in report.files:
        if item.status == "failed":
            print(f"tarjama: failed: {item.input}: {item.reason}", file=sys.stderr)
        elif item.status == "skipped" and (args.debug or not item.reason.startswith("unchanged")):
            print(f"tarjama: skipped: {item.input}: {item.reason}", file=sys.stderr)
    totals = report.totals()
    memory = report.translation.get("memory")
    reused = f", {memory['hits']} of {memory['lookups']} sentences from memory" if memory and memory["lookups"] else ""
    print(f"tarjama: {totals['done']} translated, {totals['failed']} failed, {totals['skipped']} skipped; "
          f"{totals['paragraphs']} paragraphs, {totals['flagged']} need review{reused}; "
          f"{time.perf_counter() - started:.1f} s — report: {output_dir / '_batch.json'}; config: {settings.source}")
    if report.interrupted:
        return 130
    return 1 if totals["failed"] else 0


@contextlib.contextmanager
def _stop_on_first_interrupt(runner):
    """First Ctrl-C: finish the current batch, write what is done, stop. Second: stop at once."""
    def request_stop(signum, frame):
        runner.stop_requested = True
        print("\ntarjama: stopping after the current batch (Ctrl-C again to stop at once) …", file=sys.stderr)
        signal.signal(signal.SIGINT, signal.default_int_handler)

    try:
        previous = signal.signal(signal.SIGINT, request_stop)
    except ValueError:  # not the main thread (embedded use): keep the default behaviour
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def cmd_segment(args) -> int:
    from .errors import ModelNotAvailable
    from .export.record import segmentation_record
    from .ingest import read_document
    from .segment import SegmentOptions, segment_document
    from .translate.loader import load_token_counter

    settings = _settings(args)
    document = read_document(args.file, args.file.name)
    try:
        counter, counted_by = load_token_counter(settings), settings.model.name
    except ModelNotAvailable as exc:
        print(f"tarjama: note: token counts estimated (2 per word): {exc}", file=sys.stderr)
        counter, counted_by = None, "estimate"
    segment_document(document, SegmentOptions(**settings.segmentation.model_dump()), counter)
    if args.json:
        print(json.dumps(segmentation_record(document), ensure_ascii=False, indent=2))
        return 0
    budget = settings.segmentation.max_unit_tokens
    units = sum(len(p.sentences) for p in document.paragraphs)
    print(f"{document.id}: {len(document.paragraphs)} paragraphs, {units} units "
          f"(tokens: {counted_by}, budget {budget})")
    for paragraph in document.paragraphs:
        print(f"\n{paragraph.id}  {paragraph.kind}" + (f" (hint: {paragraph.kind_hint})" if paragraph.kind_hint else ""))
        for unit in paragraph.sentences:
            start, end = unit.source_span
            tokens = f"{unit.source_tokens} tok" if unit.source_tokens else "? tok"
            cut = "  [cut to fit the budget]" if unit.budget_split else ""
            print(f"  {unit.id.split('.')[-1]}  [{start}:{end}]  {tokens}{cut}  {unit.source}")
    return 0


def cmd_check(args) -> int:
    from .config import load_settings
    from .qa import check_files, report_record
    from .review import Reviewer

    settings = load_settings(args.config, args.overrides)
    reviewer = Reviewer.from_settings(settings.review.checks, args.glossary or settings.review.glossary)
    document, pairs = check_files(args.source, args.target, reviewer)
    record = report_record(document, pairs, args.source, args.target)
    if args.json:
        print(json.dumps(record, ensure_ascii=False, indent=2))
    else:
        for pair in pairs:
            for flag in pair.paragraph.flags:
                print(f"{args.target}:{pair.line}: {pair.paragraph.id} {flag.severity}: {flag.code}: {flag.message}")
        totals = record["summary"]
        by_code = ", ".join(f"{code} {n}" for code, n in totals["by_code"].items()) or "no flags"
        print(f"tarjama: {totals['paragraphs']} paragraphs checked, {totals['flagged']} need review ({by_code})")
    return 1 if args.strict and record["summary"]["flagged"] else 0


def cmd_convert_model(args) -> int:
    from .config import load_settings
    from .translate.ct2 import convert_model
    from .translate.resolve import resolve_model

    settings = load_settings(args.config)
    source = resolve_model(args.src, settings.paths.models, allow_download=settings.model.allow_download)
    target = convert_model(source, args.dst, args.quantization, force=args.force)
    print(f"tarjama: {source} converted to {target} ({args.quantization}); use it with "
          f"--backend ctranslate2 --model {target}")
    return 0


def cmd_memory(args) -> int:
    from .config import load_settings
    from .translate.loader import memory_path
    from .translate.memory import TranslationMemory

    settings = load_settings(args.config)
    path = memory_path(settings, (args.output or settings.paths.output).resolve())
    if not path.exists():
        print(f"tarjama: no translation memory at {path}")
        return 0
    memory = TranslationMemory(path)
    if args.action == "clear":
        removed = memory.clear(keep_human=not args.all)
        print(f"tarjama: {removed} entries removed from {path}" + ("" if args.all else " (editors' translations kept)"))
    else:
        counts = memory.counts()
        print(f"{path}: " + (", ".join(_memory_entries(n, kind) for kind, n in sorted(counts.items())) or "empty"))
    memory.close()
    return 0


MEMORY_WORDS = {"model unit": ("machine translation of a sentence", "machine translations of sentences"),
                "model paragraph": ("machine translation of a paragraph", "machine translations of paragraphs"),
                "human unit": ("approved sentence", "approved sentences"),
                "human paragraph": ("approved paragraph", "approved paragraphs")}


def _memory_entries(count: int, kind: str) -> str:
    one, many = MEMORY_WORDS.get(kind, (f"{kind} entry", f"{kind} entries"))
    return f"{count:,} {one if count == 1 else many}"


def cmd_regress(args) -> int:
    from .config import apply_overrides, load_settings
    from .regress import evaluate, load_suite, render, run_suite, suite_settings, write_baseline, write_junit
    from .translate.loader import load_translator

    suite = load_suite(args.suite)
    if args.baseline:
        suite.settings.baseline = str(args.baseline.resolve())
    # config.yaml (--config, else the suite's own, else ./config.yaml), then the suite's settings, then the command line
    settings = suite_settings(suite, load_settings(args.config or suite.config_path), args.model, args.backend)
    settings = apply_overrides(settings, args.overrides)
    translator = load_translator(settings, use_memory=args.use_memory)
    runs = run_suite(suite, settings, translator)
    # The model as the suite or the command line names it (a relative path stays relative).
    model = {"name": args.model or suite.settings.model or settings.model.name, "fingerprint": translator.fingerprint,
             "backend": translator.backend, "generation": translator.options.signature()}
    report = evaluate(suite, runs, model)
    print(render(report))
    if args.json_report:
        from .export.record import dumps
        from .fsutil import atomic_write_text

        atomic_write_text(args.json_report, dumps(report.to_dict()))
    if args.junit:
        write_junit(report, args.junit)
    if args.update_baseline:
        print(f"tarjama: baseline accepted: {write_baseline(report)}")
        return 0
    return 0 if report.passed else 1


def cmd_import_review(args) -> int:
    from .config import load_settings
    from .review_import import import_review

    imported = import_review(args.docx, args.article, output=args.output, memory=args.memory,
                             settings=load_settings(args.config))
    merged = imported.record
    counts = merged["review_import"]["counts"]
    edited = sum(1 for p in merged["paragraphs"] if p["review"]["editor_target"] is not None)
    print(f"tarjama: {args.docx.name}: {counts['approved']} approved, {counts['rejected']} rejected, {edited} edited"
          f"{', tracked changes read as accepted' if merged['review_import']['tracked_changes'] else ''}; "
          f"{imported.written} written; {imported.approved} approved translation(s) into {imported.memory}")
    return 0


def cmd_export_tmx(args) -> int:
    from .export.tmx import export_tmx

    if not args.output_dir.is_dir():
        raise InputNotFound(f"{args.output_dir}: no such folder")
    units = export_tmx(args.output_dir, args.output, approved_only=args.approved_only)
    print(f"tarjama: {units} translation units written to {args.output}")
    return 0


def cmd_schema(args) -> int:
    from .export.record import article_schema

    print(json.dumps(article_schema(), ensure_ascii=False, indent=2))
    return 0


def cmd_fetch_model(args) -> int:
    from .config import load_settings
    from .translate.resolve import fetch_model

    settings = load_settings(args.config)
    name = args.name or settings.model.name
    target = fetch_model(name, settings.paths.models)
    print(f"tarjama: {name} saved in {target}; use it with --model {target} or model.name in config.yaml")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.WARNING, format="tarjama: %(message)s")
    if args.command is None:
        parser.print_help()
        return 2
    try:
        code = args.handler(args)
        sys.stdout.flush()  # a closed pipe shows here, not at exit
        return code
    except TarjamaError as exc:
        if args.debug:
            raise
        print(f"tarjama: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("tarjama: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `tarjama check --json | head`: the reader has all it wanted. Quietly, as Python's docs
        # advise: point stdout at /dev/null so the flush at exit raises nothing either.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
