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
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from starlette.routing import BaseRoute, Match
from starlette.types import Receive, Scope, Send

__all__ = [
    "_EffectiveRouteContext",
    "_IncludedRouter",
    "_get_scope_effective_route_context",
    "_iter_routes_with_context",
]


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


def _get_scope_effective_route_context(scope: Scope) -> _EffectiveRouteContext | None:
    """The include context of the route serving `scope`: none on Accord, whose `scope["route"]`
    is the served route itself, with its merged options."""
    return None
