"""Regressions found by the ecosystem matrix (tests/ecosystem/suites.py, docs/ecosystem.md):
what an extension's own suite relied on, checked here on Accord and on FastAPI 0.163.2."""

from __future__ import annotations

import functools
import importlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from types import ModuleType
from typing import Any

import pytest
from starlette.requests import Request
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


def test_merge_lifespan_context_as_tortoise_orm_uses_it(fw: ModuleType) -> None:
    # tortoise-orm's `register_tortoise` wraps the app's lifespan with FastAPI's private
    # `_merge_lifespan_context` (fastapi-pagination's Tortoise tests: 144 lost without it).
    routing = importlib.import_module(f"{fw.__name__}.routing")
    entered: list[str] = []

    @asynccontextmanager
    async def original(app: Any) -> AsyncIterator[dict[str, str]]:
        entered.append("original")
        yield {"who": "original", "original": "yes"}
        entered.append("original done")

    @asynccontextmanager
    async def orm(app: Any) -> AsyncIterator[dict[str, str]]:
        entered.append("orm")
        yield {"who": "orm", "orm": "yes"}
        entered.append("orm done")

    app = fw.FastAPI(lifespan=original)

    @app.get("/state")
    def state(request: Request) -> dict[str, str]:
        return {key: getattr(request.state, key) for key in ("who", "original", "orm")}

    app.router.lifespan_context = routing._merge_lifespan_context(orm, app.router.lifespan_context)
    with TestClient(app) as client:
        # The first argument is entered first, and its state wins.
        assert client.get("/state").json() == {"who": "orm", "original": "yes", "orm": "yes"}
    assert entered == ["orm", "original", "original done", "orm done"]


def test_an_async_wrapper_of_a_def_endpoint_is_awaited(fw: ModuleType) -> None:
    # fastapi-cache2's `@cache` wraps a `def` endpoint in an `async def` with functools.wraps:
    # the wrapper is what is called, so it is awaited, not sent to the thread pool (2 of the
    # fastapi-cache2 tests).
    calls: list[str] = []

    def as_async(func: Any) -> Any:
        @functools.wraps(func)
        async def wrapper(*args: Any, **kwargs: Any) -> Any:
            calls.append(func.__name__)
            return func(*args, **kwargs)

        return wrapper

    @as_async
    def limit() -> int:
        return 10

    app = fw.FastAPI()

    @app.get("/sync-me")
    @as_async
    def sync_me(limit: int = fw.Depends(limit)) -> dict[str, int]:
        return {"answer": 42, "limit": limit}

    response = TestClient(app).get("/sync-me")
    assert (response.status_code, response.json()) == (200, {"answer": 42, "limit": 10})
    assert calls == ["limit", "sync_me"]


def test_only_a_user_override_of_matches_leaves_the_route_tables_fast_path() -> None:
    # Accord's own APIRoute.matches (the route in the child scope) keeps the compiled regex
    # path; a route class of the application's that overrides matches is asked per request.
    from accord import APIRouter
    from accord._routing.table import GENERIC, HTTP, _entry
    from accord.routing import APIRoute

    class Picky(APIRoute):
        def matches(self, scope: Scope) -> tuple[Match, Scope]:
            return super().matches(scope)

    class Named(APIRoute):  # overrides something else: still the fast path
        pass

    kinds = {}
    for route_class in (APIRoute, Picky, Named):
        router = APIRouter(route_class=route_class)
        router.add_api_route("/x", lambda: 1)
        kinds[route_class.__name__] = _entry(router.routes[0]).kind
    assert kinds == {"APIRoute": HTTP, "Picky": GENERIC, "Named": HTTP}



def _probe(fw: ModuleType) -> tuple[Any, dict[str, Any]]:
    """An endpoint noting what `_get_scope_effective_route_context` tells it, and its notes."""
    routing = importlib.import_module(f"{fw.__name__}.routing")
    seen: dict[str, Any] = {}

    async def endpoint(request: Request) -> None:
        scope = request.scope
        context = routing._get_scope_effective_route_context(scope)
        strict = context.strict_content_type if context else scope["route"].strict_content_type
        seen.update(
            declared=context is not None and context.original_route is scope["route"],
            strict=getattr(strict, "value", strict),
            path=context.path if context else scope["route"].path,
        )

    return endpoint, seen


