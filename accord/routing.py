"""Path operations and routers: `APIRoute`, `APIRouter`, `APIWebSocketRoute`.

This module declares; it does not compile. A route is compiled when it is created
(`accord._compiler.compile_route`) and served by the runner `accord._runtime.make_runner`
picks for it; including a router creates the included routes again with the merged options
(`accord._routing`), so nesting depth costs nothing per request.
"""

from __future__ import annotations

import inspect
import os
import warnings
from collections.abc import Callable, Collection, Hashable, Iterator, Mapping, Sequence
from contextlib import AsyncExitStack
from contextvars import ContextVar
from dataclasses import dataclass, field
from enum import Enum, IntEnum
from typing import Any, Literal, TypedDict, TypeVar

from starlette import routing
from starlette._exception_handler import wrap_app_handling_exceptions
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Match, Mount, compile_path, get_name
from starlette.types import ASGIApp, Lifespan, Receive, Scope, Send
from typing_extensions import Unpack

from accord import params
from accord._compiler.dependant import Dependant, shared_analysis
from accord._compiler.diagnostics import check_route, check_router, diagnostics_enabled
from accord._compiler.replaced import complete, shape
from accord._compiler.route import (
    build_dependant,
    check_copy,
    compile_overrides,
    compile_plan,
    compile_route,
    replan,
    served_through_request,
    websocket_route_plan,
)
from accord._plan import ModelField, Plan, RoutePlan

# FastAPI's private names that extensions import from here (not in `__all__`: not public).
from accord._routing.contexts import (  # noqa: F401
    _EffectiveRouteContext,
    _get_scope_effective_route_context,
    _IncludedRouter,
    _iter_routes_with_context,
    record_copy,
)
from accord._routing.frontend import (
    Fallback,
    Frontend,
    frontend_for,
    join_paths,
    new_files,
    normalize_path,
)
from accord._routing.include import Inclusion, include_late_route, include_routes
from accord._routing.lifespan import (
    ON_EVENT_DEPRECATED,
    EventLifespan,
    as_lifespan,
    merge_lifespans,
)
from accord._routing.options import (
    OPTION_NAMES,
    RouterOptions,
    check_prefix,
    generate_unique_id,
    get_value_or_default,
)
from accord._routing.paths import LazyPathRegex, parse_path
from accord._routing.scopes import (
    add_router_exception_handler,
    inherit_router_scopes,
    scope_new_route,
)
from accord._routing.table import RouteTable, dispatch, handlers_changed
from accord._runtime.runner import RouteRunner, make_runner
from accord._runtime.websocket import make_websocket_runner
from accord.datastructures import Default, DefaultPlaceholder
from accord.exceptions import AccordError
from accord.limits import DEFAULT_MAX_BODY_SIZE, FormLimits
from accord.problems import ErrorFormat
from accord.types import IncEx

__all__ = [
    "APIRoute",
    "APIRouter",
    "APIWebSocketRoute",
    "Mount",
    "RouteContext",
    "RouteOptions",
    "generate_unique_id",
    "iter_route_contexts",
    "request_response",
]

DecoratedCallable = TypeVar("DecoratedCallable", bound=Callable[..., Any])

# FastAPI's private name for it, which tortoise-orm's `register_tortoise` imports.
_merge_lifespan_context = merge_lifespans

# The included copy whose handler a declared route is being asked for (APIRoute._asgi_app).
_SERVED: ContextVar[APIRoute | None] = ContextVar("accord_served_route", default=None)
# The declared route an included copy is being created from (APIRouter._new_api_route).
_DECLARED: ContextVar[APIRoute | None] = ContextVar("accord_declared_route", default=None)
Decorator = Callable[[DecoratedCallable], DecoratedCallable]


