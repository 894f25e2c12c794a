"""One traced request's state, and what the router and the runner report into it.

A `RequestTelemetry` is made by the server layer (`_server`) for each traced request or
connection, stored in the ASGI scope (under `SCOPE_KEY`) and in the OpenTelemetry context. The
router reports the route it selected; the runner opens operation spans and reports validation
failures; the server-error layer reports unhandled exceptions before the 500 is sent.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from time import time_ns
from typing import Any

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry._logs import Logger, SeverityNumber
from opentelemetry.context import Context
from opentelemetry.trace import Span, StatusCode, Tracer
from starlette.exceptions import HTTPException, WebSocketException
from starlette.websockets import WebSocketDisconnect

from accord.exceptions import RequestValidationError, WebSocketRequestValidationError
from accord.telemetry._config import SCOPE_KEY, TelemetryData

__all__ = [
    "CONTEXT_KEY",
    "NO_OPERATION",
    "Operation",
    "RequestTelemetry",
    "exception_type",
    "normal_disconnect",
    "record_exception",
    "request_telemetry",
]

CONTEXT_KEY = otel_context.create_key("accord.request")

# Raised to be answered (4xx, a closed WebSocket): not a failure of the operation.
_ANSWERED = (
    HTTPException,
    RequestValidationError,
    WebSocketException,
    WebSocketRequestValidationError,
)


class RequestTelemetry:
    """The state of one traced request or connection."""

    __slots__ = (
        "data",
        "exceptions",
        "logger",
        "mount_prefix",
        "route",
        "span",
        "span_method",
        "status_code",
        "tracer",
    )

    def __init__(
        self,
        span: Span | None,
        span_method: str,
        tracer: Tracer | None,
        logger: Logger | None,
        mount_prefix: str,
    ) -> None:
        self.span = span
        self.span_method = span_method
        self.tracer = tracer  # set only when operation spans are on
        self.logger = logger
        self.mount_prefix = mount_prefix
        self.route: str | None = None
        self.status_code: int | None = None
        self.data: TelemetryData | None = TelemetryData()
        self.exceptions: list[BaseException] = []

    def route_selected(self, path: str | None, mount: bool = False) -> None:
        """The router chose the route of template `path` (a mount: its prefix, then the rest)."""
        if path is None:
            return
        if mount:
            path = path.removesuffix("/{path}")
            self.mount_prefix += path
            self.route = self.mount_prefix + "/{path}"
        else:
            self.route = self.mount_prefix + path
        if self.span is not None:
            self.span.set_attribute("http.route", self.route)
            self.span.update_name(f"{self.span_method} {self.route}")

    def validation_failed(
        self, exc: RequestValidationError | WebSocketRequestValidationError
    ) -> None:
        """Keeps the errors for processors and logs them (a WARN record)."""
        errors = exc.errors()
        if self.data is not None:
            if isinstance(exc, RequestValidationError):
                self.data.body = exc.body
            self.data.errors = errors
        if self.logger is None:
            return
        attributes: dict[str, Any] = {"fastapi.validation.error_count": len(errors)}
        if self.route is not None:
            attributes["http.route"] = self.route
        self.logger.emit(
            event_name="fastapi.validation.failed",
            timestamp=time_ns(),
            severity_number=SeverityNumber.WARN,
            severity_text="WARN",
            body="Request validation failed",
            attributes=attributes,
        )

    def operation(self, name: str, function: Callable[..., Any] | None) -> Operation:
        """A child span of the request's span (call only when `tracer` is set)."""
        assert self.tracer is not None
        return Operation(self.tracer, name, function)


class Operation:
    """An operation span (``fastapi.<name>``), current while it is open.

    A plain class rather than `start_as_current_span`: no generator frames per operation.
    """

    __slots__ = ("name", "span", "token")

    def __init__(self, tracer: Tracer, name: str, function: Callable[..., Any] | None) -> None:
        attributes = {}
        if function is not None:
            module = getattr(function, "__module__", type(function).__module__)
            qualname = getattr(function, "__qualname__", type(function).__qualname__)
            attributes["code.function.name"] = f"{module}.{qualname}"
        self.name = name
        self.span = tracer.start_span(f"fastapi.{name}", attributes=attributes)
        self.token = otel_context.attach(trace.set_span_in_context(self.span))

    def __enter__(self) -> Operation:
        return self

    def __exit__(self, kind: Any, exc: BaseException | None, tb: Any) -> None:
        try:
            if isinstance(exc, Exception) and (
                self.name == "background_task"
                or not (isinstance(exc, _ANSWERED) or normal_disconnect(exc))
            ):
                self.span.set_attribute("error.type", exception_type(exc))
                self.span.set_status(StatusCode.ERROR)
        finally:
            self.span.end()
            otel_context.detach(self.token)


def request_telemetry(context: Context | None = None) -> RequestTelemetry | None:
    """The traced request of `context` (default: the current context), if any."""
    value = otel_context.get_value(CONTEXT_KEY, context)
    return value if isinstance(value, RequestTelemetry) else None


def exception_type(exc: BaseException) -> str:
    """``error.type``: the exception class's qualified name (builtins unqualified)."""
    cls = type(exc)
    module = cls.__module__
    return cls.__qualname__ if module == "builtins" else f"{module}.{cls.__qualname__}"


def normal_disconnect(exc: BaseException) -> bool:
    """A WebSocket closed normally (1000, 1001): not an error."""
    return isinstance(exc, WebSocketDisconnect) and exc.code in (1000, 1001)


def record_exception(scope: MutableMapping[str, Any], exc: BaseException) -> None:
    """Notes an unhandled exception of the request (once) and logs it (an ERROR record)."""
    websocket = scope["type"] == "websocket"
    if websocket and normal_disconnect(exc):
        return
    telemetry = scope.get(SCOPE_KEY)
    if not isinstance(telemetry, RequestTelemetry):
        return
    if any(seen is exc for seen in telemetry.exceptions):
        return
    telemetry.exceptions.append(exc)
    if telemetry.logger is None or not isinstance(exc, Exception):
        return
    telemetry.logger.emit(
        exception=exc,
        event_name="fastapi.websocket.exception" if websocket else "http.server.request.exception",
        timestamp=time_ns(),
        severity_number=SeverityNumber.ERROR,
        severity_text="ERROR",
        body="Unhandled exception in FastAPI WebSocket connection"
        if websocket
        else "Unhandled exception in FastAPI request",
        attributes={"http.route": telemetry.route} if telemetry.route else None,
    )


class _NoOperation:
    """What an operation is when operation spans are off."""

    __slots__ = ()

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc_info: Any) -> None:
        return None


NO_OPERATION = _NoOperation()
