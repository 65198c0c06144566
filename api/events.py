"""SSE fan-out (ARCHITECTURE §6): one reader per process for all its subscribers.

Event ids are per branch and commit in id order (ADR 0009), so a cursor per branch never
skips a row. On a wake-up (NOTIFY `events`, payload "<restaurant>/<branch>"), after the
LISTEN connection is re-established, or every `events_poll_seconds`, the hub reads the new
rows of the branches it has subscribers in with one statement, then hands each row to the
subscribers whose verified claims match its routing keys. Replay (Last-Event-ID) is read by
each subscriber itself, under its own claims; see api/routes/streams.py.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

import psycopg
from psycopg_pool import AsyncConnectionPool

from api.db.listener import Listener
from api.db.statements import EVENTS_AFTER

log = logging.getLogger("brigade.events")

Key = tuple[str, str]  # (restaurant_id, branch_id)
READ_LIMIT = 1000


@dataclass(frozen=True, slots=True)
class Event:
    id: int
    type: str
    data: str
    restaurant_id: str
    branch_id: str
    channel: str
    station_id: str | None = None
    session_id: str | None = None
    order_id: str | None = None


@dataclass(eq=False, slots=True)
class Subscriber:
    """One SSE client, with the routing keys its claims were checked for."""

    restaurant_id: str
    branch_id: str
    staff: bool
    session_id: str | None = None  # a guest: only their session's order events
    station_id: str | None = None  # a kitchen screen showing one station
    order_id: str | None = None  # an order stream
    size: int = 1000
    queue: asyncio.Queue[Event] = field(init=False)
    # Set when any order of the branch changes state (order streams only): a guest's queue
    # position may have moved.
    branch_moved: asyncio.Event = field(init=False)
    overflowed: bool = False

    def __post_init__(self) -> None:
        self.queue = asyncio.Queue(self.size)
        self.branch_moved = asyncio.Event()

    @property
    def key(self) -> Key:
        return (self.restaurant_id, self.branch_id)

    def wants(self, event: Event) -> bool:
        """The same rule as the select policies of queue.events, plus the stream's filter."""
        if (event.restaurant_id, event.branch_id) != self.key:
            return False
        order_channel = event.channel in ("orders", "queue")
        if not self.staff and (event.session_id != self.session_id or not order_channel):
            return False
        if self.order_id is not None and (event.order_id != self.order_id or not order_channel):
            return False
        return self.station_id is None or event.station_id in (None, self.station_id)

    def offer(self, event: Event) -> None:
        # A full buffer means the client cannot keep up: it is cut off and replays later.
        try:
            self.queue.put_nowait(event)
        except asyncio.QueueFull:
            self.overflowed = True


class EventHub:
    def __init__(
        self, pool: AsyncConnectionPool, listener: Listener, poll_seconds: float = 5.0
    ) -> None:
        self.pool = pool
        self.poll_seconds = poll_seconds
        self._subscribers: dict[Key, set[Subscriber]] = {}
        self._cursors: dict[Key, int] = {}
        self._dirty: set[Key] = set()
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        listener.subscribe("events", self._on_notify)
        listener.on_reset(self._on_reset)

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="brigade-events")

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    def subscribe(self, sub: Subscriber, floor: int) -> None:
        """Start delivering to `sub`. `floor`: an event id the database had when the stream
        was opened; the first subscriber of a branch starts reading there."""
        subs = self._subscribers.setdefault(sub.key, set())
        subs.add(sub)
        self._cursors.setdefault(sub.key, floor)

    def unsubscribe(self, sub: Subscriber) -> None:
        subs = self._subscribers.get(sub.key)
        if subs is None:
            return
        subs.discard(sub)
        if not subs:
            del self._subscribers[sub.key]
            self._cursors.pop(sub.key, None)
            self._dirty.discard(sub.key)

    @property
    def subscriber_count(self) -> int:
        return sum(len(s) for s in self._subscribers.values())

    def _on_notify(self, payload: str) -> None:
        restaurant_id, _, branch_id = payload.partition("/")
        key = (restaurant_id, branch_id)
        if key in self._subscribers:
            self._dirty.add(key)
            self._wake.set()

    def _on_reset(self) -> None:
        # Wake-ups sent while the LISTEN connection was away are lost: read every branch.
        self._dirty.update(self._subscribers)
        self._wake.set()

    async def _run(self) -> None:
        while True:
            try:
                # Not asyncio.wait_for: on 3.11 it swallows a cancel that lands as the wake-up
                # fires (the listener's stop sets it), and shutdown then never ends.
                async with asyncio.timeout(self.poll_seconds):
                    await self._wake.wait()
            except TimeoutError:
                self._dirty.update(self._subscribers)
            self._wake.clear()
            keys = [k for k in self._dirty if k in self._cursors]
            self._dirty.clear()
            if not keys:
                continue
            try:
                await self._read(keys)
            except (psycopg.Error, OSError) as exc:
                # The database is away: keep the keys and try again at the next wake-up
                # (the listener's reconnect) or poll.
                log.warning("reading events failed: %s", exc)
                self._dirty.update(keys)
                await asyncio.sleep(0.5)
            except Exception:  # one bad row must not stop every stream of the process
                log.exception("event fan-out failed")
                self._dirty.update(keys)
                await asyncio.sleep(0.5)

    async def _read(self, keys: list[Key]) -> None:
        async with self.pool.connection() as conn:
            cur = await conn.execute(
                EVENTS_AFTER,
                (
                    [k[0] for k in keys],
                    [k[1] for k in keys],
                    [self._cursors[k] for k in keys],
                    READ_LIMIT,
                ),
            )
            rows = await cur.fetchall()
        counts: dict[Key, int] = {}
        for rid, bid, eid, etype, station, session, order, channel, payload in rows:
            key = (str(rid), str(bid))
            if key not in self._cursors or eid <= self._cursors[key]:
                continue  # unsubscribed meanwhile, or read twice
            self._cursors[key] = eid
            counts[key] = counts.get(key, 0) + 1
            event = Event(
                eid,
                etype,
                payload,
                key[0],
                key[1],
                channel,
                station and str(station),
                session and str(session),
                order and str(order),
            )
            for sub in self._subscribers.get(key, ()):
                if sub.wants(event):
                    sub.offer(event)
                order_stream = sub.order_id is not None
                if order_stream and channel == "orders" and not sub.branch_moved.is_set():
                    # A guest's place in the queue may have moved: wake the stream (the
                    # marker's id 0 is never sent) so it asks again.
                    sub.branch_moved.set()
                    sub.offer(Event(0, "", "", key[0], key[1], "orders"))
        # A branch that filled a whole read has more: read it again at once.
        more = {k for k, n in counts.items() if n >= READ_LIMIT}
        if more:
            self._dirty.update(more)
            self._wake.set()
