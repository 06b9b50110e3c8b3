"""The API's request and response models (the request itself is ``triage.schema.TriageRequest``).

Response models document every route in the OpenAPI document. The two hot routes build their
JSON with orjson from plain dicts (see ``service.routers.triage``); tests validate those bodies
against the models here, so the document and the bytes cannot drift apart.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from triage.schema import Disposition, StoredText, TriageRequest

#: Shown with every suggestion: it supports a decision, it does not make one.
ADVISORY = (
    "Decision support only: a clinician or trained call handler makes the decision. "
    "Red flags always mean deploy."
)

_SUGGESTION_EXAMPLE: dict[str, Any] = {
    "id": "6f1c2f3e-8a53-4a8e-9d0b-2a8b1d7c9e41",
    "suggestion": "deploy",
    "model_suggestion": "clinical_advice",
    "overridden": True,
    "probabilities": {"hear_and_treat": 0.18, "clinical_advice": 0.55, "deploy": 0.27},
    "red_flags": [
        {
            "name": "head_injury_loc",
            "reason": "Head injury with loss of consciousness.",
            "evidence": "hit head ... was out for a minute",
        }
    ],
    "reasons": ["Red flag: head injury with loss of consciousness, so deploy."],
    "model_version": "20261121T2300Z-3f2a9c",
    "advisory": ADVISORY,
    "latency_ms": 0.41,
    "unfamiliar_wording": False,
    "unfamiliar_reason": None,
}


class RedFlagOut(BaseModel):
    name: str = Field(description="Stable identifier of the red flag.")
    reason: str = Field(description="Why it means deploy, in a call handler's words.")
    evidence: str = Field(description="The words or field that triggered it.")


class Probabilities(BaseModel):
    """The model's calibrated probabilities; they sum to 1."""

    hear_and_treat: float = Field(ge=0, le=1)
    clinical_advice: float = Field(ge=0, le=1)
    deploy: float = Field(ge=0, le=1)


class TriageResponse(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [_SUGGESTION_EXAMPLE]})

    id: str = Field(description="Names this suggestion in the audit log (record outcomes on it).")
    suggestion: Disposition = Field(description="The final suggestion, after red-flag rules.")
    model_suggestion: Disposition = Field(description="What the model's policy alone suggested.")
    overridden: bool = Field(description="True when red flags changed the model's suggestion.")
    probabilities: Probabilities
    red_flags: list[RedFlagOut] = Field(description="Red flags found; empty if none.")
    reasons: list[str] = Field(description="What drove the suggestion, in plain words.")
    model_version: str
    advisory: str = Field(description="This is decision support, not a decision.")
    latency_ms: float = Field(description="Time taken to compute the suggestion (ms).")
    unfamiliar_wording: bool = Field(
        description="True when the model does not know most of the narrative's words: its "
        "suggestion then rests on little it has learnt, so read the narrative with care."
    )
    unfamiliar_reason: str | None = Field(
        description="Why the wording counts as unfamiliar and what was done about it, in a "
        "call handler's words; null when unfamiliar_wording is false."
    )


class BatchRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "requests": [
                        {"narrative": "Male 30s in custody, banged head on cell wall, no LOC"},
                        {"narrative": "Female 80s fallen at home, not breathing"},
                    ]
                }
            ]
        },
    )

    requests: list[TriageRequest] = Field(
        min_length=1,
        max_length=10_000,
        description="Up to the service's max_batch requests (1,000 by default).",
    )


class BatchResponse(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"results": [_SUGGESTION_EXAMPLE]}]}
    )

    results: list[TriageResponse] = Field(description="One result per request, in order.")


NoteText = Annotated[str, Field(max_length=2000), StoredText]


class OutcomeRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "final_disposition": "clinical_advice",
                    "note": "Advised custody staff to monitor.",
                }
            ]
        },
    )

    final_disposition: Disposition = Field(
        description="What the clinician or handler actually decided."
    )
    note: NoteText | None = Field(default=None, description="Optional free text (<= 2000 chars).")


class OutcomeResponse(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "suggestion_id": "6f1c2f3e-8a53-4a8e-9d0b-2a8b1d7c9e41",
                    "suggested": "deploy",
                    "final_disposition": "deploy",
                    "agreed": True,
                    "recorded_at": "2026-11-21T23:59:00Z",
                }
            ]
        }
    )

    suggestion_id: str
    suggested: Disposition
    final_disposition: Disposition
    agreed: bool = Field(description="Whether the final disposition equals the suggestion.")
    recorded_at: datetime


class OutcomeConflict(BaseModel):
    """409: an outcome was already recorded for this suggestion; the first one stands."""

    detail: str
    existing: OutcomeResponse


class TextPreprocessingOut(BaseModel):
    """Train/serve skew of the text path (``triage.predictor.TextPreprocessing``)."""

    speller_sha256_trained: str | None = Field(
        description="The speller fingerprint the model recorded when it was trained (null: "
        "trained before fingerprints were recorded)."
    )
    speller_sha256_serving: str = Field(description="This process's speller fingerprint.")
    matches: bool | None = Field(
        description="False: the rule tables or the clinical lexicon changed since the model was "
        "trained, so it reads some narratives differently; retrain it on the current tables."
    )
    note: str = Field(description="The same, in words.")


