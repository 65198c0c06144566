"""Kitchen (API.md, Kitchen): tickets for the screens, and the kitchen's moves on them."""

from __future__ import annotations

from uuid import UUID

import msgspec
from litestar import Response, get, post

from api import rpc
from api.db.pool import Db
from api.routes import Empty

TAGS = ["kitchen"]


class Fire(msgspec.Struct, forbid_unknown_fields=True):
    course: int


class Rush(msgspec.Struct, forbid_unknown_fields=True):
    rush: bool = True


@get(
    "/v1/branches/{bid:uuid}/tickets",
    operation_id="listTickets",
    tags=TAGS,
    summary="Open tickets of a branch, oldest first, with elapsed and target seconds (staff)",
)
async def list_tickets(
    db: Db, bid: UUID, station: UUID | None = None, status: str | None = None
) -> Response:
    return rpc.json_response(
        await rpc.call(db, "list_tickets", branch_id=bid, station_id=station, status=status)
    )


async def _move(db: Db, fn: str, ticket_id: UUID) -> Response:
    return rpc.json_response(await rpc.call(db, fn, ticket_id=ticket_id))


@post(
    "/v1/tickets/{id:uuid}/start",
    operation_id="startTicket",
    tags=TAGS,
    summary="Start a ticket: queued -> in_progress (kitchen)",
    status_code=200,
)
async def start_ticket(db: Db, id: UUID, data: Empty | None = None) -> Response:
    return await _move(db, "start_ticket", id)


@post(
    "/v1/tickets/{id:uuid}/bump",
    operation_id="bumpTicket",
    tags=TAGS,
    summary="Bump a ticket: ready; the order is ready when all its tickets are (kitchen)",
    status_code=200,
)
async def bump_ticket(db: Db, id: UUID, data: Empty | None = None) -> Response:
    return await _move(db, "bump_ticket", id)


@post(
    "/v1/tickets/{id:uuid}/recall",
    operation_id="recallTicket",
    tags=TAGS,
    summary="Recall a ready ticket: ready -> in_progress (kitchen)",
    status_code=200,
)
async def recall_ticket(db: Db, id: UUID, data: Empty | None = None) -> Response:
    return await _move(db, "recall_ticket", id)


@post(
    "/v1/tickets/{id:uuid}/fire",
    operation_id="fireTicket",
    tags=TAGS,
    summary="Fire a course: release the ticket's held items of that course (kitchen, staff)",
    status_code=200,
)
async def fire_ticket(db: Db, id: UUID, data: Fire) -> Response:
    return rpc.json_response(await rpc.call(db, "fire_ticket", ticket_id=id, course=data.course))


@post(
    "/v1/tickets/{id:uuid}/rush",
    operation_id="rushTicket",
    tags=TAGS,
    summary="Flag a ticket as rush (shown first), or clear it with {rush: false} (staff)",
    status_code=200,
)
async def rush_ticket(db: Db, id: UUID, data: Rush | None = None) -> Response:
    rush = True if data is None else data.rush
    return rpc.json_response(await rpc.call(db, "rush_ticket", ticket_id=id, rush=rush))


ROUTES = [list_tickets, start_ticket, bump_ticket, recall_ticket, fire_ticket, rush_ticket]
