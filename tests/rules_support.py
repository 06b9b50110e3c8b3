"""Helpers the red-flag test modules share: the flags a narrative raises, and a phrase row's
check that a wording reads its concept (each row fails with its phrase taken out of the tables).
"""

from __future__ import annotations

from typing import Any

from triage.rules.engine import _compiled, _present_concepts, detect_red_flags, read_request
from triage.schema import TriageRequest


def flags(narrative: str, **facts: Any) -> set[str]:
    """The names of the red flags ``narrative`` (with keyed ``facts``) raises."""
    return {f.name for f in detect_red_flags(TriageRequest(narrative=narrative, **facts))}


def reading(narrative: str, **facts: Any) -> tuple[set[str], str | None]:
    """The names of the red flags ``narrative`` raises and the death it hands to the desk to
    verify (the evidence, else None), read as the predictor reads them."""
    r = read_request(TriageRequest(narrative=narrative, **facts))
    return {f.name for f in r.red_flags}, r.verify_death


def assert_reads_concept(concept: str, wording: str) -> None:
    """``wording`` alone reads ``concept``."""
    found = _present_concepts(TriageRequest(narrative=wording), _compiled())
    assert concept in found, f"{wording!r} should read {concept}; read {sorted(found)}"
