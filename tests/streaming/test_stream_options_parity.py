"""Parity of streaming path operations with route options, sub-responses and routers."""

# No `from __future__ import annotations`: the endpoints annotate with `fw.` names local to build().


from collections.abc import AsyncIterator, Iterator
from types import ModuleType
from typing import Any

import pytest
from pydantic import BaseModel

from ._compare import clients, http_outcome


class Tick(BaseModel):
    n: int
    label: str = "tick"


def build(fw: ModuleType) -> Any:
    app = fw.FastAPI()
    router = fw.APIRouter(prefix="/r")
    done: list[str] = []

    @app.get("/created", status_code=201)
    def created() -> Iterator[Tick]:
        yield Tick(n=1)

    @app.get("/sub-response")
    async def sub_response(response: fw.Response) -> AsyncIterator[Tick]:
        response.headers["x-extra"] = "set"
        response.status_code = 202
        yield Tick(n=1, label="x")

    @app.get("/background")
    def background(tasks: fw.BackgroundTasks) -> Iterator[int]:
        tasks.add_task(done.append, "ran")
        yield 1

    @app.get("/background-ran")
    def background_ran() -> list[str]:
        return done

    @app.get("/exclude", response_model_exclude={"label"})
    def exclude() -> Iterator[Tick]:
        yield Tick(n=5)

    @app.get("/untyped-explicit", response_model=None)
    def untyped_explicit() -> Iterator[Tick]:
        yield {"n": "not validated", "extra": "kept", "text": "é"}

    @app.get("/sse-status", status_code=201, response_class=fw.sse.EventSourceResponse)
    async def sse_status(response: fw.Response) -> AsyncIterator[Tick]:
        response.headers["x-extra"] = "sse"
        yield {"n": 3}

    @app.get("/sse-envelopes", response_class=fw.sse.EventSourceResponse)
    def sse_envelopes() -> Iterator[fw.sse.ServerSentEvent]:
        yield fw.sse.ServerSentEvent(data=Tick(n=1), comment="two\nlines")
        yield fw.sse.ServerSentEvent(data="multi\nline", event="e")
        yield fw.sse.ServerSentEvent(raw_data="a\r\nb\rc")
        yield fw.sse.ServerSentEvent()

    @app.get("/plain-text", response_class=fw.responses.PlainTextResponse)
    def plain_text() -> Iterator[str]:
        yield "a"
        yield "b"

    @router.get("/items")
    def routed() -> Iterator[Tick]:
        yield {"n": 1}
        yield {"n": "bad"}

    @router.get("/events", response_class=fw.sse.EventSourceResponse)
    async def routed_events() -> AsyncIterator[Tick]:
        yield {"n": 2, "label": "routed"}

    app.include_router(router, prefix="/v1")
    return app


CASES = [
    "/created",
    "/sub-response",
    "/background",
    "/background-ran",
    "/exclude",
    "/untyped-explicit",
    "/sse-status",
    "/sse-envelopes",
    "/plain-text",
    "/v1/r/items",
    "/v1/r/events",
]


@pytest.fixture(scope="module")
def pair() -> Any:
    return clients(build)


@pytest.mark.parametrize("url", CASES)
def test_same_answer_as_fastapi(pair: Any, url: str) -> None:
    ours, theirs = pair
    if url == "/background-ran":
        http_outcome(ours, "GET", "/background")
        http_outcome(theirs, "GET", "/background")
    assert http_outcome(ours, "GET", url) == http_outcome(theirs, "GET", url)


def test_included_route_keeps_the_item_type() -> None:
    app = build(__import__("accord"))
    route = next(r for r in app.routes if getattr(r, "path", "") == "/v1/r/items")
    assert route.is_json_stream and route.stream_item_type is Tick
    assert route.stream_item_field is not None
    assert route.response_model is None
