"""The model registry: atomic registration, hash and library checks, promote, gate, rollback.

Every test works on a private copy of the fixture registry (a real model trained on SYNTHETIC
data and promoted through the real gate); extra versions are registered from that same model.
"""

from __future__ import annotations

import json
import pickle
import re
from pathlib import Path
from typing import Any

import pytest
from registry_support import critical_miss_vignette, register_copy, temp_dirs, visible

from training import registry as reg
from triage.predictor import Predictor
from triage.registry import (
    CURRENT_FILE,
    MANIFEST_FILE,
    MODEL_FILE,
    IntegrityError,
    RegistryError,
    file_sha256,
    library_versions,
    list_versions,
    load_model,
    load_predictor,
    read_manifest,
    read_promotions,
    resolve_version,
)
from triage.schema import Disposition

# -- registration --------------------------------------------------------------------------


def test_fixture_registry_has_one_promoted_version(
    trained_models_dir: Path, trained_version: str, predictor: Predictor
) -> None:
    entries = list_versions(trained_models_dir)
    assert [e.version for e in entries] == [trained_version]
    assert entries[0].is_current and entries[0].error is None
    manifest = entries[0].manifest
    assert manifest is not None
    history = manifest["promotion_history"]
    assert len(history) == 1 and history[0]["forced"] is False
    assert history[0]["gate"]["critical_misses"] == []
    assert predictor.version == trained_version
    folder = trained_models_dir / trained_version
    assert manifest["artifact"]["sha256"] == file_sha256(folder / MODEL_FILE)
    assert (folder / "model_card.md").read_text().startswith(f"# Model card: {trained_version}")
    html = (folder / "report" / "index.html").read_text(encoding="utf-8")
    assert "SYNTHETIC DATA" in html and "latest months, which neither step saw" in html
    assert "How this model and its threshold were chosen" in html


def test_manifest_records_provenance(trained_models_dir: Path) -> None:
    m = read_manifest(trained_models_dir, "current")
    assert m["environment"]["libraries"] == library_versions()
    assert set(m["environment"]["libraries"]) == {"sklearn", "numpy", "scipy", "polars", "joblib"}
    assert m["code"]["package_version"]
    assert re.fullmatch(r"[0-9a-f]{64}", m["data"]["fingerprint_sha256"])
    rows = m["data"]["rows"]
    assert rows["read"] == rows["kept"] + rows["rejected"]
    assert rows["train"] + rows["valid"] + rows["test"] == rows["kept"]
    assert m["schema"]["enums"]["disposition"] == [d.value for d in Disposition]
    assert 0 < m["policy"]["deploy_threshold"] < 1
    assert m["policy"]["target_under_triage"] == 0.02
    assert m["model"]["comparison"]
    for key in ("under_triage_rate", "diversion_rate", "oracle_diversion_rate", "accuracy",
                "macro_f1", "ece", "n"):
        assert m["metrics"][key] is not None, key


#: Where a registered model's pickle finds the project's classes. A registered model is a
#: joblib pickle that names each class by module path, so moving a class out of one of these
#: modules (or moving the module) makes every model registered before unloadable: keep them
#: in place, or leave an alias at the old path with a test that an old pickle still loads.
PICKLED_MODULES = frozenset(
    {"triage.features", "triage.model", "triage.boosting", "triage.policy"}
)


