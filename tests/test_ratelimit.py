"""The per-key sliding-window counter (service.ratelimit): the ``limits`` library's algorithm,
counted in process without its storage's timer threads. Checked against the library itself on
random traffic, and on the cases a control room meets (a burst, the next window, Retry-After)."""

from __future__ import annotations

import random
import types

import pytest
from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import SlidingWindowCounterRateLimiter

from service.ratelimit import KeyRateLimiter, SlidingWindowCounter


class Clock:
    def __init__(self, t: float = 1_000_000.0) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


def test_a_burst_gets_exactly_the_limit_and_a_refused_hit_is_not_counted() -> None:
    clock = Clock(60.0 * 16_667)  # the start of a minute
    c = SlidingWindowCounter(parse("5/minute"), clock)
    assert [c.hit("desk-1") for _ in range(7)] == [True] * 5 + [False] * 2
    assert c.hit("desk-2"), "another key has its own count"
    clock.t += 60.0  # the next window: the 5 weigh fully at its start
    assert not c.hit("desk-1")
    clock.t += 30.0  # half of the previous window still overlaps: 5 x 0.5 = 2.5, and a hit is
    # allowed while floor(2.5 + this window's count) + 1 <= 5: three more
    assert [c.hit("desk-1") for _ in range(4)] == [True, True, True, False]
    clock.t += 120.0  # two windows on: forgotten
    assert [c.hit("desk-1") for _ in range(6)] == [True] * 5 + [False]


@pytest.mark.parametrize("spec", ["5/minute", "3/second", "10/10 seconds", "7/hour"])
def test_a_hit_after_retry_after_is_allowed_and_one_well_before_is_not(spec: str) -> None:
    rng = random.Random(spec)
    item = parse(spec)
    expiry = item.get_expiry()
    for _ in range(200):
        clock = Clock(1_000_000.0 + rng.random() * expiry)
        c = SlidingWindowCounter(item, clock)
        while True:  # fill, with gaps, until refused
            clock.t += rng.random() * expiry / item.amount
            if not c.hit("k"):
                break
        wait = c.retry_after("k")
        assert 0.0 < wait <= 2 * expiry
        start = clock.t
        if wait > 0.02 * expiry:
            clock.t = start + wait - 0.01 * expiry
            assert not c.hit("k"), (spec, wait)
        clock.t = start + wait + 1e-6
        assert c.hit("k"), (spec, wait)


def test_it_allows_and_refuses_exactly_what_the_limits_library_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = Clock()
    fake_time = types.SimpleNamespace(time=clock)
    import limits.storage.memory as memory_module
    import limits.strategies as strategies_module

    monkeypatch.setattr(memory_module, "time", fake_time)
    monkeypatch.setattr(strategies_module, "time", fake_time)
    rng = random.Random(14)
    for spec in ("5/second", "10/minute", "3/10 seconds"):
        item = parse(spec)
        ours = SlidingWindowCounter(item, clock)
        theirs = SlidingWindowCounterRateLimiter(MemoryStorage())
        names = ["desk-1", "desk-2", "cad"]
        for _ in range(3_000):
            clock.t += rng.expovariate(item.amount * 1.5 / item.get_expiry())
            name = rng.choice(names)
            assert ours.hit(name) == theirs.hit(item, name), (spec, clock.t, name)


def test_key_rate_limiter_counts_every_limit_and_answers_whole_seconds() -> None:
    limiter = KeyRateLimiter("2/second;3/minute")
    assert [limiter.check("a") for _ in range(2)] == [None, None]
    wait = limiter.check("a")
    assert wait is not None and wait >= 1
    assert limiter.check("b") is None, "another key has its own count"
