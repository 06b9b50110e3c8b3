"""Response helpers shared by the routers."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import Response


class OrjsonResponse(Response):
    """JSON rendered by orjson. Hot routes return it with a dict they built, so FastAPI neither
    validates nor re-encodes the body (tests check the bytes against the response models)."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the error codes a route can answer with."""
    from service.schemas import ErrorOut, ValidationErrorOut

    text = {
        401: "No or unknown API key (WWW-Authenticate: Bearer).",
        403: "The key's role may not use this route.",
        404: "No such suggestion.",
        409: "Conflict (see the route's description).",
        413: "The body is over the size limit.",
        422: "The body or a parameter is invalid; each bad field is named.",
        429: "The key is over its rate limit (TRIAGE_RATE_LIMIT); Retry-After says when to "
        "retry.",
        503: "No model loaded, the audit store is unavailable, or (batches) the batch pool is "
        "full (with Retry-After); the detail says which.",
    }
    out: dict[int | str, dict[str, Any]] = {}
    if 401 in codes:  # a keyed route: the key's rate limit applies too
        codes = (*codes, 429)
    for code in sorted(set(codes)):
        model = ValidationErrorOut if code == 422 else ErrorOut
        out[code] = {"model": model, "description": text[code]}
    return out
