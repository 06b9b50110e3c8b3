"""``GET /healthz`` (the process lives) and ``GET /readyz`` (a model is loaded, the audit store
can record and the keys file is usable). No key needed.

``/readyz`` tells an anonymous caller only WHAT is wrong (no model, writer stopped, keys
unusable); why (the registry's path, the load error's text) goes to the log and to callers
that send a valid key.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from service.deps import OptionalKeyDep, StateDep
from service.responses import OrjsonResponse
from service.schemas import Health, Readiness
from service.state import LoadProblem

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
    """Ready when a model is loaded, the audit writer runs and the keys file is usable. Names
    this process (replica, process id), the version it serves, what the registry's ``current``
    names and, when that version failed to load here, why (200 still: the previous model
    serves)."""
    state.keys.refresh()
    serving = state.serving
    body: dict[str, Any] = {
        "model_version": serving.predictor.version if serving is not None else None,
        "replica": state.replica,
        "process_id": state.process_id,
        "registry_version": state.registry_pointer,
        "load_problem": _problem(state.load_problem, caller is not None),
    }
    if state.keys.problem is not None:
        # No key can be checked, so no suggestion can be given to anyone.
        return OrjsonResponse(
            {
                **body,
                "status": "not_ready",
                "detail": "The API keys file cannot be read or parsed: no key is accepted "
                "(see the service log).",
            },
            status_code=503,
        )
    if serving is None:
        detail = (
            state.not_ready_reason if caller is not None
            else "not ready: no model loaded (the reason is in the service log, or ask with "
            "a key)."
        )
        return OrjsonResponse({**body, "status": "not_ready", "detail": detail},
                              status_code=503)
    if not state.store.writer_alive:
        # Suggestions are answered only once audited: without a writer none could be.
        return OrjsonResponse(
            {
                **body,
                "status": "not_ready",
                "detail": "The audit store's writer has stopped: suggestions cannot be recorded.",
            },
            status_code=503,
        )
    problem = state.load_problem
    note: str | None = None
    if problem is not None:
        note = (
            f"serving {serving.predictor.version}: the registry's current version "
            f"{problem.registry_version} could not be loaded ({problem.error}), so this process "
            "keeps its previous model"
        )
    return OrjsonResponse({**body, "status": "ready", "detail": note})


def _problem(problem: LoadProblem | None, keyed: bool) -> dict[str, Any] | None:
    if problem is None:
        return None
    return {
        "registry_version": problem.registry_version,
        "error": problem.error,
        "detail": problem.detail if keyed else None,
        "at": problem.at.isoformat(),
    }
