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
