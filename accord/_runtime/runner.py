"""The per-request runner: executes a route's `Plan` and writes the response.

Kept flat on purpose: one coroutine per request path, with the variant (no inputs, dependencies,
yield dependencies) chosen when the route was compiled, not per request.
"""

from __future__ import annotations

import json
from contextlib import AbstractContextManager, AsyncExitStack
from typing import Any

import anyio.to_thread
from anyio.from_thread import check_cancelled
from pydantic import TypeAdapter, ValidationError
from pydantic_core import PydanticSerializationError
from starlette.background import BackgroundTasks as StarletteBackgroundTasks
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from accord._compiler.dependant import SecurityScopes
from accord._compiler.fields import regenerate_errors
from accord._compiler.plan import (
    ASYNC,
    ASYNC_GEN,
    BACKGROUND,
    CONNECTION,
    GEN,
    REQUEST,
    RESPONSE,
    SYNC,
    Plan,
    Step,
)
from accord._compiler.response import ResponsePlan, is_body_allowed_for_status_code
from accord._runtime.errors import handle_exception
from accord._runtime.exits import RequestExits, ThreadExit
from accord._runtime.inputs import (
    extract,
    materialize,
    read_body,
    read_json_body,
    validate_slots_one_by_one,
)
from accord._runtime.limits import LimitedReceive, route_error_options
from accord._runtime.safe_json import safe_json_bytes
from accord.background import BackgroundTasks
from accord.concurrency import contextmanager_in_threadpool
from accord.encoders import jsonable_encoder
from accord.exceptions import AccordError, RequestValidationError, ResponseValidationError

__all__ = ["RouteRunner", "encode_json"]

_JSON_HEADER = (b"content-type", b"application/json")
_SWALLOWED = (
    "Response not awaited. There's a high chance that the application code is raising an "
    "exception and a dependency with yield has a block with a bare except, or a block with "
    "except Exception, and is not raising the exception again. Re-raise it in the dependency."
)

# A request's exit stack: `RequestExits`, or contextlib's for streaming and WebSocket routes.
Exits = AsyncExitStack | RequestExits


class _NotNative(Exception):
    pass


def _refuse(obj: Any) -> Any:
    raise _NotNative


_NATIVE_ENCODER = json.JSONEncoder(
    ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":"), default=_refuse
)


def encode_json(content: Any) -> bytes:
    """`JSONResponse`'s bytes for `content`, skipping `jsonable_encoder` when it changes nothing.

    Content JSON cannot spell (``inf``, a lone surrogate: usually a client's input echoed
    back) is written by `safe_json_bytes` (``inf`` as ``null``, as a response model writes it)
    rather than failing with a 500.
    """
    try:
        return _NATIVE_ENCODER.encode(content).encode("utf-8")
    except (_NotNative, TypeError):
        return safe_json_bytes(jsonable_encoder(content), spell_non_finite=False)
    except (ValueError, UnicodeEncodeError):
        return safe_json_bytes(content, spell_non_finite=False)


def model_json(adapter: TypeAdapter[Any], value: Any, options: dict[str, Any]) -> bytes:
    """The response model's JSON for `value`; see `encode_json` for what JSON cannot spell."""
    try:
        return adapter.serializer.to_json(value, **options)
    except PydanticSerializationError:
        content = adapter.serializer.to_python(value, mode="json", **options)
        return safe_json_bytes(content, spell_non_finite=False)


