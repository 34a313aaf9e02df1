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


def test_a_killed_writers_temporary_goes_and_one_being_written_stays(tmp_path):
    """A kill -9 left `.a.json.xyz.part` files that re-runs kept for an hour. A writer holds a
    lock on its temporary until it is renamed: one nobody holds is removed at once."""
    import fcntl
    import time

    from pipeline.folders import remove_stale_temporaries

    killed, writing = tmp_path / ".a.json.k1.part", tmp_path / "sub" / ".b.docx.w2.part"
    writing.parent.mkdir()
    for path in (killed, writing):
        path.write_bytes(b"half")
        os.utime(path, (time.time() - 30, time.time() - 30))
    held = os.open(writing, os.O_RDONLY)
    fcntl.flock(held, fcntl.LOCK_EX)
    try:
        remove_stale_temporaries(tmp_path)
        assert not killed.exists() and writing.exists()
    finally:
        os.close(held)
    fresh = tmp_path / ".c.json.f3.part"
    fresh.write_bytes(b"")  # just made: its writer may not hold it yet
    remove_stale_temporaries(tmp_path)
    assert fresh.exists() and not writing.exists()
