"""`auto_configure`: exporters from the environment, OTLP over HTTP to a local receiver.

The receiver runs in this process on a free loopback port and decodes what arrives with
`opentelemetry-proto`; each app runs in a fresh interpreter (global providers are set once per
process), once on FastAPI 0.163.2 and once on Accord, and both must deliver the same spans.
"""

import http.server
import os
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from opentelemetry.proto.collector.logs.v1.logs_service_pb2 import ExportLogsServiceRequest
from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import (
    ExportMetricsServiceRequest,
)
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

ROOT = str(Path(__file__).resolve().parents[2])  # this checkout's accord, in the subprocesses
MESSAGES = {
    "/v1/traces": ExportTraceServiceRequest,
    "/v1/metrics": ExportMetricsServiceRequest,
    "/v1/logs": ExportLogsServiceRequest,
}


class Receiver(http.server.BaseHTTPRequestHandler):
    received: list[tuple[str, Any]]

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["content-length"]))
        message = MESSAGES[self.path]()
        message.ParseFromString(body)
        self.received.append((self.path, message))
        self.send_response(200)
        self.send_header("content-type", "application/x-protobuf")
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, *args: Any) -> None:  # keep the test output clean
        pass


@pytest.fixture
def receiver() -> Iterator[tuple[str, list[tuple[str, Any]]]]:
    received: list[tuple[str, Any]] = []
    handler = type("Handler", (Receiver,), {"received": received})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", received
    finally:
        server.shutdown()
        server.server_close()


APP = textwrap.dedent(
    """
    import importlib, sys
    from starlette.testclient import TestClient
    fw = importlib.import_module(sys.argv[1])
    app = fw.FastAPI()

    @app.get("/items/{item_id}")
    def read_item(item_id: int):
        return {"item_id": item_id}

    with TestClient(app) as client:  # the lifespan configures, and flushes at shutdown
        assert client.get("/items/1").status_code == 200
        assert client.get("/items/x").status_code == 422
    """
)


def delivered(package: str, endpoint: str, received: list[tuple[str, Any]]) -> dict[str, Any]:
    received.clear()
    env = {
        **os.environ,
        "PYTHONPATH": ROOT,
        "FASTAPI_OTEL_AUTO_CONFIGURE": "true",
        "OTEL_EXPORTER_OTLP_ENDPOINT": endpoint,
        "OTEL_METRIC_EXPORT_INTERVAL": "600000",
    }
    done = subprocess.run(
        [sys.executable, "-c", APP, package],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    spans, metrics, logs = [], set(), []
    for path, message in received:
        if path == "/v1/traces":
            for resource in message.resource_spans:
                for scope in resource.scope_spans:
                    for span in scope.spans:
                        attributes = {a.key for a in span.attributes}
                        spans.append((span.name, span.kind, sorted(attributes)))
        elif path == "/v1/metrics":
            for resource in message.resource_metrics:
                for scope in resource.scope_metrics:
                    metrics.update(metric.name for metric in scope.metrics)
        else:
            for resource in message.resource_logs:
                for scope in resource.scope_logs:
                    logs.extend((r.event_name, r.severity_text) for r in scope.log_records)
    return {"spans": sorted(spans), "metrics": metrics, "logs": logs, "stderr": done.stderr}


def test_spans_metrics_and_logs_arrive_over_otlp_http(receiver: Any) -> None:
    endpoint, received = receiver
    oracle = delivered("fastapi", endpoint, received)
    subject = delivered("accord", endpoint, received)
    names = [name for name, _, _ in subject["spans"]]
    assert names.count("GET /items/{item_id}") == 2
    assert "fastapi.endpoint" in names
    assert subject["metrics"] == {"http.server.request.duration", "http.server.active_requests"}
    assert subject["logs"] == [("fastapi.validation.failed", "WARN")]
    for signal in ("spans", "metrics", "logs"):
        assert subject[signal] == oracle[signal], signal
    assert subject["stderr"] == ""


def test_an_unsupported_exporter_is_logged_and_the_app_still_starts(receiver: Any) -> None:
    endpoint, received = receiver
    env = {
        **os.environ,
        "PYTHONPATH": ROOT,
        "FASTAPI_OTEL_AUTO_CONFIGURE": "true",
        "OTEL_EXPORTER_OTLP_ENDPOINT": endpoint,
        "OTEL_TRACES_EXPORTER": "zipkin",
    }
    done = subprocess.run(
        [sys.executable, "-c", APP, "accord"],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "OTEL_TRACES_EXPORTER=otlp or none" in done.stderr
    assert not [path for path, _ in received if path == "/v1/traces"]
