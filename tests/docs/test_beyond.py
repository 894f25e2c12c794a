"""docs/beyond/*.md: each example app, its answers, and the OpenAPI the page shows."""

from __future__ import annotations

import asyncio
import importlib
import logging
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from accord.testclient import TestClient
from docs_src.beyond import (
    blocking_001,
    body_limits_001,
    check_001,
    lifetime_001,
    openapi_diff_001,
    openapi_diff_002,
    problem_details_001,
    problem_details_002,
    routers_001,
    telemetry_001,
)


async def fake_rates() -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json={"rate": 1.08}))
    async with httpx.AsyncClient(base_url="https://rates.example", transport=transport) as c:
        yield c


def test_app_scoped_client_is_overridden_and_shared() -> None:
    app = lifetime_001.app
    app.dependency_overrides[lifetime_001.http_client] = fake_rates
    try:
        with TestClient(app) as client:
            assert client.get("/quote/EUR").json() == {"rate": 1.08}
            assert client.get("/quote/USD").status_code == 200
        assert asyncio.run(lifetime_001.refresh_rates()) == 1.08  # outside any request
    finally:
        app.dependency_overrides.clear()
    operation = app.openapi()["paths"]["/quote/{currency}"]["get"]
    assert [p["name"] for p in operation["parameters"]] == ["currency"]


def test_router_carries_its_lifespan_middleware_and_handler() -> None:
    routers_001.EVENTS.clear()
    with TestClient(routers_001.app) as client:
        assert routers_001.EVENTS == ["provider connected"]
        paid = client.post("/payments/5")
        assert paid.json() == {"paid": 5, "via": "sandbox"}
        assert paid.headers["x-audited"] == "payments"
        declined = client.post("/payments/500")
        assert (declined.status_code, declined.json()) == (402, {"detail": "card declined"})
        assert declined.headers["x-audited"] == "payments"
        health = client.get("/health")
        assert health.json() == {"status": "ok"} and "x-audited" not in health.headers
    assert routers_001.EVENTS == ["provider connected", "provider closed"]


def test_problem_details() -> None:
    client = TestClient(problem_details_001.app)
    missing = client.get("/orders/7")
    assert missing.headers["content-type"] == "application/problem+json"
    assert missing.json() == {"type": "about:blank", "title": "Not Found", "status": 404,
                              "detail": "No such order", "instance": "/orders/7"}
    assert client.get("/orders/1").json() == {"id": 1}
    assert client.post("/orders/1/pay").json() == {
        "type": "https://example.com/probs/out-of-credit", "title": "Not enough credit",
        "status": 403, "instance": "/orders/1/pay", "balance": 30}
    invalid = client.get("/orders/x").json()
    assert invalid["status"] == 422 and invalid["errors"][0]["loc"] == ["path", "order_id"]
    responses = problem_details_001.app.openapi()["paths"]["/orders/{order_id}"]["get"]["responses"]
    assert "application/problem+json" in responses["404"]["content"]
    assert "application/problem+json" in responses["422"]["content"]


def test_a_validation_handler_documents_its_model() -> None:
    client = TestClient(problem_details_002.app)
    answer = client.get("/items")
    assert (answer.status_code, answer.json()) == (422, {"message": "invalid", "fields": ["limit"]})
    documented = problem_details_002.app.openapi()["paths"]["/items"]["get"]["responses"]["422"]
    schema = documented["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/ErrorReport"}


def test_body_limits() -> None:
    client = TestClient(body_limits_001.app)
    big = b"x" * (1024 * 1024 + 1)
    assert client.post("/notes", json={"text": "hi"}).json() == {"length": 2}
    refused = client.post("/echo", content=big)
    assert refused.status_code == 413
    assert refused.json() == {"detail": "Request body is larger than the limit of 1048576 bytes"}
    assert client.post("/webhook", content=big).json() == {"received": len(big)}
    avatar = client.post("/uploads/avatar", files={"file": ("a.png", b"x" * 70_000)})
    assert avatar.status_code == 413
    assert avatar.json() == {"detail": "File 'file' is larger than the limit of 65536 bytes"}
    small = client.post("/uploads/avatar", files={"file": ("a.png", b"x" * 10)})
    assert small.json() == {"size": 10}
    post = body_limits_001.app.openapi()["paths"]["/uploads/avatar"]["post"]
    assert "413" in post["responses"]


