"""`include_router`: the included router's routes are created again under the including one.

A copy keeps the middleware and exception handlers of the routers it was declared and included
in (innermost first), with those of the including router around them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.routing import BaseRoute, Mount, Route, WebSocketRoute

from accord._runtime.router_scope import inherit_router_scopes
from accord.datastructures import Default
from accord.exceptions import AccordError

if TYPE_CHECKING:
    from accord.routing import APIRoute, APIRouter

__all__ = ["include_routes"]


def include_routes(parent: APIRouter, router: APIRouter, *, prefix: str, **context: Any) -> None:
    """Adds every route of `router` to `parent` with the include-time options merged in."""
    if parent is router:
        raise AccordError(
            "Cannot include the same APIRouter instance into itself. "
            "Did you mean to include a different router?"
        )
    if prefix:
        if not prefix.startswith("/"):
            raise AccordError(f"A path prefix must start with '/' (got {prefix!r})")
        if prefix.endswith("/"):
            raise AccordError(
                "A path prefix must not end with '/', as the routes will start with '/' "
                f"(got {prefix!r})"
            )
    for route in router.routes:
        path = getattr(route, "path", None)
        if not prefix and path == "":
            name = getattr(route, "name", "unknown")
            raise AccordError(f"Prefix and path cannot be both empty (path operation: {name})")
    for route in router.routes:
        _include_one(parent, router, route, prefix, context)
    router._included_into.append((parent, prefix, context))


def include_late_route(router: APIRouter, route: BaseRoute) -> None:
    """Adds a route registered after `router` was included to every router that includes it."""
    for parent, prefix, context in router._included_into:
        _include_one(parent, router, route, prefix, context)


def _include_one(
    parent: APIRouter, router: APIRouter, route: BaseRoute, prefix: str, ctx: dict[str, Any]
) -> None:
    from accord.routing import APIRoute, APIWebSocketRoute

    if isinstance(route, APIRoute):
        _include_api_route(parent, router, route, prefix, ctx)
    elif isinstance(route, APIWebSocketRoute):
        parent.add_api_websocket_route(
            prefix + route.path,
            route.endpoint,
            name=route.name,
            dependencies=[*ctx["dependencies"], *route.dependencies],
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
    parent: APIRouter, router: APIRouter, route: APIRoute, prefix: str, ctx: dict[str, Any]
) -> None:
    from accord.routing import get_value_or_default

    parent.add_api_route(
        prefix + route.path,
        route.endpoint,
        methods=route.methods,
        route_class_override=type(route),
        response_model=Default(None) if route.response_model_inferred else route.response_model,
        status_code=route.status_code,
        tags=[*ctx["tags"], *route.tags],
        dependencies=[*ctx["dependencies"], *route.dependencies],
        summary=route.summary,
        description=route.description,
        response_description=route.response_description,
        responses={**ctx["responses"], **route.responses},
        deprecated=route.deprecated or ctx["deprecated"],
        operation_id=route.operation_id,
        response_model_include=route.response_model_include,
        response_model_exclude=route.response_model_exclude,
        response_model_by_alias=route.response_model_by_alias,
        response_model_exclude_unset=route.response_model_exclude_unset,
        response_model_exclude_defaults=route.response_model_exclude_defaults,
        response_model_exclude_none=route.response_model_exclude_none,
        include_in_schema=route.include_in_schema and ctx["include_in_schema"],
        response_class=get_value_or_default(
            route.response_class, router.default_response_class, ctx["default_response_class"]
        ),
        name=route.name,
        callbacks=[*ctx["callbacks"], *(route.callbacks or [])],
        openapi_extra=route.openapi_extra,
        generate_unique_id_function=get_value_or_default(
            route.generate_unique_id_function,
            router.generate_unique_id_function,
            ctx["generate_unique_id_function"],
        ),
        strict_content_type=get_value_or_default(
            route.strict_content_type, router.strict_content_type
        ),
        **{  # the route's own setting, else its router's, else include_router's
            key: get_value_or_default(
                getattr(route, key), getattr(router, key), ctx.get(key, Default(None))
            )
            for key in ("error_format", "max_body_size", "form_limits")
        },
    )
    parent.routes[-1].origin = route.origin  # type: ignore[attr-defined]
    inherit_router_scopes(route, parent.routes[-1])
