"""The read path of the menu (issue 4): one branch's whole menu, measured side by side in one run

  healthz          GET /healthz: the HTTP ceiling of this server (no database, tiny body);
  cached (http)    GET /v1/branches/{bid}/menu with the document in app_private.menu_cache:
                   what a guest's phone gets almost every time;
  304 (http)       the same GET with the current ETag in If-None-Match: the same database
                   work, but neither PostgreSQL nor the API sends the document (the
                   difference with the row above is what moving the document costs);
  cached (sql)     the same call without HTTP: api.rpc.call_row(db, "menu", ...) on a
                   connection opened like the API pool's (authenticator, role anon): what
                   the database and psycopg cost per cached request;
  build (sql)      select app_private.menu_document(bid, 'en')::text as the superuser: the
                   one-query build alone, no cache, no HTTP;
  build (http)     GET /menu on a cache miss: each client owns a branch of the same
                   restaurant and marks that branch's cache row stale (one UPDATE, its own
                   psycopg connection, autocommit) before every GET, so every measured GET
                   rebuilds the document (checked: the document's version grows every time);
                   the UPDATE's round trip (~0.1 ms) is inside the measured time;
  naive (python)   the same document built the way an ORM would: one query for the branch,
                   one for the categories, one per category for its items, one per item for
                   its modifier groups and options (1 + 1 + 15 + 150 queries), assembled and
                   encoded in Python (msgspec) as the superuser;

at each concurrency of BENCH_MENU_CLIENTS (default 1,32) for BENCH_SECONDS each (default 5)
after BENCH_WARMUP_SECONDS (default 1) of warm-up. The menu is loaded with set-based SQL as
the superuser into the benchmark's own database (one restaurant; one branch, plus one branch
per concurrent client for the miss path; 15 categories, 150 items, 20 modifier groups with
3-6 options, 0-3 groups per item, Arabic on half of the items, 6 items 86'd) and removed at
the end.

Before timing: the cached GET's body must be byte-for-byte the stored document and its ETag
the stored one; the naive build, the SQL build and a miss over HTTP must give the same
document (version and branch_id aside). During the cells every answer is checked (cached:
the exact stored bytes; builds: the document's length or item count); any error exits 1.
Afterwards: the goals of the issue (cached p99 < 5 ms at 32 clients, within 2x of /healthz
throughput) and where the time of a cached request goes (its parts timed one client at a
time, taking turns in blocks).

`make bench` runs it against a throw-away cluster and server; see bench/README.md.
Environment: DATABASE_URL (a superuser) and the BRIGADE_* secrets, BENCH_BASE_URL,
BENCH_SERVER_PID (optional), BENCH_SECONDS, BENCH_WARMUP_SECONDS, BENCH_MENU_CLIENTS.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import os
import platform
import re
import signal
import sys
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import msgspec
import psycopg

from api import rpc
from api.db.pool import Db, make_pool
from api.settings import Settings
from bench.common import (
    REQUEST_TIMEOUT,
    Cell,
    CpuGroup,
    HttpError,
    Request,
    cpu_groups,
    env_float,
    env_ints,
    percentile,
    postmaster_of,
    print_table,
    ratio,
    raw_http,
    run_cell,
    runtime,
    server_cpu_us_per_request,
)

HEALTHZ = "healthz (http)"
CACHED_HTTP = "menu cached (http)"
REVALIDATED = "menu 304 If-None-Match (http)"
CACHED_SQL = "menu cached: api.menu (sql)"
BUILD_SQL = "menu build: menu_document (sql)"
BUILD_HTTP = "menu build on miss (http)"
NAIVE = "menu naive N+1 (python)"

P99_GOAL_MS = 5.0  # issue 4: cached menu p99 under 5 ms at 32 clients
HEALTHZ_GOAL = 2.0  # issue 4: cached menu within 2x of /healthz throughput
GOAL_CLIENTS = 32

# --- the data -------------------------------------------------------------------------------

# One statement per step, run in one transaction as the superuser with
# session_replication_role = replica: no audit rows, no search or cache triggers and no
# foreign-key triggers while loading (the rows are consistent by construction, and the
# sanity checks below count them). Item n (0..149) is item k (0..9) of category c (0..14).
LOAD_STEPS: list[str] = [
    """
        insert into app.restaurants (id, name, slug, currency, timezone, locale)
        values (%(rid)s, 'Bench Grill House', %(slug)s, 'AED', 'Asia/Dubai', 'en')
    """,
    """
        create temp table bench_branches on commit drop as
        select k, app.uuid7() as id from generate_series(0, %(extra)s) as k
    """,
    """
        insert into app.branches (restaurant_id, id, name, address)
        select %(rid)s, id, case when k = 0 then 'Main street' else 'Rebuild ' || k end,
            k || ' Sheikh Zayed Road, Dubai'
        from bench_branches
    """,
    """
        create temp table bench_categories on commit drop as
        select c, app.uuid7() as id from generate_series(0, 14) as c
    """,
    """
        insert into app.categories (restaurant_id, id, name, position)
        select %(rid)s, id, (array[
            'Breakfast', 'Starters', 'Soups', 'Salads', 'Sandwiches', 'Burgers', 'Pizza',
            'Pasta', 'Grill', 'Seafood', 'Bowls', 'Sides', 'Desserts', 'Hot drinks',
            'Cold drinks'
        ])[c + 1], c
        from bench_categories
    """,
    """
        create temp table bench_items on commit drop as
        select c.c, k, c.c * 10 + k as n, c.id as category_id, app.uuid7() as id
        from bench_categories as c, generate_series(0, 9) as k
    """,
    """
        insert into app.items (
            restaurant_id, id, category_id, name, description, price, allergens, dietary,
            image_url, position, translations
        )
        select %(rid)s, i.id, i.category_id, w.adjective || ' ' || w.noun,
            format(
                '%%s %%s with %%s, %%s and a touch of %%s. Made to order; '
                'ask your server about portion sizes.',
                w.adjective, lower(w.noun),
                (array['roasted peppers', 'fresh herbs', 'garlic yoghurt', 'pickled onions',
                    'toasted seeds', 'lemon butter'])[1 + i.n %% 6],
                (array['crispy shallots', 'sumac', 'aged cheddar', 'chilli oil', 'tahini'])
                    [1 + i.n %% 5],
                (array['smoked salt', 'za''atar', 'black pepper', 'honey'])[1 + i.n %% 4]
            ),
            1500 + (i.n * 737) %% 6000,
            (array['{}', '{gluten}', '{milk,egg}', '{nuts}', '{gluten,milk,soy}'])
                [1 + i.n %% 5]::text[],
            (array['{vegetarian}', '{}', '{vegan,vegetarian}', '{}', '{halal}', '{gluten_free}'])
                [1 + i.n %% 6]::text[],
            'https://cdn.example.com/menu/' || i.id || '.jpg',
            i.k,
            case when i.n %% 2 = 0 then jsonb_build_object('ar', jsonb_build_object(
                'name', w.adjective_ar || ' ' || w.noun_ar,
                'description', w.noun_ar || ' ' || w.adjective_ar
                    || ' مع الأعشاب الطازجة والليمون، يحضّر عند الطلب.'
            )) else '{}' end
        from bench_items as i
        cross join lateral (
            select
                (array['Classic', 'Smoked', 'Spicy', 'Garden', 'Royal', 'Crispy', 'Golden',
                    'Charred', 'Lemon', 'House'])[i.k + 1] as adjective,
                (array['كلاسيك', 'مدخن', 'حار', 'الحديقة', 'ملكي', 'مقرمش', 'ذهبي',
                    'مشوي', 'بالليمون', 'البيت'])[i.k + 1] as adjective_ar,
                (array['Omelette', 'Mezze', 'Soup', 'Salad', 'Sandwich', 'Burger', 'Pizza',
                    'Pasta', 'Skewer', 'Fish', 'Bowl', 'Fries', 'Cake', 'Coffee', 'Lemonade'])
                    [i.c + 1] as noun,
                (array['عجة', 'مقبلات', 'شوربة', 'سلطة', 'ساندويتش', 'برغر', 'بيتزا',
                    'باستا', 'سيخ', 'سمك', 'وعاء', 'بطاطا', 'كعكة', 'قهوة', 'ليموناضة'])
                    [i.c + 1] as noun_ar
        ) as w
    """,
    """
        create temp table bench_groups on commit drop as
        select g, app.uuid7() as id from generate_series(0, 19) as g
    """,
    """
        insert into app.modifier_groups (restaurant_id, id, name, min_select, max_select)
        select %(rid)s, id, (array[
            'Size', 'Bread', 'Sauce', 'Extra toppings', 'Cooking', 'Side', 'Drink size',
            'Milk', 'Sweetener', 'Spice level', 'Cheese', 'Dressing', 'Add protein',
            'Pasta shape', 'Crust', 'Ice', 'Syrup', 'Temperature', 'Portion', 'Garnish'
        ])[g + 1], case when g %% 3 = 0 then 1 else 0 end, 1 + g %% 3
        from bench_groups
    """,
    # 3-6 options per group (90 in all); one of them is unavailable (left out of the menu).
    """
        insert into app.modifier_options
            (restaurant_id, group_id, name, price_delta, position, available)
        select %(rid)s, g.id, (array[
            'Small', 'Regular', 'Large', 'Sourdough', 'Brioche', 'Pita', 'Garlic mayo',
            'Harissa', 'Barbecue', 'Jalapenos', 'Mushrooms', 'Olives', 'Rare', 'Medium',
            'Well done', 'Oat milk', 'Almond milk', 'Whole milk', 'Mild', 'Hot', 'Halloumi',
            'Feta', 'Chicken', 'Prawns'
        ])[1 + (g.g * 5 + o) %% 24], case when o = 0 then 0 else o * 250 end, o,
            not (g.g = 5 and o = 2)
        from bench_groups as g, generate_series(0, 2 + g.g %% 4) as o
    """,
    # Item n offers n % 4 groups (0..3, 225 links in all), in a stable order.
    """
        insert into app.item_modifier_groups (restaurant_id, item_id, group_id, position)
        select %(rid)s, i.id, g.id, j
        from bench_items as i
        cross join generate_series(0, 2) as j
        inner join bench_groups as g on g.g = (i.n * 7 + j * 3) %% 20
        where j < i.n %% 4
    """,
    # 6 items sold out (86) at every branch: they stay on the menu with available false.
    """
        insert into app.branch_item_availability (restaurant_id, branch_id, item_id, available)
        select %(rid)s, b.id, i.id, false
        from bench_branches as b, bench_items as i
        where i.n %% 25 = 3
    """,
]

COUNTS_SQL = """
select
    (select count(*) from app.categories where restaurant_id = %(rid)s),
    (select count(*) from app.items where restaurant_id = %(rid)s),
    (select count(*) from app.items where restaurant_id = %(rid)s and translations ? 'ar'),
    (select count(*) from app.modifier_groups where restaurant_id = %(rid)s),
    (select count(*) from app.modifier_options where restaurant_id = %(rid)s),
    (select count(*) from app.item_modifier_groups where restaurant_id = %(rid)s),
    (select count(*) from app.branch_item_availability
        where restaurant_id = %(rid)s and branch_id = %(bid)s),
    (select count(*) from app.item_modifier_groups as img
        inner join app.modifier_options as o
            on o.restaurant_id = img.restaurant_id and o.group_id = img.group_id and o.available
        where img.restaurant_id = %(rid)s)
