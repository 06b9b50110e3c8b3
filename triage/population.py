"""Input drift: how far live requests have moved from the training data, field by field.

Each monitored field of a request is put in a bin (its value for the enumerated fields and
``officer_on_scene``; a band for ``age`` and for the narrative's length in words), with a bin of
its own for "not given", so a field that goes missing more often drifts too. The training
data's share of each bin (``profile_frame``) is stored in the model's manifest at training time
(``input_profile``). Live requests are compared with it by the population stability index:

    PSI = sum over bins of (actual share - expected share) * ln(actual share / expected share)

with both shares floored at ``PSI_FLOOR`` so that an empty bin does not make it infinite. The
usual reading (a rule of thumb from credit scoring, e.g. Siddiqi, *Credit Risk Scorecards*,
2006): below 0.1 no meaningful shift, 0.1 to 0.25 a moderate shift, above 0.25 a major shift.
``RollingDrift`` keeps the last N requests' bins and gives the PSI of each field over them.
"""

from __future__ import annotations

import math
import threading
from collections import Counter, deque
from collections.abc import Iterable, Mapping
from typing import Any

import polars as pl

from triage.schema import TriageRequest, enum_fields

PSI_MODERATE = 0.1
PSI_MAJOR = 0.25
#: Shares below this count as this (an empty bin would make the PSI infinite).
PSI_FLOOR = 1e-4
MISSING = "not given"
#: Upper bounds (inclusive) of the age bands, and of the narrative-length bands (words).
AGE_BANDS: tuple[tuple[int, str], ...] = (
    (17, "0-17"), (39, "18-39"), (64, "40-64"), (79, "65-79"), (120, "80+"))
WORD_BANDS: tuple[tuple[int, str], ...] = (
    (5, "1-5 words"), (10, "6-10 words"), (20, "11-20 words"), (35, "21-35 words"),
    (60, "36-60 words"), (10**9, "over 60 words"))
#: The monitored fields, in the order reports show them.
CATEGORICAL_FIELDS: tuple[str, ...] = (
    "incident_type", "sex", "conscious", "breathing", "bleeding", "officer_on_scene",
    "location_type")
DRIFT_FIELDS: tuple[str, ...] = (*CATEGORICAL_FIELDS, "age", "narrative_length")
PROFILE_FORMAT = 1


def _band(value: int, bands: tuple[tuple[int, str], ...]) -> str:
    for upper, label in bands:
        if value <= upper:
            return label
    return bands[-1][1]


def _value(value: Any) -> str:
    if value is None:
        return MISSING
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(getattr(value, "value", value))


def bins_of(request: TriageRequest | Mapping[str, Any]) -> dict[str, str]:
    """The bin of every monitored field of one request."""
    get = request.get if isinstance(request, Mapping) else (
        lambda name, default=None: getattr(request, name, default))
    out = {f: _value(get(f, None)) for f in CATEGORICAL_FIELDS}
    age = get("age", None)
    out["age"] = MISSING if age is None else _band(int(age), AGE_BANDS)
    narrative = get("narrative", None)
    out["narrative_length"] = (MISSING if not narrative
                               else _band(len(str(narrative).split()), WORD_BANDS))
    return out


def _frame_bins(frame: pl.DataFrame) -> pl.DataFrame:
    exprs = []
    for f in CATEGORICAL_FIELDS:
        if f not in frame.columns:
            exprs.append(pl.lit(MISSING).alias(f))
        elif frame.schema[f] == pl.Boolean:
            exprs.append(pl.when(pl.col(f).is_null()).then(pl.lit(MISSING))
                         .when(pl.col(f)).then(pl.lit("yes")).otherwise(pl.lit("no")).alias(f))
        else:
            exprs.append(pl.col(f).cast(pl.String).fill_null(MISSING).alias(f))

    def banded(col: pl.Expr, bands: tuple[tuple[int, str], ...]) -> pl.Expr:
        expr: Any = pl.lit(bands[-1][1])
        for upper, label in reversed(bands[:-1]):
            expr = pl.when(col <= upper).then(pl.lit(label)).otherwise(expr)
        return expr

    age = pl.col("age") if "age" in frame.columns else pl.lit(None, dtype=pl.Int64)
    exprs.append(pl.when(age.is_null()).then(pl.lit(MISSING))
                 .otherwise(banded(age, AGE_BANDS)).alias("age"))
    words = pl.col("narrative").cast(pl.String).str.split(" ").list.eval(
        pl.element().filter(pl.element() != "")).list.len()
    exprs.append(pl.when(pl.col("narrative").is_null() | (words == 0)).then(pl.lit(MISSING))
                 .otherwise(banded(words, WORD_BANDS)).alias("narrative_length"))
    return frame.select(exprs)