def test_the_blocking_call_is_reported_and_the_await_is_not(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="accord.blocking")
    with TestClient(blocking_001.app) as client:
        assert client.get("/fine").json() == {"status": "done"}
        assert caplog.records == []
        assert client.get("/slow").json() == {"status": "done"}
    [record] = caplog.records
    message = record.getMessage()
    assert message.startswith("Blocking call in GET /slow")
    assert "blocking_001.py" in message and "time.sleep(0.3)" in message


def test_the_check_example_answers_despite_its_mistakes() -> None:
    client = TestClient(check_001.app)
    assert client.get("/items/me").status_code == 422  # answered by /items/{item_id}
    assert client.get("/search", params={"q": "x"}).status_code == 422  # the implicit body


def test_the_two_versions_differ_as_the_page_says() -> None:
    old = openapi_diff_001.app.openapi()["paths"]
    new = openapi_diff_002.app.openapi()["paths"]
    assert set(old["/orders/{order_id}"]) == {"get", "delete"}
    assert set(new["/orders/{order_id}"]) == {"get"}
    assert TestClient(openapi_diff_002.app).get("/orders/3").json() == {"id": 3, "status": None}
    assert TestClient(openapi_diff_001.app).delete("/orders/3").status_code == 204


def test_telemetry_spans_and_metrics() -> None:
    telemetry_001.spans.clear()
    client = TestClient(telemetry_001.app)
    assert client.get("/items/42").json() == {"item_id": 42, "owner": "ada"}
    assert client.get("/health").status_code == 200
    finished = telemetry_001.spans.get_finished_spans()
    assert [s.name for s in finished] == [
        "fastapi.dependencies", "fastapi.endpoint", "fastapi.serialization",
        "GET /items/{item_id}",
    ]
    assert finished[-1].attributes["http.route"] == "/items/{item_id}"
    assert finished[-1].attributes["http.response.status_code"] == 200
    data = telemetry_001.metrics.get_metrics_data()
    names = {m.name for m in data.resource_metrics[0].scope_metrics[0].metrics}
    assert names == {"http.server.request.duration", "http.server.active_requests"}


@pytest.fixture
def builds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """dist/ and admin-dist/ in a fresh working directory, as the frontend examples expect."""
    for name in ("dist", "admin-dist"):
        (tmp_path / name / "assets").mkdir(parents=True)
        (tmp_path / name / "index.html").write_text(f"<h1>{name}</h1>")
        (tmp_path / name / "assets" / "app.js").write_text("console.log(1)")
    monkeypatch.chdir(tmp_path)
    for module in ("docs_src.beyond.frontend_001", "docs_src.beyond.frontend_002"):
        sys.modules.pop(module, None)
    return tmp_path


HTML = {"accept": "text/html"}


def test_the_frontend_is_served_behind_the_api(builds: Path) -> None:
    module = importlib.import_module("docs_src.beyond.frontend_001")
    client = TestClient(module.app)
    assert client.get("/api/items").json() == [1, 2]
    assert client.get("/users/john.doe", headers=HTML).text == "<h1>dist</h1>"
    assert client.get("/users/john.doe", headers={"accept": "application/json"}).status_code == 404
    assert list(module.app.openapi()["paths"]) == ["/api/items"]
    assert os.path.samefile(os.getcwd(), builds)


def test_the_admin_frontend_needs_the_session(builds: Path) -> None:
    module = importlib.import_module("docs_src.beyond.frontend_002")
    client = TestClient(module.app)
    assert client.get("/admin/assets/app.js").status_code == 401
    client.cookies.set("session", "s")
    answer = client.get("/admin/assets/app.js")
    assert answer.text == "console.log(1)" and answer.headers["cache-control"] == "private"
