"""The same app on FastAPI 0.163.2 and on Accord exports the same spans, metrics and logs."""

import importlib
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.telemetry.exported import Pipelines
from tests.telemetry.scenario import build


def exercise(app: Any) -> None:
    client = TestClient(app, raise_server_exceptions=False)
    client.get("/plain")
    client.get("/items/3?q=x&sig=secret")
    client.get("/items/not-a-number")  # 422
    client.post("/items", content=b"{not json", headers={"content-type": "application/json"})
    client.post("/items", json={"name": "pen", "price": 1.5})
    client.get("/boom")  # an unhandled exception: 500
    client.get("/missing")  # an HTTPException: handled, 404
    client.get("/me", headers={"x-user": "ada"})
    client.post("/notify/bob")  # a background task
    client.get("/health")  # excluded
    client.get("/stream")
    client.get("/nowhere")  # no route
    client.get("/v1/orders/7")  # an included router
    client.get("/sub/status/204")  # a mounted app
    client.get("/sub/nothing")
    client.get("/plain/", follow_redirects=False)  # redirect_slashes
    client.delete("/plain")  # 405
    client.get(
        "/plain",
        headers={"traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"},
    )
    with client.websocket_connect("/ws/lobby") as websocket:
        websocket.send_text("hi")
        websocket.receive_text()


def run(package: str, **options: Any) -> dict[str, Any]:
    pipelines = Pipelines()
    exclude = options.pop("exclude", lambda scope: scope["path"] == "/health")
    app = build(importlib.import_module(package), pipelines.config(exclude=exclude, **options))
    exercise(app)
    assert app.state.done == ["bob"]
    return pipelines.exported()


SETTINGS = {
    "defaults": {},
    "no operation spans": {"operation_spans": False},
    "tracing off": {"tracing": False},
    "metrics off": {"metrics": False},
    "logs off": {"logs": False},
    "no exclude": {"exclude": None},
}


@pytest.mark.parametrize("options", SETTINGS.values(), ids=SETTINGS.keys())
@pytest.mark.parametrize("signal", ["spans", "metrics", "logs"])
def test_same_export(signal: str, options: dict[str, Any]) -> None:
    oracle = run("fastapi", **dict(options))[signal]
    subject = run("accord", **dict(options))[signal]
    assert subject == oracle


def test_the_export_is_not_empty() -> None:
    """Guards the comparison: every signal exported something, the excluded route nothing."""
    exported = run("accord")
    names = [span["name"] for span in exported["spans"]]
    assert "GET /items/{item_id}" in names and "WS /ws/{room}" in names
    assert "fastapi.background_task" in names
    assert not any("/health" in name for name in names)
    assert {m["name"] for m in exported["metrics"]} == {
        "http.server.request.duration",
        "http.server.active_requests",
    }
    events = [record["event_name"] for record in exported["logs"]]
    assert events.count("fastapi.validation.failed") == 2
    assert events.count("http.server.request.exception") == 1
