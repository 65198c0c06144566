"""Notifications end to end: the outbox, a real `brigade worker`, the default (table) sender,
and the SMTP sender against a small SMTP server on 127.0.0.1."""

from __future__ import annotations

import secrets
import socketserver
import subprocess
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from pathlib import Path
from typing import Any
from uuid import UUID

import psycopg
import pytest
from conftest import BRIGADE, free_port, server_env
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from test_webhooks import WorkerProcess, eventually

from api.notifications import Message, SmtpSender, TableSender, sender_for
from api.settings import Settings


@dataclass
class Mailbox:
    port: int
    messages: list[tuple[str, list[str], bytes]] = field(default_factory=list)


@pytest.fixture
def smtp_server() -> Iterator[Mailbox]:
    """Just enough SMTP (RFC 5321) to accept mail: no TLS, no AUTH."""
    box = Mailbox(port=0)

    class Handler(socketserver.StreamRequestHandler):
        def reply(self, line: str) -> None:
            self.wfile.write(line.encode() + b"\r\n")

        def handle(self) -> None:
            sender, recipients = "", []
            self.reply("220 fake ESMTP")
            while line := self.rfile.readline():
                command = line.decode().strip()
                verb = command.split(" ", 1)[0].upper()
                if verb in ("EHLO", "HELO"):
                    self.reply("250 fake")
                elif verb == "MAIL":
                    sender = command.split(":", 1)[1].strip()
                    self.reply("250 OK")
                elif verb == "RCPT":
                    recipients.append(command.split(":", 1)[1].strip())
                    self.reply("250 OK")
                elif verb == "DATA":
                    self.reply("354 go ahead")
                    data = b""
                    while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                        data += chunk
                    box.messages.append((sender, recipients, data))
                    self.reply("250 queued")
                elif verb == "QUIT":
                    self.reply("221 bye")
                    return
                else:
                    self.reply("250 OK")

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    box.port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield box
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def notify_db(settings: Settings, template_db: str) -> Iterator[str]:
    name = f"brigade_notify_{secrets.token_hex(4)}"
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
def db(notify_db: str) -> Iterator[psycopg.Connection]:
    with psycopg.connect(notify_db, autocommit=True) as conn:
        yield conn


@pytest.fixture
def start_worker(notify_db: str, tmp_path: Path) -> Iterator[Callable[..., WorkerProcess]]:
    started: list[WorkerProcess] = []

    def _start(**env: str) -> WorkerProcess:
        overrides = {"BRIGADE_LOG_LEVEL": "info", "BRIGADE_WORKER_POLL_SECONDS": "0.2", **env}
        log = tmp_path / f"worker-{len(started)}.log"
        with log.open("wb") as out:
            proc = subprocess.Popen(
                [BRIGADE, "worker"], env=server_env(notify_db, **overrides), stdout=out, stderr=out
            )
        worker = WorkerProcess(proc, log)
        started.append(worker)
        eventually(lambda: "worker started" in worker.output(), 20, "the worker to start")
        return worker

    yield _start
    for worker in started:
        if worker.proc.poll() is None:
            assert worker.stop() == 0, worker.output()


@pytest.fixture
def restaurant(db: psycopg.Connection) -> UUID:
    return db.execute(
        "insert into app.restaurants (name, slug, currency, timezone) "
        "values ('Notes', %s, 'EUR', 'Europe/Berlin') returning id",
        [f"notes-{secrets.token_hex(4)}"],
    ).fetchone()[0]


def queue_notification(db: psycopg.Connection, restaurant_id: UUID, channel: str) -> UUID:
    with db.transaction():
        db.execute("set local role brigade_owner")
        return db.execute(
            "select app_private.queue_notification(%s, %s, %s, %s, %s)",
            [restaurant_id, channel, "guest@example.com", "Your table", "It is ready."],
        ).fetchone()[0]


def outbox(db: psycopg.Connection, notification_id: UUID) -> dict[str, Any]:
    row = db.execute(
        "select status, sent_via, sent_at is not null, last_error from app.notifications "
        "where id = %s",
        [notification_id],
    ).fetchone()
    return dict(zip(("status", "sent_via", "sent", "error"), row, strict=True))


