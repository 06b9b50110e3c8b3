"""Build, compare and calibrate the candidate models: the one Pipeline trained, saved and served.

Two candidates share the same features (``triage.features.RequestFeatures``):

- ``linear``: multinomial logistic regression on the sparse text + fact features.
- ``boosted``: a stack. Histogram gradient boosting reads the fact columns densely together with
  the linear model's three decision values, so it can learn interactions the linear model cannot
  (age x fall, custody vs licensed premises, a text cue that matters only when the person is
  unconscious...). The boosting is trained on rows held out of the linear model's fit
  (``boost_fraction`` of the fit rows, at most ``max_boost_rows``), so it learns how far to
  trust the linear scores on text the linear model has not seen. Both candidates share that one
  linear model: one linear fit, and the comparison measures what the boosting adds. The
  boosting is ``boosting_members`` fits on bootstrap samples with their raw scores averaged
  (``triage.boosting``): one fit's random state alone moved every suite's reading by up to 5
  points.

Each candidate is calibrated (isotonic, one-vs-rest then renormalised, via
``CalibratedClassifierCV`` on a frozen estimator) on a calibration slice held out of ``train``
(the latest ``calibration_fraction`` by ``received_at``). Each is then evaluated on ``valid``: a
``DecisionPolicy`` is fitted there at the under-triage target, and the candidate with the higher
*diversion* (share of all requests suggested non-deploy) at that target wins, unless its lead is
within the gap's bootstrap noise, when the better calibrated wins (``triage.comparison``);
accuracy plays no part. The winner's policy is the served policy.

Scale: rows beyond ``max_fit_rows`` of the fit part are not used to fit (a seeded random
subsample is); the vocabulary is built on at most ``max_vocab_rows`` of them, plus every row of
the hand-written corpus when one is given (``triage.corpus``: the linear fit's rows only, with
its fact columns zeroed; ``fit_rows`` counts them, ``corpus_share`` is their share of the fit's
weight). The calibration
slice is capped at ``max_calibration_rows``. ``valid`` is always used whole (the threshold's
margin is tighter the more deploys it sees). These caps keep ``fit_model`` on a million-row
export within its time and memory budget on two cores; on this synthetic history the model is
within a few percent of the oracle by 50,000 rows, so more rows buy little. The comparison and
the served model are fitted on the same rows, so there is no separate refit.

Every hyperparameter named here is a field of ``triage.manifest.TrainConfig``, recorded in the
manifest of each model trained with it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl
import scipy.sparse as sp
from joblib import Parallel, delayed
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted
from threadpoolctl import threadpool_limits

from triage.boosting import AveragedBoosting
from triage.comparison import Contender, choose
from triage.corpus import Corpus
from triage.features import (
    PARALLEL_MIN_ROWS,
    FactFeatures,
    RequestFeatures,
    TextFeatures,
    effective_jobs,
)
from triage.manifest import TrainConfig
from triage.metrics import expected_calibration_error
from triage.policy import (
    SLICE_FIELD,
    SLICE_TOLERANCE,
    DecisionPolicy,
    check_slice_tolerances,
    diversion_rate,
    under_triage_rate,
)
from triage.records import column, narratives
from triage.schema import DEPLOY_INDEX, DISPOSITIONS, IncidentType, disposition_indices
from triage.text.negation import preprocess

log = logging.getLogger(__name__)

LABEL_COLUMN = "disposition"
TIME_COLUMN = "received_at"
CANDIDATES: tuple[str, ...] = ("linear", "boosted")
#: The policy's slices (``SLICE_FIELD`` is ``incident_type``): the names a per-slice tolerance
#: may use.
INCIDENT_TYPES: frozenset[str] = frozenset(t.value for t in IncidentType)

#: The default configuration (``triage.manifest.TrainConfig``: every hyperparameter, recorded
#: in each manifest).
DEFAULT_CONFIG = TrainConfig()


@dataclass
class TrainedModel:
    """The one object trained, saved (joblib) and served.

    ``pipeline.predict_proba(records)`` gives calibrated probabilities in ``DISPOSITIONS`` order
    for a polars frame of requests or a sequence of request mappings. ``policy`` turns them into
    dispositions. ``kind`` names the winning candidate; ``comparison`` holds each candidate's
    validation figures (the evidence for the choice); ``feature_names`` the feature columns.
    """

    pipeline: Pipeline
    policy: DecisionPolicy
    kind: str
    comparison: list[dict[str, float | str]] = field(default_factory=list)
    feature_names: tuple[str, ...] = ()


class LinearScores(TransformerMixin, BaseEstimator):
    """Stack input for the boosted model: the fact columns (dense) then a linear model's scores.

    ``linear`` is a classifier with ``decision_function`` (pass a ``FrozenEstimator`` to reuse a
    fitted one); ``fact_columns`` the columns of the sparse input copied through densely.
    """

    def __init__(
        self, *, linear: Any = None, fact_columns: Sequence[int] | np.ndarray = ()
    ) -> None:
        self.linear = linear
        self.fact_columns = fact_columns

    def fit(self, X: sp.spmatrix, y: Any = None) -> LinearScores:
        if self.linear is None:
            raise ValueError("LinearScores needs a linear classifier (got linear=None).")
        self.linear_ = clone(self.linear).fit(X, y)
        self.fact_columns_ = np.asarray(self.fact_columns, dtype=np.int64)
        return self

    def transform(self, X: sp.spmatrix) -> np.ndarray:
        check_is_fitted(self, "linear_")
        return stack_input(X, self.fact_columns_, self.linear_.decision_function(X))


def stack_input(X: sp.spmatrix, fact_columns: np.ndarray, scores: np.ndarray) -> np.ndarray:
    facts = sp.csr_matrix(X)[:, fact_columns].toarray()
    return np.hstack([facts, np.asarray(scores, dtype=np.float64)])


# --------------------------------------------------------------------------------------------
# Metrics used for the comparison
# --------------------------------------------------------------------------------------------


def candidate_figures(
    proba: np.ndarray,
    y: np.ndarray,
    target_under_triage: float,
    slices: Sequence[str | None] | None = None,
    slice_tolerance: float | None = None,
    slice_tolerances: Mapping[str, float] | None = None,
) -> tuple[DecisionPolicy, dict[str, float]]:
    """The candidate's policy fitted on validation, and the figures the candidates are
    compared by (``slice_tolerance`` None: the policy's default, ``SLICE_TOLERANCE``)."""
    policy = DecisionPolicy.fit(
        proba, y, target_under_triage, slices=slices,
        slice_tolerance=SLICE_TOLERANCE if slice_tolerance is None else slice_tolerance,
        slice_tolerances=slice_tolerances,
    )
    pred = policy.decide(proba, slices)
    eps = 1e-15
    figures = {
        "diversion": diversion_rate(pred),
        "under_triage": under_triage_rate(y, pred),
        "under_triage_upper": policy.valid_under_triage_upper,
        "deploy_threshold": policy.deploy_threshold,
        "ece_deploy": expected_calibration_error(proba[:, DEPLOY_INDEX], y == DEPLOY_INDEX),
        "ece_classwise": float(
            np.mean(
                [expected_calibration_error(proba[:, k], y == k) for k in range(len(DISPOSITIONS))]
            )
        ),
        "log_loss": float(-np.mean(np.log(np.clip(proba[np.arange(len(y)), y], eps, 1.0)))),
        "accuracy": float(np.mean(proba.argmax(axis=1) == y)),
    }
    return policy, figures


# --------------------------------------------------------------------------------------------
# Fitting
# --------------------------------------------------------------------------------------------


def labels(df: pl.DataFrame) -> np.ndarray:
    """The ``disposition`` column as indices into DISPOSITIONS."""
    if LABEL_COLUMN not in df.columns:
        raise ValueError(f"The data has no {LABEL_COLUMN!r} column (the label).")
    return disposition_indices(df.get_column(LABEL_COLUMN), what=LABEL_COLUMN)


def _split_calibration(
    train: pl.DataFrame, rng: np.random.Generator, config: TrainConfig
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Fit part = earlier rows, calibration part = the latest calibration_fraction (by time)."""
    df = train.sort(TIME_COLUMN, maintain_order=True) if TIME_COLUMN in train.columns else train
    n_cal = min(max(int(df.height * config.calibration_fraction), 1),
                config.max_calibration_rows)
    fit_part, cal = df.head(df.height - n_cal), df.tail(n_cal)
    if fit_part.height > config.max_fit_rows:
        keep = np.sort(rng.choice(fit_part.height, config.max_fit_rows, replace=False))
        fit_part = fit_part[keep]
    return fit_part, cal


def preprocess_many(texts: Sequence[str], n_jobs: int | None = None) -> list[str]:
    """``triage.text.negation.preprocess`` of many narratives, on up to ``n_jobs`` processes.

    Preprocessing (regular expressions, pure Python) dominates feature extraction; on a
    million-row export splitting it over the machine's cores halves the wall time.
    """
    jobs = effective_jobs(n_jobs)
    if jobs <= 1 or len(texts) < PARALLEL_MIN_ROWS:
        return [preprocess(t) for t in texts]
    size = -(-len(texts) // (jobs * 4))
    chunks = [list(texts[i : i + size]) for i in range(0, len(texts), size)]
    parts = Parallel(n_jobs=jobs)(delayed(_preprocess_chunk)(c) for c in chunks)
    return [p for part in parts for p in part]


def _preprocess_chunk(texts: list[str]) -> list[str]:
    return [preprocess(t) for t in texts]


def _linear(config: TrainConfig) -> LogisticRegression:
    return LogisticRegression(
        C=config.linear_c,
        solver=config.linear_solver,
        max_iter=config.linear_max_iter,
        tol=config.linear_tol,
        random_state=config.random_state,
    )


def _calibrate(estimator: Any, X: Any, y: np.ndarray, config: TrainConfig
               ) -> CalibratedClassifierCV:
    return CalibratedClassifierCV(FrozenEstimator(estimator),
                                  method=config.calibration_method).fit(X, y)


def _check_inputs(train: pl.DataFrame, valid: pl.DataFrame, candidates: Sequence[str]) -> None:
    for name, df in (("train", train), ("valid", valid)):
        if not isinstance(df, pl.DataFrame):
            raise TypeError(f"{name} must be a polars DataFrame. Got {type(df).__name__}.")
        if df.height == 0:
            raise ValueError(f"{name} has no rows.")
    bad = [c for c in candidates if c not in CANDIDATES]
    if bad or not candidates:
        raise ValueError(
            f"candidates must be a non-empty subset of {CANDIDATES}. Got {candidates}."
        )


def set_feature_jobs(model: TrainedModel, n_jobs: int | None) -> TrainedModel:
    """Give the pipeline's feature step ``n_jobs`` processes for large inputs (a setting of the
    machine that runs it: never pickled, see ``RequestFeatures.__getstate__``)."""
    features = model.pipeline.steps[0][1]
    if isinstance(features, RequestFeatures):
        features.n_jobs = n_jobs
    return model


#: kind, its pipeline, its policy, its validation figures, its validation probabilities.
Candidate = tuple[str, Pipeline, DecisionPolicy, dict[str, float | str], np.ndarray]


@dataclass
class _Prepared:
    """What both candidates share: the fitted features, the matrices and the labels."""

    features: RequestFeatures
    names: tuple[str, ...]
    X_lin: Any
    y_lin: np.ndarray
    #: Per-row weights of the linear fit (None: all 1, no corpus).
    lin_weights: np.ndarray | None
    #: The corpus' share of the linear fit's total weight (0 without one): the same weight is a
    #: larger share of a smaller export, so every candidate records it.
    corpus_share: float
    boost_df: pl.DataFrame
    y_boost: np.ndarray
    X_cal: Any
    y_cal: np.ndarray
    X_val: Any
    y_val: np.ndarray
    val_slices: Sequence[str | None] | None


def _prepare(train: pl.DataFrame, valid: pl.DataFrame, config: TrainConfig,
             rng: np.random.Generator, say: Callable[[str], None], t_start: float,
             corpus: Corpus | None = None) -> _Prepared:
    """Split off calibration and boosting rows, add the corpus to the linear rows, build the
    vocabulary, extract the features."""
    fit_df, cal_df = _split_calibration(train, rng, config)
    y_fit, y_cal, y_val = labels(fit_df), labels(cal_df), labels(valid)
    missing = [d.value for k, d in enumerate(DISPOSITIONS) if not (y_fit == k).any()]
    if missing:
        raise ValueError(f"The training data has no rows labelled {missing}; cannot fit.")
    say(
        f"fit rows {fit_df.height:,}, calibration rows {cal_df.height:,}, "
        f"valid rows {valid.height:,}"
    )
    # Rows for the boosting stage are held out of the linear model's fit, so the boosting
    # learns from honest (out-of-sample) linear scores; both candidates share that one linear
    # model, so the comparison is about the boosting alone and it costs one linear fit.
    order = rng.permutation(fit_df.height)
    n_boost = (min(int(fit_df.height * config.boost_fraction), config.max_boost_rows)
               if "boosted" in config.candidates else 0)
    lin_df, boost_df = fit_df[np.sort(order[n_boost:])], fit_df[np.sort(order[:n_boost])]
    del fit_df
    n_history = lin_df.height
    weights = None
    if corpus is not None and corpus.rows:
        # The corpus joins the linear fit only: calibration, boosting and validation stay
        # history, so the policy and every figure are still fitted and measured on it.
        lin_df = pl.concat([lin_df, corpus.frame], how="diagonal_relaxed")
        weights = np.ones(lin_df.height)
        weights[n_history:] = corpus.weight
        say(f"corpus: {corpus.rows:,} hand-written rows at weight {corpus.weight:g}")

    pre_lin = preprocess_many(narratives(lin_df), config.feature_jobs)
    say(f"narratives preprocessed ({time.perf_counter() - t_start:.1f}s)")
    vocab = np.arange(lin_df.height)
    if n_history > config.max_vocab_rows:
        # A sample of history builds the vocabulary; every corpus row is always in it.
        vocab = np.concatenate((
            np.sort(rng.choice(n_history, config.max_vocab_rows, replace=False)),
            np.arange(n_history, lin_df.height),
        ))
    features = RequestFeatures(text=TextFeatures(), facts=FactFeatures(),
                               n_jobs=config.feature_jobs)
    features.fit(lin_df[vocab], preprocessed=[pre_lin[i] for i in vocab.tolist()])
    say(f"vocabulary built ({time.perf_counter() - t_start:.1f}s)")
    X_lin = features.transform(lin_df, pre_lin)
    if weights is not None:
        X_lin = _without_facts(X_lin, n_history, features.fact_columns_)
    prepared = _Prepared(
        features=features, names=(), X_lin=X_lin,
        y_lin=labels(lin_df), lin_weights=weights,
        corpus_share=0.0 if weights is None else float(weights[n_history:].sum() / weights.sum()),
        boost_df=boost_df, y_boost=labels(boost_df),
        X_cal=features.transform(cal_df), y_cal=y_cal, X_val=features.transform(valid),
        y_val=y_val, val_slices=column(valid, SLICE_FIELD),
    )
    prepared.names = tuple(str(n) for n in features.get_feature_names_out())
    say(f"features: {len(prepared.names):,} columns ({time.perf_counter() - t_start:.1f}s)")
    return prepared


def _without_facts(X: sp.csr_matrix, start: int, fact_columns: np.ndarray) -> sp.csr_matrix:
    """``X`` with the fact columns of rows ``start:`` (the corpus) set to zero.

    A corpus row carries its narrative only (``triage.corpus``): left in, every structured field
    would read "missing" and the corpus would teach what a missing fact means. Zeroed, the fact
    weights get no gradient from the corpus and are learned from history alone.
    """
    keep = np.ones(X.shape[1])
    keep[np.asarray(fact_columns, dtype=np.int64)] = 0.0
    corpus = sp.csr_matrix(X[start:] @ sp.diags(keep))
    corpus.eliminate_zeros()
    return sp.csr_matrix(sp.vstack([X[:start], corpus], format="csr"))


def _linear_candidate(linear: LogisticRegression, data: _Prepared, config: TrainConfig,
                      seconds: float) -> Candidate:
    cal = _calibrate(linear, data.X_cal, data.y_cal, config)
    pipe = Pipeline([("features", data.features), ("classifier", cal)])
    proba = cal.predict_proba(data.X_val)
    policy, fig = candidate_figures(proba, data.y_val, config.target_under_triage,
                                    data.val_slices, config.slice_tolerance,
                                    config.slice_tolerances)
    row: dict[str, float | str] = {
        "kind": "linear", **fig, "fit_rows": float(data.y_lin.shape[0]), "fit_seconds": seconds,
        "corpus_share": data.corpus_share,
    }
    return "linear", pipe, policy, row, proba


def _boosted_candidate(linear: LogisticRegression, data: _Prepared, config: TrainConfig,
                       linear_seconds: float, say: Callable[[str], None]) -> Candidate:
    t0 = time.perf_counter()
    # FrozenEstimator: fit() keeps the fitted linear model (the data passed is not used).
    scores = LinearScores(
        linear=FrozenEstimator(linear), fact_columns=data.features.fact_columns_
    ).fit(data.X_cal, data.y_cal)
    Z_boost = scores.transform(data.features.transform(data.boost_df))
    say(f"boosting input ready ({time.perf_counter() - t0:.1f}s)")
    booster: HistGradientBoostingClassifier | AveragedBoosting
    if config.boosting_members > 1:
        booster = AveragedBoosting(n_members=config.boosting_members,
                                   params=config.boosted_params,
                                   bootstrap=config.boosting_bootstrap,
                                   random_state=config.random_state)
    else:
        booster = HistGradientBoostingClassifier(random_state=config.random_state,
                                                 **config.boosted_params)
    # Few OpenMP threads (TrainConfig.boosting_threads says why).
    with threadpool_limits(limits=config.boosting_threads, user_api="openmp"):
        booster.fit(Z_boost, data.y_boost)
    say(f"boosting fitted, {booster.n_iter_} iterations ({time.perf_counter() - t0:.1f}s)")
    cal = _calibrate(booster, scores.transform(data.X_cal), data.y_cal, config)
    pipe = Pipeline([("features", data.features), ("scores", scores), ("classifier", cal)])
    proba = cal.predict_proba(scores.transform(data.X_val))
    policy, fig = candidate_figures(proba, data.y_val, config.target_under_triage,
                                    data.val_slices, config.slice_tolerance,
                                    config.slice_tolerances)
    row: dict[str, float | str] = {
        "kind": "boosted", **fig, "fit_rows": float(data.y_boost.shape[0]),
        "corpus_share": data.corpus_share,
        "fit_seconds": time.perf_counter() - t0 + linear_seconds,
        "n_iter": float(np.mean(booster.n_iter_)),
    }
    return "boosted", pipe, policy, row, proba


def fit_model(
    train: pl.DataFrame,
    valid: pl.DataFrame,
    *,
    config: TrainConfig = DEFAULT_CONFIG,
    target_under_triage: float | None = None,
    candidates: Sequence[str] | None = None,
    random_state: int | None = None,
    progress: Callable[[str], None] | None = None,
    corpus: Corpus | None = None,
) -> TrainedModel:
    """Fit every candidate on ``train``, calibrate, compare on ``valid`` by diversion at target.

    ``train`` and ``valid`` are request frames with a ``disposition`` column, split by time by
    the caller. Any ``p_*`` columns (the synthetic generator's truths) are never read.
    ``corpus`` (``triage.corpus``), when given, joins the linear model's fit rows at its weight
    and nothing else.
    ``config`` holds the hyperparameters; ``target_under_triage``, ``candidates`` and
    ``random_state``, when given, override its own.
    """
    given = {"target_under_triage": target_under_triage, "random_state": random_state,
             "candidates": None if candidates is None else tuple(candidates)}
    overrides = {k: v for k, v in given.items() if v is not None}
    config = config.model_copy(update=overrides) if overrides else config
    _check_inputs(train, valid, config.candidates)
    # a tolerance for a slice that does not exist would be silently never applied
    check_slice_tolerances(config.slice_tolerances, known=INCIDENT_TYPES)
    say = progress or (lambda msg: log.info("%s", msg))
    rng = np.random.default_rng(config.random_state)
    t_start = time.perf_counter()
    data = _prepare(train, valid, config, rng, say, t_start, corpus)

    t0 = time.perf_counter()
    linear = _linear(config).fit(data.X_lin, data.y_lin, sample_weight=data.lin_weights)
    linear_seconds = time.perf_counter() - t0
    say(f"linear model fitted on {data.X_lin.shape[0]:,} rows ({linear_seconds:.1f}s)")
    data.X_lin = None

    results: list[Candidate] = []
    if "linear" in config.candidates:
        results.append(_linear_candidate(linear, data, config, linear_seconds))
        say(_describe(results[-1][3]))
    if "boosted" in config.candidates:
        results.append(_boosted_candidate(linear, data, config, linear_seconds, say))
        say(_describe(results[-1][3]))

    choice = choose(
        [Contender(r[0], r[4], float(r[3]["diversion"]), float(r[3]["ece_deploy"]))
         for r in results],
        data.y_val, config.target_under_triage, slices=data.val_slices,
        slice_tolerance=(SLICE_TOLERANCE if config.slice_tolerance is None
                         else config.slice_tolerance),
        z=config.comparison_z, resamples=config.comparison_resamples,
        random_state=config.random_state, slice_tolerances=config.slice_tolerances,
    )
    kind, pipe, policy, _, _ = next(r for r in results if r[0] == choice.kind)
    for r in results:
        r[3]["chosen"] = "yes" if r[0] == choice.kind else "no"
        r[3]["diversion_gap_se"] = choice.gap_se
        r[3]["choice"] = choice.reason
    say(f"chosen: {choice.reason}; total {time.perf_counter() - t_start:.1f}s")
    return TrainedModel(pipeline=pipe, policy=policy, kind=kind,
                        comparison=[r[3] for r in results], feature_names=data.names)


def _describe(row: Mapping[str, float | str]) -> str:
    return (
        f"{row['kind']}: diversion {float(row['diversion']):.3%} at under-triage "
        f"{float(row['under_triage']):.3%} (threshold {float(row['deploy_threshold']):.4f}), "
        f"ECE(deploy) {float(row['ece_deploy']):.4f}, log-loss {float(row['log_loss']):.4f}, "
        f"{float(row['fit_seconds']):.1f}s"
    )
