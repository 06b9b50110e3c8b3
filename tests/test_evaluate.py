"""training.evaluate on constructed cases whose answers were worked out by hand.

The model here is a real scikit-learn estimator whose probabilities are fixed per narrative, so
every figure (under-triage, diversion, oracle at equal under-triage, confusion matrix, macro F1,
slices, field importance) has a known answer. All data is synthetic (written for the test).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.pipeline import Pipeline

from training.evaluate import (
    EvaluationError,
    evaluate,
    oracle_diversion_at_misses,
    split_curves,
    threshold_for_misses,
)
from training.report import write_report
from triage.metrics import deploy_log_loss, expected_calibration_error, reliability, wilson_interval
from triage.model import TrainedModel
from triage.policy import DecisionPolicy
from triage.schema import SYNTHETIC_ONLY_COLUMNS, ExportRow, polars_schema


class NarrativeLookup(ClassifierMixin, BaseEstimator):
    """Probabilities looked up by narrative: a model whose outputs the test chooses."""

    def __init__(self, table: Mapping[str, Sequence[float]] | None = None) -> None:
        self.table = table

    def fit(self, X: Any, y: Any = None) -> NarrativeLookup:
        self.classes_ = np.arange(3)
        return self

    def predict_proba(self, X: pl.DataFrame) -> np.ndarray:
        assert self.table is not None
        return np.array([self.table[n] for n in X["narrative"].to_list()], dtype=np.float64)


# label, model probabilities, oracle probabilities (hear_and_treat, clinical_advice, deploy),
# sex, age, hour received. Deploy threshold 0.5.
ROWS: list[tuple[str, str, tuple[float, float, float], tuple[float, float, float], str,
                 int | None, int]] = [
    ("case one", "deploy", (0.1, 0.1, 0.8), (0.05, 0.05, 0.9), "female", 30, 10),
    ("case two", "deploy", (0.1, 0.2, 0.7), (0.2, 0.2, 0.6), "female", 70, 23),
    ("Male collapsed not breathing, CPR in progress", "deploy", (0.5, 0.2, 0.3),
     (0.35, 0.3, 0.35), "female", 50, 2),
    ("case four", "deploy", (0.2, 0.45, 0.35), (0.5, 0.45, 0.05), "male", None, 12),
    ("case five", "hear_and_treat", (0.7, 0.2, 0.1), (0.8, 0.1, 0.1), "female", 25, 14),
    ("case six", "hear_and_treat", (0.6, 0.1, 0.3), (0.6, 0.2, 0.2), "male", 40, 20),
    ("case seven", "clinical_advice", (0.2, 0.6, 0.2), (0.2, 0.5, 0.3), "female", 90, 9),
    ("case eight", "clinical_advice", (0.1, 0.3, 0.6), (0.15, 0.3, 0.55), "male", 16, 1),
    ("case nine", "hear_and_treat", (0.3, 0.3, 0.4), (0.9, 0.05, 0.05), "male", 33, 15),
    ("case ten", "clinical_advice", (0.3, 0.5, 0.2), (0.3, 0.6, 0.1), "male", 61, 8),
]


def _frame(with_oracle: bool = True) -> pl.DataFrame:
    schema = polars_schema(ExportRow)
    data: dict[str, list[Any]] = {name: [None] * len(ROWS) for name in schema.names()}
    for i, (narrative, label, _m, _o, sex, age, hour) in enumerate(ROWS):
        data["narrative"][i] = narrative
        data["disposition"][i] = label
        data["sex"][i] = sex
        data["age"][i] = age
        data["request_id"][i] = f"SYN-{i}"
        data["received_at"][i] = datetime(2025, 3, 1, hour, 30)
        data["force"][i] = "Synthshire" if i % 2 else "Testford"
    frame = pl.DataFrame(data, schema=schema)
    if with_oracle:
        oracle = np.array([r[3] for r in ROWS])
        frame = frame.with_columns(
            [pl.Series(c, oracle[:, k]) for k, c in enumerate(SYNTHETIC_ONLY_COLUMNS)]
        )
    return frame


def _model() -> TrainedModel:
    lookup = NarrativeLookup({r[0]: r[2] for r in ROWS}).fit(None)
    return TrainedModel(pipeline=Pipeline([("lookup", lookup)]),
                        policy=DecisionPolicy(0.5, 0.02), kind="lookup")


@pytest.fixture(scope="module")
def result() -> dict[str, Any]:
    return evaluate(_model(), _frame())


def test_under_triage_and_diversion_known_answers(result: dict[str, Any]) -> None:
    # Suggested: D D H C H H C D C(tie -> clinical_advice) C. Deploys 1-4; 3 and 4 missed.
    assert result["n"] == 10 and result["n_deploy"] == 4
    assert result["under_triage_rate"] == pytest.approx(0.5)
    assert result["under_triage_missed"] == 2
    assert result["diversion_rate"] == pytest.approx(0.7)
    assert result["accuracy"] == pytest.approx(0.6)
    assert result["macro_f1"] == pytest.approx((2 / 3 + 4 / 7 + 4 / 7) / 3)
    assert result["confusion"]["matrix"] == [[2, 1, 0], [0, 2, 1], [1, 1, 2]]
    assert result["under_triage_ci"] == pytest.approx([0.1500, 0.8500], abs=1e-3)


def test_oracle_is_measured_at_the_models_under_triage(result: dict[str, Any]) -> None:
    # Oracle P(deploy) of the deploys: .9 .6 .35 .05. The model missed 2, so the oracle may miss
    # 2: threshold .6 (3rd smallest). Oracle deploys rows 1 and 2 only -> diversion 0.8.
    assert result["oracle_deploy_threshold"] == pytest.approx(0.6)
    assert result["oracle_under_triage_rate"] == pytest.approx(result["under_triage_rate"])
    assert result["oracle_diversion_rate"] == pytest.approx(0.8)
    assert result["synthetic"] is True


def test_without_generator_columns_there_is_no_oracle() -> None:
    out = evaluate(_model(), _frame(with_oracle=False))
    assert out["oracle_diversion_rate"] is None
    assert out["curves"]["operating_curve"]["oracle"] is None
    assert out["synthetic"] is False


def test_slices_count_and_under_triage(result: dict[str, Any]) -> None:
    sex = {r["slice"]: r for r in result["slices"]["sex"]}
    assert sex["female"]["n"] == 5 and sex["female"]["n_deploy"] == 3
    assert sex["female"]["under_triage_rate"] == pytest.approx(1 / 3)
    assert sex["male"]["under_triage_rate"] == pytest.approx(1.0)
    ages = {r["slice"]: r["n"] for r in result["slices"]["age band"]}
    assert ages == {"18-39": 3, "40-64": 3, "65-79": 1, "80+": 1, "0-17": 1, "not given": 1}
    tod = {r["slice"]: r["n"] for r in result["slices"]["time of day"]}
    assert tod == {"night (19:00-06:59)": 4, "day (07:00-18:59)": 6}


def test_field_importance_finds_the_only_field_the_model_reads(
    result: dict[str, Any],
) -> None:
    fields = result["influential_features"]["fields"]
    assert fields[0]["field"] == "narrative" and fields[0]["importance"] > 0
    assert all(f["importance"] == 0 for f in fields[1:])


def test_red_flag_rules_lower_under_triage_as_served(result: dict[str, Any]) -> None:
    system = result["with_red_flag_rules"]
    # Row 3 ("not breathing") was missed by the model; the rules force deploy.
    assert system["overrides"] == 1
    assert system["under_triage_rate"] == pytest.approx(0.25)
    assert system["diversion_rate"] == pytest.approx(0.6)


def test_wilson_interval_reference_values() -> None:
    assert wilson_interval(0, 10) == pytest.approx((0.0, 0.2775), abs=1e-4)
    assert wilson_interval(5, 10) == pytest.approx((0.2366, 0.7634), abs=1e-4)
    assert wilson_interval(0, 0) is None


def test_ece_known_case() -> None:
    ece, bins = reliability(np.array([0.95, 0.95, 0.95, 0.95]), np.array([1, 1, 1, 0]))
    assert ece == pytest.approx(0.2)
    assert bins["bin_count"][14] == 4
    ece, _ = reliability(np.array([0.25, 0.25, 0.85, 0.85]), np.array([0, 1, 1, 1]))
    assert ece == pytest.approx(0.5 * 0.25 + 0.5 * 0.15)


def test_wilson_matches_the_closed_form() -> None:
    """scipy's Wilson interval is the textbook formula (the one this project wrote by hand)."""
    z = 1.959963984540054
    for k, n in ((0, 10), (3, 1000), (999, 1000), (17, 40)):
        p = k / n
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
        assert wilson_interval(k, n) == pytest.approx((centre - half, centre + half), abs=1e-12)


