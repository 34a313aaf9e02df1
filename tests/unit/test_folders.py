"""Folders: discovery and output names."""

import os
from pathlib import Path

from pipeline.folders import InputFile, discover, plan_outputs

from .test_batch import make_tree


def test_discovery_is_recursive_sorted_and_says_what_it_passed_over(tmp_path):
    make_tree(tmp_path / "in")
    outside = tmp_path / "outside.txt"
    outside.write_text("خارج", encoding="utf-8")
    os.symlink(outside, tmp_path / "in" / "link-out.txt")
    os.symlink(tmp_path / "in" / "world", tmp_path / "in" / "link-dir")
    files, passed = discover([tmp_path / "in"])
    assert [f.rel for f in files] == ["a.md", "a.txt", "empty.txt", "world/europe/karabakh.txt", "موجز الأخبار.txt"]
    assert {(p.input, p.status) for p in passed} == {
        ("photo.jpg", "skipped"), ("link-out.txt", "skipped"), ("link-dir", "skipped")}


def test_a_named_pipe_is_passed_over_not_read(tmp_path):
    """Reading a FIFO waits for a writer forever: one pipe hung the whole batch."""
    make_tree(tmp_path / "in")
    os.mkfifo(tmp_path / "in" / "pipe.txt")
    files, passed = discover([tmp_path / "in"])
    assert "pipe.txt" not in [f.rel for f in files] and "a.txt" in [f.rel for f in files]
    assert [(p.input, p.status, p.reason) for p in passed if p.input == "pipe.txt"] == [
        ("pipe.txt", "skipped", "not a regular file (a named pipe, socket or device): not read")]
    files, passed = discover([tmp_path / "in" / "pipe.txt"])  # named on the command line
    assert files == [] and [(p.status, p.reason) for p in passed] == [
        ("failed", "not a regular file (a named pipe, socket or device): not read")]


def test_output_names_never_collide():
    files = [InputFile(Path(f"/x/{rel}"), rel) for rel in ("a.txt", "a.md", "b.txt", "sub/a.txt", "c.docx", "c")]
    plan_outputs(files)
    assert [f.stem for f in files] == ["a.txt", "a.md", "b", "sub/a", "c.docx", "c"]
