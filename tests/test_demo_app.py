"""The demo app that `make run` serves works end to end."""

from starlette.testclient import TestClient

from examples.demo import app

KEY = {"x-api-key": "demo-key"}


def test_create_list_and_get_an_order() -> None:
    client = TestClient(app)
    body = {
        "customer_email": "ada@example.com",
        "currency": "EUR",
        "lines": [{"sku": "A", "quantity": 2, "unit_price": "9.99"}],
    }
    created = client.post("/orders", json=body, headers=KEY)
    assert created.status_code == 201
    assert created.json()["total"] == "19.98"
    order_id = created.json()["id"]
    assert client.get(f"/orders/{order_id}", headers=KEY).json() == created.json()
    assert created.json() in client.get("/orders", headers=KEY).json()


def test_refuses_bad_input_and_missing_key() -> None:
    client = TestClient(app)
    assert client.post("/orders", json={}, headers={"x-api-key": "nope"}).status_code == 401
    bad = client.post("/orders", json={"currency": "euro", "lines": []}, headers=KEY)
    assert bad.status_code == 422
    assert {tuple(e["loc"]) for e in bad.json()["detail"]} >= {
        ("body", "customer_email"),
        ("body", "currency"),
        ("body", "lines"),
    }
    assert client.get("/orders/999", headers=KEY).status_code == 404


def test_docs_are_served() -> None:
    client = TestClient(app)
    assert client.get("/docs").status_code == 200
    assert client.get("/openapi.json").json()["info"]["title"] == "Accord demo"
