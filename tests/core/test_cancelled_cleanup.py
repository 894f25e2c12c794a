"""A `yield` dependency's code after `yield` runs to completion when the request is cancelled
(FastAPI 0.162.5 for `def`, 0.162.7 for `async def`), for request and function scope, on both
frameworks, also while a stream (JSON Lines, Server-Sent Events, a `StreamingResponse`) is being
sent; and a dependency's own task group still exits in order."""

import time
from collections.abc import AsyncIterator
from typing import Annotated, Any

import anyio
import fastapi
import fastapi.sse
import pytest

import accord
import accord.sse

SCOPE = {
    "type": "http",
    "method": "GET",
    "path": "/",
    "raw_path": b"/",
    "root_path": "",
    "query_string": b"",
    "headers": [],
    "http_version": "1.1",
    "scheme": "http",
    "server": ("test", 80),
    "client": ("client", 1),
}


def cancelled_request(fw: Any, kind: str, scope: str, shape: str = "plain") -> list[str]:
    log: list[str] = []
    if kind == "async":

        async def dependency() -> Any:
            log.append("enter")
            try:
                yield 1
            finally:
                await anyio.sleep(0.01)  # a cancelled, unshielded teardown would stop here
                log.append("cleanup done")

    elif kind == "task-group":

        async def dependency() -> Any:
            log.append("enter")
            async with anyio.create_task_group():
                try:
                    yield 1
                finally:
                    await anyio.sleep(0.01)
                    log.append("cleanup done")

    else:

        def dependency() -> Any:
            log.append("enter")
            try:
                yield 1
            finally:
                time.sleep(0.01)
                log.append("cleanup done")

    app = fw.FastAPI()
    Value = Annotated[int, fw.Depends(dependency, scope=scope)]

    async def ticks() -> AsyncIterator[int]:
        log.append("endpoint")
        for tick in range(100):
            yield tick
            await anyio.sleep(0.05)  # the request is cancelled while the stream is sent

    if shape == "plain":

        @app.get("/")
        async def endpoint(value: Value) -> None:
            log.append("endpoint")
            await anyio.sleep(10)

    elif shape == "streaming-response":

        @app.get("/")
        async def endpoint(value: Value) -> Any:
            return fw.responses.StreamingResponse(str(tick).encode() async for tick in ticks())

    else:
        sse = {"response_class": fw.sse.EventSourceResponse} if shape == "sse" else {}

        @app.get("/", **sse)
        async def endpoint(value: Value) -> AsyncIterator[int]:
            async for tick in ticks():
                yield tick

    async def receive() -> Any:
        await anyio.sleep(100)
        return {"type": "http.disconnect"}

    async def send(message: Any) -> None:
        return None

    async def main() -> None:
        with anyio.move_on_after(0.2):
            await app(dict(SCOPE), receive, send)
        await anyio.sleep(0.1)

    anyio.run(main)
    return log


@pytest.mark.parametrize("kind", ["async", "sync", "task-group"])
@pytest.mark.parametrize("scope", ["request", "function"])
def test_cleanup_finishes_as_in_fastapi(kind: str, scope: str) -> None:
    ours = cancelled_request(accord, kind, scope)
    assert ours == ["enter", "endpoint", "cleanup done"]
    assert ours == cancelled_request(fastapi, kind, scope)


@pytest.mark.parametrize("kind", ["async", "sync", "task-group"])
@pytest.mark.parametrize("shape", ["jsonl", "sse", "streaming-response"])
def test_cleanup_finishes_while_a_stream_is_sent(kind: str, shape: str) -> None:
    ours = cancelled_request(accord, kind, "request", shape)
    assert ours == ["enter", "endpoint", "cleanup done"]
    assert ours == cancelled_request(fastapi, kind, "request", shape)


@pytest.mark.parametrize("shape", ["jsonl", "sse"])
def test_function_scope_cleanup_of_a_stream_finishes(shape: str) -> None:
    # Before the stream's first item for JSON Lines; for SSE the pump's task may start first.
    ours = cancelled_request(accord, "async", "function", shape)
    assert sorted(ours) == ["cleanup done", "endpoint", "enter"]
    assert ours == cancelled_request(fastapi, "async", "function", shape)
