"""FastAPI dependencies, as ``Annotated`` aliases the routers use.

Every dependency is ``async def``: they do no I/O, and a plain ``def`` dependency would cost a
threadpool hop per request each (measured: it halved throughput).

- ``SettingsDep``: the app's ``Settings`` (never parsed per request).
- ``StateDep``: the app's ``ServiceState``.
- ``ServingDep`` / ``PredictorDep``: the model serving NOW, read once per request (a reload
  during the request does not change it); 503 with the reason when none is loaded.
- ``KeyDep``: the caller's key (401 without a valid one); ``HandlerKey``, ``BatchKey``,
  ``AdminKey``: the same, limited to roles (403 otherwise).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from service.keys import Principal, Role
from service.state import ServiceState, Serving
from triage.predictor import Predictor
from triage.settings import Settings


async def get_app_settings(request: Request) -> Settings:
    """The app's settings: those given to ``create_app`` or else ``get_settings()`` (cached),
    read once when the app was built, never parsed per request."""
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_app_settings)]

_bearer = HTTPBearer(
    auto_error=False,
    description="An API key made with `triage keys add NAME --role handler|analyst|admin`.",
)

UNAUTHORIZED_HEADERS = {"WWW-Authenticate": "Bearer"}


async def get_state(request: Request) -> ServiceState:
    state: ServiceState = request.app.state.service
    return state


StateDep = Annotated[ServiceState, Depends(get_state)]


async def get_serving(state: StateDep) -> Serving:
    serving = state.serving
    if serving is None:
        raise HTTPException(status_code=503, detail=state.not_ready_reason)
    return serving


ServingDep = Annotated[Serving, Depends(get_serving)]


async def get_predictor(serving: ServingDep) -> Predictor:
    return serving.predictor


PredictorDep = Annotated[Predictor, Depends(get_predictor)]


#: Where the access log finds the caller's key NAME (set once the key is known).
KEY_NAME_SCOPE_KEY = "triage.key_name"


async def get_principal(
    request: Request,
    state: StateDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The caller, from ``Authorization: Bearer <key>``; 401 when absent or unknown."""
    if credentials is None or credentials.scheme.lower() != "bearer" or not credentials.credentials:
        raise HTTPException(
            status_code=401,
            detail="Missing API key: send 'Authorization: Bearer <key>'.",
            headers=UNAUTHORIZED_HEADERS,
        )
    principal = state.keys.authenticate(credentials.credentials)
    if principal is None:
        raise HTTPException(
            status_code=401, detail="Unknown or revoked API key.", headers=UNAUTHORIZED_HEADERS
        )
    request.scope[KEY_NAME_SCOPE_KEY] = principal.name
    return principal


KeyDep = Annotated[Principal, Depends(get_principal)]


def require_roles(*roles: Role) -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency admitting keys with one of ``roles`` (admin is always admitted)."""
    allowed = frozenset((*roles, Role.ADMIN))
    names = ", ".join(sorted(r.value for r in allowed))

    async def check(principal: KeyDep) -> Principal:
        if principal.role not in allowed:
            raise HTTPException(
                status_code=403,
                detail=f"Key {principal.name!r} has role {principal.role.value!r}; "
                f"this needs one of: {names}.",
            )
        return principal

    return check


HandlerKey = Annotated[Principal, Depends(require_roles(Role.HANDLER))]
BatchKey = Annotated[Principal, Depends(require_roles(Role.HANDLER, Role.ANALYST))]
AdminKey = Annotated[Principal, Depends(require_roles(Role.ADMIN))]
