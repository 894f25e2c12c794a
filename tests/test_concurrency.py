"""`accord.concurrency`: Starlette's helpers re-exported, `contextmanager_in_threadpool`."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import Any

import anyio
import anyio.to_thread
import fastapi.concurrency
import pytest
import starlette.concurrency

import accord.concurrency
from accord.concurrency import contextmanager_in_threadpool


@pytest.mark.parametrize(
    "name", ["run_in_threadpool", "iterate_in_threadpool", "run_until_first_complete"]
)
def test_starlette_helpers_are_reexported(name: str) -> None:
    assert getattr(accord.concurrency, name) is getattr(starlette.concurrency, name)


def test_asynccontextmanager_is_contextlibs() -> None:
    assert accord.concurrency.asynccontextmanager is contextlib.asynccontextmanager


class Recorder:
    """A blocking context manager that records where and how it is entered and left."""

    def __init__(self, suppress: bool = False) -> None:
        self.suppress = suppress
        self.events: list[Any] = []

    def __enter__(self) -> str:
        self.events.append(("enter", threading.current_thread() is threading.main_thread()))
        return "resource"

    def __exit__(self, *exc_info: Any) -> bool:
        on_main = threading.current_thread() is threading.main_thread()
        self.events.append(("exit", on_main, exc_info[0]))
        return self.suppress


def run_scenario(implementation: Any, fail: bool, suppress: bool) -> tuple[list[Any], Any]:
    recorder = Recorder(suppress)
    outcome: Any = None

    async def main() -> None:
        nonlocal outcome
        try:
            async with implementation(recorder) as value:
                recorder.events.append(("body", value))
                if fail:
                    raise KeyError("boom")
            outcome = "completed"
        except KeyError as error:
            outcome = f"raised {error!r}"

    anyio.run(main)
    return recorder.events, outcome


@pytest.mark.parametrize("fail", [False, True])
@pytest.mark.parametrize("suppress", [False, True])
def test_matches_fastapi(fail: bool, suppress: bool) -> None:
    ours = run_scenario(contextmanager_in_threadpool, fail, suppress)
    theirs = run_scenario(fastapi.concurrency.contextmanager_in_threadpool, fail, suppress)
    assert ours == theirs


def test_enters_and_exits_off_the_event_loop_thread() -> None:
    events, outcome = run_scenario(contextmanager_in_threadpool, fail=True, suppress=False)
    assert events == [("enter", False), ("body", "resource"), ("exit", False, KeyError)]
    assert outcome == "raised KeyError('boom')"


def test_exception_from_generator_context_manager_propagates_unchanged() -> None:
    seen: list[BaseException] = []

    @contextlib.contextmanager
    def resource() -> Iterator[int]:
        try:
            yield 1
        except ValueError as error:
            seen.append(error)
            raise

    async def main() -> None:
        async with contextmanager_in_threadpool(resource()):
            raise ValueError("inner")

    with pytest.raises(ValueError, match="inner") as info:
        anyio.run(main)
    assert seen == [info.value]


def test_exit_runs_when_the_thread_pool_is_full() -> None:
    # The context manager's __exit__ releases what a thread of the (full) pool waits for:
    # it must not queue for a slot in that same pool.
    released = threading.Event()

    class Gate:
        def __enter__(self) -> None:
            return None

        def __exit__(self, *exc_info: Any) -> None:
            released.set()

    async def main() -> None:
        anyio.to_thread.current_default_thread_limiter().total_tokens = 1
        with anyio.fail_after(5):
            async with anyio.create_task_group() as group, contextmanager_in_threadpool(Gate()):
                group.start_soon(anyio.to_thread.run_sync, released.wait)
                await anyio.sleep(0.05)  # the waiter now holds the only slot

    anyio.run(main)
    assert released.is_set()
