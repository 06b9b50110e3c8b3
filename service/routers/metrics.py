"""``GET /metrics``: Prometheus text format. No key: bind the service where only ops reach it,
or filter /metrics at the proxy."""

from __future__ import annotations

from fastapi import APIRouter
from prometheus_client import CONTENT_TYPE_LATEST
from starlette.responses import Response

from service.deps import StateDep

router = APIRouter(tags=["metrics"])


@router.get(
    "/metrics",
    response_class=Response,
    summary="Prometheus metrics",
    responses={200: {"content": {CONTENT_TYPE_LATEST: {}}, "description": "Prometheus text."}},
)
def metrics(state: StateDep) -> Response:
    """Requests and latency per route template, suggestions per disposition, red flags, handler
    overrides, unfamiliar wording, input drift per field, the shadow, the serving model,
    reloads."""
    state.refresh_drift()
    return Response(state.metrics.render(), media_type=CONTENT_TYPE_LATEST)
