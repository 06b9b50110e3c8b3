"""The FastAPI app: ``create_app()`` builds it; its lifespan opens the store and loads the model.

Run it with ``triage serve`` or ``uvicorn service.app:create_app --factory``. Settings come from
``TRIAGE_*`` variables (``triage.settings``) unless a ``Settings`` is passed in.

Startup: the audit store is opened and migrated (if that fails the service does not start: it
must not hand out suggestions it cannot record), the keys file is read, and the registry's
current model is loaded. A missing or damaged model does NOT stop the start: ``/readyz`` and the
triage routes answer 503 with the reason until a model loads (the registry watch loads one as
soon as one is promoted, or ``POST /v1/admin/reload``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import re
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from time import perf_counter
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.deps import (
    KEY_NAME_SCOPE_KEY,
    PRINCIPAL_SCOPE_KEY,
    authenticate_header,
)
from service.keys import KeyRing
from service.logging_setup import configure_logging, request_id_var
from service.metrics import ServiceMetrics
from service.ratelimit import KeyRateLimiter
from service.responses import OrjsonResponse
from service.routers import admin, health, metrics, model, outcomes, page, triage
from service.state import ServiceState
from service.store import AuditStore
from triage.collector import release_after_start
from triage.settings import Settings, get_settings

log = logging.getLogger("service.app")
access_log = logging.getLogger("service.access")

BATCH_PATH = "/v1/triage/batch"
REQUEST_ID_KEY = "triage.request_id"
#: Routes under this prefix need a key: it is checked (and rate-limited) before the body is read.
KEYED_PREFIX = "/v1/"
#: Longest part of a rejected value quoted back in a 422 (a narrative can be 4,000 chars).
MAX_QUOTED_INPUT = 80


class BodyTooLarge(HTTPException):
    """Raised while the body streams in, as soon as it passes the route's limit."""

    def __init__(self, limit: int) -> None:
        super().__init__(
            status_code=413,
            detail=f"The request body is over this route's limit of {limit} bytes.",
        )


class ServiceMiddleware:
    """Pure ASGI middleware (no per-request task or body copy): request id, the API key and the
    key's rate limit on ``/v1/`` routes checked BEFORE any of the body is read (an anonymous
    caller costs a header lookup, never a parse), body-size limit counted on the bytes as they
    stream in (Content-Length is checked first but not trusted), metrics by route template, and
    one structured access-log line."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        metrics: ServiceMetrics,
        max_body: int,
        max_batch_body: int,
        limiter: KeyRateLimiter,
    ) -> None:
        self.app = app
        self.metrics = metrics
        self.max_body = max_body
        self.max_batch_body = max_batch_body
        self.limiter = limiter

    def _gate(self, scope: Scope) -> HTTPException | None:
        """For a keyed route: authenticate and count the key (the principal goes into the
        scope); the refusal to send instead, if any."""
        if not scope["path"].startswith(KEYED_PREFIX):
            return None
        state: ServiceState | None = getattr(scope["app"].state, "service", None)
        if state is None:
            return HTTPException(status_code=503, detail="The service is starting.")
        authorization = None
        for name, value in scope["headers"]:
            if name == b"authorization":
                authorization = value.decode("latin-1")
                break
        try:
            principal = authenticate_header(state, authorization)
        except HTTPException as exc:
            return exc
        scope[PRINCIPAL_SCOPE_KEY] = principal
        scope[KEY_NAME_SCOPE_KEY] = principal.name
        wait = self.limiter.check(principal.name)
        if wait is not None:  # counted in /metrics as status 429; the access log names the key
            return HTTPException(
                status_code=429,
                detail=f"Key {principal.name!r} is over its rate limit "
                f"({self.limiter.spec}); retry after {wait} s.",
                headers={"Retry-After": str(wait)},
            )
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = perf_counter()
        rid = _forwarded_request_id(scope) or os.urandom(16).hex()
        scope[REQUEST_ID_KEY] = rid
        token = request_id_var.set(rid)
        limit = self.max_batch_body if scope["path"] == BATCH_PATH else self.max_body
        status = 500
        started = False
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def send_with_id(message: Message) -> None:
            nonlocal status, started
            if message["type"] == "http.response.start":
                status = message["status"]
                started = True
                headers = list(message.get("headers", ()))
                headers.append((b"x-request-id", rid.encode("ascii")))
                message = {**message, "headers": headers}
            await send(message)

        try:
            refusal = self._gate(scope)
            declared = _content_length(scope)
            if refusal is not None:
                await _send_error(send_with_id, refusal)
            elif declared is not None and declared > limit:
                await _send_error(send_with_id, BodyTooLarge(limit))
            else:
                await self.app(scope, limited_receive, send_with_id)
        except BodyTooLarge as exc:
            if started:
                raise
            await _send_error(send_with_id, exc)
        finally:
            route = scope.get("route")
            template = getattr(route, "path", None) or "unmatched"
            seconds = perf_counter() - start
            self.metrics.observe_request(template, scope["method"], status, seconds)
            principal = scope.get(KEY_NAME_SCOPE_KEY)
            access_log.info(
                "request",
                extra={
                    "route": template,
                    "method": scope["method"],
                    "status": status,
                    "latency_ms": round(seconds * 1000.0, 3),
                    "key": principal,
                },
            )
            request_id_var.reset(token)


#: A request id a proxy set (nginx's ``$request_id``: 32 hex digits). Anything else is ignored.
_FORWARDED_ID = re.compile(rb"[0-9a-f]{32}")


def _forwarded_request_id(scope: Scope) -> str | None:
    """The ``X-Request-Id`` the proxy in front set, when it has nginx's form: then the proxy's
    log, and the logs of every replica a retried request reached, share one id."""
    for name, value in scope["headers"]:
        if name == b"x-request-id":
            return value.decode("ascii") if _FORWARDED_ID.fullmatch(value) else None
    return None


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _send_error(send: Callable[[Message], Awaitable[None]], exc: HTTPException) -> None:
    response = OrjsonResponse(
        {"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers
    )
    await send(
        {"type": "http.response.start", "status": response.status_code,
         "headers": response.raw_headers}
    )
    await send({"type": "http.response.body", "body": response.body})


def _text(value: str) -> str:
    """``value`` as text any JSON encoder takes: a lone surrogate (JSON can carry one as
    ``\\ud800``, UTF-8 cannot) becomes its escape, so a 422 can quote what it refuses."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    return value


