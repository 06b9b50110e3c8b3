"""The decision policy: calibrated probabilities -> one disposition, with an explicit safety margin.

Under-triage (a request that needed an ambulance, suggested anything else) is the harm; diversion
(the share of all requests suggested something other than ``deploy``) is what the service is for.
The policy makes that trade in one place and one number:

- suggest ``deploy`` when ``p_deploy >= deploy_threshold``;
- otherwise the likelier of ``hear_and_treat`` and ``clinical_advice`` (a tie goes to
  ``clinical_advice``, the more cautious of the two: a clinician still advises the officer on
  scene).

``DecisionPolicy.fit`` chooses the largest threshold whose validation under-triage stays within the
target *with a safety margin*: the threshold is fitted so that the one-sided upper
``confidence`` (default 95%) Clopper-Pearson bound of the validation under-triage rate is at most
the target, not merely the point estimate. The margin shrinks as the validation set grows (with
50,000 true deploys the point estimate lands near 1.9% for a 2% target) and grows when there are
few deploys to fit on, which is exactly when the point estimate is least trustworthy. The margin,
the point estimate and the bound are all stored in the policy and reported.

Slices. One global threshold can meet the target overall while one kind of request carries far
more of the misses (measured: `mental_health` at 14% where the oracle reached 7%). ``fit`` can
take each validation row's slice (its ``incident_type``): for every slice with at least
``min_slice_deploys`` validation deploys whose under-triage at the global threshold is above
``target + slice_tolerance``, it lowers that slice's threshold just enough to bring the slice's
validation under-triage to ``target + slice_tolerance`` (never raising a threshold). The
trade is explicit: ``slice_thresholds``, ``slice_fit`` (each adjusted slice's deploys, its
under-triage before and after, and the price: the validation deploys its threshold caught and the
requests needing no ambulance it deployed with them, ``price_per_catch``, beside the global
threshold's price at the margin, ``margin_price``) and ``slice_tolerance`` are stored, reported
in the model card and in ``GET /v1/model``, and docs/CLINICAL_SAFETY.md (H1) records what they
cost in diversion and what a looser tolerance (``SLICE_TOLERANCE``, ``triage train
--slice-tolerance``) was measured to buy and cost. ``slice_tolerances`` gives named slices a
tolerance of their own (``triage train --slice-tolerance-for mental_health=0.06``); none is set by
default, and H1 records what one for mental health was measured to buy and cost.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np
from scipy.stats import beta

from triage.schema import DEPLOY_INDEX, DISPOSITIONS, Disposition, disposition_indices

HEAR_AND_TREAT_INDEX: int = DISPOSITIONS.index(Disposition.HEAR_AND_TREAT)
CLINICAL_ADVICE_INDEX: int = DISPOSITIONS.index(Disposition.CLINICAL_ADVICE)

#: The safety margin: the threshold keeps this one-sided upper confidence bound of validation
#: under-triage within the target.
DEFAULT_CONFIDENCE = 0.95
MARGIN_METHOD = "clopper_pearson_upper"
#: The request field whose values are the policy's slices.
SLICE_FIELD = "incident_type"
#: A slice is checked only with at least this many validation deploys (fewer cannot be judged).
MIN_SLICE_DEPLOYS = 100
#: A slice's validation under-triage may exceed the overall target by at most this much before
#: the slice gets a lower threshold of its own. A looser tolerance was measured on 2026-12-03
#: (``benchmarks/measure_oracle_gap.py``; docs/CLINICAL_SAFETY.md, H1, control 6) and not taken:
#: at 6 points `person_in_custody` keeps the global threshold and the hand-written suites read
#: 3 to 5 points better (custody minors are no longer sent an ambulance: the 19 sealed suites
#: 0.885 -> 0.924 on the final model, the 18 of then 0.879 -> 0.929 on 5d08550's), but on the
#: model of the final code the slice rule then fails on the training seed's test months (custody 2.9
#: points worse than the oracle; it holds up to 2.5 points, at 2.0, on the rule's edge), though
#: it holds on seed 12 at every tolerance. Which world to believe for custody minors is for the
#: clinical safety officer with real outcomes: ``triage train --slice-tolerance`` sets it per
#: training run, and the policy, the manifest and the model card record the value used.
SLICE_TOLERANCE = 0.02
#: The largest tolerance accepted anywhere (the policy, ``train_and_register``, the CLI): past
#: 50 points a slice could miss most of its deploys before its threshold moved.
MAX_SLICE_TOLERANCE = 0.5


def check_slice_tolerance(value: float) -> float:
    """``value`` if it is a tolerance the policy can fit with, else ValueError saying why."""
    if not (0.0 <= value <= MAX_SLICE_TOLERANCE):  # NaN fails this comparison too
        raise ValueError(
            f"slice_tolerance must be a fraction from 0 to {MAX_SLICE_TOLERANCE} "
            f"(0.02 is 2 points). Got {value!r}."
        )
    return value


def check_slice_tolerances(
    values: Mapping[str, float] | None, known: Collection[str] | None = None
) -> dict[str, float]:
    """Per-slice tolerances as a plain dict if every one is a tolerance the policy can fit
    with, for a slice in ``known`` when given, else ValueError naming the slice."""
    out: dict[str, float] = {}
    unknown = sorted(set(values or {}) - set(known)) if known is not None else []
    if unknown:
        raise ValueError(
            f"slice_tolerances names {', '.join(map(repr, unknown))}, which is not a slice; "
            f"the slices are {', '.join(sorted(known or ()))}."
        )
    for name, value in (values or {}).items():
        if not isinstance(name, str) or not name:
            raise ValueError(f"A per-slice tolerance needs a slice name. Got {name!r}.")
        try:
            out[name] = check_slice_tolerance(float(value))
        except (TypeError, ValueError) as exc:
            raise ValueError(f"slice_tolerances[{name!r}]: {exc}") from None
    return out


def _as_labels(y: Sequence[Any] | np.ndarray) -> np.ndarray:
    """Labels as indices into DISPOSITIONS; accepts indices, Disposition or their string values."""
    return disposition_indices(y, what="label")


def _check_proba(proba: np.ndarray) -> np.ndarray:
    p = np.asarray(proba, dtype=np.float64)
    if p.ndim != 2 or p.shape[1] != len(DISPOSITIONS):
        raise ValueError(
            f"Probabilities must have shape (n, {len(DISPOSITIONS)}) in DISPOSITIONS order "
            f"{[d.value for d in DISPOSITIONS]}. Got shape {p.shape}."
        )
    if not np.all(np.isfinite(p)):
        bad = int(np.flatnonzero(~np.all(np.isfinite(p), axis=1))[0])
        raise ValueError(f"Probabilities must be finite. Row {bad} is {p[bad].tolist()}.")
    return p


def under_triage_rate(
    y_true: Sequence[Any] | np.ndarray, y_pred: Sequence[Any] | np.ndarray
) -> float:
    """Share of true ``deploy`` requests suggested anything else (NaN when there are none)."""
    t, p = _as_labels(y_true), _as_labels(y_pred)
    if t.shape != p.shape:
        raise ValueError(f"y_true and y_pred differ in length: {t.shape[0]} vs {p.shape[0]}.")
    deploy = t == DEPLOY_INDEX
    n = int(deploy.sum())
    return float("nan") if n == 0 else float((p[deploy] != DEPLOY_INDEX).sum() / n)


def diversion_rate(y_pred: Sequence[Any] | np.ndarray) -> float:
    """Share of all requests suggested something other than ``deploy`` (NaN when empty)."""
    p = _as_labels(y_pred)
    return float("nan") if p.size == 0 else float((p != DEPLOY_INDEX).mean())


def upper_bound(misses: int | np.ndarray, n: int, confidence: float) -> np.ndarray:
    """One-sided upper Clopper-Pearson bound of a rate with ``misses`` out of ``n``."""
    k = np.asarray(misses, dtype=np.float64)
    ub = beta.ppf(confidence, k + 1.0, np.maximum(n - k, 1e-12))
    return np.where(k >= n, 1.0, ub)


def curve(
    proba: np.ndarray, y_true: Sequence[Any] | np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Under-triage and diversion at every distinct threshold, for the report's trade-off plot.

    Returns ``(under_triage, diversion, thresholds)``, thresholds ascending (each is a distinct
    ``p_deploy`` value; suggesting deploy when ``p_deploy >= threshold``).
    """
    p = _check_proba(proba)[:, DEPLOY_INDEX]
    t = _as_labels(y_true)
    if t.shape[0] != p.shape[0]:
        raise ValueError(f"proba and y_true differ in length: {p.shape[0]} vs {t.shape[0]}.")
    thresholds = np.unique(p)
    n_deploy = max(int((t == DEPLOY_INDEX).sum()), 1)
    deploy_sorted = np.sort(p[t == DEPLOY_INDEX])
    all_sorted = np.sort(p)
    missed = np.searchsorted(deploy_sorted, thresholds, side="left")
    diverted = np.searchsorted(all_sorted, thresholds, side="left")
    return missed / n_deploy, diverted / max(p.shape[0], 1), thresholds


