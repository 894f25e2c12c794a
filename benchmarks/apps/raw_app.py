"""A bare ASGI callable: the server's own ceiling, no framework at all."""

import json
from typing import Any

from benchmarks.apps.models import HELLO

_TEXT = HELLO.encode()
_TEXT_HEADERS = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", b"13")]
_JSON_HEADERS = [(b"content-type", b"application/json")]


async def _lifespan(receive: Any, send: Any) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        await _lifespan(receive, send)
        return
    path = scope["path"]
    if path == "/plaintext":
        status, headers, body = 200, _TEXT_HEADERS, _TEXT
    elif path == "/json":
        body = json.dumps({"message": HELLO}, separators=(",", ":")).encode()
        headers = [*_JSON_HEADERS, (b"content-length", str(len(body)).encode())]
        status = 200
    else:
        status, headers, body = 404, [(b"content-length", b"9")], b"Not Found"
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