def _quote(value: Any) -> Any:
    """A rejected value as a 422 may quote it: short scalars as given, long text cut, objects
    and lists named by type (they may be a whole request)."""
    if isinstance(value, str):
        value = value if len(value) <= MAX_QUOTED_INPUT else value[:MAX_QUOTED_INPUT] + "..."
        return _text(value)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        # JSON encoders stop at 64 bits; a huge number is quoted as text.
        return value if -(2**63) <= value < 2**63 else str(value)
    if isinstance(value, float):
        return value
    return f"<{type(value).__name__}>"


async def validation_error(request: Request, exc: Exception) -> OrjsonResponse:
    """422 naming each bad field (``loc``, dotted ``field``), why (``msg``) and what was given."""
    raw = exc.errors() if isinstance(exc, RequestValidationError) else []
    errors: list[dict[str, Any]] = []
    for err in raw:
        loc = [p if isinstance(p, int) else _text(str(p))[:MAX_QUOTED_INPUT]
               for p in err.get("loc", ())]
        where = [str(p) for p in loc[1:]] if loc[:1] == ["body"] else [str(p) for p in loc]
        field = ".".join(where) or "body"
        item: dict[str, Any] = {
            "loc": loc,
            "field": field,
            "msg": _text(str(err.get("msg", "invalid"))),
            "type": str(err.get("type", "value_error")),
        }
        if "input" in err:
            item["input"] = _quote(err["input"])
        errors.append(item)
    message = "Invalid request: " + "; ".join(
        f"{e['field']}: {e['msg']}"
        + (f" (got {e['input']!r})" if "input" in e and not isinstance(e["input"], dict) else "")
        for e in errors
    )
    return OrjsonResponse({"detail": errors, "message": message}, status_code=422)


async def unexpected_error(request: Request, exc: Exception) -> OrjsonResponse:
    """Last resort: log the exception's type and frames (never its message, which may quote the
    request) and answer without internals."""
    rid = request.scope.get(REQUEST_ID_KEY)
    log.error(
        "unhandled error on %s", getattr(request.scope.get("route"), "path", "unmatched"),
        exc_info=(type(exc), exc, exc.__traceback__),
        extra={"request_id": rid},
    )
    return OrjsonResponse(
        {"detail": f"Internal error (request id {rid}); the request was not completed."},
        status_code=500,
    )


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    metrics_: ServiceMetrics = app.state.metrics
    store = AuditStore(settings.db_url)
    await run_in_threadpool(store.open)
    keys = KeyRing(settings.keys_file)
    if keys.problem is not None:
        log.error("API keys file unusable at start, no key will be accepted: %s", keys.problem)
    elif len(keys) == 0:
        log.warning(
            "no API keys in %s: every keyed route will answer 401 until "
            "'triage keys add NAME --role ROLE' adds one", settings.keys_file,
        )
    state = ServiceState(
        settings=settings, keys=keys, store=store, metrics=metrics_,
        replica=settings.replica_name or socket.gethostname(), process_id=os.getpid(),
    )
    metrics_.set_replica(state.replica, state.process_id)
    await state.reload("start")  # a missing or damaged model is logged; /readyz says 503
    # Shadow running (TRIAGE_SHADOW_VERSION): loaded after the serving model, never blocking it.
    await run_in_threadpool(state.start_shadow)
    # `triage serve` started with the cyclic collector off: the tables are built, freeze them
    # out of its reach and turn it on (nothing in a process that never turned it off)
    release_after_start()
    app.state.service = state
    # Every process follows the registry itself: a promotion reaches every worker and replica.
    watch = (asyncio.create_task(state.watch_registry(), name="model-watch")
             if settings.model_watch_seconds > 0 else None)
    try:
        yield
    finally:
        if watch is not None:
            watch.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watch
        await run_in_threadpool(state.stop_shadow)
        await run_in_threadpool(state.close_batches)
        await run_in_threadpool(store.close)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app (no I/O here: the lifespan opens the store and loads the model)."""
    settings = settings if settings is not None else get_settings()
    configure_logging(settings.log_level)
    app = FastAPI(
        title="Control-room triage",
        summary="Suggests hear_and_treat, clinical_advice or deploy for police-to-ambulance "
        "requests. Decision support: a clinician or trained handler decides.",
        version="1",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.metrics = ServiceMetrics()
    for r in (triage, outcomes, model, admin, health, metrics):
        app.include_router(r.router)
    app.include_router(page.router)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(Exception, unexpected_error)
    app.add_middleware(
        ServiceMiddleware,
        metrics=app.state.metrics,
        max_body=settings.max_body_bytes,
        max_batch_body=settings.max_batch_body_bytes,
        limiter=KeyRateLimiter(settings.rate_limit),
    )
    return app

