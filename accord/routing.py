"""Path operations and routers: `APIRoute`, `APIRouter`, `APIWebSocketRoute`.

A route is compiled when it is created (`accord._compiler`); including a router creates the
included routes again with the merged options, so nesting depth costs nothing per request.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from enum import Enum, IntEnum
from typing import Any, TypedDict, TypeVar

from starlette import routing
from starlette._exception_handler import wrap_app_handling_exceptions
from starlette._utils import get_route_path
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Match, Mount, compile_path, get_name
from starlette.types import ASGIApp, Lifespan, Receive, Scope, Send
from typing_extensions import Unpack

from accord import params
from accord._compiler.annotations import lenient_issubclass
from accord._compiler.app_scope import bind_app_scope
from accord._compiler.calls import is_async_gen_callable, is_gen_callable
from accord._compiler.dependant import Dependant
from accord._compiler.diagnostics import check_route, check_router
from accord._compiler.fields import ModelField
from accord._compiler.response import (
    ResponsePlan,
    endpoint_context,
    is_body_allowed_for_status_code,
)
from accord._compiler.route import (
    build_dependant,
    compile_plan,
    get_body_field,
    is_response_class,
    make_response_field,
    return_annotation,
    stream_item_type,
)
from accord._runtime.router_scope import add_router_exception_handler, scope_new_route
from accord._runtime.runner import RouteRunner
from accord._runtime.streaming import JSONL, RAW, SSE, StreamingRouteRunner
from accord._runtime.table import HTTP, WEBSOCKET, RouteTable
from accord.datastructures import Default, DefaultPlaceholder
from accord.exceptions import AccordError
from accord.limits import DEFAULT_MAX_BODY_SIZE, FormLimits
from accord.problems import ErrorFormat
from accord.sse import EventSourceResponse, ServerSentEvent
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
]

DecoratedCallable = TypeVar("DecoratedCallable", bound=Callable[..., Any])
Decorator = Callable[[DecoratedCallable], DecoratedCallable]


@dataclass(frozen=True)
class RouteContext:
    """A route as served, with the route it was declared as (before any `include_router`)."""

    route: BaseRoute
    _route_context: Any = field(default=None, repr=False)

    @property
    def original_route(self) -> BaseRoute:
        """The route object as first declared on its router."""
        origin: BaseRoute = getattr(self.route, "origin", self.route)
        return origin

    def __getattr__(self, name: str) -> Any:
        return getattr(self.route, name)


def iter_route_contexts(routes: Sequence[BaseRoute | RouteContext]) -> Iterator[RouteContext]:
    """Each served route wrapped in a :class:`RouteContext`."""
    for route in routes:
        yield route if isinstance(route, RouteContext) else RouteContext(route)


def generate_unique_id(route: APIRoute) -> str:
    """FastAPI's operation id: name, path and first method, non-word characters as ``_``."""
    operation_id = re.sub(r"\W", "_", f"{route.name}{route.path_format}")
    return f"{operation_id}_{next(iter(route.methods)).lower()}"


def get_value_or_default(first: Any, *others: Any) -> Any:
    """The first value that is not a `DefaultPlaceholder`, else the first placeholder."""
    for item in (first, *others):
        if not isinstance(item, DefaultPlaceholder):
            return item
    return first


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


