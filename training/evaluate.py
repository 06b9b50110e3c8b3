"""Clinical evaluation of a trained model on labelled requests.

Figures (all on the rows given, which for training are the latest months the model never saw):

- ``under_triage_rate``: of the requests that needed ``deploy``, the share suggested anything
  else by the model and its decision policy (``triage.policy.under_triage_rate``); the harm.
- ``diversion_rate``: the share of all requests not suggested ``deploy``; the benefit.
- ``oracle_diversion_rate``: on synthetic data (which carries the generator's own class
  probabilities ``p_*``), the most a rule diverting in order of those true probabilities
  diverts while missing as many of these rows' deploys as the model did (the best rule in
  expectation over the generator's labels): rows are diverted in order of their true P(deploy),
  and at the last odds reached, where many rows share one value (the generator's scenarios give
  a whole block of rows the same odds), a share of that block, as a random pick would
  (``oracle_diversion_at_misses``). The ratio of the two says how much of the achievable
  diversion the model gets at equal harm. None for real data.
- ``oracle_threshold_diversion_rate``: the *same decision rule* on the true probabilities with
  the largest threshold that misses at most as many deploys as the model did
  (``oracle_deploy_threshold``; ``oracle_under_triage_rate`` is its under-triage, and the
  per-slice oracle of the slice rule is this one). It cannot divide a block of equal odds, so it
  jumps as the model's misses cross one: before 2026-12-03 it was the headline, and a block of
  1.5% of rows at odds 0.0504 made the test months read 3 points of the ratio better than the
  fair oracle above did.
- ``accuracy`` and ``macro_f1`` of the policy's suggestions against the labels.
- ``ece``: expected calibration error of the *top label* (confidence = the largest probability,
  correct = its class is the label), 15 equal-width bins, count-weighted mean |accuracy -
  confidence|. ``ece_deploy`` is the same for P(deploy) against the observed deploy rate (the
  probability the threshold acts on).
- Wilson 95% intervals for under-triage (out of true deploys) and diversion (out of all).
- The confusion matrix, per-slice tables (incident type, age band, sex, force, night or day),
  the most influential request fields (permutation of each field on a sample, measured as the
  rise in deploy log-loss) and the model's own strongest terms where it has them.
- ``with_red_flag_rules``: under-triage and diversion after the red-flag rules force ``deploy``,
  as the service does; the headline figures are the model's, since the oracle comparison and the
  threshold's target are about the model and policy alone.

``evaluate`` returns one JSON-ready dict; ``split_curves`` separates the plotting data (curves
and reliability bins) from the figures for the manifest and ``triage evaluate --json``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import numpy as np
import polars as pl
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score

from triage.jsonsafe import json_safe
from triage.metrics import ECE_BINS, deploy_log_loss, reliability, wilson_interval
from triage.model import TrainedModel
from triage.policy import (
    CLINICAL_ADVICE_INDEX,
    DecisionPolicy,
    curve,
    diversion_rate,
    lowered_band,
    price_per_catch,
    under_triage_rate,
)
from triage.schema import (
    DEPLOY_INDEX,
    DISPOSITIONS,
    SYNTHETIC_ONLY_COLUMNS,
    TriageRequest,
    disposition_indices,
    feature_fields,
    request_fields,
)

#: Points kept on each plotted curve (the full curve has one point per distinct probability).
CURVE_POINTS = 400
#: Rows sampled for permutation importance (enough for stable ranks, cheap at 1M-row scale).
IMPORTANCE_ROWS = 2500
#: Night for the day/night slice: received 19:00 to 06:59.
NIGHT_FROM_HOUR = 19
NIGHT_TO_HOUR = 7
AGE_BANDS: tuple[tuple[int, int, str], ...] = (
    (0, 17, "0-17"),
    (18, 39, "18-39"),
    (40, 64, "40-64"),
    (65, 79, "65-79"),
    (80, 120, "80+"),
)
NOT_GIVEN = "not given"

class EvaluationError(ValueError):
    """The rows cannot be evaluated (empty, or without labels)."""


def labels_of(frame: pl.DataFrame) -> np.ndarray:
    """The ``disposition`` column as indices into ``DISPOSITIONS``."""
    if "disposition" not in frame.columns:
        raise EvaluationError("the data has no 'disposition' column, so it cannot be evaluated")
    return disposition_indices(frame["disposition"], error=EvaluationError)


def request_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """Only the request fields (what a handler can send): what the served model sees."""
    return frame.select([c for c in request_fields() if c in frame.columns])


def predict_proba(model: TrainedModel, frame: pl.DataFrame) -> np.ndarray:
    return np.asarray(model.pipeline.predict_proba(request_frame(frame)), dtype=np.float64)


def oracle_columns(frame: pl.DataFrame) -> np.ndarray | None:
    """The generator's true probabilities (n, 3) in DISPOSITIONS order, or None without them."""
    if not all(c in frame.columns for c in SYNTHETIC_ONLY_COLUMNS):
        return None
    cols = frame.select(SYNTHETIC_ONLY_COLUMNS)
    if any(cols[c].null_count() for c in SYNTHETIC_ONLY_COLUMNS):
        return None
    return cols.to_numpy().astype(np.float64)


