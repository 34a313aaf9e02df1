"""Hostile inputs, interrupted runs, nothing lost (the model runs: the fixture)."""

import json
import os
import random
import shutil
import signal
import sys
import time
from pathlib import Path

import docx
import pytest

from pipeline.batch import GROUP_UNITS

from ..docx_factory import rich_docx, xxe_docx, zip_bomb_docx
from ..helpers import ROOT, SAMPLE_ARTICLE, assert_nothing_lost, run_cli, run_process, sha256_tree, spawned

pytestmark = pytest.mark.model

TATOEBA = [line.split("\t")[0] for line in (ROOT / "models" / "fixture-data" / "tatoeba.tsv")
           .read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
SAMPLE_LINES = [line for line in SAMPLE_ARTICLE.read_text(encoding="utf-8").splitlines() if line.strip()]


def build_hostile_folder(root: Path, outside: Path) -> dict[str, str]:
    """Every awkward and bad case of a newsroom folder. Returns {relative path: expected status}."""
    expected = {}

    def put(rel: str, data: bytes, status: str) -> Path:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        expected[rel] = status
        return path

    text = "\n".join(SAMPLE_LINES)
    put("utf8/karabakh.txt", text.encode("utf-8"), "done")
    put("encodings/karabakh-cp1256.txt", "\r\n".join(SAMPLE_LINES).encode("cp1256"), "done")
    put("encodings/karabakh-utf16.txt", b"\xff\xfe" + text.encode("utf-16-le"), "done")
    put("encodings/karabakh-bom.txt", b"\xef\xbb\xbf" + text.encode("utf-8"), "done")
    put("أخبار العالم/موجز الأخبار اليوم.txt", "\n".join(TATOEBA[:5]).encode(), "done")           # Arabic names, spaces
    put("a/b/c/d/deep.md", ("# " + SAMPLE_LINES[3] + "\n\n" + SAMPLE_LINES[4] + "\n").encode(), "done")  # nested
    put("awkward/mixed.txt", "\n".join([
        "وفقاً لبيانٍ صدر عن المكتبِ الصحفيِّ",                                            # diacritised
        "\u200fبحث الرئيس\u200e \u202bالروسي\u202c بوتين",                                 # bidi marks
        "اقرأ المزيد على https://example.com/a?b=1 وتابعونا @tarjama_news #قره_باغ 🇷🇺😀",     # URL, handle, hashtag, emoji
        "قال Vladimir Putin إن COVID-19 انتهى",                                             # mixed Arabic/Latin
        "COVID-19",                                                                          # no Arabic at all
        "تـــــــــاس",                                                                      # kashida
        "١٢٪، ٣٫٥",                                                                          # figures, Arabic marks
    ]).encode(), "done")
    put("awkward/many-lines.txt", "\n".join(random.Random(1).choices(TATOEBA, k=3000)).encode(), "done")
    put("awkward/one-paragraph.txt", ("، ".join(SAMPLE_LINES * 45)).encode(), "done")         # ~5,000 words, one line
    put("awkward/control-chars.txt", "بحث\x07 الرئيس الروسي\x00.\n".encode(), "done")
    rich = root / "word" / "rich.docx"
    rich.parent.mkdir(parents=True, exist_ok=True)
    rich_docx(rich, SAMPLE_LINES[:3] + [SAMPLE_LINES[12]])
    expected["word/rich.docx"] = "done"
    # bad ones
    put("bad/empty.txt", b"", "failed")
    put("bad/blank.txt", b" \r\n\t\n", "failed")
    put("bad/failed-save.docx", zipfile_truncated(rich), "failed")
    put("bad/not-a-zip.docx", b"this is not a word file", "failed")
    put("bad/binary.txt", bytes(range(256)) * 64, "failed")
    put("bad/english.txt", b"An English article.\nIt has no Arabic at all.\n", "failed")
    zip_bomb_docx(root / "bad" / "bomb.docx", megabytes=260)
    expected["bad/bomb.docx"] = "failed"
    # not articles
    put("photo.jpg", b"\xff\xd8\xff\xe0 not really a jpeg", "skipped")
    put("notes", "ملاحظات".encode(), "skipped")
    put("archive.zip", b"PK\x05\x06" + b"\0" * 18, "skipped")
    put(".hidden.txt", "مخفي".encode(), None)
    put("~$rich.docx", b"owner lock", None)
    os.symlink(outside, root / "link-outside.txt")
    expected["link-outside.txt"] = "skipped"
    return {rel: status for rel, status in expected.items() if status}


def zipfile_truncated(path: Path) -> bytes:
    data = path.read_bytes()
    return data[: len(data) // 2]  # Word died while saving


def test_a_hostile_folder_runs_to_the_end(tmp_path):
    root, out = tmp_path / "in", tmp_path / "out"
    outside = tmp_path / "outside.txt"
    outside.write_text("بحث الرئيس الروسي.", encoding="utf-8")
    expected = build_hostile_folder(root, outside)
    before = sha256_tree(root)
    result = run_cli("translate", str(root), "-o", str(out), "--model", str(ROOT / "models" / "fixture-ar-en"), "-q",
                     "--set", "translation.num_beams=1", "--set", "translation.max_new_tokens=48")
    assert result.returncode == 1, result.stderr                     # some files failed
    assert "Traceback" not in result.stderr
    assert sha256_tree(root) == before                                # inputs never modified
    report = json.loads((out / "_batch.json").read_text(encoding="utf-8"))
    assert {f["input"]: f["status"] for f in report["files"]} == expected
    failures = {line.split(": ")[2]: line.split(": ", 3)[3] for line in result.stderr.splitlines()
                if line.startswith("tarjama: failed: ")}
    assert set(failures) == {rel for rel, status in expected.items() if status == "failed"}
    reasons = failures
    assert reasons["bad/empty.txt"] == "empty"
    assert reasons["bad/blank.txt"] == "empty"
    assert reasons["bad/failed-save.docx"].startswith("not a valid .docx")
    assert reasons["bad/not-a-zip.docx"].startswith("not a valid .docx: not a zip archive")
    assert reasons["bad/binary.txt"] == "not UTF-8/UTF-16/Windows-1256 text"
    assert reasons["bad/english.txt"] == "no Arabic text (nothing to translate)"
    assert reasons["bad/bomb.docx"].startswith("not read: unzips to")
    for rel, status in expected.items():
        if status == "done" and not rel.endswith(".docx"):
            stem = rel.rsplit(".", 1)[0]
            assert_nothing_lost(root / rel, out / f"{stem}.json", out / f"{stem}.docx")
    # the awkward ones came out as decided (README, "Awkward input")
    mixed = json.loads((out / "awkward" / "mixed.json").read_text(encoding="utf-8"))["paragraphs"]
    links = mixed[2]["target"]
    for kept in ("https://example.com/a?b=1", "@tarjama_news", "#قره_باغ", "🇷🇺😀"):
        assert kept in links
    assert mixed[4]["target"] == "COVID-19" and mixed[4]["sentences"][0]["origin"] == "verbatim"
    assert mixed[6]["target"] == "12%, 3.5" and mixed[6]["sentences"][0]["origin"] == "verbatim"  # as English writes them
    control = json.loads((out / "awkward" / "control-chars.json").read_text(encoding="utf-8"))
    assert control["paragraphs"][0]["source"] == "بحث\ufffd الرئيس الروسي\ufffd."
    assert control["document"]["notices"] == ["2 control character(s) that no document can hold shown as \ufffd"]
    rich = json.loads((out / "word" / "rich.json").read_text(encoding="utf-8"))
    assert [p["source"] for p in rich["paragraphs"]] == SAMPLE_LINES[:3] + ["خلية أولى في جدول", "خلية ثانية في جدول",
                                                                             SAMPLE_LINES[12]]
    assert rich["document"]["notices"] == ["1 text box(es) not translated", "1 footnote not translated",
                                           "pictures kept out (images are not translated)"]
    title = "\n".join(c.text for r in docx.Document(str(out / "word" / "rich.docx")).tables[0].rows for c in r.cells)
    assert "1 text box(es) not translated" in title
    many = json.loads((out / "awkward" / "many-lines.json").read_text(encoding="utf-8"))
    assert many["summary"]["paragraphs"] == 3000


def test_an_explicitly_named_unsupported_file_fails(tmp_path):
    picture = tmp_path / "photo.png"
    picture.write_bytes(b"\x89PNG")
    result = run_cli("translate", str(picture), "-o", str(tmp_path / "out"), "--model", str(ROOT / "models" / "fixture-ar-en"))
    assert result.returncode == 1
    assert "tarjama: failed: photo.png: not an article: '.png' files are not read" in result.stderr


def test_limits_refuse_large_inputs_and_xml_entities_are_not_resolved(tmp_path):
    from pipeline.errors import InputError
    from pipeline.ingest import read_document

    big = tmp_path / "big.txt"
    big.write_text("بحث الرئيس. " * 20000, encoding="utf-8")
    with pytest.raises(InputError, match=r"too large: [\d,]+ bytes \(limit 100,000"):
        read_document(big, "big.txt", max_input_bytes=100_000)
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    xxe = tmp_path / "xxe.docx"
    xxe_docx(xxe, secret)
    try:
        document = read_document(xxe, "xxe.docx")
    except InputError:
        return  # refusing the file is fine too
    assert "TOP-SECRET-CONTENT" not in json.dumps([p.source for p in document.paragraphs])


def articles_folder(root: Path, count: int, lines_each: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    root.mkdir(parents=True)
    for number in range(count):
        (root / f"article-{number:04d}.txt").write_text("\n".join(rng.sample(TATOEBA, lines_each)) + "\n", encoding="utf-8")
    shutil.copy(SAMPLE_ARTICLE, root / "karabakh.txt")


def outputs(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and p.suffix in (".json", ".docx") and p.name != "_batch.json"}


@pytest.mark.slow
def test_killed_runs_leave_only_whole_files_and_a_rerun_completes_the_batch(tmp_path):
    articles_folder(tmp_path / "in", count=16, lines_each=24)
    command = [sys.executable, "-m", "pipeline", "translate", str(tmp_path / "in"), "--model",
               str(ROOT / "models" / "fixture-ar-en"), "-q"]
    reference = run_cli(*command[3:], "-o", str(tmp_path / "reference"), "--no-cache")  # in this process
    assert reference.returncode == 0, reference.stderr
    rng = random.Random(2026)
    out = tmp_path / "out"
    for attempt in range(4):
        with spawned(command + ["-o", str(out), "--set", "translation.batch_size=4"], capture=False) as process:
            time.sleep(rng.uniform(1.5, 6.0))
            process.send_signal(signal.SIGKILL)
            process.wait()
        for name, data in outputs(out).items():   # whatever is there is whole
            if name.endswith(".json"):
                json.loads(data)
            else:
                docx.Document(str(out / name))
    final = run_process(command + ["-o", str(out)])
    assert final.returncode == 0, final.stderr
    assert outputs(out) == outputs(tmp_path / "reference")      # the same results as an uninterrupted run
    assert not list(out.rglob("*.part"))  # the killed writers' temporaries are gone


@pytest.mark.slow
def test_a_second_ctrl_c_stops_at_once_and_leaves_only_whole_files(tmp_path):
    """The second Ctrl-C (to the whole process group, as a terminal sends it) used to wait, like
    the first, for the model's batch and the helpers: 50 s and more. Now the run exits at once;
    what it wrote is whole and a re-run finishes the batch."""
    count = 2 * GROUP_UNITS // 10 + 50
    articles_folder(tmp_path / "in", count=count, lines_each=10)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "pipeline", "translate", str(tmp_path / "in"), "-o", str(out),
               "--model", str(ROOT / "models" / "fixture-ar-en"), "-q", "--no-cache"]
    with spawned(command) as process:
        deadline = time.time() + 240
        while not list(out.glob("article-*.json")) and time.time() < deadline:
            time.sleep(0.2)
        os.killpg(process.pid, signal.SIGINT)
        time.sleep(0.1)  # well before the current batch is done (the first Ctrl-C would wait for it)
        os.killpg(process.pid, signal.SIGINT)
        stopped = time.time()
        stdout, stderr = process.communicate(timeout=240)
        seconds = time.time() - stopped
    assert process.returncode == 130, stderr
    assert "stopped at once" in stderr and "Traceback" not in stderr
    assert seconds < 15, f"the second Ctrl-C took {seconds:.0f} s"  # was 48–87 s: the batch and the helpers
    for name, data in outputs(out).items():
        json.loads(data) if name.endswith(".json") else docx.Document(str(out / name))
    final = run_process(command)
    assert final.returncode == 0, final.stderr
    assert not list(out.rglob("*.part"))


@pytest.mark.slow
def test_ctrl_c_stops_after_the_current_batch_and_writes_what_is_done(tmp_path):
    count = 2 * GROUP_UNITS // 10 + 50  # articles of 10 units: the first group is written, more are to come
    articles_folder(tmp_path / "in", count=count, lines_each=10)
    out = tmp_path / "out"
    with spawned([sys.executable, "-m", "pipeline", "translate", str(tmp_path / "in"), "-o", str(out),
                  "--model", str(ROOT / "models" / "fixture-ar-en"), "-q", "--no-cache"]) as process:
        deadline = time.time() + 240
        while not list(out.glob("article-*.json")) and time.time() < deadline:  # the first group is written
            time.sleep(0.2)
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=240)
    assert process.returncode == 130, stderr
    assert "tarjama: stopping: what is translated is written" in stderr and "Traceback" not in stderr
    report = json.loads((out / "_batch.json").read_text(encoding="utf-8"))
    assert report["interrupted"] is True
    statuses = {f["input"]: f["status"] for f in report["files"]}
    done = [name for name, status in statuses.items() if status == "done"]
    not_done = [f for f in report["files"] if f["status"] == "failed"]
    assert done and not_done and len(statuses) == count + 1
    assert all(f["reason"] == "not done: the run was interrupted" for f in not_done)
    assert all(f"tarjama: failed: {f['input']}: not done" in stderr for f in not_done)
    for name in done:
        stem = name.rsplit(".", 1)[0]
        assert_nothing_lost(tmp_path / "in" / name, out / f"{stem}.json", out / f"{stem}.docx")


@pytest.mark.slow
def test_sigterm_stops_after_the_current_batch_as_ctrl_c_does(tmp_path):
    """`kill`, `timeout`, systemd and docker stop a run with SIGTERM; it killed the run outright,
    as a kill -9 does: the chunk being translated lost (minutes of a real model), no run report
    (the last run's left in its place), the articles not done named nowhere. SIGTERM to the whole
    process group, as a service manager sends it, now stops the run as the first Ctrl-C does."""
    articles_folder(tmp_path / "in", count=40, lines_each=24)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "pipeline", "translate", str(tmp_path / "in"), "-o", str(out),
               "--model", str(ROOT / "models" / "fixture-ar-en"), "-q"]
    with spawned(command) as process:
        deadline = time.time() + 240
        while not (out / ".tarjama" / "memory.sqlite").exists() and time.time() < deadline:
            time.sleep(0.05)
        os.killpg(process.pid, signal.SIGTERM)  # the run has started
        stdout, stderr = process.communicate(timeout=240)
    assert process.returncode == 130, stderr
    assert "tarjama: stopping: what is translated is written" in stderr and "Traceback" not in stderr
    report = json.loads((out / "_batch.json").read_text(encoding="utf-8"))
    assert report["interrupted"] is True and len(report["files"]) == 41
    not_done = [f["input"] for f in report["files"] if f["status"] == "failed"]
    assert not_done and all(f"tarjama: failed: {name}: not done: the run was interrupted" in stderr for name in not_done)
    final = run_process(command)
    assert final.returncode == 0, final.stderr
    for name, data in outputs(out).items():
        json.loads(data) if name.endswith(".json") else docx.Document(str(out / name))


SIGNALLED = """
import os, signal, sys, threading, time
from pipeline.cli.handlers import _stop_on_first_interrupt

stop = threading.Event()
with _stop_on_first_interrupt(stop):
    os.kill(os.getpid(), signal.SIGTERM)   # what `timeout` does: to the command …
    os.kill(os.getpid(), signal.SIGTERM)   # … and to its process group, which holds the command
    time.sleep(0.01)
    print("stopping" if stop.is_set() else "not asked", flush=True)
    time.sleep(0.5)
    os.kill(os.getpid(), signal.SIGINT)    # a second Ctrl-C, later: at once
    time.sleep(1)
    print("still running", flush=True)
"""


def test_timeouts_one_sigterm_delivered_twice_is_one_request_to_stop():
    """`timeout -s TERM 5 tarjama translate …` sends SIGTERM to tarjama and then to its process
    group: tarjama can get it twice, 0.1 ms apart, and took the second for a second Ctrl-C —
    «stopped at once», no run report, the articles not done named nowhere (3 runs in 25)."""
    result = run_process([sys.executable, "-c", SIGNALLED], cwd=ROOT)
    assert result.stdout.splitlines() == ["stopping"], result.stderr
    assert result.returncode == 130 and "stopped at once" in result.stderr
