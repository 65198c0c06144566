"""What the HTTP layer costs: the same trivial SQL function, `api.whoami()`, called

  direct   with psycopg as `authenticator`, doing exactly what the API does per request
           (api.rpc.call: one pipelined round trip of begin read only; set role and claims;
           select api.whoami()::text; commit), one AsyncConnection per client;
  http     GET /v1/whoami with a bearer token against a real `brigade serve`, through a
           minimal keep-alive HTTP/1.1 client (bench.common.RawHttpClient) and, for
           comparison, through httpx.AsyncClient with a keep-alive pool;

at each concurrency of BENCH_CLIENTS (default 1,16) for BENCH_SECONDS each (default 5),
after BENCH_WARMUP_SECONDS (default 1) of unmeasured warm-up. `make bench` runs it against
a throw-away cluster and server; see bench/README.md.

Environment: DATABASE_URL and the BRIGADE_* secrets (as for the server), BENCH_BASE_URL
(the API), BENCH_SERVER_PID (optional: the API process, for its CPU figure).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import platform
import sys
import uuid
from collections.abc import AsyncIterator

import httpx
import msgspec
import psycopg

from api import auth, rpc
from api.db.pool import Db, make_pool
from api.settings import Settings
from bench.common import (
    REQUEST_TIMEOUT,
    Cell,
    HttpError,
    Request,
    cpu_groups,
    env_float,
    env_ints,
    postmaster_of,
    print_table,
    ratio,
    raw_http,
    run_cell,
    runtime,
    server_cpu_us_per_request,
)

PATH = "/v1/whoami"
DIRECT = "direct (psycopg)"
HTTP_RAW = "http (raw client)"
HTTP_HTTPX = "http (httpx)"


async def sanity_check(
    conninfo: str, kwargs: dict, claims: dict, base_url: str, token: str
) -> int | None:
    """Both paths give the same answer for the same token; returns the postmaster's pid
    (the parent of our backend) when the database runs on this machine."""
    async with await psycopg.AsyncConnection.connect(conninfo, **kwargs) as conn:
        direct = msgspec.json.decode(await rpc.call(Db(conn, claims, readonly=True), "whoami"))
        postmaster = postmaster_of(conn.info.backend_pid)
    async with httpx.AsyncClient(base_url=base_url, timeout=REQUEST_TIMEOUT) as client:
        response = await client.get(PATH, headers={"Authorization": f"Bearer {token}"})
    if response.status_code != 200:
        raise SystemExit(f"GET {PATH} answered {response.status_code}: {response.text[:500]}")
    over_http = response.json()
    if direct != over_http or direct.get("db_role") != "staff":
        raise SystemExit(f"the two paths disagree:\n  direct {direct}\n  http   {over_http}")
    if direct.get("restaurant_id") != claims["restaurant_id"]:
        raise SystemExit(f"whoami did not see the token's restaurant: {direct}")
    return postmaster


async def run() -> int:
    settings = Settings.load()
    base_url = os.environ.get("BENCH_BASE_URL", "").rstrip("/")
    if not base_url:
        print("BENCH_BASE_URL is not set: run the benchmarks with `make bench`", file=sys.stderr)
        return 2
    server_pid = int(os.environ.get("BENCH_SERVER_PID") or 0) or None
    seconds = env_float("BENCH_SECONDS", 5.0)
    warmup = env_float("BENCH_WARMUP_SECONDS", 1.0)
    concurrencies = env_ints("BENCH_CLIENTS", (1, 16))

    # The API pool's own connection string and session options (statement_timeout, ...),
    # so that the direct path opens connections exactly like the server does.
    pool = make_pool(settings)
    conninfo, conn_kwargs = pool.conninfo, {**pool.kwargs, "application_name": "brigade-bench"}

    # A real owner: tenant tokens are checked against their membership on every request.
    with psycopg.connect(settings.database_url, autocommit=True) as admin:
        rid = admin.execute(
            "insert into app.restaurants (name, slug, currency, timezone, plan)"
            " values ('Bench', %s, 'USD', 'UTC', 'pro') returning id",
            [f"bench-{uuid.uuid4().hex[:12]}"],
        ).fetchone()[0]
        uid = admin.execute(
            "insert into app.users (name) values ('Bench') returning id"
        ).fetchone()[0]
        admin.execute(
            "insert into app.memberships (restaurant_id, user_id, role) values (%s, %s, 'owner')",
            [rid, uid],
        )
        # Both paths take a request token: the bench must not be throttled by the plan.
        admin.execute(
            "update app_private.rate_limits set capacity = 100000000 where name = 'api_pro'"
        )
    token = auth.mint(
        settings,
        {"sub": str(uid), "role": "staff", "app_role": "owner", "restaurant_id": str(rid)},
    )
    # What the server hands to rpc.call after verifying the header: the same dict here.
    claims = auth.verify(settings, token)
    headers = {"Authorization": f"Bearer {token}"}
    postmaster = await sanity_check(conninfo, conn_kwargs, claims, base_url, token)
    groups = cpu_groups(postmaster, server_pid)

    @contextlib.asynccontextmanager
    async def direct_client() -> AsyncIterator[Request]:
        async with await psycopg.AsyncConnection.connect(conninfo, **conn_kwargs) as conn:
            db = Db(conn, claims, readonly=True)

            async def request() -> None:
                if await rpc.call(db, "whoami") is None:
                    raise RuntimeError("api.whoami() returned no row")

            yield request

    @contextlib.asynccontextmanager
    async def raw_client() -> AsyncIterator[Request]:
        async with raw_http(base_url, headers) as client:

            async def request() -> None:
                status, body = await client.get(PATH)
                if status != 200:
                    raise HttpError(f"{status}: {body[:200]!r}")

            yield request

    cores, usable, loop_impl, http_impl = runtime()
    print(f"client machine: {cores} cores ({usable} usable by this process), {platform.machine()}")
    print(
        "client, API server and PostgreSQL all run on this machine and share these cores: "
        "compare the rows with each other; they are not capacity figures."
    )
    print(
        f"server: brigade serve at {base_url} (uvicorn, 1 process, loop {loop_impl}, "
        f"http {http_impl}); pool {settings.pool_min_size}..{settings.pool_max_size} connections"
    )
    print(
        f"cells: {seconds:g} s each after {warmup:g} s of warm-up; clients {concurrencies}; "
        f"every request is checked (status 200 / a row), any error fails the run"
    )
    print(
        f"cpu columns: share of one core over the cell ({', '.join(g.name for g in groups)}); "
        "srv cpu us/req: CPU of every process but the client per request"
    )
    print(
        f"load average before the run: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
        "(anything else running on the machine shows up in the figures)"
    )
    print()

    cells: list[Cell] = []
    for n in concurrencies:
        kwargs = {"seconds": seconds, "warmup": warmup, "cpu_groups": groups}
        cells.append(await run_cell(DIRECT, n, direct_client, **kwargs))
        cells.append(await run_cell(HTTP_RAW, n, raw_client, **kwargs))
        limits = httpx.Limits(max_connections=n, max_keepalive_connections=n)
        async with httpx.AsyncClient(
            base_url=base_url, headers=headers, limits=limits, timeout=REQUEST_TIMEOUT
        ) as shared:

            async def httpx_request(client: httpx.AsyncClient = shared) -> None:
                response = await client.get(PATH)
                if response.status_code != 200:
                    raise HttpError(f"{response.status_code}: {response.text[:200]}")

            cells.append(
                await run_cell(
                    HTTP_HTTPX, n, lambda r=httpx_request: contextlib.nullcontext(r), **kwargs
                )
            )

    def baseline(cell: Cell) -> Cell | None:
        return next(c for c in cells if c.path == DIRECT and c.clients == cell.clients)

    print_table(cells, baseline)
    print()
    for n in concurrencies:
        direct = next(c for c in cells if c.path == DIRECT and c.clients == n)
        http = next(c for c in cells if c.path == HTTP_RAW and c.clients == n)
        line = (
            f"{n:>3} client(s): direct/HTTP throughput {ratio(direct, http):.2f}x; "
            f"HTTP adds {http.p(50) - direct.p(50):.2f} ms at p50, "
            f"{http.p(99) - direct.p(99):.2f} ms at p99"
        )
        if len(groups) > 1:
            extra = server_cpu_us_per_request(http) - server_cpu_us_per_request(direct)
            line += f", {extra:.0f} us of server CPU per request"
        print(line)

    failed = [c for c in cells if c.errors]
    for c in failed:
        print(f"\n{c.path} x{c.clients}: {len(c.errors)} error(s), first: {c.errors[0]}")
    return 1 if failed else 0


def main() -> int:
    return asyncio.run(run())


if __name__ == "__main__":
    sys.exit(main())
