"""`Accord`, the application (also importable as `FastAPI` for drop-in migration)."""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Callable, Sequence
from typing import Any, Literal, TypeVar

from starlette.applications import Starlette
from starlette.datastructures import State
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.middleware.errors import ServerErrorMiddleware
from starlette.middleware.exceptions import ExceptionMiddleware
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Lifespan, Receive, Scope, Send
from typing_extensions import Unpack

from accord import params
from accord._compiler.diagnostics import DiagnosticsMode, diagnostics_mode
from accord._compiler.route import recipe_for_call
from accord._routing.frontend import Fallback
from accord._routing.lifespan import ON_EVENT_DEPRECATED
from accord._routing.options import RouterOptions
from accord._runtime.blocking import BlockingDetector, resolve_threshold
from accord._runtime.lifetime import AppLifetime, lifetime_of, with_app_dependencies
from accord.datastructures import Default, DefaultPlaceholder
from accord.exception_handlers import (
    http_exception_handler,
    request_validation_exception_handler,
    server_error_handler,
    websocket_request_validation_exception_handler,
)
from accord.exceptions import (
    FastAPIDeprecationWarning,
    RequestValidationError,
    WebSocketRequestValidationError,
)
from accord.limits import DEFAULT_MAX_BODY_SIZE, FormLimits
from accord.middleware.asyncexitstack import AsyncExitStackMiddleware
from accord.middleware.cors import check_cors_setup
from accord.problems import ErrorFormat, check_error_format
from accord.routing import APIRoute, APIRouter, RouteOptions, generate_unique_id
from accord.telemetry import TelemetryConfig
from accord.telemetry._config import otel_installed, resolve

__all__ = ["Accord", "AppType", "FastAPI"]

DecoratedCallable = TypeVar("DecoratedCallable", bound=Callable[..., Any])
Decorator = Callable[[DecoratedCallable], DecoratedCallable]


AppType = TypeVar("AppType", bound="Accord")

# The scope key of FastAPI's per-request exit stack (its `AsyncExitStackMiddleware`).
FASTAPI_FILE_STACK = "fastapi_middleware_astack"


def _runs_fastapi_code() -> bool:
    """Whether `import fastapi` is answered by Accord in this process (`accord.as_fastapi`):
    code written for FastAPI then runs on Accord's apps, and may read FastAPI's scope keys."""
    return getattr(sys.modules.get("fastapi"), "__accord__", None) is not None

