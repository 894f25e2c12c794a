"""A request's exit stack: the teardown of its yield dependencies, cheap when nothing fails.

`contextlib.AsyncExitStack` plus `asynccontextmanager` cost about a dozen Python calls per
yield dependency. `RequestExits` keeps an `async def ... yield` dependency as its bare generator
and a `def ... yield` one as its entered context manager, and on the happy path resumes them
directly, last in first out. As soon as an exception is involved (raised in the request, or by
a teardown) the remaining entries are handed to a real `AsyncExitStack`, wrapped as the context
managers they stand for, so that suppression, chaining and re-raising behave exactly as
`async with AsyncExitStack()` would.
"""

from __future__ import annotations

import math
from collections.abc import AsyncGenerator, Awaitable, Callable
from contextlib import (
    AbstractAsyncContextManager,
    AbstractContextManager,
    AsyncExitStack,
    asynccontextmanager,
)
from types import AsyncGeneratorType, TracebackType
from typing import Any

import anyio
import anyio.to_thread
from anyio.lowlevel import RunVar

__all__ = ["RequestExits", "Shielded", "ThreadExit"]

# Shared by every teardown of a `def` yield dependency. Unbounded on purpose: an exit must not
# wait for a slot in a pool that may be full of threads waiting for what this exit releases
# (a per-request `CapacityLimiter(1)` gave the same guarantee at a few calls per request).
# Created in the running loop on first use: anyio before 4.4 builds its primitives for the
# loop of the moment, so one cannot be made at import time.
_EXIT_LIMITER: RunVar[anyio.CapacityLimiter] = RunVar("accord_exit_limiter")


def _exit_limiter() -> anyio.CapacityLimiter:
    try:
        return _EXIT_LIMITER.get()
    except LookupError:
        limiter = anyio.CapacityLimiter(math.inf)
        _EXIT_LIMITER.set(limiter)
        return limiter


class ThreadExit(AbstractAsyncContextManager[None]):
    """The `__aexit__` of a `def` yield dependency: its `__exit__`, run in a worker thread."""

    __slots__ = ("manager",)

    def __init__(self, manager: AbstractContextManager[Any]) -> None:
        self.manager = manager

    async def __aexit__(
        self, exc_type: Any, exc: BaseException | None, traceback: TracebackType | None
    ) -> bool | None:
        return await anyio.to_thread.run_sync(
            self.manager.__exit__, exc_type, exc, traceback, limiter=_exit_limiter()
        )


def _given(generator: AsyncGenerator[Any, None]) -> AsyncGenerator[Any, None]:
    return generator


# `_as_manager(gen)` is the `asynccontextmanager` object of an already started generator: its
# `__aexit__` is contextlib's own, so the error path keeps contextlib's semantics to the letter.
_as_manager = asynccontextmanager(_given)

_Exit = Callable[[Any, Any, Any], Awaitable[Any]]


class RequestExits:
    """The subset of `AsyncExitStack` a request uses, with a fast path for yield dependencies."""

    __slots__ = ("_entries",)

    def __init__(self) -> None:
        # Each entry: a started async generator, or an `__aexit__`-shaped coroutine function.
        self._entries: list[Any] = []

    async def enter_generator(self, generator: AsyncGenerator[Any, None]) -> Any:
        """Runs an `async def ... yield` dependency to its `yield`; returns the yielded value."""
        try:
            value = await generator.__anext__()
        except StopAsyncIteration:
            raise RuntimeError("generator didn't yield") from None
        self._entries.append(generator)
        return value

    async def enter_async_context(self, manager: Any) -> Any:
        """`AsyncExitStack.enter_async_context`."""
        cls = type(manager)
        result = await cls.__aenter__(manager)
        self._entries.append(manager.__aexit__)
        return result

    def push_async_exit(self, exit: Any) -> Any:
        """`AsyncExitStack.push_async_exit`: an object with `__aexit__`, or such a function."""
        aexit = getattr(type(exit), "__aexit__", None)
        self._entries.append(exit if aexit is None else aexit.__get__(exit))
        return exit

    def push_async_callback(self, callback: Callable[..., Awaitable[Any]], /, *args: Any) -> Any:
        """`AsyncExitStack.push_async_callback` (positional arguments only)."""
        self._entries.append(_Callback(callback, args).__aexit__)
        return callback

    async def __aenter__(self) -> RequestExits:
        return self

    async def __aexit__(
        self, exc_type: Any, exc: BaseException | None, traceback: TracebackType | None
    ) -> bool:
        if exc_type is not None:
            return await self._unwind(exc_type, exc, traceback)
        entries = self._entries
        while entries:
            entry = entries.pop()
            try:
                if type(entry) is not AsyncGeneratorType:
                    await entry(None, None, None)
                    continue
                try:
                    await entry.__anext__()
                except StopAsyncIteration:
                    continue
                await _not_stopped(entry)
            except BaseException as error:
                failed = error
                break
        else:
            return False
        # A teardown failed: the ones left see its exception, as in `AsyncExitStack`.
        if not await self._unwind(type(failed), failed, failed.__traceback__):
            raise failed
        return False

    async def _unwind(self, exc_type: Any, exc: Any, traceback: Any) -> bool:
        stack = AsyncExitStack()
        for entry in self._entries:
            if type(entry) is AsyncGeneratorType:
                stack.push_async_exit(_as_manager(entry))
            else:
                stack.push_async_exit(entry)
        self._entries.clear()
        return bool(await stack.__aexit__(exc_type, exc, traceback))


async def _not_stopped(generator: AsyncGenerator[Any, None]) -> None:
    # What contextlib's manager does when a generator yields a second time.
    try:
        raise RuntimeError("generator didn't stop")
    finally:
        await generator.aclose()


class _Callback:
    __slots__ = ("args", "callback")

    def __init__(self, callback: Callable[..., Awaitable[Any]], args: tuple[Any, ...]) -> None:
        self.callback = callback
        self.args = args

    async def __aexit__(self, exc_type: Any, exc: Any, traceback: Any) -> None:
        await self.callback(*self.args)


class Shielded:
    """An exit stack whose teardowns run to completion even when the request is cancelled.

    As in FastAPI 0.162.5 (sync) and 0.162.7 (async): a client that disconnects, or a server
    that cancels the request, still gets every `yield` dependency's code after `yield` run in
    full (a session closed, a lock released), then the cancellation goes on. The cancel scope is
    entered before the stack, so it encloses every scope the dependencies open, and is shielded
    only while the stack unwinds.
    """

    __slots__ = ("scope", "stack")

    def __init__(self, stack: Any) -> None:
        self.stack = stack
        self.scope = anyio.CancelScope()

    async def __aenter__(self) -> Any:
        self.scope.__enter__()
        try:
            return await self.stack.__aenter__()
        except BaseException:
            self.scope.__exit__(None, None, None)
            raise

    async def __aexit__(
        self, exc_type: Any, exc: BaseException | None, traceback: TracebackType | None
    ) -> bool:
        self.scope.shield = True
        try:
            suppressed = bool(await self.stack.__aexit__(exc_type, exc, traceback))
            # A cancelled request stays cancelled: on older anyio a dependency's own task group,
            # exited inside this shield, can swallow the cancellation.
            return suppressed and not isinstance(exc, anyio.get_cancelled_exc_class())
        finally:
            self.scope.shield = False
            self.scope.__exit__(None, None, None)

