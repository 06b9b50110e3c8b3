"""``GET /healthz`` (the process lives) and ``GET /readyz`` (a model is loaded and the audit
store can record). No key."""

from __future__ import annotations

from fastapi import APIRouter

from service.deps import StateDep
from service.responses import OrjsonResponse
from service.schemas import Health, Readiness

router = APIRouter(tags=["health"])

@router.get("/healthz", response_model=Health, summary="Liveness")
async def healthz() -> OrjsonResponse:
    """200 while the process lives."""
    return OrjsonResponse({"status": "ok"})


@router.get(
    "/readyz",
    response_model=Readiness,
    summary="Readiness: 200 once a model is loaded, 503 before",
    responses={503: {"model": Readiness, "description": "No model loaded; detail says why."}},
)
async def readyz(state: StateDep) -> OrjsonResponse:
    serving = state.serving
    if serving is None:
        return OrjsonResponse(
            {"status": "not_ready", "model_version": None, "detail": state.not_ready_reason},
            status_code=503,
        )
    if not state.store.writer_alive:
        # Suggestions are answered only once audited: without a writer none could be.
        return OrjsonResponse(
            {
                "status": "not_ready",
                "model_version": serving.predictor.version,
                "detail": "The audit store's writer has stopped: suggestions cannot be recorded.",
            },
            status_code=503,
        )
    return OrjsonResponse({"status": "ready", "model_version": serving.predictor.version})
