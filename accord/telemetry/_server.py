"""The server layer: a span per HTTP request and WebSocket connection, and request metrics.

`ServerTelemetry` wraps the application's middleware stack. What can be settled when the stack
is built is settled then (no layer at all when every signal is off or OpenTelemetry is missing;
no telemetry when `opentelemetry-instrumentation-fastapi` wrapped the stack, as in FastAPI).
What the API leaves open until a request (the global providers may be set at any time) is read
per request, as FastAPI does, without a call when they are still unset.
"""

from __future__ import annotations

import os
from time import perf_counter
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from opentelemetry import _logs, metrics, propagate, trace
from opentelemetry import context as otel_context
from opentelemetry.metrics import Histogram, UpDownCounter
from opentelemetry.propagators.textmap import Getter
from opentelemetry.trace import SpanKind, StatusCode
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from accord.telemetry._config import SCOPE_KEY, TelemetryConfig
from accord.telemetry._request import (
    CONTEXT_KEY,
    RequestTelemetry,
    exception_type,
    normal_disconnect,
    record_exception,
)

__all__ = ["SCHEMA_URL", "ServerTelemetry", "instrumented_by_contrib"]

SCHEMA_URL = "https://opentelemetry.io/schemas/1.44.0"
_HTTP_METHODS = frozenset(
    ["CONNECT", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "QUERY", "TRACE"]
)
_DURATION_BUCKETS = (
    0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0
)  # fmt: skip
# https://opentelemetry.io/docs/specs/semconv/http/http-spans/#http-server-span
_REDACTED_QUERY = frozenset(
    {"X-Amz-Signature", "X-Amz-Credential", "X-Amz-Security-Token", "sig", "X-Goog-Signature"}
)
_DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}
_trace_api: Any = trace
_metrics_api: Any = metrics._internal
_logs_api: Any = _logs._internal


class _RawHeaders(Getter[list[tuple[bytes, bytes]]]):
    """Reads propagation headers straight from the scope's header list."""

    def get(self, carrier: list[tuple[bytes, bytes]], key: str) -> list[str] | None:
        name = key.lower().encode("latin-1")
        values = [v.decode("latin-1") for k, v in carrier if k == name]
        if not values:
            return None
        if name == b"baggage":  # the baggage propagator reads only the first value
            return [",".join(values)]
        return values

    def keys(self, carrier: list[tuple[bytes, bytes]]) -> list[str]:
        return [k.decode("latin-1") for k, _ in carrier]


_GETTER = _RawHeaders()


def instrumented_by_contrib(stack: Any) -> bool:
    """Whether `opentelemetry-instrumentation-fastapi` wrapped this built stack.

    The stack is tested, not the instrumentor's flag (set even when its patch did not apply).
    """
    seen: set[int] = set()
    while stack is not None and id(stack) not in seen:
        seen.add(id(stack))
        cls = type(stack)
        if cls.__module__ == "opentelemetry.instrumentation.asgi" and (
            cls.__name__ == "OpenTelemetryMiddleware"
        ):
            return True
        stack = getattr(stack, "app", None)
    return False


def _global(api: Any, attribute: str, getter: str, variable: str) -> Any:
    """Reads a global provider without a call while none is set; None when unset (a proxy).

    The API only offers getters that look up an environment variable each time; its module
    global is read directly when it exists, else (another API version) the public getter.
    """
    if not hasattr(api, attribute) or variable in os.environ:
        public = getattr(api, getter)

        def read() -> Any:
            provider = public()
            return None if type(provider).__name__ in _PROXIES else provider

        return read
    return None


_PROXIES = frozenset({"ProxyTracerProvider", "_ProxyMeterProvider", "ProxyLoggerProvider"})