@dataclass(frozen=True)
class RouteContext:
    """A route as served, with the route it was declared as (before any `include_router`).

    As in FastAPI 0.163, `route` is the route as declared on its router; `path`, `name`,
    `methods`, `endpoint` and every other attribute are those of the route as the app serves it
    (its path under the include prefixes, its merged options).
    """

    route: BaseRoute
    _route_context: BaseRoute | None = field(default=None, repr=False)

    @property
    def original_route(self) -> BaseRoute:
        """The route object as first declared on its router."""
        return self.route

    @property
    def _served(self) -> BaseRoute:
        return self._route_context if self._route_context is not None else self.route

    @property
    def path(self) -> str | None:
        return getattr(self._served, "path", None)

    @property
    def path_format(self) -> str | None:
        return getattr(self._served, "path_format", None)

    @property
    def name(self) -> str | None:
        return getattr(self._served, "name", None)

    @property
    def methods(self) -> set[str] | None:
        return getattr(self._served, "methods", None)

    @property
    def endpoint(self) -> Callable[..., Any] | None:
        return getattr(self._served, "endpoint", None)

    def matches(self, scope: Scope) -> tuple[routing.Match, Scope]:
        """Whether the route as served matches `scope`, and the child scope it would set.

        An included path operation matches on its path under the prefixes and its methods,
        as FastAPI's include context does: a `matches` that its route class overrides runs
        when the router dispatches a request, not when an extension (the OpenTelemetry
        instrumentor, before the app's middleware) asks which route a scope is for.
        """
        if isinstance(self._route_context, APIRoute):
            return routing.Route.matches(self._route_context, scope)
        return self._served.matches(scope)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._served, name)


def iter_route_contexts(routes: Sequence[BaseRoute | RouteContext]) -> Iterator[RouteContext]:
    """Each served route wrapped in a :class:`RouteContext` (its declared route beside it)."""
    for route in routes:
        if isinstance(route, RouteContext):
            yield route
            continue
        origin: BaseRoute = getattr(route, "origin", route)
        yield RouteContext(origin) if origin is route else RouteContext(origin, route)


class RouteOptions(TypedDict, total=False):
    """The options of a path operation, shared by `add_api_route` and the verb decorators."""

    response_model: Any
    status_code: int | None
    tags: list[str | Enum] | None
    dependencies: Sequence[params.Depends] | None
    summary: str | None
    description: str | None
    response_description: str
    responses: dict[int | str, dict[str, Any]] | None
    deprecated: bool | None
    operation_id: str | None
    response_model_include: IncEx | None
    response_model_exclude: IncEx | None
    response_model_by_alias: bool
    response_model_exclude_unset: bool
    response_model_exclude_defaults: bool
    response_model_exclude_none: bool
    include_in_schema: bool
    response_class: type[Response] | DefaultPlaceholder
    name: str | None
    callbacks: list[BaseRoute] | None
    openapi_extra: dict[str, Any] | None
    generate_unique_id_function: Callable[[APIRoute], str] | DefaultPlaceholder
    strict_content_type: bool | DefaultPlaceholder
    error_format: ErrorFormat | DefaultPlaceholder
    max_body_size: int | DefaultPlaceholder | None
    form_limits: FormLimits | DefaultPlaceholder | None


# What `APIRoute._compile` sets: reading one of them compiles a deferred copy.
_COMPILED_ATTRIBUTES = frozenset(
    {
        "route_plan",
        "plan",
        "dependant",
        "body_field",
        "_embed_body_fields",
        "response_fields",
        "response_model",
        "response_field",
        "stream_item_type",
        "stream_item_field",
        "is_sse_stream",
        "is_json_stream",
        "is_generator",
        "_by_overrides",
        "_compiled_from",
        "_compiled_shape",
        "_app",
    }
)


