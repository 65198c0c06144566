"""Outbound webhooks: the `webhook` task handler of the worker (api/tasks.py).

A delivery is a queue task made by `app_private.emit_webhooks` (or `api.test_webhook`) with
payload `{"subscription_id", "event": {"id", "type", "created_at", "restaurant_id", "data"}}`.
The handler:

1. asks `app.webhook_target` where to send it and with which secret (no row: the
   subscription was deleted or disabled, so there is nothing to do);
2. resolves the URL's host and refuses it unless every address is public (`check_target`):
   private, loopback, link-local, shared and reserved ranges are a deny-list, so a webhook
   cannot make us call into our own network (SSRF). The request then goes to the address
   that was checked, not to a second lookup of the name (no DNS rebinding); TLS still
   verifies the certificate against the name;
3. POSTs the event as JSON, signed like Stripe's scheme: header
   `Brigade-Signature: t=<unix time>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`;
   a receiver recomputes it over the raw body, compares in constant time and rejects old
   timestamps. `Brigade-Event-Id` is the same on every retry: receivers dedupe on it,
   since delivery is at least once;
4. logs the attempt through `app.record_webhook_delivery`, which also counts consecutive
   failures and disables the subscription after `webhook_disable_after` of them. A
   failure that deserves a retry is raised, so the queue retries with its backoff.

Only a 2xx answer within `webhook_timeout` seconds is a success; redirects are not followed.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import ipaddress
import json
import socket
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx
import psycopg

from api.db import statements as q
from api.settings import Settings, get_settings

if TYPE_CHECKING:  # api.tasks imports this module to register its handler
    from api.tasks import Task

SIGNATURE_HEADER = "Brigade-Signature"
USER_AGENT = "Brigade-Webhooks/1"

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Never a webhook target: our own hosts and networks, and addresses that are not on the
# public internet. Anything else that Python does not call global is refused as well.
DENIED_NETWORKS = tuple(
    ipaddress.ip_network(n)
    for n in (
        "0.0.0.0/8",  # "this network"
        "10.0.0.0/8",  # private
        "100.64.0.0/10",  # shared address space (carrier-grade NAT)
        "127.0.0.0/8",  # loopback
        "169.254.0.0/16",  # link-local, cloud metadata (169.254.169.254)
        "172.16.0.0/12",  # private
        "192.0.0.0/24",  # IETF protocol assignments
        "192.168.0.0/16",  # private
        "198.18.0.0/15",  # benchmarking
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved, broadcast
        "::/128",  # unspecified
        "::1/128",  # loopback
        "::ffff:0:0/96",  # IPv4-mapped (checked again as IPv4 below)
        "64:ff9b::/96",  # NAT64
        "fc00::/7",  # unique local
        "fe80::/10",  # link-local
        "ff00::/8",  # multicast
    )
)


class BlockedTargetError(Exception):
    """The webhook URL resolves to an address we must not call."""


class DeliveryFailedError(Exception):
    """The endpoint did not accept the event; the queue retries after its backoff."""


@dataclass(frozen=True, slots=True)
class Target:
    """A checked destination: the URL to request (host replaced by the checked address)."""

    url: httpx.URL
    host: str  # the name, for TLS (SNI, certificate check)
    host_header: str  # the name and port as the URL has them
    address: IPAddress


def denied(address: IPAddress, *, allow_loopback: bool = False) -> str | None:
    """Why `address` may not be called, or None when it may."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if allow_loopback and address.is_loopback:
        return None
    for network in DENIED_NETWORKS:
        if address.version == network.version and address in network:
            return f"{address} is in the denied range {network}"
    if not address.is_global:
        return f"{address} is not a public address"
    return None


