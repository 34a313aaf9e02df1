"""config.yaml → validated settings; every mistake is one line that names the key."""

from pathlib import Path

import pytest

from pipeline.config import load_settings, with_updates
from pipeline.errors import ConfigError

from ..helpers import ROOT


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_config_is_valid_and_resolves_folders_against_its_own_folder():
    settings = load_settings(ROOT / "config.yaml")
    assert settings.paths.input == ROOT / "input"
    assert settings.paths.output == ROOT / "output"
    assert settings.model.name == "Helsinki-NLP/opus-mt-tc-big-ar-en"
    assert settings.translation.num_beams == 4


@pytest.mark.parametrize("text, expected", [
    ("translation:\n  beams: 4\n", "unknown key 'translation.beams'"),
    ("colour: red\n", "unknown key 'colour'"),
    ("translation:\n  num_beams: 0\n", "translation.num_beams: input should be greater than or equal to 1 (got 0)"),
    ("translation:\n  num_beams: many\n", "translation.num_beams: input should be a valid integer"),
    ("model:\n  device: gpu\n", "model.device: input should be 'auto', 'cpu' or 'cuda' (got 'gpu')"),
    ("model:\n  name: ''\n", "model.name: string should have at least 1 character"),
    ("- a list\n", "expected a mapping of sections at the top level"),
    ("translation: [\n", "not valid YAML at line"),
])
def test_a_bad_file_is_one_line_naming_the_key(tmp_path, text, expected):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(str(path))
    assert expected in message


def test_missing_config_file_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigError, match="config file not found"):
        load_settings(tmp_path / "nope.yaml")


def test_overrides_are_validated_like_the_file(tmp_path):
    path = write(tmp_path, "translation:\n  num_beams: 4\n")
    assert load_settings(path, ["translation.num_beams=1"]).translation.num_beams == 1
    with pytest.raises(ConfigError, match="unknown key 'translation.beam'"):
        load_settings(path, ["translation.beam=1"])
    with pytest.raises(ConfigError, match="expected KEY=VALUE"):
        load_settings(path, ["translation.num_beams"])


def test_paths_given_with_set_are_relative_to_where_the_command_runs(tmp_path, monkeypatch):
    """In the file, relative to the file; on the command line, relative to where it was typed."""
    (tmp_path / "cfg").mkdir()
    (tmp_path / "here").mkdir()
    (tmp_path / "here" / "mymodel").mkdir()
    path = write(tmp_path / "cfg", "review:\n  glossary: terms.yaml\n")
    monkeypatch.chdir(tmp_path / "here")
    settings = load_settings(path, ["paths.output=out", "memory.path=tm.sqlite", "model.name=mymodel"])
    assert settings.review.glossary == (tmp_path / "cfg" / "terms.yaml").resolve()
    assert settings.paths.output == (tmp_path / "here" / "out").resolve()
    assert settings.memory.path == (tmp_path / "here" / "tm.sqlite").resolve()
    assert settings.model.name == str((tmp_path / "here" / "mymodel").resolve())
    assert load_settings(path, ["model.name=Helsinki-NLP/opus-mt-ar-en"]).model.name == "Helsinki-NLP/opus-mt-ar-en"
    assert load_settings(path, ["review.glossary=mine.yaml"]).review.glossary == (tmp_path / "here" / "mine.yaml").resolve()


def test_command_line_flags_replace_values_and_are_checked(tmp_path):
    settings = load_settings(write(tmp_path, ""))
    assert with_updates(settings, model={"name": "models/x", "device": None}).model.name == "models/x"
    with pytest.raises(ConfigError, match="model.device"):
        with_updates(settings, model={"device": "tpu"})


def test_a_model_path_relative_to_the_config_file_is_made_absolute(tmp_path):
    (tmp_path / "mymodel").mkdir()
    settings = load_settings(write(tmp_path, "model:\n  name: mymodel\n"))
    assert settings.model.name == str(tmp_path / "mymodel")


def test_config_yaml_writes_down_the_code_defaults():
    """config.yaml shows every setting with its value for readers; the defaults themselves live in
    the code (config.py, the checks' parameter models). They must not drift apart: every value
    config.yaml writes is the code's default, except the example glossary it switches on, and
    every setting and every check's parameter is written."""
    import yaml

    from pipeline.checks import CHECKS
    from pipeline.config import Settings

    written = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    defaults = Settings().model_dump(mode="json")
    for section, values in written.items():
        for key, value in values.items():
            if (section, key) in (("review", "glossary"), ("review", "checks")) or section == "paths":
                continue
            assert value == defaults[section][key], f"config.yaml {section}.{key}: {value!r}, code default {defaults[section][key]!r}"
    for check, values in written["review"]["checks"].items():
        default = CHECKS[check].params().model_dump(mode="json")
        for key, value in values.items():
            expected = default[key]
            if isinstance(expected, dict):  # YAML lists for tuples
                expected = {k: list(v) for k, v in expected.items()}
            assert value == expected, f"config.yaml review.checks.{check}.{key}: {value!r}, code default {expected!r}"
    for section, values in defaults.items():
        for key in values:
            assert key in written.get(section, {}), f"config.yaml lacks {section}.{key}"
    for check, spec in CHECKS.items():
        for key in spec.params.model_fields:
            if (check, key) != ("glossary", "glossary"):  # the file named by review.glossary
                assert key in written["review"]["checks"].get(check, {}), f"config.yaml lacks review.checks.{check}.{key}"
    assert written["paths"] == {"input": "input", "output": "output", "models": "models"} == {
        k: str(v) for k, v in Settings().paths.model_dump().items()}


@pytest.mark.parametrize("given", ["file", "--set"])
@pytest.mark.parametrize("key, expected", [
    ("paths.output", "paths.output: an empty path names the folder the command runs in; give a path (got '')"),
    ("paths.input", "paths.input: an empty path names the folder the command runs in; give a path (got '')"),
    ("review.glossary", "review.glossary: an empty path names the folder the command runs in; give a path, or null "
                        "for none (got '')"),
    ("style.rules", "style.rules: an empty path names the folder the command runs in; give a path, or null for none "
                    "(got '')"),
    # null memory.path is the default memory, in the output folder: not "none" (a code review)
    ("memory.path", "memory.path: an empty path names the folder the command runs in; give a path, or null for the "
                    "default (got '')"),
])
def test_an_empty_path_is_one_line_not_the_current_folder(tmp_path, given, key, expected):
    """`--set paths.output=` wrote the articles into the folder the command ran in; `--set
    paths.input=` translated that folder — last run's review DOCX among the articles; `--set
    review.glossary=` (meant: no glossary) stopped the run with «…: cannot read the glossary (Is a
    directory)». An empty path is the current folder to pathlib, never to the user."""
    section, name = key.split(".")
    if given == "file":
        with pytest.raises(ConfigError) as caught:
            load_settings(write(tmp_path, f"{section}:\n  {name}: ''\n"))
    else:
        with pytest.raises(ConfigError) as caught:
            load_settings(write(tmp_path, ""), [f"{key}="])
    assert str(caught.value).endswith(expected)
    assert load_settings(write(tmp_path, ""), ["review.glossary=null"]).review.glossary is None
