"""`max_body_size`: bodies are refused with 413 while they stream in, never read past the limit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import pytest
from pydantic import BaseModel

from accord import APIRouter, Body, FastAPI, Form, Request
from accord.exceptions import AccordError, ContentTooLargeError
from accord.limits import DEFAULT_MAX_BODY_SIZE
from accord.routing import APIRoute
from accord.testclient import TestClient
from tests.limits.asgi import call, endless


class Item(BaseModel):
    name: str


def item_app(**app_options: Any) -> FastAPI:
    app = FastAPI(**app_options)

    @app.post("/items")
    async def create(item: Item) -> Item:
        return item

    return app


JSON = {"content-type": "application/json"}


def json_of_size(size: int) -> bytes:
    """A valid `Item` document of exactly `size` bytes."""
    body = b'{"name":"' + b"x" * (size - 11) + b'"}'
    assert len(body) == size
    return body


def test_declared_length_over_the_limit_is_refused_before_reading() -> None:
    app = item_app(max_body_size=100)
    exchange = call(app, "/items", endless(b"x" * 1000), headers=[("content-length", "5000000")])
    assert exchange.status == 413
    assert exchange.receive_calls == 0
    assert exchange.json() == {"detail": "Request body is larger than the limit of 100 bytes"}


def test_the_default_limit_refuses_a_larger_declared_body_unread() -> None:
    app = item_app()
    length = str(DEFAULT_MAX_BODY_SIZE + 1)
    exchange = call(app, "/items", endless(b"x"), headers=[("content-length", length)])
    assert exchange.status == 413
    assert exchange.receive_calls == 0
    assert str(DEFAULT_MAX_BODY_SIZE) in exchange.json()["detail"]


def test_a_slow_endless_chunked_body_is_cut_off_at_the_limit() -> None:
    # Slow-loris style: no Content-Length, 1 KiB chunks for ever. The app must stop pulling
    # at the first chunk past 10 KiB and answer, not wait for an end that never comes.
    app = item_app(max_body_size=10 * 1024)
    exchange = call(app, "/items", endless(b"y" * 1024))
    assert exchange.status == 413
    assert exchange.receive_calls == 11
    assert exchange.bytes_pulled == 11 * 1024


def test_a_body_of_exactly_the_limit_is_accepted() -> None:
    client = TestClient(item_app(max_body_size=64))
    assert client.post("/items", content=json_of_size(64), headers=JSON).status_code == 200
    response = client.post("/items", content=json_of_size(65), headers=JSON)
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/json"


def test_a_chunked_body_within_the_limit_is_read_whole() -> None:
    app = item_app(max_body_size=100)
    parts = iter([b'{"na', b'me":', b'"ok"}'])
    exchange = call(
        app, "/items", parts, finite=True, headers=[("content-type", "application/json")]
    )
    assert exchange.status == 200
    assert exchange.json() == {"name": "ok"}


def test_route_beats_router_beats_include_beats_app() -> None:
    app = FastAPI(max_body_size=200)
    router = APIRouter(max_body_size=100)
    plain = APIRouter()

    @router.post("/router")
    async def on_router(item: Item) -> Item:
        return item

    @router.post("/route", max_body_size=50)
    async def on_route(item: Item) -> Item:
        return item

    @plain.post("/included")
    async def included(item: Item) -> Item:
        return item

    @app.post("/app")
    async def on_app(item: Item) -> Item:
        return item

    app.include_router(router, prefix="/r", max_body_size=150)
    app.include_router(plain, prefix="/p", max_body_size=150)
    client = TestClient(app)
    for path, limit in [("/app", 200), ("/r/router", 100), ("/r/route", 50), ("/p/included", 150)]:
        assert client.post(path, content=json_of_size(limit), headers=JSON).status_code == 200, path
        response = client.post(path, content=json_of_size(limit + 1), headers=JSON)
        assert response.status_code == 413, path
        assert str(limit) in response.json()["detail"]


def test_none_lifts_the_limit_for_one_route() -> None:
    app = FastAPI(max_body_size=10)

    @app.post("/free", max_body_size=None)
    async def free(item: Item) -> Item:
        return item

    @app.post("/bound")
    async def bound(item: Item) -> Item:
        return item

    client = TestClient(app)
    assert client.post("/free", content=json_of_size(5000), headers=JSON).status_code == 200
    assert client.post("/bound", content=json_of_size(5000), headers=JSON).status_code == 413


def test_routes_registered_on_a_router_after_its_inclusion_get_the_merged_limit() -> None:
    app = FastAPI()
    router = APIRouter()
    app.include_router(router, max_body_size=30)

    @router.post("/late")
    async def late(item: Item) -> Item:
        return item

    client = TestClient(app)
    assert client.post("/late", content=json_of_size(31), headers=JSON).status_code == 413


def test_raw_bodies_and_text_bodies_are_limited() -> None:
    app = FastAPI(max_body_size=16)

    @app.post("/text")
    async def text(payload: Annotated[str, Body(media_type="text/plain")]) -> int:
        return len(payload)

    client = TestClient(app)
    headers = {"content-type": "text/plain"}
    assert client.post("/text", content=b"x" * 17, headers=headers).status_code == 413


def test_an_endpoint_reading_the_request_itself_is_limited() -> None:
    app = FastAPI(max_body_size=100)
    pulled: list[int] = []

    @app.post("/raw")
    async def raw(request: Request) -> int:
        return len(await request.body())

    @app.post("/stream")
    async def stream(request: Request) -> int:
        async for chunk in request.stream():
            pulled.append(len(chunk))
        return sum(pulled)

    @app.get("/headers-only")
    async def headers_only(request: Request) -> str:
        return request.headers.get("x-name", "")

    client = TestClient(app)
    assert client.post("/raw", content=b"x" * 100).json() == 100
    assert client.post("/raw", content=b"x" * 101).status_code == 413
    exchange = call(app, "/stream", endless(b"z" * 40))
    assert exchange.status == 413
    assert exchange.receive_calls == 3
    # A declared length over the limit only matters to an endpoint that reads the body.
    big = {"content-length": "1000", "x-name": "ok"}
    exchange = call(app, "/headers-only", iter([]), method="GET", headers=list(big.items()))
    assert exchange.json() == "ok"
    assert call(app, "/raw", endless(b"x"), headers=[("content-length", "1000")]).receive_calls == 0


def test_the_413_follows_the_problem_format() -> None:
    app = item_app(max_body_size=10, error_format="problem")
    response = TestClient(app).post("/items", content=json_of_size(20), headers=JSON)
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json() == {
        "type": "about:blank",
        "title": "Content Too Large",
        "status": 413,
        "detail": "Request body is larger than the limit of 10 bytes",
        "instance": "/items",
    }


def test_a_custom_handler_can_catch_the_413() -> None:
    app = item_app(max_body_size=10)
    seen: list[int] = []

    @app.exception_handler(ContentTooLargeError)
    async def too_large(request: Request, exc: ContentTooLargeError) -> Any:
        from accord.responses import PlainTextResponse

        seen.append(exc.limit)
        return PlainTextResponse("too big", status_code=413)

    response = TestClient(app).post("/items", content=json_of_size(20), headers=JSON)
    assert (response.status_code, response.text, seen) == (413, "too big", [10])


def test_a_request_class_that_transforms_the_body_is_limited_on_what_it_returns() -> None:
    class DoublingRequest(Request):
        async def body(self) -> bytes:
            raw = await super().body()
            return raw[:-2] + b" " * len(raw) + raw[-2:]

    class DoublingRoute(APIRoute):
        def get_route_handler(self) -> Callable[..., Any]:
            handler = super().get_route_handler()

            async def custom(request: Request) -> Any:
                return await handler(DoublingRequest(request.scope, request.receive))

            return custom

    app = FastAPI(max_body_size=40)
    app.router.route_class = DoublingRoute

    @app.post("/items")
    async def create(item: Item) -> Item:
        return item

    client = TestClient(app)
    assert client.post("/items", content=json_of_size(20), headers=JSON).status_code == 200
    assert client.post("/items", content=json_of_size(21), headers=JSON).status_code == 413


@pytest.mark.parametrize("bad", [-1, "10", 1.5, True])
def test_a_bad_limit_fails_at_registration_naming_the_route(bad: Any) -> None:
    app = FastAPI()
    with pytest.raises(AccordError, match=r"max_body_size.*'/items' \(create\)"):

        @app.post("/items", max_body_size=bad)
        async def create(item: Item) -> Item:
            return item


def test_a_body_read_earlier_by_a_route_class_is_checked_too() -> None:
    # FastAPI's documented pattern: a route class that reads the body first (to log it).
    seen: list[bytes] = []

    class LoggingRoute(APIRoute):
        def get_route_handler(self) -> Callable[..., Any]:
            handler = super().get_route_handler()

            async def logged(request: Request) -> Any:
                seen.append(await request.body())
                return await handler(request)

            return logged

    app = FastAPI(max_body_size=30)
    app.router.route_class = LoggingRoute

    @app.post("/items")
    async def create(item: Item) -> Item:
        return item

    client = TestClient(app)
    assert client.post("/items", content=json_of_size(30), headers=JSON).status_code == 200
    assert client.post("/items", content=json_of_size(31), headers=JSON).status_code == 413
    assert [len(body) for body in seen] == [30, 31]


def test_a_request_class_with_its_own_form_reading_is_used() -> None:
    class FixedFormRequest(Request):
        async def form(self, **options: Any) -> Any:  # type: ignore[override]
            from starlette.datastructures import FormData

            return FormData([("name", "fixed")])

    class FixedFormRoute(APIRoute):
        def get_route_handler(self) -> Callable[..., Any]:
            handler = super().get_route_handler()

            async def custom(request: Request) -> Any:
                return await handler(FixedFormRequest(request.scope, request.receive))

            return custom

    app = FastAPI()
    app.router.route_class = FixedFormRoute

    @app.post("/form")
    async def form(name: Annotated[str, Form()]) -> str:
        return name

    assert TestClient(app).post("/form", data={"name": "sent"}).json() == "fixed"


@pytest.mark.parametrize("path", ["/items", "/raw"])
def test_a_client_leaving_mid_body_is_a_disconnect(path: str) -> None:
    import anyio
    from starlette.requests import ClientDisconnect

    app = item_app(max_body_size=100)

    @app.post("/raw")
    async def raw(request: Request) -> int:
        return len(await request.body())

    messages = iter(
        [{"type": "http.request", "body": b"{", "more_body": True}, {"type": "http.disconnect"}]
    )

    async def receive() -> Any:
        return next(messages)

    async def send(message: Any) -> None:
        pass

    scope = {"type": "http", "method": "POST", "path": path, "headers": [], "query_string": b""}
    with pytest.raises(ClientDisconnect):
        anyio.run(app, scope, receive, send)