class APIRoute(routing.Route):
    """A path operation: an endpoint, its declared inputs and outputs, compiled into a plan."""

    is_sse_stream: bool
    is_json_stream: bool
    stream_item_type: Any
    stream_item_field: ModelField | None
    dependant: Dependant
    _compiled_shape: tuple[Any, ...]
    path_regex = LazyPathRegex()

    def __init__(
        self,
        path: str,
        endpoint: Callable[..., Any],
        *,
        methods: set[str] | list[str] | None = None,
        dependency_overrides_provider: Any | None = None,
        **options: Unpack[RouteOptions],
    ) -> None:
        if not callable(endpoint):
            raise AccordError(f"The endpoint of path {path!r} must be a callable")
        self.path = path
        self.endpoint = endpoint
        self.dependency_overrides_provider = dependency_overrides_provider
        self._set_options(options)
        self.name = get_name(endpoint) if options.get("name") is None else str(options["name"])
        self._regex_path = path
        self.path_format, self.param_convertors = parse_path(path)
        self.methods: set[str] = {m.upper() for m in (methods or ["GET"])}
        unique = get_value_or_default(self.generate_unique_id_function)
        unique = unique.value if isinstance(unique, DefaultPlaceholder) else unique
        self.unique_id: str = self.operation_id or unique(self)
        # The route as first declared, before any `include_router` created this copy.
        declared = _DECLARED.get()
        self.origin: APIRoute = declared.origin if declared is not None else self
        if declared is None or diagnostics_enabled(dependency_overrides_provider):
            self._compile(declared)
        else:
            # An included copy: checked now, compiled when first used (a request reaching it,
            # the OpenAPI document, an extension reading its plan), as FastAPI 0.163 builds
            # an included route when it is first needed.
            self._taken = check_copy(self, declared)
            self._response_model_option = self.__dict__.pop("response_model")
            self._deferred_from = declared

    def __getattr__(self, name: str) -> Any:
        # Only reached for a missing attribute: a deferred copy compiles on first use of what
        # compiling sets, then is a plain route.
        if name in _COMPILED_ATTRIBUTES:
            declared = self.__dict__.pop("_deferred_from", None)
            if declared is not None:
                self._compile_deferred(declared)
                return getattr(self, name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def _compile_deferred(self, declared: APIRoute) -> None:
        # What was set on the copy before it compiled (an extension replacing `dependant` or
        # `app`) stays, as it would have overwritten a compiled route's value.
        state = self.__dict__
        kept = {name: state.pop(name) for name in _COMPILED_ATTRIBUTES if name in state}
        state["response_model"] = state.pop("_response_model_option")
        taken = state.pop("_taken")
        self._compile(declared, taken, announce=False)
        state.update(kept)

    def _set_options(self, options: RouteOptions) -> None:
        self.response_model: Any = options.get("response_model", Default(None))
        # Inferred from the return annotation (so an included copy infers it again, stream
        # item types included) rather than declared.
        self.response_model_inferred = isinstance(self.response_model, DefaultPlaceholder)
        status_code = options.get("status_code")
        self.status_code: int | None = (
            int(status_code) if isinstance(status_code, IntEnum) else status_code
        )
        self.tags: list[str | Enum] = list(options.get("tags") or [])
        self.dependencies: list[params.Depends] = list(options.get("dependencies") or [])
        self.summary: str | None = options.get("summary")
        self.response_description: str = options.get("response_description", "Successful Response")
        self.responses: dict[int | str, dict[str, Any]] = dict(options.get("responses") or {})
        self.deprecated: bool | None = options.get("deprecated")
        self.operation_id: str | None = options.get("operation_id")
        self.response_model_include: IncEx | None = options.get("response_model_include")
        self.response_model_exclude: IncEx | None = options.get("response_model_exclude")
        self.response_model_by_alias: bool = options.get("response_model_by_alias", True)
        self.response_model_exclude_unset: bool = options.get("response_model_exclude_unset", False)
        self.response_model_exclude_defaults: bool = options.get(
            "response_model_exclude_defaults", False
        )
        self.response_model_exclude_none: bool = options.get("response_model_exclude_none", False)
        self.include_in_schema: bool = options.get("include_in_schema", True)
        self.response_class: Any = options.get("response_class", Default(JSONResponse))
        self.callbacks: list[BaseRoute] | None = options.get("callbacks")
        self.openapi_extra: dict[str, Any] | None = options.get("openapi_extra")
        self.generate_unique_id_function: Any = options.get(
            "generate_unique_id_function", Default(generate_unique_id)
        )
        self.strict_content_type: Any = options.get("strict_content_type", Default(True))
        self.error_format: Any = options.get("error_format", Default("fastapi"))
        self.max_body_size: Any = options.get("max_body_size", Default(DEFAULT_MAX_BODY_SIZE))
        self.form_limits: Any = options.get("form_limits", Default(None))
        doc = options.get("description") or inspect.cleandoc(self.endpoint.__doc__ or "")
        self.description: str = doc.split("\f")[0].strip()

    def _compile(
        self,
        declared: APIRoute | None,
        taken: tuple[Dependant, Plan | None] | None = None,
        announce: bool = True,
    ) -> None:
        if declared is not None and shape(declared.dependant) != declared._compiled_shape:
            # An extension changed the copied route's tree since it was compiled (cadwyn wraps
            # the endpoint, adding a request parameter to its signature): the copy is analysed
            # afresh from its endpoint and dependencies, as FastAPI analyses every copy.
            declared, taken = None, None
        compiled = compile_route(self, declared, taken)
        self.route_plan: RoutePlan = compiled.route_plan
        self.plan: Plan = compiled.route_plan.plan
        self.dependant = compiled.dependant
        self.body_field: ModelField | None = compiled.body_field
        self._embed_body_fields = compiled.embed_body_fields
        self.response_fields: dict[int | str, ModelField] = compiled.response_fields
        self.response_model = compiled.response_model
        self.response_field: ModelField | None = compiled.response_field
        self.stream_item_type = compiled.stream_item_type
        self.stream_item_field = (
            compiled.route_plan.stream.item_field if compiled.route_plan.stream else None
        )
        self.is_sse_stream = compiled.is_sse_stream
        self.is_json_stream = compiled.is_json_stream
        self.is_generator = compiled.route_plan.stream is not None
        self._by_overrides: dict[Any, tuple[RoutePlan, Any]] = {}
        self._compiled_from = self.dependant
        self._compiled_shape = shape(self.dependant)
        if announce:
            self.app = self._asgi_app()
        else:  # a deferred copy compiling: no route table holds an older `app` of it
            self._app = self._asgi_app()
        check_route(self)

    @property
    def app(self) -> ASGIApp:
        """What serves the route's requests (its runner, or what an extension put there)."""
        return self._app

    @app.setter
    def app(self, app: ASGIApp) -> None:
        self._app = app
        handlers_changed()  # route tables hold `app`: they pick the new one up

    def _follow_dependant(self) -> None:
        """Compiles the route again if `dependant` is no longer the tree it was compiled from
        (an extension replaced it or changed it in place), as FastAPI builds its handler from
        `route.dependant` each time `get_route_handler` runs."""
        if shape(self.dependant) == self._compiled_shape:
            return
        compiled_from = complete(self.dependant)
        plan = compile_plan(compiled_from)[0]
        self.route_plan = replan(self.route_plan, plan)
        self.plan = plan
        self._by_overrides = {}
        self._compiled_from = compiled_from
        self._compiled_shape = shape(self.dependant)

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        """Starlette's matching, with the route itself in the child scope (``scope["route"]``),
        as FastAPI gives it to a router that matches routes itself (cadwyn's version router)."""
        match, child_scope = super().matches(scope)
        if match != Match.NONE:
            child_scope["route"] = self
        return match, child_scope

    @property
    def custom_handler(self) -> bool:
        """Whether the route class overrides `get_route_handler` (FastAPI's extension point)."""
        return type(self).get_route_handler is not APIRoute.get_route_handler

    def _asgi_app(self) -> ASGIApp:
        """The route's runner; or, when a subclass customises the handler (FastAPI's
        documented extension point), that handler served through the Request -> Response
        protocol, at the cost of the fast path."""
        if not self.custom_handler:
            return make_runner(self.route_plan, self)
        declared = self.origin
        if declared is self:
            return request_response(self.get_route_handler())
        # An included copy: as in FastAPI 0.163, the handler is asked of the route as declared
        # (a wrapper sees its own `self.path`, `self.dependencies`), and built for this copy.
        token = _SERVED.set(self)
        try:
            return request_response(declared.get_route_handler())
        finally:
            _SERVED.reset(token)

    def get_route_handler(self) -> Callable[[Request], Any]:
        """A ``handler(request) -> Response`` coroutine function for this route.

        Called on a declared route for one of its included copies (a custom route class's
        override calling ``super().get_route_handler()``), it handles the copy's requests.
        """
        served = _SERVED.get()
        route = served if served is not None and served.origin is self else self
        route._follow_dependant()
        runner = route._make_runner(route.route_plan)

        async def handler(request: Request) -> Response:
            stack = request.scope.get("accord.request_stack")
            current = route.current_runner(runner)
            scope = request.scope
            return await current.solve(
                current.plan, scope, request.receive, request._send, stack, request=request
            )

        return handler

    def current_plan(self) -> Plan:
        """The plan with the app's current dependency overrides applied."""
        overrides = getattr(self.dependency_overrides_provider, "dependency_overrides", None)
        return self._overridden(overrides)[0].plan if overrides else self.plan

    def current_runner(self, runner: RouteRunner) -> RouteRunner:
        """`runner`, or the one compiled for the app's current dependency overrides."""
        overrides = getattr(self.dependency_overrides_provider, "dependency_overrides", None)
        return self.runner_for_overrides(overrides) if overrides else runner

    def runner_for_overrides(self, overrides: dict[Any, Any]) -> Any:
        """The runner when `overrides` replace some dependencies (compiled once per set)."""
        return self._overridden(overrides)[1]

    def _overridden(self, overrides: dict[Any, Any]) -> tuple[RoutePlan, Any]:
        # By the replacements' identity: an override need not be hashable (as in FastAPI, which
        # only looks its keys up); the cached plan keeps each one alive, so no id is reused.
        key = tuple((original, id(replacement)) for original, replacement in overrides.items())
        found = self._by_overrides.get(key)
        if found is None:
            if len(self._by_overrides) > 64:
                self._by_overrides.clear()
            route_plan = compile_overrides(self.route_plan, self._compiled_from, overrides)
            found = (route_plan, self._make_runner(route_plan))
            self._by_overrides[key] = found
        return found

    def _make_runner(self, route_plan: RoutePlan) -> Any:
        """A runner for `get_route_handler` or for an override set (which it checks itself)."""
        return make_runner(served_through_request(route_plan), self, overrides=False)


def request_response(handler: Callable[[Request], Any]) -> ASGIApp:
    """An ASGI app serving ``handler(request) -> Response`` with a request exit stack."""

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive, send)

        async def inner(scope: Scope, receive: Receive, send: Send) -> None:
            async with AsyncExitStack() as stack:
                scope["accord.request_stack"] = stack
                response = await handler(request)
                await response(scope, receive, send)

        await wrap_app_handling_exceptions(inner, request)(scope, receive, send)

    return app


