"""The model against the synthetic oracle: diversion at equal under-triage, and the slice trade.

    .venv/bin/python benchmarks/measure_oracle_gap.py --models-dir DIR --train TRAIN.parquet \\
        --test TEST.parquet [--model current]

``TRAIN`` is the synthetic export the model was trained on (its validation split, by time as
``triage train`` splits it, refits each policy); ``TEST`` is synthetic history of another seed,
whose ``p_*`` columns are the generator's own probabilities: the oracle.

Prints two tables (docs/CLINICAL_SAFETY.md, H1, records them):

1. the model's diversion over the oracle's at the same under-triage (1% to 3%), the model at its
   own threshold and the oracle as ``triage evaluate`` reads it (``oracle_diversion_at_misses``:
   a share of a block of equal odds allowed, so it does not jump where a threshold would cross
   one of the generator's scenario odds);
2. the slice tolerance of ``DecisionPolicy.fit`` (none, 8, 6, 4, 2 points): the slices it lowers,
   the test under-triage and diversion over the oracle's at that under-triage, and the worst gap
   of any incident type to the oracle (the slice rule: at most 2 points), read two ways: the
   oracle at the threshold that misses as many deploys overall as the model (the reading
   ``triage evaluate`` and the model card use), and the oracle at the model's own global
   threshold.

Asserts nothing; synthetic data only (real exports have no oracle).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import polars as pl
from rich.console import Console
from rich.table import Table

from training.evaluate import (
    labels_of,
    oracle_columns,
    oracle_diversion_at_misses,
    threshold_for_misses,
)
from training.train import split_by_time
from triage.policy import SLICE_FIELD, DecisionPolicy, diversion_rate, under_triage_rate
from triage.registry import load_model
from triage.schema import DEPLOY_INDEX

UNDER_TRIAGE_POINTS = (0.010, 0.0125, 0.015, 0.0175, 0.020, 0.025, 0.030)
TOLERANCES: tuple[float | None, ...] = (None, 0.08, 0.06, 0.04, 0.02)
MIN_SLICE_DEPLOYS = 100


def _oracle_diversion(oracle: np.ndarray, deploy: np.ndarray, misses: int) -> float:
    return oracle_diversion_at_misses(oracle[:, DEPLOY_INDEX], deploy, misses)


def _worst_slice_gap(
    pred: np.ndarray, oracle: np.ndarray, y: np.ndarray, slices: list[str | None], threshold: float
) -> tuple[float, str | None]:
    """The worst incident type's under-triage over the oracle's, the oracle thresholded at
    ``threshold`` (the model's global threshold, or the oracle's threshold at equal overall
    under-triage: the two readings of "the oracle at the same threshold", see ``main``)."""
    worst, name = -1.0, None
    values = np.array([s if s is not None else "" for s in slices])
    deploy = y == DEPLOY_INDEX
    for value in np.unique(values):
        rows = (values == value) & deploy
        if rows.sum() < MIN_SLICE_DEPLOYS:
            continue
        gap = float((pred[rows] != DEPLOY_INDEX).mean()
                    - (oracle[rows, DEPLOY_INDEX] < threshold).mean())
        if gap > worst:
            worst, name = gap, value or None
    return worst, name


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--models-dir", type=Path, required=True)
    ap.add_argument("--model", default="current")
    ap.add_argument("--train", type=Path, required=True)
    ap.add_argument("--test", type=Path, required=True)
    args = ap.parse_args()
    console = Console(highlight=False, width=150)

    model, _ = load_model(args.models_dir, args.model)
    test = pl.read_parquet(args.test)
    oracle = oracle_columns(test)
    if oracle is None:
        raise SystemExit(f"{args.test}: no p_* columns; the oracle needs synthetic history.")
    y = labels_of(test)
    deploy = y == DEPLOY_INDEX
    proba = model.pipeline.predict_proba(test)

    curve = Table(title=f"diversion over the oracle's at equal under-triage ({args.test.name})")
    for col in ("under-triage", "model", "oracle", "ratio"):
        curve.add_column(col, justify="right")
    for ut in UNDER_TRIAGE_POINTS:
        misses = int(ut * deploy.sum())
        t = threshold_for_misses(proba[deploy, DEPLOY_INDEX], misses)
        pred = DecisionPolicy(t, 0.02).decide(proba)
        dm = diversion_rate(pred)
        # the model's threshold cannot divide a block of its own tied (isotonic) odds, so it may
        # miss fewer than asked: the oracle gets the misses the model actually made
        made = int((deploy & (pred != DEPLOY_INDEX)).sum())
        do = _oracle_diversion(oracle, deploy, made)
        curve.add_row(f"{ut:.2%}", f"{dm:.2%}", f"{do:.2%}", f"{dm / do:.3f}")
    console.print(curve)

    valid = split_by_time(pl.read_parquet(args.train)).valid
    p_valid, y_valid = model.pipeline.predict_proba(valid), labels_of(valid)
    s_valid = valid[SLICE_FIELD].to_list()
    s_test = test[SLICE_FIELD].to_list()
    target = model.policy.target_under_triage
    trade = Table(title="slice tolerance (policy refitted on the validation split)")
    # Two readings of "the oracle at the same threshold": at the model's own global threshold
    # (the generator's odds come in steps, so this jumps where the threshold crosses one), and
    # at the oracle's threshold missing as many deploys overall as the model (what
    # `triage evaluate` and every model card judge the slice rule by).
    for col in ("tolerance", "slices lowered", "under-triage", "ratio",
                "worst gap, oracle at equal misses", "worst gap, oracle at the model's threshold"):
        trade.add_column(col)
    for tol in TOLERANCES:
        if tol is None:
            policy = DecisionPolicy.fit(p_valid, y_valid, target)
            pred = policy.decide(proba)
        else:
            policy = DecisionPolicy.fit(
                p_valid, y_valid, target, slices=s_valid, slice_tolerance=tol
            )
            pred = policy.decide(proba, s_test)
        misses = int(((y == DEPLOY_INDEX) & (pred != DEPLOY_INDEX)).sum())
        ratio = diversion_rate(pred) / _oracle_diversion(oracle, deploy, misses)
        gap, name = _worst_slice_gap(pred, oracle, y, s_test, policy.deploy_threshold)
        equal = threshold_for_misses(oracle[deploy, DEPLOY_INDEX], misses)
        gap_eq, name_eq = _worst_slice_gap(pred, oracle, y, s_test, equal)
        trade.add_row(
            "none" if tol is None else f"{tol * 100:.0f} points",
            ", ".join(sorted(policy.slice_thresholds or {})) or "-",
            f"{under_triage_rate(y, pred):.2%}",
            f"{ratio:.3f}",
            f"{gap_eq * 100:+.1f} points ({name_eq})",
            f"{gap * 100:+.1f} points ({name})",
        )
    console.print(trade)


if __name__ == "__main__":
    main()
