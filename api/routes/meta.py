"""Who the API thinks the caller is: the claims as the database sees them."""

from __future__ import annotations

from litestar import Response, get

from api import rpc
from api.db.pool import Db


@get(
    "/v1/whoami",
    operation_id="whoami",
    tags=["auth"],
    summary="The caller's role and claims as the database sees them",
)
async def whoami(db: Db) -> Response:
    return rpc.json_response(await rpc.call(db, "whoami"))


ROUTES = [whoami]