class APIRoute(routing.Route):
    """A path operation: an endpoint, its declared inputs and outputs, compiled into a plan."""

    is_sse_stream: bool
    is_json_stream: bool
    stream_item_type: Any
    stream_item_field: ModelField | None

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
        self.path_regex, self.path_format, self.param_convertors = compile_path(path)
        self.methods: set[str] = {m.upper() for m in (methods or ["GET"])}
        unique = get_value_or_default(self.generate_unique_id_function)
        unique = unique.value if isinstance(unique, DefaultPlaceholder) else unique
        self.unique_id: str = self.operation_id or unique(self)
        # The route as first declared, before any `include_router` created this copy.
        self.origin: APIRoute = self
        self._compile()

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

    def _compile(self) -> None:
        where = f"path operation {sorted(self.methods)} {self.path!r} ({self.name})"
        self.response_fields: dict[int | str, ModelField] = {}
        for code, response in self.responses.items():
            if not isinstance(response, dict):
                raise AccordError(f"An additional response must be a dict ({where}, {code})")
            model = response.get("model")
            if model:
                if not is_body_allowed_for_status_code(code):
                    raise AccordError(f"Status code {code} must not have a response body ({where})")
                self.response_fields[code] = make_response_field(
                    f"Response_{code}_{self.unique_id}", model, where
                )
        self.dependant: Dependant = build_dependant(
            self.path_format, self.endpoint, self.dependencies
        )
        self.plan, body_params, self._embed_body_fields = compile_plan(self.dependant)
        self.plan = bind_app_scope(self.plan, self.dependency_overrides_provider)
        self.body_field = get_body_field(body_params, self.unique_id, self._embed_body_fields)
        self._detect_stream()
        self.response_field = self._response_field(where)
        self.stream_item_field = self._stream_item_field()
        self._plans_by_overrides: dict[Any, Any] = {}
        self.runner = self._make_runner()
        self.app = self._asgi_app()
        check_route(self)

    def _detect_stream(self) -> None:
        """A generator endpoint streams: SSE with `EventSourceResponse`, else JSON Lines."""
        self.is_async_generator = is_async_gen_callable(self.endpoint)
        self.is_generator = self.is_async_generator or is_gen_callable(self.endpoint)
        response_class = self.response_class
        is_default = isinstance(response_class, DefaultPlaceholder)
        actual = response_class.value if is_default else response_class
        self.is_sse_stream = self.is_generator and lenient_issubclass(
            actual, EventSourceResponse
        )
        self.is_json_stream = self.is_generator and is_default and not self.is_sse_stream
        self.stream_item_type = None

    def _streams_items(self) -> bool:
        return self.is_json_stream or self.is_sse_stream

    def _response_field(self, where: str) -> ModelField | None:
        if isinstance(self.response_model, DefaultPlaceholder):
            annotation = return_annotation(self.endpoint)
            item = stream_item_type(annotation) if self.is_generator else None
            if is_response_class(annotation):
                self.response_model = None
            elif item is not None:
                # The items are the response: each is validated and serialized on its own.
                # A `ServerSentEvent` is the transport's envelope, not a data type.
                if self._streams_items() and not lenient_issubclass(item, ServerSentEvent):
                    self.stream_item_type = item
                self.response_model = None
            else:
                self.response_model = annotation
        if not self.response_model:
            return None
        if not is_body_allowed_for_status_code(self.status_code):
            raise AccordError(
                f"Status code {self.status_code} must not have a response body ({where}): "
                "remove the response model or use another status code."
            )
        return make_response_field("Response_" + self.unique_id, self.response_model, where)

    def _stream_item_field(self) -> ModelField | None:
        if not self.stream_item_type:
            return None
        where = f"path operation {sorted(self.methods)} {self.path!r} ({self.name})"
        return make_response_field("StreamItem_" + self.unique_id, self.stream_item_type, where)

    def _make_runner(self) -> RouteRunner:
        """The runner for this route's kind, chosen here so a request never asks."""
        if not self.is_generator:
            return RouteRunner(self, self.plan, self._response_plan())
        mode = SSE if self.is_sse_stream else JSONL if self.is_json_stream else RAW
        return StreamingRouteRunner(
            self,
            self.plan,
            self._response_plan(),
            mode=mode,
            item_field=self.stream_item_field,
            is_async=self.is_async_generator,
        )

    def _response_plan(self) -> ResponsePlan:
        response_class = self.response_class
        is_default = isinstance(response_class, DefaultPlaceholder)
        return ResponsePlan(
            status_code=self.status_code,
            field=self.response_field,
            response_class=response_class.value if is_default else response_class,
            class_is_default=is_default,
            dump_options={
                "include": self.response_model_include,
                "exclude": self.response_model_exclude,
                "by_alias": self.response_model_by_alias,
                "exclude_unset": self.response_model_exclude_unset,
                "exclude_defaults": self.response_model_exclude_defaults,
                "exclude_none": self.response_model_exclude_none,
            },
            endpoint_ctx=endpoint_context(self.endpoint, None),
        )

    def _asgi_app(self) -> ASGIApp:
        if type(self).get_route_handler is APIRoute.get_route_handler:
            return self.runner
        # A subclass customises the handler (FastAPI's documented extension point): serve it
        # through the Request -> Response protocol, at the cost of the fast path.
        self.runner = None  # type: ignore[assignment]
        return request_response(self.get_route_handler())

    def get_route_handler(self) -> Callable[[Request], Any]:
        """A ``handler(request) -> Response`` coroutine function for this route."""
        runner = self._make_runner()

        async def handler(request: Request) -> Response:
            stack = request.scope.get("accord.request_stack")
            plan = self.current_plan()
            scope = request.scope
            return await runner.solve(
                plan, scope, request.receive, request._send, stack, request=request
            )

        return handler

    def current_plan(self) -> Any:
        """The plan with the app's current dependency overrides applied."""
        provider = self.dependency_overrides_provider
        overrides = getattr(provider, "dependency_overrides", None)
        return self.plan_for_overrides(overrides) if overrides else self.plan

    def plan_for_overrides(self, overrides: dict[Any, Any]) -> Any:
        """The plan when `overrides` replace some dependencies (compiled once per override set)."""
        from accord._compiler.overrides import apply_overrides

        key = tuple(overrides.items())
        plan = self._plans_by_overrides.get(key)
        if plan is None:
            if len(self._plans_by_overrides) > 64:
                self._plans_by_overrides.clear()
            plan = compile_plan(apply_overrides(self.dependant, overrides))[0]
            plan = bind_app_scope(plan, self.dependency_overrides_provider)
            self._plans_by_overrides[key] = plan
        return plan


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
        from accord._runtime.websocket import WebSocketRunner

        self.path = path
        self.endpoint = endpoint
        self.name = get_name(endpoint) if name is None else name
        self.dependencies = list(dependencies or [])
        self.dependency_overrides_provider = dependency_overrides_provider
        self.path_regex, self.path_format, self.param_convertors = compile_path(path)
        self.dependant = build_dependant(self.path_format, endpoint, self.dependencies)
        self.plan = bind_app_scope(compile_plan(self.dependant)[0], dependency_overrides_provider)
        self._plans_by_overrides: dict[Any, Any] = {}
        self.websocket_runner = WebSocketRunner(self)
        self.app = self.websocket_runner

    current_plan = APIRoute.current_plan
    plan_for_overrides = APIRoute.plan_for_overrides


