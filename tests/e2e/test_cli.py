"""The command line without a model: help, schema, one-line errors and exit codes."""

import json
import re
import shutil

import pytest

from ..helpers import ROOT, run_cli


def test_help_lists_commands_and_examples():
    result = run_cli("--help")
    assert result.returncode == 0
    for word in ("translate", "schema", "fetch-model", "examples:"):
        assert word in result.stdout
    translate = run_cli("translate", "--help")
    assert "--model" in translate.stdout and "--set KEY=VALUE" in translate.stdout and "-o DIR" in translate.stdout


def test_schema_prints_the_json_schema():
    result = run_cli("schema")
    assert result.returncode == 0
    schema = json.loads(result.stdout)
    assert schema["$schema"].endswith("2020-12/schema")
    assert "paragraphs" in schema["required"]


def test_a_missing_model_offline_is_exit_2_and_one_line(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("بحث الرئيس الروسي.", encoding="utf-8")
    result = run_cli("translate", str(article), "-o", str(tmp_path / "out"), "--model", "Helsinki-NLP/opus-mt-ar-en",
                     env={"HF_HUB_OFFLINE": "1"})
    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("tarjama: error:")]
    assert len(errors) == 1
    assert "Helsinki-NLP/opus-mt-ar-en" in errors[0] and "tarjama fetch-model" in errors[0]
    assert "Traceback" not in result.stderr


def test_a_missing_model_with_the_network_unreachable_is_exit_2_and_one_line(tmp_path):
    # No HF_HUB_OFFLINE: the download is tried and fails (hubs are unreachable from CI machines;
    # on a connected machine this test would download, so point the hub at a name that never resolves).
    article = tmp_path / "a.txt"
    article.write_text("بحث الرئيس الروسي.", encoding="utf-8")
    result = run_cli("translate", str(article), "-o", str(tmp_path / "out"), "--model", "Helsinki-NLP/opus-mt-ar-en",
                     env={"HF_HUB_OFFLINE": "0", "HF_ENDPOINT": "http://hub.invalid", "HF_HOME": str(tmp_path / "hf")})
    assert result.returncode == 2, result.stderr
    assert "could not be downloaded" in result.stderr and "Traceback" not in result.stderr


