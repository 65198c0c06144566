"""Every error becomes RFC 9457 problem+json, decided in one place.

Database errors are mapped by SQLSTATE (the table is also in sql/README.md); our own
functions raise class `BR` states with the stable `code` in the HINT.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

import msgspec
import psycopg
from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from psycopg_pool import PoolTimeout

from api.auth import InvalidTokenError

log = logging.getLogger("brigade.errors")

MEDIA_TYPE = "application/problem+json"
CODE = re.compile(r"^[a-z][a-z0-9_]{1,62}$")
RETRY_AFTER = re.compile(r"retry_after=(\d+)")

TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Payload too large",
    415: "Unsupported media type",
    422: "Validation failed",
    429: "Too many requests",
    500: "Internal server error",
    503: "Service unavailable",
}
DEFAULT_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_failed",
    429: "rate_limited",
    500: "internal_error",
    503: "database_unavailable",
}

# SQLSTATE (exact, then by class) → HTTP status. Our own states: BR + the status.
SQLSTATE_STATUS = {
    "BR400": 400,
    "BR401": 401,
    "BR403": 403,
    "BR404": 404,
    "BR409": 409,
    "BR422": 422,
    "BR429": 429,
    "42501": 403,  # insufficient_privilege (RLS WITH CHECK, missing EXECUTE)
    "P0002": 404,  # no_data_found
    "23505": 409,  # unique_violation
    "23503": 409,  # foreign_key_violation
    "23P01": 409,  # exclusion_violation
    "23502": 422,  # not_null_violation
    "23514": 422,  # check_violation
    "40001": 503,  # serialization_failure: safe to retry
    "40P01": 503,  # deadlock_detected: safe to retry
    "57014": 503,  # query_canceled (statement_timeout)
    "25006": 405,  # read_only_sql_transaction: a GET reached a writing function
}
SQLSTATE_CLASS_STATUS = {"22": 422, "08": 503, "53": 503, "57": 503}
SQLSTATE_CODES = {
    "23505": "conflict",
    "40001": "try_again",
    "40P01": "try_again",
    "57014": "timeout",
}


@dataclass(frozen=True, slots=True)
class Problem:
    status: int
    code: str
    detail: str
    headers: dict[str, str] | None = None
    extra: dict[str, Any] | None = None

    def response(self) -> Response:
        body: dict[str, Any] = {
            "type": f"https://brigade.dev/problems/{self.code}",
            "title": TITLES.get(self.status, "Error"),
            "status": self.status,
            "detail": self.detail,
            "code": self.code,
        }
        if self.extra:
            body.update(self.extra)
        return Response(
            content=msgspec.json.encode(body),
            status_code=self.status,
            media_type=MEDIA_TYPE,
            headers=self.headers,
        )


class ProblemError(Exception):
    """Raised by handlers to answer with a problem decided elsewhere (e.g. by SQL)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.detail)
        self.problem = problem


def problem_for_database(exc: psycopg.Error) -> Problem:
    state = exc.sqlstate or ""
    status = SQLSTATE_STATUS.get(state) or SQLSTATE_CLASS_STATUS.get(state[:2]) or 500
    if isinstance(exc, psycopg.OperationalError) and not state:
        status = 503  # connection lost: no SQLSTATE at all
    diag = exc.diag
    hint = diag.message_hint or ""
    code = hint if state.startswith("BR") and CODE.match(hint) else None
    code = code or SQLSTATE_CODES.get(state) or DEFAULT_CODES.get(status, "error")
    if status >= 500:
        if status == 500:
            log.error("unmapped database error %s: %s", state, diag.message_primary)
        return Problem(
            status,
            code,
            "The database could not complete the request; try again shortly."
            if status == 503
            else "Unexpected error.",
            {"Retry-After": "1"} if status == 503 else None,
        )
    detail = diag.message_primary or TITLES.get(status, "Error")
    wait = RETRY_AFTER.search(diag.message_detail or "") if status == 429 else None
    return Problem(status, code, detail, {"Retry-After": wait.group(1)} if wait else None)


def handle_database_error(request: Request, exc: psycopg.Error) -> Response:
    if exc.sqlstate == "42501" and "authorization" not in request.headers:
        # Anonymous callers lacking a privilege need to log in: 401, not 403.
        return Problem(
            401,
            "unauthorized",
            "This operation needs a bearer token.",
            {"WWW-Authenticate": "Bearer"},
        ).response()
    return problem_for_database(exc).response()


def handle_problem(_: Request, exc: ProblemError) -> Response:
    return exc.problem.response()


def handle_pool_timeout(_: Request, __: PoolTimeout) -> Response:
    return Problem(
        503,
        "database_unavailable",
        "No database connection became free in time; try again shortly.",
        {"Retry-After": "1"},
    ).response()


def handle_invalid_token(_: Request, exc: InvalidTokenError) -> Response:
    return Problem(
        401, "invalid_token", f"The access token was refused: {exc}", {"WWW-Authenticate": "Bearer"}
    ).response()


def handle_http_exception(_: Request, exc: HTTPException) -> Response:
    status = exc.status_code
    if isinstance(exc, ValidationException) and isinstance(exc.extra, list):
        # Field errors from msgspec decoding the body: well-formed JSON, wrong shape.
        return Problem(
            422,
            "validation_failed",
            "The request body does not match the schema.",
            extra={"errors": exc.extra},
        ).response()
    detail = (
        exc.detail if isinstance(exc.detail, str) and exc.detail else TITLES.get(status, "Error")
    )
    headers = dict(exc.headers) if exc.headers else None
    return Problem(status, DEFAULT_CODES.get(status, "error"), detail, headers).response()


def handle_unexpected(_: Request, exc: Exception) -> Response:
    log.exception("unhandled error", exc_info=exc)
    return Problem(500, "internal_error", "Unexpected error.").response()


EXCEPTION_HANDLERS = {
    ProblemError: handle_problem,
    psycopg.Error: handle_database_error,
    PoolTimeout: handle_pool_timeout,
    InvalidTokenError: handle_invalid_token,
    HTTPException: handle_http_exception,
    Exception: handle_unexpected,
}
