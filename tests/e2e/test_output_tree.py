"""Output names from one tree root, end to end with the fixture model: a subfolder or a file of
the input folder comes out where the whole folder's run put it; folders named together keep
their own names; a renamed article is read again."""

import hashlib
import json
import shutil

import pytest

from ..helpers import DATA, FIXTURE_MODEL, run_cli

NTREX = DATA / "ntrex-dev" / "articles"


def translate(out, *args):
    result = run_cli("translate", *args, "-o", str(out), "--model", str(FIXTURE_MODEL), "-q")
    assert result.returncode == 0, result.stderr
    return json.loads((out / "_batch.json").read_text(encoding="utf-8"))


def listing(out):
    """The outputs and their bytes (the run report and the memory aside)."""
    return {path.relative_to(out).as_posix(): path.read_bytes() for path in sorted(out.rglob("*"))
            if path.is_file() and path.name != "_batch.json" and ".tarjama" not in path.parts}


def record(out, name):
    return json.loads((out / f"{name}.json").read_text(encoding="utf-8"))


@pytest.mark.model
def test_a_subfolder_or_a_file_of_the_input_folder_writes_nothing_at_the_top(tmp_path):
    """The tester's run: after `translate` (the input folder), `translate input/world` wrote a
    second output/x.json without world/x's reviews (publish then published it twice), and
    `translate input/world/x.txt` compared itself with output/x.json."""
    (tmp_path / "input" / "world").mkdir(parents=True)
    shutil.copy(NTREX / "bbc.381646.ar.txt", tmp_path / "input" / "world" / "x.txt")
    out = tmp_path / "output"
    setting = f"paths.input={tmp_path / 'input'}"
    first = translate(out, "--set", setting)
    assert [(f["input"], f["status"]) for f in first["files"]] == [("world/x.txt", "done")]
    written = listing(out)
    assert sorted(written) == ["world/x.docx", "world/x.json"]
    for given in (tmp_path / "input" / "world", tmp_path / "input" / "world" / "x.txt"):
        again = translate(out, str(given), "--set", setting)
        assert [(f["input"], f["status"]) for f in again["files"]] == [("world/x.txt", "skipped")], given
        assert again["files"][0]["reason"].startswith("unchanged since its outputs were written")
        assert [o.rsplit("/", 2)[-2:] for o in again["files"][0]["outputs"]] == [["world", "x.json"],
                                                                               ["world", "x.docx"]]
        assert listing(out) == written  # nothing new at the top, world/x untouched


@pytest.mark.model
def test_folders_named_together_keep_their_names_and_records_when_one_comes(tmp_path):
    """in/politics and in/sports (each a story.txt) were story and story.txt-2 in command-line
    order, both records saying "story.txt"; adding in/arts reshuffled the names, and the
    editors' reviews landed on the wrong articles."""
    for desk, name in (("politics", "abcnews.306755.ar.txt"), ("sports", "abcnews.306758.ar.txt"),
                       ("arts", "bbc.381646.ar.txt")):
        (tmp_path / "in" / desk).mkdir(parents=True)
        shutil.copy(NTREX / name, tmp_path / "in" / desk / "story.txt")
    out = tmp_path / "out"
    desks = [str(tmp_path / "in" / desk) for desk in ("politics", "sports")]
    first = translate(out, *desks)
    assert sorted((f["input"], f["status"]) for f in first["files"]) == [
        ("politics/story.txt", "done"), ("sports/story.txt", "done")]
    assert sorted(listing(out)) == ["politics/story.docx", "politics/story.json",
                                    "sports/story.docx", "sports/story.json"]
    for desk in ("politics", "sports"):
        document = record(out, f"{desk}/story")["document"]
        assert document["source_path"] == f"{desk}/story.txt"
        assert document["source_sha256"] == hashlib.sha256(
            (tmp_path / "in" / desk / "story.txt").read_bytes()).hexdigest()
    written = listing(out)
    second = translate(out, str(tmp_path / "in" / "arts"), *desks)
    assert sorted((f["input"], f["status"]) for f in second["files"]) == [
        ("arts/story.txt", "done"), ("politics/story.txt", "skipped"), ("sports/story.txt", "skipped")]
    now = listing(out)
    assert {name: now[name] for name in written} == written  # politics and sports: the same records
    assert sorted(set(now) - set(written)) == ["arts/story.docx", "arts/story.json"]
    assert record(out, "arts/story")["document"]["source_path"] == "arts/story.txt"


@pytest.mark.model
def test_an_article_renamed_from_txt_to_md_is_read_again(tmp_path):
    """Same bytes, read otherwise (one paragraph in .md, a paragraph a line in .txt): it was
    skipped as unchanged and its record kept source_path a.txt and format txt."""
    (tmp_path / "in").mkdir()
    shutil.copy(NTREX / "bbc.381646.ar.txt", tmp_path / "in" / "a.txt")
    out = tmp_path / "out"
    translate(out, str(tmp_path / "in"))
    before = record(out, "a")
    assert (before["document"]["source_path"], before["document"]["format"]) == ("a.txt", "txt")
    (tmp_path / "in" / "a.txt").rename(tmp_path / "in" / "a.md")
    again = translate(out, str(tmp_path / "in"))
    assert [(f["input"], f["status"]) for f in again["files"]] == [("a.md", "done")]
    after = record(out, "a")
    assert (after["document"]["source_path"], after["document"]["format"]) == ("a.md", "md")
    assert len(after["paragraphs"]) < len(before["paragraphs"])
    assert again["translation"]["memory"]["hits"] > 0  # the memory makes it cheap
