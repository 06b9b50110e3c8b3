"""The out-of-fold measure of the corpus (``benchmarks/measure_corpus_cv.py``): its folds and
listings are what the corpus loader reads, and its tally names each unacceptable answer's cause.

Every vignette written here is SYNTHETIC.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

from triage.corpus import default_listing, load_corpus
from triage.policy import DecisionPolicy
from triage.schema import Disposition, TriageRequest
from triage.vignettes import Vignette

ROOT = Path(__file__).resolve().parents[1]


def _script() -> ModuleType:
    path = ROOT / "benchmarks" / "measure_corpus_cv.py"
    spec = importlib.util.spec_from_file_location("measure_corpus_cv", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


def test_folds_hold_every_listed_file_once_and_each_fold_listing_leaves_its_group_out(
    tmp_path: Path,
) -> None:
    cv = _script()
    listing = default_listing()
    raw, groups = cv.split_listing(listing, 4, 8)
    listed = [f["path"] for f in raw["file"]]
    assert sorted(f for g in groups for f in g) == sorted(listed)
    assert all(groups) and len(groups) == 4
    whole = load_corpus(listing)
    held = groups[1]
    out = tmp_path / "fold1"
    out.mkdir()
    fold = load_corpus(cv.write_listing(raw, listing, held, out))
    names = {Path(s.path).name for s in fold.sources}
    assert names == {Path(f).name for f in listed} - set(held)
    held_rows = sum(s.rows for s in whole.sources if s.path in held)
    assert sum(s.rows for s in fold.sources) == sum(s.rows for s in whole.sources) - held_rows
    assert fold.weight == whole.weight


def _vignette(acceptable: list[str], critical: bool = False) -> Vignette:
    return Vignette.model_validate({
        "id": "CV-1", "request": TriageRequest(narrative="synthetic test request"),
        "expected": acceptable[0], "critical": critical, "acceptable": acceptable,
        "rationale": "synthetic",
    })


def test_the_tally_names_why_an_answer_was_unacceptable() -> None:
    cv = _script()
    d, ca, ht = Disposition.DEPLOY, Disposition.CLINICAL_ADVICE, Disposition.HEAR_AND_TREAT
    t = cv.Tally()
    minor = _vignette(["clinical_advice", "hear_and_treat"])
    t.add(minor, d, ca, True, False)  # a flag over a non-deploy model
    t.add(minor, d, d, False, True)  # the model, only at a slice threshold
    t.add(minor, d, d, False, False)  # the model, at its global threshold
    t.add(minor, ca, ca, False, False)  # acceptable: no cause
    critical = _vignette(["deploy"], critical=True)
    t.add(critical, ht, ht, False, False)
    t.add(_vignette(["clinical_advice"]), ht, ht, False, False)
    assert dict(t.causes) == {
        "a red flag over a non-deploy model": 1,
        "the model, at a slice threshold": 1,
        "the model, at the global threshold": 1,
        "not sent an ambulance it needed": 1,
        "hear_and_treat where clinical_advice": 1,
    }
    assert (t.n, t.acceptable_served, t.critical, t.critical_served, t.need, t.need_missed) == (
        6, 1, 1, 0, 1, 1)


def test_a_fold_model_trained_on_its_own_group_is_refused(tmp_path: Path) -> None:
    """The guarantee that each group is read by a model that never saw it is checked against the
    model's manifest: the right corpus passes, one that holds the group is refused."""
    cv = _script()
    listing = default_listing()
    _raw, groups = cv.split_listing(listing, 4, 8)
    held = groups[0]
    whole = load_corpus(listing)
    models = tmp_path / "models"
    version = "20261202T000000Z-abcdef"

    def manifest(files: list[dict[str, object]]) -> None:
        (models / version).mkdir(parents=True, exist_ok=True)
        (models / version / "manifest.json").write_text(json.dumps(
            {"version": version, "corpus": {"files": files}}), encoding="utf-8")

    fold_files = [{"path": s.path, "sha256": s.sha256} for s in whole.sources
                  if s.path not in held]
    manifest(fold_files)
    cv.check_fold_model(models, version, listing, held)  # the right corpus: no error
    manifest([{"path": s.path, "sha256": s.sha256} for s in whole.sources])  # held included
    with pytest.raises(SystemExit, match="another corpus"):
        cv.check_fold_model(models, version, listing, held)
    manifest(fold_files[:-1])  # a file missing
    with pytest.raises(SystemExit, match="another corpus"):
        cv.check_fold_model(models, version, listing, held)


def test_the_flat_policy_drops_only_the_slice_thresholds() -> None:
    cv = _script()
    shipped = DecisionPolicy(0.05, 0.02, slice_thresholds={"mental_health": 0.016})
    got = cv.policies(shipped)
    assert got["shipped"] is shipped
    flat = got["no slice thresholds"]
    assert flat.slice_thresholds == {} and flat.deploy_threshold == shipped.deploy_threshold
    assert flat.target_under_triage == shipped.target_under_triage
