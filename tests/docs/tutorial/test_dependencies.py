"""docs/tutorial/dependencies.md: Depends, Annotated aliases, yield dependencies and their
teardown order, sub-dependencies, the per-request cache, app and router dependencies and
dependency_overrides; the examples behave as on FastAPI."""

import types

import pytest

from accord.testclient import TestClient
from docs_src.tutorial import (
    dependencies_001,
    dependencies_002,
    dependencies_003,
    dependencies_004,
    dependencies_005,
)

from ._fastapi import assert_same_as_fastapi, on_fastapi


def test_a_class_and_a_function_as_dependencies() -> None:
    client = TestClient(dependencies_001.app)
    assert client.get("/books").json() == ["Dune", "Emma", "Ulysses"]
    assert client.get("/books?offset=1&limit=2").json() == ["Emma", "Ulysses"]
    assert client.get("/books?q=DUNE dracula").json() == ["Dune", "Dracula"]
    assert client.get("/authors?limit=1&offset=2").json() == ["Joyce"]
    assert client.get("/authors?limit=51").status_code == 422


def test_the_dependencies_parameters_are_the_operations() -> None:
    paths = dependencies_001.app.openapi()["paths"]
    assert [p["name"] for p in paths["/books"]["get"]["parameters"]] == ["offset", "limit", "q"]
    assert [p["name"] for p in paths["/authors"]["get"]["parameters"]] == ["offset", "limit"]


@pytest.fixture
def events() -> list[str]:
    dependencies_002.events.clear()
    return dependencies_002.events


def test_yield_dependencies_set_up_in_order_and_tear_down_in_reverse(events: list[str]) -> None:
    response = TestClient(dependencies_002.app).get("/books/1")
    assert response.json() == {"title": "Dune"}
    assert events == [
        "session: open",
        "repository: ready",
        "endpoint",
        "repository: done",
        "session: close",
    ]


def test_an_exception_reaches_the_yield_dependencies(events: list[str]) -> None:
    response = TestClient(dependencies_002.app).get("/books/9")
    assert (response.status_code, response.json()) == (404, {"detail": "No such book"})
    assert events == [
        "session: open",
        "repository: ready",
        "endpoint",
        "session: rollback after 404",
        "session: close",
    ]


def test_the_teardown_order_is_fastapis() -> None:
    twin = on_fastapi(dependencies_002)
    for url in ["/books/1", "/books/9"]:
        dependencies_002.events.clear()
        twin.events.clear()
        TestClient(dependencies_002.app).get(url)
        TestClient(twin.app).get(url)
        assert dependencies_002.events == twin.events


def test_a_dependency_runs_once_per_request() -> None:
    client = TestClient(dependencies_003.app)
    first = client.get("/orders/cached").json()
    assert first["entry"] == f"audit #{first['number']}"
    second = client.get("/orders/cached").json()
    assert second["number"] == first["number"] + 1


def test_use_cache_false_calls_it_again() -> None:
    answer = TestClient(dependencies_003.app).get("/orders/fresh").json()
    assert answer["second"] == answer["first"] + 1


def test_app_and_router_dependencies() -> None:
    dependencies_004.seen.clear()
    client = TestClient(dependencies_004.app)
    assert client.get("/books").status_code == 200
    denied = client.delete("/staff/books/1", headers={"x-staff-key": "guess"})
    assert (denied.status_code, denied.json()) == (403, {"detail": "Staff only"})
    assert client.delete("/staff/books/1", headers={"x-staff-key": "open-sesame"}).status_code == 204
    report = client.get("/staff/report", headers={"x-staff-key": "open-sesame"})
    assert report.json() == ["/books", "/staff/books/1", "/staff/books/1", "withdrawn 1", "/staff/report"]
    # a router dependency's header is documented on each of the router's operations, only there
    paths = dependencies_004.app.openapi()["paths"]
    assert [p["name"] for p in paths["/staff/report"]["get"]["parameters"]] == ["x-staff-key"]
    assert "parameters" not in paths["/books"]["get"]


def test_the_override_example_passes_and_cleans_up() -> None:
    dependencies_005.test_staff_routes_without_the_real_key()
    assert dependencies_004.app.dependency_overrides == {}


def test_the_examples_behave_as_on_fastapi() -> None:
    assert_same_as_fastapi(
        dependencies_001,
        [("GET", "/books?q=e&limit=2&offset=1", {}), ("GET", "/authors?offset=x&limit=0", {})],
    )
    assert_same_as_fastapi(dependencies_002, [("GET", "/books/2", {}), ("GET", "/books/3", {})])
    dependencies_004.seen.clear()  # the copy on FastAPI starts with nothing seen
    assert_same_as_fastapi(
        dependencies_004,
        [
            ("GET", "/books", {}),
            ("DELETE", "/staff/books/1", {}),
            ("DELETE", "/staff/books/1", {"headers": {"x-staff-key": "no"}}),
            ("GET", "/staff/report", {"headers": {"x-staff-key": "open-sesame"}}),
        ],
    )
    twin = on_fastapi(dependencies_003)
    assert isinstance(twin, types.ModuleType)
    for url in ["/orders/cached", "/orders/fresh"]:
        ours = TestClient(dependencies_003.app).get(url).json()
        theirs = TestClient(twin.app).get(url).json()
        assert set(ours) == set(theirs)
        assert len(set(ours.values())) == len(set(theirs.values()))
