"""Request ids, JSON logs, metrics, health probes, CORS and error hiding."""

from __future__ import annotations

from typing import Any

import pytest

from examples.harbor.core.database import Database
from examples.harbor.core.dependencies import get_database
from examples.harbor.partners.auth import require_partner
from tests.harbor.conftest import Harbor, LogCapture, PartnerKeys


def test_a_request_id_is_generated_and_returned(harbor: Harbor) -> None:
    first = harbor.client.get("/health/live").headers["x-request-id"]
    second = harbor.client.get("/health/live").headers["x-request-id"]
    assert len(first) == 32 and first != second


@pytest.mark.parametrize(
    ("sent", "kept"),
    [("trace-123.abc:9", True), ("x" * 129, False), ("has space", False), ("<script>", False)],
)
def test_an_incoming_request_id_is_propagated_when_plausible(
    harbor: Harbor, sent: str, kept: bool
) -> None:
    returned = harbor.client.get("/health/live", headers={"X-Request-ID": sent}).headers[
        "x-request-id"
    ]
    assert (returned == sent) is kept
    assert 1 <= len(returned) <= 128


def test_access_logs_are_json_with_request_and_order_ids(
    harbor: Harbor, alpha: PartnerKeys, json_logs: LogCapture
) -> None:
    response = harbor.client.post(
        "/api/v1/orders",
        json={
            "customer_email": "a@example.com",
            "currency": "EUR",
            "lines": [{"sku": "A", "quantity": 1, "unit_price": 1}],
        },
        headers={**alpha.headers, "Idempotency-Key": "k", "X-Request-ID": "req-log-1"},
    )
    [entry] = [e for e in json_logs.entries if e["logger"] == "harbor.access"]
    assert entry["request_id"] == "req-log-1"
    assert entry["order_id"] == response.json()["id"]
    assert entry["status"] == 201
    assert entry["method"] == "POST" and entry["path"] == "/api/v1/orders"
    assert isinstance(entry["latency_ms"], float) and entry["latency_ms"] >= 0


def test_metrics_count_requests_by_route_template(harbor: Harbor, alpha: PartnerKeys) -> None:
    harbor.create_order(alpha)
    harbor.client.get("/api/v1/orders/ord_nope", headers=alpha.headers)
    text = harbor.client.get("/metrics").text
    assert (
        'harbor_http_requests_total{method="POST",route="/api/v1/orders",status="201"} 1.0' in text
    )
    assert (
        'harbor_http_requests_total{method="GET",route="/api/v1/orders/{order_id}",status="404"} 1.0'
        in text
    )
    assert "harbor_orders_created_total 1.0" in text
    assert "harbor_http_request_duration_seconds_bucket" in text


def test_health_probes(harbor: Harbor) -> None:
    assert harbor.client.get("/health/live").json() == {"status": "ok"}
    assert harbor.client.get("/health/ready").json() == {"status": "ok"}


def test_ready_is_503_when_the_database_is_down(harbor: Harbor, tmp_path: Any) -> None:
    class Down(Database):
        async def ping(self) -> None:
            raise ConnectionRefusedError("database unreachable")

    broken = Down(harbor.app.state.settings)
    harbor.app.dependency_overrides[get_database] = lambda: broken
    response = harbor.client.get("/health/ready")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}
    assert harbor.client.get("/health/live").status_code == 200
    harbor.call(broken.dispose)


def test_cors_allows_only_the_configured_origins(harbor: Harbor) -> None:
    preflight = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "x-api-key",
    }
    allowed = harbor.client.options(
        "/api/v1/orders", headers={"Origin": "https://shop.example", **preflight}
    )
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "https://shop.example"
    refused = harbor.client.options(
        "/api/v1/orders", headers={"Origin": "https://evil.example", **preflight}
    )
    assert refused.status_code == 400
    assert "access-control-allow-origin" not in refused.headers
    simple = harbor.client.get("/health/live", headers={"Origin": "https://shop.example"})
    assert simple.headers["access-control-expose-headers"] == "X-Request-ID, Idempotent-Replayed"


def test_internal_errors_reveal_nothing(start_harbor: Any) -> None:
    with start_harbor(raise_server_exceptions=False, webhook_worker_enabled=False) as harbor:

        def explode() -> None:
            raise RuntimeError("password=hunter2 in SELECT * FROM api_keys")

        harbor.app.dependency_overrides[require_partner] = explode
        response = harbor.client.get("/api/v1/orders")
    assert response.status_code == 500
    assert response.json() == {"code": "internal_error", "detail": "Internal server error"}
    assert "hunter2" not in response.text


def test_unknown_paths_and_methods_keep_the_error_shape(harbor: Harbor) -> None:
    missing = harbor.client.get("/api/v1/nothing")
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")
    wrong = harbor.client.delete("/api/v1/orders")
    assert (wrong.status_code, wrong.json()["code"]) == (405, "method_not_allowed")


def test_docs_are_served_and_can_be_disabled(start_harbor: Any) -> None:
    with start_harbor(webhook_worker_enabled=False) as harbor:
        assert harbor.client.get("/docs").status_code == 200
        assert harbor.client.get("/openapi.json").json()["info"]["title"] == "Harbor Payments"
    with start_harbor(webhook_worker_enabled=False, docs_enabled=False) as harbor:
        assert harbor.client.get("/docs").status_code == 404
        assert harbor.client.get("/openapi.json").status_code == 404
