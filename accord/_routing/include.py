"""`include_router`: the included router's routes are created again under the including one.

A copy's options are the route's own (already merged with its router's when it was declared)
under the `include_router` call's, then under the including router's (`RouterOptions.inherit`,
applied twice: here and in `add_api_route`). A copy keeps the middleware and exception handlers
of the routers it was declared and included in (innermost first), with those of the including
router around them.

A route registered on a router after the router was included reaches every router that
includes it, at the place FastAPI's lazy includes give it: after the copies of the routes that
precede it, so that the first match is the same as in FastAPI.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from starlette.routing import BaseRoute, Mount, Route, WebSocketRoute

from accord._routing.frontend import Frontend
from accord._routing.options import RouterOptions, check_prefix
from accord.datastructures import Default
from accord.exceptions import AccordError

if TYPE_CHECKING:
    from accord.routing import APIRoute, APIRouter

__all__ = ["Inclusion", "include_late_route", "include_routes"]


@dataclass(eq=False)
class Inclusion:
    """One `include_router` call, kept on the included router for the routes it gets later."""

    parent: APIRouter
    prefix: str
    options: RouterOptions
    anchor: BaseRoute | None
    """The parent's route just before the included block (None: the block starts the list)."""
    copies: dict[int, BaseRoute] = field(default_factory=dict)
    """The parent's copy of each included route, by the identity of the route it copies."""

    def place(self, router: APIRouter, route: BaseRoute) -> None:
        """Copies `route` (one of `router.routes`) into the parent, where it belongs."""
        self.copies[id(route)] = _include_one(
            self.parent, route, self.prefix, self.options, self._position(router, route)
        )

    def place_frontend(self, frontend: Frontend) -> None:
        """Serves one of the included router's frontends from the parent too."""
        parent = self.parent
        parent._add_frontend(
            frontend.under(
                parent.prefix + self.prefix,
                [*parent.dependencies, *self.options.dependencies],
                parent.dependency_overrides_provider,
            )
        )

    def _position(self, router: APIRouter, route: BaseRoute) -> int | None:
        index = _index(router.routes, route)
        for earlier in reversed(router.routes[:index] if index is not None else []):
            copy = self.copies.get(id(earlier))
            if copy is not None:
                found = _index(self.parent.routes, copy)
                return None if found is None else found + 1
        if self.anchor is None:
            return 0
        found = _index(self.parent.routes, self.anchor)
        return None if found is None else found + 1


def _index(routes: list[BaseRoute], route: BaseRoute) -> int | None:
    # By identity: Starlette routes compare equal when their paths and endpoints do.
    return next((i for i, candidate in enumerate(routes) if candidate is route), None)


def include_routes(
    parent: APIRouter, router: APIRouter, *, prefix: str, options: RouterOptions
) -> None:
    """Adds every route of `router` to `parent` with the include-time options merged in."""
    if parent is router:
        raise AccordError(
            "Cannot include the same APIRouter instance into itself. "
            "Did you mean to include a different router?"
        )
    check_prefix(prefix)
    for route in router.routes:
        path = getattr(route, "path", None)
        if not prefix and path == "":
            name = getattr(route, "name", "unknown")
            raise AccordError(f"Prefix and path cannot be both empty (path operation: {name})")
    inclusion = Inclusion(parent, prefix, options, parent.routes[-1] if parent.routes else None)
    for route in router.routes:
        inclusion.copies[id(route)] = _include_one(parent, route, prefix, options, None)
    for frontend in router._frontends:
        inclusion.place_frontend(frontend)
    router._included_into.append(inclusion)


def include_late_route(router: APIRouter, route: BaseRoute) -> None:
    """Adds a route registered after `router` was included to every router that includes it."""
    for inclusion in router._included_into:
        inclusion.place(router, route)


def _include_one(
    parent: APIRouter, route: BaseRoute, prefix: str, options: RouterOptions, at: int | None
) -> BaseRoute:
    """The parent's copy of `route`, registered at index `at` (None: at the end)."""
    from accord.routing import APIRoute, APIWebSocketRoute  # routing imports this module

    copy: BaseRoute
    if isinstance(route, APIRoute):
        copy = _api_route_copy(parent, route, prefix, options)
    elif isinstance(route, APIWebSocketRoute):
        copy = parent._new_websocket_route(
            prefix + route.path,
            route.endpoint,
            route.name,
            [*options.dependencies, *route.dependencies],
        )
    elif isinstance(route, Route):
        copy = Route(
            prefix + route.path,
            route.endpoint,
            methods=list(route.methods) if route.methods else None,
            include_in_schema=route.include_in_schema,
            name=route.name,
        )
    elif isinstance(route, WebSocketRoute):
        copy = WebSocketRoute(prefix + route.path, route.endpoint, name=route.name)
    elif isinstance(route, Mount):
        copy = Mount(prefix + route.path, app=route.app, name=route.name)
    else:
        copy = route
    parent._register(copy, declared=route, at=at)
    return copy


def _api_route_copy(
    parent: APIRouter, route: APIRoute, prefix: str, options: RouterOptions
) -> APIRoute:
    merged: dict[str, Any] = RouterOptions.of(route).inherit(options).route_kwargs()
    declared: dict[str, Any] = {
        "response_model": Default(None) if route.response_model_inferred else route.response_model,
        "status_code": route.status_code,
        "summary": route.summary,
        "description": route.description,
        "response_description": route.response_description,
        "operation_id": route.operation_id,
        "response_model_include": route.response_model_include,
        "response_model_exclude": route.response_model_exclude,
        "response_model_by_alias": route.response_model_by_alias,
        "response_model_exclude_unset": route.response_model_exclude_unset,
        "response_model_exclude_defaults": route.response_model_exclude_defaults,
        "response_model_exclude_none": route.response_model_exclude_none,
        "name": route.name,
        "openapi_extra": route.openapi_extra,
    }
    return parent._new_api_route(
        prefix + route.path,
        route.endpoint,
        route.methods,
        type(route),
        {**declared, **merged},  # type: ignore[typeddict-item]
        declared=route,
    )
