"""What kind of callable a dependency or endpoint is: coroutine, generator, async generator.

Decided once per callable at registration; `functools.partial` and decorators with `__wrapped__`
are seen through, and a callable instance is judged by its `__call__`.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from contextlib import asynccontextmanager, contextmanager
from functools import partial
from typing import Any

from accord._plan import ASYNC, ASYNC_GEN, GEN, SYNC, StepKind

__all__ = [
    "call_name",
    "is_async_gen_callable",
    "is_coroutine_callable",
    "is_gen_callable",
    "manager_factory",
    "step_kind",
]


def _target(call: Callable[..., Any]) -> Any:
    while isinstance(call, partial):
        call = call.func
    call = inspect.unwrap(call)
    if inspect.isroutine(call) or inspect.isclass(call):
        return call
    dunder = getattr(call, "__call__", None)  # noqa: B004 - we want the method itself
    return inspect.unwrap(dunder) if dunder is not None else call


def is_coroutine_callable(call: Callable[..., Any]) -> bool:
    """An ``async def`` function, or an instance whose ``__call__`` is one."""
    target = _target(call)
    return not inspect.isclass(target) and inspect.iscoroutinefunction(target)


def is_gen_callable(call: Callable[..., Any]) -> bool:
    """A ``def`` function that yields (a sync context-manager dependency)."""
    target = _target(call)
    return not inspect.isclass(target) and inspect.isgeneratorfunction(target)


def is_async_gen_callable(call: Callable[..., Any]) -> bool:
    """An ``async def`` function that yields."""
    target = _target(call)
    return not inspect.isclass(target) and inspect.isasyncgenfunction(target)


def call_name(call: Any) -> str:
    """A readable name for error messages."""
    return getattr(call, "__name__", None) or type(call).__name__


def step_kind(call: Callable[..., Any]) -> StepKind:
    """How a dependency is called: plain or yield, sync or async."""
    if is_async_gen_callable(call):
        return ASYNC_GEN
    if is_gen_callable(call):
        return GEN
    return ASYNC if is_coroutine_callable(call) else SYNC


def manager_factory(call: Callable[..., Any], kind: StepKind) -> Callable[..., Any] | None:
    """The context-manager factory of a yield dependency, built once rather than per request."""
    if kind == ASYNC_GEN:
        return asynccontextmanager(call)
    if kind == GEN:
        return contextmanager(call)
    return None
