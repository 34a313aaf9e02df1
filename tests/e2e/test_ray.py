"""Distributed batch translation on a local Ray instance (loopback), with the fixture model."""

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.translate.base import FORCE_LENGTH_ENV
from pipeline.translate.ray import pack_items

from ..helpers import DATA, ROOT, SAMPLE_ARTICLE, assert_nothing_lost, run_cli, run_process, spawned

ray = pytest.importorskip("ray")
pytestmark = [pytest.mark.ray, pytest.mark.model]
MODEL = str(ROOT / "models" / "fixture-ar-en")
NTREX = sorted((DATA / "ntrex-dev" / "articles").glob("*.ar.txt"))
TATOEBA = [line.split("\t")[0] for line in (ROOT / "models" / "fixture-data" / "tatoeba.tsv")
           .read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]


def folder(root: Path, articles: int, lines: int) -> Path:
    rng = random.Random(11)
    (root / "in" / "nested").mkdir(parents=True)
    for number in range(articles):
        where = root / "in" / ("nested" if number % 3 == 0 else "")
        (where / f"article-{number:02d}.txt").write_text("\n".join(rng.sample(TATOEBA, lines)) + "\n", encoding="utf-8")
    shutil.copy(SAMPLE_ARTICLE, root / "in" / "karabakh.txt")
    return root / "in"


def translate(source: Path, out: Path, *extra: str, force_length_ratio: float | None = None) -> subprocess.CompletedProcess:
    """`tarjama translate`: a run on Ray in a process of its own (Ray's workers and its shutdown
    stay out of the test process), a local run in this process."""
    args = ["translate", str(source), "-o", str(out), "--model", MODEL, "-q", "--no-cache", *extra]
    if "--executor" not in extra:
        return run_cli(*args)
    forced = {FORCE_LENGTH_ENV: str(force_length_ratio)} if force_length_ratio else {}
    return run_process([sys.executable, "-m", "pipeline", *args], timeout=900,
                       env={**os.environ, "RAY_DISABLE_IMPORT_WARNING": "1", **forced})


def outputs(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and p.suffix in (".json", ".docx") and p.name != "_batch.json"}


def test_work_items_are_balanced_and_cover_every_article_once():
    sizes = [50, 10, 40, 30, 20, 10]
    items = pack_items(sizes, 3)
    assert sorted(i for item in items for i in item) == list(range(6))
    assert [sum(sizes[i] for i in item) for item in items] == [60, 50, 50]


def test_local_and_ray_give_identical_outputs_with_per_worker_report(tmp_path):
    source = folder(tmp_path, articles=4, lines=12)
    # News the fixture never saw, where its output loops to the length cap: a sentence's English
    # must not depend on which worker's batch it landed in.
    for article in NTREX[:2]:
        shutil.copy(article, source / article.name)
    local = translate(source, tmp_path / "local")
    assert local.returncode == 0, local.stderr
    distributed = translate(source, tmp_path / "ray", "--executor", "ray")
    assert distributed.returncode == 0, distributed.stderr
    assert outputs(tmp_path / "ray") == outputs(tmp_path / "local")        # byte-identical (dates pinned)
    assert distributed.stderr == ""                                         # none of Ray's own notices
    for name in outputs(tmp_path / "ray"):
        if name.endswith(".json"):
            stem = name[:-5]
            assert_nothing_lost(source / f"{stem}.txt", tmp_path / "ray" / name, tmp_path / "ray" / f"{stem}.docx")
    report = json.loads((tmp_path / "ray" / "_batch.json").read_text(encoding="utf-8"))
    workers = report["workers"]["workers"]
    assert report["workers"]["executor"] == "ray" and len(workers) == 2
    assert sum(w["items"] for w in workers) >= 2 and all(w["seconds"] >= 0 for w in workers)
    assert sum(w["sentences"] for w in workers) == report["translation"]["unique"]


def actor_processes() -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if b"TranslatorActor" in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                pass
    return found


