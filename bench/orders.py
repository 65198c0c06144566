"""Orders placed per second (issue 5): the write path of a guest's order, side by side in one run

  direct (psycopg)   api.place_order through api.rpc.call on a connection opened like the API
                     pool's (authenticator, the same options), with the claims the server
                     derives from the guest's token: exactly the server's database work per
                     request (one pipelined round trip: the plan's request token; begin; role
                     and claims; auth.assert_active(); the call; commit);
  http (raw client)  POST /v1/sessions/{sid}/orders with the guest's bearer token against the
                     real `brigade serve`, over one keep-alive connection per client
                     (bench.common.RawHttpClient);

at each concurrency of BENCH_ORDERS_CLIENTS (default 1,8,32), every client at its own table
session (sessions never wait for each other), all of them in ONE branch: a busy branch, where
the branch's order-number counter (app_private.order_numbers) and its event head
(queue.event_heads) are row locks every order holds until it commits. Then the same two paths
at the highest concurrency spread over 8 branches of the same restaurant (4 clients each), to
show what that per-branch serialisation costs.

The restaurant starts with BENCH_ORDERS_HISTORY (default 20,000) past orders spread over its
branches, then ANALYZE, so that the planner sees tables like a live restaurant's (see
HISTORY_STEPS for what happens without them).

Every branch auto-accepts, so each order also becomes tickets and events in the same
transaction: the body orders 4 lines (a burger with a cooking option and a note, two
skewers, a cheesecake and two lemonades), priced in SQL with tax and a service charge; the
lines route to two stations, so one order = 2 tickets and 4 events (order.status placed,
ticket.created x2, order.status accepted). Each request carries a fresh Idempotency-Key, as
a guest's app sends. Every answer is checked (201 / accepted / the expected total); after the
run the database must hold exactly the orders that were answered (warm-up included), numbered
1..N per branch and day without a gap, 2 tickets each, and per branch events 1..M with no
gap, 4 per order. Any error or mismatch exits 1.

Below the table: where the backends of each cell spent their time (pg_stat_activity sampled
every 20 ms over the cell, warm-up included: running, or waiting on a lock, on I/O, ...), the
ratios, and the issue's goal (order p99 under 50 ms over HTTP).

`make bench` runs it against a throw-away cluster and server; see bench/README.md.
Environment: DATABASE_URL (a superuser) and the BRIGADE_* secrets, BENCH_BASE_URL,
BENCH_SERVER_PID (optional), BENCH_SECONDS, BENCH_WARMUP_SECONDS, BENCH_ORDERS_CLIENTS,
BENCH_ORDERS_HISTORY.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import datetime
import os
import platform
import signal
import sys
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import msgspec
import psycopg

from api import auth, rpc
from api.db.pool import Db, make_pool
from api.settings import Settings
from bench.common import (
    Cell,
    ClientFactory,
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

DIRECT = "direct (psycopg)"
HTTP = "http (raw client)"
SPREAD = 8  # branches of the spread variant
P99_GOAL_MS = 50.0  # issue 5: an order's p99 under 50 ms
TICKETS_PER_ORDER = 2
EVENTS_PER_ORDER = 4
SAMPLE_EVERY = 0.02  # seconds between pg_stat_activity samples
HISTORY = 20000  # past orders of another restaurant, loaded first (see HISTORY_STEPS)

# --- the data -------------------------------------------------------------------------------

# One transaction as the superuser with session_replication_role = replica (no audit rows or
# menu triggers for the fixture; the rows are consistent by construction). The orders are
# then placed through the real functions, triggers and all.
LOAD_STEPS: list[str] = [
    """
        insert into app.restaurants (
            id, name, slug, currency, timezone, plan, tax_rate_bp, service_charge_bp
        )
        values (%(rid)s, 'Bench Diner', %(slug)s, 'USD', 'UTC', 'pro', 500, 1000)
    """,
    """
        create temp table bench_branches on commit drop as
        select k, app.uuid7() as id from generate_series(0, %(branches)s - 1) as k
    """,
    """
        insert into app.branches (restaurant_id, id, name, auto_accept)
        select %(rid)s, id, 'Branch ' || k, true from bench_branches
    """,
    """
        create temp table bench_categories on commit drop as
        select c, name, app.uuid7() as id
        from unnest(array['Mains', 'Drinks', 'Desserts']) with ordinality as x (name, c)
    """,
    """
        insert into app.categories (restaurant_id, id, name, position)
        select %(rid)s, id, name, c from bench_categories
    """,
    # Desserts route nowhere: they go to the default station (Grill).
    """
        create temp table bench_stations on commit drop as
        select b.k, s.name, s.category, app.uuid7() as id
        from bench_branches as b,
            (values ('Grill', 'Mains'), ('Bar', 'Drinks')) as s (name, category)
    """,
    """
        insert into app.stations (restaurant_id, id, branch_id, name, is_default)
        select %(rid)s, s.id, b.id, s.name, s.name = 'Grill'
        from bench_stations as s inner join bench_branches as b on b.k = s.k
    """,
    """
        insert into app.station_categories (restaurant_id, station_id, category_id)
        select %(rid)s, s.id, c.id
        from bench_stations as s inner join bench_categories as c on c.name = s.category
    """,
    """
        create temp table bench_items on commit drop as
        select x.name, x.category, x.price, app.uuid7() as id
        from (values
            ('Burger', 'Mains', 1450), ('Chicken skewer', 'Mains', 1800),
            ('Lemonade', 'Drinks', 600), ('Cheesecake', 'Desserts', 900)
        ) as x (name, category, price)
    """,
    """
        insert into app.items (restaurant_id, id, category_id, name, price)
        select %(rid)s, i.id, c.id, i.name, i.price
        from bench_items as i inner join bench_categories as c on c.name = i.category
    """,
    """
        create temp table bench_options on commit drop as
        select g.id as group_id, x.name, x.position, app.uuid7() as id
        from (select app.uuid7() as id) as g,
            (values ('Rare', 0), ('Medium', 1), ('Well done', 2)) as x (name, position)
    """,
    """
        insert into app.modifier_groups (restaurant_id, id, name, min_select, max_select)
        select distinct %(rid)s, group_id, 'Cooking', 1, 1 from bench_options
    """,
    """
        insert into app.modifier_options (restaurant_id, id, group_id, name, position)
        select %(rid)s, id, group_id, name, position from bench_options
    """,
    """
        insert into app.item_modifier_groups (restaurant_id, item_id, group_id)
        select distinct %(rid)s, i.id, o.group_id
        from bench_items as i, bench_options as o where i.name = 'Burger'
    """,
    """
        insert into app.dining_tables (restaurant_id, branch_id, label, seats)
        select %(rid)s, b.id, 'T' || t, 4
        from bench_branches as b, generate_series(1, %(tables)s) as t
    """,
    # A kitchen member and the restaurant's screens (devices), all at branch 0.
    """
        insert into app.users (id, name) values (%(kitchen_user)s, 'Bench kitchen')
    """,
    """
        insert into app.memberships (restaurant_id, user_id, role)
        values (%(rid)s, %(kitchen_user)s, 'kitchen')
    """,
    """
        insert into app.devices (restaurant_id, branch_id, name)
        select %(rid)s, b.id, 'Screen ' || d
        from bench_branches as b, generate_series(1, %(devices)s) as d
        where b.k = 0
    """,
]

# The restaurant's past: HISTORY orders spread over its branches (500 a day per branch on
# earlier business days, completed, at a closed table session), each with its 4 lines, 2
# tickets and 4 events, then ANALYZE: the order tables hold what a live restaurant's would,
# and their statistics say so. Without it the run starts from empty tables (or with another
# tenant's rows only), the planner's statistics say the restaurant has next to no rows, and
# it reads order_items by order through any index that starts with restaurant_id (seen here:
# order_items_ticket, order_items_session), scanning every line of the restaurant per lookup,
# slower with every order placed, until autovacuum analyzes again.
HISTORY_STEPS: list[str] = [
    """
        insert into app.dining_tables (restaurant_id, branch_id, label, seats)
        select %(rid)s, b.id, 'Past', 4 from bench_branches as b
    """,
    """
        create temp table bench_past on commit drop as
        select b.k, b.id as branch_id, t.id as table_id, app.uuid7() as session_id
        from bench_branches as b inner join app.dining_tables as t
            on t.restaurant_id = %(rid)s and t.branch_id = b.id and t.label = 'Past'
    """,
    """
        insert into app.table_sessions (
            restaurant_id, id, branch_id, table_id, opened_at, closed_at, last_activity_at
        )
        select %(rid)s, session_id, branch_id, table_id, now() - interval '60 days',
            now() - interval '1 day', now() - interval '1 day'
        from bench_past
    """,
    """
        create temp table bench_history on commit drop as
        select p.k, p.branch_id, p.session_id, n, app.uuid7() as id, app.uuid7() as grill,
            app.uuid7() as bar, now() - interval '1 day' - n * interval '1 second' as at
        from bench_past as p, generate_series(1, %(per_branch)s) as n
    """,
    """
        insert into app.orders (
            restaurant_id, id, branch_id, session_id, number, business_date, status, currency,
            subtotal, service_charge, tax, total, tax_rate_bp, tax_inclusive,
            service_charge_bp, placed_by_role, created_at, updated_at, accepted_at, ready_at
        )
        select %(rid)s, h.id, h.branch_id, h.session_id, 1 + (h.n - 1) %% 500,
            current_date - 1 - (h.n - 1) / 500, 'completed', 'USD', 7150, 715, 393, 8258,
            500, false, 1000, 'customer', h.at, h.at, h.at, h.at
        from bench_history as h
    """,
    """
        insert into app.tickets (
            restaurant_id, id, branch_id, order_id, station_id, status, created_at,
            updated_at, ready_at
        )
        select %(rid)s, case s.name when 'Grill' then h.grill else h.bar end, h.branch_id,
            h.id, s.id, 'ready', h.at, h.at, h.at
        from bench_history as h inner join bench_stations as s on s.k = h.k
    """,
    """
        insert into app.order_items (
            restaurant_id, order_id, branch_id, session_id, item_id, category_id, name,
            quantity, unit_price, status, ticket_id, created_at, updated_at
        )
        select %(rid)s, h.id, h.branch_id, h.session_id, i.id, c.id, i.name, 1, i.price,
            'ready', case i.category when 'Drinks' then h.bar else h.grill end, h.at, h.at
        from bench_history as h, bench_items as i
        inner join bench_categories as c on c.name = i.category
    """,
    """
        insert into queue.events (
            restaurant_id, branch_id, id, created_at, channel, type, station_id, session_id,
            order_id, payload
        )
        select %(rid)s, h.branch_id, (h.n - 1) * 4 + e.e, h.at,
            case when e.e in (2, 3) then 'kitchen' else 'orders' end,
            (array['order.status', 'ticket.created', 'ticket.created', 'order.status'])[e.e],
            s.id, case when e.e in (1, 4) then h.session_id end, h.id,
            jsonb_build_object('order_id', h.id, 'status', 'completed')
        from bench_history as h
        cross join generate_series(1, 4) as e (e)
        left join bench_stations as s
            on s.k = h.k and s.name = case e.e when 2 then 'Grill' when 3 then 'Bar' end
    """,
    """
        insert into queue.event_heads (restaurant_id, branch_id, last_id)
        select %(rid)s, id, %(per_branch)s * 4 from bench_branches
    """,
]

SHOP_SQL = """
select
    array(select id from app.branches where restaurant_id = %(rid)s order by name),
    (select jsonb_object_agg(name, id) from app.items where restaurant_id = %(rid)s),
    (select jsonb_object_agg(name, id) from app.modifier_options where restaurant_id = %(rid)s),
    (select jsonb_object_agg(b.name || '/' || s.name, s.id)
        from app.stations as s inner join app.branches as b
            on b.restaurant_id = s.restaurant_id and b.id = s.branch_id
        where s.restaurant_id = %(rid)s),
    array(select id from app.devices where restaurant_id = %(rid)s order by name)
