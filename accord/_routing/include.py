"""`include_router`: the included router's routes are created again under the including one.

A copy's options are the route's own (already merged with its router's when it was declared)
under the `include_router` call's, then under the including router's (`RouterOptions.inherit`,
applied twice: here and in `add_api_route`). A copy keeps the middleware and exception handlers
of the routers it was declared and included in (innermost first), with those of the including
router around them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.routing import BaseRoute, Mount, Route, WebSocketRoute

from accord._routing.options import RouterOptions, check_prefix
from accord._routing.scopes import inherit_router_scopes
from accord.datastructures import Default
from accord.exceptions import AccordError

if TYPE_CHECKING:
    from accord.routing import APIRoute, APIRouter

__all__ = ["include_late_route", "include_routes"]


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
    for route in router.routes:
        _include_one(parent, route, prefix, options)
    router._included_into.append((parent, prefix, options))


def include_late_route(router: APIRouter, route: BaseRoute) -> None:
    """Adds a route registered after `router` was included to every router that includes it."""
    for parent, prefix, options in router._included_into:
        _include_one(parent, route, prefix, options)


def _include_one(parent: APIRouter, route: BaseRoute, prefix: str, options: RouterOptions) -> None:
    from accord.routing import APIRoute, APIWebSocketRoute  # routing imports this module

    if isinstance(route, APIRoute):
        _include_api_route(parent, route, prefix, options)
    elif isinstance(route, APIWebSocketRoute):
        parent.add_api_websocket_route(
            prefix + route.path,
            route.endpoint,
            name=route.name,
            dependencies=[*options.dependencies, *route.dependencies],
        )
        inherit_router_scopes(route, parent.routes[-1])
    elif isinstance(route, Route):
        parent.add_route(
            prefix + route.path,
            route.endpoint,
            methods=list(route.methods) if route.methods else None,
            include_in_schema=route.include_in_schema,
            name=route.name,
        )
    elif isinstance(route, WebSocketRoute):
        parent.add_websocket_route(prefix + route.path, route.endpoint, name=route.name)
    elif isinstance(route, Mount):
        parent.routes.append(Mount(prefix + route.path, app=route.app, name=route.name))
    else:
        parent.routes.append(route)


def _include_api_route(
    parent: APIRouter, route: APIRoute, prefix: str, options: RouterOptions
) -> None:
    merged: dict[str, Any] = RouterOptions.of(route).inherit(options).route_kwargs()
    parent.add_api_route(
        prefix + route.path,
        route.endpoint,
        methods=route.methods,
        route_class_override=type(route),
        response_model=Default(None) if route.response_model_inferred else route.response_model,
        status_code=route.status_code,
        summary=route.summary,
        description=route.description,
        response_description=route.response_description,
        operation_id=route.operation_id,
        response_model_include=route.response_model_include,
        response_model_exclude=route.response_model_exclude,
        response_model_by_alias=route.response_model_by_alias,
        response_model_exclude_unset=route.response_model_exclude_unset,
        response_model_exclude_defaults=route.response_model_exclude_defaults,
        response_model_exclude_none=route.response_model_exclude_none,
        name=route.name,
        openapi_extra=route.openapi_extra,
        **merged,
    )
    parent.routes[-1].origin = route.origin  # type: ignore[attr-defined]
    inherit_router_scopes(route, parent.routes[-1])
