"""Outbound webhooks end to end: the HTTP API, the queue, a real `brigade worker` process and
a real receiver on 127.0.0.1 that checks every signature.

The module has a database of its own (cloned from the suite's template), an API server and
workers started on it. Events are emitted as a context of the application would emit them
(`app_private.emit_webhooks`, as the owner); the receiver answers what each test scripts.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import secrets
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import psycopg
import pytest
from conftest import BRIGADE, running_server, server_env
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from api import webhooks
from api.settings import Settings


def eventually(check: Callable[[], Any], timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for: {what}")
        time.sleep(0.05)


# --- a real receiver ----------------------------------------------------------------------


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    path: str


@dataclass
class Receiver:
    """An HTTP endpoint on 127.0.0.1 that answers scripted status codes (then 200)."""

    url: str
    script: list[int] = field(default_factory=list)
    delays: list[float] = field(default_factory=list)  # seconds before answering, in order
    requests: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next_status(self, request: Received) -> int:
        with self.lock:
            self.requests.append(request)
            delay = self.delays.pop(0) if self.delays else 0.0
            status = self.script.pop(0) if self.script else 200
        time.sleep(delay)
        return status


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    box: list[Receiver] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            request = Received(dict(self.headers.items()), body, self.path)
            status = box[0].next_status(request)
            try:
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")
            except OSError:
                pass  # the sender gave up waiting (a timeout test)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    box.append(Receiver(url=f"http://127.0.0.1:{server.server_address[1]}/hooks/brigade"))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield box[0]
    finally:
        server.shutdown()
        server.server_close()


def signature_ok(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """The receiver's check, written out independently of api/webhooks.py."""
    parts = dict(item.split("=", 1) for item in headers["Brigade-Signature"].split(","))
    timestamp = int(parts["t"])
    expected = hmac.new(
        secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256
    ).hexdigest()
    return abs(time.time() - timestamp) < 300 and hmac.compare_digest(expected, parts["v1"])


# --- a database, an API and workers of the module's own -----------------------------------


@pytest.fixture(scope="module")
def hooks_db(settings: Settings, template_db: str) -> Iterator[str]:
    name = f"brigade_webhooks_{secrets.token_hex(4)}"
    maintenance = make_conninfo(settings.database_url, dbname="postgres")
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(
            sql.SQL("create database {} template {} owner {}").format(
                sql.Identifier(name),
                sql.Identifier(template_db),
                sql.Identifier(settings.owner_role),
            )
        )
    params = conninfo_to_dict(make_conninfo(settings.database_url, dbname=name))
    yield "postgresql://{user}@{host}:{port}/{dbname}".format(**params)
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(
            sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name))
        )


@pytest.fixture
def db(hooks_db: str) -> Iterator[psycopg.Connection]:
    with psycopg.connect(hooks_db, autocommit=True) as conn:
        yield conn


@pytest.fixture(scope="module")
def api(hooks_db: str) -> Iterator[str]:
    with running_server(hooks_db) as base:
        yield base


class WorkerProcess:
    def __init__(self, proc: subprocess.Popen[bytes], log: Path) -> None:
        self.proc = proc
        self.log = log

    def output(self) -> str:
        return self.log.read_text()

    def stop(self) -> int:
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(30)


@pytest.fixture
def start_worker(hooks_db: str, tmp_path: Path) -> Iterator[Callable[..., WorkerProcess]]:
    """`brigade worker` processes on the module's database; stopped (SIGTERM) at the end."""
    started: list[WorkerProcess] = []

    def _start(**env: str) -> WorkerProcess:
        overrides = {
            "BRIGADE_LOG_LEVEL": "info",
            "BRIGADE_WORKER_POLL_SECONDS": "0.2",
            "BRIGADE_WEBHOOK_TIMEOUT": "3",
            **env,
        }
        log = tmp_path / f"worker-{len(started)}.log"
        with log.open("wb") as out:
            proc = subprocess.Popen(
                [BRIGADE, "worker"], env=server_env(hooks_db, **overrides), stdout=out, stderr=out
            )
        worker = WorkerProcess(proc, log)
        started.append(worker)
        eventually(
            lambda: "worker started" in worker.output() or proc.poll() is not None,
            20,
            "the worker to start",
        )
        assert proc.poll() is None, worker.output()
        return worker

    yield _start
    for worker in started:
        if worker.proc.poll() is None:
            assert worker.stop() == 0, worker.output()


