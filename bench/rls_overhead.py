"""What row-level security costs: the same tenant-scoped queries, timed two ways in one run

  rls       as the API runs them: connected as `authenticator`, `set_config('role', 'staff',
            true)` and `set_config('request.jwt.claims', <claims>, true)` (an owner's token
            of the tenant), and NO restaurant_id filter in the query: the policies filter;
  explicit  as the owner role (BYPASSRLS: no policy applies) with the hand-written
            `restaurant_id = $1` filter;

against 1,000 restaurants of realistic rows (2 branches, 15 staff, 3 stations and 21 tables
per branch, 200 closed and a few open table sessions, 6 devices), loaded with set-based SQL
into a database of its own (bootstrapped and migrated like any other), dropped at the end.

Every iteration picks a random tenant and runs both sides (which goes first alternates);
both use prepared statements. Before timing, both sides must return the same non-empty rows
for 25 random tenants, RLS must hide another tenant's device asked for by id, and every RLS
plan must read the claims only in InitPlans that run once (never per row) and read no table
sequentially; any failure exits 1. Two measurements per query:

  statement  the query alone, in a read-only transaction whose role and claims were set by
             an earlier, untimed round trip: what the policies cost the query;
  request    the whole transaction in one pipelined round trip, as api.rpc.call sends it
             (begin read only; [role + claims;] query; commit): what a request pays.

Per query and side: p50 and p99 latency seen by the client, queries/s (1 / mean latency),
the ratio rls / explicit, and the CPU time the side's backend spent per execution (read
from /proc between statements: all the server does for it; other jobs on a shared machine
disturb it far less than latency). Then EXPLAIN ANALYZE of an RLS query, and the same
queries against two variants of the claim helpers (the second also changes how the API
sets the claims), applied one on top of the other in the benchmark's own database (see
VARIANTS; BENCH_RLS_VARIANTS=0 skips them). The sql/ files are not touched.

`make bench` runs it against a throw-away cluster; see bench/README.md. Environment:
DATABASE_URL (a superuser) and the BRIGADE_* secrets, as for the server; BENCH_SECONDS
(per query and measurement, default 3 here), BENCH_WARMUP_SECONDS (default 0.5 here),
BENCH_RLS_RESTAURANTS (1000), BENCH_RLS_SEED (1), BENCH_RLS_VARIANTS (1). About 2 minutes.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo

from api import auth
from api.db.bootstrap import bootstrap
from api.db.migrate import migrate, sql_dir
from api.settings import Settings
from bench.common import env_float, percentile

GOAL = 1.10  # issue 3: RLS within 10% of the hand-written filter

# --- the data -------------------------------------------------------------------------------

# One statement per step (parameters need the extended protocol, one statement at a time).
# Runs as the superuser in one transaction with session_replication_role = replica: no audit
# rows and no foreign-key triggers while loading (the rows are consistent by construction).
LOAD_STEPS: list[str] = [
    """
        create temp table r on commit drop as
        select i, app.uuid7() as id from generate_series(1, %(n)s) as i
    """,
    """
        insert into app.restaurants
            (id, name, slug, currency, timezone, locale, plan, created_at, updated_at)
        select id, 'Restaurant ' || i, 'resto-' || lpad(i::text, 5, '0'),
            (array['EUR', 'GBP', 'USD'])[1 + i % 3],
            (array['Europe/Paris', 'Europe/London', 'America/New_York'])[1 + i % 3],
            (array['fr', 'en', 'en-US'])[1 + i % 3],
            (array['trial', 'standard', 'pro'])[1 + i % 3],
            now() - interval '400 days', now() - interval '400 days'
        from r
    """,
    """
        create temp table b on commit drop as
        select r.i as ri, r.id as rid, k, app.uuid7() as id from r, generate_series(1, 2) as k
    """,
    """
        insert into app.branches
            (restaurant_id, id, name, address, auto_accept, created_at, updated_at)
        select rid, id, case k when 1 then 'Main street' else 'Harbour' end,
            k || ' Some Street, Town ' || ri, ri % 2 = 0,
            now() - interval '400 days', now() - interval '400 days'
        from b
    """,
    # 15 people per restaurant: 1 owner, 2 managers, 8 waiters, 4 kitchen; every third
    # restaurant has one former member (soft-deleted); everyone but the owner has a branch.
    """
        create temp table m on commit drop as
        select r.i as ri, r.id as rid, k, app.uuid7() as id, app.uuid7() as uid,
            case when k = 1 then 'owner' when k <= 3 then 'manager'
                when k <= 11 then 'waiter' else 'kitchen' end as role
        from r, generate_series(1, 15) as k
    """,
    """
        insert into app.users (id, email, name, created_at, updated_at)
        select uid, format('staff%s@resto-%s.example', k, ri), format('Staff %s of %s', k, ri),
            now() - interval '300 days', now() - interval '300 days'
        from m
    """,
    """
        insert into app.memberships
            (restaurant_id, id, user_id, role, deleted_at, created_at, updated_at)
        select rid, id, uid, role,
            case when k = 15 and ri % 3 = 0 then now() - interval '20 days' end,
            now() - interval '300 days', now() - interval '300 days'
        from m
    """,
    """
        insert into app.membership_branches (restaurant_id, membership_id, branch_id)
        select m.rid, m.id, b.id from m join b on b.rid = m.rid and b.k = 1 + m.k % 2
        where m.k > 1
    """,
    """
        insert into app.stations (restaurant_id, branch_id, name, is_default, target_seconds)
        select b.rid, b.id, s.name, s.n = 1, s.target
        from b, (values (1, 'Grill', 900), (2, 'Cold', 420), (3, 'Bar', 240)) as s (n, name, target)
    """,
    # 20 live tables per branch and one that was removed (soft-deleted).
    """
        create temp table t on commit drop as
        select b.rid, b.id as bid, b.ri, b.k as bk, n, app.uuid7() as id
        from b, generate_series(1, 21) as n
    """,
    """
        insert into app.dining_tables
            (restaurant_id, id, branch_id, label, seats, deleted_at, created_at)
        select rid, id, bid, 'T' || n, (array[2, 2, 4, 4, 6])[1 + n % 5],
            case when n = 21 then now() - interval '90 days' end, now() - interval '399 days'
        from t
    """,
    # 100 closed sessions per branch over the last 60 days, inserted in time order so that
    # tenants interleave on the heap as they do in production; then 2-10 open per branch.
    """
        insert into app.table_sessions
            (restaurant_id, branch_id, table_id, opened_by, opened_at, closed_at, closed_by)
        select x.rid, x.bid, x.id, x.uid, x.opened_at, x.opened_at + x.stay, x.uid
        from (
            select t.rid, t.bid, t.id, m.uid,
                now() - interval '60 days' * random() - interval '3 hours' as opened_at,
                interval '40 minutes' + interval '100 minutes' * random() as stay
            from t
            cross join generate_series(1, 5) as j
            join m on m.rid = t.rid and m.k = 4 + (t.n + j) % 8
            where t.n <= 20
        ) as x
        order by x.opened_at
    """,
    """
        insert into app.table_sessions (restaurant_id, branch_id, table_id, opened_by, opened_at)
        select t.rid, t.bid, t.id, m.uid, now() - interval '90 minutes' * random() as opened_at
        from t join m on m.rid = t.rid and m.k = 4 + t.n % 8
        where t.n <= 2 + (t.ri * 7 + t.bk) % 9
        order by opened_at
    """,
    """
        insert into app.devices
            (restaurant_id, branch_id, name, last_seen_at, revoked_at, created_at)
        select b.rid, b.id, d.name, now() - interval '5 minutes' * random(),
            case when d.n = 3 and b.ri % 4 = 0 then now() - interval '30 days' end,
            now() - interval '200 days'
        from b, (values (1, 'Kitchen screen'), (2, 'Till'), (3, 'Bar tablet')) as d (n, name)
    """,
]

TENANTS_SQL = """
select r.id, o.user_id,
    (select array_agg(b.id order by b.id) from app.branches as b where b.restaurant_id = r.id),
    (select array_agg(d.id order by d.id) from app.devices as d where d.restaurant_id = r.id)
