"""Forged, stale and malformed bearer tokens are refused with 401 `invalid_token`.

Tokens are built by hand here (header, payload, HMAC) rather than with the app's own
`mint`, so an attack cannot be hidden by the same library on both sides. The same
builder makes the positive control: a well-formed token signed with the suite's key
is accepted, so each refusal below is caused by the one thing the case changes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
import uuid
from typing import Any

import httpx
import pytest
from world import PROBLEM


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def forge(header: dict[str, Any], payload: dict[str, Any], key: str | None) -> str:
    """A compact JWS; `key` None means an empty signature (as `alg: none` sends)."""
    signing_input = (
        b64url(json.dumps(header, separators=(",", ":")).encode())
        + "."
        + b64url(json.dumps(payload, separators=(",", ":")).encode())
    )
    digest = {"HS384": hashlib.sha384, "HS512": hashlib.sha512}.get(
        header.get("alg", ""), hashlib.sha256
    )
    signature = (
        b"" if key is None else hmac.new(key.encode(), signing_input.encode(), digest).digest()
    )
    return signing_input + "." + b64url(signature)


HS256 = {"alg": "HS256", "typ": "JWT"}


@pytest.fixture(scope="module")
def tenant(admin_url: str) -> tuple[uuid.UUID, uuid.UUID]:
    """A restaurant to aim the tenant route at, and its owner (arranged as superuser: no route
    makes one without an activation code, and this file is about tokens, not onboarding).
    Tokens are checked against the membership on every request, so the owner is real."""
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        rid = conn.execute(
            """
            insert into app.restaurants (name, slug, currency, timezone)
            values ('JWT target', %s, 'EUR', 'Europe/Paris')
            returning id
            """,
            [f"jwt-{secrets.token_hex(6)}"],
        ).fetchone()[0]
        uid = conn.execute("insert into app.users (name) values ('Owner') returning id").fetchone()[
            0
        ]
        conn.execute(
            "insert into app.memberships (restaurant_id, user_id, role) values (%s, %s, 'owner')",
            [rid, uid],
        )
        return rid, uid


@pytest.fixture
def claims(settings, tenant) -> dict[str, Any]:
    """Everything a valid owner token of `tenant` carries."""
    now = int(time.time())
    return {
        "sub": str(tenant[1]),
        "role": "staff",
        "app_role": "owner",
        "restaurant_id": str(tenant[0]),
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "iat": now,
        "exp": now + 300,
        "jti": str(uuid.uuid4()),
    }


@pytest.fixture
def secret(settings) -> str:
    assert settings.jwt_secret, "BRIGADE_JWT_SECRET is not set: run the suite with `make test`"
    return settings.jwt_secret


def routes(tenant: tuple[uuid.UUID, uuid.UUID]) -> list[str]:
    return ["/v1/whoami", f"/v1/restaurants/{tenant[0]}"]


def assert_invalid_token(r: httpx.Response) -> None:
    assert r.status_code == 401, r.text
    assert r.headers["content-type"].startswith(PROBLEM)
    body = r.json()
    assert body["code"] == "invalid_token", body
    assert body["status"] == 401
    assert r.headers.get("www-authenticate", "").lower().startswith("bearer")


def test_positive_control_a_well_formed_token_signed_with_the_key_is_accepted(
    client, tenant, claims, secret
):
    token = forge(HS256, claims, secret)
    headers = {"Authorization": f"Bearer {token}"}
    who = client.get("/v1/whoami", headers=headers)
    assert who.status_code == 200, who.text
    assert who.json()["restaurant_id"] == str(tenant[0])
    assert who.json()["db_role"] == "staff"
    own = client.get(f"/v1/restaurants/{tenant[0]}", headers=headers)
    assert own.status_code == 200, own.text
    assert own.json()["id"] == str(tenant[0])


def signed_attacks(claims: dict[str, Any], secret: str) -> dict[str, str]:
    """Each case: a token that differs from the positive control in one way."""
    now = int(time.time())
    other_key = secrets.token_urlsafe(32)
    cases: dict[str, str] = {
        "alg none": forge({"alg": "none", "typ": "JWT"}, claims, None),
        "alg None": forge({"alg": "None", "typ": "JWT"}, claims, None),
        "alg none with a signature": forge({"alg": "none"}, claims, secret),
        "wrong key": forge(HS256, claims, other_key),
        # HS/RS confusion: an RS256 header with an HMAC made from the key a verifier
        # might mistake for a public key. The algorithm list is fixed, so it must fail.
        "RS256 header, HMAC signature": forge({"alg": "RS256", "typ": "JWT"}, claims, secret),
        "ES256 header, HMAC signature": forge({"alg": "ES256", "typ": "JWT"}, claims, secret),
        "EdDSA header, HMAC signature": forge({"alg": "EdDSA", "typ": "JWT"}, claims, secret),
        "HS512 (not in the list)": forge({"alg": "HS512", "typ": "JWT"}, claims, secret),
        "expired": forge(HS256, {**claims, "iat": now - 600, "exp": now - 60}, secret),
        "wrong aud": forge(HS256, {**claims, "aud": "someone-else"}, secret),
        "wrong iss": forge(HS256, {**claims, "iss": "evil"}, secret),
    }
    for claim in ("sub", "role", "jti", "exp", "iat", "aud", "iss"):
        cases[f"missing {claim}"] = forge(
            HS256, {k: v for k, v in claims.items() if k != claim}, secret
        )
    # A valid token whose payload is swapped (role escalated) under the old signature.
    valid = forge(HS256, claims, secret)
    header, _, signature = valid.split(".")
    escalated = b64url(json.dumps({**claims, "role": "platform"}).encode())
    cases["payload swapped under a valid signature"] = f"{header}.{escalated}.{signature}"
    cases["signature stripped"] = f"{header}.{valid.split('.')[1]}."
    return cases


def test_forged_and_stale_tokens_get_401_invalid_token(client, tenant, claims, secret):
    cases = signed_attacks(claims, secret)
    assert len(cases) >= 18
    for name, token in cases.items():
        for path in routes(tenant):
            r = client.get(path, headers={"Authorization": f"Bearer {token}"})
            try:
                assert_invalid_token(r)
            except AssertionError as exc:
                raise AssertionError(f"{name} on {path}: {exc}") from exc


@pytest.mark.parametrize(
    "authorization",
    [
        "Bearer garbage",
        "Bearer not.a.jwt",
        "Bearer a.b.c.d",
        "Bearer " + "A" * 500,
        "Bearer",
        "Bearer Bearer",
    ],
    ids=["garbage", "three-junk-parts", "four-parts", "long-junk", "no-token", "scheme-twice"],
)
def test_malformed_bearer_headers_get_401_invalid_token(client, tenant, authorization):
    for path in routes(tenant):
        assert_invalid_token(client.get(path, headers={"Authorization": authorization}))


def test_a_valid_token_under_another_scheme_gets_401_invalid_token(client, tenant, claims, secret):
    token = forge(HS256, claims, secret)
    basic = "Basic " + base64.b64encode(b"owner:password").decode()
    for authorization in (f"Token {token}", f"JWT {token}", basic, token):
        for path in routes(tenant):
            assert_invalid_token(client.get(path, headers={"Authorization": authorization}))
    # Positive control: the same token under the Bearer scheme (any case) is accepted.
    for scheme in ("Bearer", "bearer"):
        r = client.get("/v1/whoami", headers={"Authorization": f"{scheme} {token}"})
        assert r.status_code == 200, r.text
