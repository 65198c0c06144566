"""Sign-in rate limits: token buckets in PostgreSQL, per IP and per account, 429 + Retry-After.

Every test here runs its own server on its own scratch database (a clone of the migrated
template): the buckets start empty, the limits can be changed with an UPDATE without
touching the suite's shared database, and the rest of the suite (whose requests all come
from 127.0.0.1 too) neither drains these buckets nor is drained by them. Requests from
other addresses use other loopback addresses (127.0.0.0/8) as their source.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx
import psycopg
import pytest
from conftest import running_server
from psycopg.conninfo import conninfo_to_dict
from world import PROBLEM

PASSWORD = "a-long-enough-password"


@dataclass
class Limited:
    database_url: str
    base_url: str

    @contextmanager
    def client(self, ip: str = "127.0.0.1") -> Iterator[httpx.Client]:
        transport = httpx.HTTPTransport(local_address=ip)
        with httpx.Client(base_url=self.base_url, transport=transport, timeout=10) as c:
            yield c

    def sql(self, query: str, params: list | None = None) -> list[tuple]:
        with psycopg.connect(self.database_url, autocommit=True) as conn:
            cur = conn.execute(query, params)
            return cur.fetchall() if cur.description else []

    def user(self) -> str:
        """A person with a password (no restaurant needed to sign in); returns the email."""
        email = f"limit-{secrets.token_hex(6)}@brigade.test"
        self.sql(
            """
            with u as (insert into app.users (email, name) values (%s, 'Limit') returning id)
            insert into app_private.credentials (user_id, password_hash)
            select u.id, extensions.crypt(%s, extensions.gen_salt('bf', 8)) from u
            """,
            [email, PASSWORD],
        )
        return email

    def capacity(self, name: str) -> int:
        rows = self.sql("select capacity from app_private.rate_limits where name = %s", [name])
        return rows[0][0]

    def bucket(self, key: str) -> tuple[float, bool] | None:
        rows = self.sql(
            "select tokens, allowed from app_private.rate_buckets where key = %s", [key]
        )
        return rows[0] if rows else None


@pytest.fixture
def limited(scratch_db) -> Iterator[Limited]:
    # scratch_db gives a key=value conninfo; the server derives its pool's URL (user
    # authenticator) from DATABASE_URL, which needs the URL form.
    params = conninfo_to_dict(scratch_db())
    url = f"postgresql://{params['user']}@{params['host']}:{params['port']}/{params['dbname']}"
    with running_server(url) as base:
        yield Limited(url, base)


def assert_rate_limited(r: httpx.Response, max_wait: int = 60) -> int:
    assert r.status_code == 429, r.text
    assert r.headers["content-type"].startswith(PROBLEM)
    assert r.json()["code"] == "rate_limited"
    retry_after = int(r.headers["retry-after"])
    assert 1 <= retry_after <= max_wait
    return retry_after


def login(c: httpx.Client, email: str, password: str = PASSWORD) -> httpx.Response:
    return c.post("/v1/auth/login", json={"email": email, "password": password})


SIGN_IN_LIMITS = {
    "login_ip": (10, 60),
    "login_account": (10, 60),
    "pin_ip": (10, 60),
    "activation_ip": (10, 60),
    "qr_ip": (60, 60),
}


def test_the_documented_sign_in_limits_are_the_defaults(limited):
    rows = limited.sql(
        "select name, capacity, per_seconds from app_private.rate_limits where name = any(%s)",
        [list(SIGN_IN_LIMITS)],
    )
    assert {name: (capacity, per) for name, capacity, per in rows} == SIGN_IN_LIMITS


def test_the_eleventh_login_from_one_ip_is_429_whatever_the_account(limited):
    email = limited.user()
    with limited.client("127.0.0.1") as c:
        # Ten different (unknown) accounts: only the per-IP bucket is shared between them.
        for i in range(10):
            r = login(c, f"nobody-{i}-{secrets.token_hex(4)}@brigade.test", "wrong-password")
            assert r.status_code == 401, r.text
            assert r.json()["code"] == "invalid_credentials"
        # An eleventh account, with its right password, is refused: the limit is per IP.
        assert_rate_limited(login(c, email))
    tokens, allowed = limited.bucket("login_ip:127.0.0.1")
    assert tokens < 1
    assert allowed is False

    # Positive control: the same account from another address signs in.
    with limited.client("127.0.0.2") as other:
        r = login(other, email)
        assert r.status_code == 200, r.text
    assert limited.bucket("login_ip:127.0.0.2") is not None


def test_the_per_account_limit_applies_across_ips(limited):
    email = limited.user()
    bystander = limited.user()
    original = limited.capacity("login_ip")
    # Belt and braces: every attempt comes from its own address anyway.
    limited.sql("update app_private.rate_limits set capacity = 1000 where name = 'login_ip'")
    try:
        for i in range(10):
            with limited.client(f"127.0.0.{20 + i}") as c:
                r = login(c, email, "wrong-password")
                assert r.status_code == 401, r.text
        # The eleventh attempt, from a fresh address, with the right password and the email
        # spelled differently (the account key must be the normalized email), is refused.
        with limited.client("127.0.0.40") as c:
            assert_rate_limited(login(c, f"  {email.upper()} "))
            # Positive control: another account from that same address is not limited.
            r = login(c, bystander)
            assert r.status_code == 200, r.text
    finally:
        limited.sql(
            "update app_private.rate_limits set capacity = %s where name = 'login_ip'", [original]
        )
    tokens, allowed = limited.bucket(f"login_account:{email}")
    assert tokens < 1
    assert allowed is False


def test_a_limit_is_data_raising_it_takes_effect_without_a_restart(limited):
    original = limited.capacity("login_ip")
    limited.sql("update app_private.rate_limits set capacity = 15 where name = 'login_ip'")
    try:
        with limited.client("127.0.0.3") as c:
            for i in range(15):
                r = login(c, f"raised-{i}-{secrets.token_hex(4)}@brigade.test", "wrong-password")
                assert r.status_code == 401, f"attempt {i + 1}: {r.text}"
            assert_rate_limited(login(c, f"raised-x-{secrets.token_hex(4)}@brigade.test"))
    finally:
        limited.sql(
            "update app_private.rate_limits set capacity = %s where name = 'login_ip'", [original]
        )


@pytest.mark.parametrize(
    ("limit", "path", "body", "refused"),
    [
        ("pin_ip", "/v1/auth/pin", {"device_token": "not-a-device", "pin": "1234"}, 401),
        (
            "activation_ip",
            "/v1/devices/activate",
            {"activation_code": "NOT-A-CODE", "name": "Pass"},
            409,
        ),
        ("qr_ip", "/v1/tables/not-a-table/session", {}, 404),
    ],
)
def test_pin_activation_and_qr_endpoints_are_limited_per_ip(limited, limit, path, body, refused):
    capacity, per_seconds = limited.sql(
        "select capacity, per_seconds from app_private.rate_limits where name = %s", [limit]
    )[0]
    with limited.client("127.0.0.4") as c:
        # A full bucket lets `capacity` requests through; the bucket refills continuously
        # (qr_ip: one a second), so a slow machine may earn a few more while we send.
        started = time.monotonic()
        allowed = 0
        while (r := c.post(path, json=body)).status_code != 429:
            assert r.status_code == refused, f"attempt {allowed + 1}: {r.text}"
            allowed += 1
            assert allowed <= 2 * capacity, "the limit never applied"
        refill = (time.monotonic() - started) * capacity / per_seconds
        assert capacity <= allowed <= capacity + int(refill) + 1, (allowed, refill)
        wait = assert_rate_limited(r)
        assert limited.bucket(f"{limit}:127.0.0.4") is not None
        if limit == "qr_ip":
            # The bucket refills: after Retry-After seconds one more request gets through.
            time.sleep(wait + 0.2)
            assert c.post(path, json=body).status_code == refused
    # Positive control: another address has its own bucket.
    with limited.client("127.0.0.5") as other:
        assert other.post(path, json=body).status_code == refused