def oracle_diversion_at_misses(p_deploy: np.ndarray, deploy: np.ndarray, max_misses: int
                               ) -> float:
    """The largest expected diversion of a rule that diverts in order of the true P(deploy)
    ``p_deploy`` and misses at most ``max_misses`` of these rows' true deploys (``deploy``,
    boolean) on average.

    In expectation over the generator's labels, diverting in order of P(deploy) is optimal (the
    Neyman-Pearson lemma); on one draw of labels another order could do better, which no rule
    reading only the odds can know. Where the budget of misses runs out inside a block of rows
    sharing one P(deploy), the rule diverts the share of that block its remaining misses allow,
    chosen at random, so the figure moves smoothly with the misses instead of jumping a whole
    block at a time as a threshold does.

    Raises:
        ValueError: arrays not 1-d and of one length, no rows, ``deploy`` not boolean, odds not
            finite or outside 0..1, or ``max_misses`` negative.
    """
    p = np.asarray(p_deploy, dtype=np.float64)
    raw = np.asarray(deploy)
    if p.shape != raw.shape or p.ndim != 1:
        raise ValueError(f"p_deploy and deploy must be 1-d and the same length. Got {p.shape} "
                         f"and {raw.shape}.")
    if p.shape[0] == 0:
        raise ValueError("no rows: the oracle's diversion is undefined")
    if raw.dtype != np.bool_:
        raise ValueError(f"deploy must be boolean (y == DEPLOY_INDEX). Got dtype {raw.dtype}.")
    if not np.all(np.isfinite(p)) or p.min() < 0.0 or p.max() > 1.0:
        raise ValueError(f"p_deploy must be finite odds in 0..1. Got values from {np.nanmin(p)} "
                         f"to {np.nanmax(p)}, {int(np.isnan(p).sum())} NaN.")
    if max_misses < 0:
        raise ValueError(f"max_misses must be 0 or more. Got {max_misses}.")
    d = raw
    if max_misses >= int(d.sum()):
        return 1.0
    values, inverse = np.unique(p, return_inverse=True)
    rows = np.bincount(inverse, minlength=values.shape[0])
    deploys = np.bincount(inverse, weights=d, minlength=values.shape[0])
    missed_through = np.cumsum(deploys)
    # the first block whose deploys would take the misses past the budget
    k = int(np.searchsorted(missed_through, max_misses, side="right"))
    before_rows = int(rows[:k].sum())
    before_missed = float(missed_through[k - 1]) if k else 0.0
    share = (max_misses - before_missed) / float(deploys[k])
    return (before_rows + share * float(rows[k])) / p.shape[0]


