"""Catalog: categories, items, modifier groups, 86, and the public menu and search."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import msgspec
from litestar import Request, Response, delete, get, patch, post, put
from litestar.datastructures import State

from api import rpc
from api.db.pool import Db, open_db
from api.menu_cache import Menu, MenuCache
from api.routes import UNSET, Unset

TAGS = ["catalog"]
Lang = Annotated[str, msgspec.Meta(pattern=r"^[a-z]{2}(-[A-Z]{2})?$")]


class NameText(msgspec.Struct, forbid_unknown_fields=True):
    """A translation of a name (categories, modifier groups and options)."""

    name: str | Unset = UNSET


class ItemTexts(msgspec.Struct, forbid_unknown_fields=True):
    """A translation of what a guest reads about an item."""

    name: str | Unset = UNSET
    description: str | Unset = UNSET


class CategoryCreate(msgspec.Struct, forbid_unknown_fields=True):
    name: str
    position: int | Unset = UNSET
    translations: dict[str, NameText] | Unset = UNSET
    visible: bool | Unset = UNSET


class CategoryPatch(msgspec.Struct, forbid_unknown_fields=True):
    name: str | Unset = UNSET
    position: int | Unset = UNSET
    translations: dict[str, NameText] | Unset | None = UNSET
    visible: bool | Unset = UNSET


class ItemCreate(msgspec.Struct, forbid_unknown_fields=True):
    category_id: UUID
    name: str
    price: int
    description: str | Unset = UNSET
    translations: dict[str, ItemTexts] | Unset = UNSET
    allergens: list[str] | Unset = UNSET
    dietary: list[str] | Unset = UNSET
    modifier_group_ids: list[UUID] | Unset = UNSET
    available_from: str | Unset = UNSET  # "07:00", the branch's wall clock
    available_until: str | Unset = UNSET
    image_url: str | Unset = UNSET
    position: int | Unset = UNSET


class ItemPatch(msgspec.Struct, forbid_unknown_fields=True):
    category_id: UUID | Unset = UNSET
    name: str | Unset = UNSET
    price: int | Unset = UNSET
    description: str | Unset | None = UNSET
    translations: dict[str, ItemTexts] | Unset | None = UNSET
    allergens: list[str] | Unset | None = UNSET
    dietary: list[str] | Unset | None = UNSET
    modifier_group_ids: list[UUID] | Unset | None = UNSET
    available_from: str | Unset | None = UNSET
    available_until: str | Unset | None = UNSET
    image_url: str | Unset | None = UNSET
    position: int | Unset = UNSET


class OptionCreate(msgspec.Struct, forbid_unknown_fields=True):
    name: str
    price_delta: int | Unset = UNSET
    available: bool | Unset = UNSET
    translations: dict[str, NameText] | Unset = UNSET


class ModifierGroupCreate(msgspec.Struct, forbid_unknown_fields=True):
    name: str
    options: list[OptionCreate]
    min_select: int | Unset = UNSET
    max_select: int | Unset = UNSET
    translations: dict[str, NameText] | Unset = UNSET


class Availability(msgspec.Struct, forbid_unknown_fields=True):
    available: bool


@get(
    "/v1/branches/{bid:uuid}/menu",
    operation_id="getMenu",
    tags=TAGS,
    summary="The whole menu of a branch as one document (public; ETag, 304)",
)
async def get_menu(state: State, request: Request, bid: UUID, lang: Lang | None = None) -> Response:
    menus: MenuCache = state.menus
    menu = menus.get(str(bid), lang or "")
    served = "hit"
    if menu is None:
        served, generation = "miss", menus.generation
        # Read-write: a miss in the database's cache is filled there too (ADR 0006).
        async with open_db(state, request, readonly=False) as db:
            etag, document, rid, valid_until = await rpc.call_row(  # type: ignore[misc]
                db, "menu", branch_id=bid, lang=lang
            )
        expires = valid_until.timestamp() if valid_until else None
        menu = Menu(etag, document.encode(), str(rid), expires)
        menus.put(generation, str(bid), lang or "", menu)
    headers = {
        "ETag": menu.etag,
        "Cache-Control": "public, max-age=0, must-revalidate",
        "X-Cache": served,
    }
    if request.headers.get("if-none-match") == menu.etag:
        return Response(content=b"", status_code=304, headers=headers)
    return Response(content=menu.body, media_type="application/json", headers=headers)


@get(
    "/v1/branches/{bid:uuid}/menu/search",
    operation_id="searchMenu",
    tags=TAGS,
    summary="Ranked full-text search over a branch's menu (public)",
)
async def search_menu(
    db: Db,
    bid: UUID,
    q: Annotated[str, msgspec.Meta(min_length=1, max_length=200)],
    lang: Lang | None = None,
) -> Response:
    return rpc.json_response(await rpc.call(db, "menu_search", branch_id=bid, q=q, lang=lang))


# Categories


@post(
    "/v1/restaurants/{rid:uuid}/categories",
    operation_id="createCategory",
    tags=TAGS,
    summary="Add a menu category (owner, manager)",
)
async def create_category(db: Db, rid: UUID, data: CategoryCreate) -> Response:
    body = rpc.fields(data)
    return rpc.json_response(
        await rpc.call(db, "create_category", restaurant_id=rid, body=body), 201
    )


@get(
    "/v1/restaurants/{rid:uuid}/categories",
    operation_id="listCategories",
    tags=TAGS,
    summary="List the menu categories of a restaurant (staff)",
)
async def list_categories(
    db: Db, rid: UUID, limit: int = 50, cursor: UUID | None = None
) -> Response:
    return rpc.json_response(
        await rpc.call(db, "list_categories", restaurant_id=rid, lim=limit, cursor=cursor)
    )


@patch(
    "/v1/categories/{cid:uuid}",
    operation_id="updateCategory",
    tags=TAGS,
    summary="Rename, reorder, hide or translate a menu category (owner, manager)",
)
async def update_category(db: Db, cid: UUID, data: CategoryPatch) -> Response:
    patch_ = rpc.fields(data)
    return rpc.json_response(await rpc.call(db, "update_category", category_id=cid, patch=patch_))


@delete(
    "/v1/categories/{cid:uuid}",
    operation_id="deleteCategory",
    tags=TAGS,
    summary="Soft-delete an empty menu category (owner, manager)",
)
async def delete_category(db: Db, cid: UUID) -> None:
    await rpc.call(db, "delete_category", category_id=cid)


@post(
    "/v1/categories/{cid:uuid}/restore",
    operation_id="restoreCategory",
    tags=TAGS,
    status_code=200,
    summary="Undo the soft delete of a menu category (owner, manager)",
)
async def restore_category(db: Db, cid: UUID) -> Response:
    return rpc.json_response(await rpc.call(db, "restore_category", category_id=cid))


# Items


@post(
    "/v1/restaurants/{rid:uuid}/items",
    operation_id="createItem",
    tags=TAGS,
    summary="Add a dish or drink to the menu (owner, manager)",
)
async def create_item(db: Db, rid: UUID, data: ItemCreate) -> Response:
    body = rpc.fields(data)
    return rpc.json_response(await rpc.call(db, "create_item", restaurant_id=rid, body=body), 201)


@get(
    "/v1/restaurants/{rid:uuid}/items",
    operation_id="listItems",
    tags=TAGS,
    summary="List the menu items of a restaurant (staff)",
)
async def list_items(db: Db, rid: UUID, limit: int = 50, cursor: UUID | None = None) -> Response:
    return rpc.json_response(
        await rpc.call(db, "list_items", restaurant_id=rid, lim=limit, cursor=cursor)
    )


@get(
    "/v1/items/{iid:uuid}",
    operation_id="getItem",
    tags=TAGS,
    summary="Read a menu item, deleted or not (staff)",
)
async def get_item(db: Db, iid: UUID) -> Response:
    return rpc.json_response(await rpc.call(db, "get_item", item_id=iid))


@patch(
    "/v1/items/{iid:uuid}",
    operation_id="updateItem",
    tags=TAGS,
    summary="Change a menu item (owner, manager)",
)
async def update_item(db: Db, iid: UUID, data: ItemPatch) -> Response:
    patch_ = rpc.fields(data)
    return rpc.json_response(await rpc.call(db, "update_item", item_id=iid, patch=patch_))


@delete(
    "/v1/items/{iid:uuid}",
    operation_id="deleteItem",
    tags=TAGS,
    summary="Soft-delete a menu item (owner, manager)",
)
async def delete_item(db: Db, iid: UUID) -> None:
    await rpc.call(db, "delete_item", item_id=iid)


@post(
    "/v1/items/{iid:uuid}/restore",
    operation_id="restoreItem",
    tags=TAGS,
    status_code=200,
    summary="Undo the soft delete of a menu item (owner, manager)",
)
async def restore_item(db: Db, iid: UUID) -> Response:
    return rpc.json_response(await rpc.call(db, "restore_item", item_id=iid))


# Modifier groups


@post(
    "/v1/restaurants/{rid:uuid}/modifier-groups",
    operation_id="createModifierGroup",
    tags=TAGS,
    summary="Add a modifier group with its options (owner, manager)",
)
async def create_modifier_group(db: Db, rid: UUID, data: ModifierGroupCreate) -> Response:
    body = rpc.fields(data)
    text = await rpc.call(db, "create_modifier_group", restaurant_id=rid, body=body)
    return rpc.json_response(text, 201)


@get(
    "/v1/restaurants/{rid:uuid}/modifier-groups",
    operation_id="listModifierGroups",
    tags=TAGS,
    summary="List the modifier groups of a restaurant with their options (staff)",
)
async def list_modifier_groups(
    db: Db, rid: UUID, limit: int = 50, cursor: UUID | None = None
) -> Response:
    return rpc.json_response(
        await rpc.call(db, "list_modifier_groups", restaurant_id=rid, lim=limit, cursor=cursor)
    )


# 86


@put(
    "/v1/branches/{bid:uuid}/items/{iid:uuid}/availability",
    operation_id="setItemAvailability",
    tags=TAGS,
    summary="Mark an item sold out (86) or back at one branch (staff of that branch)",
)
async def set_item_availability(db: Db, bid: UUID, iid: UUID, data: Availability) -> Response:
    text = await rpc.call(
        db, "set_item_availability", branch_id=bid, item_id=iid, available=data.available
    )
    return rpc.json_response(text)


@delete(
    "/v1/modifier-groups/{gid:uuid}",
    operation_id="deleteModifierGroup",
    tags=TAGS,
    summary="Soft-delete a modifier group (owner, manager)",
)
async def delete_modifier_group(db: Db, gid: UUID) -> None:
    await rpc.call(db, "delete_modifier_group", group_id=gid)


@post(
    "/v1/modifier-groups/{gid:uuid}/restore",
    operation_id="restoreModifierGroup",
    tags=TAGS,
    status_code=200,
    summary="Undo the soft delete of a modifier group (owner, manager)",
)
async def restore_modifier_group(db: Db, gid: UUID) -> Response:
    return rpc.json_response(await rpc.call(db, "restore_modifier_group", group_id=gid))


ROUTES = [
    get_menu,
    search_menu,
    create_category,
    list_categories,
    update_category,
    delete_category,
    restore_category,
    create_item,
    list_items,
    get_item,
    update_item,
    delete_item,
    restore_item,
    create_modifier_group,
    list_modifier_groups,
    delete_modifier_group,
    restore_modifier_group,
    set_item_availability,
]
