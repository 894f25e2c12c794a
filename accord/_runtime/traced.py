"""The runners of routes in an app with telemetry: operation spans, validation logs, data.

Chosen by `make_runner` at registration, only for routes of an application whose telemetry
is on (and only when OpenTelemetry is installed); other routes keep the plain runners and pay
nothing. A request that is not traced (no provider configured, or excluded) finds no request
telemetry in its scope and runs the plain path. A traced one runs the same steps as `solve`,
with FastAPI 0.163's operation spans around them: ``fastapi.dependencies`` (inputs and
dependencies), ``fastapi.endpoint`` and ``fastapi.serialization``.
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket

from accord._plan import ASYNC, BACKGROUND, CONNECTION, REQUEST, RESPONSE, WEBSOCKET, Plan, Step
from accord._runtime.body import close_form_later, materialize
from accord._runtime.extract import read_inputs
from accord._runtime.runner import RouteRunner, _respond, _SimpleRunner, _StackRunner, _sub_response
from accord._runtime.steps import Exits, arguments, new_stack, run_steps
from accord._runtime.websocket import WebSocketRunner
from accord.background import BackgroundTasks
from accord.exceptions import RequestValidationError, WebSocketRequestValidationError
from accord.telemetry._config import SCOPE_KEY
from accord.telemetry._request import NO_OPERATION, RequestTelemetry

__all__ = ["TracedWebSocketRunner", "traced_runner"]


def _function(runner: Any) -> Any:
    route = runner.route
    return getattr(route, "endpoint", None) or runner.plan.endpoint.call


def _operation(telemetry: RequestTelemetry, name: str, function: Any) -> Any:
    return NO_OPERATION if telemetry.tracer is None else telemetry.operation(name, function)


def _endpoint_values(endpoint: Step, values: dict[str, Any]) -> dict[str, Any]:
    return {name: values[key] for name, key in endpoint.args if key in values}


class _TracedSolve:
    """`solve` with operation spans, for a request whose scope carries request telemetry."""

    __slots__ = ()

    async def solve(
        self: Any, plan: Plan, scope: Scope, receive: Receive, send: Send, stack: Exits | None,
        request: Request | None = None,
    ) -> Response:  # fmt: skip
        telemetry = scope.get(SCOPE_KEY)
        if telemetry is None:
            return await RouteRunner.solve(self, plan, scope, receive, send, stack, request)
        if request is None and self.needs_request:
            request = self._request(scope, receive, send)
        data = telemetry.data
        if data is not None:
            data.request = request if request is not None else Request(scope, receive, send)
        received: Any = None
        values: dict[str, Any] = {}
        errors: dict[str, list[Any]] = {}
        if self.read_body is not None:
            try:
                received, values, errors = await self.read_body(
                    plan.body, scope, receive, request, self.route_plan
                )
            except RequestValidationError as exc:  # the body is not JSON
                telemetry.validation_failed(exc)
                raise
            close_form_later(received, stack)
        if data is not None:
            data.body = materialize(received)
        if stack is None or not plan.has_function_scope:
            return await _dependencies_then_respond(
                self, telemetry, plan, scope, request, received, values, errors, stack, stack
            )
        async with new_stack(stack) as function_stack:
            return await _dependencies_then_respond(
                self, telemetry, plan, scope, request, received, values, errors, stack,
                function_stack,
            )  # fmt: skip


async def _dependencies_then_respond(
    runner: Any,
    telemetry: RequestTelemetry,
    plan: Plan,
    scope: Scope,
    request: Request | None,
    received: Any,
    values: dict[str, Any],
    errors: dict[str, list[Any]],
    stack: Exits | None,
    function_stack: Exits | None,
) -> Response:
    data = telemetry.data
    with _operation(telemetry, "dependencies", runner.function):
        if plan.validator is not None:
            values = {**read_inputs(plan, runner.extract, scope, errors), **values}
        if plan.needs_request:
            values[REQUEST] = values[CONNECTION] = request
        sub = values[RESPONSE] = _sub_response() if plan.needs_response else None
        background = values[BACKGROUND] = BackgroundTasks() if plan.needs_background else None
        if plan.stages:
            # The endpoint never joins the dependencies' thread hop: it has a span of its own.
            await run_steps(plan, values, errors, stack, function_stack, endpoint_may_join=False)
        if data is not None:
            data.values = _endpoint_values(plan.endpoint, values)
            data.errors = [e for key in plan.error_order for e in errors.get(key, ())]
    if errors:
        exc = runner._validation_error(plan, errors, received)
        telemetry.validation_failed(exc)
        raise exc
    return await _respond_traced(runner, telemetry, plan, values, sub, background, stack)


async def _respond_traced(
    runner: Any,
    telemetry: RequestTelemetry,
    plan: Plan,
    values: dict[str, Any],
    sub: Response | None,
    background: BackgroundTasks | None,
    stack: Exits | None,
) -> Response:
    if runner.respond is not _respond:  # a stream: no endpoint or serialization span
        response: Response = await runner.respond(runner, plan, values, sub, background, stack)
        return response
    endpoint = plan.endpoint
    kwargs = arguments(endpoint, values)
    function = runner.function
    if endpoint.kind == ASYNC:
        with _operation(telemetry, "endpoint", function):
            raw = await endpoint.call(**kwargs)
    else:
        raw = await run_in_threadpool(_sync_endpoint, telemetry, function, endpoint.call, kwargs)
    if isinstance(raw, Response):
        if raw.background is None:
            raw.background = background
        return raw
    with _operation(telemetry, "serialization", function):
        encoded: Response = runner.encode(runner.response, raw, sub, background)
    return encoded


def _sync_endpoint(
    telemetry: RequestTelemetry, function: Any, call: Any, kwargs: dict[str, Any]
) -> Any:
    with _operation(telemetry, "endpoint", function):
        return call(**kwargs)


class _TracedRunner(_TracedSolve, RouteRunner):
    __slots__ = ("function",)

    def __init__(self, *args: Any) -> None:
        RouteRunner.__init__(self, *args)
        self.function = _function(self)


class _TracedStackRunner(_TracedSolve, _StackRunner):
    __slots__ = ("function",)

    def __init__(self, *args: Any) -> None:
        _StackRunner.__init__(self, *args)
        self.function = _function(self)


class _TracedSimpleRunner(_TracedSolve, _SimpleRunner):
    """The shortest runner while untraced; the general one (with spans) when traced."""

    __slots__ = ("function",)

    def __init__(self, *args: Any) -> None:
        _SimpleRunner.__init__(self, *args)
        self.function = _function(self)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope.get(SCOPE_KEY) is None:
            await _SimpleRunner.__call__(self, scope, receive, send)
        else:
            await RouteRunner.__call__(self, scope, receive, send)


def traced_runner(kind: type[RouteRunner], *args: Any) -> RouteRunner:
    """The traced counterpart of the plain runner class `kind`."""
    if kind is _SimpleRunner:
        return _TracedSimpleRunner(*args)
    if kind is _StackRunner:
        return _TracedStackRunner(*args)
    return _TracedRunner(*args)


class TracedWebSocketRunner(WebSocketRunner):
    """A WebSocket route's runner with operation spans and validation logs when traced."""

    __slots__ = ("function",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.function = _function(self)

    async def _run(self, scope: Scope, websocket: WebSocket, request_stack: Any,
                   function_stack: Any) -> None:  # fmt: skip
        telemetry = scope.get(SCOPE_KEY)
        if telemetry is None:
            await WebSocketRunner._run(self, scope, websocket, request_stack, function_stack)
            return
        plan = self.plan
        data = telemetry.data
        if data is not None:
            data.websocket = websocket
        errors: dict[str, list[Any]] = {}
        with _operation(telemetry, "dependencies", self.function):
            values: dict[str, Any] = {}
            if plan.validator is not None:
                values = read_inputs(plan, self.extract, scope, errors)
            values[WEBSOCKET] = values[CONNECTION] = websocket
            await run_steps(
                plan, values, errors, request_stack, function_stack, endpoint_may_join=False
            )
            ordered = [e for key in plan.error_order for e in errors.get(key, ())]
            if data is not None:
                data.values = _endpoint_values(plan.endpoint, values)
                data.errors = ordered
        if errors:
            exc = WebSocketRequestValidationError(
                ordered, endpoint_ctx=self.route_plan.response.endpoint_ctx
            )
            telemetry.validation_failed(exc)
            raise exc
        endpoint = plan.endpoint
        kwargs = arguments(endpoint, values)
        with _operation(telemetry, "endpoint", self.function):
            if endpoint.kind == ASYNC:
                await endpoint.call(**kwargs)
            else:
                await run_in_threadpool(endpoint.call, **kwargs)