def test_one_ece_per_class_equals_the_binned_gap() -> None:
    """The per-class ECE the model comparison uses is ``reliability``'s: sum |s_p - s_y| / n."""
    rng = np.random.default_rng(3)
    p = rng.random(500)
    hit = rng.random(500) < p
    bins = np.minimum((p * 15).astype(int), 14)
    gap = sum(abs(p[bins == b].sum() - hit[bins == b].sum()) for b in range(15)) / 500
    assert expected_calibration_error(p, hit) == pytest.approx(gap, abs=1e-12)


def test_deploy_log_loss_is_binary_cross_entropy() -> None:
    p = np.array([0.9, 0.2, 0.6])
    y = np.array([True, False, False])
    want = -np.mean([np.log(0.9), np.log(0.8), np.log(0.4)])
    assert deploy_log_loss(p, y) == pytest.approx(want)


def test_threshold_for_misses() -> None:
    p = np.array([0.9, 0.05, 0.6, 0.35])
    assert threshold_for_misses(p, 0) == pytest.approx(0.05)
    assert threshold_for_misses(p, 2) == pytest.approx(0.6)
    assert threshold_for_misses(p, 4) == 1.0


#: 20 rows: 4 at odds 0.01 (no deploy), a block of 10 at 0.05 (2 deploys), 6 at 0.9 (all deploy).
TIED_P = np.array([0.01] * 4 + [0.05] * 10 + [0.9] * 6)
TIED_DEPLOY = np.array([False] * 4 + [True, True] + [False] * 8 + [True] * 6)


