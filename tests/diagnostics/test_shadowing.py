"""Unreachable routes: a route whose every request an earlier route already matches."""

import pytest
from starlette.routing import Route
from starlette.testclient import TestClient

from accord import Accord, APIRouter
from accord._compiler.shadowing import RouterIndex, covers, shape_of

from .conftest import declaration_warnings


def _endpoint() -> None: ...


def _covers(earlier: str, later: str, earlier_methods=("GET",), later_methods=("GET",)) -> bool:
    first = shape_of(Route(earlier, _endpoint, methods=list(earlier_methods)), 0)
    second = shape_of(Route(later, _endpoint, methods=list(later_methods)), 1)
    assert first is not None and second is not None
    return covers(first, second)


@pytest.mark.parametrize(
    ("earlier", "later"),
    [
        ("/items/{item_id}", "/items/me"),
        ("/items/{item_id}", "/items/{name}"),
        ("/items/{item_id}", "/items/{n:int}"),
        ("/items/{item_id}", "/items/{name}.json"),
        ("/items/{n:int}", "/items/42"),
        ("/items/{n:int}", "/items/{m:int}"),
        ("/items/{x:float}", "/items/{n:int}"),
        ("/items/{x:float}", "/items/1.5"),
        ("/files/{rest:path}", "/files/a/b/{c}"),
        ("/files/{rest:path}", "/files/{other:path}"),
        ("/files/{rest:path}", "/files/"),
        ("/{a}/{b}", "/users/{user_id}"),
        ("/items", "/items"),
        ("/items/{name}.json", "/items/{other}.json"),
        ("/items/{name}.json", "/items/x.json"),
        ("/{name}.json/{x}", "/a.json/{y}"),
        ("/items/{n:int}/{x}", "/items/42/{y}"),
    ],
)
def test_covered(earlier: str, later: str) -> None:
    assert _covers(earlier, later)


@pytest.mark.parametrize(
    ("earlier", "later"),
    [
        ("/items/me", "/items/{item_id}"),
        ("/items/{n:int}", "/items/me"),
        ("/items/{n:int}", "/items/{name}"),
        ("/items/{n:int}", "/items/{x:float}"),
        ("/items/{item_id}", "/items/{rest:path}"),
        ("/items/{item_id}", "/items/"),
        ("/items/{item_id}", "/items/a/b"),
        ("/files/{rest:path}", "/files"),
        ("/files/{rest:path}", "/other/x"),
        ("/items/{name}.json", "/items/{name}"),
        ("/items/{name}.json", "/items/x.xml"),
        ("/items", "/items/"),
        ("/{a}/{b}", "/users"),
        ("/{name}.json/{x}", "/a.xml/{y}"),
        ("/items/{n:int}/{x}", "/items/me/{y}"),
    ],
)
def test_not_covered(earlier: str, later: str) -> None:
    assert not _covers(earlier, later)


def test_methods_must_be_covered_too() -> None:
    assert _covers("/a/{x}", "/a/b", ("GET", "POST"), ("POST",))
    assert not _covers("/a/{x}", "/a/b", ("GET",), ("POST",))
    assert not _covers("/a/{x}", "/a/b", ("GET",), ("GET", "POST"))


def test_a_route_without_methods_covers_and_is_covered_only_by_one_without() -> None:
    every = shape_of(Route("/a/{x}", _endpoint), 0)
    assert every is not None and every.methods is not None  # Starlette's default: GET, HEAD
    anything = shape_of(Route("/a/{x}", _endpoint, methods=None), 0)
    assert anything is not None
    raw = Route("/a/b", _endpoint)
    raw.methods = None  # a route answering every method (a subclass may do this)
    later = shape_of(raw, 1)
    assert later is not None and later.methods is None
    assert not covers(every, later)


def test_mid_path_convertor_and_mounts_are_not_analysed() -> None:
    assert shape_of(Route("/{p:path}/edit", _endpoint), 0) is None
    from starlette.routing import Mount

    assert shape_of(Mount("/static", app=_endpoint), 0) is None


def test_index_picks_the_first_shadowing_route_by_registration_order() -> None:
    index = RouterIndex()
    first = Route("/items/{item_id}", _endpoint, methods=["GET"])
    second = Route("/{section}/me", _endpoint, methods=["GET"])
    for route in (Route("/other", _endpoint), second, first):
        assert index.add(route) is None
    assert index.add(Route("/items/me", _endpoint, methods=["GET"])) is second
    assert index.count == 4


# -- through the app ----------------------------------------------------------------------


def test_shadowed_route_warns_with_both_routes_and_the_fix() -> None:
    app = Accord(diagnostics="warn")
    with declaration_warnings() as messages:

        @app.get("/items/{item_id}")
        def read_item(item_id: str) -> dict[str, str]:
            return {"item": item_id}

        @app.get("/items/me")
        def read_me() -> dict[str, str]:
            return {"me": "yes"}

    assert messages == [
        "GET /items/me ('read_me') is unreachable: the earlier route GET /items/{item_id} "
        "('read_item') matches every request it would match, and routes are tried in the "
        "order they are registered. Fix: register GET /items/me before GET /items/{item_id} "
        "(define it earlier, or include its router first), or change one of the paths."
    ]
    # What the warning is about: the later route is never served.
    assert TestClient(app).get("/items/me").json() == {"item": "me"}


def test_the_right_order_and_other_methods_are_silent() -> None:
    app = Accord(diagnostics="warn")
    with declaration_warnings() as messages:

        @app.get("/items/me")
        def read_me() -> None: ...

        @app.get("/items/{item_id}")
        def read_item(item_id: str) -> None: ...

        @app.delete("/items/all")
        def delete_all() -> None: ...

        @app.get("/users/{user_id:int}")
        def user(user_id: int) -> None: ...

        @app.get("/users/me")
        def user_me() -> None: ...

    assert messages == []
    client = TestClient(app)
    assert client.delete("/items/all").status_code == 200
    assert client.get("/users/me").status_code == 200


def test_shadowing_across_include_router_warns_once() -> None:
    app = Accord(diagnostics="warn")
    with declaration_warnings() as messages:
        router = APIRouter(prefix="/users")

        @router.get("/{user_id}")
        def user(user_id: str) -> None: ...

        @router.get("/me")
        def me() -> None: ...

        app.include_router(router)
        app.include_router(router, prefix="/v2")

    assert len(messages) == 1
    assert messages[0].startswith("GET /users/me ('me') is unreachable")


def test_a_later_include_shadowed_by_an_app_route_warns() -> None:
    app = Accord(diagnostics="warn")
    with declaration_warnings() as messages:

        @app.get("/{page}")
        def page(page: str) -> None: ...

        router = APIRouter()

        @router.get("/about")
        def about() -> None: ...

        app.include_router(router)

    assert len(messages) == 1
    assert "GET /about ('about') is unreachable: the earlier route GET /{page}" in messages[0]


def test_routes_replaced_by_hand_start_the_index_over() -> None:
    app = Accord(diagnostics="warn")
    with declaration_warnings() as messages:

        @app.get("/items/{item_id}")
        def read_item(item_id: str) -> None: ...

        app.router.routes.clear()

        @app.get("/items/me")
        def read_me() -> None: ...

    assert messages == []


def test_the_docs_routes_shadow_a_user_route_of_the_same_path() -> None:
    app = Accord(diagnostics="warn")
    with declaration_warnings() as messages:

        @app.get("/docs")
        def docs() -> None: ...

    assert len(messages) == 1
    assert messages[0].startswith("GET /docs ('docs') is unreachable: the earlier route")
