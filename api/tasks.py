"""Task handlers: the one place that says which code runs a task type.

A task is a row of `queue.tasks` (sql/migrations/V0006__queue.sql); `brigade worker`
(api/worker.py) claims tasks and looks their `type` up in `HANDLERS`:

- `SqlHandler`: the work is in the database. The worker calls `app.task_<type>(payload)`
  and marks the task done in the same transaction, so the work commits exactly when the
  task is done: if the worker dies or loses the lease, both roll back. This is the default.
- a Python handler (`async def handler(task, conn)`): only for the outside world (an HTTP
  call, an e-mail). It runs, then the task is completed in a transaction of its own, so
  a crash in between runs it again.

Delivery is at least once either way (a batch whose transaction fails is retried task by
task; a task whose worker dies is taken back when its lease expires), so every handler
must be safe to run twice: check before acting, upsert rather than insert, send outside
requests with an idempotency key. A handler fails by raising: the task goes back to
pending after an exponential backoff (2 s, 4 s, ... capped at 1 h, jittered), and is
`dead`, its last error kept, after `max_attempts` (10 by default); `brigade queue dead`
lists those and `brigade queue retry ID` runs one again.

Adding a type: write `app.task_<type>(payload jsonb) returns void` in
sql/functions/app/ (granted to `worker`) and add `"<type>": SqlHandler("<type>")` below; or
add a Python handler. Enqueue with `queue.enqueue('<type>', payload, ...)` from SQL, in
the transaction of the change that needs the work.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any
from uuid import UUID

import psycopg
from psycopg import sql

from api import notifications, webhooks

TYPE_NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")  # the check constraint on queue.tasks.type


@dataclass(frozen=True)
class Task:
    """A claimed task, as the handler sees it."""

    id: int
    type: str
    payload_json: str  # as stored; SQL handlers read it in the database, never decoded here
    restaurant_id: UUID | None
    priority: int
    run_at: datetime
    attempts: int  # this run included
    max_attempts: int

    @cached_property
    def payload(self) -> Any:
        return json.loads(self.payload_json)


@dataclass(frozen=True, slots=True)
class SqlHandler:
    """The task's work is `app.task_<type>(payload jsonb)`, run in the worker's transaction."""

    type: str

    def __post_init__(self) -> None:
        if not TYPE_NAME.match(self.type):
            raise ValueError(f"not a task type name: {self.type!r}")

    @property
    def function(self) -> sql.Composable:
        return sql.Identifier("app", f"task_{self.type}")


# A Python handler gets the task and the worker's connection (autocommit, role `worker`),
# for example to record a delivery through an SQL function.
PythonHandler = Callable[[Task, psycopg.AsyncConnection], Awaitable[None]]
Handler = SqlHandler | PythonHandler

HANDLERS: dict[str, Handler] = {
    # The outside world (Python): a signed POST to a restaurant's webhook URL (api/webhooks.py);
    # an e-mail, SMS or push message through the configured sender (api/notifications.py).
    "notification": notifications.handle,
    "webhook": webhooks.handle,
    # Rebuild the stale cached menus of a branch: payload {"branch_id": ...}; enqueue it
    # with dedupe_key 'menu_rebuild:<branch_id>' so that a burst of edits rebuilds once.
    "menu_rebuild": SqlHandler("menu_rebuild"),
    # Test and benchmark utilities: do nothing; sleep payload.seconds in the database.
    "noop": SqlHandler("noop"),
    "sleep": SqlHandler("sleep"),
}

# Python handlers for the outside world (imported last: they refer to Task above).
from api import notifications, webhooks  # noqa: E402

# Outbound webhooks, signed, with an SSRF guard: payload {"subscription_id", "event"}.
HANDLERS["webhook"] = webhooks.handle
# Email, SMS, push through a pluggable sender: payload {"restaurant_id", "notification_id"}.
HANDLERS["notification"] = notifications.handle
