"""FastAPI dependencies, as ``Annotated`` aliases the routers use.

Every dependency is ``async def``: they do no I/O, and a plain ``def`` dependency would cost a
threadpool hop per request each (measured: it halved throughput).

- ``SettingsDep``: the app's ``Settings`` (never parsed per request).
- ``StateDep``: the app's ``ServiceState``.
- ``ServingDep``: the model serving NOW, read once per request (a reload
  during the request does not change it); 503 with the reason when none is loaded.
- ``KeyDep``: the caller's key (401 without a valid one); ``HandlerKey``, ``BatchKey``,
  ``AdminKey``: the same, limited to roles (403 otherwise); ``ApiKey(*roles)`` for others.
  On ``/v1/`` routes the key was already checked (and rate-limited) by ``service.app``'s
  middleware BEFORE any of the body was read; the dependency then only checks the role.
- ``OptionalKeyDep``: the caller's principal if a valid key was sent, else None (for routes
  that say more to a keyed caller, such as ``/readyz``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPBearer

from service.keys import KeysUnavailable, Principal, Role
from service.state import ServiceState, Serving
from triage.settings import Settings


async def get_app_settings(request: Request) -> Settings:
    """The app's settings: those given to ``create_app`` or else ``get_settings()`` (cached),
    read once when the app was built, never parsed per request."""
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_app_settings)]

UNAUTHORIZED_HEADERS = {"WWW-Authenticate": "Bearer"}
#: Where the access log finds the caller's key NAME (set once the key is known).
KEY_NAME_SCOPE_KEY = "triage.key_name"
#: Where the middleware leaves the authenticated ``Principal`` for the routes.
PRINCIPAL_SCOPE_KEY = "triage.principal"
#: What a caller is told when the keys file cannot be used (the reason is in the log only).
KEYS_UNAVAILABLE_DETAIL = (
    "API keys cannot be checked now (the service's keys file is unusable; see its log), so no "
    "key is accepted."
)


def bearer_token(authorization: str | None) -> str | None:
    """The key in an ``Authorization: Bearer <key>`` header value, or None."""
    if not authorization:
        return None
    scheme, _, credentials = authorization.partition(" ")
    credentials = credentials.strip()
    if scheme.lower() != "bearer" or not credentials:
        return None
    return credentials


def authenticate_header(state: ServiceState, authorization: str | None) -> Principal:
    """The principal for an Authorization header value.

    Raises:
        HTTPException: 401 without a key or with an unknown one; 503 when the keys file is
            unusable (no key is accepted then).
    """
    key = bearer_token(authorization)
    if key is None:
        raise HTTPException(
            status_code=401,
            detail="Missing API key: send 'Authorization: Bearer <key>'.",
            headers=UNAUTHORIZED_HEADERS,
        )
    try:
        principal = state.keys.authenticate(key)
    except KeysUnavailable:
        raise HTTPException(status_code=503, detail=KEYS_UNAVAILABLE_DETAIL) from None
    if principal is None:
        raise HTTPException(
            status_code=401, detail="Unknown or revoked API key.", headers=UNAUTHORIZED_HEADERS
        )
    return principal


async def get_state(request: Request) -> ServiceState:
    state: ServiceState = request.app.state.service
    return state


StateDep = Annotated[ServiceState, Depends(get_state)]


async def get_serving(request: Request) -> Serving:
    """The model serving now (read once: the request keeps it even if a reload swaps it)."""
    state: ServiceState = request.app.state.service
    serving = state.serving
    if serving is None:
        raise HTTPException(status_code=503, detail=state.not_ready_reason)
    return serving


ServingDep = Annotated[Serving, Depends(get_serving)]


class ApiKey(HTTPBearer):
    """``Authorization: Bearer <key>`` -> the caller's ``Principal``, limited to ``roles``
    (admin always admitted; no roles: any valid key). 401 without a valid key, 403 for a key
    without the role.

    One dependency node per route on purpose: FastAPI resolves each node per request, and a
    chain (bearer -> state -> principal -> role check) cost measurably more than the check.
    As an ``HTTPBearer`` it also puts the Bearer scheme into the OpenAPI document.
    """

    def __init__(self, *roles: Role) -> None:
        super().__init__(
            auto_error=False,
            scheme_name="ApiKey",
            description="An API key made with `triage keys add NAME --role "
            "handler|analyst|admin`.",
        )
        self.allowed: frozenset[Role] | None = (
            frozenset((*roles, Role.ADMIN)) if roles else None
        )
        self.allowed_names = ", ".join(sorted(r.value for r in self.allowed or ()))

    async def __call__(self, request: Request) -> Principal:  # type: ignore[override]
        principal: Principal | None = request.scope.get(PRINCIPAL_SCOPE_KEY)
        if principal is None:
            state: ServiceState = request.app.state.service
            principal = authenticate_header(state, request.headers.get("authorization"))
            request.scope[KEY_NAME_SCOPE_KEY] = principal.name
        if self.allowed is not None and principal.role not in self.allowed:
            raise HTTPException(
                status_code=403,
                detail=f"Key {principal.name!r} has role {principal.role.value!r}; "
                f"this needs one of: {self.allowed_names}.",
            )
        return principal


async def optional_principal(request: Request) -> Principal | None:
    """The caller's principal when it sent a valid key; None otherwise (never raises)."""
    state: ServiceState = request.app.state.service
    key = bearer_token(request.headers.get("authorization"))
    if key is None:
        return None
    try:
        return state.keys.authenticate(key)
    except KeysUnavailable:
        return None


OptionalKeyDep = Annotated[Principal | None, Depends(optional_principal)]
KeyDep = Annotated[Principal, Depends(ApiKey())]
HandlerKey = Annotated[Principal, Depends(ApiKey(Role.HANDLER))]
BatchKey = Annotated[Principal, Depends(ApiKey(Role.HANDLER, Role.ANALYST))]
AdminKey = Annotated[Principal, Depends(ApiKey(Role.ADMIN))]
