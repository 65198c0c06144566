"""Sign-in: email/password (+TOTP), refresh, logout, devices, PINs, table QR sessions.

The database decides every outcome; this layer only signs the claims it returns.
Refusals come back as values, not exceptions, so rate-limit and lockout counters commit.
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Request, Response, post
from litestar.datastructures import State

from api import auth, rpc
from api.db.pool import Db
from api.errors import Problem, ProblemError
from api.routes import Empty

TAGS = ["auth"]
Secret = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Email = Annotated[str, msgspec.Meta(min_length=3, max_length=254)]


def client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None


async def session_call(db: Db, state: State, fn: str, **args: Any) -> Response:
    """Call a sign-in function and turn its outcome into a response with signed tokens."""
    outcome = await rpc.call_json(db, fn, **args)
    if "error" in outcome:
        error = outcome["error"]
        retry = error.get("retry_after")
        headers = {"Retry-After": str(retry)} if retry else None
        if error["status"] == 401:
            headers = {**(headers or {}), "WWW-Authenticate": "Bearer"}
        raise ProblemError(Problem(error["status"], error["code"], error["detail"], headers))
    body = outcome.get("body", {})
    if claims := outcome.get("claims"):
        ttl = outcome.get("ttl") or state.settings.access_token_ttl
        body["access_token"] = auth.mint(state.settings, claims, ttl)
        body["token_type"] = "bearer"  # noqa: S105 - a token type, not a secret
        body["expires_in"] = ttl
    if refresh_token := outcome.get("refresh_token"):
        body["refresh_token"] = refresh_token
    return Response(body, status_code=outcome.get("status", 200))


class Login(msgspec.Struct, forbid_unknown_fields=True):
    email: Email
    password: Secret
    otp: Annotated[str, msgspec.Meta(max_length=12)] | None = None
    restaurant_id: UUID | None = None


class RefreshToken(msgspec.Struct, forbid_unknown_fields=True):
    refresh_token: Secret


class Activate(msgspec.Struct, forbid_unknown_fields=True):
    activation_code: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=60)]


class Pin(msgspec.Struct, forbid_unknown_fields=True):
    device_token: Secret
    pin: Annotated[str, msgspec.Meta(pattern=r"^[0-9]{4,8}$")]


@post(
    "/v1/auth/login",
    operation_id="login",
    tags=TAGS,
    status_code=200,
    summary="Sign in with email and password (and a TOTP code for platform admins)",
)
async def login(db: Db, state: State, request: Request, data: Login) -> Response:
    return await session_call(
        db,
        state,
        "login",
        email=data.email,
        password=data.password,
        otp=data.otp,
        restaurant_id=data.restaurant_id,
        client_ip=client_ip(request),
        totp_key=state.settings.totp_key or None,
    )


@post(
    "/v1/auth/refresh",
    operation_id="refresh",
    tags=TAGS,
    status_code=200,
    summary="Rotate a refresh token for a new token pair",
)
async def refresh(db: Db, state: State, data: RefreshToken) -> Response:
    return await session_call(db, state, "refresh", refresh_token=data.refresh_token)


@post(
    "/v1/auth/logout",
    operation_id="logout",
    tags=TAGS,
    status_code=204,
    summary="Revoke a refresh token and its family",
)
async def logout(db: Db, data: RefreshToken) -> None:
    await rpc.call(db, "logout", refresh_token=data.refresh_token)


@post(
    "/v1/devices/activate",
    operation_id="activateDevice",
    tags=TAGS,
    status_code=201,
    summary="Pin a KDS or POS device to a branch with its activation code",
)
async def activate_device(db: Db, state: State, request: Request, data: Activate) -> Response:
    return await session_call(
        db,
        state,
        "activate_device",
        activation_code=data.activation_code,
        name=data.name,
        client_ip=client_ip(request),
    )


@post(
    "/v1/auth/pin",
    operation_id="pinLogin",
    tags=TAGS,
    status_code=200,
    summary="Staff sign in on a registered device with their PIN",
)
async def pin_login(db: Db, state: State, request: Request, data: Pin) -> Response:
    return await session_call(
        db,
        state,
        "pin_login",
        device_token=data.device_token,
        pin=data.pin,
        client_ip=client_ip(request),
    )


@post(
    "/v1/tables/{qr_token:str}/session",
    operation_id="openTableSession",
    tags=TAGS,
    status_code=201,
    summary="Open or join a table's session from its QR code",
)
async def open_table_session(
    db: Db, state: State, request: Request, qr_token: str, data: Empty | None = None
) -> Response:
    return await session_call(
        db, state, "open_table_session", qr_token=qr_token, client_ip=client_ip(request)
    )


ROUTES = [login, refresh, logout, activate_device, pin_login, open_table_session]
