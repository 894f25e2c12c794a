"""docs/getting-started.md and docs/index.md: the first app, and the first test run as written."""

from accord.testclient import TestClient
from docs_src.getting_started import first_app_001

# The page's own tests, collected and run here with their fixture.
from docs_src.getting_started.first_test_001 import (  # noqa: F401
    client,
    test_amount_must_be_positive,
    test_create_then_read,
    test_the_real_store_is_untouched,
)


def test_the_first_app_creates_reads_and_refuses() -> None:
    app = first_app_001.app
    store: dict = {}
    app.dependency_overrides[first_app_001.get_store] = lambda: store
    try:
        http = TestClient(app)
        created = http.post("/orders", json={"customer": "Ada", "amount_cents": 1250})
        assert created.status_code == 201
        assert created.json() == {"customer": "Ada", "amount_cents": 1250, "id": 1}
        assert http.get("/orders/2").json() == {"detail": "Order not found"}
        refused = http.post("/orders", json={"customer": "Ada", "amount_cents": 0})
        assert refused.status_code == 422
        assert refused.json()["detail"][0]["type"] == "greater_than"
    finally:
        app.dependency_overrides.clear()


def test_the_docs_ui_is_served_from_the_app() -> None:
    http = TestClient(first_app_001.app)
    page = http.get("/docs")
    assert page.status_code == 200 and "/docs/static/swagger-ui-bundle.js" in page.text
    assert set(http.get("/openapi.json").json()["paths"]) == {"/orders", "/orders/{order_id}"}
