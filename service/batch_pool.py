"""Batches scored off the event loop, on a bounded pool of their own.

A batch of 1,000 requests is tens of milliseconds of CPU: scored on the event loop it would hold
every single request, health check and metrics scrape behind it. ``BatchPool`` runs each batch
(``suggest_many`` and the building of its answers and audit rows) on its own threads,
``TRIAGE_BATCH_WORKERS`` at a time, with at most ``TRIAGE_BATCH_QUEUE`` more waiting; a batch
beyond that is refused at once with 503 and ``Retry-After`` (``BatchPoolFull``) instead of
queueing without bound. The pool is separate from the threadpool that the store and the reload
use, so batches never take their threads.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

__all__ = ["BatchPool", "BatchPoolFull"]

T = TypeVar("T")


class BatchPoolFull(RuntimeError):
    """Every worker is busy and the queue is full: the caller should retry later."""


class BatchPool:
    """At most ``workers`` batches run at once and ``queue`` more wait (see the module doc).

    Admission is counted on the event loop's thread (``run`` is called from coroutines only),
    so it needs no lock. Threads start on the first batch, not when the pool is made.
    """

    def __init__(self, workers: int, queue: int) -> None:
        if workers < 1 or queue < 0:
            raise ValueError(
                f"A batch pool needs workers >= 1 and queue >= 0. Got {workers}, {queue}."
            )
        self.workers = workers
        self.queue = queue
        self._admitted = 0
        self._executor = ThreadPoolExecutor(
            max_workers=workers, thread_name_prefix="triage-batch"
        )

    @property
    def admitted(self) -> int:
        """Batches running or waiting now."""
        return self._admitted

    async def run(self, fn: Callable[[], T]) -> T:
        """Run ``fn`` on a batch worker and return its result; ``BatchPoolFull`` when
        ``workers + queue`` batches are already admitted."""
        if self._admitted >= self.workers + self.queue:
            raise BatchPoolFull(
                f"{self._admitted} batches are running or waiting (at most "
                f"{self.workers} running and {self.queue} waiting)."
            )
        self._admitted += 1
        try:
            return await asyncio.get_running_loop().run_in_executor(self._executor, fn)
        finally:
            self._admitted -= 1

    def close(self) -> None:
        """Let running batches finish, start no new ones, and stop the threads."""
        self._executor.shutdown(wait=True, cancel_futures=True)
