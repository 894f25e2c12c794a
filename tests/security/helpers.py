"""Calling a security scheme directly on a hand-built request, outside any app."""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.requests import Request


def make_request(
    headers: list[tuple[bytes, bytes]] | None = None, query_string: bytes = b""
) -> Request:
    """A GET request whose raw headers are exactly `headers` (no client normalization)."""
    scope = {
        "type": "http",
        "method": "GET",
        "path": "/",
        "raw_path": b"/",
        "query_string": query_string,
        "headers": headers or [],
    }
    return Request(scope)


def authorization(value: bytes | str) -> list[tuple[bytes, bytes]]:
    raw = value.encode("latin-1") if isinstance(value, str) else value
    return [(b"authorization", raw)]


def call(scheme: Any, request: Request) -> Any:
    """Run the scheme's async ``__call__`` to completion and return its result."""
    return asyncio.run(scheme(request))