def profile_frame(frame: pl.DataFrame) -> dict[str, Any]:
    """The share of each bin of each monitored field in ``frame`` (stored in the manifest)."""
    if frame.height == 0:
        raise ValueError("cannot profile an empty frame")
    if "narrative" not in frame.columns:
        raise ValueError("cannot profile requests without a 'narrative' column")
    binned = _frame_bins(frame)
    fields: dict[str, dict[str, float]] = {}
    for f in DRIFT_FIELDS:
        counts = binned[f].value_counts()
        fields[f] = {str(k): int(c) / frame.height
                     for k, c in sorted(counts.iter_rows(), key=lambda r: str(r[0]))}
    return {"format": PROFILE_FORMAT, "rows": frame.height, "fields": fields,
            "method": "share of each bin; 'not given' is a bin of its own"}


def psi(expected: Mapping[str, float], actual: Mapping[str, int] | Counter[str]) -> float:
    """The population stability index of ``actual`` counts against ``expected`` shares."""
    total = sum(actual.values())
    if total <= 0:
        raise ValueError("no observations to compare")
    value = 0.0
    for b in set(expected) | set(actual):
        e = max(float(expected.get(b, 0.0)), PSI_FLOOR)
        a = max(actual.get(b, 0) / total, PSI_FLOOR)
        value += (a - e) * math.log(a / e)
    return value


def level(value: float) -> str:
    """``stable``, ``moderate`` or ``major`` for a PSI."""
    if value >= PSI_MAJOR:
        return "major"
    if value >= PSI_MODERATE:
        return "moderate"
    return "stable"


def biggest_changes(expected: Mapping[str, float], actual: Mapping[str, int],
                    top: int = 3) -> list[dict[str, Any]]:
    """The bins whose share moved most, largest first: ``{bin, expected, actual}``."""
    total = sum(actual.values()) or 1
    rows: list[dict[str, Any]] = [
        {"bin": b, "expected": float(expected.get(b, 0.0)), "actual": actual.get(b, 0) / total}
        for b in set(expected) | set(actual)]
    rows.sort(key=lambda r: -abs(float(r["actual"]) - float(r["expected"])))
    return rows[:top]


def drift_report(profile: Mapping[str, Any], binned: Iterable[Mapping[str, str]]
                 ) -> dict[str, dict[str, Any]]:
    """PSI, level and biggest changes of every profiled field over ``binned`` requests."""
    counts: dict[str, Counter[str]] = {f: Counter() for f in profile["fields"]}
    for row in binned:
        for f, c in counts.items():
            c[row.get(f, MISSING)] += 1
    out = {}
    for f, expected in profile["fields"].items():
        if not counts[f]:
            continue
        value = psi(expected, counts[f])
        out[f] = {"psi": value, "level": level(value),
                  "changes": biggest_changes(expected, counts[f])}
    return out


def check_profile(profile: Any) -> dict[str, Any]:
    """``profile`` if it is an input profile this code reads, else ValueError saying why."""
    if not isinstance(profile, dict) or not isinstance(profile.get("fields"), dict):
        raise ValueError("the input profile has no 'fields' mapping")
    if profile.get("format") != PROFILE_FORMAT:
        raise ValueError(f"input profile format {profile.get('format')!r}; this code reads "
                         f"{PROFILE_FORMAT}")
    return profile


class RollingDrift:
    """The PSI of each monitored field over the last ``window`` requests (thread-safe)."""

    def __init__(self, profile: Mapping[str, Any], window: int, min_requests: int) -> None:
        self.profile = check_profile(dict(profile))
        self.window = window
        self.min_requests = min(min_requests, window)
        self._fields = tuple(self.profile["fields"])
        self._recent: deque[dict[str, str]] = deque()
        self._counts: dict[str, Counter[str]] = {f: Counter() for f in self._fields}
        self._lock = threading.Lock()

    def observe(self, request: TriageRequest) -> None:
        bins = bins_of(request)
        with self._lock:
            self._recent.append(bins)
            for f in self._fields:
                self._counts[f][bins.get(f, MISSING)] += 1
            if len(self._recent) > self.window:
                old = self._recent.popleft()
                for f in self._fields:
                    b = old.get(f, MISSING)
                    self._counts[f][b] -= 1
                    if not self._counts[f][b]:
                        del self._counts[f][b]

    def __len__(self) -> int:
        return len(self._recent)

    def psi_by_field(self) -> dict[str, float] | None:
        """Each field's PSI over the window; None until it holds ``min_requests``."""
        with self._lock:
            if len(self._recent) < self.min_requests:
                return None
            counts = {f: Counter(c) for f, c in self._counts.items()}
        return {f: psi(self.profile["fields"][f], counts[f]) for f in self._fields}


def known_values() -> dict[str, list[str]]:
    """Every value each enumerated monitored field can take (for documentation and tests)."""
    enums = enum_fields(TriageRequest)
    return {f: [m.value for m in enums[f]] for f in CATEGORICAL_FIELDS if f in enums}
