"""Awaiting audit commits on the event loop, with one loop wake-up per committed group.

The store's writer thread commits queued writes in groups (``service.store``). A request that
awaited its commit through ``asyncio.wrap_future`` cost one ``call_soon_threadsafe`` (a write to
the loop's self-pipe and a loop wake-up) per request; a ``def`` route instead cost a threadpool
hop per request (two thread switches and a queue handoff). Here the writer's completions are
collected under a lock and handed to the loop in one call per burst: when the writer resolves a
group of 16 futures, the loop wakes once and resolves 16 awaiting requests.

Durability is unchanged: a request is resumed only after the writer resolved its own write's
future, which happens only after that write's transaction committed.
"""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import Future
from typing import Any


class CommitWaiter:
    """Bridges the writer thread's ``concurrent.futures.Future`` to one event loop."""

    __slots__ = ("_done", "_lock", "_loop", "_wake_pending")

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._lock = threading.Lock()
        self._done: list[tuple[Future[Any], asyncio.Future[Any]]] = []
        self._wake_pending = False

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        return self._loop

    def wrap(self, cf: Future[Any]) -> asyncio.Future[Any]:
        """An asyncio future (of this loop) that resolves like ``cf``; call on the loop."""
        af: asyncio.Future[Any] = self._loop.create_future()
        cf.add_done_callback(lambda f: self._completed(f, af))
        return af

    def _completed(self, cf: Future[Any], af: asyncio.Future[Any]) -> None:
        # Runs in the writer thread (or on the loop, if ``cf`` was already done).
        with self._lock:
            self._done.append((cf, af))
            if self._wake_pending:
                return
            self._wake_pending = True
        try:
            self._loop.call_soon_threadsafe(self._deliver)
        except RuntimeError:  # the loop is closed: nobody is waiting any more
            with self._lock:
                self._done.clear()
                self._wake_pending = False

    def _deliver(self) -> None:
        with self._lock:
            items, self._done = self._done, []
            self._wake_pending = False
        for cf, af in items:
            if af.done():  # cancelled (timeout or client gone)
                continue
            exc = cf.exception()
            if exc is not None:
                af.set_exception(exc)
            else:
                af.set_result(cf.result())


def waiter_for(holder: Any, attribute: str) -> CommitWaiter:
    """The ``CommitWaiter`` of the running loop kept on ``holder`` (made on first use, and
    again if the holder is used from another loop, as tests' clients do)."""
    loop = asyncio.get_running_loop()
    waiter: CommitWaiter | None = getattr(holder, attribute, None)
    if waiter is None or waiter.loop is not loop:
        waiter = CommitWaiter(loop)
        setattr(holder, attribute, waiter)
    return waiter
