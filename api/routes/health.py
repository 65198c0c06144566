"""Liveness, readiness and metrics for orchestrators and Prometheus."""

from __future__ import annotations

import psycopg
from litestar import Response, get
from litestar.datastructures import State
from psycopg_pool import PoolTimeout

from api.db.migrate import sql_dir
from api.db.pool import pending_migrations
from api.errors import Problem


@get("/healthz", operation_id="healthz", tags=["operations"], summary="The process is up")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@get(
    "/readyz",
    operation_id="readyz",
    tags=["operations"],
    summary="The database answers and no migration is pending",
)
async def readyz(state: State) -> Response:
    try:
        async with state.pool.connection() as conn:
            pending = await pending_migrations(conn, sql_dir(state.settings))
    except (psycopg.Error, PoolTimeout):
        return Problem(
            503, "database_unavailable", "The database does not answer.", {"Retry-After": "1"}
        ).response()
    if pending:
        return Problem(
            503,
            "migrations_pending",
            f"{pending} SQL file(s) are not applied.",
            {"Retry-After": "5"},
        ).response()
    return Response({"status": "ready"})


ROUTES = [healthz, readyz]
