"""When and where synthetic requests happen: forces, their ambulance trusts, and a year's rhythm.

Calibrated to the published figures in shared/spec/requests.md: the busiest period is Thursday
to Saturday, 18:30 to 06:30 (the London Joint Response Unit's hours); New Year's Eve night is
about three times a normal night; the MPS is the largest single source (about 100,000 calls a
year to the LAS).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import numpy as np

from triage.history import demand


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

BIN_SECONDS = 1800  # half-hour bins, so that 18:30 and 06:30 are bin edges

#: Time categories used to move the incident mix with time.
DAY, NIGHT, BUSY_NIGHT = 0, 1, 2


def _bin_weights(start: date, days: int) -> tuple[np.ndarray, np.ndarray]:
    """Relative intensity of each half-hour bin over the period, and its time category.

    The weekly shape, the busiest nights and New Year's Eve are :mod:`triage.history.demand`'s
    (shared with the load profiles); only a mild seasonal swing is added here.
    """
    b = np.arange(days * 48)
    day_index = b // 48
    minute = (b % 48) * (BIN_SECONDS // 60)
    dates = [date.fromordinal(start.toordinal() + k) for k in range(days)]
    weekday = np.array([d.weekday() for d in dates])[day_index]
    month = np.array([d.month for d in dates])[day_index]
    dom = np.array([d.day for d in dates])[day_index]
    nye = demand.new_years_eve_nights(month, dom, minute)
    w = demand.relative_intensity(weekday, minute, nye)
    # A mild seasonal swing: a little busier in summer evenings and in December.
    doy = np.array([d.timetuple().tm_yday for d in dates])
    season = 1.0 + 0.07 * np.cos(2 * np.pi * (doy - 190) / 365.25) + 0.05 * (doy > 334)
    w = w * season[day_index]
    night, busy = demand.nights(weekday, minute)
    category = np.where(busy, BUSY_NIGHT, np.where(night, NIGHT, DAY)).astype(np.int8)
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
