"""AveragedBoosting: the estimator contract, the average it serves, and the fast path's parity.

Data is SYNTHETIC: small random matrices, and ``triage.history.synth`` rows for the stacked
model (tests/model_support.py).
"""

from __future__ import annotations

import numpy as np
import pytest
from model_support import history

from triage.boosting import AveragedBoosting
from triage.history.synth import generate
from triage.manifest import TrainConfig
from triage.model import fit_model
from triage.predictor import Predictor

PARAMS = {"max_iter": 30, "early_stopping": True, "validation_fraction": 0.2,
          "n_iter_no_change": 5, "max_leaf_nodes": 7}


def _data(n: int = 600, seed: int = 3) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 4))
    score = X[:, 0] + 0.5 * X[:, 1] + rng.normal(scale=0.5, size=n)
    y = np.digitize(score, [-0.5, 0.7])
    return X, y


def test_fit_keeps_the_estimator_contract() -> None:
    X, y = _data()
    model = AveragedBoosting(n_members=3, params=PARAMS, random_state=1)
    assert model.fit(X, y) is model
    assert len(model.members_) == 3
    assert model.classes_.tolist() == [0, 1, 2]
    assert model.n_features_in_ == 4
    assert len(model.n_iter_) == 3
    # __init__ stores its arguments untouched (get_params / clone round-trip)
    assert model.get_params()["params"] is PARAMS
    assert model.get_params()["n_members"] == 3


def test_the_average_is_the_members_raw_scores_averaged() -> None:
    X, y = _data()
    model = AveragedBoosting(n_members=4, params=PARAMS, random_state=2).fit(X, y)
    expected = np.mean([m.decision_function(X) for m in model.members_], axis=0)
    assert np.allclose(model.decision_function(X), expected, atol=1e-12)
    proba = model.predict_proba(X)
    assert np.allclose(proba.sum(axis=1), 1.0)
    assert (model.predict(X) == np.argmax(expected, axis=1)).all()


def test_members_differ_and_a_fit_is_repeatable() -> None:
    X, y = _data()
    a = AveragedBoosting(n_members=3, params=PARAMS, random_state=5).fit(X, y)
    b = AveragedBoosting(n_members=3, params=PARAMS, random_state=5).fit(X, y)
    c = AveragedBoosting(n_members=3, params=PARAMS, random_state=6).fit(X, y)
    assert np.array_equal(a.decision_function(X), b.decision_function(X))
    assert not np.array_equal(a.decision_function(X), c.decision_function(X))
    raws = [m.decision_function(X) for m in a.members_]
    assert not np.array_equal(raws[0], raws[1])


def test_without_bootstrap_each_member_sees_every_row() -> None:
    X, y = _data()
    params = {**PARAMS, "early_stopping": False}
    model = AveragedBoosting(n_members=2, params=params, bootstrap=False, random_state=0)
    model.fit(X, y)
    # No early-stopping split and no bootstrap: the members are the same fit.
    a, b = (m.decision_function(X) for m in model.members_)
    assert np.allclose(a, b)


def test_a_bootstrap_member_always_sees_every_class() -> None:
    X, y = _data(n=300)
    y = y.copy()
    y[:] = 0
    y[:3] = 1  # a rare class: one bootstrap draw in twenty lacks all three rows
    y[3:60] = 2
    model = AveragedBoosting(n_members=40, params={"max_iter": 3}, random_state=0).fit(X, y)
    assert all(m.classes_.tolist() == [0, 1, 2] for m in model.members_)


@pytest.mark.parametrize("bad", [0, -1, 2.5, "3"])
def test_a_bad_member_count_is_refused_by_name(bad: object) -> None:
    X, y = _data(n=50)
    with pytest.raises(ValueError, match=r"n_members must be an integer >= 1\. Got"):
        AveragedBoosting(n_members=bad, params=PARAMS).fit(X, y)  # type: ignore[arg-type]


