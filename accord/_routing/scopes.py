"""Router-scoped middleware and exception handlers, compiled into each route of the router.

A route served under routers that declare `middleware=[...]` or exception handlers has its ASGI
app wrapped once, when it is registered or included: for each such router, from the closest
outwards, the router's exception-handling layer and then its middleware around that. A route
under no such router keeps its bare runner: nothing is added to its request path.

Within one router, as in the application, middleware sit outside the exception handlers, so a
router's middleware see the responses its handlers (and the app's) make for its routes. A
router's handlers apply to its routes and to the routers it includes; the app's still apply to
whatever the routers' handlers do not cover.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from accord._runtime.errors import Handlers, answer_with, lookup_handler
from accord.exceptions import AccordError

__all__ = [
    "RouterExceptionLayer",
    "add_router_exception_handler",
    "inherit_router_scopes",
    "scope_new_route",
]

_HANDLERS = "starlette.exception_handlers"


class _Sent:
    """`send`, noting whether the response has started (a handler may not answer after that)."""

    __slots__ = ("send", "started")

    def __init__(self, send: Send) -> None:
        self.send = send
        self.started = False

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.started = True
        await self.send(message)


class RouterExceptionLayer:
    """One router's exception handlers around the routes (and routers) it contains.

    The handlers in effect inside are this router's over the outer ones (the including routers'
    and the app's), looked up as one table: the most specific exception class wins, and the
    closest router on a tie. They are put in the scope, so the route's runner answers with them
    directly, inside every router middleware; exceptions raised by inner routers' middleware
    are caught here. What no handler takes is raised on.
    """

    __slots__ = ("_cache", "app", "handlers")

    def __init__(self, app: ASGIApp, handlers: Handlers) -> None:
        self.app = app
        self.handlers = handlers
        self._cache: tuple[Any, Any, Handlers] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        outer = scope.get(_HANDLERS)
        handlers = scope[_HANDLERS] = self._in_effect(outer)
        sent = _Sent(send)
        try:
            await self.app(scope, receive, sent)
        except Exception as exc:
            handler = lookup_handler(handlers, exc)
            if handler is None:
                raise
            if sent.started:
                raise RuntimeError(
                    "Caught handled exception, but response already started."
                ) from exc
            await answer_with(handler, scope, receive, sent, exc)
        finally:
            scope[_HANDLERS] = outer

    def _in_effect(self, outer: Handlers | None) -> Handlers:
        """This router's handlers over `outer`, merged once per outer table (not per request)."""
        if outer is None:
            return self.handlers
        cache = self._cache
        if cache is not None and cache[0] is outer[0] and cache[1] is outer[1]:
            return cache[2]
        by_class, by_status = self.handlers
        merged = ({**outer[0], **by_class}, {**outer[1], **by_status})
        self._cache = (outer[0], outer[1], merged)
        return merged


def _has_scope(router: Any) -> bool:
    return bool(
        getattr(router, "exception_handlers", None) or getattr(router, "user_middleware", None)
    )


def _split(handlers: dict[Any, Callable[..., Any]]) -> Handlers:
    by_class = {k: v for k, v in handlers.items() if not isinstance(k, int)}
    by_status = {k: v for k, v in handlers.items() if isinstance(k, int)}
    return by_class, by_status


def _wrap(route: Any, routers: tuple[Any, ...]) -> None:
    """(Re)builds `route`'s ASGI app from its bare one, `routers` listed closest first."""
    bare = route.__dict__.setdefault("_accord_bare_app", route.app)
    app: ASGIApp = bare
    for router in routers:
        if router.exception_handlers:
            app = RouterExceptionLayer(app, _split(router.exception_handlers))
        for cls, args, kwargs in reversed(router.user_middleware):
            app = cls(app, *args, **kwargs)
    route.router_scopes = routers
    route.app = app  # what the route table dispatches to


def _is_api_route(route: BaseRoute) -> bool:
    return hasattr(route, "route_plan")


def scope_new_route(router: Any, route: BaseRoute) -> None:
    """Wraps a route just registered on `router` when the router has middleware or handlers."""
    if _has_scope(router) and _is_api_route(route):
        _wrap(route, (router,))


def inherit_router_scopes(declared: BaseRoute, copy: BaseRoute) -> None:
    """An included copy keeps the declared route's routers inside those of its new router."""
    inner: tuple[Any, ...] = getattr(declared, "router_scopes", ())
    if inner:
        _wrap(copy, (*inner, *getattr(copy, "router_scopes", ())))


def add_router_exception_handler(
    router: Any, key: int | type[Exception], handler: Callable[..., Any]
) -> None:
    """Registers a router's handler and re-wraps the routes it already has."""
    if router._included_into:
        raise AccordError(
            f"Cannot add an exception handler for {key!r} to a router that is already included "
            "(include_router copies its routes with the handlers they have then): register the "
            "handler before calling include_router."
        )
    router.exception_handlers[key] = handler
    for route in router.routes:
        if _is_api_route(route):
            routers: tuple[Any, ...] = getattr(route, "router_scopes", ())
            # By identity: routers compare equal when their route lists do.
            known = any(scoped is router for scoped in routers)
            _wrap(route, routers if known else (*routers, router))
    router._table = None
