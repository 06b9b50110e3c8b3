"""Helpers the red-flag test modules share: the flags a narrative raises, and a phrase row's
check that a wording reads its concept (each row fails with its phrase taken out of the tables).
"""

from __future__ import annotations

from typing import Any

from triage.rules.engine import _compiled, _present_concepts, detect_red_flags
from triage.schema import TriageRequest


def flags(narrative: str, **facts: Any) -> set[str]:
    """The names of the red flags ``narrative`` (with keyed ``facts``) raises."""
    return {f.name for f in detect_red_flags(TriageRequest(narrative=narrative, **facts))}


def assert_reads_concept(concept: str, wording: str) -> None:
    """``wording`` alone reads ``concept``."""
    found = _present_concepts(TriageRequest(narrative=wording), _compiled())
    assert concept in found, f"{wording!r} should read {concept}; read {sorted(found)}"