"""

# Removes everything the load wrote (and the cache rows the run built). Triggers off again:
# nothing to audit about a benchmark's rows, and the order below respects the keys anyway.
UNLOAD_STEPS: list[str] = [
    "delete from app_private.menu_cache where restaurant_id = %(rid)s",
    "delete from app.branch_item_availability where restaurant_id = %(rid)s",
    "delete from app.item_modifier_groups where restaurant_id = %(rid)s",
    "delete from app.modifier_options where restaurant_id = %(rid)s",
    "delete from app.items where restaurant_id = %(rid)s",
    "delete from app.modifier_groups where restaurant_id = %(rid)s",
    "delete from app.categories where restaurant_id = %(rid)s",
    "delete from app.branches where restaurant_id = %(rid)s",
    "delete from app.restaurants where id = %(rid)s",
]


@dataclass(frozen=True)
class Menu:
    restaurant_id: uuid.UUID
    branch_id: uuid.UUID  # the cached path's branch
    rebuild_branches: list[uuid.UUID]  # one per concurrent client of the miss path
    counts: dict[str, int]
    load_seconds: float


def load(admin_url: str, extra_branches: int) -> Menu:
    started = time.perf_counter()
    rid = uuid.uuid4()
    params = {"rid": rid, "slug": f"bench-menu-{os.getpid()}", "extra": extra_branches}
    with psycopg.connect(admin_url) as conn:
        with conn.transaction():
            conn.execute("set local session_replication_role = replica")
            for step in LOAD_STEPS:
                conn.execute(step, params)
            branches = [r[0] for r in conn.execute("select id from bench_branches order by k")]
        conn.autocommit = True
        for table in (
            "categories",
            "items",
            "modifier_groups",
            "modifier_options",
            "item_modifier_groups",
            "branch_item_availability",
            "branches",
        ):
            conn.execute(f"analyze app.{table}")
        row = conn.execute(COUNTS_SQL, {"rid": rid, "bid": branches[0]}).fetchone()
    names = (
        "categories",
        "items",
        "items in Arabic",
        "groups",
        "options",
        "links",
        "86'd",
        "options on items",
    )
    return Menu(
        rid,
        branches[0],
        branches[1:],
        dict(zip(names, row or (), strict=True)),
        time.perf_counter() - started,
    )


def unload(admin_url: str, rid: uuid.UUID) -> None:
    with psycopg.connect(admin_url) as conn, conn.transaction():
        conn.execute("set local session_replication_role = replica")
        for step in UNLOAD_STEPS:
            conn.execute(step, {"rid": rid})


# --- the naive build: 1 + 1 + categories + items queries ------------------------------------

NAIVE_BRANCH = """
select b.restaurant_id, b.id, r.currency,
    (now() at time zone coalesce(b.timezone, r.timezone))::time
