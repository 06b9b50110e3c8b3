"""``POST /v1/admin/reload``: serve the registry's current model, without dropping a request.

The new model is loaded and checked (hash, library versions, manifest) in a worker thread while
the old one keeps serving; only when it loaded completely is it installed, by one reference
swap. Requests in flight finish on the model they started with.

A failed reload (nothing promoted, version folder missing, corrupt or tampered artifact) changes
nothing: the old model keeps serving and the answer is 409 Conflict with the reason, the kind
of error (``not_found``, ``integrity`` or ``invalid``) and the version still serving. 409
because the request was fine but the registry's state does not allow it; the service itself is
still available (503 would tell a load balancer otherwise).

Reloads are serialised (a lock): two concurrent reloads load one after the other.
A reload loads only in the process that receives it; every process (each of ``--workers N``,
each replica) also follows the registry's ``current`` on its own within
``TRIAGE_MODEL_WATCH_SECONDS`` (``service.model_watch``), so after a promotion this call is only
needed to load at once, or with the watch turned off.
"""

from __future__ import annotations

import logging

from fastapi import APIRouter

from service.deps import AdminKey, StateDep
from service.responses import OrjsonResponse, error_responses
from service.schemas import ReloadFailed, ReloadResponse
from service.state import LoadFailure

router = APIRouter(prefix="/v1/admin", tags=["admin"])
log = logging.getLogger(__name__)


@router.post(
    "/reload",
    response_model=ReloadResponse,
    summary="Load the registry's current model",
    responses={
        **error_responses(401, 403),
        409: {"model": ReloadFailed, "description": "Not loaded; the old model keeps serving."},
    },
)
async def reload_model(principal: AdminKey, state: StateDep) -> OrjsonResponse:
    """Load the registry's current model and make it serve new requests."""
    done = await state.reload("admin")
    if done is None:  # only a watch load returns None
        raise RuntimeError("an admin reload always loads")
    previous, result = done
    if isinstance(result, LoadFailure):
        log.warning("model reload failed (%s); still serving %s", result.error,
                    state.serving_version, extra={"key": principal.name})
        return OrjsonResponse(
            {
                "detail": f"Reload failed, still serving {state.serving_version or 'no model'}: "
                f"{result.detail}",
                "error": result.error,
                "serving_version": state.serving_version,
            },
            status_code=409,
        )
    version = result.predictor.version
    log.info("model reloaded: %s (was %s)", version, previous,
             extra={"key": principal.name, "model_version": version})
    return OrjsonResponse(
        {"version": version, "previous_version": previous, "changed": version != previous}
    )
