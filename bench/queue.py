"""Queue throughput and latency: our SKIP LOCKED queue and worker, and pgqueuer, side by side.

Same database, same cluster, same run, same Python process (standard asyncio loop for
both), no-op handlers:

- **throughput**: for each (coroutines, batch) cell, the workers are started on an empty
  queue and left idle; then N tasks are enqueued in one transaction, and the clock runs
  from its commit until the last task is recorded done in the database. Ours:
  `api.worker.Worker` with `worker_concurrency` = coroutines and `worker_batch` = batch,
  task type `noop` (the SQL handler `app.task_noop`, run in the completing transaction).
  pgqueuer: as many `QueueManager`s as coroutines, each on its own asyncpg connection
  (its own driver; see `PgQueuer`), each with `batch_size` = batch, and a Python no-op
  entrypoint; done = the job is gone from its queue table (pgqueuer buffers completions
  and flushes them in batches). Its schema gets its own recommended autovacuum settings.
- **latency**: workers idle at 4 coroutines x batch 10 (our defaults); 400 tasks enqueued
  one per transaction, 5 ms apart; enqueue→start = from just before the enqueue call to
  the moment the handler starts (a Python handler on both sides, same process clock).

Environment: DATABASE_URL (a superuser; pgqueuer's tables go to its `public` schema) and
the BRIGADE_* secrets, as `make bench` provides; BENCH_QUEUE_COROUTINES (1,4,16),
BENCH_QUEUE_BATCHES (1,10,50), BENCH_QUEUE_TASKS (tasks per cell; default 3000 at batch 1,
else 10000), BENCH_QUEUE_LATENCY_TASKS (400).
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import os
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta

import msgspec
import psycopg

from api.settings import Settings
from api.tasks import SqlHandler, Task
from api.worker import Worker
from bench.common import cpu_seconds, env_ints, percentile, postmaster_of

COROUTINES = env_ints("BENCH_QUEUE_COROUTINES", (1, 4, 16))
BATCHES = env_ints("BENCH_QUEUE_BATCHES", (1, 10, 50))
LATENCY_TASKS = env_ints("BENCH_QUEUE_LATENCY_TASKS", (400,))[0]
CELL_TIMEOUT = 120.0  # seconds: a stuck cell fails the run instead of hanging it


def tasks_for(batch: int) -> int:
    fixed = os.environ.get("BENCH_QUEUE_TASKS", "")
    return int(fixed) if fixed else (3000 if batch == 1 else 10000)


@dataclass
class Drain:
    system: str
    coroutines: int
    batch: int
    tasks: int
    seconds: float
    cpu: dict[str, float] = field(default_factory=dict)  # group -> share of one core

    @property
    def rate(self) -> float:
        return self.tasks / self.seconds if self.seconds else 0.0


class Cpu:
    """CPU seconds of this process (client and workers) and of the PostgreSQL cluster."""

    def __init__(self, postmaster: int | None) -> None:
        self.postmaster = postmaster

    def read(self) -> dict[str, float]:
        got = {"python": cpu_seconds(os.getpid())}
        if self.postmaster:
            got["postgres"] = cpu_seconds(self.postmaster, with_children=True)
        return got

    @staticmethod
    def share(before: dict[str, float], after: dict[str, float], seconds: float) -> dict:
        return {k: (after[k] - before[k]) / seconds for k in before}


async def until(check: Callable[[], bool | Awaitable[bool]], what: str, pause: float = 0.002):
    deadline = time.perf_counter() + CELL_TIMEOUT
    while True:
        result = check()
        if not isinstance(result, bool):
            result = await result
        if result:
            return
        if time.perf_counter() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        await asyncio.sleep(pause)


# --- ours -----------------------------------------------------------------------------------


async def start_worker(settings: Settings, coroutines: int, batch: int, handlers: dict):
    s = msgspec.structs.replace(
        settings,
        worker_concurrency=coroutines,
        worker_batch=batch,
        worker_lease_seconds=60,
        worker_poll_seconds=1.0,
        worker_listen=True,
    )
    worker = Worker(s, handlers, name=f"bench-{coroutines}x{batch}")
    running = asyncio.create_task(worker.run(handle_signals=False))
    await until(
        lambda: (
            (worker.listening.is_set() and worker.doorbell.waiting == coroutines) or running.done()
        ),
        "our worker to be idle",
    )
    if running.done():
        running.result()
    return worker, running


async def ours_drain(
    settings: Settings, admin: psycopg.AsyncConnection, cpu: Cpu, coroutines: int, batch: int
) -> Drain:
    n = tasks_for(batch)
    await admin.execute("truncate queue.tasks")
    worker, running = await start_worker(settings, coroutines, batch, {"noop": SqlHandler("noop")})
    try:
        await admin.execute("select count(queue.enqueue('noop')) from generate_series(1, %s)", [n])
        started, before = time.perf_counter(), cpu.read()
        await until(lambda: worker.done >= n, f"{n} tasks done (ours)")
        seconds = time.perf_counter() - started
        after = cpu.read()
    finally:
        worker.stop()
        await running
    cur = await admin.execute("select count(*) from queue.tasks where state <> 'done'")
    left_n = (await cur.fetchone())[0]  # type: ignore[index]
    if left_n:
        raise RuntimeError(f"ours: {left_n} tasks not done after the drain")
    return Drain("brigade", coroutines, batch, n, seconds, Cpu.share(before, after, seconds))


async def ours_latency(settings: Settings, admin: psycopg.AsyncConnection) -> list[float]:
    await admin.execute("truncate queue.tasks")
    latencies: list[float] = []

    async def record(task: Task, conn: psycopg.AsyncConnection) -> None:
        latencies.append((time.perf_counter() - task.payload["t"]) * 1000)

    worker, running = await start_worker(settings, 4, 10, {"bench_latency": record})
    try:
        for _ in range(LATENCY_TASKS):
            t = time.perf_counter()
            await admin.execute(
                "select queue.enqueue('bench_latency', %s::jsonb)", [json.dumps({"t": t})]
            )
            await asyncio.sleep(0.005)
        await until(lambda: len(latencies) >= LATENCY_TASKS, "latency tasks (ours)")
    finally:
        worker.stop()
        await running
    return latencies


# --- pgqueuer -------------------------------------------------------------------------------


class PgQueuer:
    """pgqueuer 1.x on the same database: installs its schema once, then runs cells.

    With asyncpg, the driver pgqueuer is built around (its PsycopgDriver waits for
    notifications while holding the connection's lock, which caps it far lower: measured
    here about 3.3k jobs/s at 50 per batch, against about 3x that with asyncpg).
    """

    def __init__(self, dsn: str, admin: psycopg.AsyncConnection) -> None:
        import asyncpg  # the bench extra: pip install -e .[bench]
        import pgqueuer

        self.asyncpg = asyncpg
        self.pgqueuer = pgqueuer
        self.dsn = dsn
        self.admin = admin  # ours, for reading its table
        self.version = f"{getattr(pgqueuer, '__version__', '?')}, asyncpg {asyncpg.__version__}"
        self.conn = None
        self.queries = None

    async def connect(self):
        conn = await self.asyncpg.connect(self.dsn)
        return conn, self.pgqueuer.Queries(self.pgqueuer.AsyncpgDriver(conn))

    async def open(self) -> None:
        self.conn, self.queries = await self.connect()
        if await self.queries.schema_is_installed():
            await self.queries.uninstall()
        await self.queries.install()
        await self.queries.optimize_autovacuum()  # its own recommended queue settings

    async def close(self) -> None:
        if self.queries is not None:
            await self.queries.uninstall()
        if self.conn is not None:
            await self.conn.close()

    async def _table_empty(self) -> bool:
        cur = await self.admin.execute("select not exists (select 1 from public.pgqueuer)")
        return (await cur.fetchone())[0]  # type: ignore[index]

    async def _start(self, coroutines: int, batch: int, name: str, handler):
        conns, managers = [], []
        for _ in range(coroutines):
            conn, queries = await self.connect()
            qm = self.pgqueuer.QueueManager(queries)
            qm.entrypoint(name)(handler)
            conns.append(conn)
            managers.append(qm)
        runs = [
            asyncio.create_task(qm.run(batch_size=batch, dequeue_timeout=timedelta(seconds=30)))
            for qm in managers
        ]
        await asyncio.sleep(1.0)  # each manager verifies the schema and starts listening
        for run in runs:
            if run.done():
                run.result()
        return conns, managers, runs

    @staticmethod
    async def _stop(conns, managers, runs) -> None:
        for qm in managers:
            qm.shutdown.set()
        await asyncio.wait_for(asyncio.gather(*runs), 30)
        for conn in conns:
            await conn.close()

    async def drain(self, cpu: Cpu, coroutines: int, batch: int) -> Drain:
        n = tasks_for(batch)
        await self.queries.clear_queue()  # type: ignore[union-attr]
        await self.admin.execute("truncate public.pgqueuer_log")
        ran = 0

        async def noop(job) -> None:
            nonlocal ran
            ran += 1

        started_workers = await self._start(coroutines, batch, "noop", noop)
        try:
            await self.queries.enqueue(["noop"] * n, [None] * n, [0] * n)  # type: ignore[union-attr]
            started, before = time.perf_counter(), cpu.read()
            await until(lambda: ran >= n, f"{n} jobs run (pgqueuer)")
            await until(self._table_empty, "pgqueuer's queue table to be empty", pause=0.005)
            seconds = time.perf_counter() - started
            after = cpu.read()
        finally:
            await self._stop(*started_workers)
        return Drain("pgqueuer", coroutines, batch, n, seconds, Cpu.share(before, after, seconds))

    async def latency(self) -> list[float]:
        await self.queries.clear_queue()  # type: ignore[union-attr]
        latencies: list[float] = []

        async def record(job) -> None:
            latencies.append((time.perf_counter() - json.loads(job.payload)["t"]) * 1000)

        started_workers = await self._start(4, 10, "bench_latency", record)
        try:
            for _ in range(LATENCY_TASKS):
                t = time.perf_counter()
                await self.queries.enqueue("bench_latency", json.dumps({"t": t}).encode())  # type: ignore[union-attr]
                await asyncio.sleep(0.005)
            await until(lambda: len(latencies) >= LATENCY_TASKS, "latency jobs (pgqueuer)")
        finally:
            await self._stop(*started_workers)
        return latencies


# --- output ---------------------------------------------------------------------------------


def print_drains(pairs: list[tuple[Drain, Drain | None]]) -> None:
    header = [
        "coroutines",
        "batch",
        "tasks",
        "brigade jobs/s",
        "pgqueuer jobs/s",
        "brigade/pgqueuer",
        "cpu py/pg (brigade)",
        "cpu py/pg (pgqueuer)",
    ]
    rows = [header]
    for ours, theirs in pairs:

        def cpu(d: Drain | None) -> str:
            if d is None or not d.cpu:
                return ""
            return "/".join(f"{d.cpu.get(g, math.nan) * 100:.0f}%" for g in ("python", "postgres"))

        rows.append(
            [
                str(ours.coroutines),
                str(ours.batch),
                str(ours.tasks),
                f"{ours.rate:,.0f}",
                f"{theirs.rate:,.0f}" if theirs else "n/a",
                f"{ours.rate / theirs.rate:.2f}x" if theirs and theirs.rate else "n/a",
                cpu(ours),
                cpu(theirs),
            ]
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    for n, row in enumerate(rows):
        print("  ".join(v.rjust(w) for v, w in zip(row, widths, strict=True)))
        if n == 0:
            print("  ".join("-" * w for w in widths))


def describe_latency(name: str, values: list[float]) -> str:
    ordered = sorted(values)
    return (
        f"{name:9} enqueue->start over {len(ordered)} tasks: p50 {percentile(ordered, 50):.2f} ms, "
        f"p99 {percentile(ordered, 99):.2f} ms, max {ordered[-1]:.2f} ms"
    )


def compare_latency(ours: list[float], theirs: list[float]) -> str:
    """Our enqueue->start p50 and p99 against pgqueuer's, with the ratio theirs / ours."""
    parts = []
    for q in (50, 99):
        a, b = percentile(sorted(ours), q), percentile(sorted(theirs), q)
        parts.append(f"p{q} {a:.2f} vs {b:.2f} ms ({b / a if a else math.inf:.2f}x)")
    return "brigade vs pgqueuer enqueue->start: " + ", ".join(parts) + " (pgqueuer / brigade)"


