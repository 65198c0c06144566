"""Platform administration and restaurant onboarding."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import msgspec
from litestar import Request, Response, get, post
from litestar.datastructures import State

from api import rpc
from api.db.pool import Db
from api.routes.auth import Email, Secret, client_ip, session_call

TAGS = ["platform"]


class ActivationCodeRequest(msgspec.Struct, forbid_unknown_fields=True):
    plan: str | None = None
    expires_in_days: int | None = None


class NewRestaurant(msgspec.Struct, forbid_unknown_fields=True):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=120)]
    slug: Annotated[str, msgspec.Meta(pattern=r"^[a-z0-9](?:[a-z0-9-]{1,62}[a-z0-9])$")]
    currency: Annotated[str, msgspec.Meta(pattern=r"^[A-Z]{3}$")]
    timezone: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
    locale: Annotated[str, msgspec.Meta(pattern=r"^[a-z]{2}(-[A-Z]{2})?$")] = "en"


class NewOwner(msgspec.Struct, forbid_unknown_fields=True):
    email: Email
    password: Secret
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=120)]


class Onboarding(msgspec.Struct, forbid_unknown_fields=True):
    activation_code: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
    restaurant: NewRestaurant
    owner: NewOwner


@post(
    "/v1/platform/activation-codes",
    operation_id="createActivationCode",
    tags=TAGS,
    status_code=201,
    summary="Issue a single-use onboarding code (platform admin)",
)
async def create_activation_code(db: Db, data: ActivationCodeRequest) -> Response:
    return rpc.json_response(
        await rpc.call(
            db, "create_activation_code", plan=data.plan, expires_in_days=data.expires_in_days
        ),
        status_code=201,
    )


@post(
    "/v1/onboarding",
    operation_id="onboard",
    tags=TAGS,
    status_code=201,
    summary="Create a restaurant, its first branch and its owner from an activation code",
)
async def onboard(db: Db, state: State, request: Request, data: Onboarding) -> Response:
    return await session_call(
        db,
        state,
        "onboard",
        activation_code=data.activation_code,
        restaurant=rpc.fields(data.restaurant),
        owner=rpc.fields(data.owner),
        client_ip=client_ip(request),
    )


@get(
    "/v1/platform/restaurants",
    operation_id="listRestaurants",
    tags=TAGS,
    summary="Every restaurant with status, counts and last activity (platform admin)",
)
async def list_restaurants(
    db: Db,
    limit: Annotated[int, msgspec.Meta(ge=1, le=200)] = 50,
    cursor: UUID | None = None,
) -> Response:
    return rpc.json_response(await rpc.call(db, "list_restaurants", lim=limit, cursor=cursor))


ROUTES = [create_activation_code, onboard, list_restaurants]
