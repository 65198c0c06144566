"""`brigade admin create-platform-admin`: an RFC 6238 otpauth URI, a secret encrypted at rest.

The URI is read the way an authenticator app reads it, and the code it yields must open
the API over HTTP; the stored secret must be ciphertext that only BRIGADE_TOTP_KEY opens.
"""

from __future__ import annotations

import base64
import os
import secrets
import time
from urllib.parse import parse_qs, unquote, urlsplit

import psycopg
import pyotp
import pytest
from conftest import brigade_cli

PASSWORD = "correct-horse-battery-staple"


def unique_email(tag: str) -> str:
    return f"{tag}-{secrets.token_hex(6)}@platform.brigade.test"


def otpauth_uri(stdout: str) -> str:
    lines = [line for line in stdout.splitlines() if line.strip()]
    assert lines, "the command printed nothing"
    return lines[-1].strip()


def stored_secret(admin: psycopg.Connection, email: str) -> bytes | None:
    row = admin.execute(
        """
        select a.totp_secret
        from app_private.platform_admins as a
        join app.users as u on u.id = a.user_id
        where u.email = %s
        """,
        [email],
    ).fetchone()
    return None if row is None else bytes(row[0])


@pytest.fixture
def totp_key() -> str:
    key = os.environ.get("BRIGADE_TOTP_KEY", "")
    if not key:
        pytest.fail("BRIGADE_TOTP_KEY is not set: run the suite with `make test`")
    return key


def test_the_last_line_is_an_rfc_6238_otpauth_uri_that_signs_in(admin_url, client, totp_key):
    email = unique_email("uri")
    done = brigade_cli(
        admin_url, "admin", "create-platform-admin", "--email", email, "--password", PASSWORD
    )
    assert done.returncode == 0, done.stderr
    uri = otpauth_uri(done.stdout)

    parts = urlsplit(uri)
    assert parts.scheme == "otpauth"
    assert parts.netloc == "totp", "a time-based (RFC 6238) key, not a counter-based one"
    assert unquote(parts.path).lstrip("/").endswith(email), "the label names the account"
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    # Key URI format: absent parameters mean SHA1, 6 digits, 30 s; present ones must say so.
    assert query.get("algorithm", "SHA1").upper() == "SHA1"
    assert query.get("digits", "6") == "6"
    assert query.get("period", "30") == "30"
    assert query.get("issuer"), "the issuer is shown in authenticator apps"
    secret = query["secret"]
    raw = base64.b32decode(secret + "=" * (-len(secret) % 8))
    assert len(raw) >= 20, "RFC 4226 asks for a shared secret of at least 160 bits"

    totp = pyotp.parse_uri(uri)
    assert isinstance(totp, pyotp.TOTP)
    assert (totp.digits, totp.interval, totp.digest().name) == (6, 30, "sha1")

    # The code an authenticator app shows for this URI is the one the API accepts.
    r = client.post(
        "/v1/auth/login", json={"email": email, "password": PASSWORD, "otp": totp.now()}
    )
    assert r.status_code == 200, r.text
    who = client.get("/v1/whoami", headers={"Authorization": f"Bearer {r.json()['access_token']}"})
    assert who.json()["app_role"] == "platform_admin"


def test_the_stored_totp_secret_is_encrypted_with_the_totp_key(admin_url, admin, totp_key):
    email = unique_email("enc")
    done = brigade_cli(
        admin_url, "admin", "create-platform-admin", "--email", email, "--password", PASSWORD
    )
    assert done.returncode == 0, done.stderr
    secret = pyotp.parse_uri(otpauth_uri(done.stdout)).secret
    raw = base64.b32decode(secret + "=" * (-len(secret) % 8))

    stored = stored_secret(admin, email)
    assert stored is not None, "the platform admin row was not written"
    assert raw not in stored, "the raw secret is stored in clear"
    assert secret.encode() not in stored, "the base32 secret is stored in clear"
    assert len(stored) > len(raw), "ciphertext carries more than the secret itself"

    # Ciphertext that the configured key opens (not a hash, not garbage) ...
    opened = admin.execute(
        "select extensions.pgp_sym_decrypt_bytea(%s, %s)", [stored, totp_key]
    ).fetchone()[0]
    assert bytes(opened) == raw
    # ... and that another key does not.
    with pytest.raises(psycopg.Error):
        admin.execute(
            "select extensions.pgp_sym_decrypt_bytea(%s, %s)", [stored, totp_key + "-wrong"]
        )


def test_the_sql_totp_matches_the_rfc_6238_sha1_test_vectors(admin):
    # RFC 6238 appendix B, SHA1 rows (8 digits there; the API uses the last 6).
    vectors = {
        59: "94287082",
        1111111109: "07081804",
        1111111111: "14050471",
        1234567890: "89005924",
        2000000000: "69279037",
        20000000000: "65353130",
    }
    for t, code in vectors.items():
        got = admin.execute(
            "select app_private.totp_code(%s::bytea, %s)", [b"12345678901234567890", t // 30]
        ).fetchone()[0]
        assert got == code[-6:], f"T={t}"
    # And it agrees with an independent implementation on a fresh random secret.
    secret = pyotp.random_base32()
    raw = base64.b32decode(secret)
    now = int(time.time())
    got = admin.execute("select app_private.totp_code(%s::bytea, %s)", [raw, now // 30]).fetchone()[
        0
    ]
    assert got == pyotp.TOTP(secret).at(now)


def test_nothing_is_created_without_a_totp_key_or_with_a_short_password(admin_url, admin):
    no_key = unique_email("nokey")
    done = brigade_cli(
        admin_url,
        "admin",
        "create-platform-admin",
        "--email",
        no_key,
        "--password",
        PASSWORD,
        BRIGADE_TOTP_KEY="",
    )
    assert done.returncode != 0
    assert "otpauth://" not in done.stdout
    short = unique_email("short")
    done = brigade_cli(
        admin_url, "admin", "create-platform-admin", "--email", short, "--password", "short"
    )
    assert done.returncode != 0
    assert "otpauth://" not in done.stdout
    found = admin.execute(
        "select count(*) from app.users where email = any(%s)", [[no_key, short]]
    ).fetchone()[0]
    assert found == 0

    # Positive control: the same command with a key and a long password works.
    ok = unique_email("ok")
    done = brigade_cli(
        admin_url, "admin", "create-platform-admin", "--email", ok, "--password", PASSWORD
    )
    assert done.returncode == 0, done.stderr
    assert stored_secret(admin, ok) is not None
