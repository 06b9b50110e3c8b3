"""The typed manifest (triage/manifest.py): old manifests still load, new ones record their
training configuration, and the machine's process count is never pickled with a model."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

from training.model_card import model_card
from triage.manifest import (
    LEGACY_COMPARISON,
    LEGACY_SLICE_TOLERANCE,
    MANIFEST_FORMAT,
    Manifest,
    ManifestError,
    TrainConfig,
    migrate,
)
from triage.model import set_feature_jobs
from triage.registry import load_model, read_manifest

#: A manifest as main wrote it before the typed manifest (format 1, no train_config), from a
#: model trained with that code on 20,000 synthetic rows.
FORMAT_1 = Path(__file__).parent / "fixtures" / "manifests" / "format1_main.json"


def test_a_format_1_manifest_reads_through_the_migration() -> None:
    raw = json.loads(FORMAT_1.read_text(encoding="utf-8"))
    assert raw["format"] == 1 and "train_config" not in raw
    m = Manifest.read(raw, FORMAT_1)
    assert m.format == MANIFEST_FORMAT and m.train_config is None
    assert m.data.rows.train == raw["data"]["rows"]["train"]
    assert m.data.splits["test"].start == raw["data"]["splits"]["test"]["from"]
    assert m.policy.deploy_threshold == raw["policy"]["deploy_threshold"]
    assert m.artifact is not None and m.artifact.sha256 == raw["artifact"]["sha256"]
    assert m.corpus is None  # format 3: trained before the hand-written corpus
    # nothing is lost on the way back: the stored form is the old one plus what later formats add
    again = m.to_json()
    assert again["train_config"] is None and again["corpus"] is None
    assert {k: v for k, v in again.items() if k not in ("format", "train_config", "corpus")} == {
        k: v for k, v in raw.items() if k != "format"}
    assert "?" not in model_card(m).split("\n", 1)[0]


def test_a_missing_key_fails_loudly_naming_it() -> None:
    raw = json.loads(FORMAT_1.read_text(encoding="utf-8"))
    del raw["policy"]["deploy_threshold"]
    with pytest.raises(ManifestError, match=r"policy\.deploy_threshold: Field required"):
        Manifest.read(raw, "damaged")


def test_a_format_3_manifest_reads_with_the_slice_tolerance_it_was_fitted_with(
    trained_models_dir: Path,
) -> None:
    """Format 3 predates ``train_config.slice_tolerance``: every such model was fitted with
    0.02, and the migration says so rather than leaving the reader to guess."""
    raw = dict(read_manifest(trained_models_dir, "current"))
    assert raw["format"] == MANIFEST_FORMAT == 5
    old_config = {k: v for k, v in raw["train_config"].items()
                  if k != "slice_tolerance" and k not in LEGACY_COMPARISON}
    old = {**raw, "format": 3, "train_config": old_config}
    m = Manifest.read(old, "format 3")
    assert m.format == 5 and m.train_config is not None
    assert m.train_config.slice_tolerance == LEGACY_SLICE_TOLERANCE == 0.02
    # a format-3 manifest that never recorded a configuration keeps None
    assert Manifest.read({**old, "train_config": None}, "format 3").train_config is None


def test_a_format_4_manifest_reads_as_one_boosting_fit_and_the_plain_comparison(
    trained_models_dir: Path,
) -> None:
    """Format 4 predates averaged boosting and the noise-aware comparison: every such model
    was one boosting fit, kept by the higher diversion however small the gap."""
    raw = dict(read_manifest(trained_models_dir, "current"))
    assert raw["train_config"]["boosting_members"] == TrainConfig().boosting_members > 1
    old_config = {k: v for k, v in raw["train_config"].items() if k not in LEGACY_COMPARISON}
    m = Manifest.read({**raw, "format": 4, "train_config": old_config}, "format 4")
    assert m.format == MANIFEST_FORMAT and m.train_config is not None
    assert m.train_config.boosting_members == 1
    assert m.train_config.comparison_z == 0.0
    assert not m.train_config.boosting_bootstrap
    assert m.train_config.slice_tolerance == raw["train_config"]["slice_tolerance"]


def test_a_newer_format_is_refused() -> None:
    with pytest.raises(ManifestError, match="written by newer code"):
        migrate({"format": MANIFEST_FORMAT + 1})


def test_new_manifests_record_the_training_configuration(trained_models_dir: Path) -> None:
    m = Manifest.read(read_manifest(trained_models_dir, "current"))
    assert m.format == MANIFEST_FORMAT
    assert m.train_config is not None
    assert m.train_config.linear_c == TrainConfig().linear_c
    assert m.train_config.boosted_params == TrainConfig().boosted_params
    assert list(m.train_config.candidates) == m.model.candidates


def test_feature_jobs_are_applied_at_load_and_never_pickled(trained_models_dir: Path) -> None:
    model, _ = load_model(trained_models_dir, "current", feature_jobs=3)
    features = model.pipeline.steps[0][1]
    assert features.n_jobs == 3
    # the pickled pipeline is neutral whatever the process it came from had set
    set_feature_jobs(model, 7)
    assert pickle.loads(pickle.dumps(model)).pipeline.steps[0][1].n_jobs is None
    assert features.n_jobs == 7  # pickling did not change the live object
    model, _ = load_model(trained_models_dir, "current", feature_jobs=1)
    assert model.pipeline.steps[0][1].n_jobs == 1


def test_the_setting_is_the_default(trained_models_dir: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from triage.settings import get_settings

    monkeypatch.setenv("TRIAGE_FEATURE_JOBS", "5")
    get_settings.cache_clear()
    try:
        model, _ = load_model(trained_models_dir, "current")
    finally:
        monkeypatch.delenv("TRIAGE_FEATURE_JOBS")
        get_settings.cache_clear()
    assert model.pipeline.steps[0][1].n_jobs == 5


@pytest.mark.parametrize(
    ("settings", "match"),
    [
        ({"boosting_members": 0}, "boosting_members"),
        ({"comparison_z": -1.0}, "comparison_z"),
        ({"comparison_resamples": 1}, "comparison_resamples must be at least 2 when comparison_z"),
    ],
)
def test_the_new_training_settings_are_checked_by_name(settings: dict[str, object],
                                                       match: str) -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match=match):
        TrainConfig.model_validate(settings)
    # no bootstrap allowance is needed when there is no noise allowance
    assert TrainConfig(comparison_z=0.0, comparison_resamples=0).comparison_resamples == 0
