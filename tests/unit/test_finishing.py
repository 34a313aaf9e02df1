"""The checks in a helper process (pipeline/finishing.py): the same outputs as in the run's own
process, and a helper that dies costs nothing but time. The model is a test double (the
helper never touches it: it finishes articles whose English is back)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pipeline import finishing
from pipeline.batch import BatchRunner
from pipeline.config import load_settings
from pipeline.finishing import MIN_ARTICLES, FinishPool
from pipeline.folders import discover

from ..helpers import DATA, DictionaryTranslator, sha256_tree


def articles(folder: Path) -> Path:
    """Eleven real articles: ten NTREX news articles and one with a spoken-Arabic quotation."""
    folder.mkdir()
    for path in sorted((DATA / "ntrex-dev" / "articles").glob("*.ar.txt"))[:10] + [DATA / "karabakh-dialect.ar.txt"]:
        shutil.copy(path, folder / path.name)
    return folder


def run(tmp_path: Path, name: str, helpers: int) -> tuple[dict, dict[str, str]]:
    config = tmp_path / "config.yaml"
    config.write_text("", encoding="utf-8")
    out = tmp_path / name
    report = BatchRunner(load_settings(config), DictionaryTranslator(), out, helpers=helpers).run(
        *discover([tmp_path / "in"]))
    outputs = {rel: digest for rel, digest in sha256_tree(out).items()
               if not rel.startswith((".tarjama", "_batch"))}  # the memory and the run's timings differ
    return report.to_dict(), outputs


def every_article_to_the_helper(monkeypatch, then=None) -> None:
    """Articles go to the helper once it is ready; the run does not wait for it. Here it
    waits, so that every article is the helper's and the test cannot pass without it."""
    def ready(self) -> bool:
        self.started.result()
        if then is not None:
            then(self)
        return True
    monkeypatch.setattr(FinishPool, "ready", ready)


@pytest.mark.parametrize("start", ["fork", "spawn"])
def test_a_helper_finishes_articles_exactly_as_the_run_itself(tmp_path, monkeypatch, start):
    articles(tmp_path / "in")
    assert len(list((tmp_path / "in").iterdir())) >= MIN_ARTICLES
    here, outputs_here = run(tmp_path, "here", helpers=0)
    every_article_to_the_helper(monkeypatch)
    monkeypatch.setattr(finishing, "start_method", lambda: start)
    there, outputs_there = run(tmp_path, "there", helpers=1)
    assert here["helpers"] == {} and there["helpers"] == {"processes": 1, "start": start, "articles": 11}
    assert there["totals"] == here["totals"] and there["totals"]["done"] == 11
    assert "dialect" in there["totals"]["by_code"] and "number_missing" in there["totals"]["by_code"]
    assert there["inconsistencies"] == here["inconsistencies"]
    assert len(outputs_there) == 22 and outputs_there == outputs_here  # every JSON and DOCX, byte for byte
    record = json.loads((tmp_path / "there" / "karabakh-dialect.ar.json").read_text(encoding="utf-8"))
    assert any(f["code"] == "dialect" for p in record["paragraphs"] for f in p["flags"])
    assert there["timings"]["checks"] > 0  # the helper's time is counted in the run's


def test_a_helper_is_forked_only_from_a_process_with_one_thread_and_no_model_library(monkeypatch):
    import sys
    import threading

    for name in ("torch", "ctranslate2"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    assert finishing.start_method() == "fork"
    monkeypatch.setitem(sys.modules, "ctranslate2", object())  # its thread pools would be copied half-way
    assert finishing.start_method() == "spawn"
    monkeypatch.delitem(sys.modules, "ctranslate2")
    monkeypatch.setattr(threading, "active_count", lambda: 2)  # another thread's locks would be copied held
    assert finishing.start_method() == "spawn"


def test_a_helper_that_dies_leaves_the_checks_to_the_run(tmp_path, monkeypatch, caplog):
    articles(tmp_path / "in")
    _, outputs_here = run(tmp_path, "here", helpers=0)
    killed = []

    def kill(pool: FinishPool) -> None:
        if not killed:  # the pool's processes: private, but the only way to kill one as the OOM killer would
            for process in pool.pool._processes.values():
                process.kill()
                process.join()
            killed.append(True)
    every_article_to_the_helper(monkeypatch, then=kill)
    there, outputs_there = run(tmp_path, "there", helpers=1)
    assert killed and there["totals"]["done"] == 11 and there["totals"]["failed"] == 0
    assert there["helpers"]["articles"] == 0
    assert outputs_there == outputs_here
    assert "helper process of the checks stopped" in caplog.text


def test_a_helper_leaves_when_its_run_is_killed(tmp_path):
    """SIGKILL gives the run no chance to stop its helper: the helper notices and leaves."""
    import os
    import signal
    import subprocess
    import sys
    import time

    script = tmp_path / "run.py"
    script.write_text(
        "import sys, time\n"
        "from pipeline.config import Settings\n"
        "from pipeline.finishing import FinishPool\n"
        "if __name__ == '__main__':\n"
        "    pool = FinishPool(Settings(), 1)\n"
        "    pool.started.result()\n"
        "    print(*pool.pool._processes, flush=True)\n"  # the helper's pid (private: only for this test)
        "    time.sleep(60)\n", encoding="utf-8")
    run = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True,
                           cwd=Path(finishing.__file__).parent.parent)
    try:
        helper = int(run.stdout.readline())
        os.kill(helper, 0)  # alive
        run.send_signal(signal.SIGKILL)
        run.wait(timeout=10)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                os.kill(helper, 0)
            except ProcessLookupError:
                break
            if _is_zombie(helper):
                break
            time.sleep(0.05)
        else:
            os.kill(helper, signal.SIGKILL)
            raise AssertionError("the helper outlived its run")
    finally:
        run.kill()


def _is_zombie(pid: int) -> bool:
    """Exited, not yet reaped (its parent, killed, is gone; init reaps it soon)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1].startswith("Z")
    except (OSError, IndexError):
        return True