def threshold_for_misses(p_deploy_of_deploys: np.ndarray, max_misses: int) -> float:
    """The largest threshold that suggests non-deploy for at most ``max_misses`` true deploys.

    Deploys strictly below the threshold are missed; with the (k+1)-th smallest P(deploy) as
    threshold at most k are (ties at the threshold are suggested deploy).
    """
    ordered = np.sort(p_deploy_of_deploys)
    if max_misses >= ordered.shape[0]:
        return 1.0
    return float(ordered[max(max_misses, 0)])


def _thin(arrays: Sequence[np.ndarray], points: int = CURVE_POINTS) -> list[list[float]]:
    n = arrays[0].shape[0]
    if n <= points:
        keep = np.arange(n)
    else:
        keep = np.unique(np.linspace(0, n - 1, points).round().astype(np.int64))
    return [a[keep].astype(float).tolist() for a in arrays]


def _curve(proba: np.ndarray, y: np.ndarray) -> dict[str, list[float]]:
    ut, dv, th = curve(proba, y)
    ut_l, dv_l, th_l = _thin([ut, dv, th])
    return {"under_triage": ut_l, "diversion": dv_l, "threshold": th_l}


def _age_band(frame: pl.DataFrame) -> pl.Expr:
    expr: Any = pl.lit(NOT_GIVEN)
    for lo, hi, label in reversed(AGE_BANDS):
        expr = pl.when(pl.col("age").is_between(lo, hi)).then(pl.lit(label)).otherwise(expr)
    return expr


def _slice_keys(frame: pl.DataFrame) -> dict[str, pl.Expr]:
    keys: dict[str, pl.Expr] = {}
    for name in ("incident_type", "sex", "force"):
        if name in frame.columns:
            keys[name.replace("_", " ")] = (
                pl.col(name).cast(pl.String).fill_null(NOT_GIVEN)
            )
    if "age" in frame.columns:
        keys["age band"] = _age_band(frame)
    if "received_at" in frame.columns:
        hour = pl.col("received_at").dt.hour()
        keys["time of day"] = (
            pl.when(pl.col("received_at").is_null())
            .then(pl.lit(NOT_GIVEN))
            .when((hour >= NIGHT_FROM_HOUR) | (hour < NIGHT_TO_HOUR))
            .then(pl.lit("night (19:00-06:59)"))
            .otherwise(pl.lit("day (07:00-18:59)"))
        )
    return keys


def slice_tables(frame: pl.DataFrame, y: np.ndarray, pred: np.ndarray,
                 oracle_pred: np.ndarray | None = None) -> dict[str, list[dict[str, Any]]]:
    """Per slice: n, true deploys, under-triage with Wilson CI, diversion; with ``oracle_pred``
    (synthetic data) also the oracle's under-triage in the slice and the model's gap to it."""
    keys = _slice_keys(frame)
    if not keys:
        return {}
    oracle_missed = (
        (y == DEPLOY_INDEX) & (oracle_pred != DEPLOY_INDEX)
        if oracle_pred is not None
        else np.zeros(y.shape[0], dtype=bool)
    )
    base = frame.select(**keys).with_columns(
        _deploy=pl.Series(y == DEPLOY_INDEX),
        _missed=pl.Series((y == DEPLOY_INDEX) & (pred != DEPLOY_INDEX)),
        _diverted=pl.Series(pred != DEPLOY_INDEX),
        _oracle_missed=pl.Series(oracle_missed),
    )
    out: dict[str, list[dict[str, Any]]] = {}
    for name in keys:
        grouped = (
            base.group_by(name)
            .agg(
                n=pl.len(),
                n_deploy=pl.col("_deploy").sum(),
                missed=pl.col("_missed").sum(),
                diverted=pl.col("_diverted").sum(),
                oracle_missed=pl.col("_oracle_missed").sum(),
            )
            .sort(["n", name], descending=[True, False])
        )
        rows = []
        for r in grouped.iter_rows(named=True):
            n, nd, missed = int(r["n"]), int(r["n_deploy"]), int(r["missed"])
            ci = wilson_interval(missed, nd)
            row: dict[str, Any] = {
                "slice": str(r[name]),
                "n": n,
                "n_deploy": nd,
                "under_triage_rate": missed / nd if nd else None,
                "under_triage_ci": list(ci) if ci else None,
                "diversion_rate": int(r["diverted"]) / n if n else None,
            }
            if oracle_pred is not None and nd:
                row["oracle_under_triage_rate"] = int(r["oracle_missed"]) / nd
                row["gap_to_oracle"] = (missed - int(r["oracle_missed"])) / nd
            rows.append(row)
        out[name] = rows
    return out


