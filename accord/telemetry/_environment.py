"""`auto_configure`: OTLP/HTTP exporters from the ``OTEL_*`` environment, added at start-up.

As FastAPI 0.163 does: a signal is exported when its endpoint is set
(``OTEL_EXPORTER_OTLP_<SIGNAL>_ENDPOINT``, or ``OTEL_EXPORTER_OTLP_ENDPOINT`` + ``/v1/<signal>``)
and its exporter is ``otlp``; an unset global provider is replaced by an SDK provider that
exports there, a set one (or the app's) gets an exporting processor or reader. Each provider
is configured once per process; what Accord created it flushes at shutdown and shuts down at
exit. A failure is logged and never stops the application from starting.
"""

from __future__ import annotations

import atexit
import os
import threading
from typing import Any
from urllib.parse import urlsplit

from anyio.to_thread import run_sync
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from accord.exceptions import AccordError
from accord.logger import logger
from accord.telemetry._config import TelemetryConfig

__all__ = ["configure_from_environment", "lifespan"]

_lock = threading.RLock()
_owned: list[Any] = []  # providers and components Accord created: flushed, then shut down
_configured: list[tuple[str, Any]] = []  # (signal, provider) pairs already given an exporter
_FIX = "Configure exporters yourself and pass telemetry={'auto_configure': False} to Accord()."


def _flush() -> None:
    for component in tuple(_owned):
        try:
            component.force_flush()
        except Exception:
            logger.exception("Accord telemetry cleanup failed")


def _shutdown() -> None:
    with _lock:
        owned = tuple(_owned)
        _owned.clear()
    for component in owned:
        try:
            component.shutdown()
        except Exception:
            logger.exception("Accord telemetry cleanup failed")


atexit.register(_shutdown)


def _endpoint(signal: str) -> str | None:
    exporter = (os.getenv(f"OTEL_{signal}_EXPORTER") or "otlp").strip().lower()
    endpoint = os.getenv(f"OTEL_EXPORTER_OTLP_{signal}_ENDPOINT")
    if not endpoint:
        base = os.getenv("OTEL_EXPORTER_OTLP_ENDPOINT")
        endpoint = f"{base.removesuffix('/')}/v1/{signal.lower()}" if base else None
    if not endpoint or exporter == "none":
        return None
    if exporter != "otlp":
        raise AccordError(
            f"Accord's automatic telemetry supports OTEL_{signal}_EXPORTER=otlp or none. {_FIX}"
        )
    protocol = (
        os.getenv(f"OTEL_EXPORTER_OTLP_{signal}_PROTOCOL")
        or os.getenv("OTEL_EXPORTER_OTLP_PROTOCOL")
        or "http/protobuf"
    )
    if protocol != "http/protobuf":
        raise AccordError(f"Accord's automatic telemetry exports OTLP over http/protobuf. {_FIX}")
    parsed = urlsplit(endpoint)
    if parsed.scheme not in {"http", "https"} or not parsed.hostname:
        raise AccordError(
            f"Invalid OTLP {signal.lower()} endpoint {endpoint!r}: use an absolute HTTP(S) URL."
        )
    return endpoint


def _unset(provider: Any) -> bool:
    return type(provider).__name__ in {
        "ProxyTracerProvider",
        "_ProxyMeterProvider",
        "ProxyLoggerProvider",
    } and type(provider).__module__.startswith("opentelemetry.")


