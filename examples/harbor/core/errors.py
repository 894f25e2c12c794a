"""Domain errors, raised by the services, and the one place that turns them into HTTP.

Every error answer has the same shape, ``{"code": ..., "detail": ...}``: ``code`` is the
machine-readable part partners switch on, ``detail`` is for humans (for validation errors,
the usual list of problems). Internals (tracebacks, SQL) never reach a client.
"""

from __future__ import annotations

import logging
from typing import Any

from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse

from accord import Accord
from accord.encoders import jsonable_encoder
from accord.exceptions import RequestValidationError

__all__ = [
    "DomainError",
    "ErrorBody",
    "IdempotencyKeyReused",
    "InvalidCursor",
    "InvalidTransition",
    "NotAuthenticated",
    "OrderNotFound",
    "error_responses",
    "install_error_handlers",
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


def install_error_handlers(app: Accord) -> None:
    """Map domain errors, validation errors and HTTP errors to ``ErrorBody`` answers."""
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected_error)
