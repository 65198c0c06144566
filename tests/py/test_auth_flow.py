"""The sign-in scenario over real HTTP, from the first platform admin to a guest's token.

platform admin (password + TOTP, each code once) → activation code → onboarding → owner
login → refresh rotation and family revocation → logout → staff with a PIN → device
activation → PIN login → lockout → table QR sessions → closing and revoking → a person in
two restaurants. Everything is arranged through the API except the first platform admin
(the command line makes it, as in production).

Every request of the suite comes from 127.0.0.1, so the per-IP sign-in buckets are shared
with other test files: each test here starts (and leaves) with those buckets empty.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import jwt
import psycopg
import pyotp
import pytest
from conftest import brigade_cli
from world import PROBLEM, assert_problem, ok

ADMIN_PASSWORD = "platform-admin-password"
OWNER_PASSWORD = "owner-password-123"
PER_IP_BUCKETS = ("login_ip:%", "pin_ip:%", "activation_ip:%", "qr_ip:%")


def reset_per_ip_buckets(admin_url: str) -> None:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(
            "delete from app_private.rate_buckets where key like any(%s)", [list(PER_IP_BUCKETS)]
        )


@pytest.fixture(autouse=True)
def fresh_per_ip_buckets(admin_url: str) -> Iterator[None]:
    reset_per_ip_buckets(admin_url)
    yield
    reset_per_ip_buckets(admin_url)


def tag() -> str:
    return secrets.token_hex(5)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def claims_of(token: str) -> dict[str, Any]:
    """The token's claims, read without verifying (the server verifies; we inspect)."""
    return jwt.decode(token, options={"verify_signature": False})


def login(c: httpx.Client, email: str, password: str, **extra: Any) -> httpx.Response:
    return c.post("/v1/auth/login", json={"email": email, "password": password, **extra})


def whoami(c: httpx.Client, token: str) -> httpx.Response:
    return c.get("/v1/whoami", headers=bearer(token))


def new_platform_admin(admin_url: str) -> tuple[str, pyotp.TOTP]:
    email = f"admin-{tag()}@platform.brigade.test"
    done = brigade_cli(
        admin_url,
        "admin",
        "create-platform-admin",
        "--email",
        email,
        "--password",
        ADMIN_PASSWORD,
    )
    assert done.returncode == 0, done.stderr
    return email, pyotp.parse_uri(done.stdout.strip().splitlines()[-1])


def not_a_current_code(totp: pyotp.TOTP) -> str:
    now = time.time()
    window = {totp.at(now + 30 * k) for k in (-1, 0, 1)}
    return next(c for c in (f"{n:06d}" for n in range(123456, 999999, 7919)) if c not in window)


@dataclass
class Restaurant:
    id: str
    branch_id: str
    owner_id: str
    owner_email: str
    access_token: str
    refresh_token: str

    @property
    def auth(self) -> dict[str, str]:
        return bearer(self.access_token)


@pytest.fixture(scope="module")
def http(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, timeout=10) as c:
        yield c


@pytest.fixture(scope="module")
def platform_token(admin_url: str, http: httpx.Client) -> str:
    reset_per_ip_buckets(admin_url)
    email, totp = new_platform_admin(admin_url)
    r = login(http, email, ADMIN_PASSWORD, otp=totp.now())
    return ok(r)["access_token"]


@pytest.fixture(scope="module")
def activation_code(http: httpx.Client, platform_token: str) -> Callable[[], str]:
    def _code() -> str:
        body = ok(
            http.post("/v1/platform/activation-codes", json={}, headers=bearer(platform_token)),
            201,
        )
        assert body["code"]
        assert body["expires_at"]
        return body["code"]

    return _code


def onboard_body(code: str, email: str, password: str = OWNER_PASSWORD) -> dict[str, Any]:
    return {
        "activation_code": code,
        "restaurant": {
            "name": f"Bistro {tag()}",
            "slug": f"bistro-{tag()}",
            "currency": "EUR",
            "timezone": "Europe/Paris",
            "locale": "fr-FR",
        },
        "owner": {"email": email, "password": password, "name": "Owner"},
    }


@pytest.fixture(scope="module")
def onboard(http: httpx.Client, activation_code: Callable[[], str]) -> Callable[..., Restaurant]:
    def _onboard(email: str | None = None) -> Restaurant:
        email = email or f"owner-{tag()}@brigade.test"
        body = ok(http.post("/v1/onboarding", json=onboard_body(activation_code(), email)), 201)
        return Restaurant(
            id=body["restaurant"]["id"],
            branch_id=body["branch_id"],
            owner_id=body["owner"]["id"],
            owner_email=email,
            access_token=body["access_token"],
            refresh_token=body["refresh_token"],
        )

    return _onboard


