"""DecisionPolicy: the deploy threshold, its safety margin, ties and edge probabilities.

All probabilities and labels here are constructed by hand (synthetic), not model output.
"""

from __future__ import annotations

import numpy as np
import pytest

from triage.policy import (
    CLINICAL_ADVICE_INDEX,
    HEAR_AND_TREAT_INDEX,
    SLICE_TOLERANCE,
    DecisionPolicy,
    check_slice_tolerances,
    curve,
    diversion_rate,
    margin_price,
    price_per_catch,
    under_triage_rate,
    upper_bound,
)
from triage.schema import DEPLOY_INDEX, Disposition

HT, CA, DP = HEAR_AND_TREAT_INDEX, CLINICAL_ADVICE_INDEX, DEPLOY_INDEX


def rows(p_deploy: np.ndarray, ht_share: float = 0.6) -> np.ndarray:
    """Probability rows with the given p_deploy; the rest split ht_share : 1 - ht_share."""
    p_deploy = np.asarray(p_deploy, dtype=np.float64)
    rest = 1.0 - p_deploy
    out = np.zeros((p_deploy.shape[0], 3))
    out[:, HT] = rest * ht_share
    out[:, CA] = rest * (1.0 - ht_share)
    out[:, DP] = p_deploy
    return out


def constructed_case(n_deploy: int = 2000, n_other: int = 3000, seed: int = 0):
    rng = np.random.default_rng(seed)
    p = np.concatenate([rng.beta(5, 2, n_deploy), rng.beta(2, 5, n_other)])
    y = np.concatenate([np.full(n_deploy, DP), np.full(n_other, HT)])
    return rows(p), y


def test_fitted_threshold_respects_the_target_with_its_margin() -> None:
    proba, y = constructed_case()
    policy = DecisionPolicy.fit(proba, y, 0.02)
    pred = policy.decide(proba)
    ut = under_triage_rate(y, pred)
    assert ut <= 0.02
    # The margin: the upper 95% bound of the fitted under-triage is within the target too.
    assert policy.valid_under_triage_upper <= 0.02
    assert policy.valid_under_triage == pytest.approx(ut)
    assert policy.valid_diversion == pytest.approx(diversion_rate(pred))
    assert policy.n_valid_deploy == 2000
    # It is the largest such threshold: nudging it above the next deploy probability breaks
    # the margin (one more missed deploy makes the upper bound exceed the target).
    deploy_p = np.sort(proba[y == DP, DP])
    misses = int(np.sum(deploy_p < policy.deploy_threshold))
    assert float(upper_bound(misses + 1, 2000, 0.95)) > 0.02
    assert policy.deploy_threshold == deploy_p[misses]


def test_margin_is_stricter_than_the_point_estimate() -> None:
    proba, y = constructed_case()
    with_margin = DecisionPolicy.fit(proba, y, 0.02)
    # Point estimate alone would allow floor(0.02 * 2000) = 40 misses.
    deploy_p = np.sort(proba[y == DP, DP])
    point_threshold = deploy_p[40]
    assert with_margin.deploy_threshold < point_threshold
    assert with_margin.valid_under_triage < 0.02


def test_boundary_p_deploy_equal_to_threshold_is_deploy() -> None:
    policy = DecisionPolicy(deploy_threshold=0.3, target_under_triage=0.02)
    proba = rows(np.array([0.3, np.nextafter(0.3, 0.0), 0.31]))
    assert policy.decide(proba).tolist() == [DP, HT, DP]
    assert policy.decide_one(proba[0]) is Disposition.DEPLOY
    assert policy.decide_one(proba[1]) is Disposition.HEAR_AND_TREAT


