"""The runner's fast lanes (body read without a `Request`, ready JSON responses, the request's
own exit stack) answer exactly as the general path does."""

from collections.abc import AsyncIterator
from typing import Annotated, Any

import anyio
import pytest
from pydantic import BaseModel
from starlette.requests import ClientDisconnect
from starlette.testclient import TestClient

from accord import Depends, FastAPI, Request, Response
from accord.exceptions import ResponseValidationError


class Item(BaseModel):
    name: str
    price: float


def build_app(log: list[str]) -> FastAPI:
    app = FastAPI(max_body_size=64)

    @app.post("/fast")
    async def fast(item: Item) -> dict[str, Any]:
        return {"name": item.name}

    @app.post("/general")
    async def general(item: Item, request: Request) -> dict[str, Any]:
        return {"name": item.name}

    @app.get("/bad", response_model=Item)
    async def bad() -> Any:
        return {"name": "x"}

    @app.get("/sub", response_model=Item, status_code=201)
    async def sub(response: Response) -> Any:
        response.status_code = 202
        response.headers["x-sub"] = "1"
        return {"name": "x", "price": 1, "extra": True}

    async def outer() -> AsyncIterator[str]:
        log.append("outer in")
        yield "o"
        log.append("outer out")

    async def inner(o: Annotated[str, Depends(outer)]) -> AsyncIterator[str]:
        log.append("inner in")
        yield "i"
        log.append("inner out")

    @app.get("/scoped")
    async def scoped(
        o: Annotated[str, Depends(outer)], i: Annotated[str, Depends(inner, scope="function")]
    ) -> dict[str, str]:
        log.append("endpoint")
        return {"o": o, "i": i}

    return app


def _call(app: Any, path: str, messages: list[dict[str, Any]]) -> tuple[Any, list[Any]]:
    """Calls the app directly with `messages` as the request's body messages."""
    sent: list[Any] = []
    inbox = list(messages)

    async def receive() -> dict[str, Any]:
        return inbox.pop(0) if inbox else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": "POST",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"content-type", b"application/json")],
        "scheme": "http",
        "server": ("t", 80),
        "client": ("c", 1),
        "http_version": "1.1",
        "asgi": {"version": "3.0"},
        "state": {},
    }

    async def main() -> Any:
        try:
            await app(scope, receive, send)
        except Exception as exc:
            return type(exc)
        return None

    return anyio.run(main), sent


def _answer(sent: list[Any]) -> tuple[int, bytes]:
    return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:])


CHUNKED = [
    {"type": "http.request", "body": b'{"name": "a", ', "more_body": True},
    {"type": "http.request", "body": b"", "more_body": True},
    {"type": "http.request", "body": b'"price": 1}', "more_body": False},
]
TOO_BIG_LATER = [
    {"type": "http.request", "body": b'{"name": "' + b"a" * 40, "more_body": True},
    {"type": "http.request", "body": b"b" * 40 + b'", "price": 1}', "more_body": False},
]
TOO_BIG_FIRST = [{"type": "http.request", "body": b"x" * 65, "more_body": False}]
DISCONNECT_LATER = [{"type": "http.request", "body": b"{", "more_body": True}]


@pytest.mark.parametrize(
    ("messages", "status"),
    [(CHUNKED, 200), (TOO_BIG_LATER, 413), (TOO_BIG_FIRST, 413)],
)
def test_body_read_without_request_matches_the_general_path(
    messages: list[dict[str, Any]], status: int
) -> None:
    app = build_app([])
    error_fast, sent_fast = _call(app, "/fast", messages)
    error_general, sent_general = _call(app, "/general", messages)
    assert error_fast is error_general is None
    assert _answer(sent_fast) == _answer(sent_general)
    assert _answer(sent_fast)[0] == status


@pytest.mark.parametrize("messages", [[], DISCONNECT_LATER])
def test_client_gone_while_reading_the_body(messages: list[dict[str, Any]]) -> None:
    app = build_app([])
    assert _call(app, "/fast", messages)[0] is ClientDisconnect
    assert _call(app, "/general", messages)[0] is ClientDisconnect


def test_ready_json_response_carries_starlettes_headers() -> None:
    client = TestClient(build_app([]))
    answer = client.post("/fast", json={"name": "a", "price": 1})
    assert answer.status_code == 200
    assert answer.content == b'{"name":"a"}'
    assert answer.headers["content-length"] == "12"
    assert answer.headers["content-type"] == "application/json"


def test_response_model_rejection_on_the_fast_lane() -> None:
    client = TestClient(build_app([]), raise_server_exceptions=True)
    with pytest.raises(ResponseValidationError) as caught:
        client.get("/bad")
    assert caught.value.errors()[0]["loc"] == ("response", "price")


def test_sub_response_status_and_headers_take_the_general_lane() -> None:
    answer = TestClient(build_app([])).get("/sub")
    assert answer.status_code == 202
    assert answer.headers["x-sub"] == "1"
    assert answer.json() == {"name": "x", "price": 1.0}


def test_function_scoped_yield_dependency_exits_before_the_request_scoped_one() -> None:
    log: list[str] = []
    answer = TestClient(build_app(log)).get("/scoped")
    assert answer.json() == {"o": "o", "i": "i"}
    assert log == ["outer in", "inner in", "endpoint", "inner out", "outer out"]
