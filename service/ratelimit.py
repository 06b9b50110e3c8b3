"""Per-key rate limits (OWASP API4): a sliding-window counter per key and limit, in memory.

Each API key is counted alone, by its NAME, after it is authenticated (an unknown key is refused
before it costs a count). One HTTP request is one hit: a batch of 1,000 counts once, so a CAD
system's batches are not throttled by their size. The limits come from ``TRIAGE_RATE_LIMIT``
(default ``100/second;3000/minute``, parsed by the ``limits`` library); over any of them the caller
gets 429 with ``Retry-After``. Counters live in the worker's memory: with ``--workers N`` each
worker counts alone (a key may get up to N times the limit in total), and a restart forgets them.

The counting is the ``limits`` library's sliding-window counter (the previous fixed window's count
weighted by how much of it still overlaps the sliding window, plus the current window's count),
kept here rather than in the library's ``MemoryStorage``. Why: that storage expires its counters
from a ``threading.Timer`` it starts again whenever the last one has finished, so under steady
traffic every handler's request paid for a new thread every 10 ms. Measured on 2026-12-02 (py-spy,
the product at ~500 requests/s): 6.9% of the serving thread's samples were in that scheduling,
and the two default limits cost 80 us of CPU a request. Here a key holds two integers per limit
and its window's number, so nothing needs expiring and memory stays bounded by the number of keys.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from limits import RateLimitItem, parse_many


@dataclass(slots=True)
class _Window:
    """One key's counts under one limit: the window it is in, its count, the previous one's."""

    index: int
    current: int
    previous: int


class SlidingWindowCounter:
    """``hit(name)``: count one hit for ``name`` if the limit allows it (True), else refuse it
    without counting (False). ``retry_after(name)``: seconds until a hit would be allowed."""

    def __init__(self, item: RateLimitItem, clock: Callable[[], float] = time.time) -> None:
        self.amount = int(item.amount)
        self.expiry = float(item.get_expiry())
        self._clock = clock
        self._windows: dict[str, _Window] = {}
        self._lock = threading.Lock()

    def _window(self, name: str, now: float) -> _Window:
        index = int(now // self.expiry)
        w = self._windows.get(name)
        if w is None:
            w = self._windows[name] = _Window(index, 0, 0)
        elif w.index != index:
            # the next window keeps the last one's count as "previous"; any later one, nothing
            w.previous = w.current if index == w.index + 1 else 0
            w.current = 0
            w.index = index
        return w

    def _weighted(self, w: _Window, now: float) -> float:
        overlap = 1.0 - (now % self.expiry) / self.expiry  # share of the previous window left
        return w.previous * overlap + w.current

    def hit(self, name: str) -> bool:
        with self._lock:
            now = self._clock()
            w = self._window(name, now)
            if math.floor(self._weighted(w, now)) + 1 > self.amount:
                return False
            w.current += 1
            return True

    def retry_after(self, name: str) -> float:
        """Seconds until the weighted count falls below the limit (0 if it already has)."""
        with self._lock:
            now = self._clock()
            w = self._window(name, now)
            into = now % self.expiry
            to_next = self.expiry - into
            # a hit is allowed while floor(weighted) + 1 <= amount, that is weighted < amount
            if w.current >= self.amount:
                # full on this window's own count: the next window starts with it as "previous"
                # at full weight, decaying; solve current * (1 - t / expiry) < amount
                return to_next + (1.0 - self.amount / w.current) * self.expiry
            if w.previous == 0:
                return 0.0
            # the previous window's weight decays linearly until this window ends
            target = (self.amount - w.current) / w.previous
            t = (1.0 - target) * self.expiry - into
            return min(max(0.0, t), to_next)


class KeyRateLimiter:
    """``check(name)``: None when the key may go on (and the request is counted), else the
    whole seconds to wait before it may."""

    def __init__(self, spec: str) -> None:
        self.spec = spec
        self.items: tuple[RateLimitItem, ...] = tuple(parse_many(spec))
        self._counters = tuple(SlidingWindowCounter(item) for item in self.items)

    def check(self, name: str) -> int | None:
        # A refused hit is not counted by that limit (it checks before it counts); the limits
        # before it in the spec have counted it, as the library did.
        for counter in self._counters:
            if not counter.hit(name):
                return max(1, math.ceil(counter.retry_after(name)))
        return None