class RouteRunner:
    """The ASGI callable of one compiled route."""

    __slots__ = (
        "always_stack",
        "error_format",
        "limits",
        "overrides",
        "plan",
        "response",
        "route",
        "simple",
        "strict_content_type",
    )

    def __init__(self, route: Any, plan: Plan, response: ResponsePlan) -> None:
        self.route = route
        self.plan = plan
        self.response = response
        self.overrides = route.dependency_overrides_provider
        strict = route.strict_content_type
        self.strict_content_type: bool = getattr(strict, "value", strict)
        self.error_format, self.limits = route_error_options(route)
        # Streaming runners always need the request stack: it closes their generator.
        self.always_stack = False
        self.simple = (
            not plan.slots
            and plan.body is None
            and not plan.steps
            and not plan.endpoint.args
            and response.field is None
            and response.class_is_default
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Any) -> None:
        plan = self.plan
        provider = self.overrides
        if provider is not None and getattr(provider, "dependency_overrides", None):
            plan = self.route.plan_for_overrides(provider.dependency_overrides)
        elif self.simple:
            await self._run_simple(scope, receive, send)
            return
        started = False
        try:
            if plan.has_exit_stack or self.always_stack:
                sent = False
                # Streaming runners keep contextlib's stack: their pumps are task groups.
                request_stack = AsyncExitStack() if self.always_stack else RequestExits()
                async with request_stack:
                    response = await self.solve(plan, scope, receive, send, request_stack)
                    started = True
                    await response(scope, receive, send)
                    sent = True
                if not sent:
                    raise AccordError(_SWALLOWED)
            else:
                response = await self.solve(plan, scope, receive, send, None)
                started = True
                await response(scope, receive, send)
        except Exception as exc:
            await handle_exception(scope, receive, send, exc, started, self.error_format)

    async def _run_simple(self, scope: Scope, receive: Receive, send: Any) -> None:
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
            headers = [(b"content-length", str(len(body)).encode()), _JSON_HEADER]
            if status < 200 or status in (204, 304):
                headers = [_JSON_HEADER]
            started = True
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})
        except Exception as exc:
            await handle_exception(scope, receive, send, exc, started, self.error_format)

    async def solve(
        self,
        plan: Plan,
        scope: Scope,
        receive: Receive,
        send: Send,
        request_stack: Exits | None,
        request: Request | None = None,
    ) -> Response:
        """Validates inputs, runs dependencies and the endpoint; returns the response to send.

        `request` is given when a custom route class passes its own `Request` (for instance one
        that rewrites the body): the body and the injected request are then that object.
        """
        body = plan.body
        if request is None and (plan.needs_request or (body is not None and body.is_form)):
            if body is None and self.limits.max_body_size is not None:
                # The endpoint may read the raw body itself: bound its reads too.
                receive = LimitedReceive(scope, receive, self.limits.max_body_size)
            request = Request(scope, receive, send)
        values: dict[str, Any]
        body_values: dict[str, Any]
        errors: dict[str, list[Any]] = {}
        received: Any = None
        if body is None:
            body_values = {}
        elif request is None:
            # A JSON (or raw) body nothing else reads: straight from `receive`, no `Request`.
            received, body_values, errors = await read_json_body(
                body, scope, receive, self.strict_content_type, self.limits.max_body_size
            )
        else:
            received, body_values, errors = await read_body(
                body, request, self.strict_content_type, self.limits
            )
            if request_stack is not None and isinstance(received, FormData):
                request_stack.push_async_callback(received.close)
        if plan.validator is not None:
            raw = extract(plan, scope)
            try:
                # The adapter's core validator: the same call without the wrapper's frame.
                values = plan.validator.validator.validate_python(raw)
            except ValidationError:
                values, slot_errors = validate_slots_one_by_one(plan, raw)
                errors = {**errors, **slot_errors}
        else:
            values = {}
        if body_values:
            values.update(body_values)
        sub_response = _sub_response() if plan.needs_response else None
        if plan.needs_request:
            values[REQUEST] = request
            values[CONNECTION] = request
        if sub_response is not None:
            values[RESPONSE] = sub_response
        background: BackgroundTasks | None = None
        if plan.needs_background:
            background = BackgroundTasks()
            values[BACKGROUND] = background
        if request_stack is not None and not plan.has_function_scope:
            # No `scope="function"` teardown: the request's stack serves for both.
            await run_steps(plan, values, errors, request_stack, request_stack)
            if errors:
                raise self._validation_error(plan, errors, received)
            return await self._call_endpoint(plan, values, sub_response, background, request_stack)
        if request_stack is not None:
            async with _new_stack(request_stack) as function_stack:
                await run_steps(plan, values, errors, request_stack, function_stack)
                if errors:
                    raise self._validation_error(plan, errors, received)
                response = await self._call_endpoint(
                    plan, values, sub_response, background, request_stack
                )
            return response
        if plan.stages:
            await run_steps(plan, values, errors, None, None)
        if errors:
            raise self._validation_error(plan, errors, received)
        return await self._call_endpoint(plan, values, sub_response, background)

    async def _call_endpoint(
        self,
        plan: Plan,
        values: dict[str, Any],
        sub_response: Response | None,
        background: BackgroundTasks | None,
        request_stack: Any = None,
    ) -> Response:
        # `request_stack` serves streaming runners (accord._runtime.streaming), which close the
        # endpoint's generator on it (always an `AsyncExitStack` there); a plain endpoint has
        # nothing to leave there.
        endpoint = plan.endpoint
        if plan.endpoint_in_last_stage:
            raw = values[ENDPOINT_RESULT]  # called in the dependencies' last thread-pool hop
        elif endpoint.kind == ASYNC:
            raw = await endpoint.call(**_arguments(endpoint, values))
        else:
            raw = await run_in_threadpool(endpoint.call, **_arguments(endpoint, values))
        if isinstance(raw, Response):
            if raw.background is None:
                raw.background = background
            return raw
        return self._build_response(raw, sub_response, background)

    def _build_response(
        self, raw: Any, sub_response: Response | None, background: StarletteBackgroundTasks | None
    ) -> Response:
        plan = self.response
        if sub_response is None and plan.json_status is not None:
            # The common case, with everything but the body known at registration.
            return _JSONBytes(self._json_body(raw), plan.json_status, background)
        status = plan.status_code
        if sub_response is not None and sub_response.status_code:
            status = sub_response.status_code
        kwargs: dict[str, Any] = {"background": background}
        if status is not None:
            kwargs["status_code"] = status
        if plan.field is not None:
            value, errors = plan.field.validate(raw, loc=("response",))
            if errors:
                raise ResponseValidationError(errors, body=raw, endpoint_ctx=plan.endpoint_ctx)
            if plan.dump_json:
                content = model_json(plan.field.type_adapter, value, plan.dump_options)
                response = Response(content, media_type="application/json", **kwargs)
            else:
                adapter = plan.field.type_adapter
                content = adapter.dump_python(value, mode="json", **plan.dump_options)
                response = plan.response_class(content, **kwargs)
        elif plan.class_is_default:
            response = Response(encode_json(raw), media_type="application/json", **kwargs)
        else:
            response = plan.response_class(jsonable_encoder(raw), **kwargs)
        if not is_body_allowed_for_status_code(response.status_code):
            response.body = b""
        if sub_response is not None:
            response.headers.raw.extend(sub_response.headers.raw)
        return response

    def _json_body(self, raw: Any) -> bytes:
        """The default class's body for `raw`, through the response model if there is one."""
        plan = self.response
        if plan.field is None:
            return encode_json(raw)
        # The adapter's core validator and serializer: `ModelField.validate` and `dump_json`
        # without their wrappers' frames.
        adapter = plan.field.type_adapter
        try:
            value = adapter.validator.validate_python(raw, from_attributes=True)
        except ValidationError as exc:
            errors = regenerate_errors(exc.errors(include_url=False), ("response",))
            raise ResponseValidationError(
                errors, body=raw, endpoint_ctx=plan.endpoint_ctx
            ) from None
        return model_json(adapter, value, plan.dump_options)

    def _validation_error(
        self, plan: Plan, errors: dict[str, list[Any]], received: Any
    ) -> RequestValidationError:
        ordered: list[Any] = []
        for key in plan.error_order:
            ordered.extend(errors.get(key, ()))
        return RequestValidationError(
            ordered, body=materialize(received), endpoint_ctx=self.response.endpoint_ctx
        )


