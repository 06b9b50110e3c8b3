"""``GET /v1/model``: what is serving (version, training date, metrics, thresholds, targets).

The body is computed once, when the model is loaded (plus the answering replica and process);
any valid key may read it.
"""

from __future__ import annotations

from fastapi import APIRouter

from service.deps import KeyDep, ServingDep, StateDep
from service.responses import OrjsonResponse, error_responses
from service.schemas import ModelInfo

router = APIRouter(prefix="/v1", tags=["model"])


@router.get(
    "/model",
    response_model=ModelInfo,
    summary="The serving model",
    responses=error_responses(401, 503),
)
async def model_info(
    _principal: KeyDep, serving: ServingDep, state: StateDep
) -> OrjsonResponse:
    """The serving model's version, kind, training date, held-out metrics, the deploy threshold
    it applies and the under-triage target that threshold was fitted to, and which replica and
    process answered (each process serves the version it has loaded)."""
    return OrjsonResponse(
        {**serving.info, "replica": state.replica, "process_id": state.process_id}
    )