def _merge_lifespans(outer: Lifespan[Any], inner: Lifespan[Any]) -> Lifespan[Any]:
    @asynccontextmanager
    async def merged(app: Any) -> Any:
        async with outer(app) as outer_state, inner(app) as inner_state:
            if outer_state is None and inner_state is None:
                yield None
            else:
                yield {**(inner_state or {}), **(outer_state or {})}

    return merged


class _EventLifespan:
    """Runs a router's `on_startup` / `on_shutdown` handlers as a lifespan."""

    def __init__(self, router: APIRouter) -> None:
        self._router = router

    def __call__(self, app: object) -> _EventLifespan:
        return self

    async def __aenter__(self) -> None:
        for handler in self._router.on_startup:
            result = handler()
            if inspect.isawaitable(result):
                await result

    async def __aexit__(self, *exc_info: object) -> None:
        for handler in self._router.on_shutdown:
            result = handler()
            if inspect.isawaitable(result):
                await result


class APIRouter(routing.Router):
    """A group of path operations sharing a prefix, tags, dependencies and responses."""

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
        if lifespan is not None:
            self.lifespan_context = _as_lifespan(lifespan)
        else:
            self.lifespan_context = _EventLifespan(self)
        if prefix:
            if not prefix.startswith("/"):
                raise AccordError(f"A path prefix must start with '/' (got {prefix!r})")
            if prefix.endswith("/"):
                raise AccordError(
                    f"A path prefix must not end with '/', as the routes will start with '/' "
                    f"(got {prefix!r})"
                )
        self.on_startup = list(on_startup or [])
        self.on_shutdown = list(on_shutdown or [])
        # Router-scoped: compiled into this router's routes (accord._runtime.router_scope).
        self.user_middleware: list[Middleware] = list(middleware or [])
        self.exception_handlers: dict[Any, Callable[..., Any]] = dict(exception_handlers or {})
        self.prefix = prefix
        self.tags: list[str | Enum] = list(tags or [])
        self.dependencies = list(dependencies or [])
        self.deprecated = deprecated
        self.include_in_schema = include_in_schema
        self.responses = dict(responses or {})
        self.callbacks = list(callbacks or [])
        self.dependency_overrides_provider = dependency_overrides_provider
        self.route_class = route_class
        self.default_response_class = default_response_class
        self.generate_unique_id_function = generate_unique_id_function
        self.strict_content_type = strict_content_type
        self.error_format = error_format
        self.max_body_size = max_body_size
        self.form_limits = form_limits
        self._table: RouteTable | None = None
        self._included_into: list[tuple[APIRouter, str, dict[str, Any]]] = []

    # -- request dispatch ---------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)

    async def app(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Finds the route for `scope` in the compiled table and runs it."""
        if "router" not in scope:
            scope["router"] = self
        kind = scope["type"]
        if kind == "lifespan":
            await self.lifespan(scope, receive, send)
            return
        table = self._table
        if table is None or table.size != len(self.routes):
            table = self._table = RouteTable(self.routes)
        path = get_route_path(scope)
        wanted = HTTP if kind == "http" else WEBSOCKET
        partial: tuple[BaseRoute, Scope] | None = None
        for entry in table.candidates(path):
            if entry.kind == wanted:
                match = entry.regex.match(path) if entry.regex is not None else None
                if match is None:
                    continue
                path_params = match.groupdict()
                if entry.convertors:
                    for key, convertor in entry.convertors.items():
                        path_params[key] = convertor.convert(path_params[key])
                inherited = scope.get("path_params")
                if inherited:
                    path_params = {**inherited, **path_params}
                if entry.methods is not None and scope["method"] not in entry.methods:
                    if partial is None:
                        child = {"endpoint": entry.endpoint, "path_params": path_params}
                        partial = (entry.route, child)
                    continue
                scope["route"] = entry.scope_route
                scope["endpoint"] = entry.endpoint
                scope["path_params"] = path_params
                await entry.handler(scope, receive, send)
                return
            if entry.kind == HTTP or entry.kind == WEBSOCKET:
                continue
            found, child_scope = entry.route.matches(scope)
            if found is Match.FULL:
                scope["route"] = entry.route
                scope.update(child_scope)
                await entry.route.handle(scope, receive, send)
                return
            if found is Match.PARTIAL and partial is None:
                partial = (entry.route, child_scope)
        if partial is not None:
            scope["route"] = partial[0]
            scope.update(partial[1])
            await partial[0].handle(scope, receive, send)
            return
        await self._not_found(scope, receive, send, path)

    async def _not_found(self, scope: Scope, receive: Receive, send: Send, path: str) -> None:
        if scope["type"] == "http" and self.redirect_slashes and path != "/":
            redirect_scope = dict(scope)
            if path.endswith("/"):
                redirect_scope["path"] = redirect_scope["path"].rstrip("/")
            else:
                redirect_scope["path"] = redirect_scope["path"] + "/"
            for route in self.routes:
                found, _ = route.matches(redirect_scope)
                if found is not Match.NONE:
                    from starlette.datastructures import URL

                    response = RedirectResponse(url=str(URL(scope=redirect_scope)))
                    await response(scope, receive, send)
                    return
        await self.default(scope, receive, send)

    def _routes_changed(self) -> None:
        self._table = None
        check_router(self)
        if self._included_into and self.routes:
            # A route added after this router was included still reaches the including routers.
            from accord._compiler.include import include_late_route

            include_late_route(self, self.routes[-1])

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
        route_class = route_class_override or self.route_class
        options["responses"] = {**self.responses, **(options.get("responses") or {})}
        options["response_class"] = get_value_or_default(
            options.get("response_class", Default(JSONResponse)), self.default_response_class
        )
        options["tags"] = [*self.tags, *(options.get("tags") or [])]
        options["dependencies"] = [*self.dependencies, *(options.get("dependencies") or [])]
        options["callbacks"] = [*self.callbacks, *(options.get("callbacks") or [])]
        options["deprecated"] = options.get("deprecated") or self.deprecated
        options["include_in_schema"] = (
            options.get("include_in_schema", True) and self.include_in_schema
        )
        options["generate_unique_id_function"] = get_value_or_default(
            options.get("generate_unique_id_function", Default(generate_unique_id)),
            self.generate_unique_id_function,
        )
        options["strict_content_type"] = get_value_or_default(
            options.get("strict_content_type", Default(True)), self.strict_content_type
        )
        for key in ("error_format", "max_body_size", "form_limits"):  # nearest setting wins
            mine = getattr(self, key)
            if key in options:
                mine = get_value_or_default(options[key], mine)
            options[key] = mine
        route = route_class(
            self.prefix + path,
            endpoint,
            methods=methods,
            dependency_overrides_provider=self.dependency_overrides_provider,
            **options,
        )
        scope_new_route(self, route)
        self.routes.append(route)
        self._routes_changed()

    def api_route(
        self, path: str, *, methods: list[str] | None = None, **options: Unpack[RouteOptions]
    ) -> Decorator[Any]:
        """Decorator form of :meth:`add_api_route`."""

        def decorator(func: DecoratedCallable) -> DecoratedCallable:
            self.add_api_route(path, func, methods=methods, **options)
            return func

        return decorator

    def _verb(
        self, method: str, path: str, options: RouteOptions
    ) -> Decorator[Any]:
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

    def add_api_websocket_route(
        self,
        path: str,
        endpoint: Callable[..., Any],
        name: str | None = None,
        *,
        dependencies: Sequence[params.Depends] | None = None,
    ) -> None:
        """Registers a WebSocket endpoint."""
        route = APIWebSocketRoute(
            self.prefix + path,
            endpoint,
            name=name,
            dependencies=[*self.dependencies, *(dependencies or [])],
            dependency_overrides_provider=self.dependency_overrides_provider,
        )
        scope_new_route(self, route)
        self.routes.append(route)
        self._routes_changed()

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
        self._routes_changed()

    def add_websocket_route(self, *args: Any, **kwargs: Any) -> None:
        """Registers a plain Starlette WebSocket route."""
        super().add_websocket_route(*args, **kwargs)
        self._routes_changed()

    def mount(self, path: str, app: ASGIApp, name: str | None = None) -> None:
        """Mounts an ASGI application under `path`."""
        self.routes.append(Mount(path, app=app, name=name))
        self._routes_changed()

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
        """Decorator form of :meth:`add_event_handler`."""

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
        from accord._compiler.include import include_routes

        include_routes(
            self,
            router,
            prefix=prefix,
            tags=list(tags or []),
            dependencies=list(dependencies or []),
            default_response_class=default_response_class,
            responses=dict(responses or {}),
            callbacks=list(callbacks or []),
            deprecated=deprecated,
            include_in_schema=include_in_schema,
            generate_unique_id_function=generate_unique_id_function,
            error_format=error_format,
            max_body_size=max_body_size,
            form_limits=form_limits,
        )
        self.on_startup.extend(router.on_startup)
        self.on_shutdown.extend(router.on_shutdown)
        self.lifespan_context = _merge_lifespans(self.lifespan_context, router.lifespan_context)
        self._routes_changed()


def _as_lifespan(lifespan: Any) -> Lifespan[Any]:
    if inspect.isasyncgenfunction(lifespan):
        return asynccontextmanager(lifespan)
    return lifespan  # type: ignore[no-any-return]


