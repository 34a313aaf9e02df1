"""The finish stage's checks in a helper process, so a batch uses a second core for them.

Finishing an article (house style on the English, alignment, the review checks) is pure CPU
work in Python: in one process it holds the interpreter lock while the same thread also builds
documents. When every sentence comes from the memory (`--force`), it was half of a re-run.
`FinishPool` runs it in `review.processes` helper processes (forked while the run has one
thread and no model library loaded, else spawned) while the run's own process builds the
documents of the articles before. The results are the same as in one process: the checks are
functions of the paragraph and their settings, which the helpers build from the same `Settings`.

A spawned helper takes about 0.4 s to start (it imports the checks), so a batch uses one only
from `MIN_ARTICLES` articles; the cross-article consistency check and the memory's fuzzy
matches stay in the run's process, which owns the batch and the memory.
"""

from __future__ import annotations

import atexit
import gc
import multiprocessing
import multiprocessing.connection
import os
import signal
import sys
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor

from .checks import Checker, check_document
from .align import align_document
from .config import Settings
from .model import Document
from .style import HouseStyle, load_style, post_edit

MIN_ARTICLES = 8  # fewer, and the helper's start-up costs more than it saves

_checker: Checker | None = None  # the helper's own, built once from the run's settings
_style: HouseStyle | None = None


def finish_here(document: Document, checker: Checker, style: HouseStyle) -> dict[str, float]:
    """House style, alignment and checks on one translated article, in place; the seconds
    each took (the run's stage timings)."""
    started = time.perf_counter()
    post_edit(document, style)
    align_document(document)
    aligned = time.perf_counter()
    check_document(document, checker)
    return {"align": aligned - started, "checks": time.perf_counter() - aligned}


class FinishPool:
    """Helper processes finishing articles; `submit` returns a future of (document, timings)."""

    def __init__(self, settings: Settings, processes: int):
        self.start_method = start_method()
        self.pool = ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context(self.start_method),
                                        initializer=_start, initargs=(settings, gc.get_threshold()))
        self.finished = 0  # articles whose finished copy came back (counted by the caller)
        self.broken = False  # a helper died: the caller finishes the rest itself
        # Started now; until they are ready (`ready`), the run finishes its articles itself.
        self.started = self.pool.submit(_ready)

    def ready(self) -> bool:
        return self.started.done()

    def submit(self, document: Document) -> Future:
        return self.pool.submit(_finish, document)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def start_method() -> str:
    """fork where nothing can be copied half-way: one thread, no model library loaded (their
    thread pools and locks). The helper is then ready at once, everything imported; spawned, it
    takes ~0.4 s to import the checks again."""
    if threading.active_count() == 1 and not {"torch", "ctranslate2"} & sys.modules.keys():
        return "fork"
    return "spawn"


def _start(settings: Settings, gc_threshold: tuple[int, ...]) -> None:
    global _checker, _style
    for asked in (signal.SIGINT, signal.SIGTERM):  # the run's to handle (a terminal's Ctrl-C, a group's SIGTERM):
        signal.signal(asked, signal.SIG_IGN)       # it stops after the current article, and the helper leaves with it
    gc.set_threshold(*gc_threshold)  # the run's own (cli/handlers.py), also when spawned
    atexit.register(os._exit, 0)  # nothing to flush: skip tearing the interpreter down (0.1 s the run waited for)
    # A run killed outright (SIGKILL, out of memory) never says goodbye: the helper leaves with it.
    threading.Thread(target=_leave_with_the_run, args=(multiprocessing.parent_process(),), daemon=True).start()
    _checker = Checker.from_settings(settings.review.checks, settings.review.glossary)
    _style = load_style(settings.style.rules)


def _leave_with_the_run(run) -> None:
    multiprocessing.connection.wait([run.sentinel])
    os._exit(0)


def _ready() -> None:
    return None


def _finish(document: Document) -> tuple[Document, dict[str, float]]:
    return document, finish_here(document, _checker, _style)
