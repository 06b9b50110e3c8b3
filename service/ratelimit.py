"""Per-key rate limits (OWASP API4), with the ``limits`` library's sliding-window counters.

Each API key is counted alone, by its NAME, after it is authenticated (an unknown key is refused
before it costs a count). One HTTP request is one hit: a batch of 1,000 counts once, so a CAD
system's batches are not throttled by their size. The limits come from ``TRIAGE_RATE_LIMIT``
(default ``100/second;3000/minute``); over any of them the caller gets 429 with ``Retry-After``.

Counters live in the worker's memory: with ``--workers N`` each worker counts alone (a key may
get up to N times the limit in total), and a restart forgets them.
"""

from __future__ import annotations

import math
import time

from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage
from limits.strategies import SlidingWindowCounterRateLimiter


class KeyRateLimiter:
    """``check(name)``: None when the key may go on (and the request is counted), else the
    whole seconds to wait before it may."""

    def __init__(self, spec: str) -> None:
        self.spec = spec
        self.items: tuple[RateLimitItem, ...] = tuple(parse_many(spec))
        self._limiter = SlidingWindowCounterRateLimiter(MemoryStorage())

    def check(self, name: str) -> int | None:
        # A refused hit is not counted by that limit (the library checks before it counts).
        for item in self.items:
            if not self._limiter.hit(item, name):
                return self._retry_after(item, name)
        return None

    def _retry_after(self, item: RateLimitItem, name: str) -> int:
        reset = self._limiter.get_window_stats(item, name).reset_time
        return max(1, math.ceil(reset - time.time()))
