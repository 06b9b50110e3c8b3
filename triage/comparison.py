"""Which candidate is served: the higher diversion at the target, unless the gap is noise.

The candidates (``triage.model``) are compared on the validation months by diversion at the
under-triage target, each with its own fitted ``DecisionPolicy``. A gap of a tenth of a point is
within what the validation sample alone moves: on 300,000 synthetic rows the linear candidate
won training random state 1 by 0.13 points of diversion (36.25% against 36.12%) and was served
with an ECE of 0.032 on another seed, against the boosted stack's 0.008, and failed the slice
rule on its test months (2026-12-03, ``benchmarks/measure_training_variance.py``). So the gap is
measured against its own noise: a paired bootstrap of the validation rows (each resample refits
both candidates' policies, slices included) gives the gap's standard error, and a gap within
``z`` standard errors is a tie (``TrainConfig.comparison_z`` and ``comparison_resamples``,
recorded in every manifest). A tie goes to the better calibrated candidate (lower ECE of
P(deploy)): the probability a handler reads should mean what it says, and with equal diversion
nothing is traded for it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from triage.policy import DecisionPolicy


@dataclass(frozen=True)
class Contender:
    """One candidate as the comparison sees it: its validation probabilities and figures."""

    kind: str
    proba: np.ndarray
    diversion: float
    ece_deploy: float


@dataclass(frozen=True)
class Choice:
    """The candidate chosen and why (``reason``: one sentence, for the log and the model card;
    ``gap_se`` NaN when no bootstrap ran: one candidate, or ``z`` 0)."""

    kind: str
    gap: float
    gap_se: float
    tie: bool
    reason: str


def diversion_gap_se(
    a: np.ndarray,
    b: np.ndarray,
    y: np.ndarray,
    target_under_triage: float,
    *,
    slices: Sequence[str | None] | None = None,
    slice_tolerance: float,
    resamples: int,
    random_state: int = 0,
    slice_tolerances: Mapping[str, float] | None = None,
) -> float:
    """Standard error of (diversion of ``a`` - diversion of ``b``) at the target, each policy
    refitted on every paired bootstrap resample of the validation rows."""
    if resamples < 2:
        raise ValueError(f"resamples must be at least 2. Got {resamples!r}.")
    n = y.shape[0]
    rng = np.random.default_rng(random_state)
    slice_array = None if slices is None else np.asarray(slices, dtype=object)
    gaps = np.empty(resamples, dtype=np.float64)
    for r in range(resamples):
        idx = rng.integers(0, n, n)
        s = None if slice_array is None else slice_array[idx].tolist()
        div = []
        for proba in (a, b):
            pa, ya = proba[idx], y[idx]
            policy = DecisionPolicy.fit(pa, ya, target_under_triage, slices=s,
                                        slice_tolerance=slice_tolerance,
                                        slice_tolerances=slice_tolerances)
            div.append(policy.valid_diversion)
        gaps[r] = div[0] - div[1]
    return float(np.std(gaps, ddof=1))


def choose(
    contenders: Sequence[Contender],
    y: np.ndarray,
    target_under_triage: float,
    *,
    slices: Sequence[str | None] | None = None,
    slice_tolerance: float,
    z: float,
    resamples: int,
    random_state: int = 0,
    slice_tolerances: Mapping[str, float] | None = None,
) -> Choice:
    """The higher-diversion contender, unless its lead over the runner-up is within ``z``
    standard errors; then the better calibrated of the two."""
    if not contenders:
        raise ValueError("There is no candidate to choose from.")
    ranked = sorted(contenders, key=lambda c: c.diversion, reverse=True)
    if len(ranked) == 1:
        only = ranked[0]
        return Choice(only.kind, 0.0, math.nan, False, f"{only.kind}: the only candidate")
    best, runner = ranked[0], ranked[1]
    gap = best.diversion - runner.diversion
    if z <= 0:
        return Choice(best.kind, gap, math.nan, False,
                      f"{best.kind}: diversion {gap:+.2%} over {runner.kind} (no noise allowance)")
    se = diversion_gap_se(best.proba, runner.proba, y, target_under_triage, slices=slices,
                          slice_tolerance=slice_tolerance, resamples=resamples,
                          random_state=random_state, slice_tolerances=slice_tolerances)
    if gap > z * se:
        return Choice(best.kind, gap, se, False,
                      f"{best.kind}: diversion {gap:+.2%} over {runner.kind} "
                      f"(more than {z:g} standard errors of {se:.2%})")
    calibrated = min((best, runner), key=lambda c: c.ece_deploy)
    other = runner if calibrated is best else best
    return Choice(calibrated.kind, gap, se, True,
                  f"{calibrated.kind}: diversion within {z:g} standard errors of {other.kind} "
                  f"({gap:+.2%}, standard error {se:.2%}), so the better calibrated "
                  f"(ECE of P(deploy) {calibrated.ece_deploy:.4f} against "
                  f"{other.ece_deploy:.4f})")
