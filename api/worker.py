"""`brigade worker`: runs the tasks of `queue.tasks` with the handlers of api/tasks.py.

One process, asyncio, logged in as the `worker` role:

- `worker_concurrency` runners, each with its own connection, each claiming up to
  `worker_batch` tasks with one `queue.claim` (FOR UPDATE SKIP LOCKED) and running them
  one after the other. Consecutive tasks of one SQL handler run in one statement (so in
  one transaction and one round trip) together with `queue.complete_all`, and the next
  claim rides in the same round trip; if it fails, the tasks are run again one by one,
  so that one bad task fails alone.
- an idle runner sleeps until the doorbell rings: a NOTIFY on channel `queue` (a
  dedicated LISTEN connection, unless `worker_listen` is off), or the poll tick every
  `worker_poll_seconds`, which also takes expired leases back (`queue.reclaim_expired`).
  A runner that claimed a full batch rings for a sibling: there may be more.
- a heartbeat renews the lease of every task held, every third of `worker_lease_seconds`.
- SIGTERM (or SIGINT): stop claiming; tasks claimed but not started are handed back at
  once (`queue.release`); running ones get `worker_lease_seconds` to finish, then their
  queries are cancelled and they are handed back too; exit status 0.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import signal
import socket
from collections import deque
from collections.abc import Sequence

import psycopg

from api.db import statements as q
from api.observability import configure_logging
from api.settings import Settings
from api.tasks import HANDLERS, Handler, SqlHandler, Task

log = logging.getLogger("brigade.worker")

RECONNECT_SECONDS = 1.0


class Doorbell:
    """Wakes idle runners, one per ring, so that one new task does not wake them all.

    `rings` counts every ring: a runner notes it before claiming and, if its claim found
    nothing, waits only if nobody rang meanwhile, so a ring during a claim is never lost.
    """

    def __init__(self) -> None:
        self.rings = 0
        self._waiters: deque[asyncio.Future[None]] = deque()

    @property
    def waiting(self) -> int:
        """Runners idle right now."""
        return sum(not w.done() for w in self._waiters)

    def ring(self) -> None:
        self.rings += 1
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return

    def ring_all(self) -> None:
        self.rings += 1
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)

    async def wait(self, seen: int) -> None:
        if self.rings != seen:
            return
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            await waiter
        finally:
            if not waiter.done():
                waiter.cancel()


def _lease_lost(exc: psycopg.Error) -> bool:
    return exc.sqlstate == "BR409" and exc.diag.message_hint == "lease_lost"


def _gone(conn: psycopg.AsyncConnection) -> bool:
    """The connection itself is lost (not just a failed statement on it)."""
    return conn.closed or conn.broken


def _describe(exc: BaseException) -> str:
    if isinstance(exc, psycopg.Error) and exc.sqlstate:
        return f"{exc.sqlstate}: {exc.diag.message_primary or exc}"
    return f"{type(exc).__name__}: {exc}"


class Worker:
    def __init__(
        self,
        settings: Settings,
        handlers: dict[str, Handler] | None = None,
        *,
        name: str | None = None,
    ) -> None:
        for field in ("worker_concurrency", "worker_batch", "worker_lease_seconds"):
            if getattr(settings, field) < 1:
                raise ValueError(f"{field} must be at least 1")
        if settings.worker_poll_seconds <= 0:
            raise ValueError("worker_poll_seconds must be positive")
        self.settings = settings
        self.handlers = HANDLERS if handlers is None else handlers
        self.name = name or f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(2)}"
        self.doorbell = Doorbell()
        self.stopping = asyncio.Event()
        self.listening = asyncio.Event()  # set once the LISTEN connection is up
        self.held: dict[int, Task] = {}  # claimed by this process, not yet finished
        self.runner_conns: list[psycopg.AsyncConnection | None] = []
        self._control: psycopg.AsyncConnection | None = None
        self.done = 0
        self.failed = 0

    # --- connections ------------------------------------------------------------------

    async def connect(self) -> psycopg.AsyncConnection:
        # client_connection_check_interval: if this process dies mid-query, its backend
        # notices within 2 s and rolls back, instead of running a long handler to the end.
        return await psycopg.AsyncConnection.connect(
            self.settings.worker_url,
            autocommit=True,
            application_name=f"brigade-worker {os.getpid()}",  # pg_stat_activity tells whose
            connect_timeout=self.settings.connect_timeout,
            options="-c client_connection_check_interval=2000 -c TimeZone=UTC",
        )

    async def control(self) -> psycopg.AsyncConnection:
        """The connection for heartbeats, releases and reclaims (reopened when lost)."""
        if self._control is None or self._control.closed or self._control.broken:
            self._control = await self.connect()
        return self._control

    # --- the main loop ----------------------------------------------------------------

    def stop(self) -> None:
        if not self.stopping.is_set():
            log.info("stopping: no new claims", extra={"fields": {"worker": self.name}})
            self.stopping.set()
            self.doorbell.ring_all()

    async def run(self, *, handle_signals: bool = True) -> int:
        """Run until SIGTERM/SIGINT (or `stop()`); 0 when it stopped cleanly."""
        loop = asyncio.get_running_loop()
        signals = (signal.SIGTERM, signal.SIGINT) if handle_signals else ()
        for sig in signals:
            loop.add_signal_handler(sig, self.stop)
        try:
            return await self._run()
        finally:
            for sig in signals:
                loop.remove_signal_handler(sig)

    async def _run(self) -> int:
        s = self.settings
        await self.control()  # fail fast when the database cannot be reached
        self.runner_conns = [None] * s.worker_concurrency
        background = [
            asyncio.create_task(self._tick()),
            asyncio.create_task(self._heartbeats()),
        ]
        if s.worker_listen:
            background.append(asyncio.create_task(self._listen()))
        runners = [asyncio.create_task(self._runner(i)) for i in range(s.worker_concurrency)]
        log.info(
            "worker started",
            extra={
                "fields": {
                    "worker": self.name,
                    "concurrency": s.worker_concurrency,
                    "batch": s.worker_batch,
                    "listen": s.worker_listen,
                }
            },
        )
        # Runners return only when stopping: one that ends before has crashed (a bug).
        stop_wait = asyncio.create_task(self.stopping.wait())
        await asyncio.wait([*runners, stop_wait], return_when=asyncio.FIRST_COMPLETED)
        self.stop()
        await self._drain(runners)
        for task in background:
            task.cancel()
        await asyncio.gather(*background, return_exceptions=True)
        await self._release(list(self.held.values()))
        for conn in [*self.runner_conns, self._control]:
            if conn is not None:
                await conn.close()
        log.info(
            "worker stopped",
            extra={"fields": {"worker": self.name, "done": self.done, "failed": self.failed}},
        )
        errors = [r.exception() for r in runners if not r.cancelled() and r.exception()]
        for error in errors:
            log.error("a runner crashed", exc_info=error)
        return 1 if errors else 0

    async def _drain(self, runners: Sequence[asyncio.Task[None]]) -> None:
        """Let running tasks finish for up to a lease; then cancel their queries."""
        _, late = await asyncio.wait(runners, timeout=self.settings.worker_lease_seconds)
        if not late:
            return
        log.warning(
            "tasks still running after the drain time: cancelling them",
            extra={"fields": {"worker": self.name, "held": sorted(self.held)}},
        )
        for conn in self.runner_conns:
            if conn is not None and not conn.closed:
                with contextlib.suppress(psycopg.Error):
                    await conn.cancel_safe(timeout=5)
        _, late = await asyncio.wait(late, timeout=10)
        for runner in late:  # a Python handler that ignores cancellation of its query
            runner.cancel()
        await asyncio.gather(*late, return_exceptions=True)

    async def _runner(self, index: int) -> None:
        conn: psycopg.AsyncConnection | None = None
        tasks: list[Task] = []  # claimed, to run next
        while not self.stopping.is_set():
            try:
                if conn is None or conn.closed or conn.broken:
                    conn = self.runner_conns[index] = await self.connect()
                if not tasks:
                    seen = self.doorbell.rings
                    tasks = await self._claim(conn)
                    if not tasks:
                        await self.doorbell.wait(seen)
                        continue
                if len(tasks) >= self.settings.worker_batch:
                    self.doorbell.ring()  # a full batch: there may be more for a sibling
                tasks = await self._execute(conn, tasks)
            except psycopg.Error as exc:
                tasks = []  # whatever was held is handed back by _execute or at the end
                if self.stopping.is_set() and isinstance(exc, psycopg.errors.QueryCanceled):
                    return  # the drain cancelled what this runner was doing
                if conn is not None and not _gone(conn):
                    raise
                log.warning(
                    "database connection lost; reconnecting",
                    extra={"fields": {"worker": self.name, "error": _describe(exc)}},
                )
                if conn is not None:
                    await conn.close()
                conn = None
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.stopping.wait(), RECONNECT_SECONDS)

    def _claim_params(self) -> list[object]:
        return [self.name, self.settings.worker_batch, self.settings.worker_lease_seconds]

    def _hold(self, rows: list[tuple]) -> list[Task]:
        tasks = sorted((Task(*row) for row in rows), key=lambda t: (t.priority, t.run_at, t.id))
        for task in tasks:
            self.held[task.id] = task
        return tasks

    async def _claim(self, conn: psycopg.AsyncConnection) -> list[Task]:
        cur = await conn.execute(q.CLAIM, self._claim_params())
        return self._hold(await cur.fetchall())

    async def _execute(self, conn: psycopg.AsyncConnection, tasks: list[Task]) -> list[Task]:
        """Run a claimed batch in order; whatever is not finished is handed back.

        Returns the next batch when the last statement could claim it on the way.
        """
        following: list[Task] = []
        try:
            i = 0
            while i < len(tasks) and not self.stopping.is_set():
                handler = self.handlers.get(tasks[i].type)
                if isinstance(handler, SqlHandler):
                    j = i + 1
                    while j < len(tasks) and self.handlers.get(tasks[j].type) == handler:
                        j += 1
                    following = await self._run_sql(
                        conn, handler, tasks[i:j], claim_next=j == len(tasks)
                    )
                    i = j
                else:
                    await self._run_python(conn, handler, tasks[i])
                    i += 1
        finally:
            leftover = [t for t in tasks if t.id in self.held]
            if leftover:
                await self._release(leftover)
        return following

    # --- running tasks ----------------------------------------------------------------

    async def _sql_batch(
        self,
        conn: psycopg.AsyncConnection,
        handler: SqlHandler,
        tasks: Sequence[Task],
        *,
        claim_next: bool,
    ) -> list[Task]:
        """The handlers, then complete_all, in one statement, so in one transaction.

        complete_all runs once the handlers have all returned (it needs their count), and
        raises lease_lost if any lease was lost meanwhile, which rolls the handlers back
        too. With claim_next, the next claim is sent in the same round trip (pipeline): the
        two statements then share one implicit transaction, and a failure takes both back.
        """
        batch = q.SQL_BATCH.format(handler.function)
        params = {"ids": [t.id for t in tasks], "worker": self.name, "n": len(tasks)}
        if not claim_next:
            cur = await conn.execute(batch, params)
            if await cur.fetchone() is None:  # only if the statement above were wrong
                raise RuntimeError(f"{handler.type}: the handlers did not run once per task")
            return []
        async with conn.pipeline():
            cur = await conn.execute(batch, params)
            claimed = await conn.execute(q.CLAIM, self._claim_params())
        following = self._hold(await claimed.fetchall())
        if await cur.fetchone() is None:
            raise RuntimeError(f"{handler.type}: the handlers did not run once per task")
        return following

    async def _run_sql(
        self,
        conn: psycopg.AsyncConnection,
        handler: SqlHandler,
        tasks: Sequence[Task],
        *,
        claim_next: bool = False,
    ) -> list[Task]:
        """Run a group of one SQL handler; returns the next batch if it was claimed too."""
        try:
            following = await self._sql_batch(
                conn, handler, tasks, claim_next=claim_next and not self.stopping.is_set()
            )
        except psycopg.Error as exc:
            if _gone(conn):
                raise
            if self.stopping.is_set() and isinstance(exc, psycopg.errors.QueryCanceled):
                return []  # cancelled by the drain: handed back by _execute
            if len(tasks) == 1:
                await self._failed(conn, tasks[0], exc)
                return []
            # One of them failed and took the others down: one by one, each on its own.
            for task in tasks:
                if self.stopping.is_set():
                    break
                await self._run_sql(conn, handler, [task])
            return []
        self._finished(tasks)
        return following

    async def _run_python(
        self, conn: psycopg.AsyncConnection, handler: Handler | None, task: Task
    ) -> None:
        if handler is None:
            await self._failed(conn, task, LookupError(f"no handler for task type {task.type!r}"))
            return
        try:
            await handler(task, conn)  # type: ignore[operator]
        except Exception as exc:
            if isinstance(exc, psycopg.Error) and _gone(conn):
                raise
            if self.stopping.is_set() and isinstance(exc, psycopg.errors.QueryCanceled):
                return
            await self._failed(conn, task, exc)
            return
        cur = await conn.execute(q.COMPLETE, [task.id, self.name])
        if not (await cur.fetchone())[0]:  # type: ignore[index]
            self._lost(task)
            return
        self._finished([task])

    def _finished(self, tasks: Sequence[Task]) -> None:
        for task in tasks:
            self.held.pop(task.id, None)
        self.done += len(tasks)

    def _lost(self, task: Task) -> None:
        self.held.pop(task.id, None)
        log.warning(
            "lease lost: another worker has the task",
            extra={"fields": {"worker": self.name, "task": task.id, "type": task.type}},
        )

    async def _failed(self, conn: psycopg.AsyncConnection, task: Task, exc: BaseException) -> None:
        if isinstance(exc, psycopg.Error) and _lease_lost(exc):
            self._lost(task)
            return
        error = _describe(exc)
        cur = await conn.execute(q.FAIL, [task.id, self.name, error])
        state = (await cur.fetchone())[0]  # type: ignore[index]
        self.held.pop(task.id, None)
        if state is None:
            self._lost(task)
            return
        self.failed += 1
        (log.error if state == "dead" else log.warning)(
            "task failed",
            extra={
                "fields": {
                    "worker": self.name,
                    "task": task.id,
                    "type": task.type,
                    "attempt": task.attempts,
                    "state": state,
                    "error": error,
                }
            },
        )

    async def _release(self, tasks: Sequence[Task]) -> None:
        """Hand tasks back to the queue now (best effort: else their lease expires)."""
        if not tasks:
            return
        try:
            conn = await self.control()
            await conn.execute(
                q.RELEASE,
                [self.name, [t.id for t in tasks]],
            )
        except psycopg.Error as exc:
            log.warning(
                "could not hand tasks back; their leases will expire",
                extra={"fields": {"worker": self.name, "error": _describe(exc)}},
            )
        for task in tasks:
            self.held.pop(task.id, None)

    # --- background -------------------------------------------------------------------

    async def _tick(self) -> None:
        """Poll: take expired leases back, then wake one idle runner."""
        while True:
            try:
                conn = await self.control()
                await conn.execute(q.RECLAIM_EXPIRED)
            except psycopg.Error as exc:
                log.warning(
                    "poll failed", extra={"fields": {"worker": self.name, "error": _describe(exc)}}
                )
                self._control = None
            self.doorbell.ring()
            await asyncio.sleep(self.settings.worker_poll_seconds)

    async def _heartbeats(self) -> None:
        """Renew the lease of every task held, every third of a lease."""
        s = self.settings
        while True:
            await asyncio.sleep(s.worker_lease_seconds / 3)
            ids = list(self.held)
            if not ids:
                continue
            try:
                conn = await self.control()
                cur = await conn.execute(
                    q.HEARTBEAT_LOST,
                    [ids, self.name, s.worker_lease_seconds],
                )
                lost = [row[0] for row in await cur.fetchall()]
            except psycopg.Error as exc:
                log.warning(
                    "heartbeat failed",
                    extra={"fields": {"worker": self.name, "error": _describe(exc)}},
                )
                self._control = None
                continue
            if lost:
                log.warning(
                    "leases lost before the tasks finished",
                    extra={"fields": {"worker": self.name, "tasks": lost}},
                )

    async def _listen(self) -> None:
        """LISTEN queue on a dedicated connection; each notification wakes one runner."""
        while True:
            try:
                conn = await self.connect()
                try:
                    await conn.execute(q.LISTEN_QUEUE)
                    self.listening.set()
                    self.doorbell.ring_all()  # wake-ups may have been missed while away
                    async for _ in conn.notifies():
                        self.doorbell.ring()
                finally:
                    self.listening.clear()
                    await conn.close()
            except psycopg.Error as exc:
                log.warning(
                    "listen connection lost; polling until it is back",
                    extra={"fields": {"worker": self.name, "error": _describe(exc)}},
                )
                await asyncio.sleep(RECONNECT_SECONDS)


def main(settings: Settings) -> int:
    configure_logging(settings.log_level)
    return asyncio.run(Worker(settings).run())


# --- `brigade queue status | dead | retry ID` (operators; the owner's connection) --------

STATE_ORDER = {"pending": 0, "running": 1, "dead": 2, "done": 3}


def _age(seconds: float | None) -> str:
    if seconds is None:
        return ""
    if seconds < 120:
        return f"{seconds:.1f} s"
    if seconds < 7200:
        return f"{seconds / 60:.1f} min"
    return f"{seconds / 3600:.1f} h"


def queue_command(conn: psycopg.Connection, command: str, task_id: int | None) -> int:
    """Print the queue's state (`status`), its dead tasks (`dead`), or retry one."""
    if command == "retry":
        retried = conn.execute(q.RETRY, [task_id]).fetchone()[0]  # type: ignore[index]
        if not retried:
            print(f"task {task_id} is not dead (or does not exist): nothing to retry")
            return 1
        print(f"task {task_id} is pending again, with fresh attempts")
        return 0
    if command == "dead":
        rows = conn.execute(q.DEAD_TASKS).fetchall()
        for id_, type_, attempts, finished_at, error in rows:
            first_line = (error or "").splitlines()[0] if error else ""
            died = f"{finished_at:%Y-%m-%d %H:%M:%S%z}"
            print(f"{id_:>10}  {type_:20}  {attempts:>3} attempts  died {died}")
            print(f"{'':>10}  {first_line[:200]}")
        total = conn.execute(q.DEAD_COUNT).fetchone()[0]  # type: ignore[index]
        shown = f", the latest {len(rows)} shown" if total > len(rows) else ""
        print(f"{total} dead task(s){shown}")
        return 0
    rows = conn.execute(q.QUEUE_STATUS).fetchall()
    rows.sort(key=lambda r: (STATE_ORDER.get(r[1], 9), r[0]))
    print(f"{'type':24} {'state':8} {'tasks':>9}  oldest pending")
    for type_, state, tasks, oldest in rows:
        print(f"{type_:24} {state:8} {tasks:>9}  {_age(oldest)}")
    totals: dict[str, int] = {}
    for _, state, tasks, _ in rows:
        totals[state] = totals.get(state, 0) + tasks
    summary = ", ".join(f"{totals[s]} {s}" for s in sorted(totals, key=STATE_ORDER.get))
    print(summary or "the queue is empty")
    return 0