class Accord(Starlette):
    """The application: routes, middleware, exception handlers, lifespan and the OpenAPI document.

    Accepts the same arguments as FastAPI's application class; see the README for the list.
    """

    def __init__(
        self,
        *,
        telemetry: TelemetryConfig | None = None,
        debug: bool = False,
        routes: list[BaseRoute] | None = None,
        title: str = "FastAPI",
        summary: str | None = None,
        description: str = "",
        version: str = "0.1.0",
        openapi_url: str | None = "/openapi.json",
        openapi_tags: list[dict[str, Any]] | None = None,
        servers: list[dict[str, Any]] | None = None,
        dependencies: Sequence[params.Depends] | None = None,
        default_response_class: type[Response] | DefaultPlaceholder = Default(JSONResponse),
        redirect_slashes: bool = True,
        docs_url: str | None = "/docs",
        redoc_url: str | None = "/redoc",
        swagger_ui_oauth2_redirect_url: str | None = "/docs/oauth2-redirect",
        swagger_ui_init_oauth: dict[str, Any] | None = None,
        middleware: Sequence[Middleware] | None = None,
        exception_handlers: dict[Any, Callable[..., Any]] | None = None,
        on_startup: Sequence[Callable[[], Any]] | None = None,
        on_shutdown: Sequence[Callable[[], Any]] | None = None,
        lifespan: Lifespan[Any] | None = None,
        terms_of_service: str | None = None,
        contact: dict[str, Any] | None = None,
        license_info: dict[str, Any] | None = None,
        root_path: str = "",
        root_path_in_servers: bool = True,
        responses: dict[int | str, dict[str, Any]] | None = None,
        callbacks: list[BaseRoute] | None = None,
        webhooks: APIRouter | None = None,
        deprecated: bool | None = None,
        include_in_schema: bool = True,
        swagger_ui_parameters: dict[str, Any] | None = None,
        generate_unique_id_function: Callable[[APIRoute], str] | DefaultPlaceholder = Default(
            generate_unique_id
        ),
        separate_input_output_schemas: bool = True,
        openapi_external_docs: dict[str, Any] | None = None,
        strict_content_type: bool | DefaultPlaceholder = Default(True),
        docs_static_url: str | None = "/docs/static",
        error_format: ErrorFormat | DefaultPlaceholder = Default("fastapi"),
        max_body_size: int | DefaultPlaceholder | None = Default(DEFAULT_MAX_BODY_SIZE),
        form_limits: FormLimits | DefaultPlaceholder | None = Default(None),
        detect_blocking: bool | float | None = None,
        diagnostics: DiagnosticsMode = "off",
    ) -> None:
        self.debug = debug
        # Native OpenTelemetry (accord.telemetry): read before any route is compiled, since a
        # route's runner is chosen for it. Off, or without the API installed: nothing is added.
        self._telemetry: TelemetryConfig = resolve(telemetry)
        config = self._telemetry
        self.telemetry_capable: bool = otel_installed() and bool(
            config["tracing"] or config["metrics"] or config["logs"]
        )
        self._telemetry_gate: Any = None
        self._telemetry_stack: Any = None
        self.title = title
        self.summary = summary
        self.description = description
        self.version = version
        self.terms_of_service = terms_of_service
        self.contact = contact
        self.license_info = license_info
        self.openapi_url = openapi_url
        self.openapi_tags = openapi_tags
        self.root_path_in_servers = root_path_in_servers
        self.docs_url = docs_url
        self.docs_static_url = docs_static_url
        self.redoc_url = redoc_url
        self.swagger_ui_oauth2_redirect_url = swagger_ui_oauth2_redirect_url
        self.swagger_ui_init_oauth = swagger_ui_init_oauth
        self.swagger_ui_parameters = swagger_ui_parameters
        self.servers = servers or []
        self.separate_input_output_schemas = separate_input_output_schemas
        self.openapi_external_docs = openapi_external_docs
        # Seconds, or None (off); None here defers to ACCORD_DETECT_BLOCKING (`accord dev`).
        self.detect_blocking = resolve_threshold(detect_blocking)
        # "warn": declaration diagnostics become warnings at registration (see accord check).
        self.diagnostics = diagnostics_mode(diagnostics)
        self.openapi_version = "3.1.0"
        self.openapi_schema: dict[str, Any] | None = None
        self._openapi_routes: tuple[int, int] = (0, 0)
        if root_path:  # as FastAPI 0.163 does
            warnings.warn(
                "The `root_path` parameter is deprecated. Configure the server's root path "
                "instead, for example with `accord run --root-path /api/v1`.",
                category=FastAPIDeprecationWarning,
                stacklevel=2,
            )
        self.root_path = root_path
        self.state = State()
        self.dependency_overrides: dict[Callable[..., Any], Callable[..., Any]] = {}
        self.webhooks = webhooks or APIRouter()
        self.router: APIRouter = APIRouter(
            routes=routes,
            redirect_slashes=redirect_slashes,
            dependency_overrides_provider=self,
            on_startup=on_startup,
            on_shutdown=on_shutdown,
            lifespan=lifespan,
            **RouterOptions.build(
                response_class=default_response_class,
                dependencies=dependencies,
                callbacks=callbacks,
                deprecated=deprecated,
                include_in_schema=include_in_schema,
                responses=responses,
                generate_unique_id_function=generate_unique_id_function,
                strict_content_type=strict_content_type,
                error_format=error_format,
                max_body_size=max_body_size,
                form_limits=form_limits,
            ).router_kwargs(),
        )
        # Read by the default exception handlers for errors outside any route (404, 405).
        self.error_format: str = (
            error_format.value if isinstance(error_format, DefaultPlaceholder) else error_format
        )
        check_error_format(self.error_format, "Accord(error_format=...)")
        # Models of custom handlers' responses, for the OpenAPI document (see exception_handler).
        self.exception_handler_models: dict[Any, tuple[Any, str]] = {}
        # App-scoped dependencies start before the lifespan's code and stop after it.
        self.router.lifespan_context = with_app_dependencies(self, self.router.lifespan_context)
        self.exception_handlers: dict[Any, Callable[..., Any]] = dict(exception_handlers or {})
        self.exception_handlers.setdefault(HTTPException, http_exception_handler)
        self.exception_handlers.setdefault(
            RequestValidationError, request_validation_exception_handler
        )
        self.exception_handlers.setdefault(
            WebSocketRequestValidationError, websocket_request_validation_exception_handler
        )
        self.user_middleware: list[Middleware] = list(middleware or [])
        self.middleware_stack: ASGIApp | None = None
        self.setup()

    def build_middleware_stack(self) -> ASGIApp:
        """ServerError -> user middleware -> exception handling -> router."""
        check_cors_setup(self.user_middleware)
        error_handler = None
        handlers: dict[Any, Callable[..., Any]] = {}
        for key, value in self.exception_handlers.items():
            if key in (500, Exception):
                error_handler = value
            else:
                handlers[key] = value
        error_handler = error_handler or server_error_handler  # problem+json when asked
        errors_layer: type[ServerErrorMiddleware] = ServerErrorMiddleware
        if self.telemetry_capable:  # unhandled exceptions are noted before the 500 is sent
            from accord.telemetry._server import observed_handler

            error_handler, errors_layer = observed_handler(error_handler), _ObservedErrors
        stack = [
            Middleware(errors_layer, handler=error_handler, debug=self.debug),
            *self.user_middleware,
            Middleware(ExceptionMiddleware, handlers=handlers, debug=self.debug),
        ]
        if _runs_fastapi_code():
            # FastAPI's `scope["fastapi_middleware_astack"]`, closed after the response,
            # inside the exception handling: extensions written for FastAPI push their
            # cleanups there (cadwyn closes its uploads with it). Only then: an app of
            # Accord's own has no such layer, and its requests pay nothing for it.
            stack.append(Middleware(AsyncExitStackMiddleware, context_name=FASTAPI_FILE_STACK))
        app: ASGIApp = self.router
        if self.detect_blocking is not None:  # off: no layer at all
            app = BlockingDetector(app, self.detect_blocking)
        for cls, args, kwargs in reversed(stack):
            app = cls(app, *args, **kwargs)
        return app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.root_path:
            scope["root_path"] = self.root_path
        scope["app"] = self
        stack = self.middleware_stack
        if stack is None:
            stack = self.middleware_stack = self.build_middleware_stack()
        if not self.telemetry_capable:
            await stack(scope, receive, send)
            return
        if stack is not self._telemetry_stack:  # built again, or wrapped by an instrumentor
            self._telemetry_gate = self._gate_for(stack)
            self._telemetry_stack = stack
        if scope["type"] == "lifespan":
            from accord.telemetry._environment import lifespan

            await lifespan(self._telemetry, stack, scope, receive, send)
        elif self._telemetry_gate is None:
            await stack(scope, receive, send)
        else:
            await self._telemetry_gate(stack, scope, receive, send)

    def _gate_for(self, stack: ASGIApp) -> Any:
        """The telemetry layer over `stack`; None when opentelemetry-instrumentation-fastapi
        already wrapped it (FastAPI 0.163 then leaves tracing, metrics and logs to it)."""
        from accord.telemetry._server import ServerTelemetry, instrumented_by_contrib

        if instrumented_by_contrib(stack):
            return None
        return ServerTelemetry(self._telemetry, _accord_version())

    # -- OpenAPI and docs ---------------------------------------------------------------

    def openapi(self) -> dict[str, Any]:
        """The OpenAPI document, built on first use and cached in `openapi_schema`.

        Built again when routes were added since (as FastAPI does); assign `app.openapi` or
        `app.openapi_schema` to serve a document of your own.
        """
        routes = (len(self.router.routes), id(self.router.routes[-1]) if self.router.routes else 0)
        if not self.openapi_schema or routes != self._openapi_routes:
            self._openapi_routes = routes
            from accord.openapi.utils import get_openapi

            self.openapi_schema = get_openapi(
                title=self.title,
                version=self.version,
                openapi_version=self.openapi_version,
                summary=self.summary,
                description=self.description,
                terms_of_service=self.terms_of_service,
                contact=self.contact,
                license_info=self.license_info,
                routes=self.routes,
                webhooks=self.webhooks.routes,
                tags=self.openapi_tags,
                servers=self.servers,
                separate_input_output_schemas=self.separate_input_output_schemas,
                external_docs=self.openapi_external_docs,
            )
        return self.openapi_schema

    def setup(self) -> None:
        """Adds the OpenAPI and documentation routes (each switchable off with a `None` URL)."""
        from accord.openapi.setup import add_documentation_routes

        add_documentation_routes(self)

    # -- registration, delegated to the router ------------------------------------------

    def add_api_route(
        self,
        path: str,
        endpoint: Callable[..., Any],
        *,
        methods: list[str] | set[str] | None = None,
        **options: Unpack[RouteOptions],
    ) -> None:
        """Registers a path operation; see :meth:`accord.routing.APIRouter.add_api_route`."""
        self.router.add_api_route(path, endpoint, methods=methods, **options)

    def api_route(
        self, path: str, *, methods: list[str] | None = None, **options: Unpack[RouteOptions]
    ) -> Decorator[Any]:
        """Decorator registering a path operation for `methods`."""
        return self.router.api_route(path, methods=methods, **options)

    def get(self, path: str, **options: Unpack[RouteOptions]) -> Decorator[Any]:
        """Registers a GET path operation; options as in :class:`accord.routing.RouteOptions`."""
        return self.router.get(path, **options)

    def put(self, path: str, **options: Unpack[RouteOptions]) -> Decorator[Any]:
        """Registers a PUT path operation; see :meth:`get`."""
        return self.router.put(path, **options)

    def post(self, path: str, **options: Unpack[RouteOptions]) -> Decorator[Any]:
        """Registers a POST path operation; see :meth:`get`."""
        return self.router.post(path, **options)

    def delete(self, path: str, **options: Unpack[RouteOptions]) -> Decorator[Any]:
        """Registers a DELETE path operation; see :meth:`get`."""
        return self.router.delete(path, **options)

    def options(self, path: str, **options: Unpack[RouteOptions]) -> Decorator[Any]:
        """Registers an OPTIONS path operation; see :meth:`get`."""
        return self.router.options(path, **options)

    def head(self, path: str, **options: Unpack[RouteOptions]) -> Decorator[Any]:
        """Registers a HEAD path operation; see :meth:`get`."""
        return self.router.head(path, **options)

    def patch(self, path: str, **options: Unpack[RouteOptions]) -> Decorator[Any]:
        """Registers a PATCH path operation; see :meth:`get`."""
        return self.router.patch(path, **options)

    def trace(self, path: str, **options: Unpack[RouteOptions]) -> Decorator[Any]:
        """Registers a TRACE path operation; see :meth:`get`."""
        return self.router.trace(path, **options)

    def add_api_websocket_route(
        self,
        path: str,
        endpoint: Callable[..., Any],
        name: str | None = None,
        *,
        dependencies: Sequence[params.Depends] | None = None,
    ) -> None:
        """Registers a WebSocket endpoint."""
        self.router.add_api_websocket_route(path, endpoint, name=name, dependencies=dependencies)

    def websocket(
        self,
        path: str,
        name: str | None = None,
        *,
        dependencies: Sequence[params.Depends] | None = None,
    ) -> Decorator[Any]:
        """Decorator registering a WebSocket endpoint."""
        return self.router.websocket(path, name=name, dependencies=dependencies)

    def frontend(
        self,
        path: str,
        *,
        directory: str | os.PathLike[str],
        fallback: Fallback = "auto",
        check_dir: bool | Literal["auto"] = "auto",
    ) -> None:
        """Serves a built single-page app under `path`, behind every route; options as in
        :meth:`accord.routing.APIRouter.frontend`."""
        self.router.frontend(path, directory=directory, fallback=fallback, check_dir=check_dir)

    def websocket_route(self, path: str, name: str | None = None) -> Decorator[Any]:
        """Registers a plain Starlette WebSocket endpoint (decorator form)."""
        return self.router.websocket_route(path, name=name)

    def include_router(self, router: APIRouter, **options: Any) -> None:
        """Adds a router's routes; options as in :meth:`accord.routing.APIRouter.include_router`."""
        self.router.include_router(router, **options)

    def dependencies(self) -> AppDependencies:
        """The app-scoped dependencies, for code outside requests (scripts, background jobs).

        ``async with app.dependencies() as deps: client = await deps.resolve(get_client)``.
        While the app runs this shares its values; otherwise they are created on demand and
        torn down when the block ends.
        """
        return AppDependencies(self)

    def on_event(self, event_type: str) -> Decorator[Any]:
        """Registers a start-up/shut-down handler (deprecated; prefer `lifespan`)."""
        warnings.warn(ON_EVENT_DEPRECATED, DeprecationWarning, stacklevel=2)
        return self.router.on_event(event_type)

    def add_event_handler(self, event_type: str, func: Callable[[], Any]) -> None:
        """Registers a start-up/shut-down handler (deprecated; prefer `lifespan`)."""
        self.router.add_event_handler(event_type, func)

    def middleware(self, middleware_type: str) -> Decorator[Any]:
        """Decorator adding a function ``(request, call_next) -> response`` as HTTP middleware."""

        def decorator(func: DecoratedCallable) -> DecoratedCallable:
            self.add_middleware(BaseHTTPMiddleware, dispatch=func)
            return func

        return decorator

    def exception_handler(
        self,
        exc_class_or_status_code: int | type[Exception],
        *,
        model: Any = None,
        media_type: str = "application/json",
    ) -> Decorator[Any]:
        """Decorator registering a handler for an exception class or a status code.

        Args:
            exc_class_or_status_code: What the handler answers for.
            model: The type of the body the handler answers with. For `RequestValidationError`
                (or 422) it becomes the documented 422 response of every operation.
            media_type: The content type of that body.
        """

        def decorator(func: DecoratedCallable) -> DecoratedCallable:
            self.add_exception_handler(exc_class_or_status_code, func)
            if model is None:
                self.exception_handler_models.pop(exc_class_or_status_code, None)
            else:
                self.exception_handler_models[exc_class_or_status_code] = (model, media_type)
            return func

        return decorator


