"""The per-request runner: executes a route's `RoutePlan` and writes the response.

`make_runner` runs at registration and picks everything a request would otherwise decide: the
runner class (the bare no-input one, one without exit stacks, one with them), the body reader
of the route's `BodyKind`, one extractor per declared location, and the response encoder of
its `ResponseKind` (a stream is an encoder too). A request then runs `solve`, a short sequence:
read the body, read the inputs, provide what the request supplies, run the steps, respond.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from typing import Any

from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from accord._plan import (
    ASYNC,
    BACKGROUND,
    CONNECTION,
    ENDPOINT_RESULT,
    REQUEST,
    RESPONSE,
    BodyKind,
    BodyPlan,
    Plan,
    RouteLike,
    RoutePlan,
    StackKind,
    is_body_allowed_for_status_code,
)
from accord._runtime.body import (
    LimitedReceive,
    Read,
    close_form_later,
    materialize,
    read_json,
    read_through_request,
)
from accord._runtime.encode import ENCODERS, JSON_HEADER, Encoder, encode_json
from accord._runtime.errors import handle_exception
from accord._runtime.exits import RequestExits, Shielded
from accord._runtime.extract import Extractor, extractors, validate_one_by_one
from accord._runtime.forms import read_form_body
from accord._runtime.lifetime import bind_app_steps
from accord._runtime.steps import Exits, arguments, new_stack, run_steps
from accord._runtime.streaming import STREAMS
from accord.background import BackgroundTasks
from accord.exceptions import AccordError, RequestValidationError

__all__ = ["Respond", "RouteRunner", "make_runner"]

_SWALLOWED = (
    "Response not awaited. There's a high chance that the application code is raising an "
    "exception and a dependency with yield has a block with a bare except, or a block with "
    "except Exception, and is not raising the exception again. Re-raise it in the dependency."
)

Reader = Callable[[BodyPlan, Scope, Receive, "Request | None", RoutePlan], Awaitable[Read]]
_READERS: dict[BodyKind, Reader] = {
    BodyKind.JSON: read_json,
    BodyKind.REQUEST: read_through_request,
    BodyKind.FORM: read_form_body,
}

Respond = Callable[..., Awaitable[Response]]
"""(runner, plan, values, injected response, tasks, stack) -> the response to send."""


class RouteRunner:
    """The ASGI callable of one compiled route without exit stacks (no yield dependency).

    `solve` may be given a `Request`: a custom route class (`get_route_handler`) passes its own
    (for instance one that rewrites the body); the body and the injected request are then it.
    """

    __slots__ = (
        "encode",
        "error_format",
        "extract",
        "needs_request",
        "overrides",
        "plan",
        "read_body",
        "respond",
        "response",
        "route",
        "route_plan",
    )

    def __init__(self, route_plan: RoutePlan, route: RouteLike | None, watch: bool) -> None:
        app = route.dependency_overrides_provider if route is not None else None
        self.route_plan = route_plan
        self.route = route
        # The application whose `dependency_overrides` switch to another runner, if watched.
        self.overrides = app if watch else None
        self.plan: Plan = bind_app_steps(route_plan.plan, app)
        self.response = route_plan.response
        self.error_format = route_plan.error_format
        body_kind = route_plan.body_kind
        self.read_body: Reader | None = _READERS.get(body_kind)
        through_request = body_kind in (BodyKind.FORM, BodyKind.REQUEST)
        self.needs_request = self.plan.needs_request or through_request
        self.extract: tuple[Extractor, ...] = extractors(self.plan)
        kind = route_plan.response_kind
        self.encode: Encoder | None = ENCODERS.get(kind)
        self.respond: Respond = STREAMS.get(kind, _respond)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        app = self.overrides
        if app is not None and app.dependency_overrides:
            await self.overridden(app.dependency_overrides)(scope, receive, send)
            return
        started = False
        try:
            response = await self.solve(self.plan, scope, receive, send, None)
            started = True
            await response(scope, receive, send)
        except Exception as exc:
            await handle_exception(scope, receive, send, exc, started, self.error_format)

    async def solve(
        self, plan: Plan, scope: Scope, receive: Receive, send: Send, stack: Exits | None,
        request: Request | None = None,
    ) -> Response:  # fmt: skip
        """Validates inputs, runs dependencies and the endpoint; returns the response to send."""
        if request is None and self.needs_request:
            request = self._request(scope, receive, send)
        received: Any = None
        values: dict[str, Any] = {}
        errors: dict[str, list[Any]] = {}
        if self.read_body is not None:
            assert plan.body is not None
            received, values, errors = await self.read_body(
                plan.body, scope, receive, request, self.route_plan
            )
            close_form_later(received, stack)
        if plan.validator is not None:
            raw: dict[str, Any] = {}
            for extract in self.extract:
                extract(scope, raw)
            try:  # all non-body inputs in one pydantic-core call
                values = {**plan.validator.validator.validate_python(raw), **values}
            except ValidationError:
                values = {**validate_one_by_one(plan, raw, errors), **values}
        if plan.needs_request:
            values[REQUEST] = values[CONNECTION] = request
        sub = values[RESPONSE] = _sub_response() if plan.needs_response else None
        background = values[BACKGROUND] = BackgroundTasks() if plan.needs_background else None
        if stack is None or not plan.has_function_scope:
            if plan.stages:
                await run_steps(plan, values, errors, stack, stack)
            if errors:
                raise self._validation_error(plan, errors, received)
            return await self.respond(self, plan, values, sub, background, stack)
        # Shielded like the request's stack, except a stream's: its pumps' task groups, entered
        # on the request's stack while this one is open, outlive this one's cancel scope.
        function_exits = new_stack(stack)
        shielded = Shielded(function_exits) if type(stack) is RequestExits else function_exits
        async with shielded as function_stack:
            await run_steps(plan, values, errors, stack, function_stack)
            if errors:
                raise self._validation_error(plan, errors, received)
            return await self.respond(self, plan, values, sub, background, stack)
        # A function-scoped teardown swallowed the endpoint's exception: nothing to answer.
        raise AccordError(_SWALLOWED)

    def overridden(self, overrides: dict[Any, Any]) -> RouteRunner:
        """The runner compiled for `overrides` (once per override set, by the route)."""
        assert self.route is not None
        runner: RouteRunner = self.route.runner_for_overrides(overrides)
        return runner

    def _request(self, scope: Scope, receive: Receive, send: Send) -> Request:
        limit = self.route_plan.limits.max_body_size
        if self.read_body is None and limit is not None:
            # The endpoint may read the raw body itself: bound its reads too.
            receive = LimitedReceive(scope, receive, limit)
        return Request(scope, receive, send)

    def _validation_error(
        self, plan: Plan, errors: dict[str, list[Any]], received: Any
    ) -> RequestValidationError:
        ordered: list[Any] = []
        for key in plan.error_order:
            ordered.extend(errors.get(key, ()))
        return RequestValidationError(
            ordered, body=materialize(received), endpoint_ctx=self.response.endpoint_ctx
        )


async def _respond(
    runner: RouteRunner,
    plan: Plan,
    values: dict[str, Any],
    sub: Response | None,
    background: BackgroundTasks | None,
    stack: Exits | None,
) -> Response:
    """Calls the endpoint (unless it ran in the dependencies' last hop) and encodes its value."""
    endpoint = plan.endpoint
    if plan.endpoint_in_last_stage:
        raw = values[ENDPOINT_RESULT]
    elif endpoint.kind == ASYNC:
        raw = await endpoint.call(**arguments(endpoint, values))
    else:
        raw = await run_in_threadpool(endpoint.call, **arguments(endpoint, values))
    if isinstance(raw, Response):
        if raw.background is None:
            raw.background = background
        return raw
    assert runner.encode is not None
    return runner.encode(runner.response, raw, sub, background)


class _StackRunner(RouteRunner):
    """A route whose requests open an exit stack (yield dependencies, forms, streams)."""

    __slots__ = ("stack_class",)

    def __init__(self, route_plan: RoutePlan, route: RouteLike | None, watch: bool) -> None:
        super().__init__(route_plan, route, watch)
        # Streams keep contextlib's stack: their pumps are task groups.
        streams = route_plan.response_kind in STREAMS
        self.stack_class: type[Exits] = AsyncExitStack if streams else RequestExits

    def stack(self) -> Any:
        """The request's exit stack; its teardowns finish even if the request is cancelled.

        A stream's stack (contextlib's) also holds its pumps: they cancel their own tasks as
        the stack unwinds, so the shield does not keep them running.
        """
        return Shielded(self.stack_class())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        app = self.overrides
        if app is not None and app.dependency_overrides:
            await self.overridden(app.dependency_overrides)(scope, receive, send)
            return
        started = sent = False
        try:
            async with self.stack() as stack:
                # Published for `solve_dependencies` called from the endpoint (cadwyn's version
                # wrapper): its yield dependencies close with the request's, as in FastAPI.
                scope["accord.request_stack"] = stack
                response = await self.solve(self.plan, scope, receive, send, stack)
                started = True
                await response(scope, receive, send)
                sent = True
            if not sent:
                raise AccordError(_SWALLOWED)
        except Exception as exc:
            await handle_exception(scope, receive, send, exc, started, self.error_format)


class _SimpleRunner(RouteRunner):
    """No inputs, no dependencies, the default response class: the shortest path there is."""

    __slots__ = ()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        app = self.overrides
        if app is not None and app.dependency_overrides:
            await self.overridden(app.dependency_overrides)(scope, receive, send)
            return
        endpoint = self.plan.endpoint
        started = False
        try:
            if endpoint.kind == ASYNC:
                raw = await endpoint.call()
            else:
                raw = await run_in_threadpool(endpoint.call)
            if isinstance(raw, Response):
                started = True
                await raw(scope, receive, send)
                return
            status = self.response.status_code or 200
            body = encode_json(raw) if is_body_allowed_for_status_code(status) else b""
            headers = [(b"content-length", str(len(body)).encode()), JSON_HEADER]
            if status < 200 or status in (204, 304):
                headers = [JSON_HEADER]
            started = True
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})
        except Exception as exc:
            await handle_exception(scope, receive, send, exc, started, self.error_format)


def _sub_response() -> Response:
    response = Response()
    del response.headers["content-length"]
    response.status_code = None  # type: ignore[assignment]
    return response


def make_runner(
    route_plan: RoutePlan, route: RouteLike | None = None, *, overrides: bool = True
) -> RouteRunner:
    """The runner of `route_plan`, its variant chosen now so that a request never asks.

    `route` is the route served (its overrides provider is the application); with
    `overrides=False` the runner ignores `dependency_overrides` (it is the one compiled for
    them).
    """
    kind: type[RouteRunner] = _StackRunner
    if route_plan.simple:
        kind = _SimpleRunner
    elif route_plan.stack_kind == StackKind.NONE:
        kind = RouteRunner
    app = route.dependency_overrides_provider if route is not None else None
    if getattr(app, "telemetry_capable", False):  # the app's telemetry is on
        from accord._runtime.traced import traced_runner

        return traced_runner(kind, route_plan, route, overrides)
    return kind(route_plan, route, overrides)

