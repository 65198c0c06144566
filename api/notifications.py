"""Notifications (email, SMS, push): the `notification` task handler and its senders.

`app_private.queue_notification` writes a message to the outbox `app.notifications` and
queues a `notification` task `{"restaurant_id", "notification_id"}` in the same
transaction. The handler reads the message while it is still pending
(`app.notification_to_send`), hands it to the sender of its channel, and records the outcome
(`app.record_notification`): sent, by which sender; or the error, and `failed` once the task
has no attempt left. A failure is raised, so the queue retries it with its backoff.

Senders are pluggable: anything with a `name` and a `send(message)` method. By default
every channel goes to the `TableSender`, which sends nothing: the outbox row, marked sent
with `sent_via = 'table'`, is what an operator reads (`select * from app.notifications`).
With `BRIGADE_SMTP_URL` set, email goes through `SmtpSender`. Delivery is at least once:
a worker that dies between sending and recording sends that message again.
"""

from __future__ import annotations

import asyncio
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from typing import TYPE_CHECKING, Protocol
from urllib.parse import unquote, urlsplit

import psycopg

from api.db import statements as q
from api.settings import Settings, get_settings

if TYPE_CHECKING:  # api.tasks imports this module to register its handler
    from api.tasks import Task

SMTP_TIMEOUT = 10.0


@dataclass(frozen=True, slots=True)
class Message:
    channel: str  # email | sms | push
    recipient: str
    subject: str
    body: str


class Sender(Protocol):
    """Sends one message or raises; `name` is recorded as the notification's sent_via."""

    name: str

    def send(self, message: Message) -> None: ...


class TableSender:
    """The default: sends nothing; the outbox table itself is the record an operator reads."""

    name = "table"

    def send(self, message: Message) -> None:
        return None


class SmtpSender:
    """Email over SMTP: smtp://user:password@host:587 (STARTTLS when the server offers it),
    or smtps://user:password@host:465 (TLS from the start)."""

    name = "smtp"

    def __init__(self, url: str, sender: str, *, timeout: float = SMTP_TIMEOUT) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError("BRIGADE_SMTP_URL must look like smtp://user:password@host:587")
        self.tls = parts.scheme == "smtps"
        self.host = parts.hostname
        self.port = parts.port or (465 if self.tls else 587)
        self.username = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        self.sender = sender
        self.timeout = timeout

    def build(self, message: Message) -> EmailMessage:
        email = EmailMessage()
        email["From"] = self.sender
        email["To"] = message.recipient
        email["Subject"] = message.subject
        email.set_content(message.body)
        return email

    def send(self, message: Message) -> None:
        context = ssl.create_default_context()
        smtp: smtplib.SMTP
        if self.tls:
            smtp = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
        else:
            smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        with smtp:
            smtp.ehlo()
            if not self.tls and smtp.has_extn("starttls"):
                smtp.starttls(context=context)
                smtp.ehlo()
            if self.username:
                smtp.login(self.username, self.password or "")
            smtp.send_message(self.build(message))


def sender_for(channel: str, settings: Settings) -> Sender:
    """The sender of a channel under these settings."""
    if channel == "email" and settings.smtp_url:
        return SmtpSender(settings.smtp_url, settings.smtp_from)
    return TableSender()


async def send(task: Task, conn: psycopg.AsyncConnection, settings: Settings) -> str | None:
    """Send one queued notification; return the sender's name (None: nothing was pending)."""
    restaurant_id = task.payload["restaurant_id"]
    notification_id = task.payload["notification_id"]
    cur = await conn.execute(q.NOTIFICATION_TO_SEND, [restaurant_id, notification_id])
    row = await cur.fetchone()
    if row is None:
        return None  # sent by an earlier run of this task, or gone
    message = Message(*row)
    sender = sender_for(message.channel, settings)
    try:
        await asyncio.to_thread(sender.send, message)  # smtplib blocks
    except Exception as exc:
        final = task.attempts >= task.max_attempts
        error = f"{type(exc).__name__}: {exc}"[:1000]
        await conn.execute(
            q.RECORD_NOTIFICATION, [restaurant_id, notification_id, sender.name, error, final]
        )
        raise
    await conn.execute(
        q.RECORD_NOTIFICATION, [restaurant_id, notification_id, sender.name, None, False]
    )
    return sender.name


async def handle(task: Task, conn: psycopg.AsyncConnection) -> None:
    """The `notification` task handler (registered in api/tasks.py)."""
    await send(task, conn, get_settings())