class APIWebSocketRoute(routing.WebSocketRoute):
    """A WebSocket endpoint with Accord's parameters and dependencies."""

    def __init__(
        self,
        path: str,
        endpoint: Callable[..., Any],
        *,
        name: str | None = None,
        dependencies: Sequence[params.Depends] | None = None,
        dependency_overrides_provider: Any | None = None,
    ) -> None:
        self.path = path
        self.endpoint = endpoint
        self.name = get_name(endpoint) if name is None else name
        self.dependencies = list(dependencies or [])
        self.dependency_overrides_provider = dependency_overrides_provider
        self.path_regex, self.path_format, self.param_convertors = compile_path(path)
        self.dependant = build_dependant(self.path_format, endpoint, self.dependencies)
        self.route_plan = websocket_route_plan(compile_plan(self.dependant)[0], endpoint)
        self.plan = self.route_plan.plan
        self._by_overrides: dict[Any, tuple[RoutePlan, Any]] = {}
        self._compiled_from = self.dependant
        self.websocket_runner = make_websocket_runner(self.route_plan, self)
        self.app = self.websocket_runner

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        """Starlette's matching, with the route itself in the child scope (as `APIRoute`)."""
        match, child_scope = super().matches(scope)
        if match != Match.NONE:
            child_scope["route"] = self
        return match, child_scope

    current_plan = APIRoute.current_plan
    runner_for_overrides = APIRoute.runner_for_overrides
    _overridden = APIRoute._overridden

    def _make_runner(self, route_plan: RoutePlan) -> Any:
        return make_websocket_runner(route_plan, self, watch=False)