from app.restaurants as r
join app.memberships as o on o.restaurant_id = r.id and o.role = 'owner'
order by r.id
"""


@dataclass(frozen=True)
class Tenant:
    restaurant_id: uuid.UUID
    owner_id: uuid.UUID
    branches: list[uuid.UUID]
    devices: list[uuid.UUID]
    claims: str  # the JSON the API would put in request.jwt.claims for the owner's token
    claim_values: tuple[str, ...]  # the same claims one by one (PER_CLAIM order), '' if absent


# --- the queries ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    key: str
    title: str
    rls: str  # no tenant filter: the policies do it
    explicit: str  # the hand-written tenant filter
    args: Callable[[Tenant, random.Random], dict[str, Any]]

    def text(self, side: str) -> str:
        # The marker comment lets pg_stat_statements tell the two sides apart.
        body = self.rls if side == RLS else self.explicit
        return f"/* bench:{side}:{self.key} */ {body.strip()}"


RLS, EXPLICIT = "rls", "explicit"


def _branch(t: Tenant, rng: random.Random) -> dict[str, Any]:
    return {"rid": t.restaurant_id, "branch": rng.choice(t.branches)}


def _tenant(t: Tenant, _rng: random.Random) -> dict[str, Any]:
    return {"rid": t.restaurant_id}


def _device(t: Tenant, rng: random.Random) -> dict[str, Any]:
    return {"rid": t.restaurant_id, "device": rng.choice(t.devices)}


QUERIES = [
    Query(
        "open_sessions",
        "open sessions of a branch",
        """
        select s.id, s.table_id, s.opened_by, s.opened_at from app.table_sessions as s
        where s.branch_id = %(branch)s and s.closed_at is null
        order by s.opened_at, s.id
        """,
        """
        select s.id, s.table_id, s.opened_by, s.opened_at from app.table_sessions as s
        where s.restaurant_id = %(rid)s and s.branch_id = %(branch)s and s.closed_at is null
        order by s.opened_at, s.id
        """,
        _branch,
    ),
    Query(
        "recent_sessions",
        "sessions of a branch, last 7 days",
        """
        select s.id, s.table_id, s.opened_at, s.closed_at from app.table_sessions as s
        where s.branch_id = %(branch)s and s.opened_at >= now() - interval '7 days'
        order by s.opened_at desc, s.id
        """,
        """
        select s.id, s.table_id, s.opened_at, s.closed_at from app.table_sessions as s
        where s.restaurant_id = %(rid)s and s.branch_id = %(branch)s
            and s.opened_at >= now() - interval '7 days'
        order by s.opened_at desc, s.id
        """,
        _branch,
    ),
    Query(
        "tables",
        "tables of a restaurant + open session",
        """
        select t.id, t.branch_id, t.label, t.seats, s.id, s.opened_at
        from app.dining_tables as t
        left join app.table_sessions as s
            on s.restaurant_id = t.restaurant_id and s.table_id = t.id and s.closed_at is null
        where t.deleted_at is null
        order by t.branch_id, t.label
        """,
        """
        select t.id, t.branch_id, t.label, t.seats, s.id, s.opened_at
        from app.dining_tables as t
        left join app.table_sessions as s
            on s.restaurant_id = t.restaurant_id and s.table_id = t.id and s.closed_at is null
        where t.restaurant_id = %(rid)s and t.deleted_at is null
        order by t.branch_id, t.label
        """,
        _tenant,
    ),
    Query(
        "staff_by_role",
        "count memberships by role",
        """
        select m.role, count(*) from app.memberships as m
        where m.deleted_at is null
        group by m.role order by m.role
        """,
        """
        select m.role, count(*) from app.memberships as m
        where m.restaurant_id = %(rid)s and m.deleted_at is null
        group by m.role order by m.role
        """,
        _tenant,
    ),
    Query(
        "staff_list",
        "staff with their names (users join)",
        """
        select m.id, m.role, u.name, u.email
        from app.memberships as m join app.users as u on u.id = m.user_id
        where m.deleted_at is null
        order by u.name, m.id
        """,
        """
        select m.id, m.role, u.name, u.email
        from app.memberships as m join app.users as u on u.id = m.user_id
        where m.restaurant_id = %(rid)s and m.deleted_at is null
        order by u.name, m.id
        """,
        _tenant,
    ),
    Query(
        "device",
        "one device by id",
        """
        select d.id, d.branch_id, d.name, d.last_seen_at, d.revoked_at from app.devices as d
        where d.id = %(device)s
        """,
        """
        select d.id, d.branch_id, d.name, d.last_seen_at, d.revoked_at from app.devices as d
        where d.restaurant_id = %(rid)s and d.id = %(device)s
        """,
        _device,
    ),
]

# --- connections ------------------------------------------------------------------------------

BEGIN_READ_ONLY = "begin read only"
COMMIT = "commit"
SET_ROLE_AND_CLAIMS = (
    "select set_config('role', %s, true), set_config('request.jwt.claims', %s, true)"
)
# The "claim settings" variant: the API also sets each claim the policies read as a setting
# of its own, so that reading one is a current_setting(), not a parse of the whole JSON.
PER_CLAIM = ("sub", "app_role", "restaurant_id", "branch_id", "branch_ids", "device_id")
SET_ROLE_AND_CLAIM_SETTINGS = SET_ROLE_AND_CLAIMS + "".join(
    f", set_config('request.jwt.claim.{name}', %s, true)" for name in PER_CLAIM
)


@dataclass
class Sides:
    """The two measured connections and a superuser one for bookkeeping."""

    rls: psycopg.Connection  # authenticator; role and claims set per transaction
    explicit: psycopg.Connection  # superuser, `set role <owner>` for the session
    admin: psycopg.Connection
    cpu: dict[str, BackendCpu]  # side -> its backend's CPU clock
    per_claim: bool = False  # also set request.jwt.claim.<name> (a variant)

    def set_claims(self, tenant: Tenant) -> None:
        """Sends (in a pipeline: does not wait) the statement that sets role and claims."""
        if self.per_claim:
            params = ("staff", tenant.claims, *tenant.claim_values)
            self.rls.execute(SET_ROLE_AND_CLAIM_SETTINGS, params)
        else:
            self.rls.execute(SET_ROLE_AND_CLAIMS, ("staff", tenant.claims))

    def begin_rls(self, tenant: Tenant) -> None:
        with self.rls.pipeline():
            self.rls.execute(BEGIN_READ_ONLY)
            self.set_claims(tenant)


def _session_options(settings: Settings) -> dict[str, Any]:
    # The API pool's session options, for both sides alike.
    return {
        "autocommit": True,
        "prepare_threshold": 0,  # every statement prepared from its first execution
        "application_name": "brigade-bench-rls",
        "options": f"-c statement_timeout={settings.statement_timeout_ms} -c TimeZone=UTC",
    }


@contextmanager
def connect(
    settings: Settings, admin_url: str, api_url: str, variant: Variant | None = None
) -> Iterator[Sides]:
    kwargs = _session_options(settings)
    with (
        psycopg.connect(api_url, **kwargs) as rls,
        psycopg.connect(admin_url, **kwargs) as explicit,
        psycopg.connect(admin_url, autocommit=True) as admin,
    ):
        explicit.execute(sql.SQL("set role {}").format(sql.Identifier(settings.owner_role)))
        bypass = explicit.execute(
            "select rolbypassrls from pg_roles where rolname = current_user"
        ).fetchone()
        if not (bypass and bypass[0]):
            raise SystemExit(f"{settings.owner_role} has no BYPASSRLS: the baseline would be RLS")
        cpu = {
            RLS: BackendCpu(rls.info.backend_pid),
            EXPLICIT: BackendCpu(explicit.info.backend_pid),
        }
        try:
            yield Sides(rls, explicit, admin, cpu, per_claim=bool(variant and variant.per_claim))
        finally:
            for clock in cpu.values():
                clock.close()


# --- timing ---------------------------------------------------------------------------------


class BackendCpu:
    """CPU time used so far by one local backend, in ns (Linux /proc/<pid>/schedstat: exact,
    and unlike wall-clock time hardly disturbed by other jobs on a shared machine). Read
    while the backend waits for the next statement, it counts all the server does for one:
    protocol, plan cache check, executor start-up and shut-down, execution, sending."""

    def __init__(self, pid: int) -> None:
        self.fd: int | None = None
        try:
            with open(f"/proc/{pid}/comm", encoding="utf-8") as f:
                if f.read().startswith("postgres"):  # not some other process of that pid
                    self.fd = os.open(f"/proc/{pid}/schedstat", os.O_RDONLY)
        except OSError:
            pass  # the server is on another machine

    def ns(self) -> int:
        return int(os.pread(self.fd, 128, 0).split()[0]) if self.fd is not None else 0

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


@dataclass
class Side:
    latencies_ms: list[float] = field(default_factory=list)
    cpu_ns: int = 0  # the backend's CPU over the recorded executions
    cpu_known: bool = False

    @property
    def cpu_us(self) -> float:
        """Mean server CPU per execution, in microseconds."""
        if not (self.cpu_known and self.latencies_ms):
            return float("nan")
        return self.cpu_ns / len(self.latencies_ms) / 1000

    def p(self, q: float) -> float:
        return percentile(sorted(self.latencies_ms), q)

    @property
    def qps(self) -> float:
        total = sum(self.latencies_ms)
        return 1000 * len(self.latencies_ms) / total if total else 0.0


@dataclass
class Result:
    query: Query
    mode: str  # statement | request
    variant: str
    rls: Side
    explicit: Side

    def ratio(self, q: float) -> float:
        return self.rls.p(q) / self.explicit.p(q)

    @property
    def cpu_ratio(self) -> float:
        return self.rls.cpu_us / self.explicit.cpu_us


def run_once(
    sides: Sides, query: Query, side: str, mode: str, tenant: Tenant, args: dict
) -> tuple[float, int]:
    """One timed execution: (milliseconds seen by the client, rows fetched; server CPU ns).
    In `statement` mode the untimed set-up (begin, role and claims) and commit are outside
    both figures."""
    text = query.text(side)
    cpu = sides.cpu[side]
    conn = sides.rls if side == RLS else sides.explicit
    if mode == "statement":
        if side == RLS:
            sides.begin_rls(tenant)
        else:
            conn.execute(BEGIN_READ_ONLY)
        cpu_before = cpu.ns()
        started = time.perf_counter_ns()
        conn.execute(text, args).fetchall()
        elapsed = time.perf_counter_ns() - started
        cpu_used = cpu.ns() - cpu_before
        conn.execute(COMMIT)
        return elapsed / 1e6, cpu_used
    cpu_before = cpu.ns()
    started = time.perf_counter_ns()
    with conn.pipeline():
        conn.execute(BEGIN_READ_ONLY)
        if side == RLS:
            sides.set_claims(tenant)
        cur = conn.execute(text, args)
        conn.execute(COMMIT)
    cur.fetchall()
    elapsed = time.perf_counter_ns() - started
    return elapsed / 1e6, cpu.ns() - cpu_before


def measure(
    sides: Sides,
    query: Query,
    mode: str,
    tenants: list[Tenant],
    rng: random.Random,
    *,
    seconds: float,
    warmup: float,
    variant: str = "as migrated",
) -> Result:
    """Both sides interleaved for `seconds` (after `warmup`), a random tenant each time."""
    result = Result(query, mode, variant, Side(), Side())
    for recording, length in ((False, warmup), (True, seconds)):
        deadline = time.perf_counter() + length
        i = 0
        while time.perf_counter() < deadline or i < 10:
            tenant = rng.choice(tenants)
            args = query.args(tenant, rng)
            order = (RLS, EXPLICIT) if i % 2 == 0 else (EXPLICIT, RLS)
            for side in order:
                ms, cpu_ns = run_once(sides, query, side, mode, tenant, args)
                if recording:
                    measured = result.rls if side == RLS else result.explicit
                    measured.latencies_ms.append(ms)
                    measured.cpu_ns += cpu_ns
            i += 1
    result.rls.cpu_known = sides.cpu[RLS].fd is not None
    result.explicit.cpu_known = sides.cpu[EXPLICIT].fd is not None
    return result


# --- checks ---------------------------------------------------------------------------------


def same_rows(sides: Sides, tenants: list[Tenant], rng: random.Random, samples: int) -> list[str]:
    """Both sides return the same non-empty rows for `samples` tenants; RLS hides other
    tenants' rows even when asked for them by id. Returns the problems found."""
    problems = []
    for tenant in rng.sample(tenants, min(samples, len(tenants))):
        for q in QUERIES:
            args = q.args(tenant, rng)
            sides.begin_rls(tenant)
            got = sides.rls.execute(q.text(RLS), args).fetchall()
            sides.rls.execute(COMMIT)
            want = sides.explicit.execute(q.text(EXPLICIT), args).fetchall()
            if got != want or not want:
                problems.append(
                    f"{q.key} for {tenant.restaurant_id}: rls {len(got)} rows, "
                    f"explicit {len(want)} rows{'' if got == want else ', not the same'}"
                )
    other = next(t for t in tenants if t.restaurant_id != tenants[0].restaurant_id)
    device = next(q for q in QUERIES if q.key == "device")
    sides.begin_rls(tenants[0])
    leaked = sides.rls.execute(device.text(RLS), {"device": other.devices[0]}).fetchall()
    sides.rls.execute(COMMIT)
    if leaked:
        problems.append("RLS returned another tenant's device")
    return problems


