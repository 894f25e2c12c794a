"""`APIRoute.matches` as FastAPI 0.163.2 has it: a route that matches (fully, or by path only)
puts itself in the child scope as ``"route"``, for routers that match routes themselves
(cadwyn's version router reads ``scope["route"]`` while serving the request)."""

from typing import Any

import fastapi
import pytest
from starlette.routing import Match

import accord


def routes(fw: Any) -> tuple[Any, Any]:
    app = fw.FastAPI()

    @app.get("/items/{item_id}")
    def read_item(item_id: int) -> int:
        return item_id

    @app.websocket("/ws")
    async def socket(websocket: fw.WebSocket) -> None:
        await websocket.close()

    return app.routes[-2], app.routes[-1]


SCOPES: dict[str, dict[str, Any]] = {
    "full": {"type": "http", "path": "/items/3", "method": "GET"},
    "partial": {"type": "http", "path": "/items/3", "method": "POST"},
    "none": {"type": "http", "path": "/other", "method": "GET"},
    "websocket": {"type": "websocket", "path": "/ws"},
}


def matched(route: Any, name: str) -> tuple[Match, bool, dict[str, Any]]:
    scope = {"root_path": "", "query_string": b"", "headers": [], **SCOPES[name]}
    match, child = route.matches(scope)
    return match, child.get("route") is route, child.get("path_params", {})


@pytest.mark.parametrize("name", SCOPES)
def test_matching_is_fastapis(name: str) -> None:
    ours = [matched(route, name) for route in routes(accord)]
    theirs = [matched(route, name) for route in routes(fastapi)]
    assert ours == theirs


def test_a_matching_route_is_in_the_child_scope() -> None:
    http, websocket = routes(accord)
    assert matched(http, "full") == (Match.FULL, True, {"item_id": "3"})
    assert matched(http, "partial")[:2] == (Match.PARTIAL, True)
    assert matched(http, "none")[:2] == (Match.NONE, False)
    assert matched(websocket, "websocket")[:2] == (Match.FULL, True)