class APIRouter(routing.Router):
    """A group of path operations sharing a prefix, tags, dependencies and responses."""

    # Set from one `RouterOptions` in `__init__`:
    tags: list[str | Enum]
    dependencies: list[params.Depends]
    responses: dict[int | str, dict[str, Any]]
    callbacks: list[BaseRoute]
    deprecated: bool | None
    include_in_schema: bool
    default_response_class: Any
    generate_unique_id_function: Any
    strict_content_type: Any
    error_format: Any
    max_body_size: Any
    form_limits: Any

    def __init__(
        self,
        *,
        prefix: str = "",
        tags: list[str | Enum] | None = None,
        dependencies: Sequence[params.Depends] | None = None,
        default_response_class: type[Response] | DefaultPlaceholder = Default(JSONResponse),
        responses: dict[int | str, dict[str, Any]] | None = None,
        callbacks: list[BaseRoute] | None = None,
        routes: list[BaseRoute] | None = None,
        redirect_slashes: bool = True,
        default: ASGIApp | None = None,
        dependency_overrides_provider: Any | None = None,
        route_class: type[APIRoute] = APIRoute,
        on_startup: Sequence[Callable[[], Any]] | None = None,
        on_shutdown: Sequence[Callable[[], Any]] | None = None,
        lifespan: Lifespan[Any] | None = None,
        middleware: Sequence[Middleware] | None = None,
        exception_handlers: Mapping[Any, Callable[..., Any]] | None = None,
        deprecated: bool | None = None,
        include_in_schema: bool = True,
        generate_unique_id_function: Callable[[APIRoute], str] | DefaultPlaceholder = Default(
            generate_unique_id
        ),
        strict_content_type: bool | DefaultPlaceholder = Default(True),
        error_format: ErrorFormat | DefaultPlaceholder = Default("fastapi"),
        max_body_size: int | DefaultPlaceholder | None = Default(DEFAULT_MAX_BODY_SIZE),
        form_limits: FormLimits | DefaultPlaceholder | None = Default(None),
    ) -> None:
        super().__init__(routes=routes, redirect_slashes=redirect_slashes, default=default)
        check_prefix(prefix)
        self.on_startup = list(on_startup or [])
        self.on_shutdown = list(on_shutdown or [])
        self.lifespan_context = (
            as_lifespan(lifespan)
            if lifespan is not None
            else EventLifespan(self.on_startup, self.on_shutdown)
        )
        # Router-scoped: compiled into this router's routes (accord._routing.scopes).
        self.user_middleware: list[Middleware] = list(middleware or [])
        self.exception_handlers: dict[Any, Callable[..., Any]] = dict(exception_handlers or {})
        self.prefix = prefix
        self.dependency_overrides_provider = dependency_overrides_provider
        self.route_class = route_class
        options = RouterOptions.build(
            tags=tags,
            dependencies=dependencies,
            responses=responses,
            callbacks=callbacks,
            deprecated=deprecated,
            include_in_schema=include_in_schema,
            response_class=default_response_class,
            generate_unique_id_function=generate_unique_id_function,
            strict_content_type=strict_content_type,
            error_format=error_format,
            max_body_size=max_body_size,
            form_limits=form_limits,
        )
        # The options are plain attributes, as in FastAPI; `RouterOptions.of` reads them back.
        for name, value in options.router_kwargs().items():
            setattr(self, name, value)
        self._table: RouteTable | None = None
        # The dependencies its routes share, analysed once (accord._compiler.dependant).
        self._analysis: dict[Hashable, Any] = {}
        self._included_into: list[Inclusion] = []
        # Served when no route matches (accord._routing.frontend); not in `routes`, as in FastAPI.
        self._frontends: list[Frontend] = []

    # -- request dispatch ---------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)

    app = dispatch
    """Finds the route for `scope` in the compiled table and runs it."""

    def _routes_changed(self) -> None:
        self._table = None
        check_router(self)

    def _mark_routes_changed(self) -> None:
        """FastAPI's name for it: extensions that edit `routes` in place call it."""
        self._routes_changed()

    # -- registration -------------------------------------------------------------------

    def add_api_route(
        self,
        path: str,
        endpoint: Callable[..., Any],
        *,
        methods: set[str] | list[str] | None = None,
        route_class_override: type[APIRoute] | None = None,
        **options: Unpack[RouteOptions],
    ) -> None:
        """Registers a path operation (what the verb decorators call)."""
        self._register(self._new_api_route(path, endpoint, methods, route_class_override, options))

    def _new_api_route(
        self,
        path: str,
        endpoint: Callable[..., Any],
        methods: set[str] | list[str] | None,
        route_class_override: type[APIRoute] | None,
        options: RouteOptions,
        declared: APIRoute | None = None,
    ) -> APIRoute:
        route_class = route_class_override or self.route_class
        own = RouterOptions.build(**{k: v for k, v in options.items() if k in OPTION_NAMES})
        merged = own.inherit(RouterOptions.of(self)).route_kwargs()
        token = _DECLARED.set(declared)
        try:
            with shared_analysis(getattr(self, "_analysis", None)):
                return route_class(
                    self.prefix + path,
                    endpoint,
                    methods=methods,
                    dependency_overrides_provider=self.dependency_overrides_provider,
                    **{**options, **merged},
                )
        finally:
            _DECLARED.reset(token)

    def _register(
        self, route: BaseRoute, declared: BaseRoute | None = None, at: int | None = None
    ) -> None:
        """Adds a route built for this router (at index `at`, else last), wrapped in the
        router's middleware and handlers (inside them, those of the routers an included copy's
        `declared` route was on), and passes it on to the routers that include this one."""
        scope_new_route(self, route)
        if declared is not None and isinstance(declared, APIRoute | APIWebSocketRoute):
            origin = getattr(declared, "origin", declared)
            route.origin = origin  # type: ignore[attr-defined]
            record_copy(origin, self, route)
            inherit_router_scopes(declared, route)
        if at is None:
            self.routes.append(route)
        else:
            self.routes.insert(at, route)
        self._routes_changed()
        include_late_route(self, route)

    def api_route(
        self, path: str, *, methods: list[str] | None = None, **options: Unpack[RouteOptions]
    ) -> Decorator[Any]:
        """Decorator form of :meth:`add_api_route`."""

        def decorator(func: DecoratedCallable) -> DecoratedCallable:
            self.add_api_route(path, func, methods=methods, **options)
            return func

        return decorator

    def _verb(self, method: str, path: str, options: RouteOptions) -> Decorator[Any]:
        return self.api_route(path, methods=[method], **options)

    def get(self, path: str, **options: Unpack[RouteOptions]) -> Decorator[Any]:
        """Registers a GET path operation; options as in :class:`RouteOptions`."""
        return self._verb("GET", path, options)

    def put(self, path: str, **options: Unpack[RouteOptions]) -> Decorator[Any]:
        """Registers a PUT path operation; see :meth:`get`."""
        return self._verb("PUT", path, options)

    def post(self, path: str, **options: Unpack[RouteOptions]) -> Decorator[Any]:
        """Registers a POST path operation; see :meth:`get`."""
        return self._verb("POST", path, options)

    def delete(self, path: str, **options: Unpack[RouteOptions]) -> Decorator[Any]:
        """Registers a DELETE path operation; see :meth:`get`."""
        return self._verb("DELETE", path, options)

    def options(self, path: str, **options: Unpack[RouteOptions]) -> Decorator[Any]:
        """Registers an OPTIONS path operation; see :meth:`get`."""
        return self._verb("OPTIONS", path, options)

    def head(self, path: str, **options: Unpack[RouteOptions]) -> Decorator[Any]:
        """Registers a HEAD path operation; see :meth:`get`."""
        return self._verb("HEAD", path, options)

    def patch(self, path: str, **options: Unpack[RouteOptions]) -> Decorator[Any]:
        """Registers a PATCH path operation; see :meth:`get`."""
        return self._verb("PATCH", path, options)

    def trace(self, path: str, **options: Unpack[RouteOptions]) -> Decorator[Any]:
        """Registers a TRACE path operation; see :meth:`get`."""
        return self._verb("TRACE", path, options)

    def frontend(
        self,
        path: str,
        *,
        directory: str | os.PathLike[str],
        fallback: Fallback = "auto",
        check_dir: bool | Literal["auto"] = "auto",
    ) -> None:
        """Serves a built single-page app (a `dist` directory, say) under `path`.

        Every route of the app is tried first; the frontend answers only what none matched.
        A request for a file gets the file; one for a path the build does not have gets the
        `fallback`: ``"index.html"`` (to browsers navigating, so client-side routes load the
        app), ``"404.html"`` (answered 404), ``"auto"`` (whichever of the two the build has)
        or None (a plain 404). The router's dependencies (cookie authentication, say) run
        before a file is served; headers they set and background tasks they add are kept.

        Args:
            path: Where the frontend lives, such as ``"/"`` or ``"/app"``; under the router's
                prefix and, once included, under the include's.
            directory: The built files.
            fallback: What answers a path that is not a file, as above.
            check_dir: Check at registration that the directory (and an explicit fallback
                file) exists. ``"auto"`` checks unless ``FASTAPI_ENV=development``, which
                `accord dev` sets: there a missing directory is only a warning.
        """
        files = new_files(directory, fallback, check_dir)
        full_path = join_paths(self.prefix, normalize_path(path))
        self._add_frontend(
            frontend_for(full_path, files, self.dependencies, self.dependency_overrides_provider)
        )

    def _add_frontend(self, frontend: Frontend) -> None:
        self._frontends.append(frontend)
        for inclusion in self._included_into:
            inclusion.place_frontend(frontend)

    def add_api_websocket_route(
        self,
        path: str,
        endpoint: Callable[..., Any],
        name: str | None = None,
        *,
        dependencies: Sequence[params.Depends] | None = None,
    ) -> None:
        """Registers a WebSocket endpoint."""
        self._register(self._new_websocket_route(path, endpoint, name, dependencies))

    def _new_websocket_route(
        self,
        path: str,
        endpoint: Callable[..., Any],
        name: str | None,
        dependencies: Sequence[params.Depends] | None,
    ) -> APIWebSocketRoute:
        return APIWebSocketRoute(
            self.prefix + path,
            endpoint,
            name=name,
            dependencies=[*self.dependencies, *(dependencies or [])],
            dependency_overrides_provider=self.dependency_overrides_provider,
        )

    def websocket(
        self,
        path: str,
        name: str | None = None,
        *,
        dependencies: Sequence[params.Depends] | None = None,
    ) -> Decorator[Any]:
        """Decorator registering a WebSocket endpoint."""

        def decorator(func: DecoratedCallable) -> DecoratedCallable:
            self.add_api_websocket_route(path, func, name=name, dependencies=dependencies)
            return func

        return decorator

    def add_route(self, *args: Any, **kwargs: Any) -> None:
        """Registers a plain Starlette route."""
        super().add_route(*args, **kwargs)
        self._register(self.routes.pop())

    def add_websocket_route(self, *args: Any, **kwargs: Any) -> None:
        """Registers a plain Starlette WebSocket route."""
        super().add_websocket_route(*args, **kwargs)
        self._register(self.routes.pop())

    def route(
        self,
        path: str,
        methods: Collection[str] | None = None,
        name: str | None = None,
        include_in_schema: bool = True,
    ) -> Decorator[Any]:
        """Decorator form of :meth:`add_route`: a plain Starlette endpoint taking a Request."""

        def decorator(func: DecoratedCallable) -> DecoratedCallable:
            self.add_route(
                path, func, methods=methods, name=name, include_in_schema=include_in_schema
            )
            return func

        return decorator

    def websocket_route(self, path: str, name: str | None = None) -> Decorator[Any]:
        """Decorator form of :meth:`add_websocket_route`: a plain Starlette WebSocket endpoint."""

        def decorator(func: DecoratedCallable) -> DecoratedCallable:
            self.add_websocket_route(path, func, name=name)
            return func

        return decorator

    def mount(self, path: str, app: ASGIApp, name: str | None = None) -> None:
        """Mounts an ASGI application under `path`."""
        self._register(Mount(path, app=app, name=name))

    def add_exception_handler(
        self, exc_class_or_status_code: int | type[Exception], handler: Callable[..., Any]
    ) -> None:
        """Handles an exception class or status code in this router's routes only.

        The closest router's handler wins; what no router handles reaches the app's handlers.
        Register handlers before the router is included.
        """
        add_router_exception_handler(self, exc_class_or_status_code, handler)

    def exception_handler(self, exc_class_or_status_code: int | type[Exception]) -> Decorator[Any]:
        """Decorator form of :meth:`add_exception_handler`."""

        def decorator(func: DecoratedCallable) -> DecoratedCallable:
            self.add_exception_handler(exc_class_or_status_code, func)
            return func

        return decorator

    def add_event_handler(self, event_type: str, func: Callable[[], Any]) -> None:
        """Registers a start-up or shut-down handler (deprecated style, kept for old apps)."""
        if event_type == "startup":
            self.on_startup.append(func)
        else:
            self.on_shutdown.append(func)

    def on_event(self, event_type: str) -> Decorator[Any]:
        """Decorator form of :meth:`add_event_handler` (deprecated; prefer `lifespan`)."""
        warnings.warn(ON_EVENT_DEPRECATED, DeprecationWarning, stacklevel=2)

        def decorator(func: DecoratedCallable) -> DecoratedCallable:
            self.add_event_handler(event_type, func)
            return func

        return decorator

    def include_router(
        self,
        router: APIRouter,
        *,
        prefix: str = "",
        tags: list[str | Enum] | None = None,
        dependencies: Sequence[params.Depends] | None = None,
        default_response_class: type[Response] | DefaultPlaceholder = Default(JSONResponse),
        responses: dict[int | str, dict[str, Any]] | None = None,
        callbacks: list[BaseRoute] | None = None,
        deprecated: bool | None = None,
        include_in_schema: bool = True,
        generate_unique_id_function: Callable[[APIRoute], str] | DefaultPlaceholder = Default(
            generate_unique_id
        ),
        error_format: ErrorFormat | DefaultPlaceholder = Default("fastapi"),
        max_body_size: int | DefaultPlaceholder | None = Default(DEFAULT_MAX_BODY_SIZE),
        form_limits: FormLimits | DefaultPlaceholder | None = Default(None),
    ) -> None:
        """Adds `router`'s routes under `prefix`, compiled now with the merged options."""
        options = RouterOptions.build(
            tags=tags,
            dependencies=dependencies,
            response_class=default_response_class,
            responses=responses,
            callbacks=callbacks,
            deprecated=deprecated,
            include_in_schema=include_in_schema,
            generate_unique_id_function=generate_unique_id_function,
            error_format=error_format,
            max_body_size=max_body_size,
            form_limits=form_limits,
        )
        include_routes(self, router, prefix=prefix, options=options)
        self.on_startup.extend(router.on_startup)
        self.on_shutdown.extend(router.on_shutdown)
        self.lifespan_context = merge_lifespans(self.lifespan_context, router.lifespan_context)
        self._routes_changed()