def _plan_nodes(node: dict, parent: str = "") -> Iterator[tuple[dict, str]]:
    yield node, parent
    for child in node.get("Plans", []):
        yield from _plan_nodes(child, child.get("Parent Relationship", ""))


def explain(sides: Sides, query: Query, tenant: Tenant, args: dict, *, fmt: str) -> Any:
    options = "analyze, costs off, timing off, summary off"
    if fmt == "json":
        options += ", verbose, format json"
    sides.begin_rls(tenant)
    # Parameters bound client-side: EXPLAIN of the query as the planner sees it for them.
    with sides.rls.cursor(binary=False) as cur:
        literal = psycopg.ClientCursor(sides.rls).mogrify(query.text(RLS), args)
        cur.execute(f"explain ({options}) {literal}")
        rows = cur.fetchall()
    sides.rls.execute(COMMIT)
    if fmt == "json":
        return rows[0][0][0]["Plan"]
    return "\n".join(r[0] for r in rows)


def plan_problems(plan: dict) -> list[str]:
    """No sequential scan; claims read only in InitPlans (never per row), each run once."""
    problems = []
    for node, parent in _plan_nodes(plan):
        if node["Node Type"] == "Seq Scan":
            problems.append(f"sequential scan on {node.get('Relation Name')}")
        if parent == "InitPlan" and node.get("Actual Loops", 0) > 1:
            problems.append(f"an InitPlan ran {node['Actual Loops']} times")
        if parent == "InitPlan":
            continue
        for key in ("Filter", "Index Cond", "Recheck Cond", "Join Filter", "One-Time Filter"):
            text = str(node.get(key, ""))
            if "auth." in text or "current_setting" in text:  # a claim read per row
                problems.append(f"{node['Node Type']} reads a claim per row: {text}")
    return problems