#: Marks the fields that say what a policy was fitted *to* (the target and its margin, the slice
#: tolerances), as against what the fit saw on validation: ``DecisionPolicy.target_fields``.
_FIT_TO = {"fit_to": True}


@dataclass(frozen=True)
class DecisionPolicy:
    """Calibrated probabilities -> disposition indices, with the fitted deploy threshold.

    ``deploy_threshold``: suggest deploy when ``p_deploy >= deploy_threshold``.
    ``target_under_triage``: the target the threshold was fitted to.
    ``confidence`` / ``margin_method``: the safety margin (see module docstring).
    ``valid_under_triage``, ``valid_under_triage_upper``, ``valid_diversion``, ``n_valid``,
    ``n_valid_deploy``: what the fit saw, for the report and ``GET /v1/model``.
    """

    deploy_threshold: float
    target_under_triage: float = field(metadata=_FIT_TO)
    confidence: float = field(default=DEFAULT_CONFIDENCE, metadata=_FIT_TO)
    margin_method: str = field(default=MARGIN_METHOD, metadata=_FIT_TO)
    valid_under_triage: float = float("nan")
    valid_under_triage_upper: float = float("nan")
    valid_diversion: float = float("nan")
    n_valid: int = 0
    n_valid_deploy: int = 0
    slice_field: str = SLICE_FIELD
    # None defaults live on the class, so a policy pickled before slices existed still loads
    # (its instance has no such attribute and reads None: no slice thresholds).
    slice_thresholds: Mapping[str, float] | None = None
    slice_fit: Mapping[str, Mapping[str, float]] | None = None
    #: The tolerance the slices were fitted with (None: fitted without slices, or pickled before
    #: the tolerance was recorded, when it was 0.02).
    slice_tolerance: float | None = field(default=None, metadata=_FIT_TO)
    #: Per-slice overrides of ``slice_tolerance`` (slice value -> tolerance; None or empty: the
    #: one tolerance everywhere), each an explicit trade the model card names.
    slice_tolerances: Mapping[str, float] | None = field(default=None, metadata=_FIT_TO)

    def __post_init__(self) -> None:
        object.__setattr__(self, "slice_thresholds", dict(self.slice_thresholds or {}))
        object.__setattr__(
            self, "slice_fit", {k: dict(v) for k, v in (self.slice_fit or {}).items()}
        )
        for name, t in (self.slice_thresholds or {}).items():
            if not (0.0 <= t <= self.deploy_threshold):
                raise ValueError(
                    f"slice_thresholds[{name!r}] must be in [0, deploy_threshold]. Got {t!r}."
                )
        if not (0.0 <= self.deploy_threshold <= 1.0) or math.isnan(self.deploy_threshold):
            raise ValueError(f"deploy_threshold must be in [0, 1]. Got {self.deploy_threshold!r}.")
        if not (0.0 < self.target_under_triage < 1.0):
            raise ValueError(
                f"target_under_triage must be in (0, 1). Got {self.target_under_triage!r}."
            )
        if self.slice_tolerance is not None:
            check_slice_tolerance(self.slice_tolerance)
        object.__setattr__(self, "slice_tolerances", check_slice_tolerances(self.slice_tolerances))

    @classmethod
    def fit(
        cls,
        proba: np.ndarray,
        y_true: Sequence[Any] | np.ndarray,
        target_under_triage: float,
        *,
        confidence: float = DEFAULT_CONFIDENCE,
        slices: Sequence[str | None] | None = None,
        slice_tolerance: float = SLICE_TOLERANCE,
        min_slice_deploys: int = MIN_SLICE_DEPLOYS,
        slice_tolerances: Mapping[str, float] | None = None,
    ) -> DecisionPolicy:
        """The largest threshold whose upper-bound validation under-triage is <= the target,
        and, given ``slices`` (each row's slice value or None), the slice thresholds of the
        module docstring; ``slice_tolerances`` overrides the tolerance for the slices it names."""
        if not (0.0 < target_under_triage < 1.0):
            raise ValueError(f"target_under_triage must be in (0, 1). Got {target_under_triage!r}.")
        if not (0.5 <= confidence < 1.0):
            raise ValueError(f"confidence must be in [0.5, 1). Got {confidence!r}.")
        check_slice_tolerance(slice_tolerance)
        per_slice = check_slice_tolerances(slice_tolerances)
        p = _check_proba(proba)
        t = _as_labels(y_true)
        if t.shape[0] != p.shape[0]:
            raise ValueError(f"proba and y_true differ in length: {p.shape[0]} vs {t.shape[0]}.")
        deploy_p = np.sort(p[t == DEPLOY_INDEX, DEPLOY_INDEX])
        n = int(deploy_p.shape[0])
        if n == 0:
            raise ValueError(
                "Cannot fit the deploy threshold: the validation data has no 'deploy' requests."
            )
        ks = np.arange(n + 1)
        ok = upper_bound(ks, n, confidence) <= target_under_triage
        # Missing k deploys is allowed when the bound holds; the bound grows with k, so the
        # largest allowed k is the last True (none allowed -> k = 0, threshold = min p_deploy).
        k = int(np.flatnonzero(ok)[-1]) if ok.any() else 0
        # Threshold = the (k+1)-th smallest deploy probability: deploys strictly below it
        # number at most k (ties at the threshold are suggested deploy).
        threshold = float(deploy_p[k]) if k < n else 1.0
        slice_thresholds: dict[str, float] = {}
        slice_fit: dict[str, dict[str, float]] = {}
        if slices is not None:
            if len(slices) != p.shape[0]:
                raise ValueError(
                    f"slices and proba differ in length: {len(slices)} vs {p.shape[0]}."
                )
            caps = {name: target_under_triage + tol for name, tol in per_slice.items()}
            slice_thresholds, slice_fit = _fit_slices(
                p, t, slices, threshold, target_under_triage + slice_tolerance, min_slice_deploys,
                caps,
            )
        pred = cls(threshold, target_under_triage, slice_thresholds=slice_thresholds).decide(
            p, slices
        )
        misses = int(((pred != DEPLOY_INDEX) & (t == DEPLOY_INDEX)).sum())
        ut = misses / n
        return cls(
            deploy_threshold=threshold,
            target_under_triage=target_under_triage,
            confidence=confidence,
            margin_method=MARGIN_METHOD,
            valid_under_triage=ut,
            valid_under_triage_upper=float(upper_bound(misses, n, confidence)),
            valid_diversion=diversion_rate(pred),
            n_valid=int(p.shape[0]),
            n_valid_deploy=n,
            slice_thresholds=slice_thresholds,
            slice_fit=slice_fit,
            slice_tolerance=None if slices is None else slice_tolerance,
            slice_tolerances=None if slices is None else per_slice,
        )

    def thresholds(self, slices: Sequence[str | None] | None, n: int) -> np.ndarray:
        """Each row's deploy threshold: its slice's, else the global one."""
        th = np.full(n, self.deploy_threshold, dtype=np.float64)
        table = self.slice_thresholds
        if slices is not None and table:
            if len(slices) != n:
                raise ValueError(f"slices and proba differ in length: {len(slices)} vs {n}.")
            get = table.get
            for i, v in enumerate(slices):
                if v is not None:
                    th[i] = get(str(v), self.deploy_threshold)
        return th

    def threshold_for(self, slice_value: str | None) -> float:
        table = self.slice_thresholds
        if slice_value is None or not table:
            return self.deploy_threshold
        return table.get(slice_value, self.deploy_threshold)

    def decide(
        self, proba: np.ndarray, slices: Sequence[str | None] | None = None
    ) -> np.ndarray:
        """(n, 3) probabilities in DISPOSITIONS order -> (n,) indices into DISPOSITIONS.

        ``slices``: each row's slice value (its ``incident_type``), or None for the global
        threshold everywhere.
        """
        p = _check_proba(proba)
        out = np.where(
            p[:, HEAR_AND_TREAT_INDEX] > p[:, CLINICAL_ADVICE_INDEX],
            HEAR_AND_TREAT_INDEX,
            CLINICAL_ADVICE_INDEX,
        )
        out[p[:, DEPLOY_INDEX] >= self.thresholds(slices, p.shape[0])] = DEPLOY_INDEX
        return out.astype(np.int64)

    def decide_one(
        self, row: Sequence[float] | np.ndarray, slice_value: str | None = None
    ) -> Disposition:
        """One probability row (DISPOSITIONS order) -> the disposition; no array allocation."""
        if len(row) != len(DISPOSITIONS):
            raise ValueError(
                f"A probability row has {len(DISPOSITIONS)} values in DISPOSITIONS order. "
                f"Got {len(row)}."
            )
        p_deploy = float(row[DEPLOY_INDEX])
        p_ht = float(row[HEAR_AND_TREAT_INDEX])
        p_ca = float(row[CLINICAL_ADVICE_INDEX])
        if not (math.isfinite(p_deploy) and math.isfinite(p_ht) and math.isfinite(p_ca)):
            raise ValueError(f"Probabilities must be finite. Got {list(row)}.")
        if p_deploy >= self.threshold_for(slice_value):
            return Disposition.DEPLOY
        return Disposition.HEAR_AND_TREAT if p_ht > p_ca else Disposition.CLINICAL_ADVICE

    @classmethod
    def target_fields(cls) -> tuple[str, ...]:
        """The fields that say what the policy was fitted to (``GET /v1/model``'s ``target``)."""
        return tuple(f.name for f in fields(cls) if f.metadata.get("fit_to"))

    def describe(self) -> dict[str, Any]:
        """Plain values for the registry's metadata, the report and ``GET /v1/model``."""
        d = {f.name: getattr(self, f.name) for f in fields(self)}
        d["slice_thresholds"] = dict(self.slice_thresholds or {})
        d["slice_fit"] = {k: dict(v) for k, v in (self.slice_fit or {}).items()}
        d["slice_tolerances"] = dict(self.slice_tolerances or {})
        return d