class ModelInfo(BaseModel):
    model_config = ConfigDict(
        protected_namespaces=(),
        json_schema_extra={
            "examples": [
                {
                    "version": "20261121T2300Z-3f2a9c",
                    "kind": "linear",
                    "created_at": "2026-11-21T23:00:00Z",
                    "trained_on": {"rows": 20000, "from": "2025-01-01", "to": "2026-06-30"},
                    "metrics": {"under_triage_rate": 0.018, "deploy_sensitivity": 0.982},
                    "thresholds": {"deploy_threshold": 0.21},
                    "target": {"target_under_triage": 0.02, "confidence": 0.95,
                               "margin_method": "clopper_pearson_upper",
                               "slice_tolerance": 0.02, "slice_tolerances": {}},
                    "text_preprocessing": {
                        "speller_sha256_trained": "feda307420aa...",
                        "speller_sha256_serving": "feda307420aa...",
                        "matches": True,
                        "note": "the speller reads text as it did when the model was trained",
                    },
                    "loaded_at": "2026-11-21T23:10:00Z",
                    "replica": "triage-1",
                    "process_id": 4123,
                }
            ]
        },
    )

    version: str
    kind: str
    created_at: str | None = Field(description="When the model was trained and registered.")
    trained_on: dict[str, Any] = Field(description="What it was trained on (from its manifest).")
    metrics: dict[str, Any] = Field(description="Held-out evaluation metrics from its manifest.")
    thresholds: dict[str, Any] = Field(description="Decision thresholds the policy applies.")
    target: dict[str, Any] = Field(
        description="The safety targets the thresholds were fit to: the under-triage target, "
        "the confidence of its margin and the slice tolerance (docs/CLINICAL_SAFETY.md, H1)."
    )
    text_preprocessing: TextPreprocessingOut = Field(
        description="Train/serve skew of the text path: the speller fingerprint the model "
        "recorded when trained and this process's (the rule tables feed the speller's lexicon, "
        "so a rules change alone moves what the model reads); matches is null for a model "
        "trained before fingerprints were recorded (docs/CLINICAL_SAFETY.md, H4)."
    )
    loaded_at: datetime
    replica: str = Field(description="The replica that answered (TRIAGE_REPLICA_NAME, default "
                         "the host name).")
    process_id: int = Field(description="The process that answered (one of --workers N).")


class ReloadResponse(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"version": "20261122T0100Z-9b1e0d", "previous_version": "20261121T2300Z-3f2a9c",
                 "changed": True}
            ]
        }
    )

    version: str = Field(description="The version now serving.")
    previous_version: str | None
    changed: bool


class ReloadFailed(BaseModel):
    """409: the registry's current model could not be loaded; the old model keeps serving."""

    detail: str
    error: str = Field(description="not_found, integrity or invalid.")
    serving_version: str | None


class Health(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"status": "ok"}]})

    status: str


class LoadProblemOut(BaseModel):
    """The registry's current version could not be loaded by this process, which keeps serving
    its previous model."""

    registry_version: str | None = Field(
        description="What the registry's current pointer named when the load was tried."
    )
    error: str = Field(description="not_found, integrity or invalid.")
    detail: str | None = Field(
        description="Why, in the loader's words (only to a caller that sent a valid key)."
    )
    at: datetime = Field(description="When the load failed.")


class Readiness(BaseModel):
    model_config = ConfigDict(
        protected_namespaces=(),
        json_schema_extra={"examples": [{
            "status": "ready", "model_version": "20261121T230000Z-3f2a9c", "detail": None,
            "replica": "triage-1", "process_id": 4123,
            "registry_version": "20261121T230000Z-3f2a9c", "load_problem": None,
        }]},
    )

    status: str
    model_version: str | None = Field(default=None, description="The version this process "
                                      "serves.")
    detail: str | None = None
    replica: str | None = Field(default=None, description="This replica's name "
                                "(TRIAGE_REPLICA_NAME, default the host name).")
    process_id: int | None = Field(default=None, description="The answering process's id.")
    registry_version: str | None = Field(
        default=None, description="What the registry's current pointer named when this process "
        "last looked (it looks every TRIAGE_MODEL_WATCH_SECONDS)."
    )
    load_problem: LoadProblemOut | None = Field(
        default=None, description="Set when the registry's current version failed to load here."
    )


class ErrorOut(BaseModel):
    detail: str


class RequestIdConflictDetail(BaseModel):
    message: str = Field(description="What was wrong and what to do, in words.")
    field: str = Field(description="The field at fault: request_id, or "
                       "requests.N.request_id in a batch.")
    request_id: str
    differing_fields: list[str] = Field(
        description="The request fields that differ from the request stored under this id."
    )
    existing_id: str = Field(description="The id of the suggestion stored under this "
                             "request_id.")


class RequestIdConflictOut(BaseModel):
    """409: the request_id was already used by this key for a different request."""

    detail: RequestIdConflictDetail


class FieldError(BaseModel):
    loc: list[str | int]
    field: str
    msg: str
    type: str
    input: Any | None = None


class ValidationErrorOut(BaseModel):
    detail: list[FieldError]
    message: str