class ServerTelemetry:
    """The telemetry layer of one application, made when its middleware stack is built."""

    def __init__(self, config: TelemetryConfig, version: str) -> None:
        self.version = version
        self.exclude = config["exclude"]
        self.operation_spans = config["operation_spans"]
        self.tracing = config["tracing"]
        self.metrics = config["metrics"]
        self.logs = config["logs"]
        self.explicit = (
            config["tracer_provider"], config["meter_provider"], config["logger_provider"]
        )  # fmt: skip
        self.readers = (
            _global(_trace_api, "_TRACER_PROVIDER", "get_tracer_provider",
                    "OTEL_PYTHON_TRACER_PROVIDER"),
            _global(_metrics_api, "_METER_PROVIDER", "get_meter_provider",
                    "OTEL_PYTHON_METER_PROVIDER"),
            _global(_logs_api, "_LOGGER_PROVIDER", "get_logger_provider",
                    "OTEL_PYTHON_LOGGER_PROVIDER"),
        )  # fmt: skip
        # No provider of the app's own and none to look up through a getter: while the three
        # globals stay unset, a request is passed on after three attribute reads.
        self.globals_only = self.explicit == (None, None, None) and self.readers == (
            None,
            None,
            None,
        )
        known = os.getenv("OTEL_INSTRUMENTATION_HTTP_KNOWN_METHODS", "").strip()
        self.known_methods = (
            frozenset(m.strip() for m in known.split(",") if m.strip()) if known else _HTTP_METHODS
        )
        self._tracer: tuple[Any, Any] = (None, None)
        self._meter: tuple[Any, Any, Any] = (None, None, None)
        self._logger: tuple[Any, Any] = (None, None)

    # -- providers, read per request ------------------------------------------------------

    def _tracer_provider(self) -> Any:
        provider = self.explicit[0]
        if provider is None:
            read = self.readers[0]
            provider = _trace_api._TRACER_PROVIDER if read is None else read()
            if provider is None:
                return None
        return None if isinstance(provider, trace.NoOpTracerProvider) else provider

    def _meter_provider(self) -> Any:
        provider = self.explicit[1]
        if provider is None:
            read = self.readers[1]
            provider = _metrics_api._METER_PROVIDER if read is None else read()
            if provider is None:
                return None
        return None if isinstance(provider, metrics.NoOpMeterProvider) else provider

    def _logger_provider(self) -> Any:
        provider = self.explicit[2]
        if provider is None:
            read = self.readers[2]
            provider = _logs_api._LOGGER_PROVIDER if read is None else read()
            if provider is None:
                return None
        return None if isinstance(provider, _logs.NoOpLoggerProvider) else provider

    def _get_tracer(self, provider: Any) -> Any:
        if self._tracer[0] is not provider:
            tracer = provider.get_tracer("accord", self.version, schema_url=SCHEMA_URL)
            self._tracer = (provider, tracer)
        return self._tracer[1]

    def _instruments(self, provider: Any) -> tuple[Histogram, UpDownCounter]:
        if self._meter[0] is not provider:
            meter = provider.get_meter("accord", self.version, schema_url=SCHEMA_URL)
            duration = meter.create_histogram(
                "http.server.request.duration",
                unit="s",
                description="Duration of HTTP server requests.",
                explicit_bucket_boundaries_advisory=_DURATION_BUCKETS,
            )
            active = meter.create_up_down_counter(
                "http.server.active_requests",
                unit="{request}",
                description="Number of active HTTP server requests.",
            )
            self._meter = (provider, duration, active)
        return self._meter[1], self._meter[2]

    def _get_logger(self, provider: Any) -> Any:
        if self._logger[0] is not provider:
            logger = provider.get_logger("accord", self.version, schema_url=SCHEMA_URL)
            self._logger = (provider, logger)
        return self._logger[1]

    # -- a request ------------------------------------------------------------------------

    async def __call__(self, app: ASGIApp, scope: Scope, receive: Receive, send: Send) -> None:
        if SCOPE_KEY in scope:  # a mounted app under a traced one: the outer app reports
            await app(scope, receive, send)
            return
        if (
            self.globals_only
            and _trace_api._TRACER_PROVIDER is None
            and _metrics_api._METER_PROVIDER is None
            and _logs_api._LOGGER_PROVIDER is None
        ):
            await app(scope, receive, send)
            return
        websocket = scope["type"] == "websocket"
        tracer_provider = self._tracer_provider() if self.tracing else None
        meter_provider = self._meter_provider() if self.metrics and not websocket else None
        logger_provider = self._logger_provider() if self.logs else None
        if tracer_provider is None and meter_provider is None and logger_provider is None:
            await app(scope, receive, send)
            return
        if self.exclude is not None and self.exclude(scope):  # only asked when there is telemetry
            await _excluded(app, scope, receive, send)
            return
        await _Traced(self, scope, websocket, tracer_provider, meter_provider, logger_provider)(
            app, receive, send
        )