from app.branches as b
inner join app.restaurants as r on b.restaurant_id = r.id
where b.id = %(bid)s and b.deleted_at is null
"""
NAIVE_CATEGORIES = """
select c.id, coalesce(c.translations -> %(lang)s ->> 'name', c.name), c.position
from app.categories as c
where c.restaurant_id = %(rid)s and c.visible and c.deleted_at is null
order by c.position, c.id
"""
NAIVE_ITEMS = """
select i.id,
    coalesce(i.translations -> %(lang)s ->> 'name', i.name),
    coalesce(i.translations -> %(lang)s ->> 'description', i.description),
    i.price, i.image_url,
    coalesce(a.available, true) and (
        i.available_from is null
        or case
            when i.available_from <= i.available_until
                then %(local)s::time >= i.available_from and %(local)s::time < i.available_until
            else %(local)s::time >= i.available_from or %(local)s::time < i.available_until
        end
    ),
    i.allergens, i.dietary
from app.items as i
left join app.branch_item_availability as a
    on a.restaurant_id = i.restaurant_id and a.branch_id = %(bid)s and a.item_id = i.id
where i.restaurant_id = %(rid)s and i.category_id = %(cid)s and i.deleted_at is null
order by i.position, i.id
"""
NAIVE_GROUPS = """
select g.id, coalesce(g.translations -> %(lang)s ->> 'name', g.name), g.min_select,
    g.max_select, o.id, coalesce(o.translations -> %(lang)s ->> 'name', o.name), o.price_delta
