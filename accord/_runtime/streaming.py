"""The runner of path operations that yield: JSON Lines, Server-Sent Events, raw streams.

Which of the three a route is was decided at registration (`APIRoute.is_json_stream`,
`is_sse_stream`); this runner only differs from `RouteRunner` in what it does with the
endpoint's generator. Every streaming request runs inside an exit stack that, after the
response (or after the client went away), closes the endpoint's generator first and then tears
down the yield dependencies, so nothing outlives the request.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AsyncExitStack, asynccontextmanager, suppress
from typing import Any

import anyio
from starlette.concurrency import iterate_in_threadpool, run_in_threadpool
from starlette.responses import Response, StreamingResponse

from accord import sse
from accord._compiler.fields import ModelField
from accord._compiler.plan import Plan
from accord._compiler.response import ResponsePlan
from accord._runtime.runner import RouteRunner, _arguments
from accord.background import BackgroundTasks
from accord.encoders import jsonable_encoder
from accord.exceptions import ResponseValidationError

__all__ = ["JSONL", "RAW", "SSE", "StreamingRouteRunner"]

JSONL, SSE, RAW = "jsonl", "sse", "raw"
_SSE_HEADERS = ((b"cache-control", b"no-cache"), (b"x-accel-buffering", b"no"))


class StreamingRouteRunner(RouteRunner):
    """The ASGI callable of a route whose endpoint is a (sync or async) generator function."""

    __slots__ = ("is_async", "item_field", "mode")

    def __init__(
        self,
        route: Any,
        plan: Plan,
        response: ResponsePlan,
        *,
        mode: str,
        item_field: ModelField | None,
        is_async: bool,
    ) -> None:
        super().__init__(route, plan, response)
        self.simple = False
        self.always_stack = True
        self.mode = mode
        self.item_field = item_field
        self.is_async = is_async

    async def _call_endpoint(
        self,
        plan: Plan,
        values: dict[str, Any],
        sub_response: Response | None,
        background: BackgroundTasks | None,
        request_stack: AsyncExitStack | None = None,
    ) -> Response:
        # Calling a generator function runs none of its code: no thread pool needed.
        generator = plan.endpoint.call(**_arguments(plan.endpoint, values))
        kwargs: dict[str, Any] = {"background": background}
        status = self.response.status_code
        if sub_response is not None and sub_response.status_code:
            status = sub_response.status_code
        if status is not None:
            kwargs["status_code"] = status
        if self.mode == SSE:
            assert request_stack is not None
            response = await self._sse_response(generator, request_stack, kwargs)
        elif self.mode == JSONL:
            response = self._jsonl_response(generator, request_stack, kwargs)
        else:
            response = self._raw_response(generator, request_stack, kwargs)
        if sub_response is not None:
            response.headers.raw.extend(sub_response.headers.raw)
        return response

    # -- the three kinds of stream -----------------------------------------------------

    def _jsonl_response(
        self, generator: Any, stack: AsyncExitStack | None, kwargs: dict[str, Any]
    ) -> Response:
        content: AsyncIterator[bytes] | Iterator[bytes]
        if self.is_async:
            content = _async_lines(generator, self.encode_item)
        else:
            content = _sync_lines(generator, self.encode_item)
        _close_on_exit(stack, content, generator)
        return StreamingResponse(content, media_type="application/jsonl", **kwargs)

    def _raw_response(
        self, generator: Any, stack: AsyncExitStack | None, kwargs: dict[str, Any]
    ) -> Response:
        content = _async_chunks(generator) if self.is_async else generator
        _close_on_exit(stack, content, generator)
        response: Response = self.response.response_class(content=content, **kwargs)
        return response

    async def _sse_response(
        self, generator: Any, stack: AsyncExitStack, kwargs: dict[str, Any]
    ) -> Response:
        items = generator if self.is_async else iterate_in_threadpool(generator)
        pump = _EventPump(items, self.encode_event)
        # Registered first, so it runs last: after the pump's task has stopped iterating.
        _close_on_exit(stack, None, generator)
        await stack.enter_async_context(pump.running())
        response = StreamingResponse(pump.chunks(), media_type="text/event-stream", **kwargs)
        response.headers.raw.extend(_SSE_HEADERS)
        return response

    # -- encoding one item -------------------------------------------------------------

    def encode_item(self, item: Any) -> bytes:
        """One item as JSON: validated and dumped through the item type, if one was declared."""
        field = self.item_field
        if field is None:
            return json.dumps(jsonable_encoder(item)).encode("utf-8")
        value, errors = field.validate(item, loc=("response",))
        if errors:
            raise ResponseValidationError(
                errors, body=item, endpoint_ctx=self.response.endpoint_ctx
            )
        return field.type_adapter.dump_json(value, **self.response.dump_options)

    def encode_event(self, item: Any) -> bytes:
        """One item as an SSE event; a `ServerSentEvent` is sent as it says, unvalidated."""
        if not isinstance(item, sse.ServerSentEvent):
            return sse.format_sse_event(data_str=self.encode_item(item).decode("utf-8"))
        data: str | None = item.raw_data
        if data is None and item.data is not None:
            dump = getattr(item.data, "model_dump_json", None)
            data = dump() if dump is not None else json.dumps(jsonable_encoder(item.data))
        return sse.format_sse_event(
            data_str=data, event=item.event, id=item.id, retry=item.retry, comment=item.comment
        )


async def _async_lines(
    generator: AsyncIterator[Any], encode: Callable[[Any], bytes]
) -> AsyncIterator[bytes]:
    async for item in generator:
        yield encode(item) + b"\n"
        # A checkpoint per item, so a disconnect is noticed even when items are always ready.
        await anyio.sleep(0)


def _sync_lines(generator: Iterator[Any], encode: Callable[[Any], bytes]) -> Iterator[bytes]:
    # Runs in the thread pool (StreamingResponse iterates sync content there), encoding included.
    for item in generator:
        yield encode(item) + b"\n"


async def _async_chunks(generator: AsyncIterator[Any]) -> AsyncIterator[Any]:
    async for chunk in generator:
        yield chunk
        await anyio.sleep(0)


def _close_on_exit(stack: AsyncExitStack | None, wrapper: Any, generator: Any) -> None:
    """Closes the wrapper, then the endpoint's generator, when the request's stack unwinds."""
    if stack is None:
        return
    stack.push_async_callback(_close, generator)
    if wrapper is not None and wrapper is not generator:
        stack.push_async_callback(_close, wrapper)


async def _close(generator: Any) -> None:
    # Shielded: a cancelled request must still run the generator's `finally` blocks.
    with anyio.CancelScope(shield=True):
        aclose = getattr(generator, "aclose", None)
        if aclose is not None:
            await aclose()
            return
        close = getattr(generator, "close", None)
        if close is not None:
            # ValueError: still running in a worker thread, from which it ends on its own.
            with suppress(ValueError):
                await run_in_threadpool(close)


class _EventPump:
    """Pulls events from the endpoint in a task and hands them to the response body.

    The endpoint is iterated in its own task so that the keep-alive timer never cancels the
    generator's own awaits; a second task sends a keep-alive comment whenever nothing was sent
    for `sse._PING_INTERVAL` seconds. Both tasks live in a task group entered on the request's
    exit stack, which cancels them when the response ends or the client disconnects.
    """

    def __init__(self, items: AsyncIterator[Any], encode: Callable[[Any], bytes]) -> None:
        self.items = items
        self.encode = encode
        self.sender, self.receiver = anyio.create_memory_object_stream[bytes](1)
        self.last_sent = time.monotonic()
        self.error: Exception | None = None
        self.timer = anyio.CancelScope()

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """Runs the producer and the keep-alive timer until the stack unwinds."""
        failure: Exception | None = None
        async with anyio.create_task_group() as group:
            group.start_soon(self._produce, self.sender.clone())
            group.start_soon(self._keep_alive, self.sender)
            try:
                yield
            except Exception as exc:
                # Raised again below, outside the group, so that it is not wrapped in an
                # ExceptionGroup (a ClientDisconnect stays a ClientDisconnect).
                failure = exc
            finally:
                group.cancel_scope.cancel()
                self.receiver.close()
        if failure is not None:
            raise failure

    async def _produce(self, sender: Any) -> None:
        async with sender:
            try:
                async for item in self.items:
                    await sender.send(self.encode(item))
                    self.last_sent = time.monotonic()
            except Exception as exc:  # re-raised by the response body, in the request's task
                self.error = exc
            finally:
                # The stream is over: stop the timer too, so that the body sees its end.
                self.timer.cancel()
                await _close(self.items)

    async def _keep_alive(self, sender: Any) -> None:
        async with sender:
            with self.timer:
                while True:
                    wait = self.last_sent + sse._PING_INTERVAL - time.monotonic()
                    if wait > 0:
                        await anyio.sleep(wait)
                        continue
                    await sender.send(sse.KEEPALIVE_COMMENT)
                    self.last_sent = time.monotonic()

    async def chunks(self) -> AsyncIterator[bytes]:
        """The response body: events and keep-alives, in the order they were produced."""
        async for chunk in self.receiver:
            yield chunk
            await anyio.sleep(0)
        if self.error is not None:
            raise self.error
