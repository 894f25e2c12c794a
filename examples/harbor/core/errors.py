"""Domain errors, raised by the services, and the one place that turns them into HTTP.

Every error answer has the same shape, ``{"code": ..., "detail": ...}``: ``code`` is the
machine-readable part partners switch on, ``detail`` is for humans (for validation errors,
the usual list of problems). Internals (tracebacks, SQL) never reach a client.

One answer is a Problem Details document (RFC 9457, ``application/problem+json``) that keeps
``code`` and ``detail`` as members: 503 ``database_unavailable`` with ``Retry-After``, while the
database cannot be reached (restarted, connections dropped, pool exhausted). Nothing was
acknowledged, so a retry with the same Idempotency-Key is always safe.
"""

from __future__ import annotations

import logging
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse

from examples.harbor.framework import (
    PROBLEM_MEDIA_TYPE,
    App,
    ProblemResponse,
    RequestValidationError,
    jsonable_encoder,
    problem_content,
)

__all__ = [
    "DatabaseUnavailable",
    "DomainError",
    "ErrorBody",
    "IdempotencyKeyReused",
    "InvalidCursor",
    "InvalidTransition",
    "NotAuthenticated",
    "OrderNotFound",
    "error_responses",
    "install_error_handlers",
    "is_database_unavailable",
    "unavailable_responses",
]

logger = logging.getLogger("harbor.errors")


class DomainError(Exception):
    """A business rule said no. Subclasses fix the HTTP status and the machine code."""

    status_code = 400
    code = "bad_request"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class NotAuthenticated(DomainError):
    """No API key, or one that matches no active key."""

    status_code = 401
    code = "not_authenticated"


class OrderNotFound(DomainError):
    """No such order for this partner (other partners' orders do not exist for it)."""

    status_code = 404
    code = "order_not_found"


class InvalidTransition(DomainError):
    """The order's state machine does not allow the requested status change."""

    status_code = 409
    code = "invalid_transition"


class IdempotencyKeyReused(DomainError):
    """The Idempotency-Key was already used with a different request body."""

    status_code = 422
    code = "idempotency_key_reused"


class InvalidCursor(DomainError):
    """The pagination cursor was not produced by this API."""

    status_code = 422
    code = "invalid_cursor"


class ErrorBody(BaseModel):
    """The body of every error answer."""

    code: str = Field(examples=["invalid_transition"])
    detail: str | list[dict[str, Any]]


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses=`` entries documenting the given error statuses."""
    return {status: {"model": ErrorBody} for status in statuses}


class DatabaseUnavailable(BaseModel):
    """The 503 Problem Details document (RFC 9457) answered while the database is away."""

    # Documented as sent: every member is always there, defaults included.
    model_config = ConfigDict(json_schema_serialization_defaults_required=True)

    type: str = Field(default="about:blank", examples=["about:blank"])
    title: str = Field(default="Service Unavailable", examples=["Service Unavailable"])
    status: Literal[503] = 503
    detail: str
    instance: str = Field(examples=["/api/v1/orders"])
    code: Literal["database_unavailable"] = "database_unavailable"


RETRY_AFTER_SECONDS = 1


def unavailable_responses() -> dict[int | str, dict[str, Any]]:
    """The OpenAPI ``responses=`` entry of the 503 every route that needs the database can send.

    Spelled out as ``content`` (not ``model``) so that the schema is documented under the
    ``application/problem+json`` media type the answer really has.
    """
    schema = DatabaseUnavailable.model_json_schema(mode="serialization")
    return {
        503: {
            "description": "The database is unavailable; retry with the same Idempotency-Key.",
            "headers": {
                "Retry-After": {
                    "description": "Seconds to wait before retrying.",
                    "schema": {"type": "integer", "example": RETRY_AFTER_SECONDS},
                }
            },
            "content": {PROBLEM_MEDIA_TYPE: {"schema": schema}},
        }
    }


async def _domain_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    headers = {"WWW-Authenticate": "APIKey"} if exc.status_code == 401 else None
    body = {"code": exc.code, "detail": exc.detail}
    return JSONResponse(body, status_code=exc.status_code, headers=headers)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    body = {"code": "validation_error", "detail": jsonable_encoder(exc.errors())}
    return JSONResponse(body, status_code=422)


_HTTP_CODES = {400: "malformed_body", 404: "not_found", 405: "method_not_allowed"}


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    code = _HTTP_CODES.get(exc.status_code, f"http_{exc.status_code}")
    body = {"code": code, "detail": str(exc.detail)}
    return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)


async def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    # Logged with the traceback for operators; the client learns nothing about internals.
    logger.exception("unhandled error", exc_info=exc)
    return JSONResponse({"code": "internal_error", "detail": "Internal server error"}, 500)


# SQLSTATE classes of a lost server: 08 connection exception, 57P admin/crash shutdown and
# "cannot connect now" (the server is starting up or shutting down).
_UNAVAILABLE_STATES = ("08", "57P")


def is_database_unavailable(exc: BaseException) -> bool:
    """True when `exc` says the database cannot be reached (as opposed to a bug or bad data)."""
    if isinstance(exc, ConnectionError | TimeoutError | PoolTimeout | OperationalError):
        return True  # refused or reset at connect, pool checkout timed out, server gone
    if isinstance(exc, DBAPIError):
        state = str(getattr(exc.orig, "sqlstate", None) or "")
        return (
            exc.connection_invalidated
            or isinstance(exc, InterfaceError)
            or state.startswith(_UNAVAILABLE_STATES)
        )
    return False


async def _database_error(request: Request, exc: Exception) -> JSONResponse:
    if not is_database_unavailable(exc):
        return await _unexpected_error(request, exc)
    logger.warning("database unavailable", extra={"error": type(exc).__name__})
    content = problem_content(
        503,
        detail="The database is unavailable; retry with the same Idempotency-Key.",
        instance=request.url.path,
        extensions={"code": "database_unavailable"},
    )
    return ProblemResponse(
        content, status_code=503, headers={"Retry-After": str(RETRY_AFTER_SECONDS)}
    )


def install_error_handlers(app: App) -> None:
    """Map domain, validation, HTTP and database-availability errors to answers."""
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
    for unavailable in (SQLAlchemyError, ConnectionError, TimeoutError):
        app.add_exception_handler(unavailable, _database_error)
    app.add_exception_handler(Exception, _unexpected_error)
