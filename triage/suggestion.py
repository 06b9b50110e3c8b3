"""What a suggestion is: the result types shared by the predictor, the service and the tools.

Kept apart from the predictor so that rules, policy, service and vignette runner can all name
these types without importing the model code.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from triage.schema import Disposition


@dataclass(frozen=True, slots=True)
class RedFlag:
    """One red flag found in a request.

    ``name`` is a stable identifier (``not_breathing``, ``penetrating_injury``...), ``reason`` a
    sentence a call handler reads, ``evidence`` the words or field that triggered it.
    """

    name: str
    reason: str
    evidence: str


@dataclass(frozen=True, slots=True)
class Suggestion:
    """The answer for one request.

    ``probabilities`` are the model's own calibrated probabilities, keyed by disposition value,
    summing to 1, returned even when a red flag overrode the model, so that the audit shows it.
    ``model_suggestion`` is what the policy alone would have said; ``suggestion`` is the final
    one after the red-flag rules (``overridden`` is True when they differ).
    ``unfamiliar_wording`` is True when most of the narrative's content words are unknown to the
    model (its suggestion then rests on little it has learnt); ``unfamiliar_reason`` says so in
    a call handler's words, and names what the unfamiliar-wording policy (``triage.familiarity``)
    did about it. Both are shown on the page, stored in the audit and counted in ``/metrics``.
    """

    suggestion: Disposition
    model_suggestion: Disposition
    probabilities: dict[str, float]
    red_flags: tuple[RedFlag, ...]
    reasons: tuple[str, ...]
    model_version: str
    overridden: bool = field(default=False)
    unfamiliar_wording: bool = field(default=False)
    unfamiliar_reason: str | None = field(default=None)
