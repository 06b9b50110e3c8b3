"""Helpers shared by the registry and training tests (not fixtures: plain functions)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from training import registry as reg
from triage.predictor import Predictor
from triage.registry import TEMP_PREFIX, list_versions, load_model
from triage.schema import Disposition
from triage.vignettes import Vignette, load_safety_suite

BOOKKEEPING = ("format", "version", "created", "artifact", "promotion_history")


def register_copy(root: Path, write_extras: Any = None) -> str:
    """Register the current model again as a new version (same artifact, fresh bookkeeping)."""
    model, manifest = load_model(root, "current")
    fields = {k: v for k, v in manifest.items() if k not in BOOKKEEPING}
    return reg.register_version(root, model, fields, write_extras=write_extras)


def visible(root: Path) -> list[str]:
    return [e.version for e in list_versions(root)]


def temp_dirs(root: Path) -> list[str]:
    return [p.name for p in root.iterdir() if p.name.startswith(TEMP_PREFIX)]


def critical_miss_vignette(predictor: Predictor) -> Vignette:
    """A real non-critical suite vignette the model diverts, marked critical by a 'clinician'.

    The gate is then exercised honestly: the model's own suggestion misses it.
    """
    for v in load_safety_suite():
        if not v.critical and predictor.suggest(v.request).suggestion is not Disposition.DEPLOY:
            return Vignette.model_validate({
                "id": "TEST-CRITICAL-1",
                "request": v.request.model_dump(exclude_none=True, mode="json"),
                "expected": "deploy",
                "critical": True,
                "acceptable": ["deploy"],
                "rationale": f"Test: {v.id} re-marked as time-critical by a reviewing clinician.",
            })
    pytest.fail("the fixture model suggests deploy for every non-critical suite vignette")