from app.item_modifier_groups as img
inner join app.modifier_groups as g
    on img.restaurant_id = g.restaurant_id and img.group_id = g.id
left join app.modifier_options as o
    on o.restaurant_id = g.restaurant_id and o.group_id = g.id and o.available
where img.restaurant_id = %(rid)s and img.item_id = %(iid)s and g.deleted_at is null
order by img.position, g.id, o.position, o.id
"""


async def naive_document(conn: psycopg.AsyncConnection, bid: uuid.UUID, lang: str) -> bytes:
    """The menu document of app_private.menu_document, one query per category and item."""
    cur = await conn.execute(NAIVE_BRANCH, {"bid": bid})
    branch = await cur.fetchone()
    if branch is None:
        raise LookupError(f"no branch {bid}")
    rid, _, currency, local = branch
    categories = []
    cur = await conn.execute(NAIVE_CATEGORIES, {"rid": rid, "lang": lang})
    for cid, cname, cposition in await cur.fetchall():
        items = []
        args = {"rid": rid, "bid": bid, "cid": cid, "lang": lang, "local": local}
        cur = await conn.execute(NAIVE_ITEMS, args)
        for (
            iid,
            name,
            description,
            price,
            image,
            available,
            allergens,
            dietary,
        ) in await cur.fetchall():
            groups: list[dict[str, Any]] = []
            cur = await conn.execute(NAIVE_GROUPS, {"rid": rid, "iid": iid, "lang": lang})
            for gid, gname, gmin, gmax, oid, oname, delta in await cur.fetchall():
                if not groups or groups[-1]["id"] != gid:
                    groups.append(
                        {
                            "id": gid,
                            "name": gname,
                            "min_select": gmin,
                            "max_select": gmax,
                            "options": [],
                        }
                    )
                if oid is not None:
                    groups[-1]["options"].append({"id": oid, "name": oname, "price_delta": delta})
            items.append(
                {
                    "id": iid,
                    "name": name,
                    "description": description,
                    "price": price,
                    "image_url": image,
                    "available": available,
                    "allergens": allergens,
                    "dietary": dietary,
                    "modifier_groups": groups,
                }
            )
        categories.append({"id": cid, "name": cname, "position": cposition, "items": items})
    return msgspec.json.encode(
        {
            "branch_id": bid,
            "currency": currency,
            "version": int(time.time() * 1000),
            "categories": categories,
        }
    )


# --- checks ----------------------------------------------------------------------------------

VERSION = re.compile(rb'"version":\s*(\d+)')


def version_of(body: bytes) -> int:
    """The document's version (jsonb puts the shortest keys first: it is near the start)."""
    found = VERSION.search(body, 0, 200)
    if not found:
        raise HttpError(f"no version near the start of the document: {body[:120]!r}")
    return int(found.group(1))


def comparable(document: bytes | str, branch_id: uuid.UUID | None = None) -> dict[str, Any]:
    """The decoded document without what legitimately differs between two builds."""
    doc = msgspec.json.decode(document)
    doc.pop("version", None)
    if branch_id is not None:
        if doc.get("branch_id") != str(branch_id):
            raise SystemExit(f"document of branch {doc.get('branch_id')}, expected {branch_id}")
        doc["branch_id"] = None
    return doc


def shape(doc: dict[str, Any]) -> dict[str, int]:
    items = [i for c in doc["categories"] for i in c["items"]]
    groups = [g for i in items for g in i["modifier_groups"]]
    return {
        "categories": len(doc["categories"]),
        "items": len(items),
        "unavailable items": sum(not i["available"] for i in items),
        "group links": len(groups),
        "options shown": sum(len(g["options"]) for g in groups),
    }


