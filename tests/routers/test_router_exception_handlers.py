"""Router-scoped exception handlers: only the router's routes (and routers it includes)."""

from typing import Annotated, Any

import pytest
from starlette.middleware import Middleware
from starlette.testclient import TestClient
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.websockets import WebSocketDisconnect

from accord import APIRouter, FastAPI, HTTPException, Query, Request, WebSocket
from accord.exceptions import AccordError
from accord.responses import JSONResponse, PlainTextResponse


class PaymentError(Exception):
    pass


class CardDeclined(PaymentError):
    pass


def answer(name: str, status: int = 402) -> Any:
    async def handler(request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse({"by": name, "error": type(exc).__name__}, status_code=status)

    return handler


def build() -> FastAPI:
    inner = APIRouter(prefix="/inner", exception_handlers={CardDeclined: answer("inner")})
    outer = APIRouter(prefix="/outer")

    @outer.exception_handler(PaymentError)
    def outer_handler(request: Request, exc: PaymentError) -> JSONResponse:  # sync: thread pool
        return JSONResponse({"by": "outer", "error": type(exc).__name__}, status_code=402)

    @inner.get("/declined")
    def declined() -> None:
        raise CardDeclined()

    @inner.get("/payment")
    def payment() -> None:
        raise PaymentError()

    @inner.get("/missing")
    def missing() -> None:
        raise HTTPException(404, "no such card")

    @inner.get("/validated")
    def validated(n: Annotated[int, Query()]) -> int:
        return n  # pragma: no cover

    outer.include_router(inner)
    app = FastAPI()
    app.include_router(outer)
    app.include_router(inner, prefix="/direct")

    @app.get("/plain")
    def plain() -> None:
        raise CardDeclined()

    return app


@pytest.fixture
def client() -> TestClient:
    return TestClient(build(), raise_server_exceptions=False)


def test_closest_router_handles_its_exception(client: TestClient) -> None:
    response = client.get("/outer/inner/declined")
    assert response.status_code == 402
    assert response.json() == {"by": "inner", "error": "CardDeclined"}


def test_outer_router_handles_what_the_inner_one_does_not(client: TestClient) -> None:
    assert client.get("/outer/inner/payment").json() == {"by": "outer", "error": "PaymentError"}


def test_app_handlers_still_apply_inside_routers(client: TestClient) -> None:
    missing = client.get("/outer/inner/missing")
    assert (missing.status_code, missing.json()) == (404, {"detail": "no such card"})
    invalid = client.get("/outer/inner/validated?n=x")
    assert invalid.status_code == 422
    assert invalid.json()["detail"][0]["loc"] == ["query", "n"]


def test_handlers_follow_the_router_wherever_it_is_included(client: TestClient) -> None:
    assert client.get("/direct/inner/declined").json() == {"by": "inner", "error": "CardDeclined"}
    # Included directly, the routes are not under `outer`: its handler does not apply.
    assert client.get("/direct/inner/payment").status_code == 500


def test_routes_outside_the_router_are_not_affected(client: TestClient) -> None:
    assert client.get("/plain").status_code == 500


def test_most_specific_handler_wins_closest_router_on_a_tie() -> None:
    router = APIRouter(
        exception_handlers={Exception: answer("router catch-all", 418), 404: answer("router 404")}
    )

    @router.get("/boom")
    def boom() -> None:
        raise ValueError()

    @router.get("/teapot")
    def teapot() -> None:
        raise HTTPException(409)

    @router.get("/gone")
    def gone() -> None:
        raise HTTPException(404)

    app = FastAPI(exception_handlers={404: answer("app 404")})
    app.include_router(router)
    client = TestClient(app)
    assert client.get("/boom").json()["by"] == "router catch-all"
    # The app's HTTPException handler is more specific than the router's `Exception` one.
    assert (client.get("/teapot").status_code, client.get("/teapot").json()) == (
        409,
        {"detail": "Conflict"},
    )
    assert client.get("/gone").json()["by"] == "router 404"


def test_handler_registered_after_the_routes_applies_to_them() -> None:
    router = APIRouter()

    @router.get("/")
    def read() -> None:
        raise PaymentError()

    router.add_exception_handler(PaymentError, answer("late"))
    app = FastAPI()
    app.include_router(router)
    assert TestClient(app).get("/").json() == {"by": "late", "error": "PaymentError"}


def test_handler_added_to_a_router_that_includes_others_covers_their_routes() -> None:
    inner = APIRouter(exception_handlers={CardDeclined: answer("inner")})
    outer = APIRouter()

    @inner.get("/declined")
    def declined() -> None:
        raise CardDeclined()

    @inner.get("/payment")
    def payment() -> None:
        raise PaymentError()

    outer.include_router(inner)
    outer.add_exception_handler(PaymentError, answer("outer"))
    outer.add_exception_handler(CardDeclined, answer("outer"))
    outer.add_exception_handler(PaymentError, answer("outer again"))
    app = FastAPI()
    app.include_router(outer)
    client = TestClient(app)
    assert client.get("/declined").json()["by"] == "inner"
    assert client.get("/payment").json()["by"] == "outer again"


def test_handler_added_after_include_is_refused() -> None:
    router = APIRouter()
    FastAPI().include_router(router)
    with pytest.raises(AccordError, match="register the handler before calling include_router"):
        router.add_exception_handler(PaymentError, answer("late"))


class StartThenFail:
    """Middleware that starts the response and then raises."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        raise PaymentError()


class FailBeforeRoute:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        raise PaymentError()


def test_exception_from_inner_router_middleware_goes_to_the_outer_router() -> None:
    inner = APIRouter(
        middleware=[Middleware(FailBeforeRoute)],
        exception_handlers={PaymentError: answer("inner")},
    )
    outer = APIRouter(exception_handlers={PaymentError: answer("outer")})

    @inner.get("/")
    def read() -> str:
        return "unreachable"  # pragma: no cover

    outer.include_router(inner)
    app = FastAPI()
    app.include_router(outer)
    assert TestClient(app).get("/").json() == {"by": "outer", "error": "PaymentError"}


def test_exception_after_the_response_started_is_not_answered_again() -> None:
    inner = APIRouter(middleware=[Middleware(StartThenFail)])
    outer = APIRouter(exception_handlers={PaymentError: answer("outer")})

    @inner.get("/")
    def read() -> str:
        return "unreachable"  # pragma: no cover

    outer.include_router(inner)
    app = FastAPI()
    app.include_router(outer)
    with pytest.raises(RuntimeError, match="response already started"):
        TestClient(app).get("/")


def test_unhandled_exception_is_raised_on_to_the_server() -> None:
    router = APIRouter(exception_handlers={KeyError: answer("router")})

    @router.get("/")
    def read() -> None:
        raise PaymentError("nobody handles this")

    app = FastAPI()
    app.include_router(router)
    with pytest.raises(PaymentError, match="nobody handles this"):
        TestClient(app).get("/")


def test_router_served_on_its_own_uses_its_handlers() -> None:
    router = APIRouter(exception_handlers={PaymentError: answer("alone")})

    @router.get("/")
    def read() -> None:
        raise CardDeclined()

    assert TestClient(router).get("/").json() == {"by": "alone", "error": "CardDeclined"}


def test_websocket_route_uses_router_handlers() -> None:
    closed: list[int] = []

    async def close_socket(websocket: WebSocket, exc: Exception) -> None:
        closed.append(4001)
        await websocket.close(code=4001)

    router = APIRouter(exception_handlers={PaymentError: close_socket})

    @router.websocket("/ws")
    async def ws(websocket: WebSocket) -> None:
        await websocket.accept()
        raise PaymentError()

    app = FastAPI()
    app.include_router(router)
    with TestClient(app).websocket_connect("/ws") as conn:
        message = conn.receive()
    assert message == {"type": "websocket.close", "code": 4001, "reason": ""}
    assert closed == [4001]


def test_handler_returning_a_plain_response() -> None:
    def text(request: Request, exc: Exception) -> PlainTextResponse:
        return PlainTextResponse("declined", status_code=402)

    router = APIRouter(exception_handlers={402: text})

    @router.get("/")
    def read() -> None:
        raise HTTPException(402)

    app = FastAPI()
    app.include_router(router)
    response = TestClient(app).get("/")
    assert (response.status_code, response.text) == (402, "declined")


class RaiseNotFound:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        raise HTTPException(404, "blocked by middleware")


def test_status_handler_of_outer_router_takes_an_http_error_from_inner_middleware() -> None:
    def not_found(request: Request, exc: Exception) -> JSONResponse:  # sync: thread pool
        return JSONResponse({"by": "outer 404"}, status_code=404)

    inner = APIRouter(middleware=[Middleware(RaiseNotFound)])
    outer = APIRouter(exception_handlers={404: not_found})

    @inner.get("/")
    def read() -> str:
        return "unreachable"  # pragma: no cover

    @inner.websocket("/ws")
    async def ws(websocket: WebSocket) -> None:
        pass  # pragma: no cover

    outer.include_router(inner)
    app = FastAPI()
    app.include_router(outer)
    client = TestClient(app)
    response = client.get("/")
    assert (response.status_code, response.json()["by"]) == (404, "outer 404")


def test_websocket_error_from_inner_middleware_reaches_the_outer_handler() -> None:
    seen: list[str] = []

    async def close_socket(websocket: WebSocket, exc: Exception) -> None:
        seen.append(type(exc).__name__)
        await websocket.close(code=4004)

    inner = APIRouter(middleware=[Middleware(FailBeforeRoute)])
    outer = APIRouter(exception_handlers={PaymentError: close_socket})

    @inner.websocket("/ws")
    async def ws(websocket: WebSocket) -> None:
        pass  # pragma: no cover

    outer.include_router(inner)
    app = FastAPI()
    app.include_router(outer)
    with pytest.raises(WebSocketDisconnect) as info:
        with TestClient(app).websocket_connect("/ws"):
            pytest.fail("the handler closes the socket before accepting it")  # pragma: no cover
    assert info.value.code == 4004
    assert seen == ["PaymentError"]


def test_plain_starlette_routes_of_a_router_are_left_alone() -> None:
    async def raw(request: Request) -> PlainTextResponse:
        raise PaymentError()

    router = APIRouter()
    router.add_route("/raw", raw)
    router.add_exception_handler(PaymentError, answer("router"))
    app = FastAPI()
    app.include_router(router)
    with pytest.raises(PaymentError):
        TestClient(app).get("/raw")
