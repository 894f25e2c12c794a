"""Solving a plan's inputs for a caller that calls the endpoint itself.

FastAPI extensions (cadwyn) call `fastapi.dependencies.utils.solve_dependencies` from inside a
request, with a body they read themselves, and get back the keyword arguments of the tree's
callable and the errors; `accord.dependencies.utils.solve_dependencies` compiles the tree into
a plan once and runs it here, with the runner's own extractors, body validation and steps.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from pydantic_core import PydanticUndefined
from starlette.background import BackgroundTasks as StarletteBackgroundTasks
from starlette.datastructures import FormData
from starlette.requests import HTTPConnection, Request
from starlette.responses import Response
from starlette.types import Scope
from starlette.websockets import WebSocket

from accord._plan import BACKGROUND, CONNECTION, REQUEST, RESPONSE, WEBSOCKET, Plan
from accord._runtime.body import ABSENT, validate_received
from accord._runtime.extract import extractors, read_inputs
from accord._runtime.forms import validate_form
from accord._runtime.lifetime import bind_app_steps
from accord._runtime.steps import Exits, arguments, run_steps
from accord.background import BackgroundTasks

__all__ = ["solve_plan"]


async def solve_plan(
    plan: Plan,
    connection: HTTPConnection,
    body: Any,
    response: Response,
    background: StarletteBackgroundTasks | None,
    stacks: tuple[Exits, Exits],
    app: Any,
    scope: Scope | None = None,
) -> tuple[dict[str, Any], list[Any], StarletteBackgroundTasks | None]:
    """The endpoint's keyword arguments, the errors in FastAPI's order, the background tasks.

    `body` is the body as received (parsed JSON, None for a JSON null, form data, or
    `PydanticUndefined`/`ABSENT` for none); the non-body inputs are read from `scope` (by
    default the connection's). The endpoint of `plan` is not called.
    """
    plan = bind_app_steps(plan, app)
    errors: dict[str, list[Any]] = {}
    values: dict[str, Any] = {}
    if plan.validator is not None:
        read_from = connection.scope if scope is None else scope
        values = read_inputs(plan, extractors(plan), read_from, errors)
    if plan.body is not None:
        if isinstance(body, FormData):
            found, failed = await validate_form(plan.body, body)
        else:
            # `PydanticUndefined` is no body; None is a JSON null, a value (FastAPI 0.151+).
            absent = body is PydanticUndefined or body is ABSENT
            found, failed = validate_received(plan.body, ABSENT if absent else body)
        values.update(found)
        errors.update(failed)
    values[CONNECTION] = connection
    if isinstance(connection, WebSocket):
        values[WEBSOCKET] = connection
    elif isinstance(connection, Request):
        values[REQUEST] = connection
    values[RESPONSE] = response
    if plan.needs_background and background is None:
        background = BackgroundTasks()
    values[BACKGROUND] = background
    await run_steps(plan, values, errors, stacks[0], stacks[1], endpoint_may_join=False)
    ordered = [error for key in plan.error_order for error in errors.get(key, ())]
    if ordered:
        return _validated_arguments(plan, values), ordered, background
    return arguments(plan.endpoint, values), ordered, background


def _validated_arguments(plan: Plan, values: dict[str, Any]) -> dict[str, Any]:
    """As FastAPI's, the arguments that did validate, without the failed ones, except a
    whole body that failed: FastAPI names it with None."""
    endpoint = replace(plan.endpoint, args=tuple(a for a in plan.endpoint.args if a[1] in values))
    found = arguments(endpoint, values)
    body = plan.body
    if body is not None and not body.embed:
        wholes = {key for key, whole in zip(body.keys, body.whole, strict=True) if whole}
        for name, key in plan.endpoint.args:
            if key in wholes and key not in values:
                found[name] = None
    return found