def initplans(plan: dict) -> list[str]:
    """`ran <loops>x: <output>` of each InitPlan (from a VERBOSE JSON plan)."""
    found = []
    for node, parent in _plan_nodes(plan):
        if parent == "InitPlan":
            found.append(f"ran {node.get('Actual Loops', 0)}x: {', '.join(node.get('Output', []))}")
    return found


# --- variants of the claim helpers, tried in the benchmark's own database --------------------

# As migrated, the helpers are `language sql` with `set search_path = ''`. A function with a
# SET clause is never inlined, so each helper a policy reads runs as a real SQL-function call
# that parses and plans its body again in every statement, plus the GUC save/restore of its
# SET clause; auth.branch_scope() calls auth.branch_id() and auth.claims() several times
# over, each one such a call again. The first variant makes every helper inlinable:
# SQL-standard bodies (BEGIN ATOMIC: parsed once, at CREATE, so the caller's search_path
# cannot change what they mean) without a SET clause, and branch_scope() without a
# sub-select. The policies are not touched; their InitPlans then compute plain expressions.
# Each variant applies on top of the previous one.


@dataclass(frozen=True)
class Variant:
    label: str
    summary: str
    helpers: dict[str, tuple[str, str]]  # name -> (returns, body); applied in this order
    per_claim: bool  # the RLS side also sets request.jwt.claim.<name>
    modes: tuple[str, ...]