#: The slice rule (issue 10): no incident type with at least SLICE_RULE_MIN_DEPLOYS deploys may
#: have under-triage more than SLICE_RULE_MAX_GAP above the oracle's at the same threshold.
SLICE_RULE_MIN_DEPLOYS = 100
SLICE_RULE_MAX_GAP = 0.02


def slice_rule(slices: dict[str, list[dict[str, Any]]]) -> dict[str, Any] | None:
    """The slice rule's verdict on the incident-type table, or None without an oracle."""
    table = slices.get("incident type") or []
    judged = [r for r in table if "gap_to_oracle" in r and r["n_deploy"] >= SLICE_RULE_MIN_DEPLOYS]
    if not judged:
        return None
    failing = [
        {k: r[k] for k in ("slice", "n_deploy", "under_triage_rate", "oracle_under_triage_rate",
                           "gap_to_oracle")}
        for r in judged if r["gap_to_oracle"] > SLICE_RULE_MAX_GAP
    ]
    return {
        "field": "incident type",
        "min_deploys": SLICE_RULE_MIN_DEPLOYS,
        "max_gap": SLICE_RULE_MAX_GAP,
        "judged": len(judged),
        "worst_gap": max(r["gap_to_oracle"] for r in judged),
        "failing": failing,
        "passed": not failing,
    }


def field_importance(model: TrainedModel, frame: pl.DataFrame, y: np.ndarray, *,
                     rows: int = IMPORTANCE_ROWS, random_state: int = 0
                     ) -> list[dict[str, Any]]:
    """Rise in deploy log-loss when one request field is shuffled across a sample of rows.

    Model-agnostic (works for the linear and the boosted candidate alike) and in the units a
    board can follow: a field the model does not use scores about zero.
    """
    rng = np.random.default_rng(random_state)
    n = frame.height
    take = np.sort(rng.choice(n, size=min(rows, n), replace=False))
    sample = request_frame(frame)[take]
    is_deploy = y[take] == DEPLOY_INDEX
    base = deploy_log_loss(predict_proba(model, sample)[:, DEPLOY_INDEX], is_deploy)
    out = []
    for i, field in enumerate(f for f in feature_fields() if f in sample.columns):
        shuffled = sample.with_columns(pl.col(field).shuffle(seed=random_state + i))
        loss = deploy_log_loss(predict_proba(model, shuffled)[:, DEPLOY_INDEX], is_deploy)
        out.append({"field": field, "importance": loss - base})
    return sorted(out, key=lambda r: -r["importance"])


def _find_linear(obj: Any, depth: int = 0) -> Any | None:
    """The logistic regression inside a pipeline step (through calibration and freezing)."""
    if obj is None or depth > 6:
        return None
    if hasattr(obj, "coef_"):
        return obj
    for attr in ("linear_", "estimator", "base_estimator"):
        found = _find_linear(getattr(obj, attr, None), depth + 1)
        if found is not None:
            return found
    return None


