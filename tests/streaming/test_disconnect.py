"""A client that goes away mid-stream leaves nothing behind.

The app is driven through raw ASGI: the client reads a few chunks, then disconnects, either
with an ``http.disconnect`` message (ASGI spec < 2.4, Starlette listens for it) or by making
``send`` fail (spec >= 2.4, as Uvicorn does). Afterwards the endpoint's generator must have
run its ``finally`` block before the yield dependency's teardown, and no task may remain.
"""

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import anyio
import pytest
from starlette.requests import ClientDisconnect

import accord
from accord import Depends
from accord.responses import StreamingResponse
from accord.sse import EventSourceResponse


def build(events: list[str]) -> accord.Accord:
    app = accord.Accord()

    async def resource() -> AsyncIterator[str]:
        events.append("dependency entered")
        try:
            yield "resource"
        finally:
            events.append("dependency closed")

    async def jsonl(r: str = Depends(resource)) -> AsyncIterator[int]:
        try:
            n = 0
            while True:
                yield n
                n += 1
                await anyio.sleep(0.001)
        finally:
            events.append("generator closed")

    def jsonl_sync(r: str = Depends(resource)) -> Iterator[int]:
        try:
            n = 0
            while True:
                yield n
                n += 1
                time.sleep(0.001)
        finally:
            events.append("generator closed")

    async def raw(r: str = Depends(resource)) -> AsyncIterator[bytes]:
        try:
            n = 0
            while True:
                yield str(n).encode()
                n += 1
                await anyio.sleep(0.001)
        finally:
            events.append("generator closed")

    app.get("/jsonl")(jsonl)
    app.get("/jsonl-sync")(jsonl_sync)
    app.get("/sse", response_class=EventSourceResponse)(jsonl)
    app.get("/sse-sync", response_class=EventSourceResponse)(jsonl_sync)
    app.get("/raw", response_class=StreamingResponse)(raw)
    return app


def _scope(path: str, spec_version: str) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": spec_version},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [],
        "client": ("testclient", 1),
        "server": ("testserver", 80),
    }


async def _read_then_leave(app: Any, path: str, spec_version: str, chunks: int) -> list[bytes]:
    received: list[bytes] = []
    enough = anyio.Event()
    requested = False

    async def receive() -> dict[str, Any]:
        nonlocal requested
        if not requested:
            requested = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await enough.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.body" and message.get("body"):
            if enough.is_set() and spec_version >= "2.4":
                raise OSError("the client is gone")
            received.append(message["body"])
            if len(received) >= chunks:
                enough.set()

    with anyio.fail_after(5):
        try:
            await app(_scope(path, spec_version), receive, send)
        except ClientDisconnect:
            pass  # spec >= 2.4: Starlette reports the failed send; the server drops it
    return received


@pytest.mark.parametrize("spec_version", ["2.3", "2.4"])
@pytest.mark.parametrize("path", ["/jsonl", "/jsonl-sync", "/sse", "/sse-sync", "/raw"])
def test_disconnect_closes_generator_then_dependency(path: str, spec_version: str) -> None:
    events: list[str] = []
    app = build(events)

    async def main() -> None:
        received = await _read_then_leave(app, path, spec_version, chunks=3)
        assert len(received) >= 3
        leftover = asyncio.all_tasks() - {asyncio.current_task()}
        assert not leftover, leftover

    anyio.run(main)
    assert events == ["dependency entered", "generator closed", "dependency closed"]
