"""FastAPI 0.163's included-router objects, for the extensions that walk them.

FastAPI keeps an included router in its parent's `routes` as an `_IncludedRouter` node and
builds an `_EffectiveRouteContext` (the route's merged state under the include) for each route
under it; extensions (cadwyn, fastapi-pagination, the OpenTelemetry instrumentor) walk them with
`_iter_routes_with_context` or match on `_IncludedRouter`. Accord compiles an included route
into a route of its own on the including router (its path under the prefixes, its merged
options), so a router's `routes` never hold an `_IncludedRouter` and every route there is
already the effective one: `_iter_routes_with_context` yields each with no context, as FastAPI
does for a route added to the app directly. The classes exist so that such code imports, type
checks and ``match``es as written; built by hand, they behave as FastAPI's do.

During a request, ``scope["route"]`` is the route as declared, as in FastAPI; when an included
copy serves it, `_get_scope_effective_route_context` answers with that copy (its merged
options: `strict_content_type`, `response_class`, ...), found among the declared route's copies
when asked, so that the request path records nothing for it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from starlette.routing import BaseRoute, Match, Route
from starlette.types import Receive, Scope, Send

__all__ = [
    "_EffectiveRouteContext",
    "_IncludedRouter",
    "_get_scope_effective_route_context",
    "_iter_routes_with_context",
    "record_copy",
]

# The included copies of each declared route, with the router each was registered on.
_COPIES = "_accord_copies"


@dataclass
class _EffectiveRouteContext:
    """A route as an include serves it: `original_route` as declared, and the route serving it
    (`starlette_route`, else the original); every other attribute is read from the latter."""

    original_route: BaseRoute
    starlette_route: BaseRoute | None = None

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name in ("original_route", "starlette_route"):
            raise AttributeError(name)
        served = self.starlette_route or self.original_route
        return getattr(served, name)

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        """Whether the served route matches `scope` (and the child scope it would set)."""
        return (self.starlette_route or self.original_route).matches(scope)


@dataclass(eq=False)
class _IncludedRouter(BaseRoute):
    """`original_router` included in another router (see the module docstring)."""

    original_router: Any
    include_context: Any = None
    _contexts: list[_EffectiveRouteContext] = field(default_factory=list, repr=False)

    def effective_route_contexts(self) -> Iterator[_EffectiveRouteContext]:
        """A context for every route of the included router, nested includes flattened."""
        for route, context in _iter_routes_with_context(self.original_router.routes):
            yield context if context is not None else _EffectiveRouteContext(route)

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        partial: tuple[Match, Scope] | None = None
        for context in self.effective_route_contexts():
            match, child = context.matches(scope)
            if match is Match.FULL:
                return match, child
            if match is Match.PARTIAL and partial is None:
                partial = (match, child)
        return partial or (Match.NONE, {})

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.original_router.handle(scope, receive, send)


def _iter_routes_with_context(
    routes: Sequence[BaseRoute],
) -> Iterator[tuple[BaseRoute, _EffectiveRouteContext | None]]:
    """Each route with its include context: none for Accord's routes (they are the effective
    ones already); the contexts of an `_IncludedRouter` built by hand."""
    for route in routes:
        if isinstance(route, _IncludedRouter):
            for context in route.effective_route_contexts():
                yield context.original_route, context
        else:
            yield route, None


class _Copies(list[tuple[Any, BaseRoute]]):
    """A declared route's included copies. A copy of the route (cadwyn deep-copies routes
    for each version) is a route of its own, with none yet: copying or pickling the route
    does not copy them, nor the routers they are on."""

    def __copy__(self) -> _Copies:
        return _Copies()

    def __deepcopy__(self, memo: dict[int, Any]) -> _Copies:
        return _Copies()

    def __reduce__(self) -> tuple[type[_Copies], tuple[()]]:
        return (_Copies, ())


def record_copy(origin: BaseRoute, router: Any, copy: BaseRoute) -> None:
    """Notes that `copy` of the declared route `origin` was registered on `router`."""
    copies: _Copies = origin.__dict__.setdefault(_COPIES, _Copies())
    copies.append((router, copy))


def _get_scope_effective_route_context(scope: Scope) -> _EffectiveRouteContext | None:
    """The include context of the route serving `scope`: the included copy of the declared
    route (``scope["route"]``) that serves it, or None when the route serves itself.

    Of the copies matching the request, the one on the router that dispatched it
    (``scope["router"]``) serves it; a copy on a mounted router is the only one that matches
    there, and the last made is taken when the router is not the dispatching one.
    """
    route = scope.get("route")
    copies: list[tuple[Any, BaseRoute]] = getattr(route, _COPIES, None) or []
    matching = [
        (router, copy)
        for router, copy in copies
        if isinstance(copy, Route) and Route.matches(copy, scope)[0] is Match.FULL
    ]
    if route is None or not matching:
        return None
    dispatcher = scope.get("router")
    served = next((copy for router, copy in matching if router is dispatcher), matching[-1][1])
    return _EffectiveRouteContext(route, served)