class _JSONBytes(Response):
    """A `Response` of ready JSON bytes: the headers `Response` would write, without its
    rendering steps."""

    media_type = "application/json"

    def __init__(
        self, body: bytes, status_code: int, background: StarletteBackgroundTasks | None
    ) -> None:
        self.status_code = status_code
        self.background = background
        self.body = body
        self.raw_headers = [(b"content-length", str(len(body)).encode()), _JSON_HEADER]


def _arguments(step: Step, values: dict[str, Any]) -> dict[str, Any]:
    kwargs: dict[str, Any] = {}
    for name, key in step.args:
        if key[0] == "!" and key.startswith("!scopes:"):
            assert step.scopes is not None
            kwargs[name] = SecurityScopes(scopes=list(step.scopes[1]))
        else:
            kwargs[name] = values[key]
    return kwargs


async def _enter(step: Step, kwargs: dict[str, Any], stack: Exits) -> Any:
    assert step.manager is not None
    if step.kind == ASYNC_GEN:
        return await stack.enter_async_context(step.manager(**kwargs))
    return await stack.enter_async_context(contextmanager_in_threadpool(step.manager(**kwargs)))


def _new_stack(like: Exits) -> Exits:
    return RequestExits() if type(like) is RequestExits else AsyncExitStack()


