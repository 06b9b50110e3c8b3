"""``POST /v1/triage`` and ``POST /v1/triage/batch``: suggestions, each audited before answered.

The per-request path does only what must be done per request: the predictor's ``suggest`` (no
DataFrame; everything it can precompute it did at load), one uuid, one dict rendered by orjson,
and one audited write. The single-request route is ``async``: ``suggest`` is short CPU work that
gains nothing from a thread hop (the GIL serialises it anyway), and the write goes to the
store's writer thread, whose group commit this request awaits without holding a thread (the
commits of a group reach the loop in one wake-up: ``service.audit_wait``). A batch
runs ``suggest_many`` and builds its answers and audit rows on the bounded batch pool
(``service.batch_pool``: it can take tens of milliseconds) so health checks and single requests
are not held up behind it; when the pool is full it answers 503 with ``Retry-After``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from time import perf_counter
from typing import Any

import orjson
from fastapi import APIRouter, HTTPException
from fastapi.exceptions import RequestValidationError

from service.batch_pool import BatchPoolFull
from service.deps import BatchKey, HandlerKey, ServingDep, SettingsDep, StateDep
from service.keys import Principal
from service.responses import OrjsonResponse, error_responses
from service.schemas import (
    ADVISORY,
    BatchRequest,
    BatchResponse,
    RequestIdConflictOut,
    TriageResponse,
)
from service.state import ServiceState
from service.store import RequestIdConflict, StoreError, SuggestionRow, new_id
from triage.schema import TriageRequest
from triage.suggestion import Suggestion

router = APIRouter(prefix="/v1/triage", tags=["triage"])
ONE_PATH = "/v1/triage"
BATCH_PATH = "/v1/triage/batch"
#: 409: a request_id reused with a different request.
CONFLICT_RESPONSE: dict[int | str, dict[str, Any]] = {
    409: {"model": RequestIdConflictOut,
          "description": "The request_id was already used by this key for a different request; "
          "nothing was stored."},
}

#: How long a request waits for its audit commit before answering 503 instead.
STORE_TIMEOUT_SECONDS = 30.0
#: What a batch refused because the batch pool is full is told to wait (seconds).
BATCH_RETRY_AFTER_SECONDS = 1


def suggestion_body(sid: str, s: Suggestion, latency_ms: float) -> dict[str, Any]:
    """The response body of one suggestion (``TriageResponse`` as a plain dict)."""
    return {
        "id": sid,
        "suggestion": s.suggestion.value,
        "model_suggestion": s.model_suggestion.value,
        "overridden": s.overridden,
        "probabilities": s.probabilities,
        "red_flags": [{"name": f.name, "reason": f.reason, "evidence": f.evidence}
                      for f in s.red_flags],
        "reasons": list(s.reasons),
        "model_version": s.model_version,
        "advisory": ADVISORY,
        "latency_ms": round(latency_ms, 3),
        "unfamiliar_wording": s.unfamiliar_wording,
        "unfamiliar_reason": s.unfamiliar_reason,
    }


def audit_row(
    body: dict[str, Any],
    request: TriageRequest,
    principal: Principal,
    now: datetime,
    batch_id: str | None,
) -> SuggestionRow:
    return SuggestionRow(
        id=body["id"],
        created_at=now,
        key_name=principal.name,
        model_version=body["model_version"],
        request_json=request.model_dump_json(exclude_none=True),
        suggestion=body["suggestion"],
        model_suggestion=body["model_suggestion"],
        overridden=body["overridden"],
        probabilities_json=orjson.dumps(body["probabilities"]).decode(),
        red_flags_json=orjson.dumps(body["red_flags"]).decode(),
        reasons_json=orjson.dumps(body["reasons"]).decode(),
        latency_ms=body["latency_ms"],
        batch_id=batch_id,
        unfamiliar_wording=body["unfamiliar_wording"],
        unfamiliar_reason=body["unfamiliar_reason"],
        request_id=request.request_id,
    )


def stored_body(row: dict[str, Any]) -> dict[str, Any]:
    """The response body of a stored suggestion: what its first answer said, byte for byte in
    every field (a retried ``request_id`` gets exactly the suggestion it got the first time)."""
    return {
        "id": row["id"],
        "suggestion": row["suggestion"],
        "model_suggestion": row["model_suggestion"],
        "overridden": bool(row["overridden"]),
        "probabilities": orjson.loads(row["probabilities_json"]),
        "red_flags": orjson.loads(row["red_flags_json"]),
        "reasons": orjson.loads(row["reasons_json"]),
        "model_version": row["model_version"],
        "advisory": ADVISORY,
        "latency_ms": row["latency_ms"],
        "unfamiliar_wording": bool(row["unfamiliar_wording"]),
        "unfamiliar_reason": row["unfamiliar_reason"],
    }


def _store_unavailable(exc: BaseException) -> HTTPException:
    return HTTPException(
        status_code=503,
        detail="The audit store could not record this suggestion, so it is not given "
        f"({type(exc).__name__}); try again or triage by protocol.",
    )


async def _commit(
    state: ServiceState, rows: Sequence[SuggestionRow], field: Callable[[int], str]
) -> list[dict[str, Any] | None]:
    """Store ``rows`` (committed before this returns); per row, None or the suggestion stored
    earlier under its request_id. A request_id reused with another request is 409, naming the
    field (``field(index)``) and the request fields that differ; nothing is stored then."""
    try:
        return await state.store.add_suggestions_committed(rows, STORE_TIMEOUT_SECONDS)
    except RequestIdConflict as exc:
        raise HTTPException(
            status_code=409,
            detail={
                "message": f"{field(exc.index)}: {exc.request_id!r} was already used by this "
                f"key for a different request (differing: {', '.join(exc.differing)}); a "
                "retry must send the same request, a new request needs a new request_id.",
                "field": field(exc.index),
                "request_id": exc.request_id,
                "differing_fields": exc.differing,
                "existing_id": exc.existing_id,
            },
        ) from None
    except (StoreError, TimeoutError) as exc:
        raise _store_unavailable(exc) from exc


#: Set on an answer that repeats a stored suggestion (a retried request_id).
REPLAYED_HEADER = "Idempotent-Replayed"


@router.post(
    "",
    response_model=TriageResponse,
    summary="Suggest a disposition for one request",
    responses={**error_responses(401, 403, 413, 422, 503), **CONFLICT_RESPONSE},
)
async def triage_one(
    request: TriageRequest, principal: HandlerKey, serving: ServingDep, state: StateDep
) -> OrjsonResponse:
    """Suggest hear_and_treat, clinical_advice or deploy for one request, with the red flags
    found and the reasons. The suggestion is stored in the audit log (under the returned ``id``)
    before this answers.

    With a ``request_id``, the request is idempotent for this key, on any replica: a retry of
    the same request gets the stored suggestion again (header ``Idempotent-Replayed: true``)
    and stores nothing; the same request_id with a different request is 409."""
    t0 = perf_counter()
    s = serving.predictor.suggest(request)
    body = suggestion_body(new_id(), s, (perf_counter() - t0) * 1000.0)
    row = audit_row(body, request, principal, datetime.now(UTC), None)
    [stored] = await _commit(state, [row], lambda _: "request_id")
    if stored is not None:
        state.metrics.idempotent_replays.labels(ONE_PATH).inc()
        return OrjsonResponse(stored_body(stored), headers={REPLAYED_HEADER: "true"})
    state.metrics.observe_suggestion(s)
    state.after_answer([(body["id"], request, body["suggestion"])])
    return OrjsonResponse(body)


@router.post(
    "/batch",
    response_model=BatchResponse,
    summary="Suggest dispositions for up to max_batch requests",
    responses={**error_responses(401, 403, 413, 422, 503), **CONFLICT_RESPONSE},
)
async def triage_batch(
    batch: BatchRequest,
    principal: BatchKey,
    serving: ServingDep,
    state: StateDep,
    settings: SettingsDep,
) -> OrjsonResponse:
    """Suggestions for many requests, in the same order, stored in ONE transaction before this
    answers (all or none). More than ``max_batch`` (1,000 by default) is refused with 422.
    Requests carrying a ``request_id`` already stored for this key get the stored suggestion
    (nothing new stored for them); one reused with a different request makes the whole batch
    409 (nothing stored)."""
    n = len(batch.requests)
    if n > settings.max_batch:
        raise RequestValidationError(
            [
                {
                    "loc": ("body", "requests"),
                    "msg": f"A batch holds at most max_batch={settings.max_batch} requests; "
                    f"got {n}. Split it.",
                    "type": "too_long",
                    "input": f"{n} requests",
                }
            ]
        )
    predictor = serving.predictor
    def score() -> tuple[list[Suggestion], list[dict[str, Any]], list[SuggestionRow]]:
        # on a batch worker: the suggestions, their answers and their audit rows
        t0 = perf_counter()
        results = predictor.suggest_many(batch.requests)
        per_ms = (perf_counter() - t0) * 1000.0 / n
        now = datetime.now(UTC)
        batch_id = new_id()
        bodies = [suggestion_body(new_id(), s, per_ms) for s in results]
        rows = [
            audit_row(body, req, principal, now, batch_id)
            for body, req in zip(bodies, batch.requests, strict=True)
        ]
        return results, bodies, rows

    try:
        results, bodies, rows = await state.batches().run(score)
    except BatchPoolFull as exc:
        raise HTTPException(
            status_code=503,
            detail=f"Too many batches in progress ({exc}); retry shortly.",
            headers={"Retry-After": str(BATCH_RETRY_AFTER_SECONDS)},
        ) from exc
    stored = await _commit(state, rows, lambda i: f"requests.{i}.request_id")
    answered = []
    for i, (s, req, earlier) in enumerate(zip(results, batch.requests, stored, strict=True)):
        if earlier is not None:
            bodies[i] = stored_body(earlier)
            state.metrics.idempotent_replays.labels(BATCH_PATH).inc()
        else:
            state.metrics.observe_suggestion(s)
            answered.append((bodies[i]["id"], req, bodies[i]["suggestion"]))
    state.after_answer(answered)
    return OrjsonResponse({"results": bodies})