@pytest.mark.slow
def test_a_stack_of_averaged_boosting_is_served_as_the_pipeline_computes_it() -> None:
    """The fast path compiles every member's trees (leaf values divided by their number) and
    gives the Pipeline's probabilities; the manifest's configuration says how it was fitted."""
    train, valid = history()
    config = TrainConfig(boosting_members=3, candidates=("boosted",))
    model = fit_model(train, valid, config=config, random_state=0)
    classifier = model.pipeline.named_steps["classifier"]
    base = classifier.calibrated_classifiers_[0].estimator.estimator
    assert isinstance(base, AveragedBoosting) and len(base.members_) == 3
    predictor = Predictor(model, "bagged-v1")
    trees = predictor._scorer.trees
    assert trees is not None
    assert trees.roots.shape[0] == sum(m.n_iter_ * 3 for m in base.members_)
    frame = generate(3_000, 4_242)
    slow = model.pipeline.predict_proba(frame)
    fast = predictor.proba_records(frame.to_dicts())
    off = np.abs(fast - slow).max(axis=1) > 1e-9
    assert off.sum() <= 3, int(off.sum())  # exact ties on a split only (test_predictor.py)


def test_a_bootstrap_member_stops_early_on_the_rows_it_left_out() -> None:
    """Early stopping inside a bootstrap sample judges the fit on copies of its own rows and
    never stops; out of bag, a member stops about where one fit on all the rows does."""
    X, y = _data(n=3_000, seed=9)
    params = {"max_iter": 300, "early_stopping": True, "validation_fraction": 0.2,
              "n_iter_no_change": 5, "max_leaf_nodes": 31, "min_samples_leaf": 5}
    bagged = AveragedBoosting(n_members=3, params=params, random_state=0).fit(X, y)
    from sklearn.ensemble import HistGradientBoostingClassifier

    one = HistGradientBoostingClassifier(random_state=0, **params).fit(X, y)
    rng = np.random.default_rng(0)
    rows = rng.integers(0, X.shape[0], X.shape[0])
    leaky = HistGradientBoostingClassifier(random_state=0, **params).fit(X[rows], y[rows])
    assert leaky.n_iter_ > 1.5 * one.n_iter_  # the failure the out-of-bag rows avoid
    assert max(bagged.n_iter_) < 1.5 * one.n_iter_, (bagged.n_iter_, one.n_iter_)


def test_auto_early_stopping_follows_scikit_learns_row_rule() -> None:
    """'auto' stops early only above 10,000 rows, as scikit-learn's own does: a small sample
    runs every iteration it is given."""
    X, y = _data(n=800, seed=4)
    params = {"max_iter": 40, "early_stopping": "auto", "n_iter_no_change": 2}
    model = AveragedBoosting(n_members=2, params=params, random_state=0).fit(X, y)
    assert model.n_iter_ == [40, 40]


def test_a_rare_class_left_in_every_sample_still_stops_out_of_bag() -> None:
    """A class of one row is in every sample (drawn again otherwise), so no member's left-out
    rows hold it; each still stops early on them rather than failing or splitting its sample."""
    X, y = _data(n=400, seed=5)
    y = y.copy()
    y[:] = 0
    y[:1] = 1
    y[1:80] = 2
    params = {"max_iter": 200, "early_stopping": True, "n_iter_no_change": 3,
              "validation_fraction": 0.2}
    model = AveragedBoosting(n_members=4, params=params, random_state=0).fit(X, y)
    assert all(m.classes_.tolist() == [0, 1, 2] for m in model.members_)
    assert max(model.n_iter_) < 200


def test_fit_model_refuses_a_tolerance_for_a_slice_that_does_not_exist() -> None:
    """A tolerance for a misspelt incident type would never apply: refused before any fit."""
    train, valid = history()
    config = TrainConfig(slice_tolerances={"mental_heath": 0.06})
    with pytest.raises(ValueError, match=r"names 'mental_heath', which is not a slice"):
        fit_model(train, valid, config=config)


@pytest.mark.slow
def test_a_stack_of_one_boosting_fit_still_compiles_and_matches() -> None:
    """One fit (every model registered before averaging, and ``--boosting-members 1``) is a
    plain HistGradientBoostingClassifier, served by the same compiled walk."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    train, valid = history()
    config = TrainConfig(boosting_members=1, candidates=("boosted",))
    assert config.boosting_bootstrap is False  # one fit is recorded as no bootstrap
    model = fit_model(train, valid, config=config, random_state=0)
    base = model.pipeline.named_steps["classifier"].calibrated_classifiers_[0].estimator.estimator
    assert type(base) is HistGradientBoostingClassifier
    predictor = Predictor(model, "single-v1")
    frame = generate(2_000, 4_243)
    slow = model.pipeline.predict_proba(frame)
    fast = predictor.proba_records(frame.to_dicts())
    assert (np.abs(fast - slow).max(axis=1) > 1e-9).sum() <= 2