def test_a_killed_worker_has_its_item_retried_and_the_batch_completes(tmp_path):
    source = folder(tmp_path, articles=16, lines=20)
    slow = ["--set", "translation.num_beams=16"]  # wide beams: items long enough to kill a worker mid-item
    reference = translate(source, tmp_path / "local", *slow)
    assert reference.returncode == 0, reference.stderr
    out = tmp_path / "ray"
    with spawned([sys.executable, "-m", "pipeline", "translate", str(source), "-o", str(out), "--model",
                  MODEL, "-q", "--no-cache", "--executor", "ray", *slow]) as process:
        deadline, killed = time.time() + 300, None
        while time.time() < deadline and process.poll() is None and killed is None:
            busy = actor_processes()
            if len(busy) >= 2 and list(out.rglob("article-*.json")):       # items are running: kill one worker
                killed = busy[0]
                os.kill(killed, signal.SIGKILL)
            time.sleep(0.2)
        stdout, stderr = process.communicate(timeout=600)
    assert killed is not None, "the run ended before a worker could be killed"
    assert process.returncode == 0, stderr
    assert outputs(out) == outputs(tmp_path / "local")
    report = json.loads((out / "_batch.json").read_text(encoding="utf-8"))
    assert sum(w["restarts"] for w in report["workers"]["workers"]) >= 1


def test_an_item_that_keeps_failing_fails_its_articles_and_the_rest_finish(tmp_path):
    source = folder(tmp_path, articles=5, lines=6)
    lines = SAMPLE_ARTICLE.read_text(encoding="utf-8").splitlines()
    words = lines[0].replace("وذلك", "وهذا").split()
    long_sentence = " ".join(words[:10] + lines[1].split()[:15] + words[10:])  # one sentence, 186 tokens
    (source / "poison.txt").write_text(long_sentence + "\n", encoding="utf-8")
    # Forced to 3 × its source tokens, poison.txt's sentence needs 558 decoder positions; Marian
    # has 512: its work item fails on every attempt. (The sample's longest, 149 tokens, needs 447.)
    result = translate(source, tmp_path / "ray", "--executor", "ray", "--set", "translation.max_new_tokens=4096",
                       "--set", "executor.max_retries=1", force_length_ratio=3)
    assert result.returncode == 1
    report = json.loads((tmp_path / "ray" / "_batch.json").read_text(encoding="utf-8"))
    files = {f["input"]: f for f in report["files"]}
    assert files["poison.txt"]["status"] == "failed"
    assert files["poison.txt"]["reason"].startswith("translation failed: IndexError")
    assert [name for name, f in files.items() if f["status"] != "done"] == ["poison.txt"]
    assert "tarjama: failed: poison.txt: translation failed:" in result.stderr
    assert sum(w["failures"] for w in report["workers"]["workers"]) == 2      # the first attempt and one retry


def test_ctrl_c_cancels_cleanly(tmp_path):
    source = folder(tmp_path, articles=16, lines=20)
    out = tmp_path / "ray"
    with spawned([sys.executable, "-m", "pipeline", "translate", str(source), "-o", str(out), "--model",
                  MODEL, "-q", "--no-cache", "--executor", "ray", "--set", "translation.num_beams=16"]) as process:
        deadline = time.time() + 120
        while len(actor_processes()) < 2 and time.time() < deadline:   # the pool is up and working
            time.sleep(0.2)
        time.sleep(2)
        ours = set(actor_processes())  # this run's workers (another run on the machine has its own)
        os.killpg(process.pid, signal.SIGINT)                           # Ctrl-C reaches the whole process group
        stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    report = json.loads((out / "_batch.json").read_text(encoding="utf-8"))
    assert report["interrupted"] is True
    assert all(f["status"] == "done" or f["reason"] == "not done: the run was interrupted" for f in report["files"])
    deadline = time.time() + 15  # a loaded machine takes a moment to reap them
    while ours & set(actor_processes()) and time.time() < deadline:
        time.sleep(0.2)
    assert ours and not ours & set(actor_processes())               # no worker of this run left behind