"""

# Tables in branch order, then label order (T1, T2, ... numerically).
TABLES_SQL = """
select t.branch_id, t.qr_token
from app.dining_tables as t inner join app.branches as b
    on b.restaurant_id = t.restaurant_id and b.id = t.branch_id
where t.restaurant_id = %(rid)s and t.label ~ '^T[0-9]+$'
order by b.name, substr(t.label, 2)::integer
"""

# Everything the load and the run wrote, in key order; the audit log keeps its rows (it is
# append-only by design, and the cluster is thrown away after the run anyway).
UNLOAD_STEPS: list[str] = [
    "delete from queue.events where restaurant_id = %(rid)s",
    "delete from queue.event_heads where restaurant_id = %(rid)s",
    "delete from app_private.idempotency_keys where restaurant_id = %(rid)s",
    "delete from app_private.order_numbers where restaurant_id = %(rid)s",
    "delete from app.order_status_changes where restaurant_id = %(rid)s",
    "delete from app.order_items where restaurant_id = %(rid)s",
    "delete from app.tickets where restaurant_id = %(rid)s",
    "delete from app.orders where restaurant_id = %(rid)s",
    "delete from app.table_sessions where restaurant_id = %(rid)s",
    "delete from app.dining_tables where restaurant_id = %(rid)s",
    "delete from app.devices where restaurant_id = %(rid)s",
    "delete from app.memberships where restaurant_id = %(rid)s",
    "delete from app.users where id = %(kitchen_user)s",
    "delete from app.item_modifier_groups where restaurant_id = %(rid)s",
    "delete from app.modifier_options where restaurant_id = %(rid)s",
    "delete from app.modifier_groups where restaurant_id = %(rid)s",
    "delete from app.items where restaurant_id = %(rid)s",
    "delete from app.station_categories where restaurant_id = %(rid)s",
    "delete from app.stations where restaurant_id = %(rid)s",
    "delete from app.categories where restaurant_id = %(rid)s",
    "delete from app.branches where restaurant_id = %(rid)s",
    "delete from app_private.menu_cache where restaurant_id = %(rid)s",
    "delete from app_private.rate_buckets where key = any(%(buckets)s)",
    "delete from app.restaurants where id = %(rid)s",
]


@dataclass(frozen=True)
class Guest:
    """A table session and its guest's token, as `POST /v1/tables/{qr}/session` mints it."""

    branch_id: str
    session_id: str
    token: str
    claims: dict[str, Any]  # what the server derives from the token (auth.verify)