def add_staff(c: httpx.Client, r: Restaurant, **body: Any) -> dict[str, Any]:
    return ok(c.post(f"/v1/restaurants/{r.id}/staff", json=body, headers=r.auth), 201)


def activate_device(c: httpx.Client, r: Restaurant, name: str = "Pass") -> dict[str, Any]:
    code = ok(c.post(f"/v1/branches/{r.branch_id}/device-codes", headers=r.auth), 201)
    device = ok(
        c.post(
            "/v1/devices/activate", json={"activation_code": code["activation_code"], "name": name}
        ),
        201,
    )
    assert device["branch_id"] == r.branch_id
    return device


def pin_login(c: httpx.Client, device_token: str, pin: str) -> httpx.Response:
    return c.post("/v1/auth/pin", json={"device_token": device_token, "pin": pin})


def add_table(c: httpx.Client, r: Restaurant, label: str = "T1") -> dict[str, Any]:
    table = ok(
        c.post(
            f"/v1/branches/{r.branch_id}/tables", json={"label": label, "seats": 4}, headers=r.auth
        ),
        201,
    )
    assert table["qr_token"]
    return table


def scan(c: httpx.Client, qr_token: str) -> httpx.Response:
    return c.post(f"/v1/tables/{qr_token}/session", json={})


# --- platform admin -------------------------------------------------------------------


def test_a_platform_admin_needs_a_totp_code_and_each_code_works_once(admin_url, http):
    email, totp = new_platform_admin(admin_url)

    no_otp = login(http, email, ADMIN_PASSWORD)
    assert_problem(no_otp, 401, "otp_required")
    assert "access_token" not in no_otp.json()
    assert_problem(
        login(http, email, ADMIN_PASSWORD, otp=not_a_current_code(totp)), 401, "otp_required"
    )
    # A right code does not rescue a wrong password (and says nothing about the code).
    assert_problem(login(http, email, "wrong-password", otp=totp.now()), 401, "invalid_credentials")

    code = totp.now()
    signed_in = ok(login(http, email, ADMIN_PASSWORD, otp=code))
    claims = claims_of(signed_in["access_token"])
    assert claims["role"] == "platform"
    assert claims["app_role"] == "platform_admin"
    assert claims["sub"] == signed_in["user"]["id"]
    assert "restaurant_id" not in claims
    assert signed_in["memberships"] == []
    who = ok(whoami(http, signed_in["access_token"]))
    assert (who["db_role"], who["app_role"]) == ("platform", "platform_admin")

    # The same code again, inside its 30 s window: refused (replay).
    assert_problem(login(http, email, ADMIN_PASSWORD, otp=code), 401, "otp_required")


# --- onboarding -------------------------------------------------------------------------


def counts(admin: psycopg.Connection) -> tuple[int, ...]:
    return admin.execute(
        """
        select
            (select count(*) from app.restaurants),
            (select count(*) from app.branches),
            (select count(*) from app.users),
            (select count(*) from app.memberships),
            (select count(*) from app_private.credentials),
            (select count(*) from app_private.refresh_tokens),
            (select count(*) from app.onboarding_codes where used_at is not null)
        """
    ).fetchone()