def _fit_slices(
    p: np.ndarray,
    t: np.ndarray,
    slices: Sequence[str | None],
    threshold: float,
    cap: float,
    min_deploys: int,
    caps: Mapping[str, float] | None = None,
) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
    """Per slice, the largest threshold <= ``threshold`` keeping its under-triage <= its cap
    (``caps[slice]``, else ``cap``)."""
    values = np.array(["" if v is None else str(v) for v in slices], dtype=object)
    out: dict[str, float] = {}
    fit: dict[str, dict[str, float]] = {}
    is_deploy = t == DEPLOY_INDEX
    for v in sorted(set(values[is_deploy].tolist()) - {""}):
        in_slice = values == v
        dp = np.sort(p[is_deploy & in_slice, DEPLOY_INDEX])
        n = int(dp.shape[0])
        if n < min_deploys:
            continue
        own = (caps or {}).get(v, cap)
        before = int((dp < threshold).sum()) / n
        if before <= own:
            continue
        k = math.floor(own * n)  # misses allowed
        th = min(float(dp[k]), threshold)
        out[v] = th
        caught, others = lowered_band(p[:, DEPLOY_INDEX], is_deploy, in_slice, th, threshold)
        fit[v] = {
            "n_deploy": float(n),
            "under_triage_before": before,
            "under_triage_after": int((dp < th).sum()) / n,
            "threshold": th,
            "cap": own,
            "deploys_caught": float(caught),
            "others_deployed": float(others),
        }
    return out, fit