@dataclass
class Shop:
    restaurant_id: uuid.UUID
    history: int  # past orders loaded
    since: datetime.datetime  # after the load: every order created later is the run's
    kitchen_user: uuid.UUID
    branches: list[str]
    guests: list[list[Guest]]  # per branch, one per table
    items: dict[str, str]
    options: dict[str, str]
    stations: dict[str, str]  # "Branch 0/Grill" -> id
    devices: list[str]  # screens at branch 0
    load_seconds: float
    buckets: list[str] = field(default_factory=list)  # rate-limit keys the load created

    def order_body(self) -> dict[str, Any]:
        """One guest order: 4 lines over 3 categories, i.e. 2 stations."""
        return {
            "items": [
                {
                    "item_id": self.items["Burger"],
                    "quantity": 1,
                    "option_ids": [self.options["Medium"]],
                    "note": "no onions",
                },
                {"item_id": self.items["Chicken skewer"], "quantity": 2},
                {"item_id": self.items["Cheesecake"], "quantity": 1},
                {"item_id": self.items["Lemonade"], "quantity": 2},
            ]
        }


def load_shop(
    settings: Settings,
    branches: int,
    tables: int,
    *,
    devices: int = 0,
    history: int = 0,
    ttl: int = 3600,
) -> Shop:
    """A restaurant with `branches` auto-accepting branches (Grill + Bar), `tables` open table
    sessions per branch with their guests' tokens, `devices` kitchen screens at branch 0, and
    about `history` past orders spread over the branches (see HISTORY_STEPS)."""
    started = time.perf_counter()
    rid, kitchen_user = uuid.uuid4(), uuid.uuid4()
    per_branch = history // branches
    params = {
        "per_branch": per_branch,
        "rid": rid,
        "slug": f"bench-orders-{os.getpid()}-{rid.hex[:6]}",
        "branches": branches,
        "tables": tables,
        "devices": devices,
        "kitchen_user": kitchen_user,
    }
    with psycopg.connect(settings.database_url) as conn:
        with conn.transaction():
            conn.execute("set local session_replication_role = replica")
            for step in LOAD_STEPS + (HISTORY_STEPS if per_branch else []):
                conn.execute(step, params)
            since = conn.execute("select clock_timestamp()").fetchone()[0]  # type: ignore[index]
        conn.autocommit = True
        for table in (
            "app.orders",
            "app.order_items",
            "app.tickets",
            "app.table_sessions",
            "app.dining_tables",
            "queue.events",
        ):
            conn.execute(f"analyze {table}")
        row = conn.execute(SHOP_SQL, params).fetchone()
        assert row is not None
        branch_ids, items, options, stations, device_ids = row
        # Sessions opened by the real function, which also returns the claims the server
        # signs for the guest; a distinct "IP" per scan keeps the per-IP scan limit away.
        guests: list[list[Guest]] = [[] for _ in branch_ids]
        index = {str(b): n for n, b in enumerate(branch_ids)}
        buckets = []
        for n, (branch_id, qr) in enumerate(conn.execute(TABLES_SQL, params).fetchall()):
            ip = f"bench-{rid.hex[:8]}-{n}"
            buckets.append(f"qr_ip:{ip}")
            answer = conn.execute("select api.open_table_session(%s, %s)", (qr, ip)).fetchone()
            assert answer is not None
            result = answer[0]
            if result.get("status") != 201:
                raise SystemExit(f"open_table_session answered {result}")
            token = auth.mint(settings, result["claims"], ttl)
            guests[index[str(branch_id)]].append(
                Guest(
                    str(branch_id),
                    result["body"]["session_id"],
                    token,
                    auth.verify(settings, token),
                )
            )
        for table in ("branches", "stations", "station_categories", "items"):
            conn.execute(f"analyze app.{table}")
    buckets.append(f"api_pro:{rid}")
    return Shop(
        rid,
        per_branch * branches,
        since,
        kitchen_user,
        [str(b) for b in branch_ids],
        guests,
        items,
        options,
        stations,
        [str(d) for d in device_ids],
        time.perf_counter() - started,
        buckets,
    )