def test_the_fair_oracle_diverts_a_share_of_a_block_of_equal_odds() -> None:
    # One miss allowed: a threshold cannot enter the block (its first deploy would be missed
    # with all ten rows), so it diverts the 4 rows below it; a rule that diverts half the block
    # at random misses one deploy on average and diverts 4 + 5 rows.
    assert oracle_diversion_at_misses(TIED_P, TIED_DEPLOY, 1) == pytest.approx(9 / 20)
    threshold = threshold_for_misses(TIED_P[TIED_DEPLOY], 1)
    assert float(np.mean(threshold > TIED_P)) == pytest.approx(4 / 20)
    # at the block's edges the two agree
    assert oracle_diversion_at_misses(TIED_P, TIED_DEPLOY, 0) == pytest.approx(4 / 20)
    assert oracle_diversion_at_misses(TIED_P, TIED_DEPLOY, 2) == pytest.approx(14 / 20)
    assert oracle_diversion_at_misses(TIED_P, TIED_DEPLOY, 5) == pytest.approx(17 / 20)
    assert oracle_diversion_at_misses(TIED_P, TIED_DEPLOY, 8) == 1.0


def test_the_fair_oracle_refuses_bad_input_by_name() -> None:
    with pytest.raises(ValueError, match="same length"):
        oracle_diversion_at_misses(TIED_P, TIED_DEPLOY[:-1], 1)
    with pytest.raises(ValueError, match="no rows"):
        oracle_diversion_at_misses(np.array([]), np.array([], dtype=bool), 0)
    with pytest.raises(ValueError, match="deploy must be boolean"):
        oracle_diversion_at_misses(TIED_P, TIED_DEPLOY.astype(int), 1)
    with pytest.raises(ValueError, match=r"finite odds in 0\.\.1"):
        oracle_diversion_at_misses(np.where(TIED_P > 0.5, np.nan, TIED_P), TIED_DEPLOY, 1)
    with pytest.raises(ValueError, match=r"finite odds in 0\.\.1"):
        oracle_diversion_at_misses(TIED_P * 2, TIED_DEPLOY, 1)
    with pytest.raises(ValueError, match=r"max_misses must be 0 or more\. Got -1"):
        oracle_diversion_at_misses(TIED_P, TIED_DEPLOY, -1)


@settings(max_examples=200, deadline=None)
@given(
    rows=st.lists(st.tuples(st.sampled_from([0.01, 0.05, 0.2, 0.5, 0.9]), st.booleans()),
                  min_size=1, max_size=40),
    misses=st.integers(0, 45),
)
def test_the_fair_oracle_is_the_best_in_order_rule_at_its_misses(
    rows: list[tuple[float, bool]], misses: int
) -> None:
    p = np.array([r[0] for r in rows])
    deploy = np.array([r[1] for r in rows])
    fair = oracle_diversion_at_misses(p, deploy, misses)
    # never below the threshold oracle at the same misses, and at most every row
    threshold = threshold_for_misses(p[deploy], misses)
    assert float(np.mean(p < threshold)) <= fair + 1e-12 <= 1.0 + 1e-12
    if misses >= deploy.sum():
        assert fair == 1.0
        return
    # brute force: the expected diversion of diverting the k lowest-odds rows, a block shared
    # evenly (each row of a block equally likely), maximised over k under the misses budget
    best = 0.0
    for t in np.unique(p):
        below, block = p < t, p == t
        spare = misses - int(deploy[below].sum())
        if spare < 0:
            continue
        block_deploys = int(deploy[block].sum())
        share = 1.0 if block_deploys == 0 else min(1.0, spare / block_deploys)
        best = max(best, (below.sum() + share * block.sum()) / p.shape[0])
    assert fair == pytest.approx(best)


