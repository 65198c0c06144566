"""The one place that turns a route into `select api.<fn>(...)`.

A request is one transaction sent in one network round trip (pipeline mode):
BEGIN, the role and claims (transaction-local), the call, COMMIT. The role and claims
are set by a statement before the call because RLS is applied when the call is planned.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import msgspec
import psycopg
from litestar import Response
from psycopg import sql
from psycopg.pq import TransactionStatus
from psycopg.types.json import Jsonb

from api.db.pool import Db

# The whitelist: every SQL function the HTTP layer may call. tests/sql/structure pins
# the same list with functions_are('api', ...), so the two cannot drift apart.
API_FUNCTIONS = frozenset(
    {
        "whoami",
        # auth and platform (routes/auth.py, routes/platform.py)
        "login",
        "refresh",
        "logout",
        "activate_device",
        "pin_login",
        "open_table_session",
        "create_activation_code",
        "onboard",
        "list_restaurants",
        # tenancy (routes/tenancy.py)
        "get_restaurant",
        "update_restaurant",
        "create_branch",
        "list_branches",
        "get_branch",
        "update_branch",
        "delete_branch",
        "restore_branch",
        "create_staff",
        "list_staff",
        "update_staff",
        "delete_staff",
        "create_device_code",
        "list_devices",
        "revoke_device",
        "create_station",
        "list_stations",
        "create_table",
        "list_tables",
        "open_table",
        "close_table_session",
        # catalog (routes/catalog.py)
        "menu",
        "menu_search",
        "create_category",
        "list_categories",
        "update_category",
        "delete_category",
        "create_item",
        "list_items",
        "get_item",
        "update_item",
        "delete_item",
        "restore_item",
        "create_modifier_group",
        "list_modifier_groups",
        "set_item_availability",
        "restore_category",
        "delete_modifier_group",
        "restore_modifier_group",
        # webhooks (routes/webhooks.py)
        "create_webhook",
        "list_webhooks",
        "delete_webhook",
        "test_webhook",
        "list_webhook_deliveries",
        # orders (routes/orders.py)
        "place_order",
        "get_order",
        "list_orders",
        "transition_order",
        "cancel_order",
        "add_order_items",
        "cancel_order_item",
        "order_queue_position",
        # kitchen and streams (routes/kitchen.py, routes/streams.py)
        "list_tickets",
        "start_ticket",
        "bump_ticket",
        "recall_ticket",
        "fire_ticket",
        "rush_ticket",
        "kds_stream",
        "order_stream",
        "stream_events",
    }
)

REQUEST_ROLES = {"platform": "platform", "staff": "staff", "customer": "customer"}

_BEGIN = sql.SQL("begin")
_BEGIN_READ_ONLY = sql.SQL("begin read only")
_COMMIT = sql.SQL("commit")
_SET_ROLE_AND_CLAIMS = sql.SQL(
    "select set_config('role', %s, true), set_config('request.jwt.claims', %s, true)"
)
# Per-restaurant rate limit by plan: before BEGIN, since a GET's transaction is read-only.
_TAKE_REQUEST_TOKEN = sql.SQL("select auth.take_request_token(%s)")
# Tenant tokens die with their membership, device or table session, checked per request.
_ASSERT_ACTIVE = sql.SQL("select auth.assert_active()")


def role_of(claims: dict[str, Any]) -> str:
    """Database role for verified claims; anything unknown is `anon`."""
    return REQUEST_ROLES.get(claims.get("role", ""), "anon")


@lru_cache(maxsize=512)
def _compose(fn: str, names: tuple[str, ...], row: bool) -> sql.Composed:
    # Keyed by the handler's function and argument names, never by client input: a route
    # composes its statement once, not per request.
    if fn not in API_FUNCTIONS:
        raise ValueError(f"api.{fn} is not in the rpc whitelist")
    arguments = sql.SQL(", ").join(
        sql.SQL("{} => {}").format(sql.Identifier(name), sql.Placeholder(name)) for name in names
    )
    template = "select * from {}({})" if row else "select {}({})::text"
    return sql.SQL(template).format(sql.Identifier("api", fn), arguments)


def _query(fn: str, args: dict[str, Any], *, row: bool = False) -> sql.Composed:
    return _compose(fn, tuple(args), row)


def _adapt(value: Any) -> Any:
    return Jsonb(value) if isinstance(value, dict | list) else value


async def call(db: Db, fn: str, **args: Any) -> str | None:
    """Call `api.<fn>` as the request's role with its claims; return the JSON text."""
    row = await _run(db, _query(fn, args), args)
    return None if row is None else row[0]


async def call_row(db: Db, fn: str, **args: Any) -> tuple[Any, ...] | None:
    """Call a table-returning `api.<fn>`; return its first row's columns as stored."""
    return await _run(db, _query(fn, args, row=True), args)


async def _run(db: Db, query: sql.Composed, args: dict[str, Any]) -> tuple[Any, ...] | None:
    conn = db.conn
    claims = msgspec.json.encode(db.claims).decode()
    try:
        async with conn.pipeline() as pipeline:
            if restaurant_id := db.claims.get("restaurant_id"):
                await conn.execute(_TAKE_REQUEST_TOKEN, (restaurant_id,))
                # A Sync ends the token's implicit transaction here: without it the token
                # would commit with the request, and the restaurant's bucket row would stay
                # locked until then, so its requests would run one at a time.
                await pipeline.sync()
            await conn.execute(_BEGIN_READ_ONLY if db.readonly else _BEGIN)
            await conn.execute(_SET_ROLE_AND_CLAIMS, (role_of(db.claims), claims))
            if restaurant_id:
                await conn.execute(_ASSERT_ACTIVE)
            cur = await conn.execute(query, {k: _adapt(v) for k, v in args.items()})
            await conn.execute(_COMMIT)
        row = await cur.fetchone()
    except psycopg.Error:
        if not conn.closed and conn.info.transaction_status != TransactionStatus.IDLE:
            await conn.rollback()
        raise
    return row


async def call_json(db: Db, fn: str, **args: Any) -> Any:
    """`call`, decoded: for the few handlers that need a value (to mint a token, say)."""
    text = await call(db, fn, **args)
    return None if text is None else msgspec.json.decode(text)


def fields(struct: msgspec.Struct) -> dict[str, Any]:
    """The fields a client actually sent (UNSET ones left out), for PATCH-style calls."""
    # to_builtins leaves UNSET fields out and turns UUIDs (in lists too) into strings.
    return msgspec.to_builtins(struct)


def json_response(
    text: str | None, status_code: int = 200, headers: dict[str, str] | None = None
) -> Response:
    """The function's JSON as the body, bytes untouched (no decode and re-encode)."""
    return Response(
        content=(text or "null").encode(),
        media_type="application/json",
        status_code=status_code,
        headers=headers,
    )
