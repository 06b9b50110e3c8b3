"""Several histogram gradient boosting fits averaged: the boosted stack's variance reduced.

Why: the served threshold is an order statistic of a few hundred validation deploys (the custody
slice's is the 16th smallest of about 400), read off isotonic calibration steps. One boosting fit
depends on its random state (the early-stopping split, and through ``triage.model`` which rows it
learns from), and on 300,000 synthetic rows the state alone moved the custody threshold from
0.023 to 0.048 and every hand-written suite's acceptable rate by up to 5 points (2026-12-03,
``benchmarks/measure_training_variance.py``). Averaging the raw scores of ``n_members`` fits,
each on its own bootstrap sample and stopped early on the rows that sample left out, is
bagging: the average moves less from one draw to the next than any one fit does.

The average is of raw scores (log-odds), not probabilities: the result is still a sum of trees
plus a baseline, which ``triage.fastscore`` compiles as it compiles one fit (each member's leaf
values divided by ``n_members``), and which ``CalibratedClassifierCV`` calibrates as it does
one fit's ``decision_function``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import numpy as np
from scipy.special import softmax
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.utils.validation import check_is_fitted

log = logging.getLogger(__name__)

#: ``HistGradientBoostingClassifier(early_stopping="auto")`` stops early above this many rows.
AUTO_EARLY_STOPPING_ROWS = 10_000


class AveragedBoosting(ClassifierMixin, BaseEstimator):
    """``n_members`` ``HistGradientBoostingClassifier`` fits; raw scores averaged.

    ``params``: the boosting's keyword arguments (``triage.manifest.TrainConfig.boosted_params``).
    ``bootstrap``: each member learns from a bootstrap sample of the rows (with replacement, as
    many as given) and, when ``params`` ask for early stopping, stops on the rows its sample
    left out (out of bag); otherwise every member sees every row and only its early-stopping
    split and random state differ. ``random_state``: seeds every member's state and sample (one
    ``numpy.random.SeedSequence`` spawned per member), so a fit is repeatable.
    """

    def __init__(
        self,
        *,
        n_members: int = 5,
        params: Mapping[str, Any] | None = None,
        bootstrap: bool = True,
        random_state: int | None = None,
    ) -> None:
        self.n_members = n_members
        self.params = params
        self.bootstrap = bootstrap
        self.random_state = random_state

    def fit(self, X: np.ndarray, y: np.ndarray) -> AveragedBoosting:
        if not isinstance(self.n_members, int) or self.n_members < 1:
            raise ValueError(f"n_members must be an integer >= 1. Got {self.n_members!r}.")
        X = np.asarray(X, dtype=np.float64)
        y = np.asarray(y)
        if X.shape[0] != y.shape[0]:
            raise ValueError(f"X and y differ in length: {X.shape[0]} vs {y.shape[0]}.")
        classes = np.unique(y)
        seeds = np.random.SeedSequence(self.random_state).spawn(self.n_members)
        members: list[HistGradientBoostingClassifier] = []
        for seed in seeds:
            rng = np.random.default_rng(seed)
            member = HistGradientBoostingClassifier(
                random_state=int(rng.integers(0, 2**31 - 1)), **dict(self.params or {})
            )
            if not self.bootstrap:
                members.append(member.fit(X, y))
                continue
            rows, out_of_bag = self._draw(rng, y, classes)
            # scikit-learn's own rule: 'auto' stops early above 10,000 rows
            stops = member.early_stopping is True or (
                member.early_stopping == "auto" and rows.shape[0] > AUTO_EARLY_STOPPING_ROWS)
            if stops and out_of_bag.shape[0]:
                # Early stopping on the rows this member never drew: a split of the bootstrap
                # sample itself holds copies of training rows, its loss keeps falling, and the
                # member runs to the cap (measured: 150 iterations of 150 against 46 for one fit).
                member.set_params(early_stopping=True)
                member.fit(X[rows], y[rows], X_val=X[out_of_bag], y_val=y[out_of_bag])
            else:
                if stops:
                    log.warning(
                        "boosting member %d: its sample left no row out, so it stops early on "
                        "a split of its own sample (it may run longer)", len(members) + 1)
                member.fit(X[rows], y[rows])
            members.append(member)
        self.members_ = members
        self.classes_ = members[0].classes_
        self.n_features_in_ = X.shape[1]
        self.n_iter_ = [int(m.n_iter_) for m in members]
        return self

    @staticmethod
    def _draw(
        rng: np.random.Generator, y: np.ndarray, classes: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """A bootstrap sample holding every class (drawn again otherwise: a member whose
        scores had another shape could not be averaged) and the rows it left out."""
        n = y.shape[0]
        while True:
            rows = np.sort(rng.integers(0, n, n))
            if np.unique(y[rows]).shape[0] == classes.shape[0]:
                break
        drawn = np.zeros(n, dtype=bool)
        drawn[rows] = True
        # The rows left out may lack a rare class: the validation loss is still defined (the
        # member's classes come from its sample), and a split of the sample would be worse.
        return rows, np.flatnonzero(~drawn)

    def decision_function(self, X: np.ndarray) -> np.ndarray:
        """The members' raw scores (n, n_classes), averaged."""
        check_is_fitted(self, "members_")
        X = np.asarray(X, dtype=np.float64)
        total = np.asarray(self.members_[0].decision_function(X), dtype=np.float64)
        for member in self.members_[1:]:
            total = total + member.decision_function(X)
        return total / len(self.members_)

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """The softmax of the averaged raw scores (before calibration)."""
        raw = self.decision_function(X)
        if raw.ndim == 1:  # two classes: the raw score is the second class's log-odds
            raw = np.column_stack([np.zeros_like(raw), raw])
        return np.asarray(softmax(raw, axis=1))

    def predict(self, X: np.ndarray) -> np.ndarray:
        return np.asarray(self.classes_[np.argmax(self.predict_proba(X), axis=1)])
