"""The safety gate a promotion (and a rollback) passes: the safety vignettes run through the
version's own ``Predictor.suggest`` (red-flag rules included, as served), scored, and the
reasons it refuses. Used by :mod:`training.registry`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from triage.registry import RegistryError, load_predictor
from triage.schema import Disposition
from triage.vignettes import Vignette, VignetteScore, load_safety_suite, score_vignettes

__all__ = ["gate_failures", "gate_summary", "run_gate"]


def gate_summary(score: VignetteScore) -> dict[str, Any]:
    """The gate's figures as recorded in the log and manifest (critical misses by id)."""
    data = score.to_json()
    return {
        "n": data["n"],
        "n_critical": data["n_critical"],
        "critical_sensitivity": data["critical_sensitivity"],
        "acceptable_rate": data["acceptable_rate"],
        "over_triage_rate": data["over_triage_rate"],
        "critical_misses": [m["id"] for m in data["critical_misses"]],
    }


def run_gate(
    models_dir: Path,
    version: str,
    *,
    suite: Sequence[Vignette] | None = None,
    extra_vignettes: Sequence[Vignette] = (),
) -> VignetteScore:
    """Run the safety vignettes through the version's ``Predictor.suggest`` and score them.

    ``suite`` defaults to the project's safety suite (``triage/data/*vignette*.jsonl``);
    ``extra_vignettes`` are added to it (they can only make the gate stricter).
    """
    predictor = load_predictor(models_dir, version, require_gate=False)
    vignettes = list(load_safety_suite() if suite is None else suite) + list(extra_vignettes)
    if not vignettes:
        raise RegistryError("the safety gate has no vignettes to run")
    suggestions: list[Disposition] = [predictor.suggest(v.request).suggestion for v in vignettes]
    return score_vignettes(vignettes, suggestions)


def gate_failures(score: VignetteScore) -> list[str]:
    """Why the gate refuses (empty when it passes): every critical miss, or no critical cases."""
    if score.n_critical == 0:
        return ["the suite holds no critical vignettes, so critical sensitivity cannot be measured"]
    return [
        f"critical vignette {v.id} missed: {v.request.narrative[:120]!r} ({v.rationale})"
        for v in score.critical_misses
    ]