def model_terms(model: TrainedModel, top: int = 25) -> tuple[str, list[dict[str, Any]]]:
    """The model's strongest text and fact terms for and against ``deploy``.

    Both candidates contain the multinomial logistic regression on the text and fact features
    (the boosted stack reads its scores), so its deploy coefficients, centred across the three
    classes (the softmax is unchanged by a shift), are the model's own view of which features
    push towards an ambulance. Empty when the pipeline holds no such model.
    """
    steps = dict(model.pipeline.named_steps)
    linear = _find_linear(steps.get("scores")) or _find_linear(steps.get("classifier"))
    if linear is None:
        return "", []
    coef = np.asarray(linear.coef_, dtype=np.float64)
    names = list(model.feature_names)
    if coef.ndim != 2 or coef.shape[0] != len(DISPOSITIONS) or coef.shape[1] != len(names):
        return "", []
    weight = coef[DEPLOY_INDEX] - coef.mean(axis=0)
    order = np.argsort(weight)
    n_pos = max(1, (2 * top) // 3)
    picked = list(order[::-1][:n_pos]) + list(order[: top - n_pos])
    rows = [{"feature": names[i], "weight": float(weight[i])} for i in picked]
    where = "inside the boosted stack" if model.kind == "boosted" else "the model itself"
    return (f"deploy log-odds of the logistic regression on text and facts ({where}); "
            "positive pushes towards deploy"), rows


def rule_masks(frame: pl.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Per row, as the served rules read it (``triage.rules.engine.read_request``): a red flag was
    found; a death to verify was reported."""
    from triage.rules.engine import read_request

    requests = request_frame(frame)
    flagged = np.zeros(requests.height, dtype=bool)
    verify = np.zeros(requests.height, dtype=bool)
    for i, row in enumerate(requests.iter_rows(named=True)):
        reading = read_request(TriageRequest.model_validate(row))
        flagged[i] = bool(reading.red_flags)
        verify[i] = reading.verify_death is not None
    return flagged, verify


def red_flag_mask(frame: pl.DataFrame) -> np.ndarray:
    """True where ``triage.rules.engine.detect_red_flags`` finds a red flag (the served rules)."""
    return rule_masks(frame)[0]


def _system_figures(frame: pl.DataFrame, y: np.ndarray, pred: np.ndarray) -> dict[str, Any]:
    """Under-triage and diversion after the rules as served: red flags force deploy, and a
    death to verify (``triage.rules.engine.RuleReading.verify_death``) is clinical advice."""
    flagged, verify = rule_masks(frame)
    final = np.where(flagged, DEPLOY_INDEX, np.where(verify, CLINICAL_ADVICE_INDEX, pred))
    nd = int((y == DEPLOY_INDEX).sum())
    missed = int(((y == DEPLOY_INDEX) & (final != DEPLOY_INDEX)).sum())
    diverted = int((final != DEPLOY_INDEX).sum())
    ut_ci = wilson_interval(missed, nd)
    dv_ci = wilson_interval(diverted, len(y))
    return {
        "under_triage_rate": missed / nd if nd else None,
        "under_triage_ci": list(ut_ci) if ut_ci else None,
        "diversion_rate": diverted / len(y),
        "diversion_ci": list(dv_ci) if dv_ci else None,
        "red_flag_rate": float(flagged.mean()),
        "overrides": int((flagged & (pred != DEPLOY_INDEX)).sum()),
        "deaths_to_verify": int((verify & ~flagged).sum()),
    }


def policy_slices(policy: DecisionPolicy, frame: pl.DataFrame) -> list[str | None] | None:
    """Each row's slice value for the policy's slice thresholds (None when it has none)."""
    field = getattr(policy, "slice_field", None)
    if not (policy.slice_thresholds or None) or field is None or field not in frame.columns:
        return None
    return [None if v is None else str(v) for v in frame.get_column(field).to_list()]


def slice_threshold_price(policy: DecisionPolicy, proba: np.ndarray, y: np.ndarray,
                          slices: Sequence[str | None] | None) -> list[dict[str, Any]]:
    """Each slice threshold's trade on the evaluated rows: the deploys it caught that the global
    threshold would have missed, and the requests needing no ambulance it deployed with them
    (the model card shows the same counts on the validation rows the threshold was fitted on)."""
    if slices is None:
        return []
    values = np.array(["" if v is None else v for v in slices], dtype=object)
    is_deploy = y == DEPLOY_INDEX
    out: list[dict[str, Any]] = []
    for name, th in sorted((policy.slice_thresholds or {}).items()):
        caught, others = lowered_band(proba[:, DEPLOY_INDEX], is_deploy, values == name, th,
                                      policy.deploy_threshold)
        out.append({"slice": name, "threshold": th, "deploys_caught": caught,
                    "others_deployed": others,
                    "per_deploy_caught": price_per_catch(
                        {"deploys_caught": caught, "others_deployed": others})})
    return out


@dataclasses.dataclass(frozen=True)
class _Oracle:
    """The generator's own probabilities at the model's under-triage (all None on real data):
    ``diversion`` the fair oracle's (a share of a block of equal odds allowed), the rest the
    threshold oracle's."""

    diversion: float | None = None
    threshold_diversion: float | None = None
    under_triage: float | None = None
    threshold: float | None = None
    curve: dict[str, list[float]] | None = None
    pred: np.ndarray | None = None


def _oracle_figures(oracle: np.ndarray | None, y: np.ndarray, policy: DecisionPolicy,
                    missed: int) -> _Oracle:
    """The oracle thresholded to miss as many deploys as the model did (synthetic data only)."""
    if oracle is None:
        return _Oracle()
    threshold = threshold_for_misses(oracle[y == DEPLOY_INDEX, DEPLOY_INDEX], missed)
    oracle_policy = dataclasses.replace(
        policy, deploy_threshold=threshold, slice_thresholds={}, slice_fit={}
    )
    pred = oracle_policy.decide(oracle)
    fair = oracle_diversion_at_misses(oracle[:, DEPLOY_INDEX], y == DEPLOY_INDEX, missed)
    return _Oracle(diversion=fair, threshold_diversion=diversion_rate(pred),
                   under_triage=under_triage_rate(y, pred), threshold=threshold,
                   curve=_curve(oracle, y), pred=pred)


def _influence(model: TrainedModel, frame: pl.DataFrame, y: np.ndarray, random_state: int
               ) -> dict[str, Any]:
    source, terms = model_terms(model)
    return {
        "fields": field_importance(model, frame, y, random_state=random_state),
        "fields_method": "rise in deploy log-loss when the field is shuffled "
                         f"({min(IMPORTANCE_ROWS, frame.height):,} rows)",
        "model_terms": terms,
        "model_terms_source": source,
    }


def _curves(proba: np.ndarray, y: np.ndarray, policy: DecisionPolicy, ut: float, dv: float,
            o: _Oracle, reliability_bins: dict[str, Any]) -> dict[str, Any]:
    return {
        "operating_curve": {"model": _curve(proba, y), "oracle": o.curve},
        "operating_point": {"threshold": policy.deploy_threshold, "under_triage": ut,
                            "diversion": dv, "target": policy.target_under_triage},
        # the fair oracle at the model's under-triage: it lies on the oracle's curve, whose
        # points (one a distinct odds value) are joined by straight lines, the share of a block
        "oracle_point": None if o.diversion is None else {
            "threshold": o.threshold, "under_triage": ut, "diversion": o.diversion},
        "reliability": reliability_bins,
    }


def evaluate(model: TrainedModel, frame: pl.DataFrame, *, random_state: int = 0
             ) -> dict[str, Any]:
    """Every figure of the module docstring for ``model`` on ``frame`` (labelled rows).

    Raises:
        EvaluationError: no rows, no labels, or no true ``deploy`` rows (under-triage is then
            unmeasurable, and a report without it would mislead).
    """
    n = frame.height
    if n == 0:
        raise EvaluationError("no rows to evaluate")
    y = labels_of(frame)
    n_deploy = int((y == DEPLOY_INDEX).sum())
    if n_deploy == 0:
        raise EvaluationError(
            f"none of the {n:,} rows needed 'deploy', so under-triage cannot be measured"
        )
    proba = predict_proba(model, frame)
    policy: DecisionPolicy = model.policy
    slices = policy_slices(policy, frame)
    pred = policy.decide(proba, slices)

    ut = under_triage_rate(y, pred)
    dv = diversion_rate(pred)
    missed = int(((y == DEPLOY_INDEX) & (pred != DEPLOY_INDEX)).sum())
    diverted = int((pred != DEPLOY_INDEX).sum())
    ut_ci = wilson_interval(missed, n_deploy)
    dv_ci = wilson_interval(diverted, n)

    top = proba.argmax(axis=1)
    ece, rel_top = reliability(proba.max(axis=1), top == y)
    ece_deploy, rel_deploy = reliability(proba[:, DEPLOY_INDEX], y == DEPLOY_INDEX)
    p_true = np.clip(proba[np.arange(n), y], 1e-12, 1.0)

    labels = list(range(len(DISPOSITIONS)))
    cm = confusion_matrix(y, pred, labels=labels)
    oracle = oracle_columns(frame)
    o = _oracle_figures(oracle, y, policy, missed)

    metrics: dict[str, Any] = {
        "n": n,
        "n_deploy": n_deploy,
        "synthetic": oracle is not None,
        "under_triage_rate": ut,
        "under_triage_ci": list(ut_ci) if ut_ci else None,
        "under_triage_missed": missed,
        "diversion_rate": dv,
        "diversion_ci": list(dv_ci) if dv_ci else None,
        "oracle_diversion_rate": o.diversion,
        "oracle_threshold_diversion_rate": o.threshold_diversion,
        "oracle_under_triage_rate": o.under_triage,
        "oracle_deploy_threshold": o.threshold,
        "accuracy": float(accuracy_score(y, pred)),
        "macro_f1": float(f1_score(y, pred, labels=labels, average="macro", zero_division=0)),
        "ece": ece,
        "ece_kind": f"top-label, {ECE_BINS} equal-width bins",
        "ece_deploy": ece_deploy,
        "log_loss": float(-np.mean(np.log(p_true))),
        "deploy_threshold": policy.deploy_threshold,
        "target_under_triage": policy.target_under_triage,
        "label_shares": {d.value: float((y == i).mean()) for i, d in enumerate(DISPOSITIONS)},
        "suggested_shares": {d.value: float((pred == i).mean())
                             for i, d in enumerate(DISPOSITIONS)},
        "confusion": {"labels": [d.value for d in DISPOSITIONS], "matrix": cm.tolist(),
                      "rows": "needed", "columns": "suggested"},
        "slices": (slice_figures := slice_tables(frame, y, pred, o.pred)),
        "slice_rule": slice_rule(slice_figures),
        "slice_thresholds": dict(policy.slice_thresholds or {}),
        "slice_threshold_price": slice_threshold_price(policy, proba, y, slices),
        "influential_features": _influence(model, frame, y, random_state),
        "with_red_flag_rules": _system_figures(frame, y, pred),
        "curves": _curves(proba, y, policy, ut, dv, o,
                          {"top_label": rel_top, "deploy": rel_deploy}),
    }
    for key in ("under_triage_rate", "diversion_rate"):
        metrics[key] = json_safe(metrics[key])
    return metrics


def split_curves(evaluation: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """``(metrics, curves)``: the figures (for manifests and JSON) and the plotting data."""
    metrics = {k: v for k, v in evaluation.items() if k != "curves"}
    return metrics, evaluation["curves"]


#: The scalar figures that ``triage evaluate --json`` and ``models list`` show first.
HEADLINE_KEYS: tuple[str, ...] = (
    "under_triage_rate", "under_triage_ci", "diversion_rate", "diversion_ci",
    "oracle_diversion_rate", "accuracy", "macro_f1", "ece", "ece_deploy", "n", "n_deploy",
)


def headline(metrics: dict[str, Any]) -> dict[str, Any]:
    return {k: metrics.get(k) for k in HEADLINE_KEYS}