def unload_shop(admin_url: str, shop: Shop) -> None:
    params = {
        "rid": shop.restaurant_id,
        "kitchen_user": shop.kitchen_user,
        "buckets": shop.buckets,
    }
    with psycopg.connect(admin_url) as conn, conn.transaction():
        conn.execute("set local session_replication_role = replica")
        for step in UNLOAD_STEPS:
            conn.execute(step, params)


@contextlib.contextmanager
def generous_plan_limit(admin_url: str) -> Any:
    """The bench must not be throttled by the restaurant's plan (30,000 requests a minute):
    raised for the run, restored afterwards."""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        row = conn.execute(
            "select capacity from app_private.rate_limits where name = 'api_pro'"
        ).fetchone()
        conn.execute(
            "update app_private.rate_limits set capacity = 100000000 where name = 'api_pro'"
        )
    try:
        yield
    finally:
        if row is not None:
            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(
                    "update app_private.rate_limits set capacity = %s where name = 'api_pro'", row
                )


# --- where the backends' time goes ----------------------------------------------------------

WAITS_SQL = """
select case
    when state = 'active' then coalesce(wait_event_type || ':' || wait_event, 'running')
    else state
end
from pg_stat_activity
where application_name = any(%s) and state <> 'idle' and pid <> pg_backend_pid()
"""


