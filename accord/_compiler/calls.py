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


def _impartial(call: Any) -> Any:
    while isinstance(call, partial):
        call = call.func
    return call


def _candidates(call: Callable[..., Any]) -> list[Any]:
    """The callables that decide what kind ``call`` is, as FastAPI consults them: the callable
    (its partials peeled), what it wraps (``__wrapped__``), then, unless that is a class, the
    ``__call__`` of either, each also unwrapped. A kind holds when any candidate has it, so an
    ``async def`` wrapper of a ``def`` function (fastapi-cache2's ``@cache``) is a coroutine."""
    plain = _impartial(call)
    unwrapped = inspect.unwrap(plain)
    found = [plain, unwrapped]
    if inspect.isclass(unwrapped):
        return found
    for owner in (plain, unwrapped):
        dunder = getattr(owner, "__call__", None)  # noqa: B004 - we want the method itself
        if dunder is not None:
            found += [_impartial(dunder), inspect.unwrap(_impartial(dunder))]
    return found


def is_coroutine_callable(call: Callable[..., Any]) -> bool:
    """An ``async def`` function, or an instance whose ``__call__`` is one."""
    return any(inspect.iscoroutinefunction(target) for target in _candidates(call))


def is_gen_callable(call: Callable[..., Any]) -> bool:
    """A ``def`` function that yields (a sync context-manager dependency)."""
    return any(inspect.isgeneratorfunction(target) for target in _candidates(call))


def is_async_gen_callable(call: Callable[..., Any]) -> bool:
    """An ``async def`` function that yields."""
    return any(inspect.isasyncgenfunction(target) for target in _candidates(call))


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