def test_onboarding_turns_one_code_into_a_restaurant_owner_and_tokens_once(
    http, admin, activation_code, platform_token
):
    code = activation_code()
    email = f"owner-{tag()}@brigade.test"
    body = onboard_body(code, email)
    created = ok(http.post("/v1/onboarding", json=body), 201)

    restaurant, owner = created["restaurant"], created["owner"]
    assert restaurant["id"]
    assert restaurant["slug"] == body["restaurant"]["slug"]
    assert restaurant["currency"] == "EUR"
    assert owner["id"]
    assert owner["email"] == email
    assert created["refresh_token"]
    claims = claims_of(created["access_token"])
    assert claims["sub"] == owner["id"]
    assert claims["restaurant_id"] == restaurant["id"]
    assert (claims["role"], claims["app_role"]) == ("staff", "owner")
    # The token works: the owner reads their restaurant, and the platform sees it listed.
    assert (
        ok(
            http.get(f"/v1/restaurants/{restaurant['id']}", headers=bearer(created["access_token"]))
        )["id"]
        == restaurant["id"]
    )
    listed = ok(http.get("/v1/platform/restaurants?limit=200", headers=bearer(platform_token)))
    ids = {item["id"] for item in listed["items"]}
    cursor = listed["next_cursor"]
    while restaurant["id"] not in ids and cursor:
        page = ok(
            http.get(
                f"/v1/platform/restaurants?limit=200&cursor={cursor}",
                headers=bearer(platform_token),
            )
        )
        ids |= {item["id"] for item in page["items"]}
        cursor = page["next_cursor"]
    assert restaurant["id"] in ids

    # The same code again (new slug, new email, so nothing else could refuse it): 409, and
    # nothing at all is created.
    before = counts(admin)
    again_email = f"again-{tag()}@brigade.test"
    again = onboard_body(code, again_email)
    assert_problem(http.post("/v1/onboarding", json=again), 409, "activation_code_invalid")
    assert counts(admin) == before
    assert admin.execute(
        "select count(*) from app.users where email = %s", [again_email]
    ).fetchone() == (0,)
    assert admin.execute(
        "select count(*) from app.restaurants where slug = %s", [again["restaurant"]["slug"]]
    ).fetchone() == (0,)

    # An expired code is refused the same way, and creates nothing either.
    expired = activation_code()
    aged = admin.execute(
        "update app.onboarding_codes set expires_at = now() - interval '1 second'"
        " where code_hash = extensions.digest(upper(%s), 'sha256')",
        [expired],
    )
    assert aged.rowcount == 1
    before = counts(admin)
    late = onboard_body(expired, f"late-{tag()}@brigade.test")
    assert_problem(http.post("/v1/onboarding", json=late), 409, "activation_code_invalid")
    assert counts(admin) == before

    # Only a platform admin issues codes: an owner's token is refused, no token is 401.
    owner_try = http.post(
        "/v1/platform/activation-codes", json={}, headers=bearer(created["access_token"])
    )
    assert_problem(owner_try, 403, "forbidden")
    assert http.post("/v1/platform/activation-codes", json={}).status_code == 401


# --- owner login, refresh, logout -------------------------------------------------------


def test_an_owner_of_one_restaurant_gets_a_token_naming_it(http, onboard, settings):
    r = onboard()
    assert_problem(login(http, r.owner_email, "not-the-password"), 401, "invalid_credentials")
    assert_problem(
        login(http, f"nobody-{tag()}@brigade.test", OWNER_PASSWORD), 401, "invalid_credentials"
    )

    body = ok(login(http, r.owner_email.upper(), OWNER_PASSWORD))
    assert body["token_type"] == "bearer"
    assert body["refresh_token"]
    assert body["user"]["id"] == r.owner_id
    assert body["memberships"] == [{"restaurant_id": r.id, "role": "owner"}]
    claims = claims_of(body["access_token"])
    assert claims["sub"] == r.owner_id
    assert claims["restaurant_id"] == r.id
    assert (claims["role"], claims["app_role"]) == ("staff", "owner")
    assert claims["iss"] == settings.jwt_issuer
    assert claims["aud"] == settings.jwt_audience
    assert claims["jti"]
    assert claims["exp"] - claims["iat"] == body["expires_in"] > 0
    who = ok(whoami(http, body["access_token"]))
    assert who["restaurant_id"] == r.id
    assert who["user_id"] == r.owner_id


def refresh(c: httpx.Client, token: str) -> httpx.Response:
    return c.post("/v1/auth/refresh", json={"refresh_token": token})


def test_refresh_rotates_and_reusing_a_spent_token_revokes_the_whole_family(http, onboard):
    r = onboard()
    first = ok(login(http, r.owner_email, OWNER_PASSWORD))
    r1 = first["refresh_token"]

    second = ok(refresh(http, r1))
    r2 = second["refresh_token"]
    assert r2 != r1
    assert claims_of(second["access_token"])["jti"] != claims_of(first["access_token"])["jti"]
    assert claims_of(second["access_token"])["restaurant_id"] == r.id
    assert ok(whoami(http, second["access_token"]))["restaurant_id"] == r.id

    # The new pair works: its refresh token rotates again.
    third = ok(refresh(http, r2))
    r3 = third["refresh_token"]
    assert len({r1, r2, r3}) == 3

    # r1 was spent: using it again means it leaked. Refused, and the family dies, so the
    # newest token (never used) is refused too.
    assert refresh(http, r1).status_code == 401
    assert_problem(refresh(http, r3), 401, "invalid_refresh_token")

    # Another sign-in of the same person is another family: untouched.
    other = ok(login(http, r.owner_email, OWNER_PASSWORD))
    assert ok(refresh(http, other["refresh_token"]))["refresh_token"]


