"""Driving an ASGI app directly: one request, its body sent in chunks, the answer collected.

Used by the hostile-input and fault tests, which need control TestClient does not give:
an endless body, a disconnect at a chosen moment, a memory peak measured around the call.
"""

from __future__ import annotations

import tracemalloc
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from typing import Any

import anyio

GUARD_SECONDS = 30.0
"""A request not answered within this many seconds fails the test as a hang."""


@dataclass
class Answer:
    """What the app sent back."""

    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    peak: int = 0

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def scope(
    method: str,
    path: str,
    query: bytes = b"",
    headers: Iterable[tuple[bytes, bytes]] = (),
    raw_path: bytes | None = None,
) -> dict[str, Any]:
    """An HTTP scope as a server would build it."""
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": raw_path if raw_path is not None else path.encode("utf-8", "surrogateescape"),
        "root_path": "",
        "query_string": query,
        "headers": [(k.lower(), v) for k, v in headers],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
        "state": {},
    }


async def _chunks_of(body: bytes | AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    if isinstance(body, bytes):
        yield body
        return
    async for chunk in body:
        yield chunk


async def call(
    app: Any,
    method: str,
    path: str,
    *,
    query: bytes = b"",
    headers: Iterable[tuple[bytes, bytes]] = (),
    body: bytes | AsyncIterator[bytes] = b"",
    raw_path: bytes | None = None,
    measure: bool = False,
) -> Answer:
    """Send one request to ``app``; fail (TimeoutError) if it is not answered in time.

    With ``measure``, ``Answer.peak`` is the tracemalloc peak (bytes) during the call, on
    top of what was allocated before it (the prepared body does not count).
    """
    answer = Answer()
    chunks = _chunks_of(body)
    finished = False

    async def receive() -> dict[str, Any]:
        nonlocal finished
        if finished:
            await anyio.sleep_forever()  # a real server: nothing more until disconnect
        try:
            chunk = await chunks.__anext__()
        except StopAsyncIteration:
            finished = True
            return {"type": "http.request", "body": b"", "more_body": False}
        return {"type": "http.request", "body": chunk, "more_body": True}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            answer.status = message["status"]
            answer.headers = {
                k.decode("latin-1"): v.decode("latin-1") for k, v in message["headers"]
            }
        elif message["type"] == "http.response.body":
            answer.body += message.get("body", b"")

    if measure:
        tracemalloc.start()
        tracemalloc.reset_peak()
    try:
        with anyio.fail_after(GUARD_SECONDS):
            await app(scope(method, path, query, headers, raw_path), receive, send)
    finally:
        if measure:
            answer.peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
    return answer


def run(app: Any, method: str, path: str, **kwargs: Any) -> Answer:
    """`call` from synchronous test code."""
    return anyio.run(lambda: call(app, method, path, **kwargs))