def _claim_from_json(name: str, cast: str = "") -> tuple[str, str]:
    return ("uuid" if cast else "text", f"select nullif(auth.claims() ->> '{name}', ''){cast}")


def _claim_from_setting(name: str, cast: str = "") -> tuple[str, str]:
    setting = f"request.jwt.claim.{name}"
    body = f"select nullif(pg_catalog.current_setting('{setting}', true), ''){cast}"
    return ("uuid" if cast else "text", body)


VARIANTS = [
    Variant(
        "inlinable helpers",
        "the auth.* helpers as BEGIN ATOMIC without SET: inlined, still one JSON claims setting",
        {
            "claims": (
                "jsonb",
                "select coalesce(nullif(pg_catalog.current_setting('request.jwt.claims', true),"
                " '')::jsonb, '{}'::jsonb)",
            ),
            "restaurant_id": _claim_from_json("restaurant_id", "::uuid"),
            "app_role": _claim_from_json("app_role"),
            "user_id": _claim_from_json("sub", "::uuid"),
            "branch_id": _claim_from_json("branch_id", "::uuid"),
            "device_id": _claim_from_json("device_id", "::uuid"),
            "branch_scope": (
                "uuid[]",
                """select case
                    when auth.branch_id() is not null then array[auth.branch_id()]
                    when pg_catalog.jsonb_typeof(auth.claims() -> 'branch_ids') = 'array'
                        -- a JSON array of strings is an array literal once [] become {}
                        then pg_catalog.translate(
                            (auth.claims() -> 'branch_ids')::text, '[]', '{}'
                        )::uuid[]
                end""",
            ),
        },
        per_claim=False,
        modes=("statement",),
    ),
    # Each InitPlan of the variant above still parses the whole claims JSON (~3 us each,
    # 3-5 per statement). Here the API also sets every claim the policies read as a setting
    # of its own (request.jwt.claim.<name>, in the same set_config statement), so reading
    # one is a current_setting(): auth.claims() stays for everything else.
    Variant(
        "+ claim settings",
        "inlinable helpers reading request.jwt.claim.<name>, set by the API with the claims",
        {
            "restaurant_id": _claim_from_setting("restaurant_id", "::uuid"),
            "app_role": _claim_from_setting("app_role"),
            "user_id": _claim_from_setting("sub", "::uuid"),
            "branch_id": _claim_from_setting("branch_id", "::uuid"),
            "device_id": _claim_from_setting("device_id", "::uuid"),
            "branch_scope": (
                "uuid[]",
                """select case
                    when auth.branch_id() is not null then array[auth.branch_id()]
                    else nullif(
                        pg_catalog.current_setting('request.jwt.claim.branch_ids', true), ''
                    )::uuid[]
                end""",
            ),
        },
        per_claim=True,
        modes=("statement", "request"),
    ),
]


