"""Server-Sent Events (API.md, Kitchen): a branch's kitchen stream and an order's stream.

Opening a stream is an ordinary request: the database checks the claims and returns the
routing keys. The stream then subscribes to the process's EventHub, replays what the client
missed (Last-Event-ID) under its own claims, and goes live; ids already sent are skipped, so
the overlap of replay and live delivery sends nothing twice.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncGenerator
from typing import Annotated, Any
from uuid import UUID

import msgspec
import psycopg
from litestar import Request, get
from litestar.datastructures import State
from litestar.params import Parameter
from litestar.response import Stream
from psycopg_pool import PoolTimeout

from api import rpc
from api.db.pool import open_db
from api.errors import Problem, ProblemError
from api.events import Event, Subscriber

TAGS = ["kitchen"]
REPLAY_BATCH = 500
# A guest's queue position is recomputed at most this often, however busy the kitchen.
POSITION_EVERY = 1.0

LastEventId = Annotated[
    str | None, Parameter(header="Last-Event-ID", required=False, description="Replay after it.")
]
LastEventIdQuery = Annotated[
    str | None,
    Parameter(query="last_event_id", required=False, description="For clients without headers."),
]


def _after(header: str | None, query: str | None) -> int | None:
    raw = header if header not in (None, "") else query
    if raw in (None, ""):
        return None
    if not raw.isdigit() or len(raw) > 18:
        raise ProblemError(
            Problem(422, "validation_failed", "Last-Event-ID must be an event id (digits).")
        )
    return int(raw)


async def _open(state: State, request: Request, fn: str, **args: Any) -> tuple[dict, dict]:
    """The stream's verified claims and its routing keys, as the database allows them. No
    token: the stream functions are not granted to `anon`, so the answer is the 401 of every
    other route."""
    async with open_db(state, request, readonly=True) as db:
        info = await rpc.call_json(db, fn, **args)
    return db.claims, info


def _frame(
    *, event_id: int | None = None, event: str | None = None, data: str | None = None
) -> bytes:
    """One SSE message. `data` is JSON text, which has no line breaks."""
    lines = []
    if event_id is not None:
        lines.append(f"id: {event_id}")
    if event is not None:
        lines.append(f"event: {event}")
    if data is not None:
        lines.append(f"data: {data}")
    # CRLF, as Litestar's SSE wrote it: every client parser accepts it.
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


HEARTBEAT = b": keep-alive\r\n\r\n"


async def _events(
    state: State,
    request: Request,
    sub: Subscriber,
    *,
    claims: dict,
    after: int,
    floor: int,
    status: str | None = None,
) -> AsyncGenerator[bytes, None]:
    hub = state.events
    hub.subscribe(sub, floor)
    try:
        last = after
        async for chunk, replayed in _replay(state, request, sub, after):
            last = replayed
            yield chunk
        # Where the client stands, before any event: a drop before the first event can then
        # reconnect with a Last-Event-ID instead of reloading everything.
        yield _frame(event_id=last)
        position = None
        if sub.order_id is not None:
            if status is not None:  # a first connection: where the order stands now
                now = msgspec.json.encode({"order_id": sub.order_id, "status": status}).decode()
                yield _frame(event="order.status", data=now)
            position = await _queue_position(state, request, sub)
            yield _frame(event="queue.position", data=position)
        expires = claims.get("exp", time.time() + 3600)
        live = _live(state, request, sub, last=last, position=position, expires=expires)
        async for chunk in live:
            yield chunk
    finally:
        hub.unsubscribe(sub)


async def _live(
    state: State,
    request: Request,
    sub: Subscriber,
    *,
    last: int,
    position: str | None,
    expires: float,
) -> AsyncGenerator[bytes, None]:
    """Events as the hub hands them over, heartbeats, and a guest's queue position."""
    heartbeat = state.settings.sse_heartbeat_seconds
    next_comment = time.monotonic() + heartbeat
    position_at = time.monotonic()
    while True:
        # A client that fell too far behind is cut off; it replays on reconnect. A stream
        # ends with its token: the client reconnects with a fresh one.
        if sub.overflowed or time.time() >= expires:
            return
        due = next_comment
        if sub.branch_moved.is_set():  # at most one recompute per POSITION_EVERY
            due = min(due, position_at + POSITION_EVERY)
        try:
            async with asyncio.timeout(max(0.0, due - time.monotonic())):
                event = await sub.queue.get()
        except TimeoutError:
            event = None
        if event is not None:
            chunk, last = _drain(sub, event, last)
            if chunk:
                yield chunk
        if sub.branch_moved.is_set() and time.monotonic() >= position_at + POSITION_EVERY:
            position_at = time.monotonic()
            try:
                moved = await _queue_position(state, request, sub)
            except (psycopg.Error, PoolTimeout):
                sub.branch_moved.set()  # the database is away: ask again later
                continue
            if moved != position:
                position = moved
                yield _frame(event="queue.position", data=position)
        if time.monotonic() >= next_comment:
            if not await _still_allowed(state, request, sub, last):
                return
            yield HEARTBEAT  # a comment: EventSource dispatches nothing for it
            next_comment = time.monotonic() + heartbeat


