"""``Predictor``: one request in, one ``Suggestion`` out, on the fast per-request path.

Order, for every request: features and the linear stage (``CompiledScorer.score``: per-token
sums precomputed at load time, no DataFrame, no sparse matrix) -> calibrated probabilities
(``CompiledScorer``: the boosting's trees and the calibration maps as arrays) ->
the decision policy -> the red-flag rules (any flag forces ``deploy``; ``overridden`` is True
when the policy had said otherwise; the probabilities stay the model's own) -> reasons
(``Explainer``: red flags first, then the features that pushed the suggestion).

Everything that can be done once is done in ``__init__``; ``suggest`` does only per-request work.
``suggest_many`` walks the boosting's trees and applies the calibration for the whole batch at
once. ``proba_records`` is the fast path's probabilities, for the parity test (equal to
``model.pipeline.predict_proba`` within 1e-9).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from triage.explain import Explainer
from triage.familiarity import DEFAULT_POLICY, FamiliarityPolicy
from triage.fastscore import CompiledScorer, Scored
from triage.features import NARRATIVE_FIELD
from triage.model import TrainedModel
from triage.rules import compile_rules, read_request
from triage.schema import DEPLOY_INDEX, DISPOSITIONS, Disposition, TriageRequest
from triage.suggestion import RedFlag, Suggestion

#: The handler's sentence when the rules read a death to verify (triage.rules.RuleReading).
VERIFY_DEATH_REASON = (
    "A death to verify, not to attend: {} is reported, so the clinical desk verifies the death "
    "and advises the officers (no resuscitation)."
)


class Predictor:
    """A loaded model ready to serve: ``suggest(request)`` and ``suggest_many(requests)``."""

    def __init__(
        self,
        model: TrainedModel,
        version: str,
        familiarity: FamiliarityPolicy = DEFAULT_POLICY,
    ) -> None:
        if not isinstance(model, TrainedModel):
            raise TypeError(f"Predictor needs a TrainedModel. Got {type(model).__name__}.")
        self.model = model
        self.version = version
        compile_rules()  # the rule tables, spelling index and look-alike table, now, not later
        self._scorer = CompiledScorer(model.pipeline)
        self._explainer = Explainer(self._scorer)
        self._policy = model.policy
        self._slice_field = getattr(model.policy, "slice_field", None) or "incident_type"
        self.familiarity = familiarity
        self._known = self._scorer.features.text_.token_types_
        self._fields: tuple[str, ...] = (
            NARRATIVE_FIELD,
            *self._scorer.features.facts_.fields_,
        )

    def _record(self, request: TriageRequest) -> dict[str, Any]:
        return {f: getattr(request, f) for f in self._fields}

    def proba_records(self, records: Sequence[Mapping[str, Any]]) -> np.ndarray:
        """Calibrated probabilities (n x 3, DISPOSITIONS order) on the fast path.

        Equal to ``model.pipeline.predict_proba(records)`` within 1e-9 (the parity test).
        """
        return self._scorer.proba_records(records)

    def suggest(self, request: TriageRequest) -> Suggestion:
        scored = self._scorer.score(self._record(request))
        return self._finish(request, scored, self._scorer.proba_one(scored))

    def suggest_many(self, requests: Sequence[TriageRequest]) -> list[Suggestion]:
        scored = [self._scorer.score(self._record(r), i) for i, r in enumerate(requests)]
        probas = self._scorer.proba_scored(scored).tolist()
        return [self._finish(r, s, p) for r, s, p in zip(requests, scored, probas, strict=True)]

    def _finish(self, request: TriageRequest, scored: Scored, row: list[float]) -> Suggestion:
        raw = getattr(request, self._slice_field, None)
        slice_value = None if raw is None else str(getattr(raw, "value", raw))
        model_suggestion = self._policy.decide_one(row, slice_value)
        reading = read_request(request)
        flags: tuple[RedFlag, ...] = reading.red_flags
        fam = self.familiarity.assess(scored.tokens, self._known)
        suggestion = model_suggestion
        unfamiliar_reason: str | None = None
        if fam.unfamiliar:
            suggestion = self.familiarity.apply(model_suggestion)
        if flags:
            final = Disposition.DEPLOY
        elif reading.verify_death is not None:
            final = Disposition.CLINICAL_ADVICE
        else:
            final = suggestion
        if fam.unfamiliar:
            # the reason names the policy's change only when the policy made the final answer
            # (a red flag or a death to verify outranks it and gives its own reason)
            unfamiliar_reason = self.familiarity.reason(
                fam, model_suggestion, final if final is suggestion else model_suggestion
            )
        reasons = self._explainer.reasons(
            DISPOSITIONS.index(final),
            scored,
            flags,
            row[DEPLOY_INDEX],
            self._policy.threshold_for(slice_value),
        )
        if unfamiliar_reason is not None:
            reasons = (*reasons[: len(flags)], unfamiliar_reason, *reasons[len(flags) :])
        if final is Disposition.CLINICAL_ADVICE and reading.verify_death is not None:
            reasons = (VERIFY_DEATH_REASON.format(reading.verify_death), *reasons)
        return Suggestion(
            suggestion=final,
            model_suggestion=model_suggestion,
            probabilities={d.value: p for d, p in zip(DISPOSITIONS, row, strict=True)},
            red_flags=flags,
            reasons=reasons,
            model_version=self.version,
            overridden=bool(flags) and final != model_suggestion,
            unfamiliar_wording=fam.unfamiliar,
            unfamiliar_reason=unfamiliar_reason,
        )
