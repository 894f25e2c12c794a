"""One small app per extension, run on Accord through the `fastapi` alias with real assertions,
and run once more on the real FastAPI 0.163.2: both must answer the same."""

from pathlib import Path
from typing import Any

import pytest

from tests.ecosystem.conftest import run_app


def on_both(name: str, tmp_path: Path) -> dict[str, Any]:
    accord_found = run_app(name, tmp_path / "accord")
    fastapi_found = run_app(name, tmp_path / "fastapi", on_fastapi=True)
    assert (accord_found.pop("framework"), fastapi_found.pop("framework")) == ("accord", "fastapi")
    assert accord_found == fastapi_found
    return accord_found


@pytest.fixture
def tmp(tmp_path: Path) -> Path:
    for sub in ("accord", "fastapi"):
        (tmp_path / sub).mkdir()
    return tmp_path


def test_fastapi_pagination_pages_sqlite_rows(tmp: Path) -> None:
    found = on_both("pagination_app.py", tmp)
    first = found["first"]
    assert [first[k] for k in ("total", "page", "size", "pages")] == [23, 1, 50, 1]
    assert [item["id"] for item in first["items"]] == list(range(1, 24))
    third = found["third"]
    assert (third["page"], third["pages"]) == (3, 3)
    assert [item["title"] for item in third["items"]] == ["Book 21", "Book 22", "Book 23"]
    offset = found["offset"]
    assert [item["id"] for item in offset["items"]] == [22, 21]
    assert (offset["limit"], offset["offset"], offset["total"]) == (2, 1, 23)
    assert found["bad"] == [422, [["query", "size"]]]
    # `add_pagination` added the page parameters to the route it changed after compilation.
    assert found["parameters"] == ["page", "size"]


def test_opentelemetry_instrumentor_traces_accord_routes(tmp: Path) -> None:
    found = on_both("otel_app.py", tmp)
    assert found["statuses"] == [200, 404, 200, 200, 404]
    assert found["instrumented"] is True
    assert found["spans"] == [
        {"name": "GET /items/{item_id}", "route": "/items/{item_id}", "status": 200,
         "scope": "opentelemetry.instrumentation.fastapi"},
        {"name": "GET /items/{item_id}", "route": "/items/{item_id}", "status": 404,
         "scope": "opentelemetry.instrumentation.fastapi"},
        {"name": "POST /shop/orders/{order_id}/pay", "route": "/shop/orders/{order_id}/pay",
         "status": 200, "scope": "opentelemetry.instrumentation.fastapi"},
        {"name": "GET", "route": None, "status": 404,
         "scope": "opentelemetry.instrumentation.fastapi"},
    ]  # /health is excluded: no span


def test_fastapi_users_register_and_login_on_sqlite(tmp: Path) -> None:
    found = on_both("users_app.py", tmp)
    assert found["register"] == [201, {"email": "ada@example.com", "is_active": True}]
    assert found["again"] == [400, {"detail": "REGISTER_USER_ALREADY_EXISTS"}]
    assert found["wrong"] == [400, {"detail": "LOGIN_BAD_CREDENTIALS"}]
    assert found["login"] == [200, "bearer", 2]  # a JWT: three dot-separated parts
    assert found["me"] == [200, "ada@example.com", True]
    assert found["anonymous"] == [401, {"detail": "Unauthorized"}]
    assert found["private"] == [200, {"hello": "ada@example.com"}]
    assert found["registered"] == ["ada@example.com"]
    assert found["login_form"] == [
        "client_id", "client_secret", "grant_type", "password", "scope", "username"
    ]