class AppDependencies:
    """What ``async with app.dependencies() as deps`` gives: app-scoped values outside requests.

    While the application runs (its lifespan started), this shares the running values and
    leaving the block changes nothing. Otherwise (a script, a job) values are built on demand
    and torn down, in reverse order, when the block ends.
    """

    def __init__(self, app: Accord) -> None:
        self._app = app
        self._lifetime: AppLifetime = lifetime_of(app)
        self._held: Any = None

    async def __aenter__(self) -> AppDependencies:
        self._held = self._lifetime.hold()
        await self._held.__aenter__()
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        await self._held.__aexit__(*exc_info)

    async def resolve(self, dependency: Callable[..., Any]) -> Any:
        """The app's value of `dependency` (as if declared with ``scope="app"``).

        `app.dependency_overrides` apply. Raises `DependencyScopeError` if `dependency` needs
        request data.
        """
        overrides = self._app.dependency_overrides
        return await self._lifetime.get(recipe_for_call(dependency, overrides))


class _ObservedErrors(ServerErrorMiddleware):
    """Starlette's server-error layer, noting a debug-mode exception for telemetry first."""

    def debug_response(self, request: Any, exc: Exception) -> Response:
        from accord.telemetry._request import record_exception

        record_exception(request.scope, exc)
        return super().debug_response(request, exc)


def _accord_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("accord")
    except PackageNotFoundError:  # pragma: no cover - a source checkout without metadata
        return "0.1.0"


FastAPI = Accord
"""FastAPI's name for :class:`Accord`, so that a migrated app only changes its imports."""

