"""Which Python code runs while one request is served: a profiler over the request alone.

The app is driven as ASGI in this thread (no test-client thread), and the profiler is also set
in the worker thread that `def` endpoints and dependencies run in, so every Python frame the
request starts is seen. A first, unprofiled request of the same kind warms up what is built on
first use (an app-scoped value, an override set), as a real server's first request would.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Callable
from pathlib import Path
from types import CodeType, FrameType
from typing import Any

import anyio.to_thread

ACCORD = Path(__import__("accord").__file__).resolve().parent


class Calls:
    """The code objects called during the profiled request, and its status."""

    def __init__(self) -> None:
        self.codes: list[CodeType] = []
        self.status: int | None = None

    def under(self, folder: str) -> list[str]:
        """`file:function` of every called code object whose file lies under `accord/folder`."""
        root = ACCORD / folder
        return sorted(
            {
                f"{Path(code.co_filename).name}:{code.co_name}"
                for code in self.codes
                if Path(code.co_filename).resolve().is_relative_to(root)
            }
        )

    def named(self, module_file: str) -> list[str]:
        """Called functions defined in a file with this name (e.g. ``inspect.py``)."""
        return sorted(
            {code.co_name for code in self.codes if Path(code.co_filename).name == module_file}
        )


def _scope(method: str, path: str, headers: dict[str, str]) -> dict[str, Any]:
    raw_path, _, query = path.partition("?")
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": raw_path,
        "raw_path": raw_path.encode(),
        "root_path": "",
        "query_string": query.encode(),
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 1234),
        "server": ("testserver", 80),
    }


async def _request(app: Any, method: str, path: str, headers: dict[str, str], body: bytes) -> int:
    messages = [{"type": "http.request", "body": body, "more_body": False}]
    status: list[int] = []

    async def receive() -> dict[str, Any]:
        if messages:
            return messages.pop(0)
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            status.append(message["status"])

    await app(_scope(method, path, dict(headers)), receive, send)
    return status[0]


def profile_request(
    app: Any,
    method: str,
    path: str,
    headers: dict[str, str] | None = None,
    json_body: Any = None,
    *,
    raw: bytes = b"",
) -> Calls:
    """Serves the request twice; returns what the second one called."""
    headers = dict(headers or {})
    body = raw
    if json_body is not None:
        body = json.dumps(json_body).encode()
        headers.setdefault("content-type", "application/json")
    if body:
        headers["content-length"] = str(len(body))
    calls = Calls()

    def tracer(frame: FrameType, event: str, arg: object) -> None:
        if event == "call":
            calls.codes.append(frame.f_code)

    def set_profile(function: Callable[..., Any] | None) -> None:
        sys.setprofile(function)

    async def main() -> None:
        await _request(app, method, path, headers, body)  # warm-up, also starts the worker
        await anyio.to_thread.run_sync(set_profile, tracer)
        sys.setprofile(tracer)
        try:
            calls.status = await _request(app, method, path, headers, body)
        finally:
            sys.setprofile(None)
            await anyio.to_thread.run_sync(set_profile, None)

    asyncio.run(main())
    return calls
