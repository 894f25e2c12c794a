"""Router-scoped middleware: only the router's routes, wherever the router is included."""

from typing import Annotated, Any

import pytest
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import Response
from starlette.testclient import TestClient
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from accord import APIRouter, FastAPI, HTTPException, Query, WebSocket
from accord._runtime.runner import RouteRunner
from accord.routing import APIRoute


class Trace:
    """Appends its name to the `x-trace` header and to a call log."""

    def __init__(self, app: ASGIApp, name: str, log: list[str]) -> None:
        self.app = app
        self.name = name
        self.log = log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.log.append(self.name)

        async def traced(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message["headers"], (b"x-trace", self.name.encode())]
            await send(message)

        await self.app(scope, receive, traced)


def build(log: list[str]) -> FastAPI:
    inner = APIRouter(prefix="/inner", middleware=[Middleware(Trace, name="inner", log=log)])
    outer = APIRouter(
        prefix="/outer",
        middleware=[
            Middleware(Trace, name="outer-1", log=log),
            Middleware(Trace, name="outer-2", log=log),
        ],
    )
    plain = APIRouter(prefix="/plain")

    @inner.get("/item")
    def item(n: Annotated[int, Query()] = 1) -> int:
        return n

    @inner.get("/missing")
    def missing() -> None:
        raise HTTPException(404, "gone")

    @outer.get("/own")
    def own() -> str:
        return "own"

    @plain.get("/free")
    def free() -> str:
        return "free"

    outer.include_router(inner)
    plain.include_router(inner)
    app = FastAPI(middleware=[Middleware(Trace, name="app", log=log)])
    app.include_router(outer)
    app.include_router(plain)

    @app.get("/top")
    def top() -> str:
        return "top"

    return app


@pytest.fixture
def log() -> list[str]:
    return []


@pytest.fixture
def client(log: list[str]) -> TestClient:
    return TestClient(build(log))


def test_nested_routers_wrap_outermost_first(client: TestClient, log: list[str]) -> None:
    response = client.get("/outer/inner/item?n=3")
    assert response.json() == 3
    assert log == ["app", "outer-1", "outer-2", "inner"]
    assert response.headers.get_list("x-trace") == ["inner", "outer-2", "outer-1", "app"]


def test_router_included_in_two_places_keeps_only_its_own_there(
    client: TestClient, log: list[str]
) -> None:
    response = client.get("/plain/inner/item")
    assert response.json() == 1
    assert log == ["app", "inner"]


def test_other_routes_are_untouched(client: TestClient, log: list[str]) -> None:
    assert client.get("/outer/own").headers.get_list("x-trace") == ["outer-2", "outer-1", "app"]
    assert client.get("/plain/free").headers.get_list("x-trace") == ["app"]
    assert client.get("/top").headers.get_list("x-trace") == ["app"]


def test_router_middleware_see_error_responses_of_the_app_handlers(client: TestClient) -> None:
    missing = client.get("/outer/inner/missing")
    assert missing.status_code == 404
    assert missing.headers.get_list("x-trace") == ["inner", "outer-2", "outer-1", "app"]
    invalid = client.get("/outer/inner/item?n=x")
    assert invalid.status_code == 422
    assert invalid.headers.get_list("x-trace") == ["inner", "outer-2", "outer-1", "app"]


def test_unused_features_leave_the_bare_runner(log: list[str]) -> None:
    app = build(log)
    by_path = {route.path: route for route in app.routes if isinstance(route, APIRoute)}
    assert isinstance(by_path["/top"].app, RouteRunner)
    assert isinstance(by_path["/plain/free"].app, RouteRunner)
    assert type(by_path["/plain/inner/item"].app) is Trace


def test_base_http_middleware_on_a_router() -> None:
    async def stamp(request: Request, call_next: RequestResponseEndpoint) -> Response:
        response = await call_next(request)
        response.headers["x-router"] = request.url.path
        return response

    router = APIRouter(middleware=[Middleware(BaseHTTPMiddleware, dispatch=stamp)])

    @router.get("/hello")
    async def hello() -> dict[str, str]:
        return {"hello": "world"}

    app = FastAPI()
    app.include_router(router, prefix="/v1")
    response = TestClient(app).get("/v1/hello")
    assert response.json() == {"hello": "world"}
    assert response.headers["x-router"] == "/v1/hello"


def test_late_route_on_an_included_router_gets_the_middleware(log: list[str]) -> None:
    router = APIRouter(middleware=[Middleware(Trace, name="r", log=log)])
    app = FastAPI()
    app.include_router(router)

    @router.get("/late")
    def late() -> str:
        return "late"

    assert TestClient(app).get("/late").headers.get_list("x-trace") == ["r"]


def test_websocket_route_passes_through_router_middleware(log: list[str]) -> None:
    router = APIRouter(middleware=[Middleware(Trace, name="ws", log=log)])

    @router.websocket("/ws")
    async def ws(websocket: WebSocket) -> None:
        await websocket.accept()
        await websocket.send_text("hi")
        await websocket.close()

    app = FastAPI()
    app.include_router(router)
    with TestClient(app).websocket_connect("/ws") as conn:
        assert conn.receive_text() == "hi"
    assert log == ["ws"]


def test_custom_route_class_in_a_router_with_middleware(log: list[str]) -> None:
    class Custom(APIRoute):
        def get_route_handler(self) -> Any:
            handler = super().get_route_handler()

            async def wrapped(request: Request) -> Response:
                response: Response = await handler(request)
                response.headers["x-custom"] = "yes"
                return response

            return wrapped

    router = APIRouter(route_class=Custom, middleware=[Middleware(Trace, name="c", log=log)])

    @router.get("/")
    def read() -> str:
        return "ok"

    app = FastAPI()
    app.include_router(router)
    response = TestClient(app).get("/")
    assert (response.json(), response.headers["x-custom"]) == ("ok", "yes")
    assert response.headers.get_list("x-trace") == ["c"]


def test_openapi_is_the_same_with_and_without_router_middleware_and_handlers(
    log: list[str],
) -> None:
    def make(**scoped: Any) -> dict[str, Any]:
        router = APIRouter(prefix="/r", **scoped)

        @router.get("/{item_id}")
        def read(item_id: int, q: str | None = None) -> dict[str, Any]:
            return {}  # pragma: no cover

        app = FastAPI()
        app.include_router(router)
        return app.openapi()

    plain = make()
    scoped = make(
        middleware=[Middleware(Trace, name="x", log=log)],
        exception_handlers={ValueError: lambda request, exc: None},
    )
    assert plain == scoped