def apply_variant(admin_url: str, owner: str, variant: Variant) -> None:
    with psycopg.connect(admin_url) as conn, conn.transaction():
        conn.execute(sql.SQL("set local role {}").format(sql.Identifier(owner)))
        for name, (returns, body) in variant.helpers.items():
            conn.execute(
                f"create or replace function auth.{name}() returns {returns} "
                f"language sql stable begin atomic {body}; end"
            )


# --- output ---------------------------------------------------------------------------------


def print_results(results: list[Result]) -> None:
    header = [
        "query",
        "variant",
        "n",
        "rls p50",
        "expl p50",
        "rls p99",
        "expl p99",
        "rls q/s",
        "expl q/s",
        "p50 ratio",
        "p99 ratio",
        "cpu us rls",
        "cpu us expl",
        "cpu ratio",
        "goal",
    ]
    rows = [header]
    for r in results:
        rows.append(
            [
                r.query.title,
                r.variant,
                str(len(r.rls.latencies_ms)),
                f"{r.rls.p(50):.3f}",
                f"{r.explicit.p(50):.3f}",
                f"{r.rls.p(99):.3f}",
                f"{r.explicit.p(99):.3f}",
                f"{r.rls.qps:,.0f}",
                f"{r.explicit.qps:,.0f}",
                f"{r.ratio(50):.3f}",
                f"{r.ratio(99):.3f}",
                f"{r.rls.cpu_us:.1f}",
                f"{r.explicit.cpu_us:.1f}",
                f"{r.cpu_ratio:.3f}",
                "ok" if r.ratio(50) <= GOAL else "MISSED",
            ]
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    for n, row in enumerate(rows):
        text = [v.rjust(w) for v, w in zip(row, widths, strict=True)]
        text[0], text[1] = row[0].ljust(widths[0]), row[1].ljust(widths[1])
        print("  ".join(text))
        if n == 0:
            print("  ".join("-" * w for w in widths))


# --- the run ----------------------------------------------------------------------------------


def _claims(settings: Settings, tenant_id: uuid.UUID, owner_id: uuid.UUID) -> dict[str, Any]:
    claims = {
        "sub": str(owner_id),
        "role": "staff",
        "app_role": "owner",
        "restaurant_id": str(tenant_id),
    }
    if settings.jwt_secret:  # exactly what the API derives from a real token
        claims = auth.verify(settings, auth.mint(settings, claims, 3600))
    return claims


def _claim_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):  # branch_ids: an array literal
        return "{" + ",".join(str(v) for v in value) + "}"
    return str(value)


