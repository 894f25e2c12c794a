import pytest

from accord.testclient import TestClient

from .first_app_001 import ORDERS, Order, app, get_store


@pytest.fixture
def client():
    store: dict[int, Order] = {}
    app.dependency_overrides[get_store] = lambda: store  # each test gets an empty store
    yield TestClient(app)
    app.dependency_overrides.clear()


def test_create_then_read(client):
    created = client.post("/orders", json={"customer": "Ada", "amount_cents": 1250})
    assert created.status_code == 201
    assert created.json() == {"customer": "Ada", "amount_cents": 1250, "id": 1}
    assert client.get("/orders/1").json()["customer"] == "Ada"


def test_amount_must_be_positive(client):
    response = client.post("/orders", json={"customer": "Ada", "amount_cents": 0})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "amount_cents"]


def test_the_real_store_is_untouched(client):
    client.post("/orders", json={"customer": "Ada", "amount_cents": 1})
    assert ORDERS == {}
