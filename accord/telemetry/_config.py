"""The telemetry settings, the request data handed to processors, and the settings resolved once.

Nothing here imports OpenTelemetry at module level: an application without the API installed
imports this and runs with telemetry off.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable, MutableMapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.websockets import WebSocket
from typing_extensions import TypedDict

if TYPE_CHECKING:
    from opentelemetry._logs import LoggerProvider
    from opentelemetry.context import Context
    from opentelemetry.metrics import MeterProvider
    from opentelemetry.trace import TracerProvider

__all__ = [
    "SCOPE_KEY",
    "TelemetryConfig",
    "TelemetryData",
    "get_telemetry_data",
    "otel_installed",
    "resolve",
]

SCOPE_KEY = "accord.telemetry"
"""Where a traced request's state lives in the ASGI scope (read by the router and the runner)."""


class TelemetryConfig(TypedDict, total=False):
    """The options of `Accord(telemetry={...})`; an omitted option keeps its default.

    Attributes:
        tracer_provider: used instead of the global tracer provider.
        meter_provider: used instead of the global meter provider.
        logger_provider: used instead of the global logger provider.
        tracing: spans for HTTP requests and WebSocket connections (default True).
        metrics: HTTP request duration and active-request metrics (default True).
        logs: log records of validation failures and unhandled exceptions, with messages and
            tracebacks (default True).
        operation_spans: child spans for dependency resolution, the endpoint, serialization and
            background tasks (default True).
        auto_configure: add OTLP/HTTP exporters from the ``OTEL_*`` environment at start-up
            (default: whether ``FASTAPI_OTEL_AUTO_CONFIGURE=true``).
        exclude: called with the ASGI scope of each request or connection; True skips it.

    Providers given here are the application's: Accord never shuts them down.
    """

    tracer_provider: TracerProvider | None
    meter_provider: MeterProvider | None
    logger_provider: LoggerProvider | None
    tracing: bool
    metrics: bool
    logs: bool
    operation_spans: bool
    auto_configure: bool
    exclude: Callable[[MutableMapping[str, Any]], bool] | None


@dataclass(kw_only=True)
class TelemetryData:
    """What Accord knows of the request or connection being handled, for synchronous processors.

    Filled in as the request progresses. Treat it as read-only and redact before exporting any
    of it: nothing here is added to spans or logs by Accord.

    Attributes:
        request: the request, once its route's handler starts.
        websocket: the WebSocket, once its route's handler starts.
        body: the body as read, before validation.
        values: the endpoint's arguments, once dependencies are resolved.
        errors: the request's validation errors, input values included.
    """

    request: Request | None = None
    websocket: WebSocket | None = None
    body: Any = None
    values: dict[str, Any] | None = None
    errors: Sequence[Any] | None = None


def get_telemetry_data(context: Context | None = None) -> TelemetryData | None:
    """The `TelemetryData` of the request handled in `context` (default: the current one).

    A log processor can pass ``record.context``. Returns None outside a traced request, and once
    its handling has finished (even for a context kept from it).
    """
    if not otel_installed():
        return None
    from accord.telemetry._request import request_telemetry

    found = request_telemetry(context)
    return found.data if found is not None else None


def current_request_telemetry() -> Any:
    """The `RequestTelemetry` of the traced request being handled, or None."""
    if not otel_installed():
        return None
    from accord.telemetry._request import request_telemetry

    return request_telemetry()


_INSTALLED: list[bool] = []


def otel_installed() -> bool:
    """Whether the OpenTelemetry API can be imported (looked up once)."""
    if not _INSTALLED:
        try:  # finding a submodule imports its package, which may be missing
            found = importlib.util.find_spec("opentelemetry.trace") is not None
        except ModuleNotFoundError:
            found = False
        _INSTALLED.append(found)
    return _INSTALLED[0]


def resolve(telemetry: TelemetryConfig | None) -> TelemetryConfig:
    """`telemetry` over FastAPI 0.163's defaults."""
    auto = os.getenv("FASTAPI_OTEL_AUTO_CONFIGURE", "").lower() == "true"
    defaults: TelemetryConfig = {
        "tracer_provider": None,
        "meter_provider": None,
        "logger_provider": None,
        "tracing": True,
        "metrics": True,
        "logs": True,
        "operation_spans": True,
        "auto_configure": auto,
        "exclude": None,
    }
    return {**defaults, **(telemetry or {})}
