"""docs/tutorial/bodies.md: JSON bodies as Pydantic models, nested models, Field, Body and
several bodies in one request; the examples behave as on FastAPI."""

from accord.testclient import TestClient
from docs_src.tutorial import bodies_001, bodies_002, bodies_003

from ._fastapi import assert_same_as_fastapi

DUNE = {"title": "Dune", "author": "Frank Herbert", "price": 10}


def test_a_model_parameter_is_the_json_body() -> None:
    response = TestClient(bodies_001.app).post("/books", json=DUNE)
    assert response.status_code == 200
    assert response.json() == {"added": "Dune", "price_with_vat": 12.0}


def test_a_numeric_string_is_converted_and_a_bad_field_is_a_422() -> None:
    client = TestClient(bodies_001.app)
    assert client.post("/books", json={**DUNE, "price": "8.5"}).json()["price_with_vat"] == 10.2
    response = client.post("/books", json={"title": "Dune", "price": "cheap"})
    assert response.status_code == 422
    errors = {tuple(e["loc"]): e["type"] for e in response.json()["detail"]}
    assert errors == {("body", "author"): "missing", ("body", "price"): "float_parsing"}


def test_a_missing_body_is_a_422_at_body() -> None:
    [error] = TestClient(bodies_001.app).post("/books").json()["detail"]
    assert (error["type"], error["loc"]) == ("missing", ["body"])


def test_path_query_and_body_together() -> None:
    response = TestClient(bodies_001.app).put("/books/7?notify=true", json=DUNE)
    assert response.json() == {
        "book_id": 7,
        "notify": True,
        "title": "Dune",
        "author": "Frank Herbert",
        "price": 10.0,
        "summary": None,
    }


def test_the_body_model_is_a_schema_component() -> None:
    document = bodies_001.app.openapi()
    body = document["paths"]["/books"]["post"]["requestBody"]
    assert body["required"] is True
    assert body["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Book"}
    assert document["components"]["schemas"]["Book"]["required"] == ["title", "author", "price"]


def test_nested_models_are_validated_all_the_way_down() -> None:
    client = TestClient(bodies_002.app)
    book = {
        "title": "Good Omens",
        "authors": [{"name": "Terry Pratchett"}, {"name": "Neil Gaiman", "born": 1960}],
        "editions": [{"isbn": "9780060853983"}],
        "tags": ["humour", "humour", "fantasy"],
    }
    response = client.post("/books", json=book)
    assert response.status_code == 200
    answer = response.json()
    assert answer["editions"] == [{"isbn": "9780060853983", "format": "paperback"}]
    assert sorted(answer["tags"]) == ["fantasy", "humour"]
    bad = client.post(
        "/books", json={"title": "X", "authors": [{"name": ""}], "editions": [{"isbn": "12"}]}
    )
    assert bad.status_code == 422
    locs = {tuple(e["loc"]): e["type"] for e in bad.json()["detail"]}
    assert locs == {
        ("body", "authors", 0, "name"): "string_too_short",
        ("body", "editions", 0, "isbn"): "string_pattern_mismatch",
    }
    empty = client.post("/books", json={"title": "X", "authors": []}).json()["detail"]
    assert [(e["loc"], e["type"]) for e in empty] == [(["body", "authors"], "too_short")]


def test_field_documents_the_schema() -> None:
    schemas = bodies_002.app.openapi()["components"]["schemas"]
    assert {"Author", "Edition", "Book"} <= set(schemas)
    isbn = schemas["Edition"]["properties"]["isbn"]
    assert isbn["description"] == "ISBN-13, digits only"
    assert isbn["examples"] == ["9780441013593"]
    assert isbn["pattern"] == r"^\d{13}$"
    assert schemas["Book"]["properties"]["tags"]["uniqueItems"] is True


def test_several_bodies_are_keys_of_one_json_object() -> None:
    client = TestClient(bodies_003.app)
    payload = {"book": {"title": "Emma", "price": 7}, "editor": {"name": "Ann"}, "reason": "typo"}
    response = client.put("/books/2", json=payload)
    assert response.json() == {"book_id": 2, "title": "Emma", "by": "Ann", "reason": "typo"}
    missing = client.put("/books/2", json={"book": {"title": "Emma", "price": 7}})
    assert {tuple(e["loc"]) for e in missing.json()["detail"]} == {
        ("body", "editor"),
        ("body", "reason"),
    }


def test_embed_puts_a_single_model_under_its_name() -> None:
    client = TestClient(bodies_003.app)
    assert client.post("/books/2/discount", json={"discount": {"percent": 15}}).json() == {
        "percent": 15
    }
    flat = client.post("/books/2/discount", json={"percent": 15})
    assert flat.status_code == 422
    assert flat.json()["detail"][0]["loc"] == ["body", "discount"]


def test_the_examples_behave_as_on_fastapi() -> None:
    assert_same_as_fastapi(
        bodies_001,
        [
            ("POST", "/books", {"json": DUNE}),
            ("POST", "/books", {"json": {"title": 1, "price": []}}),
            ("POST", "/books", {"content": b"{not json", "headers": {"content-type": "application/json"}}),
            ("PUT", "/books/x", {"json": DUNE}),
        ],
    )
    assert_same_as_fastapi(
        bodies_002,
        [
            ("POST", "/books", {"json": {"title": "X", "authors": [{"name": "A", "born": 3000}]}}),
            ("POST", "/books", {"json": {"title": "X", "authors": [{"name": "A"}], "editions": [{"isbn": "9780060853983", "format": "scroll"}]}}),
        ],
    )
    assert_same_as_fastapi(
        bodies_003,
        [
            ("PUT", "/books/1", {"json": {"book": {"title": "T", "price": 0}, "editor": {}, "reason": "r" * 201}}),
            ("POST", "/books/1/discount", {"json": {"discount": {"percent": 95}}}),
        ],
    )
