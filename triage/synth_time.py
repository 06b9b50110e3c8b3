"""When and where synthetic requests happen: forces, their ambulance trusts, and a year's rhythm.

Calibrated to the published figures in shared/spec/requests.md: the busiest period is Thursday
to Saturday, 18:30 to 06:30 (the London Joint Response Unit's hours); New Year's Eve night is
about three times a normal night; the MPS is the largest single source (about 100,000 calls a
year to the LAS).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np

from triage import demand


@dataclass(frozen=True)
class Force:
    """A police force, its ambulance trust, its share of the volume and its case-mix lean.

    ``lean`` multiplies the weight of scenarios whose most likely disposition is
    (hear_and_treat, clinical_advice, deploy): Merseyside's hear-and-treat desk (42% published)
    leans to hear_and_treat; Greater Manchester's clinicians in the police command centre lean
    to clinical advice. The lean changes which cases a force sees, never the odds of a given
    case: force is not a model input, so the odds must not depend on it.
    """

    code: str
    name: str
    trust: str
    volume: float
    lean: tuple[float, float, float]


FORCES: tuple[Force, ...] = (
    Force("MPS", "Metropolitan Police Service", "London Ambulance Service", 30.0,
          (1.10, 1.05, 0.92)),
    Force("MER", "Merseyside Police", "North West Ambulance Service", 6.0, (1.35, 0.85, 0.92)),
    Force("GMP", "Greater Manchester Police", "North West Ambulance Service", 12.0,
          (0.95, 1.30, 0.95)),
    Force("LAN", "Lancashire Constabulary", "North West Ambulance Service", 6.0,
          (1.0, 1.1, 1.0)),
    Force("WMP", "West Midlands Police", "West Midlands Ambulance Service", 12.0,
          (0.95, 1.0, 1.10)),
    Force("WYP", "West Yorkshire Police", "Yorkshire Ambulance Service", 9.0, (0.95, 0.95, 1.12)),
    Force("SYP", "South Yorkshire Police", "Yorkshire Ambulance Service", 5.0, (1.0, 0.9, 1.12)),
    Force("TVP", "Thames Valley Police", "South Central Ambulance Service", 8.0, (1.05, 1.0, 1.0)),
    Force("ASP", "Avon and Somerset Constabulary", "South Western Ambulance Service", 6.0,
          (1.0, 1.0, 1.05)),
    Force("SWP", "South Wales Police", "Welsh Ambulance Service", 5.0, (0.9, 1.0, 1.18)),
    Force("NOR", "Northumbria Police", "North East Ambulance Service", 5.0, (1.0, 1.05, 1.0)),
)

#: The demand curve is shared with the load profiles: see triage/demand.py.
HOUR_PROFILE = demand.HOURLY_SHAPE
BUSY_NIGHT_FACTOR = demand.WEEKEND_NIGHT_UPLIFT
NYE_FACTOR = demand.NEW_YEARS_EVE_FACTOR

BIN_SECONDS = 1800  # half-hour bins, so that 18:30 and 06:30 are bin edges
_NIGHT_START_BIN = 37  # 18:30
_NIGHT_END_BIN = 13  # 06:30

#: Time categories used to move the incident mix with time.
DAY, NIGHT, BUSY_NIGHT = 0, 1, 2


def night_of(bins_of_day: np.ndarray, day_index: np.ndarray) -> np.ndarray:
    """Index of the day whose night (18:30 to 06:30) a half-hour bin belongs to; -9999 if day."""
    out = np.full(bins_of_day.shape, -9999, dtype=np.int64)
    evening = bins_of_day >= _NIGHT_START_BIN
    morning = bins_of_day < _NIGHT_END_BIN
    out[evening] = day_index[evening]
    out[morning] = day_index[morning] - 1
    return out


def _bin_weights(start: date, days: int) -> tuple[np.ndarray, np.ndarray]:
    """Relative intensity of each half-hour bin over the period, and its time category."""
    n = days * 48
    b = np.arange(n)
    day_index = b // 48
    bin_of_day = b % 48
    w = np.asarray(HOUR_PROFILE)[bin_of_day // 2].copy()
    nights = night_of(bin_of_day, day_index)
    is_night = nights != -9999
    start_ord = start.toordinal()
    # weekday() of the evening that starts the night: Thu=3, Fri=4, Sat=5
    night_weekday = (start_ord + nights - 1) % 7  # date.fromordinal(1) is a Monday
    busy = is_night & np.isin(night_weekday, (3, 4, 5))
    w[busy] *= BUSY_NIGHT_FACTOR
    # New Year's Eve: the night that starts on 31 December.
    night_dates_md = np.array(
        [(d.month, d.day) for d in (date.fromordinal(start_ord + k) for k in range(-1, days))]
    )
    nye_nights = np.flatnonzero((night_dates_md[:, 0] == 12) & (night_dates_md[:, 1] == 31)) - 1
    w[is_night & np.isin(nights, nye_nights)] *= NYE_FACTOR
    # A mild seasonal swing: a little busier in summer evenings and in December.
    doy = np.array([date.fromordinal(start_ord + int(k)).timetuple().tm_yday for k in range(days)])
    season = 1.0 + 0.07 * np.cos(2 * np.pi * (doy - 190) / 365.25) + 0.05 * (doy > 334)
    w *= season[day_index]
    category = np.where(busy, BUSY_NIGHT, np.where(is_night, NIGHT, DAY)).astype(np.int8)
    return w / w.sum(), category


def sample_times(
    rng: np.random.Generator, n: int, start: date, days: int
) -> tuple[np.ndarray, np.ndarray]:
    """``n`` timestamps (datetime64[us]) over the period, and each one's time category."""
    weights, category = _bin_weights(start, days)
    bins = rng.choice(weights.size, size=n, p=weights)
    seconds = bins.astype(np.int64) * BIN_SECONDS + rng.integers(0, BIN_SECONDS, n)
    origin = np.datetime64(datetime.combine(start, datetime.min.time()), "us")
    stamps = origin + seconds.astype("timedelta64[s]").astype("timedelta64[us]")
    return stamps, category[bins]


def period_end(start: date, days: int) -> date:
    return start + timedelta(days=days)
