"""Restaurant, branches, people, devices, stations, tables (API.md: Restaurant, branches, ...)."""

from __future__ import annotations

from uuid import UUID

import msgspec
from litestar import Response, get, patch

from api import rpc
from api.db.pool import Db

TAGS = ["restaurant"]


class RestaurantPatch(msgspec.Struct, forbid_unknown_fields=True):
    name: str | msgspec.UnsetType = msgspec.UNSET
    currency: str | msgspec.UnsetType = msgspec.UNSET
    timezone: str | msgspec.UnsetType = msgspec.UNSET
    locale: str | msgspec.UnsetType = msgspec.UNSET


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


ROUTES = [get_restaurant, update_restaurant]
