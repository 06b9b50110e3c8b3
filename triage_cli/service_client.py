"""Running vignettes through a running triage service over HTTP (``triage vignettes --url``).

The client side of ``POST /v1/triage/batch``: in the command-line package, not in ``triage``,
so the core holds no HTTP client and knows nothing of the service's routes and status codes.
``tests/test_vignettes.py`` checks ``BATCH_ROUTE`` against the service's own.
"""

from __future__ import annotations

from collections.abc import Sequence

import httpx

from triage.schema import Disposition
from triage.vignettes import Vignette

#: The service's batch route (``service.app.BATCH_PATH``).
BATCH_ROUTE = "/v1/triage/batch"


class ServiceError(RuntimeError):
    """A running triage service could not score the vignettes (unreachable, refused, odd reply)."""


def run_with_service(
    url: str,
    vignettes: Sequence[Vignette],
    *,
    key: str | None = None,
    batch_size: int = 1000,
    timeout: float = 60.0,
    client: httpx.Client | None = None,
) -> list[Disposition]:
    """Each vignette's suggestion from a running service (``POST {url}/v1/triage/batch``).

    Requests go in batches of ``batch_size`` (the service's limit is 1,000) with
    ``Authorization: Bearer <key>``; results come back in order, each with ``suggestion``.

    Raises:
        ServiceError: the service is unreachable, refuses the key or body, or answers something
            other than one valid suggestion per request.
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    endpoint = url.rstrip("/") + BATCH_ROUTE
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    own_client = client is None
    http = client if client is not None else httpx.Client(timeout=timeout)
    out: list[Disposition] = []
    try:
        for start in range(0, len(vignettes), batch_size):
            chunk = vignettes[start : start + batch_size]
            body = {
                "requests": [v.request.model_dump(mode="json", exclude_none=True) for v in chunk]
            }
            try:
                resp = http.post(endpoint, json=body, headers=headers)
            except httpx.InvalidURL as exc:
                raise ServiceError(f"{url!r} is not a usable URL: {exc}") from None
            except httpx.TimeoutException:
                raise ServiceError(f"{endpoint} did not answer within {timeout:g}s") from None
            except httpx.HTTPError as exc:
                raise ServiceError(f"cannot reach the service at {endpoint}: {exc}") from None
            out.extend(_read_batch_reply(endpoint, resp, chunk, start))
    finally:
        if own_client:
            http.close()
    return out


_STATUS_HINTS = {
    401: "no key or an unknown key: pass --key or set TRIAGE_API_KEY",
    403: "the key has no role that may call the triage route",
    404: "no batch route there: is this the triage service's base URL?",
    413: "the batch is larger than the service accepts",
    503: "the service has no model loaded",
}


def _read_batch_reply(
    endpoint: str, resp: httpx.Response, chunk: Sequence[Vignette], start: int
) -> list[Disposition]:
    if resp.status_code != 200:
        hint = _STATUS_HINTS.get(resp.status_code, "")
        detail = resp.text[:500].strip()
        raise ServiceError(
            f"{endpoint} answered {resp.status_code}"
            + (f" ({hint})" if hint else "")
            + (f": {detail}" if detail else "")
        )
    try:
        results = resp.json()["results"]
    except (ValueError, KeyError, TypeError):
        raise ServiceError(f"{endpoint} did not answer a JSON object with 'results'") from None
    if not isinstance(results, list) or len(results) != len(chunk):
        got = len(results) if isinstance(results, list) else type(results).__name__
        raise ServiceError(
            f"{endpoint} answered {got} results for {len(chunk)} requests "
            f"(vignettes {start + 1}..{start + len(chunk)})"
        )
    out: list[Disposition] = []
    for i, (v, result) in enumerate(zip(chunk, results, strict=True)):
        value = result.get("suggestion") if isinstance(result, dict) else None
        try:
            out.append(Disposition(str(value)))
        except ValueError:
            raise ServiceError(
                f"{endpoint}: result {start + i + 1} (vignette {v.id!r}) has no valid "
                f"'suggestion' (got {value!r})"
            ) from None
    return out
