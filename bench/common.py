"""Shared pieces of the benchmarks: N concurrent clients for a fixed time, latency
percentiles, CPU accounting per process group, a plain table, and a minimal HTTP/1.1
keep-alive client (so that the client's own cost stays small next to the server's).

A benchmark builds one `Cell` per (path, concurrency) with `run_cell`, then prints them
with `print_table`; `ratio` compares a cell with the baseline measured in the same run.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import math
import os
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from urllib.parse import urlsplit

# One request of one client: raises on anything but the expected answer.
Request = Callable[[], Awaitable[None]]
# Opens one client (a connection) and yields its request callable; closes it on exit.
ClientFactory = Callable[[], AbstractAsyncContextManager[Request]]

REQUEST_TIMEOUT = 10.0  # seconds: a stuck request fails the cell instead of hanging the run


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name, "")
    return float(value) if value else default


def env_ints(name: str, default: Sequence[int]) -> list[int]:
    value = os.environ.get(name, "")
    return [int(v) for v in value.split(",") if v.strip()] if value else list(default)


def percentile(sorted_values: Sequence[float], q: float) -> float:
    """The q-th percentile (0..100) of already sorted values, linearly interpolated."""
    if not sorted_values:
        return math.nan
    rank = (len(sorted_values) - 1) * q / 100
    low = math.floor(rank)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (rank - low)


# --- CPU accounting (Linux /proc; client and server on the same machine) ---------------

_TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, user + system CPU seconds) of a process, or None if it is gone."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            text = f.read()
    except OSError:
        return None
    rest = text[text.rindex(")") + 2 :].split()
    return int(rest[1]), (int(rest[11]) + int(rest[12])) / _TICKS


def postmaster_of(backend_pid: int) -> int | None:
    """The postmaster of a PostgreSQL backend, if that backend runs on this machine."""
    try:
        with open(f"/proc/{backend_pid}/comm", encoding="utf-8") as f:
            if not f.read().startswith("postgres"):
                return None  # the same pid number, but some other local process
    except OSError:
        return None  # the server is elsewhere (or the backend is gone)
    stat = _stat(backend_pid)
    return None if stat is None else stat[0]


def cpu_seconds(pid: int, *, with_children: bool = False) -> float:
    """CPU seconds used so far by `pid` (and by its direct children, e.g. the backends
    of a postmaster). Children that exited are not counted: take both snapshots while
    the connections of the measurement are open."""
    own = _stat(pid)
    total = own[1] if own else 0.0
    if with_children:
        for entry in os.scandir("/proc"):
            if entry.name.isdigit():
                stat = _stat(int(entry.name))
                if stat and stat[0] == pid:
                    total += stat[1]
    return total


@dataclass(frozen=True)
class CpuGroup:
    name: str
    pid: int
    with_children: bool = False

    def seconds(self) -> float:
        return cpu_seconds(self.pid, with_children=self.with_children)


# --- the runner -------------------------------------------------------------------------


@dataclass
class Cell:
    """What one (path, concurrency) measurement produced."""

    path: str
    clients: int
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    cpu: dict[str, float] = field(default_factory=dict)  # group -> share of one core

    @property
    def requests(self) -> int:
        return len(self.latencies_ms)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def p(self, q: float) -> float:
        return percentile(sorted(self.latencies_ms), q)


async def _reached(barrier: asyncio.Barrier, tasks: Sequence[asyncio.Task[None]]) -> None:
    """Wait until every client reached `barrier`; re-raise at once if one of them failed."""
    waiting = asyncio.create_task(barrier.wait())
    done, _ = await asyncio.wait([waiting, *tasks], return_when=asyncio.FIRST_COMPLETED)
    if waiting not in done:
        waiting.cancel()
        for t in done:
            t.result()
        raise RuntimeError("a client ended before the others")


async def run_cell(
    path: str,
    clients: int,
    factory: ClientFactory,
    *,
    seconds: float,
    warmup: float,
    cpu_groups: Sequence[CpuGroup] = (),
) -> Cell:
    """`clients` concurrent clients, each sending one request after the other.

    Every client connects and warms up first (connections, prepared statements, the
    server's pool); the measured window starts for all of them at once and lasts
    `seconds`; requests in flight at its end are awaited and counted. CPU is read at
    both ends of the window, while the connections are still open (a backend that has
    exited takes its CPU time with it). Each request has a timeout and each phase a
    deadline, so the cell ends by itself.
    """
    cell = Cell(path, clients)
    ready = asyncio.Barrier(clients + 1)
    finished = asyncio.Barrier(clients + 1)
    go = asyncio.Event()
    release = asyncio.Event()
    deadline = 0.0

    async def loop(request: Request, until: Callable[[], float], record: bool) -> None:
        while time.perf_counter() < until():
            started = time.perf_counter()
            try:
                async with asyncio.timeout(REQUEST_TIMEOUT):
                    await request()
            except Exception as exc:
                phase = "" if record else "warm-up: "
                cell.errors.append(f"{phase}{exc!r}")
                if len(cell.errors) >= 100:
                    return
                continue
            if record:
                cell.latencies_ms.append((time.perf_counter() - started) * 1000)

    async def client() -> None:
        async with factory() as request:
            warm_until = time.perf_counter() + warmup
            await loop(request, lambda: warm_until, record=False)
            await ready.wait()
            await go.wait()
            await loop(request, lambda: deadline, record=True)
            await finished.wait()
            await release.wait()

    tasks = [asyncio.create_task(client()) for _ in range(clients)]
    try:
        async with asyncio.timeout(warmup + REQUEST_TIMEOUT + 30):
            await _reached(ready, tasks)
        before = {g.name: g.seconds() for g in cpu_groups}
        started = time.perf_counter()
        deadline = started + seconds
        go.set()
        async with asyncio.timeout(seconds + REQUEST_TIMEOUT + 5):
            await _reached(finished, tasks)
        cell.seconds = time.perf_counter() - started
        after = {g.name: g.seconds() for g in cpu_groups}
        release.set()
        async with asyncio.timeout(REQUEST_TIMEOUT):
            await asyncio.gather(*tasks)
    finally:
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    cell.cpu = {name: (after[name] - before[name]) / cell.seconds for name in before}
    return cell


# --- output -----------------------------------------------------------------------------


def ratio(baseline: Cell, cell: Cell) -> float:
    """How many times more requests per second the baseline served than `cell`."""
    return baseline.rps / cell.rps if cell.rps else math.inf


def server_cpu_us_per_request(cell: Cell, client_group: str = "client") -> float:
    """CPU microseconds that every process but the client spent per measured request:
    a figure that other load on a shared machine disturbs much less than requests/s."""
    if not cell.requests:
        return math.nan
    share = sum(v for g, v in cell.cpu.items() if g != client_group)
    return share * cell.seconds / cell.requests * 1e6


def print_table(cells: Sequence[Cell], baseline: Callable[[Cell], Cell | None]) -> None:
    """One row per cell: requests/s, p50, p99, the throughput ratio to its baseline, the
    CPU each process group used (100% = one core), and the server's CPU per request."""
    groups = list(dict.fromkeys(g for c in cells for g in c.cpu))
    header = ["path", "clients", "requests", "req/s", "p50 ms", "p99 ms", "base/this"]
    header += [f"cpu {g}" for g in groups]
    per_request = any(g != "client" for g in groups)
    if per_request:
        header.append("srv cpu us/req")
    rows = [header]
    for c in cells:
        base = baseline(c)
        shown = "baseline" if base is None or base is c else f"{ratio(base, c):.2f}x"
        row = [
            c.path,
            str(c.clients),
            str(c.requests),
            f"{c.rps:,.0f}",
            f"{c.p(50):.2f}",
            f"{c.p(99):.2f}",
            shown,
        ]
        row += [f"{c.cpu[g] * 100:.0f}%" if g in c.cpu else "" for g in groups]
        if per_request:
            row.append(f"{server_cpu_us_per_request(c):.0f}")
        rows.append(row)
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    for n, r in enumerate(rows):
        cells_text = [v.rjust(w) for v, w in zip(r, widths, strict=True)]
        cells_text[0] = r[0].ljust(widths[0])
        print("  ".join(cells_text))
        if n == 0:
            print("  ".join("-" * w for w in widths))


# --- a minimal HTTP/1.1 keep-alive client -----------------------------------------------


class HttpError(Exception):
    """The server answered something we did not expect (status, framing)."""


class RawHttpClient:
    """One keep-alive HTTP/1.1 connection: GET, and POST of a JSON body; Content-Length or
    chunked response bodies (none for 1xx, 204 and 304).

    Just enough protocol to measure a server without spending most of the (shared)
    CPU in the client: no redirects, no TLS, no compression, no cookies.
    """

    def __init__(self, base_url: str, headers: dict[str, str] | None = None) -> None:
        url = urlsplit(base_url)
        if url.scheme != "http" or not url.hostname:
            raise ValueError(f"only http:// URLs: {base_url}")
        self.host = url.hostname
        self.port = url.port or 80
        self._prefix = url.path.rstrip("/")
        extra = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
        self._headers = f"Host: {url.netloc}\r\n{extra}".encode("latin-1")
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def connect(self) -> None:
        self._reader, self._writer = await asyncio.open_connection(self.host, self.port)

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            with contextlib.suppress(OSError):
                await self._writer.wait_closed()
        self._reader = self._writer = None

    async def get(self, path: str) -> tuple[int, bytes]:
        """(status, body). Reconnects once if a reused connection was closed meanwhile."""
        return await self._send(b"GET ", path, b"", retry=True)

    async def post(
        self, path: str, body: bytes, headers: dict[str, str] | None = None
    ) -> tuple[int, bytes]:
        """POST a JSON body (with extra headers for this request only): (status, body).

        Sent again on a fresh connection after a reused one turned out closed only when an
        `Idempotency-Key` header makes the repeat harmless; otherwise that error is raised.
        """
        extra = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
        head = f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n{extra}"
        retry = any(k.lower() == "idempotency-key" for k in headers or ())
        return await self._send(b"POST ", path, head.encode("latin-1") + b"\r\n" + body, retry)

    async def _send(self, method: bytes, path: str, rest: bytes, retry: bool) -> tuple[int, bytes]:
        reused = self._writer is not None
        if not reused:
            await self.connect()
        try:
            return await self._exchange(method, path, rest)
        except (asyncio.IncompleteReadError, ConnectionError):
            await self.close()
            if not (reused and retry):
                raise
            await self.connect()
            return await self._exchange(method, path, rest)

    async def _exchange(self, method: bytes, path: str, rest: bytes) -> tuple[int, bytes]:
        """`rest`: this request's own header lines, the blank line and the body; empty for a
        GET (whose blank line is added here)."""
        reader, writer = self._reader, self._writer
        if reader is None or writer is None:
            raise ConnectionError("not connected")
        writer.write(
            method
            + (self._prefix + path).encode()
            + b" HTTP/1.1\r\n"
            + self._headers
            + (rest or b"\r\n")
        )
        head = await reader.readuntil(b"\r\n\r\n")
        status_line, *lines = head[:-4].decode("latin-1").split("\r\n")
        parts = status_line.split(" ", 2)
        if len(parts) < 2 or not parts[0].startswith("HTTP/1."):
            raise HttpError(f"bad status line: {status_line!r}")
        headers = {}
        for line in lines:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        status = int(parts[1])
        if status in (204, 304) or status < 200:
            body = b""  # never a body, whatever the headers say (RFC 9112 section 6.3)
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            body = await self._chunked(reader)
        elif "content-length" in headers:
            body = await reader.readexactly(int(headers["content-length"]))
        else:
            raise HttpError("response without Content-Length on a keep-alive connection")
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return status, body

    @staticmethod
    async def _chunked(reader: asyncio.StreamReader) -> bytes:
        body = bytearray()
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                while (await reader.readuntil(b"\r\n")) != b"\r\n":
                    pass  # trailers
                return bytes(body)
            body += await reader.readexactly(size)
            await reader.readexactly(2)


@contextlib.asynccontextmanager
async def raw_http(
    base_url: str, headers: dict[str, str] | None = None
) -> AsyncIterator[RawHttpClient]:
    client = RawHttpClient(base_url, headers)
    await client.connect()
    try:
        yield client
    finally:
        await client.close()


def cpu_groups(postmaster: int | None, *api_pids: int | None) -> list[CpuGroup]:
    """Client, API process(es) ("api", "api 2", ...) and PostgreSQL, those visible here."""
    groups = [CpuGroup("client", os.getpid())]
    visible = [pid for pid in api_pids if pid and os.path.exists(f"/proc/{pid}")]
    groups += [CpuGroup("api" if n == 1 else f"api {n}", pid) for n, pid in enumerate(visible, 1)]
    if postmaster:
        groups.append(CpuGroup("postgres", postmaster, with_children=True))
    return groups


def runtime() -> tuple[int | None, int | None, str, str]:
    """Cores, cores this process may use, the event loop and the HTTP parser uvicorn picks."""
    cores = os.cpu_count()
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cores
    loop_impl = "uvloop" if importlib.util.find_spec("uvloop") else "asyncio"
    http_impl = "httptools" if importlib.util.find_spec("httptools") else "h11"
    return cores, usable, loop_impl, http_impl
