"""The runner of WebSocket routes: inputs and dependencies as for HTTP, then the endpoint.

As in FastAPI, yield dependencies are torn down before an exception reaches its handler
(function-scoped ones first, then request-scoped ones), and the handler is given the same
`WebSocket` the endpoint used, so it sees the connection's real state (accepted or not).
"""

from __future__ import annotations

from contextlib import AsyncExitStack
from typing import Any

from starlette._utils import is_async_callable
from starlette.concurrency import run_in_threadpool
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket

from accord._plan import ASYNC, CONNECTION, WEBSOCKET, Plan, RouteLike, RoutePlan
from accord._runtime.errors import find_handler
from accord._runtime.exits import Shielded
from accord._runtime.extract import extractors, read_inputs
from accord._runtime.lifetime import bind_app_steps
from accord._runtime.steps import arguments, run_steps
from accord.exceptions import WebSocketRequestValidationError

__all__ = ["WebSocketRunner", "make_websocket_runner"]


class WebSocketRunner:
    """The ASGI callable of one WebSocket route."""

    __slots__ = ("extract", "overrides", "plan", "route", "route_plan")

    def __init__(self, route_plan: RoutePlan, route: RouteLike | None, watch: bool = True) -> None:
        app = route.dependency_overrides_provider if route is not None else None
        self.route_plan = route_plan
        self.route = route
        self.overrides = app if watch else None
        self.plan: Plan = bind_app_steps(route_plan.plan, app)
        self.extract = extractors(self.plan)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        app = self.overrides
        if app is not None and app.dependency_overrides:
            assert self.route is not None
            await self.route.runner_for_overrides(app.dependency_overrides)(scope, receive, send)
            return
        websocket = WebSocket(scope, receive, send)
        try:
            async with (
                Shielded(AsyncExitStack()) as request_stack,
                Shielded(AsyncExitStack()) as function_stack,
            ):
                await self._run(scope, websocket, request_stack, function_stack)
        except Exception as exc:
            handler = find_handler(scope, exc)
            if handler is None:
                raise
            if is_async_callable(handler):
                response = await handler(websocket, exc)
            else:
                response = await run_in_threadpool(handler, websocket, exc)
            if response is not None:  # an HTTP error before `accept`: a denial response
                await response(scope, receive, send)

    async def _run(
        self,
        scope: Scope,
        websocket: WebSocket,
        request_stack: AsyncExitStack,
        function_stack: AsyncExitStack,
    ) -> None:
        plan = self.plan
        errors: dict[str, list[Any]] = {}
        values: dict[str, Any] = {}
        if plan.validator is not None:
            values = read_inputs(plan, self.extract, scope, errors)
        values[WEBSOCKET] = values[CONNECTION] = websocket
        await run_steps(
            plan, values, errors, request_stack, function_stack, endpoint_may_join=False
        )
        if errors:
            ordered = [e for key in plan.error_order for e in errors.get(key, ())]
            raise WebSocketRequestValidationError(
                ordered, endpoint_ctx=self.route_plan.response.endpoint_ctx
            )
        endpoint = plan.endpoint
        kwargs = arguments(endpoint, values)
        if endpoint.kind == ASYNC:
            await endpoint.call(**kwargs)
        else:
            await run_in_threadpool(endpoint.call, **kwargs)


def make_websocket_runner(
    route_plan: RoutePlan, route: RouteLike | None, watch: bool = True
) -> WebSocketRunner:
    """The runner of a WebSocket route: the traced one in an app whose telemetry is on."""
    app = route.dependency_overrides_provider if route is not None else None
    if getattr(app, "telemetry_capable", False):
        from accord._runtime.traced import TracedWebSocketRunner

        return TracedWebSocketRunner(route_plan, route, watch)
    return WebSocketRunner(route_plan, route, watch)