def test_cadwyn_serves_two_api_versions_from_one_set_of_routes(tmp: Path) -> None:
    found = on_both("cadwyn_app.py", tmp)
    # The latest version takes and returns a list of addresses; the old one a single address,
    # its request migrated forward and the latest response migrated back.
    assert found["created_new"] == [201, {"id": 1, "name": "Ada", "addresses": ["1 Main St", "2 Elm"]}]
    assert found["created_old"] == [201, {"id": 2, "name": "Bob", "address": "3 Oak"}]
    assert found["stored"] == [1, 2]
    assert found["old_reads_new"] == [200, {"id": 1, "name": "Ada", "address": "1 Main St"}]
    assert found["new_reads_old"] == [200, {"id": 2, "name": "Bob", "addresses": ["3 Oak"]}]
    # Each version validates against its own generated model.
    assert found["old_with_new_body"] == [422, [["missing", ["body", "address"]]]]
    assert found["new_with_old_body"] == [422, [["missing", ["body", "addresses"]]]]
    assert found["missing"] == [404, {"detail": "no such user"}]
    assert (found["unknown_version"], found["no_version"]) == (404, 404)
    # One OpenAPI document per version, each with that version's request model.
    assert found["docs"] == [200, 200, 404]
    assert found["doc_versions"] == ["2001-01-01", "2000-01-01"]
    assert found["request_fields"] == [["addresses", "name"], ["address", "name"]]
    assert found["version_header"] == ["x-api-version", True]
    assert sorted(found["old_doc"]["paths"]) == ["/signups", "/users", "/users/{user_id}"]
    # 2002-01-01 added an endpoint and a form field: older versions have neither.
    assert found["book"] == [[200, ["1 Main St", "2 Elm"]], [404, {"detail": "Not Found"}]]
    assert found["latest_reads"] == [200, {"id": 2, "name": "Bob", "addresses": ["3 Oak"]}]
    assert found["signups"] == [
        [200, {"email": "a@b.c", "newsletter": True}],
        [200, {"email": "a@b.c", "newsletter": False}],  # not a field of 2001-01-01's form
        [422, [["missing", ["body", "email"]]]],
    ]
    assert found["paths"][0] == ["/signups", "/users", "/users/{user_id}", "/users/{user_id}/addresses"]
    assert "/users/{user_id}/addresses" not in found["paths"][1]


def test_fastapi_cache2_serves_a_second_call_from_the_in_memory_cache(tmp: Path) -> None:
    found = on_both("cache_app.py", tmp)
    price = {"item": 2, "currency": "EUR", "amount": 3.0}
    computed = {"status": 200, "cache": "MISS", "cache_control": "max-age=60",
                "etag_form": True, "content_type": "application/json"}
    assert found["miss"] == [price, computed]
    assert found["hit"] == [price, {**computed, "cache": "HIT"}]
    assert found["hit_max_age"] is True and found["same_etag"] is True
    # If-None-Match naming the entry's ETag: 304, no body, the cache headers kept.
    assert found["not_modified"] == [
        "", {**computed, "status": 304, "cache": "HIT", "content_type": None}
    ]
    assert found["other_etag"] == [price, {**computed, "cache": "HIT"}]
    assert found["other_query"] == [{**price, "currency": "USD"}, "MISS", True]
    assert found["no_cache"] == [price, "MISS"]  # computed again, and stored again
    # `Cache-Control: no-store`: computed, and none of the cache's headers.
    assert found["no_store"][1] == {"status": 200, "cache": None, "cache_control": None,
                                    "etag_form": None, "content_type": "application/json"}
    assert found["bad"] == [422, [["path", "item_id"]]]
    # A sync endpoint declaring `Request` itself: cached under one key, whoever asks.
    first, again, first_headers, again_headers = found["stock"]
    assert first == again == {"n": 1, "asked_by": "north"}
    assert (first_headers["cache"], again_headers["cache"]) == ("MISS", "HIT")
    assert first_headers["cache_control"] == "max-age=30"
    # An endpoint declaring `Response`: its own header is set only when it runs.
    assert found["menu"] == [["soup", "bread"], "today", ["soup", "bread"], None, "HIT"]
    assert found["orders"] == [[{"order": 1}, None], [{"order": 2}, None]]  # POST: not cached
    # Each endpoint ran once per computed answer: price for EUR, USD, no-cache and no-store.
    assert found["calls"] == {"price": 4, "stock": 1, "menu": 1, "order": 2}
    # The injected Request/Response parameters are not in the document.
    assert found["price_parameters"] == ["currency", "item_id"]
