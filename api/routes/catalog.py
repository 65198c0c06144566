"""Catalog: categories, items, modifier groups, 86, and the public menu and search."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import msgspec
from litestar import Request, Response, get

from api import rpc
from api.db.pool import Db

TAGS = ["catalog"]
Lang = Annotated[str, msgspec.Meta(pattern=r"^[a-z]{2}(-[A-Z]{2})?$")]


@get(
    "/v1/branches/{bid:uuid}/menu",
    operation_id="getMenu",
    tags=TAGS,
    opt={"writes": True},
    summary="The whole menu of a branch as one document (public; ETag, 304)",
)
async def get_menu(db: Db, request: Request, bid: UUID, lang: Lang | None = None) -> Response:
    etag, document = await rpc.call_row(
        db, "menu", branch_id=bid, lang=lang, if_none_match=request.headers.get("if-none-match")
    )  # type: ignore[misc]
    headers = {
        "ETag": etag,
        "Cache-Control": "public, max-age=0, must-revalidate",
        "Vary": "Accept-Language",
    }
    if document is None:
        return Response(content=b"", status_code=304, headers=headers)
    return Response(content=document.encode(), media_type="application/json", headers=headers)


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


ROUTES = [get_menu, search_menu]