def test_logout_ends_that_refresh_token_and_only_that_sign_in(http, onboard):
    r = onboard()
    phone = ok(login(http, r.owner_email, OWNER_PASSWORD))
    laptop = ok(login(http, r.owner_email, OWNER_PASSWORD))

    out = http.post("/v1/auth/logout", json={"refresh_token": phone["refresh_token"]})
    assert out.status_code == 204, out.text
    assert_problem(refresh(http, phone["refresh_token"]), 401, "invalid_refresh_token")
    # Logging out twice, or with an unknown token, is still 204 and reveals nothing.
    assert (
        http.post("/v1/auth/logout", json={"refresh_token": phone["refresh_token"]}).status_code
        == 204
    )
    assert http.post("/v1/auth/logout", json={"refresh_token": "unknown"}).status_code == 204

    # Positive control: the other sign-in still refreshes.
    assert ok(refresh(http, laptop["refresh_token"]))["access_token"]


# --- devices and PINs -------------------------------------------------------------------


def test_a_device_pins_a_staff_token_to_its_branch_and_five_wrong_pins_lock_it(http, onboard):
    r = onboard()
    cook = add_staff(http, r, name="Cook", role="kitchen", pin="4821", branch_ids=[r.branch_id])
    assert cook["role"] == "kitchen"

    code = ok(http.post(f"/v1/branches/{r.branch_id}/device-codes", headers=r.auth), 201)
    activated = http.post(
        "/v1/devices/activate", json={"activation_code": code["activation_code"], "name": "Grill"}
    )
    device = ok(activated, 201)
    assert device["device_id"]
    assert device["device_token"]
    assert device["branch_id"] == r.branch_id
    # A device code is single use.
    assert_problem(
        http.post(
            "/v1/devices/activate",
            json={"activation_code": code["activation_code"], "name": "Again"},
        ),
        409,
        "activation_code_invalid",
    )

    signed_in = ok(pin_login(http, device["device_token"], "4821"))
    claims = claims_of(signed_in["access_token"])
    assert claims["sub"] == cook["user_id"]
    assert claims["device_id"] == device["device_id"]
    assert claims["branch_id"] == r.branch_id
    assert claims["restaurant_id"] == r.id
    assert (claims["role"], claims["app_role"]) == ("staff", "kitchen")
    who = ok(whoami(http, signed_in["access_token"]))
    assert (who["device_id"], who["branch_id"]) == (device["device_id"], r.branch_id)

    # Five wrong PINs lock this device; then even the right PIN gets 429 + Retry-After.
    for attempt in range(5):
        wrong = pin_login(http, device["device_token"], f"{1000 + attempt}")
        assert wrong.status_code == 401, f"wrong PIN {attempt + 1}: {wrong.text}"
    locked = pin_login(http, device["device_token"], "4821")
    assert locked.status_code == 429, locked.text
    assert locked.headers["content-type"].startswith(PROBLEM)
    assert "access_token" not in locked.json()
    retry_after = int(locked.headers["retry-after"])
    assert 0 < retry_after <= 15 * 60

    # Positive control: the lock is the device's, not the person's: another device works.
    other = activate_device(http, r, "Bar")
    assert ok(pin_login(http, other["device_token"], "4821"))["access_token"]


def test_a_revoked_device_loses_its_tokens_at_once(http, onboard):
    r = onboard()
    add_staff(http, r, name="Cook", role="kitchen", pin="7391", branch_ids=[r.branch_id])
    device = activate_device(http, r)
    signed_in = ok(pin_login(http, device["device_token"], "7391"))
    token = signed_in["access_token"]
    assert ok(whoami(http, token))["device_id"] == device["device_id"]

    revoked = http.delete(f"/v1/devices/{device['device_id']}", headers=r.auth)
    assert revoked.status_code == 204, revoked.text

    # The access token has not expired, yet it is refused on the very next request.
    assert whoami(http, token).status_code == 401
    assert http.get(f"/v1/restaurants/{r.id}", headers=bearer(token)).status_code == 401
    # Nor can the device sign anyone in, nor its refresh token mint a new access token.
    assert pin_login(http, device["device_token"], "7391").status_code == 401
    assert refresh(http, signed_in["refresh_token"]).status_code == 401
    # Positive control: the owner's own token is unaffected.
    assert ok(whoami(http, r.access_token))["restaurant_id"] == r.id


# --- tables and QR sessions -------------------------------------------------------------