def test_a_bad_config_value_is_exit_2_naming_the_key(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text("translation:\n  num_beams: -1\n", encoding="utf-8")
    result = run_cli("translate", "--config", str(config))
    assert result.returncode == 2
    assert result.stderr.strip() == (f"tarjama: error: {config}: translation.num_beams: "
                                     "input should be greater than or equal to 1 (got -1)")


def test_a_model_directory_that_is_not_a_model(tmp_path):
    (tmp_path / "empty-model").mkdir()
    result = run_cli("translate", str(ROOT / "input"), "-o", str(tmp_path / "out"), "--model", str(tmp_path / "empty-model"))
    assert result.returncode == 2
    assert "not a model directory (no config.json inside)" in result.stderr


@pytest.mark.model
@pytest.mark.parametrize("damage, message", [
    ("no source.spm", "cannot load source.spm (NOT_FOUND"),
    ("weights cut short", "cannot load the model weights (SafetensorError"),
])
def test_a_damaged_model_folder_is_one_line_and_exit_2(tmp_path, damage, message):
    """A newcomer's damaged copy of the model: a traceback (sentencepiece's RuntimeError), or every
    article "failed" with the weights' error; now the model's one line, exit 2, in CLI and API."""
    model = tmp_path / "model"
    shutil.copytree(ROOT / "models" / "fixture-ar-en", model)
    if damage == "no source.spm":
        (model / "source.spm").unlink()
    else:
        (model / "model.safetensors").write_bytes((model / "model.safetensors").read_bytes()[:10_000])
    result = run_cli("translate", str(ROOT / "input"), "-o", str(tmp_path / "out"), "--model", str(model), "--no-cache")
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().startswith(f"tarjama: error: {model}: ") and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    import tarjama

    with pytest.raises(tarjama.TarjamaError, match=re.escape(message)):
        tarjama.translate_text("أنا أحب القراءة.", model=str(model))


def test_fetch_model_offline_is_exit_2_and_one_line(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text("paths:\n  models: models\n", encoding="utf-8")
    result = run_cli("fetch-model", "Helsinki-NLP/opus-mt-ar-en", "--config", str(config),
                     env={"HF_HUB_OFFLINE": "0", "HF_ENDPOINT": "http://hub.invalid", "HF_HOME": str(tmp_path / "hf")})
    assert result.returncode == 2
    assert result.stderr.startswith("tarjama: error: cannot download 'Helsinki-NLP/opus-mt-ar-en'")
    assert not (tmp_path / "models" / "opus-mt-ar-en" / "config.json").exists()
    # A local folder is not fetched: one line saying so (it once "saved" the folder into itself).
    local = run_cli("fetch-model", str(ROOT / "models" / "fixture-ar-en"))
    assert local.returncode == 2 and local.stderr.count("\n") == 1 and "is a local path, already on this machine" in local.stderr


def test_the_console_script_is_installed():
    import subprocess
    import sys
    from pathlib import Path

    script = Path(sys.executable).parent / "tarjama"
    result = subprocess.run([str(script), "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.startswith("tarjama ")


def test_segment_shows_kinds_units_spans_and_tokens():
    result = run_cli("segment", str(ROOT / "input" / "karabakh-talks.ar.txt"), "--model", str(ROOT / "models" / "fixture-ar-en"))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"karabakh-talks.ar.txt: 13 paragraphs, 14 units (tokens: {ROOT / 'models' / 'fixture-ar-en'}, budget 200)"
    assert "p0004  heading" in lines and "p0012  caption" in lines and "p0013  source" in lines
    assert any(line.startswith("  s02  [101:348]  ") and line.endswith("بين الحلفاء.") for line in lines)


def test_segment_json_has_the_record_fields_without_translations():
    import jsonschema

    from pipeline.export.record import article_schema

    result = run_cli("segment", str(ROOT / "input" / "karabakh-talks.ar.txt"), "--json",
                     "--model", str(ROOT / "models" / "fixture-ar-en"))
    data = json.loads(result.stdout)
    paragraph = data["paragraphs"][2]
    assert set(paragraph) == {"id", "index", "kind", "kind_hint", "source", "sentences"}
    assert [s["source_span"] for s in paragraph["sentences"]] == [[0, 100], [101, 348]]
    assert all(s["source_tokens"] > 0 for s in paragraph["sentences"])
    # the same field shapes as the article record's sentences (translation fields left out)
    defs = article_schema()["$defs"]
    for sentence in paragraph["sentences"]:
        jsonschema.validate(sentence, {"$defs": defs, **defs["sentence"], "required": []})


def test_segment_without_the_model_estimates_tokens_and_says_so(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("قال الرئيس. ثم غادر.", encoding="utf-8")
    result = run_cli("segment", str(article), "--model", "Helsinki-NLP/opus-mt-ar-en", env={"HF_HUB_OFFLINE": "1"})
    assert result.returncode == 0
    assert "token counts estimated" in result.stderr
    # the estimate the budget used, marked as one (two words: 2 × 2 + </s>); it said "? tok"
    assert "  s02  [12:20]  ~5 tok  ثم غادر." in result.stdout


def test_segment_says_what_is_wrong_with_its_file_before_trying_the_model(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text(" \n", encoding="utf-8")
    env = {"HF_HUB_OFFLINE": "1"}  # were the model tried first, its note would come before the error
    for given, code, message in ((tmp_path, 2, f"{tmp_path}: is a folder; tarjama segment takes one article file"),
                                 (empty, 1, f"{empty}: empty"), (tmp_path / "nope.txt", 2, f"{tmp_path / 'nope.txt'}: no such file")):
        result = run_cli("segment", str(given), "--model", "Helsinki-NLP/opus-mt-ar-en", env=env)
        assert result.returncode == code
        assert result.stderr == f"tarjama: error: {message}\n"


def test_a_damaged_memory_is_one_line_whose_advice_works(tmp_path):
    memory = tmp_path / "out" / ".tarjama" / "memory.sqlite"
    memory.parent.mkdir(parents=True)
    memory.write_bytes(b"not a database, cut short")
    stats = run_cli("memory", "stats", "-o", str(tmp_path / "out"))
    assert stats.returncode == 2 and stats.stderr.count("\n") == 1
    assert "not a usable translation memory" in stats.stderr and "translate with --no-cache" in stats.stderr
    result = run_cli("translate", str(ROOT / "input"), "-o", str(tmp_path / "out"), "--model",
                     str(ROOT / "models" / "fixture-ar-en"), "--no-cache", "-q")
    assert result.returncode == 0, result.stderr
    assert memory.read_bytes() == b"not a database, cut short"   # the user's file, untouched


# --- tried as a newcomer would ------------------------------------------------------------

def test_cuda_without_a_gpu_is_one_configuration_error_before_any_work(tmp_path):
    result = run_cli("translate", str(ROOT / "input"), "-o", str(tmp_path / "out"),
                     "--model", str(ROOT / "models" / "fixture-ar-en"), "--device", "cuda")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "tarjama: error: model.device is 'cuda' but transformers finds no CUDA device on this machine; "
        "use --device auto or --device cpu"]
    assert not (tmp_path / "out").exists()


def test_ray_not_installed_is_one_configuration_error_and_nothing_is_written(tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` raises ImportError, installed or not
    result = run_cli("translate", str(ROOT / "input"), "-o", str(tmp_path / "out"),
                     "--model", str(ROOT / "models" / "fixture-ar-en"), "--executor", "ray")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        'tarjama: error: executor.kind is "ray" but Ray is not installed: pip install "tarjama[ray]"']
    assert not (tmp_path / "out").exists()  # no output folder, no translation memory in it


def test_mistyped_paths_are_errors_that_leave_earlier_results_alone(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "_batch.json").write_text('{"from": "the last real run"}', encoding="utf-8")
    missing = run_cli("translate", str(tmp_path / "inptu"), "-o", str(out))
    assert missing.returncode == 2 and missing.stderr.strip() == f"tarjama: error: no such file or folder: {tmp_path / 'inptu'}"
    assert (out / "_batch.json").read_text(encoding="utf-8") == '{"from": "the last real run"}'
    tmx = run_cli("export-tmx", str(tmp_path / "outptu"), "-o", str(tmp_path / "m.tmx"))
    assert tmx.returncode == 2 and tmx.stderr.strip() == f"tarjama: error: {tmp_path / 'outptu'}: no such folder"
    empty = run_cli("export-tmx", str(out), "-o", str(tmp_path / "m.tmx"))
    assert empty.returncode == 2 and "no readable article records" in empty.stderr and not (tmp_path / "m.tmx").exists()
    review = run_cli("import-review", str(tmp_path / "edited.docx"))
    assert review.returncode == 2 and review.stderr.strip() == f"tarjama: error: {tmp_path / 'edited.docx'}: no such file"
    folder = run_cli("import-review", str(out))
    assert folder.returncode == 2 and folder.stderr.strip() == (
        f"tarjama: error: {out}: is a folder; give the reviewed .docx or the CAT tool's .xlf of one article")
    report = run_cli("import-review", str(out / "_batch.json"))
    assert report.returncode == 2 and report.stderr.strip() == (
        f"tarjama: error: {out / '_batch.json'}: not a review DOCX or an XLIFF (.docx, .xlf, .xliff); give the file "
        "an editor or a CAT tool saved")
    (out / "a.odt").write_bytes(b"PK\x03\x04mimetypeapplication/vnd.oasis.opendocument.text")
    odt = run_cli("import-review", str(out / "a.odt"))
    assert odt.returncode == 2 and odt.stderr.strip() == (
        f"tarjama: error: {out / 'a.odt'}: a .odt file; save it as Word .docx (File › Save As › Word 2007-365 .docx) "
        "and import that")
    (out / "renamed.docx").write_bytes((out / "a.odt").read_bytes())
    renamed = run_cli("import-review", str(out / "renamed.docx"))
    assert renamed.returncode == 2 and "not a readable .docx (an OpenDocument file (.odt) renamed); save it as Word .docx" in renamed.stderr
    shutil.copy(ROOT / "tests" / "data" / "docx-v4" / "karabakh-talks.ar.docx", out / "a.docx")  # a real review DOCX
    record = run_cli("import-review", str(out / "a.docx"), "--json", str(out / "_batch.json"))
    assert record.returncode == 2 and record.stderr.strip() == (
        f"tarjama: error: {out / '_batch.json'}: not a Tarjama article record (it has no 'document')")


def test_the_config_in_force_is_named_and_found_from_any_folder(tmp_path, monkeypatch):
    article = tmp_path / "a.txt"
    article.write_text("بحث الرئيس الروسي فلاديمير بوتين ورئيس الوزراء الأرمني نيكول باشينيان.\n", encoding="utf-8")
    model = ["--model", str(ROOT / "models" / "fixture-ar-en"), "-q", "--force"]
    monkeypatch.delenv("TARJAMA_CONFIG", raising=False)
    outside = run_cli("translate", str(article), "-o", str(tmp_path / "out"), *model, cwd=tmp_path)
    assert outside.returncode == 0, outside.stderr
    assert outside.stdout.strip().endswith("config: built-in defaults")
    monkeypatch.setenv("TARJAMA_CONFIG", str(ROOT / "config.yaml"))
    named = run_cli("translate", str(article), "-o", str(tmp_path / "out"), *model, cwd=tmp_path)
    assert named.stdout.strip().endswith(f"config: {ROOT / 'config.yaml'}")
    report = json.loads((tmp_path / "out" / "_batch.json").read_text(encoding="utf-8"))
    assert report["config"] == str(ROOT / "config.yaml")
    record = json.loads((tmp_path / "out" / "a.json").read_text(encoding="utf-8"))
    assert "glossary" in record["summary"]["by_code"]      # the glossary of that config ran
    assert "TARJAMA_CONFIG" in run_cli("translate", "--help").stdout


def test_debug_is_accepted_after_the_command_too():
    assert run_cli("schema", "--debug").returncode == 0
    assert run_cli("--debug", "schema").returncode == 0


def test_the_readme_synopsis_names_every_option_of_every_command():
    from pipeline.cli import build_parser

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    synopsis = readme.split("## The command line", 1)[1].split("```", 2)[1]
    commands = build_parser()._subparsers._group_actions[0].choices
    for name, command in commands.items():
        block = synopsis.split(f"tarjama {name} ", 1)[1].split("\ntarjama ", 1)[0]
        for action in command._actions:
            if not action.option_strings or set(action.option_strings) & {"--help", "--debug"}:
                continue
            assert any(f"{option} " in block or f"{option}]" in block for option in action.option_strings), \
                f"tarjama {name}: {'/'.join(action.option_strings)} is not in README's synopsis"


def test_the_readme_test_command_is_what_ci_runs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = next(line for line in readme.splitlines() if "pytest" in line and line.startswith("python3 -m venv"))
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    extras = command.split('-e "', 1)[1].split('"', 1)[0]
    assert f'pip install --quiet -e "{extras}"' in ci            # the same extras (so the same tests run)
    assert "python -m pytest" in command and "\npython -m pytest -q\n" in ci


def test_a_configured_glossary_that_is_missing_stops_the_run_naming_it(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text("review:\n  glossary: terms/newsroom.yaml\n", encoding="utf-8")
    article = ROOT / "tests" / "data" / "ntrex-dev" / "articles" / "bbc.381646"
    result = run_cli("check", f"{article}.ar.txt", f"{article}.en.txt", "--config", str(config))
    assert result.returncode == 2
    assert result.stderr.strip() == (f"tarjama: error: {tmp_path / 'terms' / 'newsroom.yaml'}: cannot read the glossary "
                                     "(No such file or directory)")


@pytest.mark.parametrize("setting", ["review:\n  glossary: terms/newsroom.yaml\n", "style:\n  rules: terms\n"])
def test_a_missing_glossary_or_rules_file_leaves_no_output_folder_behind(tmp_path, setting):
    """Exit 2 says "nothing is written", but the run had made the output folder and an empty
    memory in it before it read the glossary or the house-style rules."""
    (tmp_path / "terms").mkdir()
    config = tmp_path / "config.yaml"
    config.write_text(setting, encoding="utf-8")
    result = run_cli("translate", str(ROOT / "input"), "-o", str(tmp_path / "out"), "--config", str(config),
                     "--model", str(ROOT / "models" / "fixture-ar-en"), "-q")
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert not (tmp_path / "out").exists()


def test_a_house_style_rule_that_does_not_compile_stops_the_run_in_one_line(tmp_path):
    rules = tmp_path / "style.yaml"
    rules.write_text("rules:\n  - {name: per cent, stage: post, pattern: '\\bpercent(', replace: per cent}\n",
                     encoding="utf-8")
    config = tmp_path / "config.yaml"
    config.write_text("style:\n  rules: style.yaml\n", encoding="utf-8")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("أنا ولد.\n", encoding="utf-8")
    result = run_cli("translate", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--config", str(config),
                     "--model", str(ROOT / "models" / "fixture-ar-en"), "-q")
    assert result.returncode == 2 and not (tmp_path / "out" / "a.json").exists()
    assert result.stderr.strip() == (f"tarjama: error: {rules}: rule 1 (per cent): the pattern does not compile: "
                                     "missing ), unterminated subpattern at position 9")


def test_a_bad_source_date_epoch_and_an_empty_model_id_are_one_line(tmp_path):
    """SOURCE_DATE_EPOCH=abc broke the model's import (numpy reads it) in every article; an empty
    fetch-model id fetched the config's model instead."""
    result = run_cli("translate", str(ROOT / "input"), "-o", str(tmp_path / "out"), env={"SOURCE_DATE_EPOCH": "abc"})
    assert result.returncode == 2 and result.stderr.strip() == (
        "tarjama: error: SOURCE_DATE_EPOCH must be whole seconds since 1970 (got 'abc'); set a number or unset it")
    empty = run_cli("fetch-model", "")
    assert empty.returncode == 2 and "fetch-model: the model id is empty" in empty.stderr


def test_a_long_hub_error_is_cut_at_a_sentence_end():
    from pipeline.translate.resolve import _first_line

    long = ("Cannot find an appropriate cached snapshot folder for the specified revision on the local disk and "
            "outgoing traffic has been disabled. To enable repo look-ups and downloads online, set "
            "'HF_HUB_OFFLINE=0' as environment variable.")
    assert _first_line(RuntimeError(long)).endswith("outgoing traffic has been disabled.")
    assert _first_line(RuntimeError("x " * 200)).endswith(" …")


@pytest.mark.parametrize("args", [
    ("translate", "{input}", "-o", ""),               # -o "$OUT" with OUT unset: the articles written here
    ("translate", ""),                                # translated the folder the command runs in
    ("export-xliff", "{input}", "-o", " "),
    ("publish", "{input}", "-o", ""),
    ("memory", "stats", "-o", ""),
    ("export-tmx", "", "-o", "m.tmx"),
    ("import-review", "{input}/a.docx", "-o", ""),
])
def test_an_empty_path_on_the_command_line_is_refused_not_the_current_folder(tmp_path, args):
    """As `--set paths.output=` was: an empty -o is Path(""), the folder the command runs in —
    `translate in -o ""` wrote its articles, report and memory there, `export-xliff`, `publish` and
    `memory` used it, `import-review -o ""` failed «.: Device or resource busy»."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("قال بوتين إن المحادثات كانت مفيدة.\n", encoding="utf-8")
    (tmp_path / "here").mkdir()
    result = run_cli(*(a.format(input=tmp_path / "in") for a in args), cwd=tmp_path / "here")
    assert result.returncode == 2
    assert "an empty path names the folder the command runs in; give a path" in result.stderr
    assert not list((tmp_path / "here").iterdir())  # nothing written where the command ran
