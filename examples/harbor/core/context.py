"""What the current request is about, for logs: its id and the order it touches."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass

__all__ = ["RequestContext", "current_request", "note_order"]


@dataclass(slots=True)
class RequestContext:
    """Mutable on purpose: the endpoint fills ``order_id`` in, the middleware logs it."""

    request_id: str
    order_id: str | None = None


_current: ContextVar[RequestContext | None] = ContextVar("harbor_request", default=None)


def current_request() -> RequestContext | None:
    """The context of the request being handled, or None outside a request."""
    return _current.get()


def bind_request(context: RequestContext) -> object:
    """Make `context` current; returns the token for `unbind_request`."""
    return _current.set(context)


def unbind_request(token: object) -> None:
    """Undo `bind_request`."""
    _current.reset(token)  # type: ignore[arg-type]


def note_order(order_id: str) -> None:
    """Record the order the current request is about, so its log line names it."""
    context = _current.get()
    if context is not None:
        context.order_id = order_id
