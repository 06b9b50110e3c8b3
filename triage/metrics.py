"""Figures shared by training's evaluation and model comparison, the impact case and the monitors.

The one place for: confidence intervals of rates (Wilson score, from scipy), expected
calibration error with its bins, and the deploy log-loss (scikit-learn's). Pure functions on
arrays and counts; no model, no I/O.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import binomtest
from sklearn.metrics import log_loss

#: Equal-width bins on [0, 1] for every expected calibration error the project reports.
ECE_BINS = 15
#: Confidence level of every interval the project reports.
CONFIDENCE = 0.95


def wilson_interval(k: int, n: int, confidence: float = CONFIDENCE
                    ) -> tuple[float, float] | None:
    """Wilson score interval of ``k`` successes out of ``n`` (None when ``n`` is 0)."""
    if n <= 0:
        return None
    ci = binomtest(int(k), int(n)).proportion_ci(confidence_level=confidence, method="wilson")
    return (max(0.0, float(ci.low)), min(1.0, float(ci.high)))


def rate_with_ci(k: int, n: int) -> dict[str, object]:
    """``{"k", "n", "rate", "ci"}`` for ``k`` out of ``n`` (rate and ci None when ``n`` is 0)."""
    ci = wilson_interval(k, n)
    return {"k": int(k), "n": int(n), "rate": k / n if n else None,
            "ci": list(ci) if ci else None}


def reliability(confidence: np.ndarray, observed: np.ndarray, bins: int = ECE_BINS
                ) -> tuple[float, dict[str, list[float]]]:
    """ECE and per-bin means for equal-width bins on [0, 1].

    ``confidence`` is a probability per row and ``observed`` whether the event happened (for
    top-label ECE: the largest probability and whether that label was right; for one class:
    its probability and whether the row was that class).
    """
    confidence = np.asarray(confidence, dtype=np.float64)
    idx = np.minimum((confidence * bins).astype(np.int64), bins - 1)
    counts = np.bincount(idx, minlength=bins).astype(np.float64)
    conf_sum = np.bincount(idx, weights=confidence, minlength=bins)
    obs_sum = np.bincount(idx, weights=np.asarray(observed, dtype=np.float64), minlength=bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        conf_mean = np.where(counts > 0, conf_sum / counts, 0.0)
        obs_mean = np.where(counts > 0, obs_sum / counts, 0.0)
    n = max(float(counts.sum()), 1.0)
    ece = float(np.sum(counts / n * np.abs(obs_mean - conf_mean)))
    return ece, {
        "bin_confidence": conf_mean.tolist(),
        "bin_observed": obs_mean.tolist(),
        "bin_count": counts.astype(int).tolist(),
    }


def expected_calibration_error(confidence: np.ndarray, observed: np.ndarray,
                               bins: int = ECE_BINS) -> float:
    """The ECE of ``reliability`` alone."""
    return reliability(confidence, observed, bins)[0]


def deploy_log_loss(p_deploy: np.ndarray, is_deploy: np.ndarray) -> float:
    """Binary log-loss of P(deploy) against whether the row needed a deploy (scikit-learn)."""
    return float(log_loss(np.asarray(is_deploy, dtype=bool), np.asarray(p_deploy),
                          labels=[False, True]))