@dataclass
class Owner:
    restaurant_id: UUID
    client: httpx.Client


@pytest.fixture
def owner(db: psycopg.Connection, api: str, mint: Callable[..., str]) -> Iterator[Owner]:
    """A restaurant and its owner, signed in (a token with the owner's claims)."""
    tag = secrets.token_hex(4)
    rid = db.execute(
        "insert into app.restaurants (name, slug, currency, timezone) "
        "values ('Hooks', %s, 'EUR', 'Europe/Berlin') returning id",
        [f"hooks-{tag}"],
    ).fetchone()[0]
    uid = db.execute(
        "insert into app.users (email, name) values (%s, 'Owner') returning id",
        [f"owner-{tag}@hooks.test"],
    ).fetchone()[0]
    db.execute(
        "insert into app.memberships (restaurant_id, user_id, role) values (%s, %s, 'owner')",
        [rid, uid],
    )
    token = mint(sub=str(uid), role="staff", app_role="owner", restaurant_id=str(rid))
    with httpx.Client(
        base_url=api, timeout=10, headers={"Authorization": f"Bearer {token}"}
    ) as client:
        yield Owner(rid, client)


def subscribe(owner: Owner, url: str, events: list[str]) -> dict[str, Any]:
    response = owner.client.post(
        f"/v1/restaurants/{owner.restaurant_id}/webhooks", json={"url": url, "event_types": events}
    )
    assert response.status_code == 201, response.text
    return response.json()


def emit(db: psycopg.Connection, restaurant_id: UUID, event_type: str, data: dict) -> int:
    """What an emitting context does in its transaction (as the owner role)."""
    with db.transaction():
        db.execute("set local role brigade_owner")
        return db.execute(
            "select app_private.emit_webhooks(%s, %s, %s::jsonb)",
            [restaurant_id, event_type, json.dumps(data)],
        ).fetchone()[0]


def deliveries(owner: Owner, webhook_id: str) -> list[dict[str, Any]]:
    response = owner.client.get(f"/v1/webhooks/{webhook_id}/deliveries")
    assert response.status_code == 200, response.text
    return response.json()["items"]


def webhook(owner: Owner, webhook_id: str) -> dict[str, Any]:
    response = owner.client.get(f"/v1/restaurants/{owner.restaurant_id}/webhooks")
    assert response.status_code == 200, response.text
    return next(w for w in response.json()["items"] if w["id"] == webhook_id)


def tasks_of(db: psycopg.Connection, webhook_id: str) -> list[tuple[str, int]]:
    return db.execute(
        "select state, attempts from queue.tasks where type = 'webhook' "
        "and payload ->> 'subscription_id' = %s order by id",
        [webhook_id],
    ).fetchall()


# --- the tests ----------------------------------------------------------------------------


def test_a_signed_event_is_retried_until_the_receiver_recovers(
    db: psycopg.Connection,
    owner: Owner,
    receiver: Receiver,
    start_worker: Callable[..., WorkerProcess],
) -> None:
    hook = subscribe(owner, receiver.url, ["order.placed"])
    assert hook["secret"].startswith("whsec_")
    assert "secret" not in webhook(owner, hook["id"])  # shown once, at creation
    receiver.script = [503, 503]  # down for the first two attempts
    start_worker(BRIGADE_WEBHOOK_ALLOW_LOOPBACK="true")

    assert emit(db, owner.restaurant_id, "order.placed", {"order_id": "o-1", "total": 1250}) == 1
    eventually(lambda: len(receiver.requests) >= 3, 30, "three delivery attempts")
    eventually(lambda: tasks_of(db, hook["id"]) == [("done", 3)], 10, "the task to be done")
    time.sleep(0.5)
    assert len(receiver.requests) == 3, "nothing is sent after the success"

    bodies = {r.body for r in receiver.requests}
    assert len(bodies) == 1, "every attempt sends the same event"
    event = json.loads(receiver.requests[0].body)
    assert event["type"] == "order.placed"
    assert event["restaurant_id"] == str(owner.restaurant_id)
    assert event["data"] == {"order_id": "o-1", "total": 1250}
    for request in receiver.requests:
        assert request.path == "/hooks/brigade"
        assert request.headers["Content-Type"] == "application/json"
        assert request.headers["Brigade-Event-Id"] == event["id"]
        assert signature_ok(hook["secret"], request.headers, request.body)
        assert webhooks.verify(hook["secret"], request.headers["Brigade-Signature"], request.body)
        # A receiver with another secret, or a tampered body, refuses it.
        assert not signature_ok("whsec_other", request.headers, request.body)
        assert not signature_ok(hook["secret"], request.headers, request.body + b" ")

    log = deliveries(owner, hook["id"])
    assert [(d["attempt"], d["status_code"], d["succeeded"], d["error"]) for d in log] == [
        (3, 200, True, None),
        (2, 503, False, "HTTP 503"),
        (1, 503, False, "HTTP 503"),
    ]
    assert all(d["event_id"] == event["id"] and d["duration_ms"] >= 0 for d in log)
    state = webhook(owner, hook["id"])
    assert (state["active"], state["failure_count"]) == (True, 0)


