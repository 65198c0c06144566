"""Real parts only: the database `make test` built, and real uvicorn servers over HTTP."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
import psycopg
import pytest
from psycopg import sql
from psycopg.conninfo import make_conninfo

from api import auth
from api.db.bootstrap import bootstrap
from api.db.migrate import migrate, sql_dir
from api.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
BRIGADE = str(Path(sys.executable).parent / "brigade")


def with_database(url: str, name: str) -> str:
    """`url` naming database `name` instead (a URL, as the settings expect)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def admin_url() -> str:
    url = os.environ.get("BRIGADE_TEST_DATABASE_URL")
    if not url:
        pytest.fail("BRIGADE_TEST_DATABASE_URL is not set: run the suite with `make test`")
    return url


@pytest.fixture(scope="session")
def settings(admin_url: str) -> Settings:
    return Settings.load({**os.environ, "DATABASE_URL": admin_url})


@pytest.fixture(scope="session", autouse=True)
def generous_ip_limits(admin_url: str) -> Iterator[None]:
    """Every test request comes from 127.0.0.1: per-IP sign-in buckets would be shared by
    the whole suite. Raised here for the shared database only; test_rate_limits.py proves
    the real limits on databases of its own."""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        saved = conn.execute(
            "select name, capacity from app_private.rate_limits where name like '%\\_ip'"
        ).fetchall()
        conn.execute(
            "update app_private.rate_limits set capacity = 100000 where name like '%\\_ip'"
        )
        try:
            yield
        finally:
            for name, capacity in saved:
                conn.execute(
                    "update app_private.rate_limits set capacity = %s where name = %s",
                    [capacity, name],
                )


@pytest.fixture
def admin(admin_url: str) -> Iterator[psycopg.Connection]:
    """Superuser connection to the suite's database (autocommit), for arranging and checking."""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        yield conn


def server_env(database_url: str, **overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIGADE_TEST")}
    env.update({"DATABASE_URL": database_url, "BRIGADE_LOG_LEVEL": "warning"})
    env.update(overrides)
    return env


@contextmanager
def running_server(database_url: str, **overrides: str) -> Iterator[str]:
    """A real `brigade serve` on a free port; yields its base URL."""
    port = free_port()
    env = server_env(database_url, BRIGADE_PORT=str(port), **overrides)
    proc = subprocess.Popen(
        [BRIGADE, "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                err = proc.stderr.read().decode() if proc.stderr else ""
                raise RuntimeError(f"server did not start: {err[-2000:]}")
            time.sleep(0.05)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def base_url(admin_url: str) -> Iterator[str]:
    with running_server(admin_url) as base:
        yield base


@pytest.fixture(scope="module")
def client(base_url: str) -> Iterator[httpx.Client]:
    """One HTTP client per module (a new one per test costs a TLS context load); the API
    sets no cookies, so tests share nothing through it. A module with a server of its own
    overrides this fixture."""
    with httpx.Client(base_url=base_url, timeout=15) as c:
        yield c


@pytest.fixture(scope="module")
def db(admin_url: str) -> Iterator[psycopg.Connection]:
    """Superuser connection (autocommit) that lives as long as a module, for module-scoped
    arrangers such as `builder`."""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        yield conn


@pytest.fixture(scope="module")
def builder(client: httpx.Client, db: psycopg.Connection, mint: Callable[..., str]) -> Any:
    """world.WorldBuilder over the module's `client` (and the server behind it)."""
    from world import WorldBuilder  # world.py imports this module

    return WorldBuilder(client, db, mint)


@pytest.fixture(scope="session")
def mint(settings: Settings) -> Callable[..., str]:
    """Signs claims with the real signing code and the suite's key."""

    def _mint(ttl: int | None = None, **claims: Any) -> str:
        return auth.mint(settings, claims, ttl)

    return _mint


@pytest.fixture
def member(admin, mint) -> dict[str, str]:
    """A real owner of a fresh restaurant, and a token for them (tokens are checked against
    the membership on every request)."""
    rid = admin.execute(
        "insert into app.restaurants (name, slug, currency, timezone)"
        " values ('Member test', %s, 'USD', 'UTC') returning id",
        [f"member-{secrets.token_hex(5)}"],
    ).fetchone()[0]
    uid = admin.execute("insert into app.users (name) values ('Owner') returning id").fetchone()[0]
    admin.execute(
        "insert into app.memberships (restaurant_id, user_id, role) values (%s, %s, 'owner')",
        [rid, uid],
    )
    token = mint(sub=str(uid), role="staff", app_role="owner", restaurant_id=str(rid))
    return {"restaurant_id": str(rid), "user_id": str(uid), "token": token}


@pytest.fixture(scope="session")
def template_db(settings: Settings) -> str:
    """A database built once by the real migrator; scratch databases clone it."""
    name = f"brigade_template_{os.getpid()}"
    url = with_database(settings.database_url, name)
    scratch = Settings.load({**os.environ, "DATABASE_URL": url})
    bootstrap(scratch)
    with psycopg.connect(url) as conn:
        migrate(conn, sql_dir(scratch), scratch.owner_role)
    return name


@pytest.fixture
def scratch_db(settings: Settings, template_db: str) -> Iterator[Callable[[], str]]:
    """Factory of throw-away databases cloned from the template; dropped afterwards."""
    made: list[str] = []
    maintenance = make_conninfo(settings.database_url, dbname="postgres")

    def _make() -> str:
        name = f"brigade_scratch_{secrets.token_hex(4)}"
        with psycopg.connect(maintenance, autocommit=True) as conn:
            conn.execute(
                sql.SQL("create database {} template {} owner {}").format(
                    sql.Identifier(name),
                    sql.Identifier(template_db),
                    sql.Identifier(settings.owner_role),
                )
            )
        made.append(name)
        return with_database(settings.database_url, name)

    yield _make
    with psycopg.connect(maintenance, autocommit=True) as conn:
        for name in made:
            conn.execute(
                sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name))
            )


def brigade_cli(database_url: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Runs the real console script against `database_url`."""
    return subprocess.run(
        [BRIGADE, *args],
        env=server_env(database_url, **env),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