def tenant(settings: Settings, row: tuple) -> Tenant:
    rid, owner, branches, devices = row
    claims = _claims(settings, rid, owner)
    return Tenant(
        rid,
        owner,
        branches,
        devices,
        json.dumps(claims, separators=(",", ":")),
        tuple(_claim_value(claims.get(name)) for name in PER_CLAIM),
    )


def load(admin_url: str, restaurants: int) -> tuple[float, dict[str, int]]:
    started = time.perf_counter()
    with psycopg.connect(admin_url) as conn, conn.transaction():
        conn.execute("set local session_replication_role = replica")
        for step in LOAD_STEPS:
            conn.execute(step, {"n": restaurants} if "%(n)s" in step else None)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute("analyze")
        counts = dict(
            conn.execute(
                "select relname, n_live_tup from pg_stat_user_tables "
                "where schemaname = 'app' and n_live_tup > 0 order by relname"
            ).fetchall()
        )
    return time.perf_counter() - started, counts


def run() -> int:
    settings = Settings.load()
    seconds = env_float("BENCH_SECONDS", 3.0)
    warmup = env_float("BENCH_WARMUP_SECONDS", 0.5)
    restaurants = int(env_float("BENCH_RLS_RESTAURANTS", 1000))
    seed = int(env_float("BENCH_RLS_SEED", 1))
    try_variants = env_float("BENCH_RLS_VARIANTS", 1) != 0
    rng = random.Random(seed)

    with psycopg.connect(settings.database_url, autocommit=True) as conn:
        row = conn.execute("select rolsuper from pg_roles where rolname = current_user").fetchone()
        if not (row and row[0]):
            print("DATABASE_URL must name a superuser: run it with `make bench`", file=sys.stderr)
            return 2
    name = f"brigade_bench_rls_{os.getpid()}"
    admin_url = make_conninfo(settings.database_url, dbname=name)
    api_url = make_conninfo(settings.api_url, dbname=name)
    maintenance = make_conninfo(settings.database_url, dbname="postgres")
    try:
        db_settings = Settings.load({**os.environ, "DATABASE_URL": admin_url})
        started = time.perf_counter()
        bootstrap(db_settings)
        with psycopg.connect(admin_url) as conn:
            migrate(conn, sql_dir(db_settings), db_settings.owner_role)
        print(
            f"database {name}: bootstrapped and migrated in {time.perf_counter() - started:.1f} s"
        )
        took, counts = load(admin_url, restaurants)
        print(
            f"loaded {restaurants:,} restaurants in {took:.1f} s (set-based, then ANALYZE): "
            + ", ".join(f"{k} {v:,}" for k, v in counts.items())
        )
        return measure_all(settings, admin_url, api_url, rng, seconds, warmup, try_variants)
    finally:
        with psycopg.connect(maintenance, autocommit=True) as conn:
            conn.execute(
                sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name))
            )