def test_tie_between_hear_and_treat_and_clinical_advice_goes_to_clinical_advice() -> None:
    policy = DecisionPolicy(deploy_threshold=0.5, target_under_triage=0.02)
    tie = np.array([[0.4, 0.4, 0.2]])
    assert policy.decide(tie).tolist() == [CA]
    assert policy.decide_one(tie[0]) is Disposition.CLINICAL_ADVICE
    ht_wins = np.array([[0.41, 0.39, 0.2]])
    assert policy.decide(ht_wins).tolist() == [HT]
    assert policy.decide_one([0.39, 0.41, 0.2]) is Disposition.CLINICAL_ADVICE


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ([0.0, 0.0, 1.0], Disposition.DEPLOY),
        ([1.0, 0.0, 0.0], Disposition.HEAR_AND_TREAT),
        ([0.0, 1.0, 0.0], Disposition.CLINICAL_ADVICE),
        ([0.5, 0.5, 0.0], Disposition.CLINICAL_ADVICE),
    ],
)
def test_decide_on_edge_probabilities(row: list[float], expected: Disposition) -> None:
    policy = DecisionPolicy(deploy_threshold=0.25, target_under_triage=0.02)
    assert policy.decide_one(row) is expected
    assert policy.decide(np.array([row])).tolist() == [list(Disposition).index(expected)]


def test_threshold_zero_deploys_everything_and_one_only_certainty() -> None:
    proba = rows(np.array([0.0, 0.5, 1.0]))
    assert DecisionPolicy(0.0, 0.02).decide(proba).tolist() == [DP, DP, DP]
    assert DecisionPolicy(1.0, 0.02).decide(proba).tolist() == [HT, HT, DP]


