"""docs/tutorial/errors.md: HTTPException, custom exception handlers, the 422 validation error
document and a RequestValidationError handler; the examples behave as on FastAPI."""

from accord.testclient import TestClient
from docs_src.tutorial import errors_001, errors_002, errors_003

from ._fastapi import assert_same_as_fastapi


def test_http_exception_sets_status_and_detail() -> None:
    response = TestClient(errors_001.app).get("/books/ulysses/stock")
    assert response.status_code == 404
    assert response.json() == {"detail": "No book called 'ulysses'"}


def test_detail_can_be_any_json_and_headers_are_sent() -> None:
    response = TestClient(errors_001.app).post("/books/emma/reserve")
    assert response.status_code == 409
    assert response.json() == {"detail": {"reason": "not enough copies", "available": 0}}
    assert response.headers["retry-after"] == "3600"


def test_the_validation_error_document() -> None:
    response = TestClient(errors_001.app).post("/books/dune/reserve?copies=two")
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "type": "int_parsing",
                "loc": ["query", "copies"],
                "msg": "Input should be a valid integer, unable to parse string as an integer",
                "input": "two",
            }
        ]
    }
    responses = errors_001.app.openapi()["paths"]["/books/{slug}/reserve"]["post"]["responses"]
    assert responses["422"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/HTTPValidationError"
    }


def test_a_handler_for_your_own_exception() -> None:
    client = TestClient(errors_002.app)
    response = client.get("/books/Cardenio/order")
    assert response.status_code == 410
    assert response.json() == {
        "error": "out_of_print",
        "title": "Cardenio",
        "path": "/books/Cardenio/order",
    }
    assert client.get("/books/Emma/order").json() == {"ordered": "Emma"}


def test_wrapping_the_default_http_exception_handler() -> None:
    errors_002.failures.clear()
    client = TestClient(errors_002.app)
    response = client.get("/nowhere")
    assert (response.status_code, response.json()) == (404, {"detail": "Not Found"})
    not_allowed = client.delete("/books/Emma/order")
    assert not_allowed.status_code == 405
    assert errors_002.failures == ["404 /nowhere", "405 /books/Emma/order"]


def test_replacing_the_validation_error_answer() -> None:
    client = TestClient(errors_003.app)
    response = client.post("/books/1/reviews", json={"stars": 9, "text": "Great"})
    assert response.status_code == 400
    assert response.json() == {
        "problems": [{"field": "stars", "problem": "Input should be less than or equal to 5"}]
    }
    path = client.post("/books/x/reviews", json={"stars": 5, "text": "ok"}).json()
    assert path == {
        "problems": [
            {
                "field": "book_id",
                "problem": "Input should be a valid integer, unable to parse string as an integer",
            }
        ]
    }
    assert client.post("/books/1/reviews", json={"stars": 5, "text": "ok"}).status_code == 201


def test_the_examples_behave_as_on_fastapi() -> None:
    assert_same_as_fastapi(
        errors_001,
        [
            ("GET", "/books/x/stock", {}),
            ("POST", "/books/dune/reserve?copies=9", {}),
            ("POST", "/books/dune/reserve?copies=1.5", {}),
            ("POST", "/books/dune/reserve", {}),
        ],
    )
    assert_same_as_fastapi(
        errors_002,
        [("GET", "/books/Cardenio/order", {}), ("GET", "/nowhere", {}), ("PUT", "/books/a/order", {})],
    )
    assert_same_as_fastapi(
        errors_003,
        [
            ("POST", "/books/1/reviews", {"json": {"stars": 0, "text": "x" * 501}}),
            ("POST", "/books/1/reviews", {}),
            ("POST", "/books/1/reviews", {"content": b"[", "headers": {"content-type": "application/json"}}),
        ],
    )