async def _replay(
    state: State, request: Request, sub: Subscriber, after: int
) -> AsyncGenerator[tuple[bytes, int], None]:
    """What the client missed, read under its own claims in batches until caught up: each
    batch as one chunk, with the last id in it."""
    while True:
        async with open_db(state, request, readonly=True) as db:
            batch = await rpc.call_json(
                db,
                "stream_events",
                branch_id=sub.branch_id,
                after_id=after,
                station_id=sub.station_id,
                order_id=sub.order_id,
                lim=REPLAY_BATCH,
            )
        if batch:
            after = batch[-1]["id"]
            yield (
                b"".join(
                    _frame(
                        event_id=e["id"],
                        event=e["type"],
                        data=msgspec.json.encode(e["data"]).decode(),
                    )
                    for e in batch
                ),
                after,
            )
        if len(batch) < REPLAY_BATCH:
            return


async def _still_allowed(state: State, request: Request, sub: Subscriber, last: int) -> bool:
    """Whether the stream's token is still good: every request checks that its device,
    membership or table session still stands (auth.assert_active), and so does a stream, at
    each heartbeat, with a one-row read of what it would replay. A token revoked meanwhile
    ends the stream; the client's reconnect then gets its 401. A database that is away does
    not: the stream waits for it."""
    try:
        async with open_db(state, request, readonly=True) as db:
            await rpc.call(
                db,
                "stream_events",
                branch_id=sub.branch_id,
                after_id=last,
                order_id=sub.order_id,
                lim=1,
            )
    except psycopg.Error as exc:
        return exc.sqlstate != "BR401"
    except PoolTimeout:
        return True
    return True


def _drain(sub: Subscriber, event: Event, last: int) -> tuple[bytes, int]:
    """`event` and whatever else is already waiting, as one write, skipping ids already
    sent: an order makes several events, and one chunk per screen costs far less than one
    per event. Returns the chunk and the last id in it."""
    frames = []
    while True:
        if event.id > last:
            last = event.id
            frames.append(_frame(event_id=event.id, event=event.type, data=event.data))
        if sub.queue.empty():
            return b"".join(frames), last
        event = sub.queue.get_nowait()


async def _queue_position(state: State, request: Request, sub: Subscriber) -> str | None:
    """The order's queue position as JSON, read under the stream's claims."""
    sub.branch_moved.clear()
    async with open_db(state, request, readonly=True) as db:
        return await rpc.call(db, "order_queue_position", order_id=sub.order_id)


def _sse(generator: AsyncGenerator[bytes, None]) -> Stream:
    # No buffering by proxies (nginx honours X-Accel-Buffering), no caching.
    return Stream(
        generator,
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


@get(
    "/v1/branches/{bid:uuid}/kds/stream",
    operation_id="streamKitchen",
    tags=TAGS,
    summary="SSE: ticket.created, ticket.updated, order.status of a branch (kitchen, staff)",
)
async def kds_stream(
    state: State,
    request: Request,
    bid: UUID,
    *,
    station: UUID | None = None,
    last_event_id_header: LastEventId = None,
    last_event_id: LastEventIdQuery = None,
) -> Stream:
    after = _after(last_event_id_header, last_event_id)
    claims, info = await _open(state, request, "kds_stream", branch_id=bid, station_id=station)
    sub = Subscriber(
        restaurant_id=info["restaurant_id"],
        branch_id=info["branch_id"],
        staff=True,
        station_id=info["station_id"],
        size=state.settings.sse_buffer,
    )
    floor = info["last_event_id"]
    start = floor if after is None else after
    return _sse(_events(state, request, sub, claims=claims, after=start, floor=floor))


@get(
    "/v1/orders/{id:uuid}/stream",
    operation_id="streamOrder",
    tags=["orders"],
    summary="SSE: order.status and queue.position of one order (its guest, staff)",
)
async def order_stream(
    state: State,
    request: Request,
    id: UUID,
    *,
    last_event_id_header: LastEventId = None,
    last_event_id: LastEventIdQuery = None,
) -> Stream:
    after = _after(last_event_id_header, last_event_id)
    claims, info = await _open(state, request, "order_stream", order_id=id)
    sub = Subscriber(
        restaurant_id=info["restaurant_id"],
        branch_id=info["branch_id"],
        staff=claims.get("role") == "staff",
        session_id=claims.get("session_id"),
        order_id=info["order_id"],
        size=state.settings.sse_buffer,
    )
    floor = info["last_event_id"]
    if after is not None:
        return _sse(_events(state, request, sub, claims=claims, after=after, floor=floor))
    # A first connection also hears where the order stands now.
    events = _events(
        state, request, sub, claims=claims, after=floor, floor=floor, status=info["status"]
    )
    return _sse(events)


ROUTES = [kds_stream, order_stream]
