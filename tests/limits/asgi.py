"""Driving an app with a hand-made ASGI `receive`, to see how much of a body it pulls."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import anyio


@dataclass
class Exchange:
    """What one request pulled and what the app answered."""

    chunks: Iterator[bytes]
    receive_calls: int = 0
    bytes_pulled: int = 0
    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    def json(self) -> Any:
        return json.loads(self.body)


def endless(chunk: bytes, cap: int = 100_000) -> Iterator[bytes]:
    """Yields `chunk` again and again; fails the test if the app reads `cap` of them."""
    for _ in range(cap):
        yield chunk
    raise AssertionError("the app kept reading an endless body")


def call(
    app: Any,
    path: str,
    chunks: Iterator[bytes],
    *,
    method: str = "POST",
    headers: list[tuple[str, str]] | None = None,
    finite: bool = False,
) -> Exchange:
    """Sends one request whose body comes from `chunks` (chunked: no Content-Length unless
    given) and records every `receive` call the app makes."""
    exchange = Exchange(chunks)
    pending = list(chunks) if finite else None
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(k.lower().encode(), v.encode()) for k, v in (headers or [])],
        "client": ("test", 1),
        "server": ("test", 80),
    }

    async def receive() -> dict[str, Any]:
        exchange.receive_calls += 1
        if pending is not None:
            body = pending.pop(0) if pending else b""
            more = bool(pending)
        else:
            body = next(exchange.chunks)
            more = True
        exchange.bytes_pulled += len(body)
        return {"type": "http.request", "body": body, "more_body": more}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            exchange.status = message["status"]
            exchange.headers = {k.decode(): v.decode() for k, v in message["headers"]}
        elif message["type"] == "http.response.body":
            exchange.body += message.get("body", b"")

    async def main() -> None:
        await app(scope, receive, send)

    anyio.run(main)
    return exchange
