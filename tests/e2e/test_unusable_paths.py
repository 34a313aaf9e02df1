"""Folders Tarjama cannot read or write: one line naming the path, a non-zero exit, no traceback,
and the rest of the batch done. Permissions are real: as root (CI), the command runs under
`setpriv` without the capabilities that let root read and write anything."""

import json
import os
import shutil
import sys

import pytest

from ..helpers import ROOT, SAMPLE_ARTICLE, run_cli, run_process, sha256_tree

pytestmark = pytest.mark.model
MODEL = str(ROOT / "models" / "fixture-ar-en")
DROP = "-dac_override,-dac_read_search"


def as_a_user(*args: str):
    """`tarjama ARGS` in a process of its own, where file permissions apply."""
    command = [sys.executable, "-m", "pipeline", *args]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: permissions cannot be made to apply")
        command = [setpriv, f"--inh-caps={DROP}", f"--bounding-set={DROP}", *command]
    return run_process(command)


@pytest.fixture
def batch(tmp_path):
    (tmp_path / "in" / "ok").mkdir(parents=True)
    (tmp_path / "in" / "locked").mkdir()
    shutil.copy(SAMPLE_ARTICLE, tmp_path / "in" / "ok" / "article.txt")
    (tmp_path / "in" / "locked" / "hidden.txt").write_text("خبر عاجل من المدينة.\n", encoding="utf-8")
    os.chmod(tmp_path / "in" / "locked", 0)
    yield tmp_path
    os.chmod(tmp_path / "in" / "locked", 0o755)


def test_a_folder_that_cannot_be_read_is_named_and_the_rest_is_translated(batch):
    result = as_a_user("translate", str(batch / "in"), "-o", str(batch / "out"), "--model", MODEL, "-q")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "tarjama: failed: locked: cannot read the folder: Permission denied" in result.stderr.splitlines()
    assert (batch / "out" / "ok" / "article.docx").is_file()
    report = json.loads((batch / "out" / "_batch.json").read_text(encoding="utf-8"))
    assert {f["input"]: f["status"] for f in report["files"]} == {"locked": "failed", "ok/article.txt": "done"}


@pytest.mark.parametrize("given", ["locked", "locked/hidden.txt"])
def test_an_unreadable_folder_or_a_file_inside_it_named_alone_fails_in_one_line(batch, given):
    result = as_a_user("translate", str(batch / "in" / given), "-o", str(batch / "out"), "--model", MODEL, "-q")
    assert result.returncode == 1
    failed = [line for line in result.stderr.splitlines() if line.startswith("tarjama: failed:")]
    assert failed == [f"tarjama: failed: {batch / 'in' / given}: cannot read "
                      f"{'the folder' if given == 'locked' else 'it'}: Permission denied"]
    assert "Traceback" not in result.stderr


def test_an_output_folder_that_cannot_be_written_is_one_line_before_any_work(batch):
    (batch / "readonly").mkdir()
    os.chmod(batch / "readonly", 0o555)
    result = as_a_user("translate", str(batch / "in" / "ok"), "-o", str(batch / "readonly"), "--model", MODEL, "-q")
    assert result.returncode == 2
    assert result.stderr.strip() == f"tarjama: error: {batch / 'readonly'}: the output folder is not writable (permission denied)"
    assert list((batch / "readonly").iterdir()) == []


@pytest.mark.parametrize("command", [["translate", "IN", "--model", MODEL], ["export-xliff", "OUT"], ["publish", "OUT"],
                                     ["memory", "stats"]])
def test_an_output_that_is_a_file_is_one_line(batch, command):
    assert run_cli("translate", str(batch / "in" / "ok"), "-o", str(batch / "out"), "--model", MODEL, "-q").returncode == 0
    a_file = batch / "notes.txt"
    a_file.write_text("not a folder\n", encoding="utf-8")
    args = [str(batch / "in" / "ok") if a == "IN" else str(batch / "out") if a == "OUT" else a for a in command]
    result = run_cli(*args, "-o", str(a_file))
    assert result.returncode == 2
    assert result.stderr == f"tarjama: error: {a_file}: exists and is not a folder; choose another output folder\n"
    assert a_file.read_text(encoding="utf-8") == "not a folder\n"


def test_the_input_folder_as_the_output_folder_is_refused_and_nothing_is_touched(tmp_path):
    shutil.copy(SAMPLE_ARTICLE, tmp_path / "article.txt")
    before = sha256_tree(tmp_path)
    result = run_cli("translate", str(tmp_path), "-o", str(tmp_path), "--model", MODEL, "-q")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "the output folder is the input folder" in result.stderr
    assert sha256_tree(tmp_path) == before


def test_a_full_disk_names_each_file_that_failed_then_the_report_in_one_line(tmp_path):
    """On a full disk every article failed, but all the user saw was `tarjama: error:
    …/_batch.json: No space left on device`: the report was the last write, and its error hid
    the list of what had failed. The files' outcomes come first now, the report's line last. The
    writes fail for real: the command runs with a file-size limit (RLIMIT_FSIZE) of 1 KiB."""
    import resource
    import subprocess

    (tmp_path / "in").mkdir()
    for name in ("a.txt", "b.txt"):
        shutil.copy(SAMPLE_ARTICLE, tmp_path / "in" / name)
    out = tmp_path / "out"

    def small_files():
        resource.setrlimit(resource.RLIMIT_FSIZE, (1024, 1024))

    result = subprocess.run([sys.executable, "-m", "pipeline", "translate", str(tmp_path / "in"), "-o", str(out),
                             "--model", MODEL, "-q", "--no-cache"], cwd=ROOT, capture_output=True, text=True,
                            preexec_fn=small_files, start_new_session=True, timeout=600)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"tarjama: failed: a.txt: cannot write its outputs: {out / 'a.docx'}: File too large",
        f"tarjama: failed: b.txt: cannot write its outputs: {out / 'b.docx'}: File too large",
        f"tarjama: error: {out / '_batch.json'}: the run report cannot be written (File too large); the files are "
        f"listed above, those written are whole"]
    assert list(out.iterdir()) == []  # nothing half-written
