"""The route table's static-path index: built per first segment, with the same answers.

A static path can only be matched by the routes of its own first segment (or routes whose first
segment is a parameter), so the table tries only those when it indexes the path. Counting the
regex checks keeps the index from growing quadratic with the number of routes again.
"""

from __future__ import annotations

import pytest

from accord import APIRouter, FastAPI
from accord._routing import table
from accord.testclient import TestClient


def _app(routers: int, per_router: int) -> FastAPI:
    app = FastAPI(openapi_url=None)  # no docs routes: only the ones below
    for number in range(routers):
        router = APIRouter()
        for i in range(per_router):
            router.add_api_route(f"/items{i}", lambda i=i: {"item": i}, name=f"list{i}")
            router.add_api_route(f"/items{i}/{{item_id}}", lambda item_id, i=i: [i, item_id])
        app.include_router(router, prefix=f"/v{number}")
    app.add_api_route("/{anything}/items0", lambda anything: {"fallback": anything})
    return app


def test_static_paths_are_indexed_against_their_segment_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    checks = 0
    may_match = table._may_match

    def counted(entry: table.Entry, path: str) -> bool:
        nonlocal checks
        checks += 1
        return may_match(entry, path)

    monkeypatch.setattr(table, "_may_match", counted)
    app = _app(routers=20, per_router=25)
    built = table.RouteTable(app.router.routes)
    built.build_all()
    # 500 static paths; each tried against its own router's 50 routes plus the one route
    # whose first segment is a parameter: 500 * 51. Every route against every path: 500 * 1001.
    assert checks == 500 * 51
    assert len(built.static) == 500


def test_answers_are_those_of_the_route_order() -> None:
    client = TestClient(_app(routers=3, per_router=4))
    assert client.get("/v1/items2").json() == {"item": 2}
    assert client.get("/v2/items3/9").json() == [3, "9"]
    # The parameter route comes last: a static route of the segment wins, else it answers.
    assert client.get("/v0/items0").json() == {"item": 0}
    assert client.get("/other/items0").json() == {"fallback": "other"}
    assert client.get("/v0/missing").status_code == 404


def test_a_segment_is_built_when_first_asked_for() -> None:
    app = _app(routers=20, per_router=25)
    routes = [route for route in app.router.routes if getattr(route, "path", "").startswith("/v")]
    client = TestClient(app)
    assert client.get("/v3/items7/1").json() == [7, "1"]
    compiled = {route.path for route in routes if "_path_regex" in vars(route)}
    # Only the 50 routes under /v3 had their regex compiled (and the parameter route).
    assert compiled == {f"/v3/items{i}" for i in range(25)} | {
        f"/v3/items{i}/{{item_id}}" for i in range(25)
    }
    built = app.router._table
    assert built is not None and set(built.by_segment) == {"v3"}
    assert client.get("/v3/items7").json() == {"item": 7}  # the static index of /v3 was built
    assert "/v3/items7" in built.static
    assert client.get("/v4/items0").json() == {"item": 0}
    assert set(built.by_segment) == {"v3", "v4"}