def _sdk() -> dict[str, Any]:
    try:
        from opentelemetry import _logs, metrics, trace
        from opentelemetry.exporter.otlp.proto.http._log_exporter import OTLPLogExporter
        from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        from opentelemetry.sdk._logs import LoggerProvider
        from opentelemetry.sdk._logs.export import BatchLogRecordProcessor
        from opentelemetry.sdk.metrics import MeterProvider
        from opentelemetry.sdk.metrics.export import PeriodicExportingMetricReader
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor
    except ImportError as exc:
        raise AccordError(
            "Automatic OpenTelemetry export needs accord[opentelemetry] (pip install "
            f'"accord[opentelemetry]"). {_FIX}'
        ) from exc
    return {
        "TRACES": (
            trace.get_tracer_provider,
            trace.set_tracer_provider,
            lambda: TracerProvider(shutdown_on_exit=False),
            lambda endpoint: BatchSpanProcessor(OTLPSpanExporter(endpoint=endpoint)),
            "add_span_processor",
        ),
        "METRICS": (
            metrics.get_meter_provider,
            metrics.set_meter_provider,
            None,
            lambda endpoint: PeriodicExportingMetricReader(OTLPMetricExporter(endpoint=endpoint)),
            "add_metric_reader",
        ),
        "LOGS": (
            _logs.get_logger_provider,
            _logs.set_logger_provider,
            lambda: LoggerProvider(shutdown_on_exit=False),
            lambda endpoint: BatchLogRecordProcessor(OTLPLogExporter(endpoint=endpoint)),
            "add_log_record_processor",
        ),
        "MeterProvider": MeterProvider,
    }


def configure_from_environment(config: TelemetryConfig) -> None:
    """Adds the exporters the environment asks for to the app's providers (see the module)."""
    if not config["auto_configure"] or os.getenv("OTEL_SDK_DISABLED", "").lower() == "true":
        return
    with _lock:
        signals = (
            ("TRACES", config["tracing"], config["tracer_provider"]),
            ("METRICS", config["metrics"], config["meter_provider"]),
            ("LOGS", config["logs"], config["logger_provider"]),
        )
        wanted = [
            (signal, explicit, endpoint)
            for signal, enabled, explicit in signals
            if enabled and (endpoint := _endpoint(signal)) is not None
        ]
        if not wanted:
            return
        sdk = _sdk()
        for signal, explicit, endpoint in wanted:
            _configure(sdk, signal, explicit, endpoint)


def _configure(sdk: dict[str, Any], signal: str, explicit: Any, endpoint: str) -> None:
    get, set_, new_provider, new_component, register_name = sdk[signal]
    provider = explicit if explicit is not None else get()
    if any(s == signal and p is provider for s, p in _configured):
        return
    if explicit is None and _unset(provider):
        component = new_component(endpoint)
        if signal == "METRICS":
            provider = sdk["MeterProvider"](metric_readers=[component], shutdown_on_exit=False)
        else:
            provider = new_provider()
            getattr(provider, register_name)(component)
        set_(provider)
        current = get()
        if current is provider:
            _configured.append((signal, provider))
            _owned.append(provider)
            return
        # Another component set the global provider meanwhile: export through theirs.
        provider.shutdown()
        provider = current
    register = getattr(provider, register_name, None)
    if not callable(register):
        raise AccordError(
            f"The configured OpenTelemetry provider {type(provider).__name__} cannot take an "
            f"OTLP exporter. {_FIX}"
        )
    component = new_component(endpoint)
    try:
        register(component)
    except Exception:
        component.shutdown()
        raise
    _configured.append((signal, provider))
    _owned.append(component)


async def lifespan(
    config: TelemetryConfig, app: ASGIApp, scope: Scope, receive: Receive, send: Send
) -> None:
    """Runs the app's lifespan, configuring export at start-up and flushing at shutdown."""

    async def startup_receive() -> Message:
        message = await receive()
        if message["type"] == "lifespan.startup":
            try:
                configure_from_environment(config)
            except Exception as exc:  # optional telemetry must not stop the app
                logger.warning("Accord automatic telemetry configuration failed: %s", exc)
        return message

    async def flushing_send(message: Message) -> None:
        if _owned and message["type"] in {
            "lifespan.shutdown.complete",
            "lifespan.shutdown.failed",
            "lifespan.startup.failed",
        }:
            await run_sync(_flush)
        await send(message)

    await app(scope, startup_receive, flushing_send)
