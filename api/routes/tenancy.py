"""Restaurant, branches, people, devices, stations, tables (API.md: Restaurant, branches, ...)."""

from __future__ import annotations

from uuid import UUID

import msgspec
from litestar import Response, delete, get, patch, post

from api import rpc
from api.db.pool import Db
from api.routes import UNSET, Unset

TAGS = ["restaurant"]


class RestaurantPatch(msgspec.Struct, forbid_unknown_fields=True):
    name: str | Unset = UNSET
    currency: str | Unset = UNSET
    timezone: str | Unset = UNSET
    locale: str | Unset = UNSET
    # Basis points (1500 = 15 %); orders keep the rates they were priced with.
    tax_rate_bp: int | Unset = UNSET
    tax_inclusive: bool | Unset = UNSET
    service_charge_bp: int | Unset = UNSET


class BranchCreate(msgspec.Struct, forbid_unknown_fields=True):
    name: str
    address: str | Unset = UNSET
    timezone: str | Unset = UNSET
    auto_accept: bool | Unset = UNSET
    qr_requires_open_table: bool | Unset = UNSET


class BranchPatch(msgspec.Struct, forbid_unknown_fields=True):
    name: str | Unset = UNSET
    address: str | Unset | None = UNSET
    timezone: str | Unset | None = UNSET
    auto_accept: bool | Unset = UNSET
    qr_requires_open_table: bool | Unset = UNSET


class StaffCreate(msgspec.Struct, forbid_unknown_fields=True):
    name: str
    role: str
    email: str | Unset = UNSET
    pin: str | Unset = UNSET
    password: str | Unset = UNSET
    branch_ids: list[UUID] | Unset = UNSET


class StaffPatch(msgspec.Struct, forbid_unknown_fields=True):
    name: str | Unset = UNSET
    role: str | Unset = UNSET
    pin: str | Unset | None = UNSET  # null removes the PIN
    branch_ids: list[UUID] | Unset = UNSET


class StationCreate(msgspec.Struct, forbid_unknown_fields=True):
    name: str
    # Menu categories whose items this station prepares (live categories of the restaurant).
    category_ids: list[UUID] | Unset = UNSET
    target_seconds: int | Unset = UNSET


class TableCreate(msgspec.Struct, forbid_unknown_fields=True):
    label: str
    seats: int | Unset = UNSET


@get(
    "/v1/restaurants/{rid:uuid}",
    operation_id="getRestaurant",
    tags=TAGS,
    summary="Read a restaurant (owner, manager)",
)
async def get_restaurant(db: Db, rid: UUID) -> Response:
    return rpc.json_response(await rpc.call(db, "get_restaurant", restaurant_id=rid))


@patch(
    "/v1/restaurants/{rid:uuid}",
    operation_id="updateRestaurant",
    tags=TAGS,
    summary="Change a restaurant's settings (owner)",
)
async def update_restaurant(db: Db, rid: UUID, data: RestaurantPatch) -> Response:
    return rpc.json_response(
        await rpc.call(db, "update_restaurant", restaurant_id=rid, patch=rpc.fields(data))
    )


# Branches


@post(
    "/v1/restaurants/{rid:uuid}/branches",
    operation_id="createBranch",
    tags=TAGS,
    summary="Open a branch, with its default kitchen station (owner)",
)
async def create_branch(db: Db, rid: UUID, data: BranchCreate) -> Response:
    text = await rpc.call(db, "create_branch", restaurant_id=rid, body=rpc.fields(data))
    return rpc.json_response(text, 201)


@get(
    "/v1/restaurants/{rid:uuid}/branches",
    operation_id="listBranches",
    tags=TAGS,
    summary="List the branches the caller may see (staff)",
)
async def list_branches(
    db: Db, rid: UUID, limit: int = 50, cursor: UUID | None = None, include_deleted: bool = False
) -> Response:
    return rpc.json_response(
        await rpc.call(
            db,
            "list_branches",
            restaurant_id=rid,
            lim=limit,
            cursor=cursor,
            include_deleted=include_deleted,
        )
    )


@get(
    "/v1/branches/{bid:uuid}",
    operation_id="getBranch",
    tags=TAGS,
    summary="Read a branch, deleted or not (owner)",
)
async def get_branch(db: Db, bid: UUID) -> Response:
    return rpc.json_response(await rpc.call(db, "get_branch", branch_id=bid))


@patch(
    "/v1/branches/{bid:uuid}",
    operation_id="updateBranch",
    tags=TAGS,
    summary="Change a branch's settings (owner)",
)
async def update_branch(db: Db, bid: UUID, data: BranchPatch) -> Response:
    return rpc.json_response(
        await rpc.call(db, "update_branch", branch_id=bid, patch=rpc.fields(data))
    )


@delete(
    "/v1/branches/{bid:uuid}",
    operation_id="deleteBranch",
    tags=TAGS,
    summary="Soft-delete a branch (owner)",
)
async def delete_branch(db: Db, bid: UUID) -> None:
    await rpc.call(db, "delete_branch", branch_id=bid)


@post(
    "/v1/branches/{bid:uuid}/restore",
    operation_id="restoreBranch",
    tags=TAGS,
    status_code=200,
    summary="Undo the soft delete of a branch (owner)",
)
async def restore_branch(db: Db, bid: UUID) -> Response:
    return rpc.json_response(await rpc.call(db, "restore_branch", branch_id=bid))


# Staff


