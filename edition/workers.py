"""Work spread over a pool of forked worker processes, one per core, its results handed back in order.

Workers are forked, so they share what the build has read (copy-on-write) and whatever was compiled before
the fork (schemas, stylesheets, templates): nothing but a number goes out to them, and only what they made
comes back. A small job, or a machine without `fork`, is done in the build's own process, by the same code.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import threading
from typing import Callable, Iterator, TypeVar

Result = TypeVar("Result")

# Below this many items, starting worker processes costs more than it saves.
PARALLEL_FROM = 64

# Items handed to a worker at a time, and the most results per worker that may wait for the build to take
# them: workers may run faster than the build takes what they made, and without a bound, the HTML of a large
# edition would pile up in memory (tens of gigabytes at 100,000 documents).
CHUNK = 4
IN_FLIGHT = 16

_forked: dict = {}  # the work, as each forked worker inherits it from the build
_in_worker = False


def in_worker() -> bool:
    """Whether this process is one of the pool's workers."""
    return _in_worker


def in_order(work: Callable[[int], Result], items: list[int], processes: int | None = None) -> Iterator[Result]:
    """`work(item)` for each item, in the items' order, each as soon as it is done: on a pool of forked
    workers (one per core unless `processes` says otherwise) when there are enough items, else here."""
    processes = processes or os.cpu_count() or 1
    if processes > 1 and len(items) >= PARALLEL_FROM and "fork" in mp.get_all_start_methods():
        return _in_workers(work, items, processes)
    return map(work, items)


def _in_workers(work: Callable[[int], Result], items: list[int], processes: int) -> Iterator[Result]:
    _forked["work"] = work
    window, stopped = threading.Semaphore(processes * IN_FLIGHT), threading.Event()

    def handed_out():  # read by the pool's own thread, which waits here while the window is full
        for item in items:
            while not window.acquire(timeout=0.1):
                if stopped.is_set():
                    return
            yield item

    try:
        with mp.get_context("fork").Pool(processes, initializer=_become_worker) as pool:
            try:
                for result in pool.imap(_forked_work, handed_out(), chunksize=CHUNK):
                    yield result
                    window.release()
            finally:  # before the pool is ended, which waits for its thread to stop waiting on the window
                stopped.set()
    finally:
        _forked.clear()


def _become_worker() -> None:
    global _in_worker
    _in_worker = True


def _forked_work(item: int):
    return _forked["work"](item)
