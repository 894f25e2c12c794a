"""Regressions found by the ecosystem matrix (tests/ecosystem/suites.py, docs/ecosystem.md):
what an extension's own suite relied on, checked here on Accord and on FastAPI 0.163.2."""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

import pytest
from starlette.routing import Match
from starlette.testclient import TestClient
from starlette.types import Scope


@pytest.fixture(params=["accord", "fastapi"])
def fw(request: pytest.FixtureRequest) -> ModuleType:
    return importlib.import_module(request.param)


def _app_with_a_picky_route_class(fw: ModuleType, asked: list[str]) -> Any:
    """An app whose included router's route class `matches` only what a middleware marked."""
    routing = importlib.import_module(f"{fw.__name__}.routing")

    class NeedsMiddleware(routing.APIRoute):  # type: ignore[misc, name-defined]
        def matches(self, scope: Scope) -> tuple[Match, Scope]:
            asked.append(scope["path"])
            assert "set_by_middleware" in scope
            return super().matches(scope)  # type: ignore[no-any-return]

    app = fw.FastAPI()
    router = fw.APIRouter(route_class=NeedsMiddleware)

    @router.get("/items/{item_id}")
    def read(item_id: int) -> int:
        return item_id

    app.include_router(router, prefix="/shop")
    return app


def test_an_included_route_context_matches_without_its_route_class_override(
    fw: ModuleType,
) -> None:
    # opentelemetry-instrumentation-fastapi asks which route a scope is for from outside the
    # app's middleware; a route class whose `matches` needs what a middleware put in the scope
    # is not consulted there (16 of its tests).
    asked: list[str] = []
    app = _app_with_a_picky_route_class(fw, asked)
    routing = importlib.import_module(f"{fw.__name__}.routing")
    contexts = [c for c in routing.iter_route_contexts(app.routes) if c.path == "/shop/items/{item_id}"]
    assert len(contexts) == 1
    context = contexts[0]
    scope = {"type": "http", "method": "GET", "path": "/shop/items/3", "root_path": ""}
    match, child = context.matches(scope)
    assert match is Match.FULL
    assert child["path_params"] == {"item_id": "3"}
    assert context.matches({**scope, "method": "POST"})[0] is Match.PARTIAL
    assert context.matches({**scope, "path": "/items/3"})[0] is Match.NONE
    assert asked == []


def test_the_router_asks_a_route_class_that_overrides_matches(fw: ModuleType) -> None:
    # When it dispatches a request, the router calls the route class's own `matches`, as
    # Starlette's does: here it refuses a scope the middleware did not mark.
    asked: list[str] = []
    with pytest.raises(AssertionError):
        TestClient(_app_with_a_picky_route_class(fw, asked)).get("/shop/items/3")
    assert asked == ["/shop/items/3"]

    app = _app_with_a_picky_route_class(fw, asked)

    @app.middleware("http")
    async def mark(request: Any, call_next: Any) -> Any:
        request.scope["set_by_middleware"] = True
        return await call_next(request)

    before = len(asked)
    response = TestClient(app).get("/shop/items/3")
    assert (response.status_code, response.json()) == (200, 3)
    assert len(asked) > before  # FastAPI asks twice (its include node, then the route)