@dataclass(frozen=True)
class Stored:
    body: bytes  # the cached document, as stored (UTF-8)
    etag: str


async def sanity_check(admin_url: str, base_url: str, menu: Menu) -> tuple[Stored, int | None]:
    """Every path gives the same document; the cached GET sends the stored bytes untouched.
    Returns the stored document and the postmaster's pid (when PostgreSQL runs here)."""
    bid = menu.branch_id
    path = f"/v1/branches/{bid}/menu"
    async with httpx.AsyncClient(base_url=base_url, timeout=REQUEST_TIMEOUT) as client:
        first = await client.get(path)  # a miss: builds and stores the document
        if first.status_code != 200:
            raise SystemExit(f"GET {path} answered {first.status_code}: {first.text[:500]}")
        second = await client.get(path)  # a hit
        not_modified = await client.get(path, headers={"If-None-Match": second.headers["etag"]})
        miss = await client.get(f"/v1/branches/{menu.rebuild_branches[0]}/menu")
        arabic = await client.get(path, params={"lang": "ar"})
    async with await psycopg.AsyncConnection.connect(admin_url, autocommit=True) as conn:
        postmaster = postmaster_of(conn.info.backend_pid)
        query = (
            "select convert_to(document, 'UTF8'), etag, md5(document), stale "
            "from app_private.menu_cache where branch_id = %s and lang = %s"
        )
        cur = await conn.execute(query, (bid, "ar"))
        arabic_row = await cur.fetchone()
        cur = await conn.execute(query, (bid, "en"))
        row = await cur.fetchone()
        if row is None:
            raise SystemExit("the GET did not store the document in app_private.menu_cache")
        stored = Stored(bytes(row[0]), row[1])
        if row[3] or row[1] != f'"{row[2]}"':
            raise SystemExit(f"cache row stale={row[3]} or ETag {row[1]} is not md5 {row[2]}")
        cur = await conn.execute("select app_private.menu_document(%s, 'en')::text", (bid,))
        built = (await cur.fetchone())[0]  # type: ignore[index]
        naive = await naive_document(conn, bid, "en")

    problems = []
    if second.content != stored.body:
        problems.append(
            f"cached GET body ({len(second.content)} bytes) is not the stored document "
            f"({len(stored.body)} bytes)"
        )
    if second.headers.get("etag") != stored.etag:
        problems.append(f"ETag {second.headers.get('etag')} is not the stored {stored.etag}")
    if second.headers.get("content-type", "").split(";")[0] != "application/json":
        problems.append(f"content-type {second.headers.get('content-type')}")
    if not_modified.status_code != 304 or not_modified.content:
        problems.append(f"If-None-Match with the ETag answered {not_modified.status_code}")
    if (
        arabic_row is None
        or arabic.content != bytes(arabic_row[0])
        or arabic.headers.get("etag") != arabic_row[1]
        or "الطازجة".encode() not in arabic.content
    ):
        problems.append("GET ?lang=ar is not the stored Arabic document byte for byte")
    if first.content != stored.body:
        problems.append("the first GET (the miss) did not send what it stored")
    reference = comparable(stored.body)
    if comparable(built) != reference:
        problems.append("app_private.menu_document() differs from the cached document")
    if comparable(naive) != reference:
        problems.append("the naive N+1 build differs from the one-query document")
    if miss.status_code != 200 or comparable(miss.content, menu.rebuild_branches[0]) != {
        **reference,
        "branch_id": None,
    }:
        problems.append("a miss on another branch of the restaurant gives another menu")
    got = shape(reference)
    expected = {
        "categories": 15,
        "items": 150,
        "unavailable items": menu.counts["86'd"],
        "group links": menu.counts["links"],
        "options shown": menu.counts["options on items"],
    }
    if got != expected:
        problems.append(f"document shape {got}, expected {expected}")
    if problems:
        raise SystemExit("sanity check failed:\n  " + "\n  ".join(problems))
    print(
        f"checked: cached GET body == stored document byte for byte ({len(stored.body):,} "
        f"bytes, {len(stored.body.decode()):,} characters), ETag == stored ETag == md5, 304 "
        f"on If-None-Match; the same for ?lang=ar ({len(arabic.content):,} bytes of UTF-8, "
        f"{len(arabic.content.decode()):,} characters); "
        "menu_document(), the naive N+1 build and a miss over HTTP give the same document; "
        + ", ".join(f"{k} {v}" for k, v in got.items())
    )
    return stored, postmaster


# --- where the time of a cached request goes -----------------------------------------------

Part = Callable[[], Awaitable[Any]]