def _sub_response() -> Response:
    response = Response()
    del response.headers["content-length"]
    response.status_code = None  # type: ignore[assignment]
    return response


ENDPOINT_RESULT = "!endpoint"


async def run_steps(
    plan: Plan,
    values: dict[str, Any],
    errors: dict[str, list[Any]],
    request_stack: Exits | None,
    function_stack: Exits | None,
    *,
    endpoint_may_join: bool = True,
) -> None:
    """Calls the dependency steps in order, skipping those whose inputs failed validation.

    With `endpoint_may_join`, a `def` endpoint that follows `def` dependencies is called in
    their thread-pool hop (see `Plan.endpoint_in_last_stage`); WebSocket endpoints never are.
    """
    last = len(plan.stages) - 1 if endpoint_may_join else -1
    for index, stage in enumerate(plan.stages):
        step = stage[0]
        if step.kind == SYNC or step.kind == GEN:
            with_endpoint = plan.endpoint_in_last_stage and index == last
            await _run_sync_stage(
                plan, stage, values, errors, request_stack, function_stack, with_endpoint
            )
            continue
        if errors and not step.subtree.isdisjoint(errors):
            continue
        kwargs = _arguments(step, values)
        if step.kind == ASYNC:
            values[step.result_key] = await step.call(**kwargs)
            continue
        assert request_stack is not None and function_stack is not None
        stack = function_stack if step.function_scope else request_stack
        if type(stack) is RequestExits and step.kind == ASYNC_GEN:
            values[step.result_key] = await stack.enter_generator(step.call(**kwargs))
        else:
            values[step.result_key] = await _enter(step, kwargs, stack)


async def _run_sync_stage(
    plan: Plan,
    stage: tuple[Step, ...],
    values: dict[str, Any],
    errors: dict[str, list[Any]],
    request_stack: Exits | None,
    function_stack: Exits | None,
    with_endpoint: bool,
) -> None:
    """Runs a group of `def` dependencies (and maybe the endpoint) in one worker thread."""
    entered: list[tuple[Step, AbstractContextManager[Any]]] = []
    try:
        # anyio directly: Starlette's `run_in_threadpool` adds a frame resumed at every step.
        await anyio.to_thread.run_sync(
            _sync_stage, plan, stage, values, errors, entered, with_endpoint
        )
    finally:
        # Entered generators are torn down later, in a thread, like any yield dependency.
        for step, manager in entered:
            stack = function_stack if step.function_scope else request_stack
            assert stack is not None
            stack.push_async_exit(ThreadExit(manager))


def _sync_stage(
    plan: Plan,
    stage: tuple[Step, ...],
    values: dict[str, Any],
    errors: dict[str, list[Any]],
    entered: list[tuple[Step, AbstractContextManager[Any]]],
    with_endpoint: bool,
) -> None:
    for index, step in enumerate(stage):
        if errors and not step.subtree.isdisjoint(errors):
            continue
        if index:
            # Separate hops in FastAPI: a request cancelled meanwhile calls nothing more.
            check_cancelled()
        kwargs = _arguments(step, values)
        if step.kind == SYNC:
            values[step.result_key] = step.call(**kwargs)
        else:
            assert step.manager is not None
            manager = step.manager(**kwargs)
            values[step.result_key] = manager.__enter__()
            entered.append((step, manager))
    if with_endpoint and not errors:
        check_cancelled()
        values[ENDPOINT_RESULT] = plan.endpoint.call(**_arguments(plan.endpoint, values))