def test_the_test_endpoint_sends_a_signed_test_event(
    db: psycopg.Connection,
    owner: Owner,
    receiver: Receiver,
    start_worker: Callable[..., WorkerProcess],
) -> None:
    hook = subscribe(owner, receiver.url, ["menu.changed"])
    start_worker(BRIGADE_WEBHOOK_ALLOW_LOOPBACK="true")
    response = owner.client.post(f"/v1/webhooks/{hook['id']}/test")
    assert response.status_code == 202, response.text
    assert response.json()["status"] == "queued"

    request = eventually(lambda: receiver.requests and receiver.requests[0], 20, "the test event")
    event = json.loads(request.body)
    assert event["id"] == response.json()["event_id"]
    assert (event["type"], event["data"]) == ("webhook.test", {"webhook_id": hook["id"]})
    assert signature_ok(hook["secret"], request.headers, request.body)
    log = eventually(lambda: deliveries(owner, hook["id"]), 10, "the delivery log")
    assert [(d["event_type"], d["status_code"], d["succeeded"]) for d in log] == [
        ("webhook.test", 200, True)
    ]


def test_a_slow_receiver_times_out_and_is_tried_again(
    db: psycopg.Connection,
    owner: Owner,
    receiver: Receiver,
    start_worker: Callable[..., WorkerProcess],
) -> None:
    hook = subscribe(owner, receiver.url, ["order.placed"])
    receiver.delays = [3.0]  # the first answer comes after the timeout
    start_worker(BRIGADE_WEBHOOK_ALLOW_LOOPBACK="true", BRIGADE_WEBHOOK_TIMEOUT="0.5")
    assert emit(db, owner.restaurant_id, "order.placed", {"order_id": "o-5"}) == 1
    eventually(lambda: tasks_of(db, hook["id"]) == [("done", 2)], 30, "the second attempt")
    log = deliveries(owner, hook["id"])
    assert [(d["attempt"], d["status_code"], d["error"]) for d in log] == [
        (2, 200, None),
        (1, None, "timed out after 0.5 s"),
    ]
    assert 400 <= log[1]["duration_ms"] < 2000, "the sender stopped waiting at the timeout"


