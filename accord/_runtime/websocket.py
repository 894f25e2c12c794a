"""The runner of WebSocket routes: inputs and dependencies as for HTTP, then the endpoint."""

from __future__ import annotations

from contextlib import AsyncExitStack
from typing import Any

from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket

from accord._compiler.plan import ASYNC, CONNECTION, WEBSOCKET, Plan
from accord._runtime.errors import handle_exception
from accord._runtime.inputs import extract, validate_slots_one_by_one
from accord._runtime.runner import _arguments, run_steps
from accord.exceptions import WebSocketRequestValidationError

__all__ = ["WebSocketRunner"]


class WebSocketRunner:
    """The ASGI callable of one WebSocket route."""

    def __init__(self, route: Any) -> None:
        self.route = route

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        plan: Plan = self.route.current_plan()
        websocket = WebSocket(scope, receive, send)
        try:
            async with AsyncExitStack() as stack:
                await self._run(plan, scope, websocket, stack)
        except Exception as exc:
            await handle_exception(scope, receive, send, exc, False)

    async def _run(
        self, plan: Plan, scope: Scope, websocket: WebSocket, stack: AsyncExitStack
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
        await run_steps(plan, values, errors, stack, stack)
        if errors:
            ordered = [e for key in plan.error_order for e in errors.get(key, ())]
            raise WebSocketRequestValidationError(ordered)
        endpoint = plan.endpoint
        kwargs = _arguments(endpoint, values)
        if endpoint.kind == ASYNC:
            await endpoint.call(**kwargs)
        else:
            await run_in_threadpool(endpoint.call, **kwargs)
