"""The runner of WebSocket routes: inputs and dependencies as for HTTP, then the endpoint.

As in FastAPI, yield dependencies are torn down before an exception reaches its handler
(function-scoped ones first, then request-scoped ones), and the handler is given the same
`WebSocket` the endpoint used, so it sees the connection's real state (accepted or not).
"""

from __future__ import annotations

from contextlib import AsyncExitStack
from typing import Any

from pydantic import ValidationError
from starlette._utils import is_async_callable
from starlette.concurrency import run_in_threadpool
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket

from accord._compiler.plan import ASYNC, CONNECTION, WEBSOCKET, Plan
from accord._compiler.response import endpoint_context
from accord._runtime.errors import find_handler
from accord._runtime.inputs import extract, validate_slots_one_by_one
from accord._runtime.runner import _arguments, run_steps
from accord.exceptions import EndpointContext, WebSocketRequestValidationError

__all__ = ["WebSocketRunner"]


class WebSocketRunner:
    """The ASGI callable of one WebSocket route."""

    __slots__ = ("endpoint_ctx", "route")

    def __init__(self, route: Any) -> None:
        self.route = route
        self.endpoint_ctx: EndpointContext = endpoint_context(route.endpoint, None)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        plan: Plan = self.route.current_plan()
        websocket = WebSocket(scope, receive, send)
        try:
            async with AsyncExitStack() as request_stack, AsyncExitStack() as function_stack:
                await self._run(plan, scope, websocket, request_stack, function_stack)
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
        plan: Plan,
        scope: Scope,
        websocket: WebSocket,
        request_stack: AsyncExitStack,
        function_stack: AsyncExitStack,
    ) -> None:
        errors: dict[str, list[Any]] = {}
        values: dict[str, Any] = {}
        if plan.validator is not None:
            raw = extract(plan, scope)
            try:
                values = plan.validator.validate_python(raw)
            except ValidationError:
                values, errors = validate_slots_one_by_one(plan, raw)
        values[WEBSOCKET] = websocket
        values[CONNECTION] = websocket
        await run_steps(
            plan, values, errors, request_stack, function_stack, endpoint_may_join=False
        )
        if errors:
            ordered = [e for key in plan.error_order for e in errors.get(key, ())]
            raise WebSocketRequestValidationError(ordered, endpoint_ctx=self.endpoint_ctx)
        endpoint = plan.endpoint
        kwargs = _arguments(endpoint, values)
        if endpoint.kind == ASYNC:
            await endpoint.call(**kwargs)
        else:
            await run_in_threadpool(endpoint.call, **kwargs)
