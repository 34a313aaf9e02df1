"""YAML from anyone (a glossary a vendor sent, a house-style file, a regression suite, an article's
front matter, config.yaml) is read by config.load_yaml: safe_load, and refused in one line naming
the file when it would cost out of proportion to its size. Each hostile file is built here."""

import time

import pytest

from pipeline.config import load_settings
from pipeline.errors import ConfigError
from pipeline.glossary import load_glossary
from pipeline.ingest import read_document
from pipeline.regress.suite import SuiteError, load_suite
from pipeline.style import load_style


def laughs(indent: str, levels: int = 9) -> str:
    """A YAML list of nine anchored lists, each nine aliases of the one before: 9^9 (387 million)
    values in 700 bytes. PyYAML shares them; whoever walks them does not."""
    lines = [f'{indent}- &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"{indent}- &l{n} [" + ", ".join([f"*l{n - 1}"] * 9) + "]" for n in range(1, levels)]
    return "\n".join(lines) + "\n"


BOMB = "its aliases (*name) repeat more than 1,000,000 values (a YAML bomb)"


def test_a_glossary_that_is_a_yaml_bomb_is_refused_at_once(tmp_path):
    # the English of a term given as the bomb: the glossary's own message dumped it (42 s, 2.9 GB, MemoryError)
    path = tmp_path / "glossary.yaml"
    path.write_text("terms:\n  - ar: بوتين\n    en:\n" + laughs("      "), encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(ConfigError) as refused:
        load_glossary(path)
    assert str(refused.value) == f"{path}: refused: {BOMB}"
    assert time.perf_counter() - started < 5  # refused by counting, not by expanding (a guard, not a speed figure)


def test_a_house_style_file_that_is_a_yaml_bomb_is_refused_at_once(tmp_path):
    path = tmp_path / "style.yaml"  # str() of the rule's replacement: 50 s and a MemoryError
    path.write_text("rules:\n  - name: a\n    stage: post\n    pattern: x\n    replace:\n" + laughs("      "),
                    encoding="utf-8")
    with pytest.raises(ConfigError, match=rf"^{path}: refused: its aliases"):
        load_style(path)


def test_a_regression_suite_that_is_a_yaml_bomb_is_refused_at_once(tmp_path):
    folder = tmp_path / "suite"
    folder.mkdir()  # the suite's strings were copied value by value: over a minute, 2.8 GB, killed
    (folder / "suite.yaml").write_text("cases:\n  - id: a\n    source: بوتين\n    must_contain:\n" + laughs("      "),
                                       encoding="utf-8")
    with pytest.raises(SuiteError, match=r"suite\.yaml: refused: its aliases"):
        load_suite(folder)


@pytest.mark.parametrize("text, expected", [
    ('model:\n  name: !!python/object/apply:os.system ["touch /tmp/tarjama-pwned"]\n',
     "not valid YAML at line 2 (a !!python/object/apply:os.system tag: only plain YAML is read)"),
    ("x: " + "[" * 50_000 + "\n", "refused: nested too deeply to be read"),          # a RecursionError traceback
    ("a: &a [1, *a]\n", "refused: an alias (*name) refers to the value that contains it"),
    ("x: " + "y" * (11 * 2**20 - 4) + "\n", "refused: 11,534,336 characters, more than the 10,485,760 read from a YAML file"),
])
def test_config_yaml_that_runs_code_or_cannot_be_read_in_proportion_is_one_line(tmp_path, text, expected):
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        load_settings(path)
    assert str(refused.value) == f"{path}: {expected}"


def test_aliases_that_share_a_little_are_read(tmp_path):
    path = tmp_path / "style.yaml"
    path.write_text("rules:\n  - &percent {name: percent, stage: post, pattern: ' percent', replace: ' per cent'}\n"
                    "  - {<<: *percent, name: percent again}\n", encoding="utf-8")
    assert [rule.name for rule in load_style(path).rules] == ["percent", "percent again"]


def test_front_matter_is_parsed_only_when_it_is_metadata_sized(tmp_path):
    article = "حول اتفاقيات قره باغ\n"
    plain = tmp_path / "plain.md"
    plain.write_text("---\ntitle: x\ntags: [a, b]\n---\n\n" + article, encoding="utf-8")
    assert [p.source for p in read_document(plain, "plain.md").paragraphs] == [article.strip()]
    for name, block in (("bomb.md", "x:\n" + laughs("  ")), ("deep.md", "x: " + "[" * 50_000 + "\n")):
        path = tmp_path / name  # refused as YAML (the deep one was a RecursionError): read as text, nothing lost
        path.write_text("---\n" + block + "---\n\n" + article, encoding="utf-8")
        assert read_document(path, name).paragraphs[-1].source == article.strip()
    big = tmp_path / "big.md"  # 8 MB of "front matter" took PyYAML 44 s and 680 MB
    big.write_text("---\n" + "".join(f"k{n}: v\n" for n in range(20_000)) + "---\n\n" + article, encoding="utf-8")
    started = time.perf_counter()
    document = read_document(big, "big.md")
    assert time.perf_counter() - started < 10
    assert not any("front matter" in notice for notice in document.notices)  # read as text: nothing lost
    assert document.paragraphs[-1].source == article.strip()
