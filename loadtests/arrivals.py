"""When the simulated users send: an open workload, with arrivals like calls.

Real control-room requests arrive as a Poisson process: the gap to the next request does not
depend on how fast the last one was answered. A closed workload (each user waits for its answer,
then paces on a fixed tick from the same start) measures its own bursts instead: issue 12 found
locust's p50 5.6 times an independent probe's for that reason. Each simulated user therefore
carries an :class:`ArrivalClock`, a Poisson process of rate ``1 / mean_gap``:

- the first arrival comes an exponential gap after the user starts (a random phase: users that
  start together do not send together);
- arrival ``k + 1`` is scheduled from arrival ``k``'s *scheduled* time, never from when its
  answer came back, so the schedule is independent of response times. A user still waiting for
  an answer when its next arrival falls due sends it as soon as it is free (``held``: the
  answers are slower than the schedule allows); a user that slept and woke late was held by
  locust's own event loop (``late``: the generator is short of CPU). Both are recorded;
- ``n`` users, each a Poisson process of rate ``1 / mean_gap``, superpose to one Poisson process
  of rate ``n / mean_gap``, on one locust process or spread over several workers.

Kept free of locust imports so that the schedule can be tested on its own
(tests/test_loadtest_arrivals.py checks the inter-arrival distribution with a KS test).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

#: Lateness thresholds reported by the load test (seconds): an arrival that a sleeping user sent
#: this much after its scheduled time was held by locust's event loop (short of CPU).
LATE_THRESHOLDS_S = (0.010, 0.100)


class ArrivalClock:
    """One user's arrival schedule: a Poisson process of rate ``1 / mean_gap`` from ``start``."""

    def __init__(self, mean_gap: float, start: float, rng: random.Random) -> None:
        if mean_gap <= 0:
            raise ValueError(f"mean_gap must be positive. Got {mean_gap!r}.")
        self._rate = 1.0 / mean_gap
        self._rng = rng
        #: The scheduled time of the next arrival not yet sent.
        self.next_at = start + rng.expovariate(self._rate)

    def wait(self, now: float) -> float:
        """Seconds to sleep until the next arrival (0 when it is already due)."""
        return max(0.0, self.next_at - now)

    def send(self, now: float) -> float:
        """The user sends the due arrival at ``now``: returns its lateness (seconds after its
        scheduled time, 0 if on time) and schedules the next from the scheduled time."""
        lateness = max(0.0, now - self.next_at)
        self.next_at += self._rng.expovariate(self._rate)
        return lateness

    def overdue(self, now: float) -> int:
        """Arrivals scheduled at or before ``now`` and never sent (counted when a user stops:
        the load the generator owed and did not deliver). Advances the clock past ``now``."""
        count = 0
        while self.next_at <= now:
            count += 1
            self.next_at += self._rng.expovariate(self._rate)
        return count


@dataclass
class ArrivalStats:
    """What one locust process (or, summed, all of them) did with its arrivals. Additive, so
    workers send deltas to the master and the master sums them."""

    sent: int = 0
    overdue: int = 0
    #: Sent late because the same user was still waiting for its previous answer.
    held: int = 0
    #: Sent, then still waiting for an answer when the run stopped (counted as due and not done).
    cut_off: int = 0
    late: dict[str, int] = field(default_factory=lambda: {f"{t:g}": 0 for t in LATE_THRESHOLDS_S})
    lateness_max_s: float = 0.0
    lateness_sum_s: float = 0.0

    def record(self, lateness: float, held: bool = False) -> None:
        """One arrival sent ``lateness`` seconds after its time; ``held``: because its user was
        still busy with the previous one (else the user slept and its wake-up came late)."""
        self.sent += 1
        self.lateness_sum_s += lateness
        self.lateness_max_s = max(self.lateness_max_s, lateness)
        if held:
            self.held += 1
            return
        for threshold in LATE_THRESHOLDS_S:
            if lateness > threshold:
                self.late[f"{threshold:g}"] += 1

    def add(self, other: dict[str, Any]) -> None:
        """Add a delta produced by :meth:`take` (on another process)."""
        self.sent += int(other.get("sent", 0))
        self.overdue += int(other.get("overdue", 0))
        self.held += int(other.get("held", 0))
        self.cut_off += int(other.get("cut_off", 0))
        for key, value in dict(other.get("late", {})).items():
            self.late[key] = self.late.get(key, 0) + int(value)
        self.lateness_sum_s += float(other.get("lateness_sum_s", 0.0))
        self.lateness_max_s = max(self.lateness_max_s, float(other.get("lateness_max_s", 0.0)))

    def take(self) -> dict[str, Any]:
        """This process's figures since the last take, as a plain dict; resets them."""
        out: dict[str, Any] = {
            "sent": self.sent, "overdue": self.overdue, "held": self.held,
            "cut_off": self.cut_off, "late": dict(self.late),
            "lateness_max_s": self.lateness_max_s, "lateness_sum_s": self.lateness_sum_s,
        }
        self.sent = self.overdue = self.held = self.cut_off = 0
        self.late = {key: 0 for key in self.late}
        self.lateness_max_s = self.lateness_sum_s = 0.0
        return out

    def to_json(self) -> dict[str, Any]:
        due = self.sent + self.overdue
        return {
            "sent": self.sent, "overdue": self.overdue, "due": due, "held": self.held,
            "cut_off": self.cut_off,
            "late": dict(self.late),
            "lateness_max_s": self.lateness_max_s,
            "lateness_mean_s": self.lateness_sum_s / self.sent if self.sent else 0.0,
        }