async def _excluded(app: ASGIApp, scope: Scope, receive: Receive, send: Send) -> None:
    scope[SCOPE_KEY] = None  # nor will a mounted app trace it
    token = None
    if otel_context.get_value(CONTEXT_KEY) is not None:  # an in-process request inside one
        token = otel_context.attach(otel_context.set_value(CONTEXT_KEY, None))
    try:
        await app(scope, receive, send)
    finally:
        if token is not None:
            otel_context.detach(token)
        scope.pop(SCOPE_KEY, None)


def _server_attributes(scope: Scope) -> dict[str, Any]:
    authority = None
    for key, value in scope.get("headers") or ():
        if key == b"host":
            authority = value.decode("latin-1")
            break
    if authority is not None:
        try:
            url = urlsplit("//" + authority)
            address, port = url.hostname, url.port
        except ValueError:  # a malformed authority must not fail the request
            return {}
        if url.username is not None or url.path or url.query or url.fragment:
            return {}
        if port is None:
            port = _DEFAULT_PORTS.get(scope.get("scheme", "http"))
    else:
        address, port = scope.get("server") or (None, None)
    if address is None:
        return {}
    attributes: dict[str, Any] = {"server.address": address}
    if port is not None:
        attributes["server.port"] = port
    return attributes


def _query(raw: bytes) -> str:
    pairs = parse_qsl(raw.decode("latin-1"), keep_blank_values=True)
    return urlencode([(k, "REDACTED" if k in _REDACTED_QUERY else v) for k, v in pairs])


