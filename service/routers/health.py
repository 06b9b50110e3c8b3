"""``GET /healthz`` (the process lives) and ``GET /readyz`` (a model is loaded, the audit store
can record and the keys file is usable). No key needed.

``/readyz`` tells an anonymous caller only WHAT is wrong (no model, writer stopped, keys
unusable); why (the registry's path, the load error's text) goes to the log and to callers
that send a valid key.
"""

from __future__ import annotations

from fastapi import APIRouter

from service.deps import OptionalKeyDep, StateDep
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
async def readyz(state: StateDep, caller: OptionalKeyDep) -> OrjsonResponse:
    state.keys.refresh()
    if state.keys.problem is not None:
        # No key can be checked, so no suggestion can be given to anyone.
        return OrjsonResponse(
            {
                "status": "not_ready",
                "model_version": None,
                "detail": "The API keys file cannot be read or parsed: no key is accepted "
                "(see the service log).",
            },
            status_code=503,
        )
    serving = state.serving
    if serving is None:
        detail = (
            state.not_ready_reason if caller is not None
            else "not ready: no model loaded (the reason is in the service log, or ask with "
            "a key)."
        )
        return OrjsonResponse(
            {"status": "not_ready", "model_version": None, "detail": detail},
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