async def breakdown(
    admin_url: str, conninfo: str, conn_kwargs: dict, base_url: str, menu: Menu, stored: Stored
) -> list[tuple[str, float]]:
    """Median ms of each part of a cached GET, one client, nothing else of ours running.

    The parts take turns in blocks (`rounds` rounds; in each, every part runs `block` + 1
    times in a row and the first, cold one is not counted), so that other load on a shared
    machine falls on all of them alike while each is timed on its warm path."""
    bid, rid, rounds, block = menu.branch_id, menu.restaurant_id, 30, 10
    text = stored.body.decode()
    async with (
        await psycopg.AsyncConnection.connect(admin_url, autocommit=True) as admin,
        await psycopg.AsyncConnection.connect(conninfo, **conn_kwargs) as anon,
        raw_http(base_url) as client,
    ):
        db = Db(anon, {}, readonly=False)

        def sql_part(query: str) -> Part:
            async def part() -> None:
                await (await admin.execute(query, {"bid": bid, "rid": rid})).fetchone()

            return part

        def rpc_part(etag: str | None) -> Part:
            async def part() -> None:
                await rpc.call_row(db, "menu", branch_id=bid, lang=None, if_none_match=etag)

            return part

        def http_part(path: str) -> Part:
            async def part() -> None:
                await client.get(path)

            return part

        def py_part(fn: Callable[[], Any]) -> Part:
            async def part() -> None:
                fn()

            return part

        row = (
            "from app_private.menu_cache "
            "where restaurant_id = %(rid)s and branch_id = %(bid)s and lang = 'en'"
        )
        parts: list[tuple[str, Part]] = [
            ("sql: select 1 (a round trip)", sql_part("select 1")),
            (
                "sql: length(document) of the cache row (detoast, nothing sent)",
                sql_part(f"select length(document) {row}"),
            ),
            (
                "sql: document of the cache row (detoast, send, decode to str)",
                sql_part(f"select document {row}"),
            ),
            (
                "sql: api.menu(bid) as superuser, length only (the function)",
                sql_part("select length(document) from api.menu(%(bid)s)"),
            ),
            ("rpc.call_row(menu) as anon: the handler's request", rpc_part(None)),
            ("rpc.call_row(menu), matching ETag (no document)", rpc_part(stored.etag)),
            ("python: bytes.decode() of the document (psycopg)", py_part(stored.body.decode)),
            ("python: str.encode() of the document (the handler)", py_part(text.encode)),
            (
                "python: gzip level 6 of the document (once per rebuild, if stored)",
                py_part(lambda: gzip.compress(stored.body, 6)),
            ),
            ("http: GET /healthz", http_part("/healthz")),
            ("http: GET /menu, cached", http_part(f"/v1/branches/{bid}/menu")),
        ]
        samples: list[list[float]] = [[] for _ in parts]
        for _ in range(rounds):
            for (_, part), found in zip(parts, samples, strict=True):
                await part()
                for _ in range(block):
                    started = time.perf_counter()
                    await part()
                    found.append((time.perf_counter() - started) * 1000)
    return [
        (name, percentile(sorted(found), 50))
        for (name, _), found in zip(parts, samples, strict=True)
    ]


# --- the run ---------------------------------------------------------------------------------


def api_us_per_request(cell: Cell) -> float | None:
    """CPU microseconds of the API process per request: what bounds one process's throughput."""
    if "api" not in cell.cpu or not cell.requests:
        return None
    return cell.cpu["api"] * cell.seconds / cell.requests * 1e6


def cell_of(cells: list[Cell], path: str, clients: int) -> Cell:
    return next(c for c in cells if c.path == path and c.clients == clients)