# A row that transactions queue for carries a tuple lock (taken by its first waiter): the
# tables of those rows say which rows serialise the writers.
HOT_ROWS_SQL = """
select l.relation::regclass::text from pg_locks as l
where
    l.locktype = 'tuple'
    and l.database = (select d.oid from pg_database as d where d.datname = current_database())
"""


class WaitSampler:
    """Samples what the API's and the bench's backends are doing (pg_stat_activity), and
    which tables have rows that writers queue for (tuple locks in pg_locks)."""

    def __init__(self, admin_url: str, applications: list[str]) -> None:
        self.admin_url = admin_url
        self.applications = applications
        self.counts: collections.Counter[str] = collections.Counter()
        self.hot: collections.Counter[str] = collections.Counter()
        self.samples = 0
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        async with await psycopg.AsyncConnection.connect(self.admin_url, autocommit=True) as conn:
            while True:
                cur = await conn.execute(WAITS_SQL, (self.applications,), prepare=True)
                self.counts.update(r[0] for r in await cur.fetchall())
                cur = await conn.execute(HOT_ROWS_SQL, prepare=True)
                self.hot.update(r[0] for r in await cur.fetchall())
                self.samples += 1
                await asyncio.sleep(SAMPLE_EVERY)

    @contextlib.asynccontextmanager
    async def sampling(self) -> AsyncIterator[WaitSampler]:
        self.counts.clear()
        self.hot.clear()
        self.samples = 0
        self._task = asyncio.create_task(self._run())
        try:
            yield self
        finally:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    def describe(self) -> str:
        total = sum(self.counts.values())
        if not total or not self.samples:
            return "no busy backend seen"
        parts = ", ".join(
            f"{name} {n / total:.0%}" for name, n in self.counts.most_common(5) if n / total >= 0.01
        )
        text = f"{total / self.samples:.1f} busy backends on average: {parts}"
        hot = sum(self.hot.values())
        if hot:
            tables = ", ".join(f"{t} {n / hot:.0%}" for t, n in self.hot.most_common(3))
            text += f"; rows queued for: {tables}"
        return text


# --- the paths --------------------------------------------------------------------------------


class Placed(msgspec.Struct):
    status: str
    total: int
    number: int


def check_order(text: str | bytes | None, total: int) -> None:
    if text is None:
        raise RuntimeError("api.place_order returned no row")
    placed = msgspec.json.decode(text, type=Placed)
    if placed.status != "accepted" or placed.total != total:
        raise RuntimeError(f"unexpected order: {placed}")


@dataclass
class Paths:
    settings: Settings
    base_url: str
    conninfo: str
    conn_kwargs: dict[str, Any]
    body: dict[str, Any]
    total: int
    placed: collections.Counter[str] = field(default_factory=collections.Counter)

    def factory(self, path: str, guests: list[Guest]) -> ClientFactory:
        """Client n of a cell takes guests[n]: its own table session."""
        slots = iter(guests)
        maker = self.direct if path == DIRECT else self.http
        return lambda: maker(next(slots))

    @contextlib.asynccontextmanager
    async def direct(self, guest: Guest) -> AsyncIterator[Request]:
        async with await psycopg.AsyncConnection.connect(self.conninfo, **self.conn_kwargs) as conn:
            db = Db(conn, guest.claims, readonly=False)

            async def request() -> None:
                text = await rpc.call(
                    db,
                    "place_order",
                    session_id=guest.session_id,
                    body=self.body,
                    idempotency_key=uuid.uuid4().hex,
                )
                self.placed[guest.branch_id] += 1
                check_order(text, self.total)

            yield request

    @contextlib.asynccontextmanager
    async def http(self, guest: Guest) -> AsyncIterator[Request]:
        body = msgspec.json.encode(self.body)
        path = f"/v1/sessions/{guest.session_id}/orders"
        async with raw_http(self.base_url, {"Authorization": f"Bearer {guest.token}"}) as client:

            async def request() -> None:
                status, answer = await client.post(
                    path, body, {"Idempotency-Key": uuid.uuid4().hex}
                )
                if status != 201:
                    raise HttpError(f"{status}: {answer[:300]!r}")
                self.placed[guest.branch_id] += 1
                check_order(answer, self.total)

            yield request


