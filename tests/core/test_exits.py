"""`RequestExits` must behave exactly like `contextlib.AsyncExitStack` + `asynccontextmanager`.

Each scenario runs twice, once on each stack, and the two runs must agree on the teardown
order, the exception that comes out (type, message, chained context) and suppression.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AsyncExitStack, asynccontextmanager, contextmanager
from typing import Any

import anyio
import pytest

from accord._runtime.exits import RequestExits, ThreadExit


class Boom(Exception):
    pass


class Other(Exception):
    pass


def _gen(log: list[str], name: str, mode: str = "plain") -> Callable[[], AsyncIterator[str]]:
    async def dependency() -> AsyncIterator[str]:
        log.append(f"enter {name}")
        if mode == "no-yield":
            return
        try:
            yield name
            if mode == "twice":
                yield name
        except Boom:
            log.append(f"{name} saw Boom")
            if mode == "swallow":
                return
            if mode == "replace":
                raise Other(f"from {name}") from None
            raise
        except Other:
            log.append(f"{name} saw Other")
            if mode == "swallow":
                return
            raise
        finally:
            log.append(f"exit {name}")
        if mode == "fail-exit":
            raise Other(f"teardown of {name}")

    return dependency


async def _enter(stack: Any, factory: Callable[[], AsyncIterator[str]]) -> Any:
    if isinstance(stack, RequestExits):
        return await stack.enter_generator(factory())  # type: ignore[arg-type]
    return await stack.enter_async_context(asynccontextmanager(factory)())


def _describe(exc: BaseException | None) -> Any:
    if exc is None:
        return None
    return (type(exc).__name__, str(exc), _describe(exc.__context__))


async def _run(stack: Any, build: Callable[[Any, list[str]], Any], body_raises: bool) -> Any:
    log: list[str] = []
    outcome: Any = None
    try:
        async with stack:
            await build(stack, log)
            log.append("body")
            if body_raises:
                raise Boom("in body")
    except BaseException as exc:
        outcome = _describe(exc)
    return log, outcome


def _both(build: Callable[[Any, list[str]], Any], body_raises: bool) -> None:
    expected = anyio.run(_run, AsyncExitStack(), build, body_raises)
    got = anyio.run(_run, RequestExits(), build, body_raises)
    assert got == expected


MODES = ["plain", "swallow", "replace", "twice", "fail-exit"]


@pytest.mark.parametrize("body_raises", [False, True])
@pytest.mark.parametrize("outer", MODES)
@pytest.mark.parametrize("inner", MODES)
def test_two_generators_agree_with_contextlib(inner: str, outer: str, body_raises: bool) -> None:
    async def build(stack: Any, log: list[str]) -> None:
        await _enter(stack, _gen(log, "outer", outer))
        await _enter(stack, _gen(log, "inner", inner))

    _both(build, body_raises)


def test_generator_that_never_yields() -> None:
    async def build(stack: Any, log: list[str]) -> None:
        await _enter(stack, _gen(log, "a"))
        await _enter(stack, _gen(log, "b", "no-yield"))

    _both(build, body_raises=False)


@pytest.mark.parametrize("body_raises", [False, True])
def test_mixed_entries_agree_with_contextlib(body_raises: bool) -> None:
    async def build(stack: Any, log: list[str]) -> None:
        async def callback(name: str) -> None:
            log.append(f"callback {name}")

        async def exit_function(exc_type: Any, exc: Any, tb: Any) -> bool:
            log.append(f"exit function saw {exc_type.__name__ if exc_type else None}")
            return False

        @asynccontextmanager
        async def manager() -> AsyncIterator[None]:
            log.append("manager in")
            try:
                yield
            finally:
                log.append("manager out")

        @contextmanager
        def sync_manager() -> Iterator[None]:
            try:
                yield
            finally:
                log.append("sync manager out")

        entered = sync_manager()
        entered.__enter__()
        stack.push_async_exit(ThreadExit(entered))
        await _enter(stack, _gen(log, "gen"))
        stack.push_async_callback(callback, "one")
        await stack.enter_async_context(manager())
        stack.push_async_exit(exit_function)
        await _enter(stack, _gen(log, "gen2", "swallow"))

    _both(build, body_raises)


def test_thread_exit_runs_off_the_loop_and_sees_the_exception() -> None:
    seen: list[Any] = []

    @contextmanager
    def manager() -> Iterator[None]:
        import threading

        try:
            yield
        except Boom:
            seen.append("Boom")
            raise
        finally:
            seen.append(threading.current_thread() is threading.main_thread())

    async def main() -> None:
        entered = manager()
        entered.__enter__()
        with pytest.raises(Boom):
            async with RequestExits() as stack:
                stack.push_async_exit(ThreadExit(entered))
                raise Boom

    anyio.run(main)
    assert seen == ["Boom", False]