async def measure(
    settings: Settings,
    base_url: str,
    menu: Menu,
    stored: Stored,
    groups: list[CpuGroup],
    concurrencies: list[int],
    seconds: float,
    warmup: float,
) -> list[Cell]:
    bid = menu.branch_id
    admin_url = settings.database_url
    pool = make_pool(settings)  # the API pool's connection string and session options
    conninfo, conn_kwargs = pool.conninfo, {**pool.kwargs, "application_name": "brigade-bench"}
    expected_chars = len(stored.body.decode())
    free_branches = list(menu.rebuild_branches)

    @contextlib.asynccontextmanager
    async def healthz() -> AsyncIterator[Request]:
        async with raw_http(base_url) as client:

            async def request() -> None:
                status, body = await client.get("/healthz")
                if status != 200:
                    raise HttpError(f"{status}: {body[:200]!r}")

            yield request

    @contextlib.asynccontextmanager
    async def cached_http() -> AsyncIterator[Request]:
        async with raw_http(base_url) as client:
            path = f"/v1/branches/{bid}/menu"

            async def request() -> None:
                status, body = await client.get(path)
                if status != 200 or body != stored.body:  # a memcmp: proves it was the cache
                    raise HttpError(f"{status}: not the stored document: {body[:200]!r}")

            yield request

    @contextlib.asynccontextmanager
    async def revalidated() -> AsyncIterator[Request]:
        async with raw_http(base_url, {"If-None-Match": stored.etag}) as client:
            path = f"/v1/branches/{bid}/menu"

            async def request() -> None:
                status, body = await client.get(path)
                if status != 304 or body:
                    raise HttpError(f"{status}: {body[:200]!r}")

            yield request

    @contextlib.asynccontextmanager
    async def cached_sql() -> AsyncIterator[Request]:
        async with await psycopg.AsyncConnection.connect(conninfo, **conn_kwargs) as conn:
            db = Db(conn, {}, readonly=False)  # what the handler gets: anon, a writing GET

            async def request() -> None:
                row = await rpc.call_row(db, "menu", branch_id=bid, lang=None, if_none_match=None)
                if row is None or row[1] is None or len(row[1]) != expected_chars:
                    raise RuntimeError("api.menu did not return the cached document")

            yield request

    @contextlib.asynccontextmanager
    async def build_sql() -> AsyncIterator[Request]:
        async with await psycopg.AsyncConnection.connect(admin_url, autocommit=True) as conn:

            async def request() -> None:
                cur = await conn.execute(
                    "select app_private.menu_document(%s, 'en')::text", (bid,), prepare=True
                )
                row = await cur.fetchone()
                if row is None or len(row[0]) != expected_chars:
                    raise RuntimeError("menu_document() returned another document")

            yield request

    @contextlib.asynccontextmanager
    async def build_http() -> AsyncIterator[Request]:
        own = free_branches.pop()  # nobody else reads or invalidates this branch
        try:
            async with (
                await psycopg.AsyncConnection.connect(admin_url, autocommit=True) as conn,
                raw_http(base_url) as client,
            ):
                path = f"/v1/branches/{own}/menu"
                last = 0

                async def request() -> None:
                    nonlocal last
                    # Stale in the database and a wake-up for the API's memory, as a catalog
                    # change sends; the timing includes waiting for the wake-up to land.
                    await conn.execute(
                        "with s as (update app_private.menu_cache set stale = true "
                        "where restaurant_id = %s and branch_id = %s returning 1) "
                        "select pg_notify('menu', %s::text)",
                        (menu.restaurant_id, own, menu.restaurant_id),
                        prepare=True,
                    )
                    for _ in range(200):
                        status, body = await client.get(path)
                        if status != 200 or len(body) != len(stored.body):
                            raise HttpError(f"{status}: {body[:200]!r}")
                        version = version_of(body)
                        if version > last:
                            break
                    else:
                        raise HttpError(f"served version {version} again: never rebuilt")
                    last = version

                yield request
        finally:
            free_branches.append(own)

    @contextlib.asynccontextmanager
    async def naive() -> AsyncIterator[Request]:
        async with await psycopg.AsyncConnection.connect(admin_url, autocommit=True) as conn:

            async def request() -> None:
                document = await naive_document(conn, bid, "en")
                if len(document) < len(stored.body) // 2:
                    raise RuntimeError("the naive build lost part of the menu")

            yield request

    paths = [
        (HEALTHZ, healthz),
        (CACHED_HTTP, cached_http),
        (REVALIDATED, revalidated),
        (CACHED_SQL, cached_sql),
        (BUILD_SQL, build_sql),
        (BUILD_HTTP, build_http),
        (NAIVE, naive),
    ]
    cells: list[Cell] = []
    for n in concurrencies:
        for path, factory in paths:
            cells.append(
                await run_cell(path, n, factory, seconds=seconds, warmup=warmup, cpu_groups=groups)
            )
    return cells


