"""Exceptions raised by Accord and by applications built on it.

The names match FastAPI's so that handlers registered for them keep working after migration.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypedDict

from pydantic import BaseModel, create_model
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.exceptions import WebSocketException as StarletteWebSocketException

__all__ = [
    "AccordError",
    "DependencyScopeError",
    "EndpointContext",
    "FastAPIDeprecationWarning",
    "FastAPIError",
    "HTTPException",
    "PydanticV1NotSupportedError",
    "RequestErrorModel",
    "RequestValidationError",
    "ResponseValidationError",
    "ValidationException",
    "WebSocketErrorModel",
    "WebSocketException",
    "WebSocketRequestValidationError",
]


class EndpointContext(TypedDict, total=False):
    """Where a validation error came from: the endpoint's function, file, line and path."""

    function: str
    path: str
    file: str
    line: int


class HTTPException(StarletteHTTPException):
    """An error response the endpoint chose: a status code, a JSON `detail`, optional headers."""

    def __init__(
        self,
        status_code: int,
        detail: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(status_code=status_code, detail=detail, headers=headers)


class WebSocketException(StarletteWebSocketException):
    """Closes a WebSocket with `code` and an optional `reason`."""

    def __init__(self, code: int, reason: str | None = None) -> None:
        super().__init__(code=code, reason=reason)


RequestErrorModel: type[BaseModel] = create_model("Request")
WebSocketErrorModel: type[BaseModel] = create_model("WebSocket")


class AccordError(RuntimeError):
    """A configuration or usage error in the application (raised at start-up where possible)."""


FastAPIError = AccordError
"""FastAPI's name for :class:`AccordError`, kept so migrated ``except`` clauses still match."""


class DependencyScopeError(AccordError):
    """A dependency declares a scope that does not fit where it is used."""


class PydanticV1NotSupportedError(AccordError):
    """A pydantic v1 model was given; Accord supports pydantic v2 only."""


class AccordDeprecationWarning(UserWarning):
    """A deprecated feature is used."""


FastAPIDeprecationWarning = AccordDeprecationWarning


class ValidationException(Exception):
    """Base of the validation errors: carries the pydantic-style error list."""

    def __init__(
        self, errors: Sequence[Any], *, endpoint_ctx: EndpointContext | None = None
    ) -> None:
        self._errors = errors
        self.endpoint_ctx = endpoint_ctx
        ctx = endpoint_ctx or {}
        self.endpoint_function = ctx.get("function")
        self.endpoint_path = ctx.get("path")
        self.endpoint_file = ctx.get("file")
        self.endpoint_line = ctx.get("line")

    def errors(self) -> Sequence[Any]:
        """The error entries: dicts with `type`, `loc`, `msg`, `input` and maybe `ctx`."""
        return self._errors

    def _where(self) -> str:
        if self.endpoint_file and self.endpoint_line and self.endpoint_function:
            where = f'\n  File "{self.endpoint_file}", line {self.endpoint_line}, in '
            where += str(self.endpoint_function)
            return where + (f"\n    {self.endpoint_path}" if self.endpoint_path else "")
        return f"\n  Endpoint: {self.endpoint_path}" if self.endpoint_path else ""

    def __str__(self) -> str:
        count = len(self._errors)
        lines = [f"{count} validation error{'' if count == 1 else 's'}:"]
        lines += [f"  {error}" for error in self._errors]
        return ("\n".join(lines) + "\n" + self._where()).rstrip()


class RequestValidationError(ValidationException):
    """The request did not match the declaration; answered with 422 by default."""

    def __init__(
        self,
        errors: Sequence[Any],
        *,
        body: Any = None,
        endpoint_ctx: EndpointContext | None = None,
    ) -> None:
        super().__init__(errors, endpoint_ctx=endpoint_ctx)
        self.body = body


class WebSocketRequestValidationError(ValidationException):
    """A WebSocket's parameters did not match the declaration; the socket is closed with 1008."""


class ResponseValidationError(ValidationException):
    """The endpoint returned data that does not fit its response model: a server error (500)."""

    def __init__(
        self,
        errors: Sequence[Any],
        *,
        body: Any = None,
        endpoint_ctx: EndpointContext | None = None,
    ) -> None:
        super().__init__(errors, endpoint_ctx=endpoint_ctx)
        self.body = body


class ContentTooLargeError(HTTPException):
    """The request body, or one part of a form, is larger than the route allows: a 413.

    Raised while the body is read, before the rest of it is received. `limit` is the limit
    that was exceeded, in bytes (or in parts, for too many files or fields).
    """

    def __init__(self, detail: str, *, limit: int) -> None:
        super().__init__(status_code=413, detail=detail)
        self.limit = limit


__all__ += ["ContentTooLargeError"]


class ResponseModelError(AccordError):
    """A response model pydantic cannot validate or serialize; raised at registration.

    The model is the route's `response_model`, or the one inferred from the endpoint's return
    annotation; a model in `responses={...}` is checked the same way.
    """


class AccordWarning(UserWarning):
    """Base of the warnings Accord emits about an application (not about Accord itself)."""


class DeclarationWarning(AccordWarning):
    """A route declaration that works but very likely does not do what was meant.

    Emitted when the route is registered, pointing at the endpoint's definition; the message
    names the route, the parameter and the fix. Silence one kind with the standard
    `warnings` filters, e.g. ``warnings.filterwarnings("ignore", category=DeclarationWarning)``.
    """


__all__ += ["AccordWarning", "DeclarationWarning", "ResponseModelError"]
