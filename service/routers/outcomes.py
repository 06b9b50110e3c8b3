"""``POST /v1/triage/{suggestion_id}/outcome``: what was actually decided, beside the suggestion.

An outcome is recorded ONCE per suggestion: it is an audit record, and a second, different
answer would silently rewrite what the audit says happened. A second POST gets 409 with the
outcome already on record (the first stands unchanged); a correction is a new triage. The
outcome is committed before the answer, like the suggestion.
"""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, HTTPException, Path

from service.deps import HandlerKey, StateDep
from service.responses import OrjsonResponse, error_responses
from service.schemas import OutcomeConflict, OutcomeRequest, OutcomeResponse
from service.store import OutcomeResult, OutcomeStatus, StoreError

router = APIRouter(prefix="/v1/triage", tags=["outcomes"])

STORE_TIMEOUT_SECONDS = 30.0


def _body(result: OutcomeResult) -> dict[str, object]:
    return {
        "suggestion_id": result.suggestion_id,
        "suggested": result.suggested,
        "final_disposition": result.final_disposition,
        "agreed": result.suggested == result.final_disposition,
        "recorded_at": result.recorded_at.isoformat() if result.recorded_at else None,
    }


@router.post(
    "/{suggestion_id}/outcome",
    response_model=OutcomeResponse,
    summary="Record the final disposition of a suggestion",
    responses={
        **error_responses(401, 403, 404, 413, 422, 503),
        409: {"model": OutcomeConflict, "description": "An outcome is already recorded."},
    },
)
async def record_outcome(
    outcome: OutcomeRequest,
    principal: HandlerKey,
    state: StateDep,
    suggestion_id: str = Path(
        max_length=64, description="The ``id`` POST /v1/triage returned."
    ),
) -> OrjsonResponse:
    """Store what the clinician or handler actually decided for suggestion ``suggestion_id``.
    404 for an unknown id; 409 (with the outcome on record) when one was already recorded."""
    try:
        fut = state.store.record_outcome(
            suggestion_id, outcome.final_disposition, outcome.note, principal.name
        )
        # Shielded: a timeout here must not cancel the writer's own future (the writer skips
        # writes cancelled before they start, and this one may already be running).
        result: OutcomeResult = await asyncio.wait_for(
            asyncio.shield(asyncio.wrap_future(fut)), STORE_TIMEOUT_SECONDS
        )
    except (StoreError, TimeoutError) as exc:
        raise HTTPException(
            status_code=503,
            detail=f"The audit store could not record this outcome ({type(exc).__name__}); "
            "try again.",
        ) from exc
    if result.status is OutcomeStatus.UNKNOWN_SUGGESTION:
        raise HTTPException(status_code=404, detail=f"No suggestion with id {suggestion_id!r}.")
    if result.status is OutcomeStatus.ALREADY_RECORDED:
        return OrjsonResponse(
            {
                "detail": f"An outcome ({result.final_disposition}) was already recorded for "
                f"suggestion {suggestion_id!r} at {result.recorded_at}; outcomes are recorded "
                "once and the first stands.",
                "existing": _body(result),
            },
            status_code=409,
        )
    state.metrics.observe_outcome(str(result.suggested), str(result.final_disposition))
    return OrjsonResponse(_body(result))
