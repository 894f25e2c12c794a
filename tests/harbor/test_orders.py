"""Creating, reading and listing orders; validation errors; partner isolation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from examples.harbor.core.dependencies import get_clock
from examples.harbor.orders.models import Order, OrderLine
from tests.harbor.conftest import Harbor, PartnerKeys, order_body

PUBLIC_FIELDS = {
    "id",
    "status",
    "currency",
    "customer_email",
    "lines",
    "total",
    "created_at",
    "updated_at",
}


def test_create_returns_the_public_order_with_totals(harbor: Harbor, alpha: PartnerKeys) -> None:
    response = harbor.create_order(alpha)
    assert response.status_code == 201
    order = response.json()
    assert set(order) == PUBLIC_FIELDS
    assert order["id"].startswith("ord_")
    assert order["status"] == "pending"
    assert order["total"] == "120.48"
    assert [line["line_total"] for line in order["lines"]] == ["19.98", "100.50"]
    assert order["created_at"].endswith("Z")
    assert "idempotent-replayed" not in response.headers
    stored = harbor.rows(Order.__table__.select())
    assert len(stored) == 1 and stored[0].total_minor == 12048
    assert harbor.count(OrderLine) == 2


def test_get_returns_the_same_order(harbor: Harbor, alpha: PartnerKeys) -> None:
    created = harbor.create_order(alpha).json()
    fetched = harbor.client.get(f"/api/v1/orders/{created['id']}", headers=alpha.headers)
    assert fetched.status_code == 200
    assert fetched.json() == created


def test_unknown_order_is_404_with_a_code(harbor: Harbor, alpha: PartnerKeys) -> None:
    response = harbor.client.get("/api/v1/orders/ord_missing", headers=alpha.headers)
    assert response.status_code == 404
    assert response.json()["code"] == "order_not_found"


@pytest.mark.parametrize(
    ("change", "loc"),
    [
        ({"currency": "EURO"}, ["body", "currency"]),
        ({"currency": "XXX"}, ["body", "currency"]),
        ({"customer_email": "not-an-email"}, ["body", "customer_email"]),
        ({"lines": []}, ["body", "lines"]),
        (
            {"lines": [{"sku": "A", "quantity": 0, "unit_price": "1.00"}]},
            ["body", "lines", 0, "quantity"],
        ),
        (
            {"lines": [{"sku": "A", "quantity": 1, "unit_price": "1.001"}]},
            ["body", "lines", 0, "unit_price"],
        ),
        (
            {"lines": [{"sku": "A", "quantity": 1, "unit_price": "-5"}]},
            ["body", "lines", 0, "unit_price"],
        ),
        (
            {"lines": [{"sku": "A", "quantity": 1, "unit_price": "NaN"}]},
            ["body", "lines", 0, "unit_price"],
        ),
        (
            {"lines": [{"sku": "bad sku", "quantity": 1, "unit_price": "1"}]},
            ["body", "lines", 0, "sku"],
        ),
        ({"internal_cost": 1}, ["body", "internal_cost"]),
    ],
)
def test_invalid_orders_are_422_and_create_nothing(
    harbor: Harbor, alpha: PartnerKeys, change: dict, loc: list
) -> None:
    response = harbor.create_order(alpha, **change)
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"
    assert loc in [error["loc"] for error in response.json()["detail"]]
    assert harbor.count(Order) == 0


def test_missing_idempotency_key_is_422(harbor: Harbor, alpha: PartnerKeys) -> None:
    response = harbor.client.post("/api/v1/orders", json=order_body(), headers=alpha.headers)
    assert response.status_code == 422
    assert ["header", "Idempotency-Key"] in [e["loc"] for e in response.json()["detail"]]


def test_malformed_json_is_422_not_500(harbor: Harbor, alpha: PartnerKeys) -> None:
    headers = {**alpha.headers, "Idempotency-Key": "k", "Content-Type": "application/json"}
    response = harbor.client.post("/api/v1/orders", content=b'{"lines": [', headers=headers)
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"


def test_partners_only_see_their_own_orders(
    harbor: Harbor, alpha: PartnerKeys, beta: PartnerKeys
) -> None:
    order_id = harbor.create_order(alpha).json()["id"]
    client = harbor.client
    assert client.get(f"/api/v1/orders/{order_id}", headers=beta.headers).status_code == 404
    patch = client.patch(
        f"/api/v1/orders/{order_id}/status", json={"status": "cancelled"}, headers=beta.headers
    )
    assert patch.status_code == 404
    assert client.get("/api/v1/orders", headers=beta.headers).json()["items"] == []
    assert (
        client.get(f"/api/v1/orders/{order_id}", headers=alpha.headers).json()["status"]
        == "pending"
    )


def test_cursor_pagination_walks_every_order_once(harbor: Harbor, alpha: PartnerKeys) -> None:
    created = [harbor.create_order(alpha).json()["id"] for _ in range(5)]
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = harbor.client.get("/api/v1/orders", params=params, headers=alpha.headers).json()
        seen += [item["id"] for item in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == list(reversed(created))
    assert pages == 3


@pytest.mark.parametrize("cursor", ["abc", "bzo", "o:12", "!!!!", "\u00e9\u00e9", "bzotMQ"])
def test_foreign_cursors_are_422(harbor: Harbor, alpha: PartnerKeys, cursor: str) -> None:
    response = harbor.client.get("/api/v1/orders", params={"cursor": cursor}, headers=alpha.headers)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_cursor"


def test_filters_by_status_and_created_range(harbor: Harbor, alpha: PartnerKeys) -> None:
    start = datetime(2030, 1, 1, tzinfo=UTC)
    ids = []
    for day in range(3):
        harbor.app.dependency_overrides[get_clock] = lambda d=day: lambda: start + timedelta(days=d)
        ids.append(harbor.create_order(alpha).json()["id"])
    harbor.app.dependency_overrides.clear()
    harbor.client.patch(
        f"/api/v1/orders/{ids[0]}/status", json={"status": "cancelled"}, headers=alpha.headers
    )

    def listed(**params: str) -> list[str]:
        page = harbor.client.get("/api/v1/orders", params=params, headers=alpha.headers)
        assert page.status_code == 200, page.text
        return [item["id"] for item in page.json()["items"]]

    assert listed(status="cancelled") == [ids[0]]
    assert listed(status="pending") == [ids[2], ids[1]]
    assert listed(created_from="2030-01-02T00:00:00Z") == [ids[2], ids[1]]
    assert listed(created_to="2030-01-02T00:00:00Z") == [ids[0]]
    # An offset is honoured: 2030-01-02T01:00+01:00 is midnight UTC.
    assert listed(created_from="2030-01-02T01:00:00+01:00", created_to="2030-01-03") == [ids[1]]


def test_out_of_range_instants_are_422(harbor: Harbor, alpha: PartnerKeys) -> None:
    params = {"created_from": "0001-01-01T00:00:00+05:00"}
    response = harbor.client.get("/api/v1/orders", params=params, headers=alpha.headers)
    assert response.status_code == 422