async def main() -> int:
    logging.basicConfig(level=logging.WARNING)
    settings = Settings.load()
    admin = await psycopg.AsyncConnection.connect(settings.database_url, autocommit=True)
    backend = admin.info.backend_pid
    cpu = Cpu(postmaster_of(backend))
    load = os.getloadavg()[0]
    print(
        f"load average at start: {load:.2f} (2 cores: above ~1, treat absolute figures with "
        "suspicion; the ratios, measured back to back, less so)"
    )

    pgq: PgQueuer | None = None
    why_not = ""
    try:
        pgq = PgQueuer(settings.database_url, admin)
        await pgq.open()
        print(f"pgqueuer {pgq.version}: installed in schema public of the same database")
    except Exception as exc:  # report exactly why, and still measure ours
        why_not = f"{type(exc).__name__}: {exc}"
        print(f"pgqueuer unavailable, no baseline (the run fails): {why_not}", file=sys.stderr)
        pgq = None

    pairs: list[tuple[Drain, Drain | None]] = []
    try:
        for batch in BATCHES:
            for coroutines in COROUTINES:
                ours = await ours_drain(settings, admin, cpu, coroutines, batch)
                theirs = await pgq.drain(cpu, coroutines, batch) if pgq else None
                pairs.append((ours, theirs))
        print()
        print(
            "throughput: N no-op tasks enqueued in one transaction, drained by idle workers "
            "(commit -> last task done)"
        )
        print_drains(pairs)

        print()
        ours_lat = await ours_latency(settings, admin)
        print(describe_latency("brigade", ours_lat))
        if pgq:
            theirs_lat = await pgq.latency()
            print(describe_latency("pgqueuer", theirs_lat))
            print(compare_latency(ours_lat, theirs_lat))
    finally:
        if pgq:
            await pgq.close()
        await admin.execute("truncate queue.tasks")
        await admin.close()

    print()
    compared = [(o, t) for o, t in pairs if t]
    if compared:
        ratios = [o.rate / t.rate for o, t in compared]
        met = sum(r >= 1.5 for r in ratios)
        print(
            f"goal >= 1.5x pgqueuer: met in {met} of {len(ratios)} cells; ratio min "
            f"{min(ratios):.2f}x, median {sorted(ratios)[len(ratios) // 2]:.2f}x, "
            f"max {max(ratios):.2f}x"
        )
    else:
        print(f"no pgqueuer figures to compare with: {why_not}")
    p99 = percentile(sorted(ours_lat), 99)
    print(f"goal p99 enqueue->start < 20 ms: {'met' if p99 < 20 else 'NOT met'} ({p99:.2f} ms)")
    # Our figures alone are no result: without the baseline of the same run the module fails.
    return 0 if compared else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
