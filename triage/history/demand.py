"""When police requests arrive: the weekly demand curve and the published volumes.

One model of demand serves the synthetic history (when requests happen) and the load tests
(how fast to send them), so the two cannot drift apart. Calibrated to the published figures in
docs/REQUESTS.md:

- about 500,000 police requests a year to ambulance services in England and Wales
  (AACE and NPCC, 2015); the Metropolitan Police alone about 100,000 a year to the LAS;
- the busiest period is Thursday to Saturday, 18:30 to 06:30 (London Joint Response Unit);
- New Year's Eve night runs at 2 to 4 times a normal night.

The hourly shape inside a day is an assumption (no hourly police-request series is published):
lowest in the early morning, rising through the day, highest late in the evening and the
small hours, when intoxication and assaults peak.
It is stated here so that it can be checked and changed in one place.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

import numpy as np

#: Police requests for an ambulance per year, England and Wales (AACE and NPCC, 2015).
NATIONAL_REQUESTS_PER_YEAR = 500_000
#: Metropolitan Police calls to the London Ambulance Service per year (MPS and LAS, 2015).
LARGEST_FORCE_REQUESTS_PER_YEAR = 100_000
#: Ambulance 999 calls a day in England (over 9 million in 2014-15, rising ~6% a year): ~30,000.
NATIONAL_AMBULANCE_CALLS_PER_DAY = 30_000
SECONDS_PER_YEAR = 365 * 24 * 3600

#: Relative demand by hour of day (0..23) on an ordinary day, before the weekend-night uplift.
#: Assumption (see module docstring); normalised by :func:`relative_intensity`.
HOURLY_SHAPE: tuple[float, ...] = (
    1.45, 1.40, 1.30, 1.05, 0.85, 0.70, 0.50, 0.45, 0.55, 0.70, 0.75, 0.80,  # 00-11
    0.85, 0.85, 0.85, 0.90, 0.95, 1.00, 1.05, 1.15, 1.25, 1.35, 1.45, 1.50,  # 12-23
)
#: Thursday, Friday and Saturday nights 18:30 to 06:30: the busiest period.
WEEKEND_NIGHT_UPLIFT = 1.7
#: New Year's Eve night (31 Dec 18:30 to 1 Jan 06:30) against a normal night: 2 to 4 times.
NEW_YEARS_EVE_FACTOR = 3.4

_NIGHT_START_MIN = 18 * 60 + 30
_NIGHT_END_MIN = 6 * 60 + 30
_PEAK_NIGHT_STARTS = (3, 4, 5)  # Thursday, Friday, Saturday (Monday is 0)


def nights(weekday: np.ndarray, minute_of_day: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which moments are in a night (18:30 to 06:30), and which in a busiest (Thu-Sat) night.

    A night belongs to the day it started: 02:00 on Saturday is Friday night. ``weekday`` is 0
    for Monday; ``minute_of_day`` 0..1439.
    """
    evening = minute_of_day >= _NIGHT_START_MIN
    morning = minute_of_day < _NIGHT_END_MIN
    night_of = np.where(morning, (weekday - 1) % 7, weekday)
    night = evening | morning
    return night, night & np.isin(night_of, _PEAK_NIGHT_STARTS)


def new_years_eve_nights(
    month: np.ndarray, day: np.ndarray, minute_of_day: np.ndarray
) -> np.ndarray:
    """True from 31 December 18:30 to 1 January 06:30 (vectorised)."""
    return ((month == 12) & (day == 31) & (minute_of_day >= _NIGHT_START_MIN)) | (
        (month == 1) & (day == 1) & (minute_of_day < _NIGHT_END_MIN)
    )


def _raw_intensity(weekday: np.ndarray, minute: np.ndarray, nye_night: np.ndarray) -> np.ndarray:
    hourly = np.asarray(HOURLY_SHAPE)[np.clip(minute // 60, 0, 23)]
    night, peak_night = nights(weekday, minute)
    out = hourly * np.where(peak_night, WEEKEND_NIGHT_UPLIFT, 1.0)
    return np.where(nye_night & night, out * NEW_YEARS_EVE_FACTOR, out)


@lru_cache(maxsize=1)
def _weekly_mean() -> float:
    """Mean of the raw curve over an ordinary week (a constant: computed once, on first use)."""
    minutes = np.arange(7 * 24 * 60)
    weekday = minutes // (24 * 60)
    minute = minutes % (24 * 60)
    return float(_raw_intensity(weekday, minute, np.zeros_like(minute, dtype=bool)).mean())


def relative_intensity(
    weekday: np.ndarray, minute_of_day: np.ndarray, nye_night: np.ndarray | None = None
) -> np.ndarray:
    """Demand relative to the weekly mean (an ordinary week averages 1.0).

    ``weekday`` is 0 for Monday; ``minute_of_day`` 0..1439; ``nye_night`` marks minutes in the
    New Year's Eve night (31 Dec 18:30 to 1 Jan 06:30).
    """
    weekday = np.asarray(weekday)
    minute_of_day = np.asarray(minute_of_day)
    nye = np.zeros(np.shape(minute_of_day), dtype=bool) if nye_night is None else nye_night
    return _raw_intensity(weekday, minute_of_day, np.asarray(nye, dtype=bool)) / _weekly_mean()


def is_new_years_eve_night(ts: datetime) -> bool:
    """True from 31 December 18:30 to 1 January 06:30."""
    return bool(
        new_years_eve_nights(
            np.array([ts.month]), np.array([ts.day]), np.array([ts.hour * 60 + ts.minute])
        )[0]
    )


def intensity_at(ts: datetime) -> float:
    """Relative demand at one moment (1.0 is the weekly mean)."""
    minute = np.array([ts.hour * 60 + ts.minute])
    return float(
        relative_intensity(
            np.array([ts.weekday()]), minute, np.array([is_new_years_eve_night(ts)])
        )[0]
    )


def mean_rate_per_second(requests_per_year: float = LARGEST_FORCE_REQUESTS_PER_YEAR) -> float:
    """Average requests per second for a yearly volume."""
    return requests_per_year / SECONDS_PER_YEAR


def peak_intensity() -> float:
    """The highest relative demand of an ordinary week (a Friday or Saturday night hour)."""
    minutes = np.arange(7 * 24 * 60)
    return float(relative_intensity(minutes // 1440, minutes % 1440).max())
