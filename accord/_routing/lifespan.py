"""Routers' lifespans: an included router's lifespan runs inside its including router's."""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any

from starlette.types import Lifespan

__all__ = ["ON_EVENT_DEPRECATED", "EventLifespan", "as_lifespan", "merge_lifespans"]

# The warning FastAPI emits from both the application's and the router's `on_event`: the same
# category and the same opening sentence (so a `filterwarnings` pattern written for FastAPI's
# keeps matching, leading whitespace included), then Accord's own pointer.
ON_EVENT_DEPRECATED = """
        on_event is deprecated, use lifespan event handlers instead.

        The handlers still run at start-up and shutdown; an async context manager passed as
        `lifespan=` does the same in one place (Accord's docs/beyond/lifetime.md shows both).
        """


def as_lifespan(lifespan: Any) -> Lifespan[Any]:
    """`lifespan` as a context-manager factory (an async generator function is wrapped)."""
    if inspect.isasyncgenfunction(lifespan):
        return asynccontextmanager(lifespan)
    return lifespan  # type: ignore[no-any-return]


def merge_lifespans(outer: Lifespan[Any], inner: Lifespan[Any]) -> Lifespan[Any]:
    """`inner` entered inside `outer`; their states merged, the outer's winning."""

    @asynccontextmanager
    async def merged(app: Any) -> AsyncIterator[Any]:
        async with outer(app) as outer_state, inner(app) as inner_state:
            if outer_state is None and inner_state is None:
                yield None
            else:
                yield {**(inner_state or {}), **(outer_state or {})}

    return merged


class EventLifespan:
    """Runs a router's `on_startup` / `on_shutdown` handlers as a lifespan."""

    def __init__(
        self, on_startup: Sequence[Callable[[], Any]], on_shutdown: Sequence[Callable[[], Any]]
    ) -> None:
        self._on_startup = on_startup
        self._on_shutdown = on_shutdown

    def __call__(self, app: object) -> EventLifespan:
        return self

    async def __aenter__(self) -> None:
        for handler in self._on_startup:
            result = handler()
            if inspect.isawaitable(result):
                await result

    async def __aexit__(self, *exc_info: object) -> None:
        for handler in self._on_shutdown:
            result = handler()
            if inspect.isawaitable(result):
                await result