def lowered_band(p_deploy: np.ndarray, is_deploy: np.ndarray, in_slice: np.ndarray,
                 slice_threshold: float, threshold: float) -> tuple[int, int]:
    """The price of a slice's lower threshold, counted on labelled rows: of the slice's requests
    it newly deploys (``slice_threshold <= p_deploy < threshold``), those that needed the
    ambulance (the misses it removes) and those that did not (ambulances sent unneeded)."""
    band = in_slice & (p_deploy >= slice_threshold) & (p_deploy < threshold)
    caught = int((band & is_deploy).sum())
    return caught, int(band.sum()) - caught


def price_per_catch(fit: Mapping[str, float]) -> float | None:
    """Requests that needed no ambulance deployed by a slice's own threshold for each deploy it
    caught on validation (None when the fit did not record the counts or caught none)."""
    caught = fit.get("deploys_caught")
    others = fit.get("others_deployed")
    if caught is None or others is None or caught <= 0:
        return None
    return float(others) / float(caught)


def margin_price(threshold: float) -> float:
    """At the margin of a calibrated threshold ``t`` a request deployed needs the ambulance with
    probability ``t``: about ``(1 - t) / t`` requests that need none are sent for each one that
    does. The global threshold's price, to set beside each slice's measured one."""
    if not (0.0 < threshold <= 1.0):
        raise ValueError(f"threshold must be in (0, 1]. Got {threshold!r}.")
    return (1.0 - threshold) / threshold
