"""Sending the response of a registered exception handler, as Starlette's routes do."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette._utils import is_async_callable
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket

from accord.problems import SCOPE_KEY

__all__ = ["Handlers", "answer_with", "find_handler", "handle_exception", "lookup_handler"]


Handlers = tuple[dict[Any, Callable[..., Any]], dict[int, Callable[..., Any]]]
"""Exception handlers as Starlette keeps them: by exception class, and by status code."""


def lookup_handler(handlers: Handlers, exc: Exception) -> Callable[..., Any] | None:
    """The handler for `exc`: by status code first (HTTP exceptions), then by class (MRO)."""
    by_class, by_status = handlers
    if by_status and isinstance(exc, StarletteHTTPException):
        handler = by_status.get(exc.status_code)
        if handler is not None:
            return handler
    for cls in type(exc).__mro__:
        if cls in by_class:
            return by_class[cls]
    return None


def find_handler(scope: Scope, exc: Exception) -> Callable[..., Any] | None:
    """The handler in effect for the request in `scope` (the app's and routers'), or None."""
    return lookup_handler(scope.get("starlette.exception_handlers", ({}, {})), exc)


async def answer_with(
    handler: Callable[..., Any], scope: Scope, receive: Receive, send: Send, exc: Exception
) -> None:
    """Sends `handler`'s response for `exc` (a WebSocket handler may answer nothing)."""
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
    await answer_with(handler, scope, receive, send, exc)
