"""Sending the response of a registered exception handler, as Starlette's routes do."""

from __future__ import annotations

from typing import Any

from starlette._utils import is_async_callable
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket

from accord.problems import SCOPE_KEY

__all__ = ["find_handler", "handle_exception"]


def find_handler(scope: Scope, exc: Exception) -> Any:
    """The handler registered for `exc` (by status code first, then by class), or None."""
    exception_handlers, status_handlers = scope.get("starlette.exception_handlers", ({}, {}))
    if isinstance(exc, StarletteHTTPException):
        handler = status_handlers.get(exc.status_code)
        if handler is not None:
            return handler
    for cls in type(exc).__mro__:
        if cls in exception_handlers:
            return exception_handlers[cls]
    return None


async def handle_exception(
    scope: Scope,
    receive: Receive,
    send: Send,
    exc: Exception,
    started: bool,
    error_format: str | None = None,
) -> None:
    """Answers with the handler's response, or re-raises when there is no handler.

    `error_format` is the failing route's: the default handlers (and the 500 handler, should
    the exception escape) read it from the scope, so a router's setting reaches them.
    """
    if error_format is not None:
        scope[SCOPE_KEY] = error_format
    handler = find_handler(scope, exc)
    if handler is None:
        raise exc
    if started:
        raise RuntimeError("Caught handled exception, but response already started.") from exc
    if scope["type"] == "http":
        conn: Request | WebSocket = Request(scope, receive, send)
    else:
        conn = WebSocket(scope, receive, send)
    if is_async_callable(handler):
        response = await handler(conn, exc)
    else:
        response = await run_in_threadpool(handler, conn, exc)
    if response is not None:
        await response(scope, receive, send)