def _app_at(fw: ModuleType, level: str, endpoint: Any) -> Any:
    """An app serving `endpoint` at POST /e with `strict_content_type=False` set at `level`."""
    inner = fw.APIRouter()
    inner.post("/e")(endpoint)
    outer = fw.APIRouter(strict_content_type=False)
    if level == "direct":
        app = fw.FastAPI(strict_content_type=False)
        app.post("/e")(endpoint)
    elif level == "app":
        app = fw.FastAPI(strict_content_type=False)
        app.include_router(inner)
    elif level == "outer":
        app = fw.FastAPI()
        outer.include_router(inner)
        app.include_router(outer)
    elif level == "mounted":
        app = fw.FastAPI()
        outer.include_router(inner)
        app.mount("", outer)
    else:  # the same router under prefixes (/q/p/e), and included as it is (/e)
        app = fw.FastAPI()
        outer.include_router(inner, prefix="/p")
        app.include_router(outer, prefix="/q")
        app.include_router(inner)
    return app


def test_the_effective_route_context_of_an_included_route_as_in_fastapi(fw: ModuleType) -> None:
    # cadwyn reads `strict_content_type` of the route serving a request from its effective
    # route context: ``scope["route"]`` is the route as declared (options not merged), and
    # the context is the route as the include serves it (6 of cadwyn's body-reading tests).
    found = {}
    for level, path in (("direct", "/e"), ("app", "/e"), ("outer", "/e"), ("mounted", "/e"),
                        ("twice", "/q/p/e"), ("twice", "/e")):
        endpoint, seen = _probe(fw)
        assert TestClient(_app_at(fw, level, endpoint)).post(path).status_code == 200
        found[level, path] = seen
    assert found == {
        ("direct", "/e"): {"declared": False, "strict": False, "path": "/e"},
        ("app", "/e"): {"declared": True, "strict": False, "path": "/e"},
        ("outer", "/e"): {"declared": True, "strict": False, "path": "/e"},
        ("mounted", "/e"): {"declared": True, "strict": False, "path": "/e"},
        ("twice", "/q/p/e"): {"declared": True, "strict": False, "path": "/q/p/e"},
        ("twice", "/e"): {"declared": True, "strict": True, "path": "/e"},
    }


class _Unhashable:
    """A callable override that cannot be hashed (it defines `__eq__` only)."""

    def __init__(self, value: str) -> None:
        self.value = value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Unhashable) and other.value == self.value

    def __call__(self) -> str:
        return self.value


def test_an_override_need_not_be_hashable(fw: ModuleType) -> None:
    # FastAPI looks overrides up by the dependency they replace; the replacement is only
    # called (cadwyn's tests override with such an object).
    def dependency() -> str:
        return "original"

    app = fw.FastAPI()

    @app.get("/")
    def read(value: str = fw.Depends(dependency)) -> str:
        return value

    client = TestClient(app)
    app.dependency_overrides[dependency] = _Unhashable("first")
    first = client.get("/").json()
    app.dependency_overrides[dependency] = _Unhashable("second")
    assert (first, client.get("/").json()) == ("first", "second")


def test_a_declared_route_deep_copies_without_its_included_copies(fw: ModuleType) -> None:
    # cadwyn deep-copies the routes of a router for each API version; what Accord keeps on a
    # declared route to find its included copies (the routers they are on, which may hold
    # what cannot be copied, a ContextVar here) is not copied with it.
    import copy
    from contextvars import ContextVar

    router = fw.APIRouter()
    router.version = ContextVar("version")  # type: ignore[attr-defined]

    @router.get("/items")
    def items() -> list[int]:
        return [1]

    outer = fw.APIRouter()
    outer.version = router.version  # type: ignore[attr-defined]
    outer.include_router(router)
    app = fw.FastAPI()
    app.include_router(outer)
    copied = copy.deepcopy(router.routes[0])
    assert copied.path == "/items" and copied is not router.routes[0]
    assert TestClient(app).get("/items").json() == [1]