def test_a_registered_model_names_only_classes_that_stay_in_place(
    trained_models_dir: Path, trained_version: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import joblib
    import joblib.numpy_pickle as numpy_pickle

    named: set[tuple[str, str]] = set()
    find_class = numpy_pickle.NumpyUnpickler.find_class

    def recording(self: Any, module: str, name: str) -> Any:
        named.add((module, name))
        return find_class(self, module, name)

    monkeypatch.setattr(numpy_pickle.NumpyUnpickler, "find_class", recording)
    joblib.load(trained_models_dir / trained_version / MODEL_FILE)
    project = {(m, n) for m, n in named if m.split(".")[0] in ("triage", "training", "service")}
    assert project, "the recording unpickler saw none of the project's classes"
    assert {m for m, _ in project} <= PICKLED_MODULES, sorted(project)
    assert ("triage.model", "TrainedModel") in project


def test_registration_is_invisible_until_complete(writable_models_dir: Path) -> None:
    root = writable_models_dir
    before = visible(root)
    seen_during: list[list[str]] = []

    def extras(folder: Path, version: str) -> None:
        (folder / "model_card.md").write_text("card")
        seen_during.append(visible(root))
        assert not (root / version).exists()

    version = register_copy(root, extras)
    assert seen_during == [before]
    assert visible(root) == [*before, version]
    assert temp_dirs(root) == []
    assert read_manifest(root, version)["promotion_history"] == []
    assert resolve_version(root, "current") == before[0]  # registering never promotes


def test_failure_mid_registration_leaves_nothing(writable_models_dir: Path) -> None:
    root = writable_models_dir
    before = visible(root)

    def extras(folder: Path, version: str) -> None:
        (folder / "report").mkdir()
        raise OSError("No space left on device (simulated)")

    with pytest.raises(OSError, match="No space left"):
        register_copy(root, extras)
    assert visible(root) == before
    assert temp_dirs(root) == []


def test_unpicklable_model_registers_nothing(writable_models_dir: Path) -> None:
    root = writable_models_dir
    before = visible(root)
    with pytest.raises(pickle.PicklingError, match=r"pickle|lambda"):
        reg.register_version(root, lambda x: x, {"model": {"kind": "broken"}})
    assert visible(root) == before
    assert temp_dirs(root) == []


def test_version_ids_sort_by_time_and_are_unique() -> None:
    from datetime import UTC, datetime

    early = reg.new_version_id(datetime(2026, 11, 22, 0, 15, 30, tzinfo=UTC))
    late = reg.new_version_id(datetime(2026, 11, 22, 0, 15, 31, tzinfo=UTC))
    assert re.fullmatch(r"20261122T001530Z-[0-9a-f]{6}", early)
    assert early < late


def test_a_generated_id_already_taken_is_drawn_again(
    writable_models_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two registrations in the same second share the timestamp; if the random part collides
    too, registration draws another id rather than failing or overwriting."""
    from datetime import UTC, datetime

    root = writable_models_dir
    frozen = datetime(2026, 12, 3, 16, 0, 0, tzinfo=UTC)
    suffixes = iter(["abc123", "abc123", "def456"])
    monkeypatch.setattr(reg, "utc_now", lambda: frozen)
    monkeypatch.setattr(reg.secrets, "token_hex", lambda n: next(suffixes))
    first = register_copy(root)
    second = register_copy(root)
    assert first == "20261203T160000Z-abc123"
    assert second == "20261203T160000Z-def456"
    assert {first, second} <= set(visible(root))


def test_an_explicit_version_id_already_taken_is_refused(writable_models_dir: Path) -> None:
    root = writable_models_dir
    taken = visible(root)[0]
    model, manifest = load_model(root, "current")
    fields = {k: v for k, v in manifest.items()
              if k not in ("format", "version", "created", "artifact", "promotion_history")}
    with pytest.raises(RegistryError, match="already exists"):
        reg.register_version(root, model, fields, version=taken)


# -- integrity -----------------------------------------------------------------------------


def test_one_changed_byte_is_refused_before_unpickling(writable_models_dir: Path) -> None:
    root = writable_models_dir
    version = resolve_version(root, "current")
    path = root / version / MODEL_FILE
    recorded = read_manifest(root, version)["artifact"]["sha256"]
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    actual = file_sha256(path)
    expected = (f"{re.escape(str(path))}: sha256 mismatch: manifest says {recorded}, "
                f"file is {actual}; refusing to load")
    with pytest.raises(IntegrityError, match=expected):
        load_model(root, "current")
    with pytest.raises(IntegrityError, match="sha256 mismatch"):
        load_predictor(root, version)


@pytest.mark.parametrize("library", ["sklearn", "numpy", "scipy"])
def test_other_library_major_minor_is_refused(writable_models_dir: Path, library: str) -> None:
    root = writable_models_dir
    version = resolve_version(root, "current")
    path = root / version / MANIFEST_FILE
    manifest = json.loads(path.read_text())
    manifest["environment"]["libraries"][library] = "0.1.0"
    path.write_text(json.dumps(manifest))
    installed = library_versions()[library]
    with pytest.raises(IntegrityError,
                       match=rf"{library}: manifest says 0\.1\.0, installed is "
                             rf"{re.escape(installed)}"):
        load_model(root, version)


def test_other_patch_version_is_accepted(writable_models_dir: Path) -> None:
    root = writable_models_dir
    version = resolve_version(root, "current")
    path = root / version / MANIFEST_FILE
    manifest = json.loads(path.read_text())
    major_minor = ".".join(library_versions()["sklearn"].split(".")[:2])
    manifest["environment"]["libraries"]["sklearn"] = f"{major_minor}.999"
    path.write_text(json.dumps(manifest))
    model, loaded = load_model(root, version)
    assert loaded["version"] == version and model.policy.deploy_threshold > 0


def test_damaged_manifest_is_listed_not_hidden(writable_models_dir: Path) -> None:
    root = writable_models_dir
    version = register_copy(root)
    (root / version / MANIFEST_FILE).write_text("{not json")
    entry = {e.version: e for e in list_versions(root)}[version]
    assert entry.manifest is None
    assert entry.error is not None and "not valid JSON" in entry.error
    with pytest.raises(RegistryError, match=r"manifest\.json: not valid JSON"):
        load_model(root, version)


# -- resolving -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ref", "match"),
    [
        ("20991231T000000Z-abcdef", r"20991231T000000Z-abcdef: no such model version"),
        ("not-a-version", r"'not-a-version' is not a model version"),
        ("../etc", r"is not a model version"),
    ],
)
def test_unknown_versions_are_refused(writable_models_dir: Path, ref: str, match: str) -> None:
    with pytest.raises(RegistryError, match=match):
        resolve_version(writable_models_dir, ref)
    with pytest.raises(RegistryError, match=match):
        reg.promote(writable_models_dir, ref)


def test_no_current_model_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(RegistryError, match=r"no model has been promoted yet.*triage train"):
        resolve_version(tmp_path, "current")


def test_garbage_pointer_is_refused(writable_models_dir: Path) -> None:
    (writable_models_dir / CURRENT_FILE).write_text("rm -rf /\n")
    with pytest.raises(RegistryError, match="does not hold a version id"):
        load_predictor(writable_models_dir)


# -- promote, gate, rollback ---------------------------------------------------------------


def test_promote_then_rollback_returns_to_previous(writable_models_dir: Path) -> None:
    root = writable_models_dir
    first = resolve_version(root, "current")
    second = register_copy(root)
    result = reg.promote(root, second)
    assert (result.version, result.previous, result.forced) == (second, first, False)
    assert resolve_version(root, "current") == second
    assert load_predictor(root).version == second
    with pytest.raises(RegistryError, match="already the current model"):
        reg.promote(root, second)

    back = reg.rollback(root, reason="drill")
    assert (back.rolled_back, back.restored) == (second, first)
    assert resolve_version(root, "current") == first
    log = read_promotions(root)
    assert [(e["action"], e["version"], e["previous"]) for e in log] == [
        ("promote", first, None), ("promote", second, first), ("rollback", first, second)]
    actions = [h["action"] for h in read_manifest(root, second)["promotion_history"]]
    assert actions == ["promote", "rolled_back"]
    with pytest.raises(RegistryError, match="first promoted version"):
        reg.rollback(root)


def test_rollback_walks_back_through_history(writable_models_dir: Path) -> None:
    root = writable_models_dir
    first = resolve_version(root, "current")
    second, third = register_copy(root), register_copy(root)
    reg.promote(root, second)
    reg.promote(root, third)
    assert reg.rollback(root).restored == second
    assert reg.rollback(root).restored == first


def test_rollback_refuses_a_damaged_target(writable_models_dir: Path) -> None:
    root = writable_models_dir
    first = resolve_version(root, "current")
    second = register_copy(root)
    reg.promote(root, second)
    artifact = root / first / MODEL_FILE
    artifact.write_bytes(artifact.read_bytes() + b"\0")
    with pytest.raises(IntegrityError, match="sha256 mismatch"):
        reg.rollback(root)
    assert resolve_version(root, "current") == second


def test_rollback_refuses_when_pointer_was_changed_by_hand(writable_models_dir: Path) -> None:
    root = writable_models_dir
    second = register_copy(root)
    (root / CURRENT_FILE).write_text(second + "\n")
    with pytest.raises(RegistryError, match="changed outside 'triage models'"):
        reg.rollback(root)


def test_gate_refuses_a_model_that_misses_a_critical_vignette(
    writable_models_dir: Path, predictor: Predictor
) -> None:
    root = writable_models_dir
    first = resolve_version(root, "current")
    second = register_copy(root)
    extra = [critical_miss_vignette(predictor)]
    log_before = read_promotions(root)

    with pytest.raises(reg.PromotionRefused,
                       match="critical vignette TEST-CRITICAL-1 missed") as info:
        reg.promote(root, second, extra_vignettes=extra)
    assert [v.id for v in info.value.score.critical_misses] == ["TEST-CRITICAL-1"]
    assert resolve_version(root, "current") == first
    assert read_promotions(root) == log_before
    assert read_manifest(root, second)["promotion_history"] == []

    with pytest.raises(RegistryError, match="--force needs --reason"):
        reg.promote(root, second, force=True, extra_vignettes=extra)
    with pytest.raises(RegistryError, match="--force needs --reason"):
        reg.promote(root, second, force=True, reason="   ", extra_vignettes=extra)

    why = "Vignette TEST-CRITICAL-1 under clinical review; approved by safety officer (test)"
    result = reg.promote(root, second, force=True, reason=why, extra_vignettes=extra)
    assert result.forced and result.reason == why
    assert resolve_version(root, "current") == second
    entry = read_promotions(root)[-1]
    assert entry["forced"] is True and entry["reason"] == why
    assert entry["gate"]["critical_misses"] == ["TEST-CRITICAL-1"]
    history = read_manifest(root, second)["promotion_history"]
    assert history[-1]["forced"] is True and history[-1]["reason"] == why


def test_a_model_the_installed_code_cannot_run_is_refused_at_load(
    writable_models_dir: Path,
) -> None:
    """As after a change to the feature code: the pickle lacks state the code now needs."""
    root = writable_models_dir
    model, manifest = load_model(root, "current")
    features = model.pipeline.steps[0][1]
    del features.facts_
    fields = {k: v for k, v in manifest.items()
              if k not in ("format", "version", "created", "artifact", "promotion_history")}
    stale = reg.register_version(root, model, fields)
    commit = manifest["code"]["git_commit"] or "unknown"
    with pytest.raises(IntegrityError,
                       match=rf"does not run under the installed code \(AttributeError: .*facts_"
                             rf".*at commit {commit}; retrain it"):
        load_model(root, stale)
    with pytest.raises(IntegrityError, match="does not run under the installed code"):
        reg.promote(root, stale)
    assert resolve_version(root, "current") != stale
