"""Orders (API.md, Orders): placing, reading, moving and cancelling them."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import msgspec
from litestar import Response, get, post
from litestar.params import Parameter

from api import rpc
from api.db.pool import Db
from api.routes import UNSET, Empty, Unset

TAGS = ["orders"]


class OrderLine(msgspec.Struct, forbid_unknown_fields=True):
    item_id: UUID
    quantity: int
    option_ids: list[UUID] | Unset = UNSET
    note: str | Unset = UNSET
    # Courses after the first are held until fired (POST /v1/tickets/{id}/fire).
    course: int | Unset = UNSET


class OrderCreate(msgspec.Struct, forbid_unknown_fields=True):
    items: list[OrderLine]
    promo_code: str | Unset | None = UNSET


class OrderLines(msgspec.Struct, forbid_unknown_fields=True):
    items: list[OrderLine]


class Transition(msgspec.Struct, forbid_unknown_fields=True):
    to: str
    reason: str | Unset = UNSET


IdempotencyKey = Annotated[
    str | None,
    Parameter(
        header="Idempotency-Key",
        required=False,
        description="Same key and body within 24 h: the first order, nothing new.",
    ),
]


@post(
    "/v1/sessions/{session_id:uuid}/orders",
    operation_id="placeOrder",
    tags=TAGS,
    summary="Place an order in a table session (its guest, front-of-house staff)",
)
async def place_order(
    db: Db, session_id: UUID, data: OrderCreate, idempotency_key: IdempotencyKey = None
) -> Response:
    text = await rpc.call(
        db,
        "place_order",
        session_id=session_id,
        body=rpc.fields(data),
        idempotency_key=idempotency_key,
    )
    return rpc.json_response(text, 201)


@get(
    "/v1/orders/{id:uuid}",
    operation_id="getOrder",
    tags=TAGS,
    summary="Read an order (its session's guest, staff of its branch)",
)
async def get_order(db: Db, id: UUID) -> Response:
    return rpc.json_response(await rpc.call(db, "get_order", order_id=id))


@get(
    "/v1/branches/{bid:uuid}/orders",
    operation_id="listOrders",
    tags=TAGS,
    summary="List a branch's orders, oldest first (staff)",
)
async def list_orders(
    db: Db,
    bid: UUID,
    status: str | None = None,
    limit: int = 50,
    cursor: UUID | None = None,
) -> Response:
    return rpc.json_response(
        await rpc.call(db, "list_orders", branch_id=bid, status=status, lim=limit, cursor=cursor)
    )


@post(
    "/v1/orders/{id:uuid}/transition",
    operation_id="transitionOrder",
    tags=TAGS,
    summary="Move an order to another state (staff; voided: managers, with a reason)",
    status_code=200,
)
async def transition_order(db: Db, id: UUID, data: Transition) -> Response:
    args = rpc.fields(data)
    return rpc.json_response(
        await rpc.call(
            db,
            "transition_order",
            order_id=id,
            to_status=args["to"],
            reason=args.get("reason"),
        )
    )


@post(
    "/v1/orders/{id:uuid}/cancel",
    operation_id="cancelOrder",
    tags=TAGS,
    summary="Cancel an order (its guest while placed; staff while placed or accepted)",
    status_code=200,
)
async def cancel_order(db: Db, id: UUID, data: Empty | None = None) -> Response:
    return rpc.json_response(await rpc.call(db, "cancel_order", order_id=id))


@post(
    "/v1/orders/{id:uuid}/items",
    operation_id="addOrderItems",
    tags=TAGS,
    summary="Add lines to an open order; only they go to the kitchen (front-of-house staff)",
    status_code=200,
)
async def add_order_items(db: Db, id: UUID, data: OrderLines) -> Response:
    return rpc.json_response(
        await rpc.call(db, "add_order_items", order_id=id, body=rpc.fields(data))
    )


@post(
    "/v1/orders/{id:uuid}/items/{line_id:uuid}/cancel",
    operation_id="cancelOrderItem",
    tags=TAGS,
    summary="Cancel one line; a station that has it sees it struck through",
    status_code=200,
)
async def cancel_order_item(db: Db, id: UUID, line_id: UUID, data: Empty | None = None) -> Response:
    return rpc.json_response(
        await rpc.call(db, "cancel_order_item", order_id=id, order_item_id=line_id)
    )


@get(
    "/v1/orders/{id:uuid}/queue",
    operation_id="getOrderQueuePosition",
    tags=TAGS,
    summary="The order's place in the kitchen's queue and estimated wait",
)
async def order_queue_position(db: Db, id: UUID) -> Response:
    return rpc.json_response(await rpc.call(db, "order_queue_position", order_id=id))


ROUTES = [
    place_order,
    get_order,
    list_orders,
    transition_order,
    cancel_order,
    add_order_items,
    cancel_order_item,
    order_queue_position,
]
