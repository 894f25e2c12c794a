"""Run blocking code without blocking the event loop (thread pool helpers)."""

from collections.abc import AsyncGenerator
from contextlib import AbstractContextManager
from contextlib import asynccontextmanager as asynccontextmanager
from typing import TypeVar
from weakref import WeakKeyDictionary

import anyio
import anyio.to_thread
from anyio.lowlevel import RunVar
from starlette.concurrency import iterate_in_threadpool as iterate_in_threadpool
from starlette.concurrency import run_in_threadpool as run_in_threadpool
from starlette.concurrency import run_until_first_complete as run_until_first_complete

__all__ = [
    "asynccontextmanager",
    "contextmanager_in_threadpool",
    "iterate_in_threadpool",
    "run_in_threadpool",
    "run_until_first_complete",
]

_T = TypeVar("_T")


@asynccontextmanager
async def contextmanager_in_threadpool(
    cm: AbstractContextManager[_T],
) -> AsyncGenerator[_T, None]:
    """Use a blocking context manager from async code: enter and exit it in threads.

    Args:
        cm: the synchronous context manager (a generator dependency, a DB session...).

    Yields:
        What `cm.__enter__` returned.
    """
    # `__exit__` gets a limiter of its own: if it waited for a slot in the shared pool
    # while the pool is full of threads waiting on the resource it releases (a connection
    # pool, say), nothing could move. A new limiter per call means it never waits.
    exit_limiter = anyio.CapacityLimiter(1)
    value = await run_in_threadpool(cm.__enter__)
    try:
        yield value
    except Exception as error:
        suppressed = await anyio.to_thread.run_sync(
            cm.__exit__, type(error), error, error.__traceback__, limiter=exit_limiter
        )
        if not suppressed:
            raise
    else:
        await anyio.to_thread.run_sync(cm.__exit__, None, None, None, limiter=exit_limiter)


class _DependencyConcurrency:
    """The limit of one ``Depends(..., max_concurrency=N)`` declaration, across requests.

    Requests wait for a slot before the dependency runs; a `yield` dependency keeps its slot
    until its teardown has run.
    """

    def __init__(self, max_concurrency: int) -> None:
        self.max_concurrency = max_concurrency

    def get_semaphore(self) -> anyio.Semaphore:
        """This declaration's semaphore in the running event loop."""
        semaphores = _semaphores.get(None)
        if semaphores is None:
            semaphores = WeakKeyDictionary()
            _semaphores.set(semaphores)
        semaphore = semaphores.get(self)
        if semaphore is None:
            semaphore = semaphores[self] = anyio.Semaphore(self.max_concurrency)
        return semaphore


# One semaphore per declaration and event loop; weak keys let a dropped declaration go.
_semaphores: RunVar[WeakKeyDictionary[_DependencyConcurrency, anyio.Semaphore]] = RunVar(
    "accord_dependency_semaphores"
)
