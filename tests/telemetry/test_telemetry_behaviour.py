"""Telemetry beside other OpenTelemetry setups, without providers, and without the API."""

import importlib
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from opentelemetry import _logs, metrics, trace
from opentelemetry.sdk.trace import SpanProcessor
from starlette.testclient import TestClient

import accord
from accord._runtime.runner import RouteRunner, _SimpleRunner, _StackRunner
from accord._runtime.websocket import WebSocketRunner
from tests.telemetry.exported import Pipelines
from tests.telemetry.scenario import build
from tests.telemetry.test_telemetry_parity import exercise

FRAMEWORKS = ["fastapi", "accord"]


def test_no_provider_configured_exports_nothing_and_breaks_nothing() -> None:
    """The API's proxies (no global provider set in this process): no spans, no data."""
    assert type(trace.get_tracer_provider()).__name__ == "ProxyTracerProvider"
    assert type(metrics.get_meter_provider()).__name__ == "_ProxyMeterProvider"
    assert type(_logs.get_logger_provider()).__name__ == "ProxyLoggerProvider"
    app = build(accord, {})
    seen: list[Any] = []

    @app.get("/data")
    async def data() -> dict[str, bool]:
        seen.append(accord.telemetry.get_telemetry_data())
        return {"ok": True}

    exercise(app)
    assert TestClient(app).get("/data").json() == {"ok": True}
    assert seen == [None]
    assert app._telemetry_gate is not None  # on, but there was nothing to report to


def test_telemetry_off_is_decided_when_routes_are_compiled() -> None:
    """Off: the plain runners and no server layer, so a request pays nothing for telemetry."""
    off = {"tracing": False, "metrics": False, "logs": False}
    plain = build(accord, off)
    traced = build(accord, {})
    assert not plain.telemetry_capable and traced.telemetry_capable
    plain_kinds = {type(r.app) for r in plain.router.routes if hasattr(r, "route_plan")}
    traced_kinds = {type(r.app) for r in traced.router.routes if hasattr(r, "route_plan")}
    assert plain_kinds <= {RouteRunner, _SimpleRunner, _StackRunner, WebSocketRunner}
    assert not traced_kinds & {RouteRunner, _SimpleRunner, _StackRunner, WebSocketRunner}
    TestClient(plain).get("/plain")
    assert plain._telemetry_gate is None


class DataProbe(SpanProcessor):
    """Reads `get_telemetry_data()` while operation spans end, as a processor would."""

    def __init__(self, get_data: Any) -> None:
        self.get_data = get_data
        self.seen: list[Any] = []

    def on_end(self, span: Any) -> None:
        data = self.get_data()
        if data is None:
            self.seen.append((span.name, None))
            return
        values = sorted(data.values) if data.values is not None else None
        self.seen.append(
            (
                span.name,
                type(data.request).__name__ if data.request is not None else None,
                type(data.websocket).__name__ if data.websocket is not None else None,
                data.body,
                values,
                [e["type"] for e in data.errors] if data.errors is not None else None,
            )
        )


@pytest.mark.parametrize("package", FRAMEWORKS)
def test_telemetry_data_for_processors(package: str) -> None:
    fw = importlib.import_module(package)
    found = []
    for name in FRAMEWORKS:
        pipelines = Pipelines()
        probe = DataProbe(importlib.import_module(f"{name}.telemetry").get_telemetry_data)
        pipelines.tracer_provider.add_span_processor(probe)
        exercise(build(importlib.import_module(name), pipelines.config()))
        found.append(probe.seen)
    assert found[0] == found[1]
    assert any(entry[3] == {"name": "pen", "price": 1.5} for entry in found[1] if len(entry) > 3)
    assert fw.telemetry.get_telemetry_data() is None  # outside a request


def _instrumented(package: str) -> dict[str, Any]:
    from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

    pipelines = Pipelines()
    app = build(importlib.import_module(package), pipelines.config())
    FastAPIInstrumentor.instrument_app(
        app,
        tracer_provider=pipelines.tracer_provider,
        meter_provider=pipelines.meter_provider,
    )
    try:
        exercise(app)
    finally:
        FastAPIInstrumentor.uninstrument_app(app)
    exported = pipelines.exported()
    exported["uninstrumented"] = _after_uninstrument(app, pipelines)
    return exported


def _after_uninstrument(app: Any, pipelines: Pipelines) -> list[str]:
    pipelines.spans.clear()
    TestClient(app).get("/plain")
    return [span.name for span in pipelines.spans.get_finished_spans()]


def _mount_target_dropped(exported: dict[str, Any]) -> dict[str, Any]:
    """A known routing difference the instrumentor's metrics show (not telemetry's): for a
    path under a mount that the mounted app does not serve, Accord's router leaves the Mount
    in ``scope["route"]`` and FastAPI's does not, so the instrumentor's metrics name the
    mount's template (``http.target``) for Accord only."""
    for metric in exported["metrics"]:
        for point in metric["points"]:
            if point["attributes"].get("http.target") == "/sub/sub/{path}":
                del point["attributes"]["http.target"]
        merged: dict[str, Any] = {}
        for point in metric["points"]:
            key = repr(sorted(point["attributes"].items()))
            if key in merged and "count" in point:
                merged[key]["count"] += point["count"]
            else:
                merged[key] = point
        metric["points"] = sorted(merged.values(), key=repr)
    return exported


def test_coexists_with_the_fastapi_instrumentor_as_fastapi_does() -> None:
    """Once the instrumentor wraps the app, native telemetry steps aside: no double spans."""
    oracle = _mount_target_dropped(_instrumented("fastapi"))
    subject = _mount_target_dropped(_instrumented("accord"))
    for signal in ("spans", "metrics", "logs", "uninstrumented"):
        assert subject[signal] == oracle[signal], signal
    server_spans = [s for s in subject["spans"] if s["kind"] == "SERVER"]
    assert len(server_spans) == 19  # one per request and connection: the instrumentor's
    assert not any(s["name"].startswith("fastapi.") for s in subject["spans"])
    assert subject["uninstrumented"][-1] == "GET /plain"  # native again once removed


def test_runs_without_the_opentelemetry_api() -> None:
    """An app imports and serves with `opentelemetry` unimportable (telemetry is an extra)."""
    script = textwrap.dedent(
        """
        import sys

        class Block:
            def find_spec(self, name, path=None, target=None):
                if name == "opentelemetry" or name.startswith("opentelemetry."):
                    raise ModuleNotFoundError(f"No module named {name!r}", name=name)

        sys.meta_path.insert(0, Block())
        from starlette.testclient import TestClient
        import accord
        from accord.telemetry import TelemetryConfig, TelemetryData, get_telemetry_data

        app = accord.FastAPI(telemetry={"operation_spans": True})

        @app.get("/")
        def root(tasks: accord.BackgroundTasks):
            tasks.add_task(print, "task ran")
            return {"data": get_telemetry_data()}

        assert not app.telemetry_capable
        with TestClient(app) as client:
            print(client.get("/").json())
        assert not any(m.startswith("opentelemetry") for m in sys.modules)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "{'data': None}" in done.stdout and "task ran" in done.stdout