@pytest.mark.parametrize(
    ("proba", "match"),
    [
        (np.array([[0.2, 0.8]]), r"shape \(n, 3\)"),
        (np.array([[np.nan, 0.5, 0.5]]), "finite. Row 0"),
        (np.array([0.2, 0.3, 0.5]), r"shape \(n, 3\)"),
    ],
)
def test_decide_rejects_bad_probabilities(proba: np.ndarray, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        DecisionPolicy(0.5, 0.02).decide(proba)


@pytest.mark.parametrize(
    ("row", "match"),
    [([0.5, 0.5], "has 3 values"), ([0.1, float("nan"), 0.9], "finite")],
)
def test_decide_one_rejects_bad_rows(row: list[float], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        DecisionPolicy(0.5, 0.02).decide_one(row)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"deploy_threshold": 1.5, "target_under_triage": 0.02}, "deploy_threshold"),
        ({"deploy_threshold": 0.5, "target_under_triage": 0.0}, "target_under_triage"),
        ({"deploy_threshold": float("nan"), "target_under_triage": 0.02}, "deploy_threshold"),
    ],
)
def test_policy_rejects_bad_settings(kwargs: dict[str, float], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        DecisionPolicy(**kwargs)


def test_fit_rejects_validation_without_deploys_and_bad_labels() -> None:
    proba = rows(np.array([0.1, 0.2]))
    with pytest.raises(ValueError, match="no 'deploy' requests"):
        DecisionPolicy.fit(proba, np.array([HT, CA]), 0.02)
    with pytest.raises(ValueError, match="row 2: label is 'ambulance'"):
        DecisionPolicy.fit(proba, ["deploy", "ambulance"], 0.02)
    with pytest.raises(ValueError, match="differ in length"):
        DecisionPolicy.fit(proba, np.array([DP]), 0.02)


def test_fit_with_few_deploys_allows_no_miss() -> None:
    # 10 deploys: even 0 misses has an upper bound of ~26%, so the threshold is the lowest
    # deploy probability (everything at or above it is deployed).
    proba, y = constructed_case(n_deploy=10, n_other=50)
    policy = DecisionPolicy.fit(proba, y, 0.02)
    assert policy.deploy_threshold == proba[y == DP, DP].min()
    assert under_triage_rate(y, policy.decide(proba)) == 0.0


def test_rates_and_labels_accept_strings_and_dispositions() -> None:
    y_true = ["deploy", Disposition.DEPLOY, "hear_and_treat", "clinical_advice"]
    y_pred = [DP, HT, HT, CA]
    assert under_triage_rate(y_true, y_pred) == 0.5
    assert diversion_rate(y_pred) == 0.75
    assert np.isnan(under_triage_rate([HT], [HT]))


def test_curve_is_monotone_and_matches_decide() -> None:
    proba, y = constructed_case(n_deploy=300, n_other=700, seed=3)
    ut, div, thresholds = curve(proba, y)
    assert np.all(np.diff(thresholds) > 0)
    assert np.all(np.diff(ut) >= 0) and np.all(np.diff(div) >= 0)
    i = len(thresholds) // 2
    pred = DecisionPolicy(float(thresholds[i]), 0.02).decide(proba)
    assert ut[i] == pytest.approx(under_triage_rate(y, pred))
    assert div[i] == pytest.approx(diversion_rate(pred))


def test_describe_reports_the_margin() -> None:
    proba, y = constructed_case()
    d = DecisionPolicy.fit(proba, y, 0.02).describe()
    assert d["margin_method"] == "clopper_pearson_upper"
    assert d["confidence"] == 0.95
    assert d["valid_under_triage_upper"] <= 0.02


# --------------------------------------------------------------------------------------------
# Slice thresholds (issue 10, item 5): a slice that carries too many misses gets its own
# ------------------------------------------------------------------------------------------


def sliced_case(seed: int = 1) -> tuple[np.ndarray, np.ndarray, list[str | None]]:
    """Two slices: 'easy' deploys score high; 'hard' deploys score lower (the model is weaker
    there), so one global threshold hides most misses in 'hard'. Blank slices get the global."""
    rng = np.random.default_rng(seed)
    easy_d, hard_d, other = rng.beta(8, 2, 3000), rng.beta(3, 3, 400), rng.beta(2, 6, 4000)
    p = np.concatenate([easy_d, hard_d, other])
    y = np.concatenate([np.full(3400, DP), np.full(4000, HT)])
    slices: list[str | None] = ["easy"] * 3000 + ["hard"] * 400 + [None, "easy", "hard"] * 1333
    slices.append(None)
    return rows(p), y, slices


def test_a_slice_above_target_plus_tolerance_gets_a_lower_threshold_and_meets_it() -> None:
    proba, y, slices = sliced_case()
    plain = DecisionPolicy.fit(proba, y, 0.02)
    sliced = DecisionPolicy.fit(proba, y, 0.02, slices=slices, slice_tolerance=0.02)
    assert sliced.slice_tolerance == 0.02
    assert sliced.deploy_threshold == plain.deploy_threshold
    assert set(sliced.slice_thresholds) == {"hard"}
    assert sliced.slice_thresholds["hard"] < plain.deploy_threshold
    fit = sliced.slice_fit["hard"]
    assert fit["under_triage_before"] > 0.04 >= fit["under_triage_after"]
    hard = np.array([s == "hard" for s in slices])
    before = under_triage_rate(y[hard], plain.decide(proba)[hard])
    after = under_triage_rate(y[hard], sliced.decide(proba, slices)[hard])
    assert before == pytest.approx(fit["under_triage_before"])
    assert after <= 0.04 < before
    # other rows keep the global threshold
    assert (sliced.decide(proba, slices)[~hard] == plain.decide(proba)[~hard]).all()
    # the one-row path agrees with the batch path, and a blank slice reads the global threshold
    for i in (0, 3100, 3399, 5000, len(slices) - 1):
        one = sliced.decide_one(proba[i], slices[i])
        assert list(Disposition).index(one) == sliced.decide(proba, slices)[i]
    assert sliced.threshold_for(None) == sliced.threshold_for("easy") == sliced.deploy_threshold


def test_a_lowered_slice_records_its_price_in_deploys_caught_and_ambulances_not_needed() -> None:
    """The slice threshold's trade, counted on the rows it was fitted on: the deploys it newly
    sends are exactly the misses it removes, and beside them the requests needing no ambulance
    it sends too; their ratio is the price per deploy caught (None when none was caught)."""
    proba, y, slices = sliced_case()
    plain = DecisionPolicy.fit(proba, y, 0.02)
    sliced = DecisionPolicy.fit(proba, y, 0.02, slices=slices)
    hard = np.array([s == "hard" for s in slices])
    fit = sliced.slice_fit["hard"]
    newly = hard & (sliced.decide(proba, slices) == DP) & (plain.decide(proba) != DP)
    assert fit["deploys_caught"] == int((newly & (y == DP)).sum()) > 0
    assert fit["others_deployed"] == int((newly & (y != DP)).sum()) > 0
    n = fit["n_deploy"]
    assert fit["deploys_caught"] == pytest.approx(
        (fit["under_triage_before"] - fit["under_triage_after"]) * n)
    assert price_per_catch(fit) == fit["others_deployed"] / fit["deploys_caught"]
    assert sliced.describe()["slice_fit"]["hard"]["deploys_caught"] == fit["deploys_caught"]
    assert price_per_catch({"deploys_caught": 0.0, "others_deployed": 5.0}) is None
    assert price_per_catch({"n_deploy": 200.0}) is None  # fitted before the price was recorded
    assert margin_price(0.2) == pytest.approx(4.0)
    assert margin_price(0.05) == pytest.approx(19.0)
    for bad in (0.0, -0.1, 1.5):
        with pytest.raises(ValueError, match="threshold must be in"):
            margin_price(bad)


def test_the_slice_tolerance_decides_which_slices_are_lowered_and_is_recorded() -> None:
    """The tolerance is the trade's one number: the 'hard' slice's under-triage at the global
    threshold is lowered to target + tolerance, and left alone when a looser tolerance covers
    it; the fitted policy records it (the model card and GET /v1/model show it)."""
    proba, y, slices = sliced_case()
    hard = np.array([s == "hard" for s in slices])
    plain = DecisionPolicy.fit(proba, y, 0.02)
    before = under_triage_rate(y[hard], plain.decide(proba)[hard])
    below = before - 0.02 - 0.01  # a tolerance the slice exceeds
    above = before - 0.02 + 0.01  # one that covers it
    lowered = DecisionPolicy.fit(proba, y, 0.02, slices=slices, slice_tolerance=below)
    kept = DecisionPolicy.fit(proba, y, 0.02, slices=slices, slice_tolerance=above)
    assert set(lowered.slice_thresholds) == {"hard"}
    assert under_triage_rate(y[hard], lowered.decide(proba, slices)[hard]) <= 0.02 + below
    assert kept.slice_thresholds == {}
    assert (kept.decide(proba, slices) == plain.decide(proba)).all()
    assert lowered.describe()["slice_tolerance"] == below
    assert DecisionPolicy.fit(proba, y, 0.02, slices=slices).slice_tolerance == SLICE_TOLERANCE
    assert plain.slice_tolerance is None  # fitted without slices
    for bad in (-0.01, 0.51, 1.0, float("nan")):
        with pytest.raises(ValueError, match=r"slice_tolerance must be a fraction from 0 to 0\.5"):
            DecisionPolicy.fit(proba, y, 0.02, slices=slices, slice_tolerance=bad)
        with pytest.raises(ValueError, match=r"slice_tolerance must be a fraction from 0 to 0\.5"):
            DecisionPolicy(0.3, 0.02, slice_tolerance=bad)  # a policy built by hand too


def test_a_slice_with_its_own_tolerance_is_lowered_to_its_own_cap() -> None:
    """``slice_tolerances`` overrides the one tolerance for the slices it names: the 'hard'
    slice at 6 points keeps more of its misses (a higher threshold, more diverted) than at 2,
    the cap is recorded beside the fit, and a bad override names its slice."""
    proba, y, slices = sliced_case()
    hard = np.array([s == "hard" for s in slices])
    strict = DecisionPolicy.fit(proba, y, 0.02, slices=slices, slice_tolerance=0.02)
    loose = DecisionPolicy.fit(proba, y, 0.02, slices=slices, slice_tolerance=0.02,
                               slice_tolerances={"hard": 0.06})
    assert loose.deploy_threshold == strict.deploy_threshold
    assert strict.slice_thresholds["hard"] < loose.slice_thresholds["hard"]
    assert loose.slice_fit["hard"]["cap"] == pytest.approx(0.08)
    assert strict.slice_fit["hard"]["cap"] == pytest.approx(0.04)
    ut_strict = under_triage_rate(y[hard], strict.decide(proba, slices)[hard])
    ut_loose = under_triage_rate(y[hard], loose.decide(proba, slices)[hard])
    assert ut_strict <= 0.04 < ut_loose <= 0.08
    assert loose.describe()["slice_tolerances"] == {"hard": 0.06}
    assert strict.describe()["slice_tolerances"] == {}
    # an override for a slice the data does not lower changes nothing
    other = DecisionPolicy.fit(proba, y, 0.02, slices=slices, slice_tolerances={"easy": 0.0})
    assert other.slice_thresholds == strict.slice_thresholds
    for bad in (0.7, -0.1, float("nan")):
        with pytest.raises(ValueError, match=r"slice_tolerances\['hard'\]: slice_tolerance must"):
            DecisionPolicy.fit(proba, y, 0.02, slices=slices, slice_tolerances={"hard": bad})
    with pytest.raises(ValueError, match="needs a slice name"):
        DecisionPolicy(0.3, 0.02, slice_tolerances={"": 0.02})
    with pytest.raises(ValueError, match=r"names 'soft', which is not a slice; the slices are "
                                         r"easy, hard\."):
        check_slice_tolerances({"hard": 0.06, "soft": 0.06}, known={"easy", "hard"})
    assert check_slice_tolerances({"hard": 0.06}, known={"easy", "hard"}) == {"hard": 0.06}
    # what the policy was fitted to, as GET /v1/model shows it apart from what the fit saw
    assert DecisionPolicy.target_fields() == (
        "target_under_triage", "confidence", "margin_method", "slice_tolerance",
        "slice_tolerances")


def test_slices_with_too_few_deploys_are_not_adjusted() -> None:
    proba, y, slices = sliced_case()
    policy = DecisionPolicy.fit(proba, y, 0.02, slices=slices, min_slice_deploys=10_000)
    assert policy.slice_thresholds == {}


def test_slice_thresholds_are_described_and_validated() -> None:
    proba, y, slices = sliced_case()
    d = DecisionPolicy.fit(proba, y, 0.02, slices=slices).describe()
    assert d["slice_field"] == "incident_type"
    assert set(d["slice_thresholds"]) == {"hard"} and set(d["slice_fit"]) == {"hard"}
    with pytest.raises(ValueError, match=r"slice_thresholds\['x'\] must be in \[0, deploy"):
        DecisionPolicy(0.3, 0.02, slice_thresholds={"x": 0.5})
    with pytest.raises(ValueError, match="slices and proba differ in length"):
        DecisionPolicy.fit(proba, y, 0.02, slices=slices[:10])


def test_a_policy_pickled_before_slices_existed_still_decides() -> None:
    import pickle

    policy = DecisionPolicy(0.3, 0.02)
    state = {k: v for k, v in policy.__dict__.items() if not k.startswith("slice_")}
    old = object.__new__(DecisionPolicy)
    old.__dict__.update(state)
    revived = pickle.loads(pickle.dumps(old))
    proba = rows(np.array([0.5, 0.1]))
    assert revived.decide(proba, ["a", None]).tolist() == [DP, HT]
    assert revived.decide_one(proba[0], "a") is Disposition.DEPLOY
    # fields added since read their class defaults, and GET /v1/model's describe() still works
    assert revived.slice_tolerance is None
    assert revived.describe()["slice_tolerance"] is None


def test_one_label_converter_for_frames_sequences_and_indices() -> None:
    """``triage.schema.disposition_indices`` is the only label encoding: DISPOSITIONS order,
    0-based, rows in messages counted from 1."""
    import polars as pl

    from triage.schema import DISPOSITIONS, disposition_indices

    values = [d.value for d in DISPOSITIONS]
    assert disposition_indices(pl.Series(values)).tolist() == [0, 1, 2]
    assert disposition_indices(list(DISPOSITIONS)).tolist() == [0, 1, 2]
    assert disposition_indices(np.array([2, 0])).tolist() == [2, 0]
    with pytest.raises(ValueError, match=r"row 2: 'disposition' is missing"):
        disposition_indices(pl.Series(["deploy", None]))
    with pytest.raises(ValueError, match=r"row 1: suggestion is 'ambulance'; expected one of"):
        disposition_indices(["ambulance"], what="suggestion")
    with pytest.raises(ValueError, match=r"indices must be 0\.\.2"):
        disposition_indices(np.array([3]))
