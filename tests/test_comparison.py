"""The candidate comparison: a clear diversion lead wins, a lead within the noise goes to the
better calibrated candidate. Probabilities are SYNTHETIC (seeded random draws)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from triage.comparison import Contender, choose, diversion_gap_se
from triage.policy import DecisionPolicy
from triage.schema import DEPLOY_INDEX

N = 6_000


def _world(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Labels and a reasonable model's probabilities: P(deploy) rises with a hidden score."""
    rng = np.random.default_rng(seed)
    score = rng.normal(size=N)
    p_deploy = 1.0 / (1.0 + np.exp(-(2.5 * score - 0.8)))
    y = np.where(rng.random(N) < p_deploy, DEPLOY_INDEX, rng.integers(0, 2, N))
    return y, _proba(p_deploy)


def _proba(p_deploy: np.ndarray) -> np.ndarray:
    rest = (1.0 - p_deploy) / 2.0
    out = np.column_stack([rest, rest, rest])
    out[:, DEPLOY_INDEX] = p_deploy
    return out


def _contender(kind: str, proba: np.ndarray, y: np.ndarray, ece: float) -> Contender:
    policy = DecisionPolicy.fit(proba, y, 0.02)
    return Contender(kind, proba, policy.valid_diversion, ece)


def _blurred(proba: np.ndarray, scale: float, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    logit = np.log(proba[:, DEPLOY_INDEX] / (1 - proba[:, DEPLOY_INDEX]))
    return _proba(1.0 / (1.0 + np.exp(-(logit + rng.normal(scale=scale, size=logit.shape)))))


def test_a_clear_lead_wins_whatever_the_calibration() -> None:
    y, sharp = _world()
    blurred = _blurred(sharp, 1.5, seed=1)  # a much worse ranking: far less diversion
    a = _contender("sharp", sharp, y, ece=0.05)
    b = _contender("blurred", blurred, y, ece=0.001)
    assert a.diversion > b.diversion + 0.03
    choice = choose([b, a], y, 0.02, slice_tolerance=0.02, z=2.0, resamples=30)
    assert choice.kind == "sharp" and not choice.tie
    assert choice.gap > 2.0 * choice.gap_se > 0
    assert "more than 2 standard errors" in choice.reason


def test_a_lead_within_the_noise_goes_to_the_better_calibrated() -> None:
    y, sharp = _world()
    nudged = _blurred(sharp, 0.05, seed=2)  # nearly the same model
    a = _contender("first", sharp, y, ece=0.03)
    b = _contender("second", nudged, y, ece=0.01)
    choice = choose([a, b], y, 0.02, slice_tolerance=0.02, z=2.0, resamples=30)
    assert abs(choice.gap) <= 2.0 * choice.gap_se
    assert choice.tie and choice.kind == "second"
    assert "better calibrated" in choice.reason
    # the same contenders with the calibration the other way round: the other one
    a2, b2 = Contender("first", sharp, a.diversion, 0.01), Contender("second", nudged,
                                                                      b.diversion, 0.03)
    assert choose([a2, b2], y, 0.02, slice_tolerance=0.02, z=2.0, resamples=30).kind == "first"


def test_z_zero_restores_the_plain_diversion_comparison() -> None:
    y, sharp = _world()
    nudged = _blurred(sharp, 0.05, seed=2)
    a, b = _contender("first", sharp, y, 0.03), _contender("second", nudged, y, 0.01)
    higher = max((a, b), key=lambda c: c.diversion).kind
    assert a.diversion != b.diversion
    assert choose([a, b], y, 0.02, slice_tolerance=0.02, z=0.0, resamples=30).kind == higher


def test_the_standard_error_is_repeatable_and_shrinks_with_more_rows() -> None:
    y, sharp = _world()
    nudged = _blurred(sharp, 0.3, seed=3)
    se = diversion_gap_se(sharp, nudged, y, 0.02, slice_tolerance=0.02, resamples=40)
    assert se == diversion_gap_se(sharp, nudged, y, 0.02, slice_tolerance=0.02, resamples=40)
    assert se > 0
    half = N // 4
    se_small = diversion_gap_se(sharp[:half], nudged[:half], y[:half], 0.02,
                                slice_tolerance=0.02, resamples=40)
    assert se_small > se


def test_slices_are_refitted_in_every_resample() -> None:
    """With a slice the policy lowers, each resample refits its threshold: the standard error
    is not the one measured without slices."""
    y, sharp = _world()
    rng = np.random.default_rng(7)
    hard = rng.random(N) < 0.3
    # the 'hard' slice's deploys score lower: one global threshold misses most of them
    dulled = sharp.copy()
    dulled[hard & (y == DEPLOY_INDEX), DEPLOY_INDEX] *= 0.3
    slices = np.where(hard, "hard", None).tolist()
    nudged = _blurred(dulled, 0.3, seed=4)
    lowered = DecisionPolicy.fit(dulled, y, 0.02, slices=slices, slice_tolerance=0.0)
    assert "hard" in lowered.slice_thresholds  # the slice does get its own threshold
    with_slices = diversion_gap_se(dulled, nudged, y, 0.02, slices=slices, slice_tolerance=0.0,
                                   resamples=30)
    without = diversion_gap_se(dulled, nudged, y, 0.02, slice_tolerance=0.0, resamples=30)
    assert with_slices > 0 and with_slices != without


def test_one_candidate_is_chosen_without_a_bootstrap_and_none_is_refused() -> None:
    y, sharp = _world()
    only = _contender("only", sharp, y, 0.02)
    choice = choose([only], y, 0.02, slice_tolerance=0.02, z=2.0, resamples=30)
    assert (choice.kind, choice.tie) == ("only", False)
    assert math.isnan(choice.gap_se)  # no bootstrap ran
    with pytest.raises(ValueError, match="no candidate"):
        choose([], y, 0.02, slice_tolerance=0.02, z=2.0, resamples=30)
    with pytest.raises(ValueError, match=r"resamples must be at least 2\. Got 1"):
        diversion_gap_se(sharp, sharp, y, 0.02, slice_tolerance=0.02, resamples=1)