def test_a_webhook_is_disabled_after_n_failures_in_a_row(
    db: psycopg.Connection,
    owner: Owner,
    receiver: Receiver,
    start_worker: Callable[..., WorkerProcess],
) -> None:
    hook = subscribe(owner, receiver.url, ["order.ready"])
    receiver.script = [503] * 50  # never recovers
    start_worker(BRIGADE_WEBHOOK_ALLOW_LOOPBACK="true", BRIGADE_WEBHOOK_DISABLE_AFTER="3")

    assert emit(db, owner.restaurant_id, "order.ready", {"order_id": "o-2"}) == 1
    state = eventually(
        lambda: (w := webhook(owner, hook["id"]))["disabled_at"] and w, 30, "the webhook disabled"
    )
    assert (state["active"], state["failure_count"]) == (False, 3)
    eventually(lambda: tasks_of(db, hook["id"]) == [("done", 3)], 10, "the task to stop")
    time.sleep(0.5)
    assert len(receiver.requests) == 3
    assert [d["attempt"] for d in deliveries(owner, hook["id"])] == [3, 2, 1]

    # Disabled: new events are not even queued; a successful test enables it again.
    assert emit(db, owner.restaurant_id, "order.ready", {"order_id": "o-3"}) == 0
    receiver.script = []
    assert owner.client.post(f"/v1/webhooks/{hook['id']}/test").status_code == 202
    eventually(lambda: webhook(owner, hook["id"])["active"], 20, "the webhook enabled again")
    assert webhook(owner, hook["id"])["failure_count"] == 0
    assert emit(db, owner.restaurant_id, "order.ready", {"order_id": "o-4"}) == 1


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://10.0.0.1:9/hook", "10.0.0.1 is in the denied range 10.0.0.0/8"),
        (
            "http://169.254.169.254/latest/meta-data/",
            "169.254.169.254 is in the denied range 169.254.0.0/16",
        ),
    ],
)
def test_private_and_metadata_addresses_are_refused(
    db: psycopg.Connection,
    owner: Owner,
    start_worker: Callable[..., WorkerProcess],
    url: str,
    why: str,
) -> None:
    hook = subscribe(owner, url, ["menu.changed"])
    start_worker(BRIGADE_WEBHOOK_ALLOW_LOOPBACK="true")  # loopback only: private stays refused
    assert emit(db, owner.restaurant_id, "menu.changed", {}) == 1
    log = eventually(lambda: deliveries(owner, hook["id"]), 20, "the refused delivery")
    assert [(d["status_code"], d["succeeded"]) for d in log] == [(None, False)]
    assert why in log[0]["error"]
    assert log[0]["duration_ms"] < 1000, "refused before any connection attempt"
    eventually(lambda: tasks_of(db, hook["id"]) == [("done", 1)], 10, "no retry")


def test_loopback_is_refused_unless_allowed(
    db: psycopg.Connection,
    owner: Owner,
    receiver: Receiver,
    start_worker: Callable[..., WorkerProcess],
) -> None:
    hook = subscribe(owner, receiver.url, ["menu.changed"])
    start_worker()  # BRIGADE_WEBHOOK_ALLOW_LOOPBACK is false by default
    assert emit(db, owner.restaurant_id, "menu.changed", {}) == 1
    log = eventually(lambda: deliveries(owner, hook["id"]), 20, "the refused delivery")
    assert "127.0.0.1 is in the denied range 127.0.0.0/8" in log[0]["error"]
    assert receiver.requests == []


def test_the_target_check_denies_every_non_public_address() -> None:
    asyncio.run(check_targets())


async def check_targets() -> None:
    refused = [
        "http://10.0.0.1/",
        "http://10.255.255.255:8080/x",
        "http://172.16.0.1/",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.64.0.1/",
        "http://0.0.0.0/",
        "http://127.0.0.1/",
        "http://localhost/",
        "http://[::1]/",
        "http://[::ffff:10.0.0.1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[fd00::1]/",
        "http://[fe80::1]/",
        "http://224.0.0.1/",
        "http://user:pw@93.184.216.34/",
        "ftp://93.184.216.34/",
    ]
    for url in refused:
        with pytest.raises(webhooks.BlockedTargetError):
            await webhooks.check_target(url)
    # Loopback may be allowed (tests); nothing else is.
    target = await webhooks.check_target("http://127.0.0.1:8080/hook", allow_loopback=True)
    assert (str(target.url), target.host_header) == ("http://127.0.0.1:8080/hook", "127.0.0.1:8080")
    for url in ("http://10.0.0.1/", "http://169.254.169.254/", "http://[fd00::1]/"):
        with pytest.raises(webhooks.BlockedTargetError):
            await webhooks.check_target(url, allow_loopback=True)
    # A public address passes (no request is made here).
    target = await webhooks.check_target("https://93.184.216.34:8443/hook?x=1")
    assert str(target.url) == "https://93.184.216.34:8443/hook?x=1"


def test_the_signature_is_stripe_like_and_verifiable() -> None:
    body = b'{"id":"e","type":"menu.changed"}'
    header = webhooks.sign("whsec_x", 1_700_000_000, body)
    expected = hmac.new(b"whsec_x", b"1700000000." + body, hashlib.sha256).hexdigest()
    assert header == f"t=1700000000,v1={expected}"
    now = int(time.time())
    assert webhooks.verify("whsec_x", webhooks.sign("whsec_x", now, body), body)
    assert not webhooks.verify("whsec_y", webhooks.sign("whsec_x", now, body), body)
    assert not webhooks.verify("whsec_x", header, body), "a signature from long ago is refused"
    assert not webhooks.verify("whsec_x", "garbage", body)
