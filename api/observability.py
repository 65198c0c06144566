"""Request ids, one JSON log line per request, and the pool's and queue's gauges for /metrics."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import sys
import time
import uuid
from typing import TYPE_CHECKING, Any

from litestar.types import ASGIApp, Message, Receive, Scope, Send
from prometheus_client import REGISTRY
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from psycopg_pool import AsyncConnectionPool

from api.db import statements as q

if TYPE_CHECKING:
    from api.db.listener import Listener
    from api.events import EventHub

REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
access_log = logging.getLogger("brigade.access")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        line.update(getattr(record, "fields", {}))
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


def configure_logging(level: str) -> None:
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())


def request_id_middleware(app: ASGIApp) -> ASGIApp:
    """Give every request an id (or keep a sane incoming X-Request-ID), echo it, log the line."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        incoming = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if REQUEST_ID.match(incoming) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode()))
                message["headers"] = headers
            await send(message)

        try:
            await app(scope, receive, send_with_id)
        finally:
            access_log.info(
                "request",
                extra={
                    "fields": {
                        "request_id": request_id,
                        "method": scope["method"],
                        "path": scope["path"],
                        "status": status,
                        "ms": round((time.perf_counter() - started) * 1000, 2),
                    }
                },
            )

    return middleware


class PoolCollector(Collector):
    """Pool in-use and waiting, read at scrape time."""

    def __init__(self, pool: AsyncConnectionPool) -> None:
        self.pool = pool

    def collect(self):  # noqa: ANN201 - prometheus_client's protocol
        stats = self.pool.get_stats()
        size = stats.get("pool_size", 0)
        available = stats.get("pool_available", 0)
        for name, doc, value in (
            ("brigade_pool_size", "Connections open in the API pool.", size),
            ("brigade_pool_in_use", "Connections lent to requests.", size - available),
            (
                "brigade_pool_waiting",
                "Requests waiting for a connection.",
                stats.get("requests_waiting", 0),
            ),
            ("brigade_pool_max_size", "Most connections the pool may open.", self.pool.max_size),
        ):
            yield GaugeMetricFamily(name, doc, value=value)


class StreamCollector(Collector):
    """Open SSE streams and the LISTEN connection they depend on, read at scrape time."""

    def __init__(self, hub: EventHub, listener: Listener) -> None:
        self.hub = hub
        self.listener = listener

    def collect(self):  # noqa: ANN201 - prometheus_client's protocol
        yield GaugeMetricFamily(
            "brigade_sse_streams",
            "SSE streams open in this process.",
            value=self.hub.subscriber_count,
        )
        yield GaugeMetricFamily(
            "brigade_listener_connected",
            "1 while the process's LISTEN connection is up (events and menu wake-ups).",
            value=1 if self.listener.connected else 0,
        )


class _PolledCollector(Collector):
    """Figures read in the background: a scrape must not wait on the database inside the
    event loop, so a task reads them every `every` seconds (one cheap query through the
    pool, as `authenticator`) and a scrape reports the last read. While the database cannot
    be read the series are absent rather than stale."""

    statement: str
    values: Any

    def __init__(self, pool: AsyncConnectionPool, every: float = 5.0) -> None:
        self.pool = pool
        self.every = every
        self.values = None
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        REGISTRY.register(self)
        self._task = asyncio.get_running_loop().create_task(self._refresh_forever())

    async def stop(self) -> None:
        REGISTRY.unregister(self)
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _fetch(self, cur: Any) -> Any:
        return await cur.fetchall()

    async def refresh(self) -> None:
        try:
            async with self.pool.connection(timeout=2) as conn:
                self.values = await self._fetch(await conn.execute(self.statement))
        except Exception:  # the database is away: /readyz says so; no stale figures here
            self.values = None

    async def _refresh_forever(self) -> None:
        while True:
            await self.refresh()
            await asyncio.sleep(self.every)


class QueueCollector(_PolledCollector):
    """Queue depth and the age of the oldest due task, from `queue.metrics()`."""

    statement = q.QUEUE_METRICS
    values: tuple[int, int, int, int, float] | None

    async def _fetch(self, cur: Any) -> Any:
        return await cur.fetchone()

    def collect(self):  # noqa: ANN201 - prometheus_client's protocol
        if self.values is None:
            return
        pending, due, running, dead, oldest = self.values
        tasks = GaugeMetricFamily(
            "brigade_queue_tasks",
            "Tasks in queue.tasks by state (done tasks, purged on schedule, are not counted).",
            labels=["state"],
        )
        for state, value in (("pending", pending), ("running", running), ("dead", dead)):
            tasks.add_metric([state], value)
        yield tasks
        yield GaugeMetricFamily(
            "brigade_queue_due_tasks",
            "Pending tasks whose run_at has come: the backlog.",
            value=due,
        )
        yield GaugeMetricFamily(
            "brigade_queue_oldest_pending_seconds",
            "How long the oldest due pending task has waited for a worker (0 when none).",
            value=oldest,
        )


class CronCollector(_PolledCollector):
    """Failed pg_cron runs of the last hour, per job, from `meta.cron_failures()`; no series
    where pg_cron is not installed or the database cannot be read."""

    statement = q.CRON_FAILURES
    values: list[tuple[str, int]] | None

    def collect(self):  # noqa: ANN201 - prometheus_client's protocol
        if not self.values:
            return
        failures = GaugeMetricFamily(
            "brigade_cron_failures",
            "Failed runs of each pg_cron job in the last hour (cron.job_run_details).",
            labels=["job"],
        )
        for job, count in self.values:
            failures.add_metric([job], count)
        yield failures
