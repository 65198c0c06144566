"""The kitchen screen (KDS): one static page, its script and its style sheet.

Plain files, no build step, nothing from another origin: the page talks to this API only,
so a strict Content-Security-Policy holds (no inline script or style, no external fetch).
The files are read once at import; an `ETag` lets a tablet revalidate cheaply. Litestar adds
`charset=utf-8` to `text/*` media types.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from litestar import Request, Response, get

STATIC = Path(__file__).resolve().parent.parent / "static"
CSP = (
    "default-src 'self'; base-uri 'none'; object-src 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}


class Asset:
    """One static file, its media type and its strong validator."""

    def __init__(self, name: str, media_type: str) -> None:
        self.body = (STATIC / name).read_bytes()
        self.media_type = media_type
        self.etag = '"' + hashlib.sha256(self.body).hexdigest()[:32] + '"'

    def response(self, request: Request) -> Response[bytes]:
        headers = {**SECURITY_HEADERS, "ETag": self.etag}
        if request.headers.get("if-none-match") == self.etag:
            return Response(b"", status_code=304, headers=headers, media_type=self.media_type)
        return Response(self.body, headers=headers, media_type=self.media_type)


PAGE = Asset("kds.html", "text/html")
SCRIPT = Asset("kds.js", "text/javascript")
STYLE = Asset("kds.css", "text/css")


@get("/kds", operation_id="kdsPage", tags=["kitchen"], include_in_schema=False)
async def kds_page(request: Request) -> Response[bytes]:
    return PAGE.response(request)


@get("/kds/kds.js", operation_id="kdsScript", tags=["kitchen"], include_in_schema=False)
async def kds_script(request: Request) -> Response[bytes]:
    return SCRIPT.response(request)


@get("/kds/kds.css", operation_id="kdsStyle", tags=["kitchen"], include_in_schema=False)
async def kds_style(request: Request) -> Response[bytes]:
    return STYLE.response(request)


ROUTES = [kds_page, kds_script, kds_style]
