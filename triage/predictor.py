"""``Predictor``: one request in, one ``Suggestion`` out, on the fast per-request path.

Order, for every request: features and the linear stage (``CompiledScorer.score``: per-token
sums precomputed at load time, no DataFrame, no sparse matrix) -> calibrated probabilities
(``CompiledScorer``: the boosting's trees and the calibration maps as arrays) ->
the decision policy -> the red-flag rules (any flag forces ``deploy``; ``overridden`` is True
when the policy had said otherwise; the probabilities stay the model's own) -> reasons
(``Explainer``: red flags first, then the features that pushed the suggestion).

Everything that can be done once is done in ``__init__``; ``suggest`` does only per-request work.
``suggest_many`` gives bit for bit what ``suggest`` gives, on the batch path
(``triage.batchscore``: tokens, scores, familiarity and reasons as arrays over the whole batch,
the boosting's trees and the calibration for all rows at once); the rules stay per request.
``proba_records`` is the fast path's probabilities, for the parity test (equal to
``model.pipeline.predict_proba`` within 1e-9).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from triage.batchscore import BatchScorer
from triage.collector import gc_paused
from triage.explain import MAX_FEATURE_REASONS, Explainer
from triage.familiarity import DEFAULT_POLICY, Familiarity, FamiliarityPolicy
from triage.fastscore import CompiledScorer
from triage.model import TrainedModel
from triage.records import NARRATIVE_FIELD
from triage.rules.engine import RuleReading, compile_rules, read_request
from triage.schema import DEPLOY_INDEX, DISPOSITIONS, Disposition, TriageRequest
from triage.suggestion import RedFlag, Suggestion
from triage.text.spelling import speller_fingerprint

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class TextPreprocessing:
    """Whether the model reads text the way it was trained to (train/serve skew).

    The speller that normalises every narrative corrects towards the clinical lexicon, which
    holds the red-flag tables' words, so editing the rules changes what a model reads without
    retraining it. ``trained`` is the fingerprint the model recorded when it was fitted (None:
    fitted before fingerprints were recorded), ``serving`` this process's.
    """

    trained: str | None
    serving: str

    @property
    def matches(self) -> bool | None:
        """True or False; None when the model did not record its fingerprint."""
        return None if self.trained is None else self.trained == self.serving

    def describe(self) -> dict[str, Any]:
        """As GET /v1/model reports it."""
        note = {
            True: "the speller reads text as it did when the model was trained",
            False: "the rule tables or the clinical lexicon changed since this model was "
                   "trained: its narratives are normalised differently now; retrain it on the "
                   "current tables",
            None: "the model did not record its speller fingerprint (trained before 2026-12-03)",
        }[self.matches]
        return {"speller_sha256_trained": self.trained, "speller_sha256_serving": self.serving,
                "matches": self.matches, "note": note}

#: The handler's sentence when the rules read a death to verify (triage.rules.engine.RuleReading).
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
        self._policy = model.policy
        self._slice_field = getattr(model.policy, "slice_field", None) or "incident_type"
        self.familiarity = familiarity
        # long-lived tables, built without the cyclic collector walking them (triage.collector)
        with gc_paused():
            compile_rules()  # the rule tables, spelling index and look-alike table, now
            self._scorer = CompiledScorer(model.pipeline)
            self._explainer = Explainer(self._scorer)
            self._known = self._scorer.features.text_.token_types_
            self._batch = BatchScorer(self._scorer, self._explainer, self._known)
        #: DISPOSITIONS' values, the keys of every answer's probabilities (read once: an
        #: enum member's ``value`` is a property)
        self._disposition_values: tuple[str, ...] = tuple(d.value for d in DISPOSITIONS)
        self._fields: tuple[str, ...] = (
            NARRATIVE_FIELD,
            *self._scorer.features.facts_.fields_,
        )
        self.text_preprocessing = TextPreprocessing(
            getattr(self._scorer.features.text_, "speller_sha256_", None), speller_fingerprint()
        )
        if self.text_preprocessing.matches is False:
            log.warning(
                "model %s was trained with another speller lexicon (%s, now %s): the rule "
                "tables or the clinical lexicon changed since; retrain it on the current tables",
                version, (self.text_preprocessing.trained or "")[:12],
                self.text_preprocessing.serving[:12],
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
        row = self._scorer.proba_one(scored)
        reading = read_request(request)
        fam = self.familiarity.assess(scored.tokens, self._known)
        verdict = self._verdict(request, row, reading, fam if fam.unfamiliar else None)
        units = self._explainer.units(DISPOSITIONS.index(verdict.final), scored)
        return self._suggestion(verdict, row, reading, units)

    def suggest_many(self, requests: Sequence[TriageRequest]) -> list[Suggestion]:
        """``suggest`` for every request, bit for bit, on the batch path (triage.batchscore):
        tokens, scores, familiarity and reasons as arrays over the whole batch."""
        if not requests:
            return []
        batch = self._batch.score([self._record(r) for r in requests])
        rows = self._scorer.proba_arrays(batch.decision, batch.fact_columns, batch.age).tolist()
        unfamiliar = self._batch.unfamiliar(batch, self.familiarity).tolist()
        verdicts: list[_Verdict] = []
        readings: list[RuleReading] = []
        for i, (request, row) in enumerate(zip(requests, rows, strict=True)):
            reading = read_request(request)
            fam = (
                self._batch.familiarity_of(batch, i, self.familiarity) if unfamiliar[i] else None
            )
            verdicts.append(self._verdict(request, row, reading, fam))
            readings.append(reading)
        units = self._batch.units(
            batch, [DISPOSITIONS.index(v.final) for v in verdicts], MAX_FEATURE_REASONS
        )
        return [
            self._suggestion(v, row, reading, u)
            for v, row, reading, u in zip(verdicts, rows, readings, units, strict=True)
        ]

    def _verdict(
        self,
        request: TriageRequest,
        row: list[float],
        reading: RuleReading,
        fam: Familiarity | None,
    ) -> _Verdict:
        """The policy, the familiarity policy and the rules, in that order of precedence
        (``fam`` is the assessment when the wording is unfamiliar, else None)."""
        raw = getattr(request, self._slice_field, None)
        slice_value = None if raw is None else str(getattr(raw, "value", raw))
        model_suggestion = self._policy.decide_one(row, slice_value)
        suggestion = model_suggestion
        unfamiliar_reason: str | None = None
        if fam is not None:
            suggestion = self.familiarity.apply(model_suggestion)
        if reading.red_flags:
            final = Disposition.DEPLOY
        elif reading.verify_death is not None:
            final = Disposition.CLINICAL_ADVICE
        else:
            final = suggestion
        if fam is not None:
            # the reason names the policy's change only when the policy made the final answer
            # (a red flag or a death to verify outranks it and gives its own reason)
            unfamiliar_reason = self.familiarity.reason(
                fam, model_suggestion, final if final is suggestion else model_suggestion
            )
        return _Verdict(model_suggestion, final, slice_value, unfamiliar_reason)

    def _suggestion(
        self,
        verdict: _Verdict,
        row: list[float],
        reading: RuleReading,
        units: Sequence[tuple[str, float]],
    ) -> Suggestion:
        """The answer from a verdict and its reasons' ranked units."""
        flags: tuple[RedFlag, ...] = reading.red_flags
        final = verdict.final
        reasons = self._explainer.compose(
            flags, units, row[DEPLOY_INDEX], self._policy.threshold_for(verdict.slice_value)
        )
        unfamiliar_reason = verdict.unfamiliar_reason
        if unfamiliar_reason is not None:
            reasons = (*reasons[: len(flags)], unfamiliar_reason, *reasons[len(flags) :])
        if final is Disposition.CLINICAL_ADVICE and reading.verify_death is not None:
            reasons = (VERIFY_DEATH_REASON.format(reading.verify_death), *reasons)
        return Suggestion(
            suggestion=final,
            model_suggestion=verdict.model_suggestion,
            probabilities=dict(zip(self._disposition_values, row, strict=True)),
            red_flags=flags,
            reasons=reasons,
            model_version=self.version,
            overridden=bool(flags) and final != verdict.model_suggestion,
            unfamiliar_wording=unfamiliar_reason is not None,
            unfamiliar_reason=unfamiliar_reason,
        )


class _Verdict(NamedTuple):
    """What the policy said, the final disposition, the request's slice and the unfamiliar
    wording's reason (None when the wording is familiar). A named tuple: made once per
    request, and a tuple is the cheapest record to make."""

    model_suggestion: Disposition
    final: Disposition
    slice_value: str | None
    unfamiliar_reason: str | None