def check(sides: Sides, tenants: list[Tenant], rng: random.Random, label: str) -> bool:
    """The rows and the plans are right; prints what it checked; False if anything is off."""
    problems = same_rows(sides, tenants, rng, samples=25)
    if problems:
        print(f"[{label}] the two sides disagree, nothing to compare:", *problems, sep="\n  ")
        return False
    print(
        f"[{label}] checked: both sides return the same rows for 25 random tenants x "
        f"{len(QUERIES)} queries; RLS hides another tenant's device asked for by id"
    )
    plans_ok = True
    for q in QUERIES:
        tenant = rng.choice(tenants)
        plan = explain(sides, q, tenant, q.args(tenant, rng), fmt="json")
        for problem in plan_problems(plan):
            print(f"[{label}] PLAN PROBLEM in {q.key}: {problem}")
            plans_ok = False
    if plans_ok:
        print(
            f"[{label}] checked: in every RLS plan the claims are read only in InitPlans, "
            "each run at most once per statement, and no table is read sequentially"
        )
    return plans_ok


def _short(text: str, width: int = 70) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


def measure_all(
    settings: Settings,
    admin_url: str,
    api_url: str,
    rng: random.Random,
    seconds: float,
    warmup: float,
    try_variants: bool,
) -> int:
    kwargs = {"seconds": seconds, "warmup": warmup}
    results: dict[str, list[Result]] = {"statement": [], "request": []}
    with connect(settings, admin_url, api_url) as sides:
        tenants = [tenant(settings, row) for row in sides.admin.execute(TENANTS_SQL).fetchall()]
        ok = check(sides, tenants, rng, "as migrated")
        print(
            f"timing: {seconds:g} s per query and measurement after {warmup:g} s of warm-up, "
            "both sides interleaved, a random tenant per iteration; server CPU "
            f"{'from /proc' if sides.cpu[RLS].fd is not None else 'unknown (remote server)'}; "
            f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
        )
        for mode, found in results.items():
            found += [measure(sides, q, mode, tenants, rng, **kwargs) for q in QUERIES]
        sample = QUERIES[0]
        one = rng.choice(tenants)
        args = sample.args(one, rng)
        text_plan = explain(sides, sample, one, args, fmt="text")
        plans = {"as migrated": explain(sides, sample, one, args, fmt="json")}

    for variant in VARIANTS if try_variants else []:
        apply_variant(admin_url, settings.owner_role, variant)
        print(f"[{variant.label}] {variant.summary}")
        with connect(settings, admin_url, api_url, variant) as sides:
            ok = check(sides, tenants, rng, variant.label) and ok
            plans[variant.label] = explain(sides, sample, one, args, fmt="json")
            for mode in variant.modes:
                results[mode] += [
                    measure(sides, q, mode, tenants, rng, variant=variant.label, **kwargs)
                    for q in QUERIES
                ]

    print()
    print("statement: the query alone (role and claims already set in its transaction)")
    print_results(results["statement"])
    print()
    print("request: begin read only; [role + claims;] query; commit in one pipelined round trip")
    print_results(results["request"])
    print()
    print(
        "p50/p99 in ms measured by the client; q/s = 1 / mean latency of that side; ratio = "
        "rls / explicit (1.00 = same cost); cpu us = mean CPU time of the side's backend per "
        "execution (everything the server does for it, network excluded; robust to other "
        f"load on the machine); goal: statement p50 ratio <= {GOAL:.2f}"
    )
    print()
    print(f"EXPLAIN ANALYZE of the RLS query '{sample.title}' (one tenant, as migrated):")
    print(f"  {' '.join(sample.text(RLS).split()).replace('%(branch)s', '<branch id>')}")
    print("\n".join(f"    {line}" for line in text_plan.splitlines()))
    shown: list[str] = []
    for label, plan in plans.items():
        lines = initplans(plan)
        if lines != shown:
            print(f"  its InitPlans, {label} (EXPLAIN VERBOSE):")
            print("\n".join(f"    {_short(line, 110)}" for line in lines))
        shown = lines
    print()
    for label in dict.fromkeys(r.variant for r in results["statement"]):
        rows = [r for r in results["statement"] if r.variant == label]
        missed = [r.query.title for r in rows if r.ratio(50) > GOAL]
        within = f"within {GOAL - 1:.0%} of the hand-written filter (statement p50)"
        print(
            f"{label}: "
            + (f"missed the goal: {', '.join(missed)}" if missed else f"every query is {within}")
        )
    return 0 if ok else 1


def main() -> int:
    # `timeout` sends TERM: turn it into an exception so that the database is dropped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    return run()


if __name__ == "__main__":
    sys.exit(main())
