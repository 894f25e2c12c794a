"""`routing.iter_route_contexts()` (FastAPI 0.163): each served route with the route it was
declared as; compared with FastAPI 0.163.2 on nested includes, WebSocket routes and an include
into a router that was already included."""

from typing import Any

import fastapi
import fastapi.routing
import fastapi.testclient

import accord
import accord.routing
import accord.testclient


def build(fw: Any) -> Any:
    app = fw.FastAPI()
    inner = fw.APIRouter(prefix="/in")

    @inner.get("/a/{x}", name="a")
    def a(x: int) -> int:
        return x

    @inner.websocket("/ws")
    async def ws(websocket: fw.WebSocket) -> None:
        await websocket.close()

    outer = fw.APIRouter()
    outer.include_router(inner, prefix="/o")
    app.include_router(outer, prefix="/api")
    late = fw.APIRouter()
    app.include_router(late, prefix="/late")
    deeper = fw.APIRouter()

    @deeper.get("/d")
    def d() -> int:
        return 2

    late.include_router(deeper, prefix="/deeper")

    @app.get("/top")
    def top() -> int:
        return 1

    return app


def rows(fw: Any, app: Any) -> list[tuple[Any, ...]]:
    found = []
    for context in fw.routing.iter_route_contexts(app.routes):
        if context.name == "docs_static":  # Accord's offline docs assets, not in FastAPI
            continue
        declared = context.original_route
        found.append(
            (
                type(context.route).__name__,
                context.path,
                context.path_format,
                context.name,
                sorted(context.methods or []),
                getattr(context.endpoint, "__name__", None),
                context.original_route is context.route,
                getattr(declared, "path", None),
            )
        )
    return found


def test_the_contexts_are_fastapis() -> None:
    assert rows(accord, build(accord)) == rows(fastapi, build(fastapi))


def test_a_context_serves_the_included_path_and_keeps_the_declared_route() -> None:
    app = build(accord)
    contexts = {c.name: c for c in accord.routing.iter_route_contexts(app.routes)}
    assert contexts["a"].path == "/api/o/in/a/{x}"
    assert contexts["a"].original_route.path == "/in/a/{x}"  # type: ignore[attr-defined]
    assert contexts["a"].response_class is not None  # other attributes: the served route's
    assert contexts["d"].path == "/late/deeper/d"
    again = list(accord.routing.iter_route_contexts(list(contexts.values())))
    assert again == list(contexts.values())


def test_a_route_added_to_an_included_router_keeps_the_include_position() -> None:
    # The first match decides: a route registered on a router after it was included still
    # comes before the routes the app registered after the include, as in FastAPI.
    answers = []
    for fw, client_class in (
        (accord, accord.testclient.TestClient),
        (fastapi, fastapi.testclient.TestClient),
    ):
        app = fw.FastAPI()
        late = fw.APIRouter()

        @late.get("/first")
        def first() -> str:
            return "first"

        app.include_router(late, prefix="/x")

        @app.get("/x/{anything}")
        def catch_all(anything: str) -> str:
            return f"catch-all {anything}"

        @late.get("/second")
        def second() -> str:
            return "second"

        client = client_class(app)
        answers.append([client.get(p).json() for p in ("/x/first", "/x/second", "/x/third")])
    assert answers[0] == answers[1] == [["first", "second", "catch-all third"][i] for i in range(3)]