async def sanity_check(paths: Paths, guest: Guest) -> tuple[dict[str, Any], int | None]:
    """One order each way from the same guest: the same order (ids, number and times aside),
    accepted, with 2 tickets and 4 events. Returns the order and the postmaster's pid."""
    async with await psycopg.AsyncConnection.connect(paths.conninfo, **paths.conn_kwargs) as conn:
        postmaster = postmaster_of(conn.info.backend_pid)
        text = await rpc.call(
            Db(conn, guest.claims, readonly=False),
            "place_order",
            session_id=guest.session_id,
            body=paths.body,
            idempotency_key=uuid.uuid4().hex,
        )
    paths.placed[guest.branch_id] += 1
    direct = msgspec.json.decode(text or "null")
    async with raw_http(paths.base_url, {"Authorization": f"Bearer {guest.token}"}) as client:
        status, answer = await client.post(
            f"/v1/sessions/{guest.session_id}/orders",
            msgspec.json.encode(paths.body),
            {"Idempotency-Key": uuid.uuid4().hex},
        )
    if status != 201:
        raise SystemExit(f"POST /v1/sessions/.../orders answered {status}: {answer[:500]!r}")
    paths.placed[guest.branch_id] += 1
    over_http = msgspec.json.decode(answer)

    def same(order: dict[str, Any]) -> dict[str, Any]:
        varying = ("id", "number", "created_at", "updated_at")
        lines = [{k: v for k, v in i.items() if k != "id"} for i in order["items"]]
        return {**{k: v for k, v in order.items() if k not in varying}, "items": lines}

    if same(direct) != same(over_http):
        raise SystemExit(f"the two paths disagree:\n  direct {direct}\n  http   {over_http}")
    if direct["status"] != "accepted" or over_http["number"] != direct["number"] + 1:
        raise SystemExit(f"not accepted, or not numbered in turn: {direct} / {over_http}")
    with psycopg.connect(paths.settings.database_url, autocommit=True) as conn:
        for order in (direct, over_http):
            row = conn.execute(
                "select (select count(*) from app.tickets where order_id = %(o)s),"
                " (select count(*) from queue.events where order_id = %(o)s)",
                {"o": order["id"]},
            ).fetchone()
            if row != (TICKETS_PER_ORDER, EVENTS_PER_ORDER):
                raise SystemExit(
                    f"order {order['id']}: {row} (tickets, events), expected "
                    f"{(TICKETS_PER_ORDER, EVENTS_PER_ORDER)}"
                )
    return direct, postmaster


INTEGRITY_SQL = """
select
    b.id::text,
    (select count(*) from app.orders as o where o.restaurant_id = b.restaurant_id
        and o.branch_id = b.id and o.created_at >= %(since)s),
    (select count(*) from app.orders as o where o.restaurant_id = b.restaurant_id
        and o.branch_id = b.id and o.created_at >= %(since)s and o.status = 'accepted'),
    (select count(*) from app.orders as o where o.restaurant_id = b.restaurant_id
        and o.branch_id = b.id),
    -- Gap-free: on every business day the numbers are exactly 1..n.
    (select coalesce(bool_and(d.n = d.top and d.n = d.distinct_numbers), true) from (
        select count(*) as n, max(o.number) as top, count(distinct o.number) as distinct_numbers
        from app.orders as o
        where o.restaurant_id = b.restaurant_id and o.branch_id = b.id
        group by o.business_date
    ) as d),
    (select count(*) from app.tickets as t where t.restaurant_id = b.restaurant_id
        and t.branch_id = b.id),
    (select count(*) from queue.events as e where e.restaurant_id = b.restaurant_id
        and e.branch_id = b.id),
    (select coalesce(max(e.id), 0) from queue.events as e where e.restaurant_id = b.restaurant_id
        and e.branch_id = b.id),
    (select coalesce(max(h.last_id), 0) from queue.event_heads as h
        where h.restaurant_id = b.restaurant_id and h.branch_id = b.id)
from app.branches as b
where b.restaurant_id = %(rid)s
order by b.name
"""