async def check_target(url: str, *, allow_loopback: bool = False) -> Target:
    """Resolve the URL's host and vet every address; raise BlockedTargetError if any is denied."""
    parsed = httpx.URL(url)
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise BlockedTargetError(f"not an http(s) URL with a host: {url}")
    if parsed.userinfo:
        raise BlockedTargetError("URLs with credentials are refused")
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(
            parsed.host, port, type=socket.SOCK_STREAM
        )
    except OSError as exc:
        raise BlockedTargetError(f"cannot resolve {parsed.host}: {exc}") from exc
    addresses: list[IPAddress] = []
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%", 1)[0])
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise BlockedTargetError(f"{parsed.host} has no address")
    for address in addresses:  # one bad address is enough: DNS may hand out any of them
        reason = denied(address, allow_loopback=allow_loopback)
        if reason:
            raise BlockedTargetError(f"refused: {parsed.host} resolves to {reason}")
    return Target(
        url=parsed.copy_with(host=str(addresses[0])),
        host=parsed.host,
        host_header=parsed.netloc.decode("ascii"),
        address=addresses[0],
    )


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The `Brigade-Signature` header value for `body` sent at `timestamp`."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def verify(secret: str, header: str, body: bytes, *, tolerance: int = 300) -> bool:
    """What a receiver does: recompute the signature, compare in constant time, check age."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs(time.time() - timestamp) > tolerance:
        return False
    expected = sign(secret, timestamp, body).split("v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))


def encode_body(event: dict[str, Any]) -> bytes:
    """The exact bytes sent and signed."""
    return json.dumps(event, separators=(",", ":"), sort_keys=True).encode()


async def post(target: Target, body: bytes, headers: dict[str, str], limit: float) -> int:
    """POST to the checked address; return the status code (the body is not read).

    `limit` bounds the whole exchange (connect, send, answer), not each step.
    """
    async with (
        asyncio.timeout(limit),
        httpx.AsyncClient(timeout=limit, follow_redirects=False, trust_env=False) as client,
        client.stream(
            "POST",
            target.url,
            content=body,
            headers={**headers, "Host": target.host_header},
            extensions={"sni_hostname": target.host},
        ) as response,
    ):
        return response.status_code


async def deliver(task: Task, conn: psycopg.AsyncConnection, settings: Settings) -> str:
    """Deliver one event; return the outcome, or raise DeliveryFailedError to be retried."""
    payload = task.payload
    event = payload["event"]
    subscription_id = payload["subscription_id"]
    restaurant_id = task.restaurant_id or event.get("restaurant_id")
    cur = await conn.execute(
        q.WEBHOOK_TARGET, [restaurant_id, subscription_id, event["type"], settings.webhook_key]
    )
    row = await cur.fetchone()
    if row is None:
        return "skipped"  # deleted or disabled since the event was queued
    url, secret = row
    body = encode_body(event)
    status_code: int | None = None
    error: str | None = None
    retryable = True
    started = time.perf_counter()
    try:
        async with asyncio.timeout(settings.webhook_timeout):  # a slow DNS answer too
            target = await check_target(url, allow_loopback=settings.webhook_allow_loopback)
        timestamp = int(time.time())
        headers = {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            SIGNATURE_HEADER: sign(secret, timestamp, body),
            "Brigade-Event-Id": str(event["id"]),
            "Brigade-Event-Type": str(event["type"]),
        }
        status_code = await post(target, body, headers, settings.webhook_timeout)
        if not 200 <= status_code < 300:
            error = f"HTTP {status_code}"
    except BlockedTargetError as exc:
        error, retryable = str(exc), False  # the next attempt would be refused as well
    except (httpx.TimeoutException, TimeoutError):
        error = f"timed out after {settings.webhook_timeout:g} s"
    except httpx.HTTPError as exc:
        error = f"{type(exc).__name__}: {exc}"[:1000]
    duration_ms = round((time.perf_counter() - started) * 1000)
    cur = await conn.execute(
        q.RECORD_WEBHOOK_DELIVERY,
        {
            "restaurant_id": restaurant_id,
            "subscription_id": subscription_id,
            "task_id": task.id,
            "attempt": task.attempts,
            "event_id": event["id"],
            "event_type": event["type"],
            "status_code": status_code,
            "duration_ms": duration_ms,
            "error": error,
            "disable_after": settings.webhook_disable_after,
            "retryable": retryable,
        },
    )
    outcome = (await cur.fetchone())[0]  # type: ignore[index]
    if outcome == "retry":
        raise DeliveryFailedError(f"webhook {subscription_id}: {error}")
    return outcome


async def handle(task: Task, conn: psycopg.AsyncConnection) -> None:
    """The `webhook` task handler (registered in api/tasks.py)."""
    await deliver(task, conn, get_settings())
