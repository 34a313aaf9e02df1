"""The `tarjama` commands: each parses its options, calls one library function and prints.

Library code never prints or exits; errors arrive here as TarjamaError subclasses (cli/__init__.py
prints them as one line).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sys
import time
import traceback

from ..errors import InputNotFound, ReportNotWritten, TarjamaError, UsageError
from ..fsutil import output_folder


def _settings(args):
    from ..config import load_settings, with_updates

    settings = load_settings(args.config, args.overrides)
    executor = {"kind": getattr(args, "executor", None), "ray_address": getattr(args, "ray_address", None)}
    if executor["ray_address"] and not executor["kind"]:
        executor["kind"] = "ray"
    return with_updates(settings, model={"name": args.model, "device": args.device,
                                         "backend": getattr(args, "backend", None)}, executor=executor)


# A batch allocates millions of short-lived objects and makes almost no reference cycles: the
# cyclic collector's default (a pass every 700 allocations) cost about 15% of a --force re-run
# (bench/throughput.py, row 4c). Every 20,000 allocations still bounds what a cycle can hold.
GC_THRESHOLD = (20_000, 10, 10)


def cmd_translate(args) -> int:
    import gc
    import threading

    gc.set_threshold(*GC_THRESHOLD)

    from tqdm import tqdm

    # No monitor thread: the bar is updated by hand, and the checks' helper process is forked
    # only from a process with one thread (finishing.py).
    tqdm.monitor_interval = 0

    from ..batch import translate_paths

    settings = _settings(args)
    paths = args.paths or [settings.paths.input]
    output_dir = (args.output or settings.paths.output).resolve()
    started = time.perf_counter()
    stop = threading.Event()
    bar = tqdm(unit="article", disable=args.quiet or not sys.stderr.isatty(), file=sys.stderr)
    with _stop_on_first_interrupt(stop):
        try:
            report = translate_paths(settings, paths, output_dir, force=args.force, use_memory=not args.no_cache,
                                     debug=args.debug, stop=stop, progress=bar.update, on_start=bar.reset,
                                     helpers=settings.review.processes,
                                     translation_progress=lambda done, total: bar.set_postfix_str(f"sentences {done}/{total}"))
        except ReportNotWritten as exc:  # a full disk: the files' outcomes, then the one-line error
            _print_outcomes(exc.report, args.debug)
            raise
        finally:
            bar.close()
    if report is None:
        print(f"tarjama: nothing to translate under {', '.join(map(str, paths))}", file=sys.stderr)
        return 0
    _print_outcomes(report, args.debug)
    totals = report.totals()
    memory = report.translation.get("memory")
    reused = [f"{memory['paragraph_hits']} paragraph(s) whole"] if memory and memory.get("paragraph_hits") else []
    reused += [f"{memory['hits']} of {memory['lookups']} sentences"] if memory and memory["lookups"] else []
    reused = f", {' and '.join(reused)} from memory" if reused else ""
    notices = f", {totals['notices']} notice(s) of text not translated" if totals["notices"] else ""
    print(f"tarjama: {totals['done']} translated, {totals['failed']} failed, {totals['skipped']} skipped; "
          f"{totals['paragraphs']} paragraphs, {totals['flagged']} need review{reused}{notices}; "
          f"{time.perf_counter() - started:.1f} s — report: {output_dir / '_batch.json'}; config: {settings.source}")
    if report.interrupted:
        return 130
    return 1 if totals["failed"] else 0


def _print_outcomes(report, debug: bool) -> None:
    """Each file that failed, and each one skipped for a reason other than being unchanged."""
    for item in report.files:
        if item.status == "failed":
            print(f"tarjama: failed: {item.input}: {item.reason}", file=sys.stderr)
        elif item.status == "skipped" and (debug or not item.reason.startswith("unchanged")):
            print(f"tarjama: skipped: {item.input}: {item.reason}", file=sys.stderr)


@contextlib.contextmanager
def _stop_on_first_interrupt(stop):
    """First Ctrl-C, or SIGTERM (`kill`, `timeout`, a service manager): give up the model's work in
    flight where the backend can (executors.py), write what is done, stop. Second: stop at once —
    but not the first one delivered twice: `timeout` sends its signal to the command and then to
    the command's process group, so the run can get it twice, microseconds apart, and took it for
    a second Ctrl-C (no run report, the articles not done named nowhere)."""
    asked_at = [0.0]

    def request_stop(signum, frame):
        stop.set()
        print("\ntarjama: stopping: what is translated is written, the rest named (Ctrl-C again to stop at once) …",
              file=sys.stderr)
        for asked in STOP_SIGNALS:
            signal.signal(asked, stop_now)
        asked_at[0] = time.monotonic()

    def stop_now(signum, frame):
        if time.monotonic() - asked_at[0] < SAME_REQUEST_SECONDS:
            return  # the first request, delivered again (timeout: to the process, then to its group)
        # At once: not after the model's current batch or the helpers' queue. Safe as a kill -9 is
        # (every file is renamed into place whole, the memory commits in transactions, a killed
        # writer's temporaries go with the next run); the helpers leave with this process.
        print("\ntarjama: stopped at once; the files written are whole, and a re-run finishes the batch",
              file=sys.stderr)
        sys.stderr.flush()
        os._exit(130)

    try:
        previous = {asked: signal.signal(asked, request_stop) for asked in STOP_SIGNALS}
    except ValueError:  # not the main thread (embedded use): keep the default behaviour
        yield
        return
    try:
        yield
    finally:
        for asked, handler in previous.items():
            signal.signal(asked, handler)


# A SIGTERM killed the run outright, as a kill -9 does: the chunk in flight lost, no run report.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
# A stop signal this soon after the first is the first one again (measured: 0.1 ms apart when
# `timeout` delivers it twice), never a person's second Ctrl-C.
SAME_REQUEST_SECONDS = 0.05


def cmd_segment(args) -> int:
    from ..errors import ModelNotAvailable
    from ..export.record import segmentation_record
    from ..segment import estimated_tokens
    from ..stages import Stages
    from ..translate.loader import load_token_counter

    settings = _settings(args)
    if args.file.is_dir():
        raise UsageError(f"{args.file}: is a folder; tarjama segment takes one article file")
    if not args.file.exists():
        raise InputNotFound(f"{args.file}: no such file")
    document = Stages(settings).read(args.file, args.file.name)  # a bad file is said before the model is tried
    try:
        counter, counted_by = load_token_counter(settings), settings.model.name
    except ModelNotAvailable as exc:
        print(f"tarjama: note: token counts estimated (2 per word, shown ~N): {exc}", file=sys.stderr)
        counter, counted_by = None, "estimate"
    document = Stages(settings, token_counter=counter).segment(document)
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
            tokens = f"{unit.source_tokens} tok" if unit.source_tokens else f"~{estimated_tokens(unit.model_input)} tok"
            cut = "  [cut to fit the budget]" if unit.budget_split else ""
            print(f"  {unit.id.split('.')[-1]}  [{start}:{end}]  {tokens}{cut}  {unit.source}")
    return 0


def cmd_check(args) -> int:
    from ..config import load_settings, with_updates
    from ..qa import check_files, report_record
    from ..stages import Stages

    if args.docx is not None and (args.docx.suffix.lower() != ".docx" or args.docx.is_dir()):
        # its record is written beside it as <name>.json: another name could take over another sheet's record
        raise UsageError(f"{args.docx}: --docx takes the review sheet's file name, ending .docx")
    settings = load_settings(args.config, args.overrides)
    if args.glossary:
        settings = with_updates(settings, review={"glossary": args.glossary.resolve()})
    document, pairs = check_files(args.source, args.target, Stages(settings))
    record = report_record(document, pairs, args.source, args.target, settings.source)
    if args.docx:
        from ..batch import run_timestamp
        from ..qa import write_review_sheet

        created = run_timestamp().isoformat().replace("+00:00", "Z")
        from ..export.docx import DocxOptions

        sheet, article = write_review_sheet(document, args.target, args.docx, created,
                                            DocxOptions.from_settings(settings.document))
        print(f"tarjama: review sheet {sheet} and its record {article}", file=sys.stderr)
    if args.json:
        print(json.dumps(record, ensure_ascii=False, indent=2))
    else:
        for pair in pairs:
            for flag in pair.paragraph.flags:
                print(f"{args.target}:{pair.line}: {pair.paragraph.id} {flag.severity}: {flag.code}: {flag.message}")
        totals = record["summary"]
        by_code = ", ".join(f"{code} {n}" for code, n in totals["by_code"].items()) or "no flags"
        checked = f"{totals['paragraphs']} paragraph{'s' if totals['paragraphs'] != 1 else ''} checked"
        print(f"tarjama: {checked}, {totals['flagged']} need review ({by_code}); "
              f"config: {settings.source}")
    return 1 if args.strict and record["summary"]["flagged"] else 0


def cmd_convert_model(args) -> int:
    from ..config import load_settings
    from ..translate.ct2 import convert_model
    from ..translate.resolve import resolve_model

    settings = load_settings(args.config)
    source = resolve_model(args.src, settings.paths.models, allow_download=settings.model.allow_download)
    target = convert_model(source, args.dst, args.quantization, force=args.force)
    print(f"tarjama: {source} converted to {target} ({args.quantization}); use it with "
          f"--backend ctranslate2 --model {target}")
    return 0


def cmd_memory(args) -> int:
    from ..config import load_settings
    from ..translate.loader import memory_path
    from ..translate.memory import TranslationMemory

    settings = load_settings(args.config)
    path = memory_path(settings, output_folder((args.output or settings.paths.output).resolve(), create=False))
    if args.action == "import":
        return _memory_import(args, path, settings)
    if args.file is not None:
        raise UsageError(f"tarjama memory {args.action} takes no file ({args.file})")
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


def _memory_import(args, path, settings) -> int:
    from ..translate.tmx_import import import_tmx

    if args.file is None:
        raise UsageError("tarjama memory import needs the TMX file: tarjama memory import FILE.tmx")
    if not args.file.is_file():
        raise InputNotFound(f"{args.file}: no such file")
    result = import_tmx(args.file, path, strip_diacritics=settings.segmentation.strip_diacritics)
    print(f"tarjama: {args.file.name}: {result.imported} imported, {result.skipped} skipped (no Arabic/English pair, "
          f"rejected, or already in the memory), {result.conflicting} conflicting (the memory's English kept) — into {path}")
    if result.not_arabic > result.imported:  # most of the file: a project that took the English for its source
        print(f"tarjama: {args.file.name}: {result.not_arabic} of the skipped have no Arabic letter on their Arabic "
              f"side: was the English the CAT tool's source text? (OmegaT's own XLIFF filter translates the <target>: "
              f"give it `tarjama export-xliff --copy-source`)", file=sys.stderr)
    return 0


MEMORY_WORDS = {"model unit": ("machine translation of a sentence", "machine translations of sentences"),
                "model paragraph": ("machine translation of a paragraph", "machine translations of paragraphs"),
                "human unit": ("approved sentence", "approved sentences"),
                "human paragraph": ("approved paragraph", "approved paragraphs")}


def _memory_entries(count: int, kind: str) -> str:
    one, many = MEMORY_WORDS.get(kind, (f"{kind} entry", f"{kind} entries"))
    return f"{count:,} {one if count == 1 else many}"


def cmd_regress(args) -> int:
    try:
        return _regress(args)
    except (TarjamaError, OSError):  # said in one line by main, with their own exit codes
        raise
    except Exception:
        # CI reads exit 1 as "the translations regressed": a crash (a bug in Tarjama) must not
        # look like one. The traceback is for the bug report.
        traceback.print_exc()
        print("tarjama: error: regress stopped on an unexpected error (a bug in Tarjama, not a regression; "
              "the traceback above is for the report)", file=sys.stderr)
        return 2


def _regress(args) -> int:
    from ..export.record import dumps
    from ..fsutil import atomic_write_text
    from ..regress import regress, render, write_baseline, write_junit

    if args.baseline is not None and not args.baseline.is_file() and not args.update_baseline:
        # A mistyped baseline would pass every run with "no baseline": regressions unseen.
        raise InputNotFound(f"{args.baseline}: no such baseline file (--update-baseline writes one)")
    for report_path in (args.junit, args.json_report):
        if report_path is not None and report_path.is_dir():
            raise UsageError(f"{report_path}: is a folder; give the report file's name")
    report = regress(args.suite, config=args.config, model=args.model, backend=args.backend, device=args.device,
                     overrides=args.overrides, baseline=args.baseline, use_memory=args.use_memory,
                     update_baseline=args.update_baseline)
    print(render(report))
    if args.json_report:
        atomic_write_text(args.json_report, dumps(report.to_dict()))
    if args.junit:
        write_junit(report, args.junit)
    if args.update_baseline:
        print(f"tarjama: baseline accepted: {write_baseline(report)}")
        return 0
    return 0 if report.passed else 1


def cmd_import_review(args) -> int:
    from ..config import load_settings
    from ..roundtrip import import_review

    imported = import_review(args.docx, args.article, output=args.output, memory=args.memory,
                             settings=load_settings(args.config))
    merged = imported.record
    counts = merged["review_import"]["counts"]
    edited = sum(1 for p in merged["paragraphs"] if p["review"]["editor_target"] is not None)
    print(f"tarjama: {args.docx.name}: {counts['approved']} approved, {counts['rejected']} rejected, {edited} edited"
          f"{', tracked changes read as accepted' if merged['review_import']['tracked_changes'] else ''}; "
          f"{imported.written} written; {imported.approved} approved translation(s) into {imported.memory}")
    if imported.changed_arabic:
        gone = (f"; the work of {len(imported.orphaned)} whose Arabic is no longer in the article "
                f"({', '.join(imported.orphaned)}) is kept under orphaned_reviews in {imported.written.name}") if imported.orphaned else ""
        print(f"tarjama: {args.docx.name}: written before the Arabic of the article changed: its work followed its "
              f"paragraphs' Arabic{gone}", file=sys.stderr)
    for entry in imported.replaced:
        if entry.get("by") == args.docx.name:  # this file edited again, or another copy of it: the name cannot tell
            print(f"tarjama: {args.docx.name}: {entry['paragraph']}: its {entry['field']} was changed by an earlier import "
                  f"of a file of this name and again by this one: this one's came in; the earlier "
                  f"(«{entry['value'][:60]}») is kept under review_import.replaced in {imported.written.name}",
                  file=sys.stderr)
            continue
        earlier = f"which {entry['by']} brought" if entry.get("by") else "set since this file was written"
        print(f"tarjama: {args.docx.name}: {entry['paragraph']}: both this file and another changed its {entry['field']}: "
              f"this file's came in; the earlier ({earlier}: «{entry['value'][:60]}») is kept under review_import.replaced "
              f"in {imported.written.name}", file=sys.stderr)
    for entry in imported.not_approved:
        if entry["why"] == "over":
            print(f"tarjama: {args.docx.name}: {entry['paragraph']}: approved in this file over English that has changed "
                  f"since it was written; not approved — approve it again in the new document", file=sys.stderr)
        else:
            print(f"tarjama: {args.docx.name}: {entry['paragraph']}: its English was changed in this file, and the "
                  f"approval another file gave was of the English before; not approved — approve it again in the new "
                  f"document", file=sys.stderr)
    if imported.moved:
        print(f"tarjama: {args.docx.name}: text typed outside the English, Status and Editor's note columns, in "
              f"{', '.join(imported.moved)}, was put in those rows' notes (marked «[typed in the … column]»)",
              file=sys.stderr)
    if imported.document_comments:
        print(f"tarjama: {args.docx.name}: {len(imported.document_comments)} comment(s) outside the review table "
              f"are kept under review_import.document_comments and shown in the next DOCX's title block: "
              + " · ".join(imported.document_comments), file=sys.stderr)
    empty = [p["id"] for p in merged["paragraphs"] if p["review"]["status"] == "approved" and p["source"].strip()
             and not (p["review"]["editor_target"] if p["review"]["editor_target"] is not None else p["target"]).strip()]
    if empty:
        print(f"tarjama: {args.docx.name}: approved with no English: {', '.join(empty)} — left out of the published "
              f"article (write the English, or set the status back, if that was not meant)", file=sys.stderr)
    if merged["review_import"].get("kept"):
        kept = merged["review_import"]["kept"]
        print(f"tarjama: {args.docx.name}: in {len(kept)} row(s) ({', '.join(kept)}) this file shows what was written or "
              f"imported before, while the record has newer work for them: the newer work was kept (to choose the "
              f"older value again, set it in the DOCX the next translate writes)", file=sys.stderr)
    return 0


def cmd_export_tmx(args) -> int:
    from ..export.tmx import export_tmx

    _output_folder_to_read(args.output_dir)
    if args.output.is_dir():
        raise UsageError(f"{args.output}: is a folder; give the TMX file's name (-o FILE.tmx)")
    damaged: list = []
    units = export_tmx(args.output_dir, args.output, approved_only=args.approved_only, sentences=args.sentences,
                       damaged=damaged)
    _name_damaged(damaged, args.output_dir)
    print(f"tarjama: {units} translation units written to {args.output}"
          + (f"; {len(damaged)} record(s) could not be read, their articles are not in it" if damaged else ""))
    return 1 if damaged else 0


def cmd_export_terms(args) -> int:
    from pathlib import Path

    from ..config import load_settings
    from ..export.terms import export_terms
    from ..glossary import load_glossary

    source = args.glossary
    if source is None:
        source = load_settings(args.config).review.glossary
        if source is None:
            raise UsageError("no terms file: name one (tarjama export-terms GLOSSARY -o FILE) or set review.glossary")
    if not Path(source).is_file():
        raise InputNotFound(f"{source}: no such terms file")
    if args.output.is_dir():
        raise UsageError(f"{args.output}: is a folder; give the file's name (-o terms.tbx)")
    glossary = load_glossary(Path(source))
    kind = export_terms(glossary, args.output)
    renderings = sum(len(term.renderings) for term in glossary.terms)
    print(f"tarjama: {len(glossary.terms)} term(s), {renderings} rendering(s) written to {args.output} "
          f"({'TBX-Basic' if kind == 'tbx' else 'tab-separated, OmegaT glossary'})")
    return 0


def _name_damaged(damaged, output_dir) -> None:
    for path, why in damaged:
        print(f"tarjama: failed: {path.relative_to(output_dir)}: {why}", file=sys.stderr)


def cmd_export_xliff(args) -> int:
    from ..export.xliff import export_xliff

    _output_folder_to_read(args.output_dir)
    exported = export_xliff(args.output_dir, output_folder(args.output or args.output_dir, create=False),
                            force=args.force, copy_source=args.copy_source)
    units = sum(n for _, n in exported.written)
    print(f"tarjama: {len(exported.written)} XLIFF file(s), {units} translation units, written under "
          f"{args.output or args.output_dir}" + (f"; {len(exported.kept)} kept" if exported.kept else "")
          + (f"; {len(exported.damaged)} record(s) could not be read" if exported.damaged else ""))
    for why in exported.kept:
        print(f"tarjama: kept: {why}", file=sys.stderr)
    _name_damaged(exported.damaged, args.output_dir)
    return 1 if exported.kept or exported.damaged else 0


def cmd_publish(args) -> int:
    from ..export.publish import publish

    _output_folder_to_read(args.output_dir)
    target = output_folder(args.output or args.output_dir / "published", create=False)
    results = publish(args.output_dir, target, args.format, allow_unreviewed=args.allow_unreviewed)
    if not results:
        raise InputNotFound(f"{args.output_dir}: no article records here (the folder `tarjama translate` wrote)")
    held = [r for r in results if r.blockers and not r.written]
    damaged = [r for r in results if r.damaged]
    for result in results:
        if result.damaged:
            print(f"tarjama: failed: {result.article}: {result.damaged}", file=sys.stderr)
        elif result.blockers:
            verb = "published as unreviewed" if result.written else "not published"
            withdrawn = (f" (withdrawn from {target}: {', '.join(p.name for p in result.withdrawn)})"
                         if result.withdrawn else "")
            print(f"tarjama: {verb}: {result.article}: {'; '.join(result.blockers)}{withdrawn}", file=sys.stderr)
    written = sum(1 for r in results if r.written)
    print(f"tarjama: {written} of {len(results) - len(damaged)} article(s) published to {target}"
          + (f"; {len(held)} held back until their rows are approved or fixed (--allow-unreviewed publishes them "
             f"marked as unreviewed)" if held else "")
          + (f"; {len(damaged)} record(s) could not be read" if damaged else ""))
    return 1 if held or damaged else 0


def _output_folder_to_read(path) -> None:
    """The folder `export-*` and `publish` read: one line when it is missing or a file."""
    if path.is_file():
        raise UsageError(f"{path}: is a file; give the output folder `tarjama translate` wrote")
    if not path.is_dir():
        raise InputNotFound(f"{path}: no such folder")


def cmd_schema(args) -> int:
    from ..export.record import article_schema

    print(json.dumps(article_schema(), ensure_ascii=False, indent=2))
    return 0


def cmd_fetch_model(args) -> int:
    from ..config import load_settings
    from ..translate.resolve import fetch_model

    settings = load_settings(args.config)
    if args.name is not None and not args.name.strip():
        raise UsageError("fetch-model: the model id is empty (give a hub id such as Helsinki-NLP/opus-mt-ar-en)")
    name = args.name or settings.model.name
    target = fetch_model(name, settings.paths.models)
    print(f"tarjama: {name} saved in {target}; use it with --model {target} or model.name in config.yaml")
    return 0


