"""The Ray executor: the model work of a run spread over a pool of actors.

Only the model work goes to Ray; the driver (the `tarjama translate` process) keeps everything
else, exactly as a local run does (the translate stage, the memory — so SQLite is never written
by several processes —, alignment, review and the writers). Work items are whole articles packed
so that items hold about the same number of new sentences; each actor loads the model once (CPU
or GPU per actor, from config) and translates the items it is given.

A worker that dies mid-item is replaced; its item, like one that raised, is retried on whichever
actor is free, up to `executor.max_retries` times; an item that keeps failing fails its articles,
and the rest finish.

Ray is an optional extra: `pip install "tarjama[ray]"`.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import time
from dataclasses import dataclass, field
from typing import Callable, Iterator

from ..config import Settings
from ..errors import ConfigError, Interrupted, TarjamaError
from .base import Translation


class WorkItemFailed(TarjamaError):
    """A work item failed on every attempt."""


class TranslatorActor:
    """A Ray actor: one model, loaded once, translating the items it is given."""

    def __init__(self, settings: dict, fingerprint: str, threads: int):
        from .loader import ModelHandle

        os.environ.setdefault("OMP_NUM_THREADS", str(threads))
        loaded = Settings.model_validate(settings)
        if loaded.model.backend == "transformers":
            import torch

            torch.set_num_threads(threads)
        self.handle = ModelHandle(loaded)
        if self.handle.fingerprint != fingerprint:
            raise RuntimeError(f"this worker's model differs from the driver's ({self.handle.fingerprint[:19]}… "
                               f"vs {fingerprint[:19]}…): give every node the same model files")
        self.translator = self.handle.translator()

    def translate(self, texts: list[str]) -> tuple[list[dict], float, int]:
        started = time.perf_counter()
        results = self.translator.translate(texts)
        return [dataclasses.asdict(r) for r in results], time.perf_counter() - started, os.getpid()


@dataclass
class WorkerStats:
    items: int = 0
    sentences: int = 0
    seconds: float = 0.0
    restarts: int = 0
    failures: int = 0
    pids: list[int] = field(default_factory=list)


class RayExecutor:
    """A pool of TranslatorActors with retries: the Executor of `executor.kind: ray`."""

    def __init__(self, settings: Settings, fingerprint: str, *, debug: bool = False):
        try:
            import ray
        except ImportError:
            raise ConfigError('executor.kind is "ray" but Ray is not installed: pip install "tarjama[ray]"') from None
        if not debug:
            # Ray's own notices ("Token authentication is enabled …") are not the user's business
            # unless they asked for debug output; its errors still show. (Set after the import,
            # which configures Ray's loggers.)
            logging.getLogger("ray").setLevel(logging.ERROR)
        self.ray = ray
        self.settings = settings
        self.fingerprint = fingerprint
        self.config = settings.executor
        self.actor_settings = self._actor_settings(settings)
        if not ray.is_initialized():
            options = {"address": self.config.ray_address} if self.config.ray_address else {
                "num_cpus": max(self.config.actors * self.config.cpus_per_actor, os.cpu_count() or 1),
                "include_dashboard": False}
            ray.init(log_to_driver=False, configure_logging=False, **options)
        self.remote = ray.remote(num_cpus=self.config.cpus_per_actor, num_gpus=self.config.gpus_per_actor,
                                 max_restarts=0, max_task_retries=0)(TranslatorActor)
        self.actors = [self._new_actor() for _ in range(self.config.actors)]
        self.stats = [WorkerStats() for _ in self.actors]

    def _actor_settings(self, settings: Settings) -> dict:
        """Each actor's own settings: its share of threads, its device."""
        data = settings.model_dump(mode="json")
        cpus = self.config.cpus_per_actor
        for backend in ("ctranslate2", "transformers"):
            data[backend].update(inter_threads=max(1, min(2, cpus)), intra_threads=max(1, cpus // 2))
        if self.config.gpus_per_actor == 0:
            data["model"]["device"] = "cpu"
        return data

    def _new_actor(self):
        return self.remote.remote(self.actor_settings, self.fingerprint, self.config.cpus_per_actor)

    def plan(self, needs: list[list[str]]) -> list[list[str]]:
        """Whole articles per item, balanced by their new sentences: two items per worker."""
        items = pack_items([sum(map(len, texts)) for texts in needs], 2 * len(self.actors))
        return [sorted((text for index in item for text in needs[index]), key=len, reverse=True)
                for item in items if any(needs[index] for index in item)]

    def run(self, items: list[list[str]], stop: Callable[[], bool]) -> Iterator[tuple[int, dict | Exception]]:
        """Translate work items on the pool; yields (item index, {text: Translation} or the error) as they finish."""
        ray = self.ray
        queue = list(range(len(items)))
        attempts = [0] * len(items)
        running: dict = {}  # object ref → (item, actor slot)
        idle = list(range(len(self.actors)))
        while queue or running:
            if stop():
                for ref in running:
                    try:
                        ray.cancel(ref)  # actor tasks cannot be forced; shutdown() kills the actors
                    except Exception:
                        pass
                raise Interrupted("stopped while items were running")
            while queue and idle:
                item, slot = queue.pop(0), idle.pop(0)
                attempts[item] += 1
                running[self.actors[slot].translate.remote(items[item])] = (item, slot)
            done, _ = ray.wait(list(running), num_returns=1, timeout=0.5)
            for ref in done:
                item, slot = running.pop(ref)
                try:
                    payload, seconds, pid = ray.get(ref)
                except (ray.exceptions.RayActorError, ray.exceptions.ActorDiedError,
                        ray.exceptions.WorkerCrashedError) as exc:
                    self._replace(slot)  # the worker died: a new one takes its place
                    idle.append(slot)
                    if attempts[item] <= self.config.max_retries:
                        queue.insert(0, item)
                    else:
                        yield item, WorkItemFailed(f"worker died {attempts[item]} times ({type(exc).__name__})")
                    continue
                except ray.exceptions.RayTaskError as exc:  # the item raised in the worker
                    self.stats[slot].failures += 1
                    idle.append(slot)
                    if attempts[item] <= self.config.max_retries:
                        queue.append(item)
                    else:
                        cause = exc.cause if getattr(exc, "cause", None) else exc
                        yield item, WorkItemFailed(f"{type(cause).__name__}: {str(cause).splitlines()[0][:200] if str(cause) else ''}")
                    continue
                idle.append(slot)
                stats = self.stats[slot]
                stats.items += 1
                stats.sentences += len(items[item])
                stats.seconds += seconds
                if pid not in stats.pids:
                    stats.pids.append(pid)
                yield item, {text: Translation(**result) for text, result in zip(items[item], payload)}

    def _replace(self, slot: int) -> None:
        try:
            self.ray.kill(self.actors[slot], no_restart=True)
        except Exception:
            pass
        self.actors[slot] = self._new_actor()
        self.stats[slot].restarts += 1

    def report(self) -> dict:
        return {"executor": "ray", "address": self.config.ray_address or "local",
                "workers": [{"worker": index, **dataclasses.asdict(stats)} for index, stats in enumerate(self.stats)]}

    def close(self) -> None:
        for actor in self.actors:
            try:
                self.ray.kill(actor, no_restart=True)
            except Exception:
                pass
        if not self.config.ray_address:
            self.ray.shutdown()


def pack_items(sizes: list[int], count: int) -> list[list[int]]:
    """Indices of `sizes` packed into at most `count` items of about equal total size
    (largest first, each into the lightest item), every index in exactly one item."""
    count = max(1, min(count, len(sizes)))
    items: list[list[int]] = [[] for _ in range(count)]
    totals = [0] * count
    for index in sorted(range(len(sizes)), key=lambda i: (-sizes[i], i)):
        lightest = totals.index(min(totals))
        items[lightest].append(index)
        totals[lightest] += sizes[index]
    return [sorted(item) for item in items if item]
