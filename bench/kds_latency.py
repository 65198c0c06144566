"""Kitchen screens (issue 5): how long a new ticket takes to reach every open KDS stream

N kitchen screens hold GET /v1/branches/{bid}/kds/stream open (Server-Sent Events), each
with its own device token (a kitchen member signed in on a registered device, the claims
app_private.staff_claims gives, as after POST /v1/auth/pin); a third of them show every
station, a third only the Grill, a third only the Bar. Meanwhile guests place BENCH_KDS_ORDERS
orders (default 200) at a steady BENCH_KDS_RATE per second (default 20, open loop: an order
is sent on time even if the previous one has not been answered) with POST
/v1/sessions/{sid}/orders; the branch auto-accepts, so each order makes 2 tickets (Grill and
Bar) and 4 events in its transaction (see bench/orders.py for the order and the data).

For every (screen, ticket) pair the screen should see, the latency is the time from the
POST's response arriving at the client to that screen receiving the ticket.created event
of that ticket; "from sent" adds the order's own processing (time from sending the POST).
A screen can hear of a ticket before the guest's response arrives (the API answers the POST
and fans the events out concurrently): such pairs count with their negative latency, and how
many there were is printed. All screens are read by this one process with plain asyncio
sockets (a Protocol that only timestamps and stores what arrives; the chunked framing and
the SSE events are parsed after the cell), so that the client's own work delays the
timestamps as little as possible.

Compared in one run (BENCH_KDS_STREAMS, default 20,200): few screens against many on one API
process, and the most screens split over two API processes (this module starts the second
`brigade serve` itself, on a free port, and stops it): the events reach the second process
through PostgreSQL (NOTIFY, then one read per wake-up per process), not through the first.
Orders are always posted to the first process.

Checked: every screen receives exactly the tickets of its stations, each once, and nothing
else; any loss, duplicate, stray ticket, failed POST or dropped stream exits 1. The goal of the
issue: p99 under 100 ms to every screen.

`make bench` runs it against a throw-away cluster and server; see bench/README.md.
Environment: DATABASE_URL (a superuser) and the BRIGADE_* secrets, BENCH_BASE_URL,
BENCH_SERVER_PID (optional), BENCH_KDS_STREAMS, BENCH_KDS_ORDERS, BENCH_KDS_RATE.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import itertools
import math
import os
import platform
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import msgspec
import psycopg

from api import auth
from api.settings import Settings
from bench.common import (
    CpuGroup,
    HttpError,
    RawHttpClient,
    cpu_groups,
    env_float,
    env_ints,
    percentile,
    postmaster_of,
    raw_http,
    runtime,
)
from bench.orders import HISTORY, Shop, generous_plan_limit, load_shop, unload_shop

P99_GOAL_MS = 100.0  # issue 5: a new ticket on every screen within 100 ms (p99)
GUESTS = 4  # table sessions the orders rotate over, one keep-alive connection each
WARMUP_ORDERS = 3  # before each cell: every screen must have seen them (all streams live)
QUIET_SECONDS = 1.0  # after the last answer: the cell ends once no screen got data this long
SETTLE_TIMEOUT = 20.0  # seconds: a ticket still missing by then is lost


# --- reading a stream ---------------------------------------------------------------------


class ScreenProtocol(asyncio.Protocol):
    """One SSE connection: checks the response head, then only timestamps and keeps what
    arrives (parsed after the cell, by `events`)."""

    def __init__(self) -> None:
        loop = asyncio.get_running_loop()
        self.head = bytearray()
        self.head_done: asyncio.Future[bytes] = loop.create_future()
        self.lost: asyncio.Future[Exception | None] = loop.create_future()
        self.pieces: list[tuple[float, bytes]] = []
        self.transport: asyncio.Transport | None = None
        self.last_data = 0.0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        now = time.perf_counter()
        self.last_data = now
        if self.head_done.done():
            self.pieces.append((now, data))
            return
        self.head += data
        end = self.head.find(b"\r\n\r\n")
        if end >= 0:
            rest = bytes(self.head[end + 4 :])
            self.head_done.set_result(bytes(self.head[:end]))
            if rest:
                self.pieces.append((now, rest))

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.head_done.done():
            self.head_done.set_exception(ConnectionError("closed before the response head"))
        if not self.lost.done():
            self.lost.set_result(exc)


@dataclass
class Screen:
    index: int
    station: str | None  # None: every station
    api: str  # base URL of the process it is connected to
    protocol: ScreenProtocol


async def open_screen(
    index: int, base_url: str, branch_id: str, station: str | None, token: str
) -> Screen:
    url = urlsplit(base_url)
    loop = asyncio.get_running_loop()
    transport, protocol = await loop.create_connection(ScreenProtocol, url.hostname, url.port or 80)
    path = f"/v1/branches/{branch_id}/kds/stream" + (f"?station={station}" if station else "")
    transport.write(
        f"GET {path} HTTP/1.1\r\nHost: {url.netloc}\r\nAccept: text/event-stream\r\n"
        f"Authorization: Bearer {token}\r\n\r\n".encode("latin-1")
    )
    head = (await asyncio.wait_for(protocol.head_done, 10)).decode("latin-1").lower()
    if not head.startswith("http/1.1 200") or "text/event-stream" not in head:
        transport.close()
        raise HttpError(f"screen {index}: {head[:300]!r}")
    if "transfer-encoding: chunked" not in head:
        transport.close()
        raise HttpError(f"screen {index}: the stream is not chunked: {head[:300]!r}")
    return Screen(index, station, base_url, protocol)


@dataclass(frozen=True)
class SseEvent:
    at: float  # perf_counter when its last byte arrived
    id: str | None
    type: str | None
    data: str


def events(pieces: list[tuple[float, bytes]]) -> Iterator[SseEvent]:
    """The SSE events of a chunked body received as timestamped pieces."""
    raw = b"".join(data for _, data in pieces)
    ends = list(itertools.accumulate(len(data) for _, data in pieces))
    # De-chunk, remembering where each chunk's payload sits in the raw bytes.
    payload = bytearray()
    starts: list[int] = []  # payload offset of each chunk
    raws: list[int] = []  # raw offset of the same byte
    pos = 0
    while True:
        line_end = raw.find(b"\r\n", pos)
        if line_end < 0:
            break
        size = int(raw[pos:line_end].split(b";")[0], 16)
        start = line_end + 2
        if size == 0 or start + size > len(raw):
            break
        starts.append(len(payload))
        raws.append(start)
        payload += raw[start : start + size]
        pos = start + size + 2

    def arrival(offset: int) -> float:
        chunk = bisect.bisect_right(starts, offset) - 1
        raw_offset = raws[chunk] + offset - starts[chunk]
        return pieces[bisect.bisect_right(ends, raw_offset)][0]

    text_start = 0
    while True:
        end = payload.find(b"\r\n\r\n", text_start)
        if end < 0:
            return
        block = payload[text_start:end].decode()
        text_start = end + 4
        event_id = event_type = None
        data: list[str] = []
        for line in block.split("\r\n"):
            name, _, value = line.partition(":")
            value = value.removeprefix(" ")
            if name == "id":
                event_id = value
            elif name == "event":
                event_type = value
            elif name == "data":
                data.append(value)
        if event_id is None and event_type is None and not data:
            continue  # a comment (keep-alive)
        yield SseEvent(arrival(end + 3), event_id, event_type, "\n".join(data))


class TicketData(msgspec.Struct):
    id: str
    order_id: str
    station_id: str


# --- placing orders -------------------------------------------------------------------------


class OrderAnswer(msgspec.Struct):
    id: str
    status: str


@dataclass
class Placed:
    sent: float
    answered: float
    order_id: str


async def place_orders(
    clients: asyncio.Queue[tuple[RawHttpClient, str]],
    body: bytes,
    count: int,
    rate: float,
) -> list[Placed]:
    """`count` orders at `rate` per second, open loop; each over a free guest connection."""
    placed: list[Placed] = []
    errors: list[str] = []

    async def one() -> None:
        client, session_id = await clients.get()
        try:
            sent = time.perf_counter()
            status, answer = await client.post(
                f"/v1/sessions/{session_id}/orders", body, {"Idempotency-Key": uuid.uuid4().hex}
            )
            answered = time.perf_counter()
        finally:
            clients.put_nowait((client, session_id))
        if status != 201:
            errors.append(f"{status}: {answer[:300]!r}")
            return
        order = msgspec.json.decode(answer, type=OrderAnswer)
        if order.status != "accepted":
            errors.append(f"order {order.id} is {order.status}")
            return
        placed.append(Placed(sent, answered, order.id))

    started = time.perf_counter()
    tasks = []
    for k in range(count):
        await asyncio.sleep(max(0.0, started + k / rate - time.perf_counter()))
        tasks.append(asyncio.create_task(one()))
    await asyncio.gather(*tasks)
    if errors:
        raise HttpError(f"{len(errors)} order(s) failed, first: {errors[0]}")
    return placed


# --- one cell ---------------------------------------------------------------------------------


@dataclass
class Result:
    screens: int
    processes: int
    orders: int
    expected: int
    received: int
    missing: int
    duplicates: int
    strays: int
    latencies_ms: list[float]
    from_sent_ms: list[float]
    order_ms: list[float]
    seconds: float
    cpu: dict[str, float]
    delivered: int  # every event the screens received (ticket.created and the others)
    problems: list[str] = field(default_factory=list)

    def p(self, values: list[float], q: float) -> float:
        return percentile(sorted(values), q)

    def api_us_per_event(self) -> float:
        """CPU of the API process(es) per event delivered to a screen: what fan-out costs,
        and the figure other load on the machine disturbs least."""
        api = sum(v for g, v in self.cpu.items() if g.startswith("api"))
        return api * self.seconds / self.delivered * 1e6 if self.delivered else float("nan")


def tickets_of(admin_url: str, order_ids: list[str]) -> dict[str, tuple[str, str]]:
    """ticket id -> (order id, station id) of the given orders."""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        rows = conn.execute(
            "select id::text, order_id::text, station_id::text from app.tickets "
            "where order_id = any(%s::uuid[])",
            (order_ids,),
        ).fetchall()
    return {t: (o, s) for t, o, s in rows}


async def settle(screens: list[Screen], since: float) -> None:
    """Until no screen has received anything for QUIET_SECONDS (or SETTLE_TIMEOUT)."""
    deadline = since + SETTLE_TIMEOUT
    while time.perf_counter() < deadline:
        last = max([since, *(s.protocol.last_data for s in screens)])
        if time.perf_counter() - last >= QUIET_SECONDS:
            return
        await asyncio.sleep(0.05)


async def run_cell(
    admin_url: str,
    apis: list[str],
    shop: Shop,
    tokens: list[str],
    guests: asyncio.Queue[tuple[RawHttpClient, str]],
    body: bytes,
    screens_n: int,
    orders: int,
    rate: float,
    groups: list[CpuGroup],
) -> Result:
    branch = shop.branches[0]
    grill, bar = shop.stations["Branch 0/Grill"], shop.stations["Branch 0/Bar"]
    filters = [None, grill, bar]
    screens = await asyncio.gather(
        *(
            open_screen(i, apis[i % len(apis)], branch, filters[i % 3], tokens[i])
            for i in range(screens_n)
        )
    )
    try:
        # Warm-up: every screen must have received the last warm-up order's tickets.
        warm = await place_orders(guests, body, WARMUP_ORDERS, rate)
        await settle(screens, warm[-1].answered)
        warm_tickets = tickets_of(admin_url, [p.order_id for p in warm])
        for s in screens:
            seen = {
                msgspec.json.decode(e.data, type=TicketData).id
                for e in events(s.protocol.pieces)
                if e.type == "ticket.created"
            }
            want = {t for t, (_, st) in warm_tickets.items() if s.station in (None, st)}
            if not want <= seen:
                raise RuntimeError(f"screen {s.index} did not get the warm-up tickets: not live")
            s.protocol.pieces.clear()

        before = {g.name: g.seconds() for g in groups}
        started = time.perf_counter()
        placed = await place_orders(guests, body, orders, rate)
        await settle(screens, max(p.answered for p in placed))
        seconds = time.perf_counter() - started
        after = {g.name: g.seconds() for g in groups}
        dropped = [s.index for s in screens if s.protocol.lost.done()]
    finally:
        for s in screens:
            if s.protocol.transport is not None:
                s.protocol.transport.close()

    by_order = {p.order_id: p for p in placed}
    tickets = tickets_of(admin_url, list(by_order))
    expected = received = missing = duplicates = strays = delivered = 0
    latencies: list[float] = []
    from_sent: list[float] = []
    for s in screens:
        want = {t for t, (_, st) in tickets.items() if s.station in (None, st)}
        seen: set[str] = set()
        for e in events(s.protocol.pieces):
            delivered += 1
            if e.type != "ticket.created":
                continue
            ticket = msgspec.json.decode(e.data, type=TicketData)
            if ticket.id not in want:
                strays += 1
                continue
            if ticket.id in seen:
                duplicates += 1
                continue
            seen.add(ticket.id)
            order = by_order[ticket.order_id]
            latencies.append((e.at - order.answered) * 1000)
            from_sent.append((e.at - order.sent) * 1000)
        expected += len(want)
        received += len(seen)
        missing += len(want - seen)
    result = Result(
        screens_n,
        len(apis),
        len(placed),
        expected,
        received,
        missing,
        duplicates,
        strays,
        latencies,
        from_sent,
        [(p.answered - p.sent) * 1000 for p in placed],
        seconds,
        {name: (after[name] - before[name]) / seconds for name in before},
        delivered,
    )
    if len(tickets) != 2 * len(placed):
        result.problems.append(f"{len(tickets)} tickets in the database for {len(placed)} orders")
    if missing or duplicates or strays:
        result.problems.append(
            f"{missing} ticket(s) missing, {duplicates} duplicate(s), {strays} stray(s)"
        )
    if dropped:
        result.problems.append(f"{len(dropped)} stream(s) closed by the server: {dropped[:10]}")
    return result


# --- a second API process --------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def second_api() -> Iterator[tuple[str, int]]:
    """Another `brigade serve` on the same database (same environment, another port)."""
    port = free_port()
    env = {**os.environ, "BRIGADE_PORT": str(port), "BRIGADE_LOG_LEVEL": "warning"}
    brigade = str(Path(sys.executable).parent / "brigade")
    log = open(f"/tmp/brigade-bench-kds-{os.getpid()}.log", "w+b")  # noqa: SIM115
    proc = subprocess.Popen([brigade, "serve"], env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        answer = "no answer"
        while True:
            with contextlib.suppress(httpx.TransportError):
                response = httpx.get(f"{base}/readyz", timeout=1)
                if response.status_code == 200:
                    break
                answer = f"{response.status_code} {response.text[:300]}"
            if proc.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                raise SystemExit(
                    f"the second API did not become ready ({answer}): {log.read()[-2000:]!r}"
                )
            time.sleep(0.1)
        yield base, proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.seek(0)
        text = log.read().decode(errors="replace")
        log.close()
        os.unlink(log.name)
        if "Traceback" in text or "ERROR" in text:
            print(f"the second API logged errors:\n{text[-3000:]}", file=sys.stderr)


# --- the run ----------------------------------------------------------------------------------


def kitchen_tokens(settings: Settings, shop: Shop) -> list[str]:
    """A device token per screen: the claims of the kitchen member on that device."""
    with psycopg.connect(settings.database_url, autocommit=True) as conn:
        rows = conn.execute(
            "select app_private.staff_claims(%s, %s, d) from unnest(%s::uuid[]) as d",
            (shop.kitchen_user, shop.restaurant_id, shop.devices),
        ).fetchall()
    tokens = []
    for (claims,) in rows:
        if claims is None or claims.get("app_role") != "kitchen" or not claims.get("device_id"):
            raise SystemExit(f"unexpected kitchen claims: {claims}")
        tokens.append(auth.mint(settings, claims, 3600))
    return tokens


def print_results(results: list[Result], groups: list[str]) -> None:
    header = [
        "screens",
        "api procs",
        "orders",
        "pairs",
        "received",
        "p50 ms",
        "p90 ms",
        "p99 ms",
        "max ms",
        "<0",
        "sent p50",
        "sent p99",
        "POST p50",
        "POST p99",
        "seconds",
        "events",
        "api us/event",
    ] + [f"cpu {g}" for g in groups]
    rows = [header]
    for r in results:
        rows.append(
            [
                str(r.screens),
                str(r.processes),
                str(r.orders),
                f"{r.expected:,}",
                f"{r.received:,}",
                f"{r.p(r.latencies_ms, 50):.1f}",
                f"{r.p(r.latencies_ms, 90):.1f}",
                f"{r.p(r.latencies_ms, 99):.1f}",
                f"{max(r.latencies_ms, default=float('nan')):.1f}",
                str(sum(1 for v in r.latencies_ms if v < 0)),
                f"{r.p(r.from_sent_ms, 50):.1f}",
                f"{r.p(r.from_sent_ms, 99):.1f}",
                f"{r.p(r.order_ms, 50):.1f}",
                f"{r.p(r.order_ms, 99):.1f}",
                f"{r.seconds:.1f}",
                f"{r.delivered:,}",
                f"{r.api_us_per_event():.0f}",
            ]
            + [f"{r.cpu[g] * 100:.0f}%" if g in r.cpu else "" for g in groups]
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    for n, row in enumerate(rows):
        print("  ".join(v.rjust(w) for v, w in zip(row, widths, strict=True)))
        if n == 0:
            print("  ".join("-" * w for w in widths))


@contextlib.asynccontextmanager
async def guest_connections(
    base_url: str, shop: Shop
) -> AsyncIterator[asyncio.Queue[tuple[RawHttpClient, str]]]:
    queue: asyncio.Queue[tuple[RawHttpClient, str]] = asyncio.Queue()
    async with contextlib.AsyncExitStack() as stack:
        for guest in shop.guests[0][:GUESTS]:
            client = await stack.enter_async_context(
                raw_http(base_url, {"Authorization": f"Bearer {guest.token}"})
            )
            queue.put_nowait((client, guest.session_id))
        yield queue


async def run() -> int:
    settings = Settings.load()
    base_url = os.environ.get("BENCH_BASE_URL", "").rstrip("/")
    if not base_url:
        print("BENCH_BASE_URL is not set: run the benchmarks with `make bench`", file=sys.stderr)
        return 2
    server_pid = int(os.environ.get("BENCH_SERVER_PID") or 0) or None
    counts = env_ints("BENCH_KDS_STREAMS", (20, 200))
    orders = env_ints("BENCH_KDS_ORDERS", (200,))[0]
    rate = env_float("BENCH_KDS_RATE", 20.0)
    admin_url = settings.database_url
    with psycopg.connect(admin_url, autocommit=True) as conn:
        row = conn.execute("select rolsuper from pg_roles where rolname = current_user").fetchone()
        if not (row and row[0]):
            print("DATABASE_URL must name a superuser: run it with `make bench`", file=sys.stderr)
            return 2
        postmaster = postmaster_of(conn.info.backend_pid)

    most = max(counts)
    shop = load_shop(settings, 1, GUESTS, devices=most, history=HISTORY)
    try:
        with generous_plan_limit(admin_url):
            tokens = kitchen_tokens(settings, shop)
            body = msgspec.json.encode(shop.order_body())
            with second_api() as (other_url, other_pid):
                groups = cpu_groups(postmaster, server_pid, other_pid)
                cores, usable, loop_impl, http_impl = runtime()
                print(
                    f"loaded in {shop.load_seconds:.2f} s: one branch (auto-accept, Grill and "
                    f"Bar), {most} kitchen devices, {GUESTS} table sessions; history: "
                    f"{shop.history:,} past orders (then ANALYZE)"
                )
                print(
                    f"machine: {cores} cores ({usable} usable), {platform.machine()}; the "
                    "screens, the guests, both API processes and PostgreSQL share them"
                )
                print(
                    f"servers: brigade serve at {base_url} (make bench's) and at {other_url} "
                    f"(this module's), uvicorn, loop {loop_impl}, http {http_impl}; orders "
                    f"always go to the first"
                )
                print(
                    f"each cell: {WARMUP_ORDERS} warm-up orders every screen must see, then "
                    f"{orders} orders at {rate:g}/s ({GUESTS} guests, open loop); screens: a "
                    "third every station, a third Grill, a third Bar; load average "
                    f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}"
                )
                print()
                plan = [(n, [base_url]) for n in counts] + [(most, [base_url, other_url])]
                results = []
                async with guest_connections(base_url, shop) as guests:
                    for n, apis in plan:
                        results.append(
                            await run_cell(
                                admin_url,
                                apis,
                                shop,
                                tokens,
                                guests,
                                body,
                                n,
                                orders,
                                rate,
                                groups,
                            )
                        )
    finally:
        unload_shop(admin_url, shop)
    report(results, [g.name for g in groups])
    return 1 if any(r.problems for r in results) else 0


def compare(this: Result, base: Result) -> str:
    """p50, p99 and API CPU per event of `this` against `base`, each with its ratio."""

    def one(name: str, a: float, b: float, unit: str) -> str:
        return f"{name} {a:.1f} vs {b:.1f} {unit} ({a / b if b else math.inf:.2f}x)"

    return ", ".join(
        [
            one("p50", this.p(this.latencies_ms, 50), base.p(base.latencies_ms, 50), "ms"),
            one("p99", this.p(this.latencies_ms, 99), base.p(base.latencies_ms, 99), "ms"),
            one("api", this.api_us_per_event(), base.api_us_per_event(), "us/event"),
        ]
    )


def report(results: list[Result], groups: list[str]) -> None:
    print(
        "pairs: (screen, ticket) pairs the screens should see; p50..max: POST answered -> "
        "ticket.created on the screen; <0: pairs seen before the POST's answer; sent: from "
        "the POST sent; POST: the order's own response time; seconds: the cell, from the "
        "first order until every screen is quiet; events: all events the screens received "
        "(ticket.created and the rest); api us/event: CPU of the API process(es) per event "
        "received; cpu: share of one core over the cell"
    )
    print_results(results, groups)
    print()
    for r in results:
        if r.problems:
            print(f"{r.screens} screens, {r.processes} process(es): " + "; ".join(r.problems))
    few = results[0]
    many = next((r for r in results if r.screens == results[-1].screens and r.processes == 1), None)
    split = results[-1]
    if many is not None and many is not few:
        print(f"{many.screens} vs {few.screens} screens on one process: {compare(many, few)}")
    if many is not None and split is not many:
        print(f"{split.screens} screens on 2 processes vs 1: {compare(split, many)}")
    print()
    for r in results:
        p99 = r.p(r.latencies_ms, 99)
        complete = r.received == r.expected and not r.problems
        ok = p99 < P99_GOAL_MS and complete
        print(
            f"goal, ticket on every screen p99 < {P99_GOAL_MS:g} ms, {r.screens} screens on "
            f"{r.processes} process(es): {p99:.1f} ms, {r.received:,}/{r.expected:,} received "
            f"-> {'met' if ok else 'MISSED'}"
        )


def main() -> int:
    # `timeout` sends TERM: turn it into an exception so that the loaded rows are removed.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    return asyncio.run(run())


if __name__ == "__main__":
    sys.exit(main())