def report(cells: list[Cell], concurrencies: list[int]) -> None:
    def baseline(cell: Cell) -> Cell:
        return cell_of(cells, HEALTHZ, cell.clients)

    print("base/this: /healthz requests/s ÷ this row's requests/s at the same concurrency")
    print_table(cells, baseline)
    print()
    for n in concurrencies:
        cached = cell_of(cells, CACHED_HTTP, n)
        build = cell_of(cells, BUILD_SQL, n)
        parts = [
            f"cached/build(http) {ratio(cached, cell_of(cells, BUILD_HTTP, n)):.1f}x",
            f"cached/build(sql) {ratio(cached, build):.1f}x",
            f"cached/naive {ratio(cached, cell_of(cells, NAIVE, n)):.1f}x",
            f"cached/healthz {1 / ratio(cell_of(cells, HEALTHZ, n), cached):.2f}",
            f"build(sql)/naive {ratio(build, cell_of(cells, NAIVE, n)):.1f}x",
        ]
        print(f"{n:>3} client(s), throughput ratios: " + ", ".join(parts))
    for n in concurrencies:
        cached = cell_of(cells, CACHED_HTTP, n)
        unchanged = cell_of(cells, REVALIDATED, n)
        health = cell_of(cells, HEALTHZ, n)
        line = (
            f"{n:>3} client(s), per request: sending the document costs "
            f"{cached.p(50) - unchanged.p(50):+.2f} ms at p50 (cached - 304), the database "
            f"round trip and the route {unchanged.p(50) - health.p(50):+.2f} ms (304 - healthz)"
        )
        if len(cached.cpu) > 1:
            line += (
                f"; server CPU {server_cpu_us_per_request(cached):,.0f} us cached, "
                f"{server_cpu_us_per_request(unchanged):,.0f} us 304, "
                f"{server_cpu_us_per_request(health):,.0f} us healthz"
            )
        print(line)
    for n in concurrencies:
        found = {
            path: api_us_per_request(cell_of(cells, path, n))
            for path in (HEALTHZ, REVALIDATED, CACHED_HTTP)
        }
        per = {path: us for path, us in found.items() if us is not None}
        if len(per) < len(found):
            continue  # the API process is not visible from here
        print(
            f"{n:>3} client(s), API process CPU per request (one process saturates at 1/this): "
            + ", ".join(f"{path} {us:,.0f} us" for path, us in per.items())
            + f"; cached/healthz {per[CACHED_HTTP] / per[HEALTHZ]:.1f}x (other load on the "
            "machine disturbs this ratio much less than requests/s)"
        )
    if GOAL_CLIENTS in concurrencies:
        cached = cell_of(cells, CACHED_HTTP, GOAL_CLIENTS)
        health = cell_of(cells, HEALTHZ, GOAL_CLIENTS)
        p99_ok = cached.p(99) < P99_GOAL_MS
        ratio_ok = ratio(health, cached) <= HEALTHZ_GOAL
        print()
        print(
            f"goal, cached menu p99 < {P99_GOAL_MS:g} ms at {GOAL_CLIENTS} clients: "
            f"{cached.p(99):.2f} ms -> {'met' if p99_ok else 'MISSED'} "
            f"(/healthz itself: p99 {health.p(99):.2f} ms; {GOAL_CLIENTS} closed-loop clients "
            f"need {GOAL_CLIENTS / P99_GOAL_MS * 1000:,.0f} req/s to keep even the mean "
            f"under {P99_GOAL_MS:g} ms)"
        )
        print(
            f"goal, cached menu within {HEALTHZ_GOAL:g}x of /healthz throughput at "
            f"{GOAL_CLIENTS} clients: {ratio(health, cached):.2f}x -> "
            f"{'met' if ratio_ok else 'MISSED'}"
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
    concurrencies = env_ints("BENCH_MENU_CLIENTS", (1, GOAL_CLIENTS))
    admin_url = settings.database_url
    with psycopg.connect(admin_url, autocommit=True) as conn:
        row = conn.execute("select rolsuper from pg_roles where rolname = current_user").fetchone()
        if not (row and row[0]):
            print("DATABASE_URL must name a superuser: run it with `make bench`", file=sys.stderr)
            return 2

    menu = load(admin_url, max(concurrencies))
    try:
        print(
            f"loaded in {menu.load_seconds:.2f} s (set-based, then ANALYZE): one restaurant, "
            f"1 + {len(menu.rebuild_branches)} branches (the extra ones only for the miss path), "
            + ", ".join(f"{k} {v}" for k, v in menu.counts.items())
        )
        stored, postmaster = await sanity_check(admin_url, base_url, menu)
        groups = cpu_groups(postmaster, server_pid)
        cores, usable, loop_impl, http_impl = runtime()
        print(
            f"machine: {cores} cores ({usable} usable), {platform.machine()}; client, API and "
            "PostgreSQL share them: compare rows with each other, not with other machines"
        )
        print(
            f"server: brigade serve at {base_url} (uvicorn, 1 process, loop {loop_impl}, http "
            f"{http_impl}), pool {settings.pool_min_size}..{settings.pool_max_size} connections"
        )
        print(
            f"cells: {seconds:g} s each after {warmup:g} s of warm-up; clients {concurrencies}; "
            f"cpu columns: share of one core ({', '.join(g.name for g in groups)}); load "
            f"average {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
        )
        print()
        cells = await measure(
            settings, base_url, menu, stored, groups, concurrencies, seconds, warmup
        )
        report(cells, concurrencies)

        pool = make_pool(settings)
        conn_kwargs = {**pool.kwargs, "application_name": "brigade-bench"}
        print()
        print("where the time of a cached request goes (one client, parts taking turns, median):")
        parts = await breakdown(admin_url, pool.conninfo, conn_kwargs, base_url, menu, stored)
        width = max(len(name) for name, _ in parts)
        for name, ms in parts:
            print(f"  {name.ljust(width)}  {ms:7.3f} ms")

        failed = [c for c in cells if c.errors]
        for c in failed:
            print(f"\n{c.path} x{c.clients}: {len(c.errors)} error(s), first: {c.errors[0]}")
        return 1 if failed else 0
    finally:
        unload(admin_url, menu.restaurant_id)


def main() -> int:
    # `timeout` sends TERM: turn it into an exception so that the loaded rows are removed.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    return asyncio.run(run())


if __name__ == "__main__":
    sys.exit(main())