def test_evaluate_reports_both_oracles_and_the_fair_one_heads() -> None:
    """On a frame with a block of equal oracle odds, ``oracle_diversion_rate`` is the fair
    oracle and ``oracle_threshold_diversion_rate`` the one-threshold rule, which the block
    holds back."""
    n = TIED_P.shape[0]
    schema = polars_schema(ExportRow)
    data: dict[str, list[Any]] = {name: [None] * n for name in schema.names()}
    table: dict[str, Sequence[float]] = {}
    for i in range(n):
        narrative = f"tied case {i}"
        data["narrative"][i] = narrative
        data["disposition"][i] = "deploy" if TIED_DEPLOY[i] else "hear_and_treat"
        data["request_id"][i] = f"SYN-T{i}"
        data["received_at"][i] = datetime(2025, 3, 1, 12, i)
        # the model misses exactly one deploy (row 4, in the block) and deploys the rest
        table[narrative] = (0.9, 0.05, 0.05) if i == 4 or not TIED_DEPLOY[i] else (0.05, 0.05, 0.9)
    frame = pl.DataFrame(data, schema=schema).with_columns(
        pl.Series("p_hear_and_treat", 1 - TIED_P), pl.Series("p_clinical_advice", np.zeros(n)),
        pl.Series("p_deploy", TIED_P),
    )
    model = TrainedModel(pipeline=Pipeline([("lookup", NarrativeLookup(table).fit(None))]),
                         policy=DecisionPolicy(0.5, 0.02), kind="lookup")
    out = evaluate(model, frame)
    assert out["under_triage_missed"] == 1
    assert out["oracle_diversion_rate"] == pytest.approx(9 / 20)
    assert out["oracle_threshold_diversion_rate"] == pytest.approx(4 / 20)
    assert out["curves"]["oracle_point"]["diversion"] == pytest.approx(9 / 20)
    assert out["curves"]["oracle_point"]["under_triage"] == pytest.approx(1 / 8)


@pytest.mark.parametrize(
    ("frame", "match"),
    [
        (_frame().head(0), "no rows to evaluate"),
        (_frame().filter(pl.col("disposition") != "deploy"), "none of the 6 rows needed 'deploy'"),
        (_frame().drop("disposition"), "no 'disposition' column"),
    ],
)
def test_refuses_unusable_rows(frame: pl.DataFrame, match: str) -> None:
    with pytest.raises(EvaluationError, match=match):
        evaluate(_model(), frame)


def test_a_slice_threshold_reports_what_it_caught_and_what_it_sent_unneeded(
    tmp_path: Path,
) -> None:
    """The 'fall' slice's own threshold 0.3 (global 0.5) newly deploys its rows with P(deploy)
    in [0.3, 0.5): rows 3 and 4 needed the ambulance (caught), rows 6 and 9 did not; row 7 is
    outside the band and row 1 outside the slice. The report shows the same counts."""
    falls = {2, 3, 5, 6, 8}
    frame = _frame().with_columns(pl.Series(
        "incident_type", ["fall" if i in falls else "assault" for i in range(len(ROWS))],
        dtype=polars_schema(ExportRow)["incident_type"]))
    lookup = NarrativeLookup({r[0]: r[2] for r in ROWS}).fit(None)
    model = TrainedModel(pipeline=Pipeline([("lookup", lookup)]), kind="lookup",
                         policy=DecisionPolicy(0.5, 0.02, slice_thresholds={"fall": 0.3}))
    out = evaluate(model, frame)
    assert out["slice_threshold_price"] == [{
        "slice": "fall", "threshold": 0.3, "deploys_caught": 2, "others_deployed": 2,
        "per_deploy_caught": 1.0}]
    assert out["under_triage_missed"] == 0  # rows 3 and 4, missed at 0.5, are caught
    assert evaluate(_model(), _frame())["slice_threshold_price"] == []  # no slice threshold
    metrics, curves = split_curves(out)
    html = write_report(metrics, curves, tmp_path / "report").read_text(encoding="utf-8")
    assert "Slice thresholds and their price" in html
    assert "<td>fall</td><td>0.300</td><td>2</td><td>2</td><td>1.0</td>" in html.replace(
        "\n", "").replace(" ", "")


def test_report_is_written_with_figures(result: dict[str, Any], tmp_path: Path) -> None:
    metrics, curves = split_curves(result)
    index = write_report(metrics, curves, tmp_path / "report", context={"version": "v-test"})
    html = index.read_text(encoding="utf-8")
    assert "SYNTHETIC DATA" in html
    assert "Of every 100 requests that, on clinical review, needed an ambulance" in html
    for png in ("confusion_matrix.png", "under_triage_vs_diversion.png", "reliability.png",
                "under_triage_by_slice.png", "influential_features.png"):
        assert (tmp_path / "report" / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert f"src='{png}'" in html
    assert "http://" not in html and "https://" not in html  # self-contained
    assert "come from every row of the file" in html  # not a held-out split: says so
    assert not math.isnan(metrics["ece"])
