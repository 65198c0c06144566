"""The API's connection pool and the per-request transaction handle."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import psycopg
from litestar import Request
from litestar.datastructures import State
from psycopg.pq import TransactionStatus
from psycopg_pool import AsyncConnectionPool

from api.auth import bearer_claims
from api.db.migrate import SqlFile, discover, pending_files
from api.settings import Settings


class DirtyConnectionError(Exception):
    """A connection came back to the pool still carrying a role or claims."""


async def assert_clean(conn: psycopg.AsyncConnection) -> None:
    """Pool reset check: a returned connection has no role and no claims left over.

    Raising makes the pool discard the connection instead of lending it again.
    """
    if conn.info.transaction_status != TransactionStatus.IDLE:
        await conn.rollback()
    cur = await conn.execute(
        "select current_user = session_user, "
        "coalesce(current_setting('request.jwt.claims', true), '') = ''"
    )
    role_reset, claims_reset = await cur.fetchone()  # type: ignore[misc]
    if not (role_reset and claims_reset):
        raise DirtyConnectionError("connection returned with a role or claims still set")


def make_pool(settings: Settings) -> AsyncConnectionPool:
    return AsyncConnectionPool(
        settings.api_url,
        min_size=settings.pool_min_size,
        max_size=settings.pool_max_size,
        timeout=settings.pool_timeout,
        reconnect_timeout=0,  # keep retrying for ever: the database may come back
        open=False,
        reset=assert_clean,
        kwargs={
            "autocommit": True,
            "application_name": "brigade-api",
            "connect_timeout": settings.connect_timeout,
            "options": f"-c statement_timeout={settings.statement_timeout_ms} -c TimeZone=UTC",
        },
        name="api",
    )


@dataclass(slots=True)
class Db:
    """What a handler gets: a pooled connection and the verified claims of the request."""

    conn: psycopg.AsyncConnection
    claims: dict[str, Any]
    readonly: bool


@lru_cache(maxsize=4)
def _files_on_disk(root: Path) -> list[SqlFile]:
    # The deployed files do not change under a running process: hash them once.
    return discover(root)


@asynccontextmanager
async def open_db(
    state: State, request: Request, *, readonly: bool | None = None
) -> AsyncIterator[Db]:
    """Verify the request's token, then borrow a connection; GET and HEAD run read-only."""
    claims = bearer_claims(state.settings, request.headers.get("authorization"))
    if readonly is None:
        readonly = request.method in ("GET", "HEAD")
    async with state.pool.connection() as conn:
        yield Db(conn, claims, readonly=readonly)
    if not readonly and (restaurant_id := claims.get("restaurant_id")):
        # Read-your-writes in this process; other processes learn it from the `menu` NOTIFY.
        state.menus.drop_restaurant(restaurant_id)


async def pending_migrations(conn: psycopg.AsyncConnection, root: Path) -> int:
    """How many SQL files are not applied as they are on disk (0 when current)."""
    cur = await conn.execute(
        "select to_regprocedure('meta.applied_checksums()') is not null, "
        "to_regnamespace('cron') is not null"
    )
    has_meta, has_cron = await cur.fetchone()  # type: ignore[misc]
    files = _files_on_disk(root)
    if not has_meta:
        return len(files)
    cur = await conn.execute("select kind, name, checksum from meta.applied_checksums()")
    return len(pending_files(files, await cur.fetchall(), cron=has_cron))
