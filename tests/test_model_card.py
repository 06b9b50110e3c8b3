"""The model card says plainly whether the under-triage safety margin was met."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from training.model_card import margin_met, model_card

POLICY = {
    "deploy_threshold": 0.126, "target_under_triage": 0.02, "confidence": 0.95,
    "margin_method": "clopper_pearson_upper", "valid_under_triage": 0.0183,
    "valid_under_triage_upper": 0.0199, "valid_diversion": 0.403, "n_valid": 50164,
    "n_valid_deploy": 22530,
}


@pytest.mark.parametrize(
    ("upper", "met"), [(0.0199, True), (0.02, True), (0.0487, False), (None, False)]
)
def test_margin_met_compares_the_upper_bound_with_the_target(upper: float | None,
                                                             met: bool) -> None:
    assert margin_met({**POLICY, "valid_under_triage_upper": upper}) is met


def test_card_warns_when_too_few_deploys_to_show_the_margin(trained_models_dir: Path,
                                                            trained_version: str) -> None:
    manifest = json.loads((trained_models_dir / trained_version / "manifest.json").read_text())
    # 60 validation deploys, none missed: the 95% upper bound is still 4.87% (> 2%).
    small = {**manifest["policy"], "valid_under_triage": 0.0, "valid_under_triage_upper": 0.0487,
             "n_valid_deploy": 60}
    assert "Safety margin NOT met" in model_card({**manifest, "policy": small})
    assert "Safety margin NOT met" not in model_card(manifest)


def test_the_fixture_model_card_meets_its_margin(trained_models_dir: Path,
                                                 trained_version: str) -> None:
    manifest = json.loads((trained_models_dir / trained_version / "manifest.json").read_text())
    assert margin_met(manifest["policy"]) is True
    card = (trained_models_dir / trained_version / "model_card.md").read_text()
    assert "Safety margin NOT met" not in card


def test_card_reports_slice_thresholds_the_slice_rule_and_the_unfamiliar_policy(
    trained_models_dir: Path, trained_version: str
) -> None:
    manifest = json.loads((trained_models_dir / trained_version / "manifest.json").read_text())
    policy = {
        **manifest["policy"],
        "slice_thresholds": {"mental_health": 0.018}, "slice_tolerance": 0.06,
        "slice_fit": {"mental_health": {"n_deploy": 207, "under_triage_before": 0.1208,
                                        "under_triage_after": 0.0386, "threshold": 0.018}},
    }
    evaluation = {**manifest.get("evaluation", {}), "slice_rule": {
        "min_deploys": 100, "max_gap": 0.02, "worst_gap": 0.031, "passed": False,
        "failing": [{"slice": "seizure"}]}}
    card = model_card({**manifest, "policy": policy, "evaluation": evaluation})
    # a policy fitted before the price was recorded says so
    assert "| mental_health | 207 | 12.08% | 3.86% | 0.018 | not recorded | not recorded | - |" \
        in card
    priced = model_card({**manifest, "evaluation": evaluation, "policy": {
        **policy, "deploy_threshold": 0.05, "slice_fit": {"mental_health": {
            **policy["slice_fit"]["mental_health"], "deploys_caught": 17.0,
            "others_deployed": 850.0}}}})
    assert "| mental_health | 207 | 12.08% | 3.86% | 0.018 | 17 | 850 | 50.0 |" in priced
    assert "At the global threshold (0.050) a calibrated model sends about 19 requests" in priced
    assert "exceeded the target plus the slice tolerance (6 points)" in card
    assert "3.10%, NOT met: seizure" in card
    assert "## Unfamiliar wording" in card and "`escalate`" in card
    plain = model_card({**manifest, "policy": {**manifest["policy"], "slice_thresholds": {}}})
    assert "No slice needed its own threshold" in plain
    assert "within the target plus the slice tolerance (2 points)" in plain  # this model's 0.02
    unrecorded = {k: v for k, v in manifest["policy"].items() if k != "slice_tolerance"}
    older = model_card({**manifest, "policy": {**unrecorded, "slice_thresholds": {}}})
    assert "within the target plus the slice tolerance at the global threshold" in older
    quarter = model_card({**manifest, "policy": {**policy, "slice_tolerance": 0.025}})
    assert "the slice tolerance (2.5 points)" in quarter
    own = model_card({**manifest, "policy": {**policy, "slice_tolerances": {
        "mental_health": 0.06}}})
    assert "or a slice's own where one was set (`mental_health` 6 points)" in own


def test_card_says_which_candidate_was_kept_and_why(trained_models_dir: Path,
                                                    trained_version: str) -> None:
    manifest = json.loads((trained_models_dir / trained_version / "manifest.json").read_text())
    rows = [
        {"kind": "linear", "diversion": 0.3625, "under_triage": 0.0195, "ece_deploy": 0.0221,
         "chosen": "no", "diversion_gap_se": 0.0061},
        {"kind": "boosted", "diversion": 0.3612, "under_triage": 0.0196, "ece_deploy": 0.0083,
         "chosen": "yes", "diversion_gap_se": 0.0061},
    ]
    two = {**manifest, "model": {**manifest["model"], "kind": "boosted", "comparison": rows}}
    card = model_card(two)
    assert "## How the model was chosen" in card
    assert "- `boosted` (**kept**): validation diversion 36.12% at under-triage 1.96%" in card
    assert "- `linear`: validation diversion 36.25%" in card
    assert "unless its lead is within 2 standard errors (0.61%, a paired bootstrap of 100" in card
    assert ("The boosted candidate averages 5 boosting fits, each on its own bootstrap sample"
            in card)
    assert "This training: boosted: diversion within 2 standard errors" in model_card(
        {**two, "model": {**two["model"], "comparison": [
            {**r, "choice": "boosted: diversion within 2 standard errors of linear"}
            for r in rows]}})
    # the fixture's own card: one candidate, kept, and no word of a boosting it does not have
    own = model_card(manifest)
    kinds = [r["kind"] for r in manifest["model"]["comparison"]]
    assert f"- `{manifest['model']['kind']}` (**kept**)" in own
    assert ("boosting fits" in own) == ("boosted" in kinds)


def test_card_names_the_corpus_the_model_was_trained_with(trained_models_dir: Path,
                                                          trained_version: str) -> None:
    manifest = json.loads((trained_models_dir / trained_version / "manifest.json").read_text())
    corpus = manifest["corpus"]
    assert corpus["listing"].endswith("vignettes/corpus.toml") and corpus["rows"] > 5_000
    card = model_card(manifest)
    assert f"- Hand-written corpus: {corpus['rows']:,} synthetic vignettes from " in card
    assert "`independent_y.jsonl`: 200 vignettes" in card
    share = manifest["model"]["comparison"][0]["corpus_share"]
    # 30,000 rows of history: the corpus is a large part of the fit (0.61 since the seven red
    # teams joined it on 2026-12-05: 8,513 vignettes at weight 3; 18.5% at 300,000 rows)
    assert 0.3 < share < 0.7
    assert f"  - Its share of the linear fit's weight: {share:.1%}" in card
    assert len(corpus["left_out"]) == 2  # two of the safety gate's narratives
    assert "  - Left out: 2 vignettes whose narrative a held-out measure" in card
    assert "sealed" not in card.split("## Data")[1].split("## ")[0]
    alone = model_card({**manifest, "corpus": None})
    assert "- Hand-written corpus: none; the model learned wording from this file alone." in alone


def test_card_names_which_oracle_it_read(trained_models_dir: Path, trained_version: str) -> None:
    """The fair oracle heads; the one-threshold oracle is shown beside it, and a manifest
    evaluated before the fair oracle existed says its figure is the threshold oracle's."""
    manifest = json.loads((trained_models_dir / trained_version / "manifest.json").read_text())
    assert manifest["evaluation"]["oracle_threshold_diversion_rate"] is not None  # synthetic
    metrics = {**manifest["metrics"], "oracle_diversion_rate": 0.3993}
    evaluation = {**manifest["evaluation"], "oracle_threshold_diversion_rate": 0.3876}
    card = model_card({**manifest, "metrics": metrics, "evaluation": evaluation})
    assert "| oracle diversion at the same under-triage | 39.93% |" in card
    assert "one threshold on the true odds (no share of a block of equal odds) | 38.76% |" in card
    before = {k: v for k, v in evaluation.items() if k != "oracle_threshold_diversion_rate"}
    old = model_card({**manifest, "metrics": metrics, "evaluation": before})
    assert "| oracle diversion at the same under-triage (one threshold) | 39.93% |" in old
    assert "no share of a block" not in old