class _Traced:
    """One traced request or connection: its span, metrics and end."""

    __slots__ = (
        "active",
        "active_attributes",
        "attributes",
        "context",
        "disconnected",
        "duration",
        "finished",
        "receive",
        "scope",
        "send",
        "span",
        "started",
        "telemetry",
        "trailers",
        "websocket",
    )

    def __init__(
        self,
        server: ServerTelemetry,
        scope: Scope,
        websocket: bool,
        tracer_provider: Any,
        meter_provider: Any,
        logger_provider: Any,
    ) -> None:
        self.scope = scope
        self.websocket = websocket
        self.finished = self.trailers = self.disconnected = False
        original = scope.get("method", "")
        method = original if original in server.known_methods else "_OTHER"
        span_method = "WS" if websocket else "HTTP" if method == "_OTHER" else method
        attributes: dict[str, Any] = {
            "url.scheme": scope.get("scheme", "ws" if websocket else "http")
        }
        if websocket:
            attributes["network.protocol.name"] = "websocket"
        else:
            attributes["http.request.method"] = method
            if scope.get("http_version"):
                attributes["network.protocol.version"] = scope["http_version"]
        self.attributes = attributes
        self.duration = self.active = None
        self.active_attributes = attributes
        if meter_provider is not None:
            self.duration, self.active = server._instruments(meter_provider)
            self.active_attributes = {
                k: v for k, v in attributes.items() if k != "network.protocol.version"
            }
            self.active.add(1, self.active_attributes)
        self.started = perf_counter()
        span = tracer = None
        self.context = None
        if tracer_provider is not None:
            parent = propagate.extract(scope.get("headers") or [], getter=_GETTER)
            tracer = server._get_tracer(tracer_provider)
            span_attributes = {**attributes, **_server_attributes(scope)}
            if not websocket:
                span_attributes["url.path"] = scope["path"]
                if scope.get("query_string"):
                    span_attributes["url.query"] = _query(scope["query_string"])
                if original != method:
                    span_attributes["http.request.method_original"] = original
            span = tracer.start_span(
                span_method, context=parent, kind=SpanKind.SERVER, attributes=span_attributes
            )
            self.context = trace.set_span_in_context(span, parent)
        self.span = span
        root = scope.get("app_root_path", scope.get("root_path", ""))
        self.telemetry = RequestTelemetry(
            span,
            span_method,
            tracer if server.operation_spans else None,
            server._get_logger(logger_provider) if logger_provider is not None else None,
            root.rstrip("/"),
        )

    async def __call__(self, app: ASGIApp, receive: Receive, send: Send) -> None:
        scope, telemetry = self.scope, self.telemetry
        scope[SCOPE_KEY] = telemetry
        token = otel_context.attach(otel_context.set_value(CONTEXT_KEY, telemetry, self.context))
        self.receive, self.send = receive, send
        try:
            try:
                if self.websocket:
                    await app(scope, receive, send)
                else:
                    await app(scope, self._receive, self._send)
            except BaseException as exc:
                record_exception(scope, exc)
                self.finish(None if self.websocket and normal_disconnect(exc) else exc)
                raise
            finally:
                if not self.finished:
                    self.finish(
                        None
                        if self.websocket
                        else ConnectionError("Client disconnected")
                        if self.disconnected
                        else RuntimeError("Incomplete ASGI response")
                    )
        finally:
            telemetry.data = None
            telemetry.exceptions.clear()
            otel_context.detach(token)
            scope.pop(SCOPE_KEY, None)

    async def _send(self, message: Message) -> None:
        kind = message["type"]
        if kind == "http.response.start":
            self.telemetry.status_code = message["status"]
            self.trailers = message.get("trailers", False)
        await self.send(message)
        if (
            (kind == "http.response.body" and not message.get("more_body", False)
             and not self.trailers)
            or (kind == "http.response.trailers" and not message.get("more_trailers", False))
            or kind == "http.response.pathsend"
        ):  # fmt: skip
            self.finish()

    async def _receive(self) -> Message:
        message = await self.receive()
        if message["type"] == "http.disconnect":
            self.disconnected = True
        return message

    def finish(self, error: BaseException | None = None) -> None:
        """Ends the span and records the metrics, once: at the last byte sent, or on failure."""
        if self.finished:
            return
        self.finished = True
        telemetry, attributes = self.telemetry, self.attributes
        if telemetry.route is not None:
            attributes["http.route"] = telemetry.route
        status = telemetry.status_code
        if status is not None:
            attributes["http.response.status_code"] = status
        failed = error is not None or (not self.websocket and (status is None or status >= 500))
        if failed:
            failure = error or (telemetry.exceptions[-1] if telemetry.exceptions else None)
            attributes["error.type"] = (
                exception_type(failure) if failure else str(status or "incomplete_response")
            )
        span = self.span
        if span is not None:
            span.set_attributes(attributes)
            if failed:
                span.set_status(StatusCode.ERROR)
        if self.duration is not None:  # while the span is current, for exemplars
            self.duration.record(max(0, perf_counter() - self.started), attributes)
        if self.active is not None:
            self.active.add(-1, self.active_attributes)
        if span is not None:
            span.end()


def observed_handler(handler: Any) -> Any:
    """The app's 500 handler, noting the exception for telemetry before it answers.

    Only the error path runs it, so a request that does not fail pays nothing for it.
    """
    from starlette._utils import is_async_callable

    if is_async_callable(handler):

        async def observe_async(request: Any, exc: Exception) -> Any:
            record_exception(request.scope, exc)
            return await handler(request, exc)

        return observe_async

    def observe(request: Any, exc: Exception) -> Any:
        record_exception(request.scope, exc)
        return handler(request, exc)

    return observe