def integrity(admin_url: str, shop: Shop, placed: collections.Counter[str]) -> list[str]:
    """What the database holds against what was answered; returns the problems found."""
    problems = []
    with psycopg.connect(admin_url, autocommit=True) as conn:
        rows = conn.execute(
            INTEGRITY_SQL, {"rid": shop.restaurant_id, "since": shop.since}
        ).fetchall()
    for bid, placed_here, accepted, orders, gap_free, tickets, events, top, head in rows:
        want = placed.get(bid, 0)
        if placed_here != want or accepted != want:
            problems.append(
                f"branch {bid}: {placed_here} new orders ({accepted} accepted), {want} answered"
            )
        if not gap_free:
            problems.append(f"branch {bid}: order numbers are not 1..n per day")
        if tickets != TICKETS_PER_ORDER * orders:
            problems.append(f"branch {bid}: {tickets} tickets for {orders} orders")
        if not (events == top == head == EVENTS_PER_ORDER * orders):
            problems.append(
                f"branch {bid}: {events} events, max id {top}, head {head}, {orders} orders"
            )
    return problems


# --- the run ----------------------------------------------------------------------------------


def spread_label(path: str) -> str:
    return f"{path}, {SPREAD} branches"


def report(cells: list[Cell], waits: dict[str, str], concurrencies: list[int]) -> None:
    def find(path: str, n: int) -> Cell | None:
        return next((c for c in cells if c.path == path and c.clients == n), None)

    def baseline(cell: Cell) -> Cell | None:
        spread = cell.path.endswith(" branches")
        return find(spread_label(DIRECT) if spread else DIRECT, cell.clients)

    print(
        "base/this: direct orders/s ÷ this row's orders/s at the same concurrency and branches; "
        "one row = one order (one POST / one api.place_order)"
    )
    print_table(cells, baseline)
    print()
    print("where the backends spent the cell (pg_stat_activity every 20 ms; API and bench):")
    width = max(len(k) for k in waits)
    for key, text in waits.items():
        print(f"  {key.ljust(width)}  {text}")
    print()
    for n in concurrencies:
        direct, http = find(DIRECT, n), find(HTTP, n)
        if direct is None or http is None:
            continue
        line = (
            f"{n:>3} client(s), one branch: direct/HTTP throughput {ratio(direct, http):.2f}x; "
            f"HTTP adds {http.p(50) - direct.p(50):+.2f} ms at p50, "
            f"{http.p(99) - direct.p(99):+.2f} ms at p99"
        )
        if len(http.cpu) > 1:
            extra = server_cpu_us_per_request(http) - server_cpu_us_per_request(direct)
            line += f", {extra:+,.0f} us of server CPU per order"
        print(line)
    top = max(concurrencies)
    for path in (DIRECT, HTTP):
        one, spread = find(path, top), find(spread_label(path), top)
        if one is None or spread is None:
            continue
        print(
            f"{top:>3} clients, {path}: {SPREAD} branches vs one: "
            f"{spread.rps:,.0f} vs {one.rps:,.0f} orders/s ({1 / ratio(one, spread):.2f}x), "
            f"p50 {spread.p(50):.2f} vs {one.p(50):.2f} ms, p99 {spread.p(99):.2f} vs "
            f"{one.p(99):.2f} ms"
        )
    print()
    verdicts = []
    for n in concurrencies:
        http = find(HTTP, n)
        if http is not None:
            ok = http.p(99) < P99_GOAL_MS
            verdicts.append(f"{n} client(s) {http.p(99):.2f} ms {'met' if ok else 'MISSED'}")
    spread = find(spread_label(HTTP), top)
    if spread is not None:
        ok = spread.p(99) < P99_GOAL_MS
        verdicts.append(
            f"{top} clients over {SPREAD} branches {spread.p(99):.2f} ms "
            + ("met" if ok else "MISSED")
        )
    print(
        f"goal, order p99 < {P99_GOAL_MS:g} ms over HTTP, one busy branch: " + "; ".join(verdicts)
    )


