"""Streams as response encoders: JSON Lines, Server-Sent Events, raw chunks.

A generator endpoint's route has one of the stream `ResponseKind`s, fixed at registration;
its runner's `respond` is the matching function of `STREAMS`, which calls the generator
function (that runs none of its code) and wraps the generator in a streaming response. Every
streaming request runs inside an exit stack that, after the response (or after the client
went away), closes the endpoint's generator first and then tears down the yield dependencies,
so nothing outlives the request.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import AsyncExitStack, asynccontextmanager, suppress
from typing import Any

import anyio
from starlette.concurrency import iterate_in_threadpool, run_in_threadpool
from starlette.responses import Response, StreamingResponse

from accord import sse
from accord._plan import Plan, ResponseKind, ResponsePlan, StreamPlan
from accord._runtime.steps import arguments
from accord._safe_json import stream_json
from accord.background import BackgroundTasks
from accord.encoders import jsonable_encoder
from accord.exceptions import ResponseValidationError

__all__ = ["STREAMS", "ItemEncoder"]

_SSE_HEADERS = ((b"cache-control", b"no-cache"), (b"x-accel-buffering", b"no"))


class ItemEncoder:
    """Encodes one streamed item: through the item type, if one was declared."""

    __slots__ = ("response", "stream")

    def __init__(self, response: ResponsePlan, stream: StreamPlan) -> None:
        self.response = response
        self.stream = stream

    def item(self, item: Any) -> bytes:
        """One item as JSON: validated and dumped through the item type, if one was declared."""
        field = self.stream.item_field
        if field is None:
            return stream_json(jsonable_encoder(item)).encode("utf-8")
        value, errors = field.validate(item, loc=("response",))
        if errors:
            raise ResponseValidationError(
                errors, body=item, endpoint_ctx=self.response.endpoint_ctx
            )
        return field.type_adapter.dump_json(value, **self.response.dump_options)

    def event(self, item: Any) -> bytes:
        """One item as an SSE event; a `ServerSentEvent` is sent as it says, unvalidated."""
        if not isinstance(item, sse.ServerSentEvent):
            return sse.format_sse_event(data_str=self.item(item).decode("utf-8"))
        data: str | None = item.raw_data
        if data is None and item.data is not None:
            dump = getattr(item.data, "model_dump_json", None)
            data = dump() if dump is not None else stream_json(jsonable_encoder(item.data))
        return sse.format_sse_event(
            data_str=data, event=item.event, id=item.id, retry=item.retry, comment=item.comment
        )


def _start(
    runner: Any, plan: Plan, values: dict[str, Any], sub: Response | None, background: Any
) -> tuple[Any, dict[str, Any], ItemEncoder]:
    """The endpoint's generator, the response's keyword arguments and the item encoder."""
    # Calling a generator function runs none of its code: no thread pool needed.
    generator = plan.endpoint.call(**arguments(plan.endpoint, values))
    kwargs: dict[str, Any] = {"background": background}
    status = runner.response.status_code
    if sub is not None and sub.status_code:
        status = sub.status_code
    if status is not None:
        kwargs["status_code"] = status
    assert runner.route_plan.stream is not None
    return generator, kwargs, ItemEncoder(runner.response, runner.route_plan.stream)


def _finish(response: Response, sub: Response | None) -> Response:
    if sub is not None:
        response.headers.raw.extend(sub.headers.raw)
    return response


async def _jsonl(
    runner: Any,
    plan: Plan,
    values: dict[str, Any],
    sub: Response | None,
    background: BackgroundTasks | None,
    stack: AsyncExitStack | None,
) -> Response:
    generator, kwargs, encode = _start(runner, plan, values, sub, background)
    content: AsyncIterator[bytes] | Iterator[bytes]
    if encode.stream.is_async:
        content = _async_lines(generator, encode.item)
    else:
        content = _sync_lines(generator, encode.item)
    _close_on_exit(stack, content, generator)
    return _finish(StreamingResponse(content, media_type="application/jsonl", **kwargs), sub)


async def _raw(
    runner: Any,
    plan: Plan,
    values: dict[str, Any],
    sub: Response | None,
    background: BackgroundTasks | None,
    stack: AsyncExitStack | None,
) -> Response:
    generator, kwargs, encode = _start(runner, plan, values, sub, background)
    content = _async_chunks(generator) if encode.stream.is_async else generator
    _close_on_exit(stack, content, generator)
    return _finish(runner.response.response_class(content=content, **kwargs), sub)


async def _sse(
    runner: Any,
    plan: Plan,
    values: dict[str, Any],
    sub: Response | None,
    background: BackgroundTasks | None,
    stack: AsyncExitStack | None,
) -> Response:
    assert stack is not None
    generator, kwargs, encode = _start(runner, plan, values, sub, background)
    items = generator if encode.stream.is_async else iterate_in_threadpool(generator)
    pump = _EventPump(items, encode.event)
    # Registered first, so it runs last: after the pump's task has stopped iterating.
    _close_on_exit(stack, None, generator)
    await stack.enter_async_context(pump.running())
    response = StreamingResponse(pump.chunks(), media_type="text/event-stream", **kwargs)
    response.headers.raw.extend(_SSE_HEADERS)
    return _finish(response, sub)


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


STREAMS: dict[ResponseKind, Callable[..., Awaitable[Response]]] = {
    ResponseKind.JSONL: _jsonl,
    ResponseKind.SSE: _sse,
    ResponseKind.RAW: _raw,
}
