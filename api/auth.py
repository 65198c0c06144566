"""Access tokens: minting and verification (HS256, fixed algorithm list)."""

from __future__ import annotations

import time
import uuid
from typing import Any

import jwt

from api.settings import Settings

ALGORITHMS = ["HS256"]
REQUIRED = ["exp", "iat", "aud", "iss", "sub", "role", "jti"]


class InvalidTokenError(Exception):
    """The bearer token is missing a claim, expired, or not ours."""


def mint(settings: Settings, claims: dict[str, Any], ttl: int | None = None) -> str:
    """Sign `claims` (sub, role, app_role, restaurant_id, ...) as a short-lived access token."""
    now = int(time.time())
    payload = {
        **{k: v for k, v in claims.items() if v is not None},
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "iat": now,
        "exp": now + (ttl if ttl is not None else settings.access_token_ttl),
        "jti": str(uuid.uuid4()),
    }
    return jwt.encode(payload, settings.jwt_secret, algorithm=ALGORITHMS[0])


def verify(settings: Settings, token: str) -> dict[str, Any]:
    try:
        return jwt.decode(
            token,
            settings.jwt_secret,
            algorithms=ALGORITHMS,
            audience=settings.jwt_audience,
            issuer=settings.jwt_issuer,
            options={"require": REQUIRED},
        )
    except jwt.PyJWTError as exc:
        raise InvalidTokenError(str(exc)) from exc


def bearer_claims(settings: Settings, authorization: str | None) -> dict[str, Any]:
    """Claims of an `Authorization: Bearer` header; no header means anonymous (`{}`)."""
    if not authorization:
        return {}
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise InvalidTokenError("expected 'Authorization: Bearer <token>'")
    return verify(settings, token.strip())
