"""Outbound webhooks: subscriptions, test deliveries and the delivery log.

Deliveries themselves are queue tasks run by `brigade worker` (api/webhooks.py).
"""

from __future__ import annotations

from uuid import UUID

import msgspec
from litestar import Response, delete, get, post
from litestar.datastructures import State

from api import rpc
from api.db.pool import Db

TAGS = ["webhooks"]


class WebhookCreate(msgspec.Struct, forbid_unknown_fields=True):
    url: str
    event_types: list[str]


@post(
    "/v1/restaurants/{rid:uuid}/webhooks",
    operation_id="createWebhook",
    tags=TAGS,
    summary="Subscribe a URL to event types; the answer holds the signing secret, once "
    "(owner, manager)",
)
async def create_webhook(db: Db, state: State, rid: UUID, data: WebhookCreate) -> Response:
    text = await rpc.call(
        db,
        "create_webhook",
        restaurant_id=rid,
        body=msgspec.to_builtins(data),
        webhook_key=state.settings.webhook_key or None,
    )
    return rpc.json_response(text, 201)


@get(
    "/v1/restaurants/{rid:uuid}/webhooks",
    operation_id="listWebhooks",
    tags=TAGS,
    summary="List the webhook subscriptions of a restaurant (owner, manager)",
)
async def list_webhooks(db: Db, rid: UUID, limit: int = 50, cursor: UUID | None = None) -> Response:
    return rpc.json_response(
        await rpc.call(db, "list_webhooks", restaurant_id=rid, lim=limit, cursor=cursor)
    )


@delete(
    "/v1/webhooks/{webhook_id:uuid}",
    operation_id="deleteWebhook",
    tags=TAGS,
    summary="Delete a webhook subscription and its delivery log (owner, manager)",
)
async def delete_webhook(db: Db, webhook_id: UUID) -> None:
    await rpc.call(db, "delete_webhook", webhook_id=webhook_id)


@post(
    "/v1/webhooks/{webhook_id:uuid}/test",
    operation_id="testWebhook",
    tags=TAGS,
    status_code=202,
    summary="Queue a signed webhook.test delivery now, even to a disabled webhook (owner, manager)",
)
async def test_webhook(db: Db, webhook_id: UUID) -> Response:
    return rpc.json_response(await rpc.call(db, "test_webhook", webhook_id=webhook_id), 202)


@get(
    "/v1/webhooks/{webhook_id:uuid}/deliveries",
    operation_id="listWebhookDeliveries",
    tags=TAGS,
    summary="The delivery log of a webhook, newest first (owner, manager)",
)
async def list_webhook_deliveries(
    db: Db, webhook_id: UUID, limit: int = 50, cursor: UUID | None = None
) -> Response:
    return rpc.json_response(
        await rpc.call(
            db, "list_webhook_deliveries", webhook_id=webhook_id, lim=limit, cursor=cursor
        )
    )


ROUTES = [create_webhook, list_webhooks, delete_webhook, test_webhook, list_webhook_deliveries]