async def run() -> int:
    settings = Settings.load()
    base_url = os.environ.get("BENCH_BASE_URL", "").rstrip("/")
    if not base_url:
        print("BENCH_BASE_URL is not set: run the benchmarks with `make bench`", file=sys.stderr)
        return 2
    server_pid = int(os.environ.get("BENCH_SERVER_PID") or 0) or None
    seconds = env_float("BENCH_SECONDS", 5.0)
    warmup = env_float("BENCH_WARMUP_SECONDS", 1.0)
    concurrencies = env_ints("BENCH_ORDERS_CLIENTS", (1, 8, 32))
    top = max(concurrencies)
    admin_url = settings.database_url
    with psycopg.connect(admin_url, autocommit=True) as conn:
        row = conn.execute("select rolsuper from pg_roles where rolname = current_user").fetchone()
        if not (row and row[0]):
            print("DATABASE_URL must name a superuser: run it with `make bench`", file=sys.stderr)
            return 2

    # Branch 0 has a table per client; the spread variant puts top/8 clients at each branch.
    history = env_ints("BENCH_ORDERS_HISTORY", (HISTORY,))[0]
    shop = load_shop(settings, SPREAD, max(top, 2), history=history)
    try:
        with generous_plan_limit(admin_url):
            return await measure(
                settings, base_url, server_pid, shop, concurrencies, seconds, warmup
            )
    finally:
        unload_shop(admin_url, shop)


async def measure(
    settings: Settings,
    base_url: str,
    server_pid: int | None,
    shop: Shop,
    concurrencies: list[int],
    seconds: float,
    warmup: float,
) -> int:
    top = max(concurrencies)
    pool = make_pool(settings)
    paths = Paths(
        settings,
        base_url,
        pool.conninfo,
        {**pool.kwargs, "application_name": "brigade-bench"},
        shop.order_body(),
        0,
    )
    order, postmaster = await sanity_check(paths, shop.guests[0][0])
    paths.total = order["total"]
    groups = cpu_groups(postmaster, server_pid)
    sampler = WaitSampler(settings.database_url, ["brigade-api", "brigade-bench"])
    cores, usable, loop_impl, http_impl = runtime()
    print(
        f"loaded in {shop.load_seconds:.2f} s: one restaurant, {len(shop.branches)} branches "
        f"(auto-accept; stations Grill and Bar), {sum(map(len, shop.guests))} open table "
        f"sessions; an order: 4 lines, 2 tickets, {EVENTS_PER_ORDER} events, total "
        f"{paths.total} cents (5% tax, 10% service); history: {shop.history:,} past orders "
        f"over the branches, {shop.history * 4:,} lines and events (then ANALYZE)"
    )
    print(
        f"machine: {cores} cores ({usable} usable), {platform.machine()}; client, API and "
        "PostgreSQL share them: compare rows with each other, not with other machines"
    )
    print(
        f"server: brigade serve at {base_url} (uvicorn, 1 process, loop {loop_impl}, http "
        f"{http_impl}), pool {settings.pool_min_size}..{settings.pool_max_size} connections; "
        "direct: one connection per client"
    )
    then = (
        f"then {top} clients over {SPREAD} branches"
        if top >= SPREAD
        else f"no {SPREAD}-branch cells (fewer clients than branches)"
    )
    print(
        f"cells: {seconds:g} s each after {warmup:g} s of warm-up; clients {concurrencies}, one "
        f"branch; {then}; cpu columns: share of one core "
        f"({', '.join(g.name for g in groups)}); load average "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    print()

    plan: list[tuple[str, int, list[Guest]]] = []
    for n in concurrencies:
        for path in (DIRECT, HTTP):
            plan.append((path, n, shop.guests[0][:n]))
    # Client i at branch i % 8: round-robin over the branches' tables.
    if top >= SPREAD:  # at least one client per branch
        spread = [shop.guests[i % SPREAD][i // SPREAD] for i in range(top)]
        for path in (DIRECT, HTTP):
            plan.append((spread_label(path), top, spread))

    cells: list[Cell] = []
    waits: dict[str, str] = {}
    for label, n, guests in plan:
        path = DIRECT if label.startswith(DIRECT) else HTTP
        async with sampler.sampling():
            cell = await run_cell(
                label,
                n,
                paths.factory(path, guests),
                seconds=seconds,
                warmup=warmup,
                cpu_groups=groups,
            )
        cells.append(cell)
        waits[f"{label} x{n}"] = sampler.describe()

    report(cells, waits, concurrencies)
    problems = integrity(settings.database_url, shop, paths.placed)
    print()
    if problems:
        print("integrity: MISMATCH\n  " + "\n  ".join(problems))
    else:
        print(
            f"integrity: {sum(paths.placed.values()):,} orders answered (warm-up included) = "
            "orders in the database, all accepted, numbered 1..n per branch and day without a "
            f"gap, {TICKETS_PER_ORDER} tickets each, events 1..m per branch without a gap "
            f"({EVENTS_PER_ORDER} per order)"
        )
    failed = [c for c in cells if c.errors]
    for c in failed:
        print(f"\n{c.path} x{c.clients}: {len(c.errors)} error(s), first: {c.errors[0]}")
    return 1 if failed or problems else 0


def main() -> int:
    # `timeout` sends TERM: turn it into an exception so that the loaded rows are removed.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    return asyncio.run(run())


if __name__ == "__main__":
    sys.exit(main())
