"""Load profiles from the published figures: how many user actions per second, and when.

A profile maps run time to offered actions per second. ``scale`` multiplies the real-world rate
of one force (the Metropolitan Police's ~100,000 requests a year to the LAS, the largest
published volume), so ``scale=1`` is real life and ``scale=100`` is a hundred times it. The
demand curve itself lives in :mod:`triage.history.demand`, shared with the synthetic history.

Kept free of locust imports so that profiles can be tested and printed on their own.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from triage.history import demand

#: Each simulated user performs one action every PACING_SECONDS on average, at Poisson times
#: (loadtests/arrivals.py), so users = rate x pacing. Ten seconds is a call handler's realistic
#: think time between reading one request and the next.
PACING_SECONDS = 10.0
#: Start of the compressed day in ``control-room-day``: a Friday morning, so that the run
#: contains a Thursday-to-Saturday night peak.
DAY_START = datetime(2026, 11, 20, 6, 30)
SPIKE_FACTOR = 5.0
#: Triage requests sent within one second by ``major-incident-burst`` (``--burst-size``).
DEFAULT_BURST_SIZE = 30


@dataclass(frozen=True)
class Profile:
    """A named load profile: ``intensity(fraction)`` is demand relative to the weekly mean at
    ``fraction`` (0..1) of the run."""

    name: str
    description: str
    intensity: Callable[[float], float]
    ramp_seconds: float = 5.0
    #: When (fraction of the run) a major incident's burst starts: ``--burst-size`` triage
    #: requests spread over the next second, on top of the Poisson arrivals. None: no burst.
    burst_at: float | None = None


def _control_room_day(fraction: float) -> float:
    from datetime import timedelta

    return demand.intensity_at(DAY_START + timedelta(hours=24 * fraction))


def _nye_surge(fraction: float) -> float:
    # New Year's Eve: the peak night hour times the published 2-4x factor, held for most of the
    # run with a short rise and fall either side.
    top = demand.peak_intensity() * demand.NEW_YEARS_EVE_FACTOR
    if fraction < 0.1:
        return top * (0.3 + 7 * fraction)
    if fraction > 0.9:
        return top * (0.3 + 7 * (1 - fraction))
    return top


def _spike(fraction: float) -> float:
    # A major incident: an ordinary evening, then five times the weekly peak at once.
    base = demand.peak_intensity()
    return base * SPIKE_FACTOR if 0.3 <= fraction < 0.5 else base


def _soak(fraction: float) -> float:
    return demand.peak_intensity()


PROFILES: dict[str, Profile] = {
    p.name: p
    for p in (
        Profile(
            "control-room-day",
            "24 hours (Friday 06:30 to Saturday 06:30) compressed into the run: the daily curve "
            "and the Friday night peak.",
            _control_room_day,
        ),
        Profile(
            "nye-surge",
            f"New Year's Eve night: {demand.NEW_YEARS_EVE_FACTOR:g} x the weekly peak, held.",
            _nye_surge,
        ),
        Profile(
            "spike",
            f"The weekly peak, then {SPIKE_FACTOR:g} x it at once for a fifth of the run.",
            _spike,
            ramp_seconds=0.5,
        ),
        Profile("soak", "The weekly peak held for the whole run (run it long).", _soak),
        Profile(
            "major-incident-burst",
            "The weekly peak, and at mid-run a major incident: --burst-size triage requests "
            "within one second.",
            _soak,
            burst_at=0.5,
        ),
    )
}


def get_profile(name: str) -> Profile:
    try:
        return PROFILES[name]
    except KeyError:
        raise ValueError(
            f"Unknown load profile {name!r}. Choose one of: {', '.join(PROFILES)}."
        ) from None


def offered_rate(profile: Profile, fraction: float, scale: float) -> float:
    """Actions per second the profile asks for at ``fraction`` of the run."""
    return demand.mean_rate_per_second() * scale * profile.intensity(fraction)


def users_for(rate: float) -> int:
    """Simulated users needed to offer ``rate`` actions per second (at least one)."""
    return max(1, math.ceil(rate * PACING_SECONDS - 1e-9))


def planned_actions(profile: Profile, scale: float, duration: float, step: float = 1.0) -> float:
    """Actions the profile's users will offer over the run (users are whole: rounded up)."""
    total = 0.0
    t = 0.0
    while t < duration:
        dt = min(step, duration - t)
        total += users_for(offered_rate(profile, t / duration, scale)) / PACING_SECONDS * dt
        t += dt
    return total
