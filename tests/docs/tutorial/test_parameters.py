"""docs/tutorial/parameters.md: path, query, header and cookie parameters, their validation and
parameter models, as the page states them; the examples behave as on FastAPI."""

from accord import FastAPI
from accord.testclient import TestClient
from docs_src.tutorial import parameters_001, parameters_002, parameters_003, parameters_004

from ._fastapi import assert_same_as_fastapi


def test_path_and_query_parameters_are_converted() -> None:
    client = TestClient(parameters_001.app)
    response = client.get("/books/1", params={"currency": "GBP", "with_reviews": "yes"})
    assert response.status_code == 200
    assert response.json() == {
        "book_id": 1,
        "title": "Dune",
        "currency": "GBP",
        "with_reviews": True,
    }
    assert client.get("/books/2").json()["currency"] == "EUR"
    for word, value in [("true", True), ("0", False), ("no", False), ("on", True), ("off", False)]:
        assert client.get(f"/books/2?with_reviews={word}").json()["with_reviews"] is value
    assert client.get("/books/2?with_reviews=maybe").status_code == 422


def test_a_fixed_path_declared_first_wins_over_the_parameter() -> None:
    response = TestClient(parameters_001.app).get("/books/latest")
    assert response.json() == {"book_id": 2, "title": "Emma", "author": "Jane Austen"}


def test_a_path_parameter_that_is_not_an_int_is_a_422() -> None:
    response = TestClient(parameters_001.app).get("/books/dune")
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["type"] == "int_parsing"
    assert error["loc"] == ["path", "book_id"]
    assert error["input"] == "dune"


def test_an_optional_query_parameter() -> None:
    client = TestClient(parameters_001.app)
    assert client.get("/authors/Jane Austen/books").json() == ["Emma"]
    assert client.get("/authors/Frank Herbert/books", params={"limit": 0}).json() == []


def test_query_and_path_constraints() -> None:
    client = TestClient(parameters_002.app)
    assert client.get("/books/0").json()["detail"][0]["type"] == "greater_than_equal"
    too_short = client.get("/search", params={"q": "a"})
    assert too_short.status_code == 422
    [error] = too_short.json()["detail"]
    assert error["loc"] == ["query", "q"]
    assert error["type"] == "string_too_short"
    assert error["ctx"] == {"min_length": 2}
    assert error["msg"] == "String should have at least 2 characters"
    assert error["input"] == "a"
    assert client.get("/search").json()["detail"][0]["type"] == "missing"


def test_a_list_query_parameter_and_an_alias() -> None:
    response = TestClient(parameters_002.app).get(
        "/search?q=dune&tag=sf&tag=classic&in-stock=true"
    )
    assert response.json() == {"q": "dune", "page": 1, "tags": ["sf", "classic"], "in_stock": True}


def test_a_list_without_query_would_be_a_body() -> None:
    app = FastAPI()

    @app.get("/search")
    def search(tag: list[str]) -> list[str]:
        return tag

    operation = app.openapi()["paths"]["/search"]["get"]
    assert "parameters" not in operation and "requestBody" in operation


def test_constraints_are_in_the_openapi_document() -> None:
    operation = parameters_002.app.openapi()["paths"]["/search"]["get"]
    by_name = {p["name"]: p for p in operation["parameters"]}
    assert set(by_name) == {"q", "page", "tag", "in-stock"}
    assert by_name["q"]["schema"]["minLength"] == 2
    assert by_name["q"]["description"] == "Words in the title"
    assert by_name["tag"]["schema"]["anyOf"][0] == {"type": "array", "items": {"type": "string"}}
    path = parameters_002.app.openapi()["paths"]["/books/{book_id}"]["get"]["parameters"][0]
    assert path["schema"] == {"type": "integer", "minimum": 1, "title": "The book's number"}


def test_headers_and_cookies() -> None:
    client = TestClient(parameters_003.app)
    response = client.get(
        "/basket",
        headers=[
            ("cookie", "basket_id=b-17"),
            ("accept-language", "fr"),
            ("x-gift-wrap", "red"),
            ("x-gift-wrap", "gold"),
        ],
    )
    assert response.json() == {"basket_id": "b-17", "language": "fr", "gift_wrap": ["red", "gold"]}
    assert client.get("/basket").json() == {"basket_id": None, "language": "en", "gift_wrap": []}
    names = {(p["in"], p["name"]) for p in parameters_003.app.openapi()["paths"]["/basket"]["get"]["parameters"]}
    assert names == {("cookie", "basket_id"), ("header", "accept-language"), ("header", "x-gift-wrap")}


def test_a_query_parameter_model() -> None:
    client = TestClient(parameters_004.app)
    response = client.get("/books?size=5&sort=price&tag=sf&tag=new")
    assert response.json() == {"page": 1, "size": 5, "sort": "price", "tag": ["sf", "new"]}
    unknown = client.get("/books?colour=blue")
    assert unknown.status_code == 422
    [error] = unknown.json()["detail"]
    assert (error["type"], error["loc"]) == ("extra_forbidden", ["query", "colour"])
    assert client.get("/books?size=500").json()["detail"][0]["loc"] == ["query", "size"]


def test_a_header_model() -> None:
    response = TestClient(parameters_004.app).get(
        "/whoami", headers={"user-agent": "reader/1.0", "x-shop-region": "uk"}
    )
    assert response.json() == {"user_agent": "reader/1.0", "x_shop_region": "uk"}


def test_the_parameter_model_fields_are_separate_query_parameters_in_openapi() -> None:
    operation = parameters_004.app.openapi()["paths"]["/books"]["get"]
    assert [p["name"] for p in operation["parameters"]] == ["page", "size", "sort", "tag"]


def test_the_examples_behave_as_on_fastapi() -> None:
    assert_same_as_fastapi(
        parameters_001,
        [
            ("GET", "/books/1?currency=GBP&with_reviews=on", {}),
            ("GET", "/books/latest", {}),
            ("GET", "/books/dune", {}),
            ("GET", "/books/1?with_reviews=maybe", {}),
            ("GET", "/authors/Jane Austen/books?limit=x", {}),
        ],
    )
    assert_same_as_fastapi(
        parameters_002,
        [
            ("GET", "/books/0", {}),
            ("GET", "/search?q=a", {}),
            ("GET", "/search?q=" + "x" * 51, {}),
            ("GET", "/search?q=dune&tag=a&tag=b&in-stock=no&page=2", {}),
            ("GET", "/search?q=dune&in_stock=true", {}),
        ],
    )
    assert_same_as_fastapi(
        parameters_003, [("GET", "/basket", {"headers": {"x-gift-wrap": "a, b"}})]
    )
    assert_same_as_fastapi(
        parameters_004,
        [
            ("GET", "/books?sort=author", {}),
            ("GET", "/books?colour=blue&page=0", {}),
            ("GET", "/whoami", {}),
        ],
    )