def test_the_default_sender_records_the_message_as_sent_in_the_outbox(
    db: psycopg.Connection, restaurant: UUID, start_worker: Callable[..., WorkerProcess]
) -> None:
    ids = [queue_notification(db, restaurant, channel) for channel in ("email", "sms", "push")]
    assert all(outbox(db, i)["status"] == "pending" for i in ids)
    start_worker()
    for notification_id in ids:
        eventually(lambda n=notification_id: outbox(db, n)["sent"], 20, "the message sent")
        assert outbox(db, notification_id) == {
            "status": "sent",
            "sent_via": "table",
            "sent": True,
            "error": None,
        }
    tasks = db.execute(
        "select state from queue.tasks where type = 'notification' "
        "and (payload ->> 'notification_id')::uuid = any(%s)",
        [ids],
    ).fetchall()
    assert tasks == [("done",)] * 3


def test_email_goes_through_smtp_when_it_is_configured(
    db: psycopg.Connection,
    restaurant: UUID,
    smtp_server: Mailbox,
    start_worker: Callable[..., WorkerProcess],
) -> None:
    email = queue_notification(db, restaurant, "email")
    sms = queue_notification(db, restaurant, "sms")
    start_worker(
        BRIGADE_SMTP_URL=f"smtp://127.0.0.1:{smtp_server.port}",
        BRIGADE_SMTP_FROM="brigade@restaurant.test",
    )
    eventually(lambda: outbox(db, email)["sent"] and outbox(db, sms)["sent"], 20, "both sent")
    assert outbox(db, email)["sent_via"] == "smtp"
    assert outbox(db, sms)["sent_via"] == "table", "only email has an SMTP sender"
    assert len(smtp_server.messages) == 1
    sender, recipients, data = smtp_server.messages[0]
    assert (sender, recipients) == ("<brigade@restaurant.test>", ["<guest@example.com>"])
    message = message_from_bytes(data)
    assert (message["From"], message["To"], message["Subject"]) == (
        "brigade@restaurant.test",
        "guest@example.com",
        "Your table",
    )
    assert message.get_payload().strip() == "It is ready."


def test_a_failed_send_keeps_the_message_pending_with_its_error(
    db: psycopg.Connection, restaurant: UUID, start_worker: Callable[..., WorkerProcess]
) -> None:
    email = queue_notification(db, restaurant, "email")
    start_worker(BRIGADE_SMTP_URL=f"smtp://127.0.0.1:{free_port()}")  # nobody listens
    state = eventually(lambda: (o := outbox(db, email))["error"] and o, 20, "the failure")
    assert (state["status"], state["sent"], state["sent_via"]) == ("pending", False, "smtp")
    assert "ConnectionRefusedError" in state["error"]
    task = db.execute(
        "select state, last_error from queue.tasks where type = 'notification' "
        "and payload ->> 'notification_id' = %s",
        [str(email)],
    ).fetchone()
    assert task[0] in ("pending", "running")
    assert "ConnectionRefusedError" in task[1], "the task is retried with its backoff"


def test_senders_are_chosen_by_channel_and_settings() -> None:
    plain = Settings()
    assert isinstance(sender_for("email", plain), TableSender)
    smtp = Settings(smtp_url="smtps://user%40x:p%3Ass@mail.example:2465", smtp_from="a@b.c")
    sender = sender_for("email", smtp)
    assert isinstance(sender, SmtpSender)
    assert (sender.tls, sender.host, sender.port) == (True, "mail.example", 2465)
    assert (sender.username, sender.password, sender.sender) == ("user@x", "p:ss", "a@b.c")
    assert SmtpSender("smtp://mail.example", "a@b.c").port == 587
    assert isinstance(sender_for("sms", smtp), TableSender)
    built = sender.build(Message("email", "to@x.y", "Hi", "Body"))
    assert (built["To"], built["Subject"], built.get_content().strip()) == ("to@x.y", "Hi", "Body")
    with pytest.raises(ValueError, match="BRIGADE_SMTP_URL"):
        SmtpSender("http://mail.example", "a@b.c")
