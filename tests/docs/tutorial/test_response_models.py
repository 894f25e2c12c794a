"""docs/tutorial/response-models.md: response_model filtering, exclude_unset / exclude_none,
status codes and response classes, as the page states them."""

import pytest

from accord.testclient import TestClient
from docs_src.tutorial import response_models_001, response_models_002, response_models_003

from ._fastapi import assert_same_as_fastapi


@pytest.fixture(autouse=True)
def shelf_as_shipped():
    """Each test starts from the example's own shelf (the routes add and remove books)."""
    saved = dict(response_models_003.SHELF)
    yield
    response_models_003.SHELF.clear()
    response_models_003.SHELF.update(saved)


def test_response_model_drops_the_fields_it_does_not_declare() -> None:
    client = TestClient(response_models_001.app)
    created = client.post("/books", json={"title": "Emma", "price": 7, "supplier_cost": 2.5})
    assert created.status_code == 200
    assert created.json() == {"id": 2, "title": "Emma", "price": 7.0}
    assert client.get("/books/1").json() == {"id": 1, "title": "Dune", "price": 9.5}
    assert "shelf" not in client.get("/books").json()[0]
    assert "supplier_cost" not in client.get("/books").json()[0]


def test_the_response_model_is_documented() -> None:
    paths = response_models_001.app.openapi()["paths"]
    schema = lambda op: op["responses"]["200"]["content"]["application/json"]["schema"]  # noqa: E731
    assert schema(paths["/books"]["post"]) == {"$ref": "#/components/schemas/BookOut"}
    assert schema(paths["/books/{book_id}"]["get"]) == {"$ref": "#/components/schemas/BookOut"}
    listed = schema(paths["/books"]["get"])
    assert listed["items"] == {"$ref": "#/components/schemas/BookOut"}
    assert "StockedBook" not in response_models_001.app.openapi()["components"]["schemas"]


def test_exclude_unset_sends_only_what_was_set() -> None:
    client = TestClient(response_models_002.app)
    assert client.get("/books/dune").json() == {"title": "Dune", "price": 9.5}
    # set explicitly, even to the default value: kept
    assert client.get("/books/emma").json() == {
        "title": "Emma",
        "price": 7.0,
        "discount": 0.0,
        "tags": ["classic"],
    }


def test_exclude_none_drops_only_none() -> None:
    response = TestClient(response_models_002.app).get("/books/dune/full")
    assert response.json() == {"title": "Dune", "price": 9.5, "discount": 0.0, "tags": []}


def test_status_codes() -> None:
    client = TestClient(response_models_003.app)
    created = client.post("/books", json={"title": "Emma", "price": 7})
    assert created.status_code == 201
    assert created.headers["location"] == f"/books/{max(response_models_003.SHELF)}"
    deleted = client.delete("/books/99")
    assert deleted.status_code == 204
    assert deleted.content == b""
    missing = client.get("/books/42/price")
    assert (missing.status_code, missing.json()) == (404, {"error": "no such book"})
    assert client.get("/books/1/price").json() == {"price": 9.5}


def test_status_codes_in_openapi() -> None:
    paths = response_models_003.app.openapi()["paths"]
    assert list(paths["/books"]["post"]["responses"]) == ["201", "422"]
    assert list(paths["/books/{book_id}"]["delete"]["responses"]) == ["204", "422"]
    price = paths["/books/{book_id}/price"]["get"]["responses"]
    assert price["404"] == {"description": "No such book"}


def test_response_classes() -> None:
    client = TestClient(response_models_003.app)
    label = client.get("/books/1/label")
    assert label.headers["content-type"] == "text/plain; charset=utf-8"
    assert label.text == "Dune - EUR 9.50"
    card = client.get("/books/1/card")
    assert card.headers["content-type"] == "text/html; charset=utf-8"
    assert card.text == "<article><h1>Dune</h1></article>"
    redirect = client.get("/shop", follow_redirects=False)
    assert (redirect.status_code, redirect.headers["location"]) == (307, "/books/1/card")
    html = response_models_003.app.openapi()["paths"]["/books/{book_id}/card"]["get"]
    assert list(html["responses"]["200"]["content"]) == ["text/html"]


def test_the_examples_behave_as_on_fastapi() -> None:
    assert_same_as_fastapi(
        response_models_001,
        [("POST", "/books", {"json": {"title": "Emma", "price": 7, "supplier_cost": 1}}), ("GET", "/books", {})],
    )
    assert_same_as_fastapi(
        response_models_002,
        [("GET", "/books/dune", {}), ("GET", "/books/emma", {}), ("GET", "/books/emma/full", {})],
    )
    assert_same_as_fastapi(
        response_models_003,
        [
            ("POST", "/books", {"json": {"title": "Emma", "price": 7}}),
            ("DELETE", "/books/1", {}),
            ("GET", "/books/1/price", {}),
            ("GET", "/books/2/label", {}),
            ("GET", "/shop", {"follow_redirects": False}),
        ],
    )