@post(
    "/v1/restaurants/{rid:uuid}/staff",
    operation_id="createStaff",
    tags=TAGS,
    summary="Add a staff member (owner, manager)",
)
async def create_staff(db: Db, rid: UUID, data: StaffCreate) -> Response:
    body = rpc.fields(data)
    return rpc.json_response(await rpc.call(db, "create_staff", restaurant_id=rid, body=body), 201)


@get(
    "/v1/restaurants/{rid:uuid}/staff",
    operation_id="listStaff",
    tags=TAGS,
    summary="List the staff of a restaurant (owner, manager)",
)
async def list_staff(db: Db, rid: UUID, limit: int = 50, cursor: UUID | None = None) -> Response:
    return rpc.json_response(
        await rpc.call(db, "list_staff", restaurant_id=rid, lim=limit, cursor=cursor)
    )


@patch(
    "/v1/staff/{sid:uuid}",
    operation_id="updateStaff",
    tags=TAGS,
    summary="Change a staff member's name, role, PIN or branches (owner, manager)",
)
async def update_staff(db: Db, sid: UUID, data: StaffPatch) -> Response:
    patch_ = rpc.fields(data)
    return rpc.json_response(await rpc.call(db, "update_staff", staff_id=sid, patch=patch_))


@delete(
    "/v1/staff/{sid:uuid}",
    operation_id="deleteStaff",
    tags=TAGS,
    summary="Remove a staff member and their PIN (owner, manager)",
)
async def delete_staff(db: Db, sid: UUID) -> None:
    await rpc.call(db, "delete_staff", staff_id=sid)


# Devices


@post(
    "/v1/branches/{bid:uuid}/device-codes",
    operation_id="createDeviceCode",
    tags=TAGS,
    summary="Issue a one-time device activation code for a branch (owner, manager)",
)
async def create_device_code(db: Db, bid: UUID) -> Response:
    return rpc.json_response(await rpc.call(db, "create_device_code", branch_id=bid), 201)


@get(
    "/v1/branches/{bid:uuid}/devices",
    operation_id="listDevices",
    tags=TAGS,
    summary="List the devices of a branch (owner, manager)",
)
async def list_devices(db: Db, bid: UUID, limit: int = 50, cursor: UUID | None = None) -> Response:
    return rpc.json_response(
        await rpc.call(db, "list_devices", branch_id=bid, lim=limit, cursor=cursor)
    )


@delete(
    "/v1/devices/{device_id:uuid}",
    operation_id="revokeDevice",
    tags=TAGS,
    summary="Revoke a device; its tokens stop working at once (owner, manager)",
)
async def revoke_device(db: Db, device_id: UUID) -> None:
    await rpc.call(db, "revoke_device", device_id=device_id)


# Stations and tables


@post(
    "/v1/branches/{bid:uuid}/stations",
    operation_id="createStation",
    tags=TAGS,
    summary="Add a kitchen station to a branch (owner, manager)",
)
async def create_station(db: Db, bid: UUID, data: StationCreate) -> Response:
    body = rpc.fields(data)
    return rpc.json_response(await rpc.call(db, "create_station", branch_id=bid, body=body), 201)


@get(
    "/v1/branches/{bid:uuid}/stations",
    operation_id="listStations",
    tags=TAGS,
    summary="List the kitchen stations of a branch (staff of that branch)",
)
async def list_stations(db: Db, bid: UUID, limit: int = 50, cursor: UUID | None = None) -> Response:
    return rpc.json_response(
        await rpc.call(db, "list_stations", branch_id=bid, lim=limit, cursor=cursor)
    )


@post(
    "/v1/branches/{bid:uuid}/tables",
    operation_id="createTable",
    tags=TAGS,
    summary="Add a dining table with its QR token to a branch (owner, manager)",
)
async def create_table(db: Db, bid: UUID, data: TableCreate) -> Response:
    text = await rpc.call(db, "create_table", branch_id=bid, body=rpc.fields(data))
    return rpc.json_response(text, 201)


@get(
    "/v1/branches/{bid:uuid}/tables",
    operation_id="listTables",
    tags=TAGS,
    summary="List the tables of a branch with their QR tokens (staff of that branch)",
)
async def list_tables(db: Db, bid: UUID, limit: int = 50, cursor: UUID | None = None) -> Response:
    return rpc.json_response(
        await rpc.call(db, "list_tables", branch_id=bid, lim=limit, cursor=cursor)
    )


@post(
    "/v1/tables/{tid:uuid}/open",
    operation_id="openTable",
    tags=TAGS,
    summary="Open a session at a table, as staff (owner, manager, waiter)",
)
async def open_table(db: Db, tid: UUID) -> Response:
    return rpc.json_response(await rpc.call(db, "open_table", table_id=tid), 201)


@post(
    "/v1/sessions/{session_id:uuid}/close",
    operation_id="closeTableSession",
    tags=TAGS,
    status_code=200,
    summary="Close a table session; its guests' tokens stop working (owner, manager, waiter)",
)
async def close_table_session(db: Db, session_id: UUID) -> Response:
    return rpc.json_response(await rpc.call(db, "close_table_session", session_id=session_id))


ROUTES = [
    get_restaurant,
    update_restaurant,
    create_branch,
    list_branches,
    get_branch,
    update_branch,
    delete_branch,
    restore_branch,
    create_staff,
    list_staff,
    update_staff,
    delete_staff,
    create_device_code,
    list_devices,
    revoke_device,
    create_station,
    list_stations,
    create_table,
    list_tables,
    open_table,
    close_table_session,
]