def test_a_qr_scan_opens_or_joins_the_session_until_staff_close_it(http, onboard):
    r = onboard()
    table = add_table(http, r, "T7")

    first = scan(http, table["qr_token"])
    opened = ok(first, 201)
    assert opened["session_id"]
    assert opened["table"] == {"id": table["id"], "label": "T7"}
    assert opened["branch_id"] == r.branch_id
    assert opened["restaurant_id"] == r.id
    joined = ok(scan(http, table["qr_token"]), 200)
    assert joined["session_id"] == opened["session_id"]

    for guest in (opened, joined):
        claims = claims_of(guest["access_token"])
        assert (claims["role"], claims["app_role"]) == ("customer", "customer")
        assert claims["session_id"] == opened["session_id"]
        assert claims["restaurant_id"] == r.id
        who = ok(whoami(http, guest["access_token"]))
        assert who["session_id"] == opened["session_id"]
        assert who["db_role"] == "customer"

    closed = http.post(f"/v1/sessions/{opened['session_id']}/close", headers=r.auth)
    assert closed.status_code == 200, closed.text
    for guest in (opened, joined):
        assert whoami(http, guest["access_token"]).status_code == 401

    # The table is free again: the next scan opens a new session, whose token works.
    fresh = ok(scan(http, table["qr_token"]), 201)
    assert fresh["session_id"] != opened["session_id"]
    assert ok(whoami(http, fresh["access_token"]))["session_id"] == fresh["session_id"]
    # An unknown QR token is simply not found.
    assert_problem(scan(http, f"no-such-table-{tag()}"), 404, "not_found")


def test_a_branch_can_make_guests_wait_for_a_waiter_to_open_the_table(http, admin, onboard):
    r = onboard()
    table = add_table(http, r, "T2")
    waiter_email = f"waiter-{tag()}@brigade.test"
    add_staff(http, r, name="Waiter", role="waiter", email=waiter_email, password="waiter-password")
    waiter = ok(login(http, waiter_email, "waiter-password"))["access_token"]
    assert claims_of(waiter)["app_role"] == "waiter"

    patched = http.patch(
        f"/v1/branches/{r.branch_id}", json={"qr_requires_open_table": True}, headers=r.auth
    )
    assert ok(patched)["qr_requires_open_table"] is True

    refused = scan(http, table["qr_token"])
    assert_problem(refused, 409, "table_not_open")
    assert "access_token" not in refused.json()
    sessions = admin.execute(
        "select count(*) from app.table_sessions where table_id = %s", [table["id"]]
    ).fetchone()[0]
    assert sessions == 0

    opened = ok(http.post(f"/v1/tables/{table['id']}/open", headers=bearer(waiter)), 201)
    joined = ok(scan(http, table["qr_token"]), 200)
    assert joined["session_id"] == opened["session_id"]
    assert ok(whoami(http, joined["access_token"]))["session_id"] == opened["session_id"]

    # Once the waiter closes it, scanning is refused again (the hole this setting closes).
    ok(http.post(f"/v1/sessions/{opened['session_id']}/close", headers=bearer(waiter)))
    assert_problem(scan(http, table["qr_token"]), 409, "table_not_open")


# --- a person in two restaurants ----------------------------------------------------------


def test_a_person_in_two_restaurants_signs_in_to_the_one_they_name(http, onboard):
    email = f"chain-{tag()}@brigade.test"
    first = onboard(email)
    second = onboard(email)  # the same person opens a second restaurant (same password)
    assert second.owner_id == first.owner_id
    stranger = onboard()

    both = ok(login(http, email, OWNER_PASSWORD))
    assert sorted(both["memberships"], key=lambda m: m["restaurant_id"]) == sorted(
        [
            {"restaurant_id": first.id, "role": "owner"},
            {"restaurant_id": second.id, "role": "owner"},
        ],
        key=lambda m: m["restaurant_id"],
    )
    # Not naming one gets a token for no tenant: it reads no restaurant.
    assert "restaurant_id" not in claims_of(both["access_token"])
    assert ok(whoami(http, both["access_token"]))["restaurant_id"] is None
    assert (
        http.get(f"/v1/restaurants/{first.id}", headers=bearer(both["access_token"])).status_code
        == 404
    )

    named = ok(login(http, email, OWNER_PASSWORD, restaurant_id=second.id))
    assert claims_of(named["access_token"])["restaurant_id"] == second.id
    assert claims_of(named["access_token"])["app_role"] == "owner"
    assert (
        ok(http.get(f"/v1/restaurants/{second.id}", headers=bearer(named["access_token"])))["id"]
        == second.id
    )

    outsider = login(http, email, OWNER_PASSWORD, restaurant_id=stranger.id)
    assert_problem(outsider, 403, "not_a_member")
    assert "access_token" not in outsider.json()
