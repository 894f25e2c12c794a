"""What kind of callable a dependency or endpoint is: coroutine, generator, async generator.

Decided once per callable at registration; `functools.partial` and decorators with `__wrapped__`
are seen through, and a callable instance is judged by its `__call__`.
"""

from __future__ import annotations

import inspect
import weakref
from collections.abc import Callable, Iterator
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


def _candidates(call: Callable[..., Any]) -> Iterator[tuple[Any, bool]]:
    """The functions that tell what `call` is, in FastAPI's order, each with whether it is
    the callable's own (rather than its instance's ``__call__``).

    The callable itself first, so that an ``async def`` wrapper around a ``def`` function
    (fastapi-cache2's ``@cache``) is a coroutine function; then what it wraps
    (``__wrapped__``), so that a plain decorator keeps the kind of what it decorates; then,
    for an instance, its ``__call__``, itself and unwrapped.
    """
    plain = _impartial(call)
    unwrapped = inspect.unwrap(plain)
    yield plain, True
    yield unwrapped, True
    if inspect.isclass(unwrapped):
        return
    for owner in (plain, unwrapped):
        dunder = getattr(owner, "__call__", None)  # noqa: B004 - we want the method itself
        if dunder is not None:
            yield _impartial(dunder), False
            yield inspect.unwrap(_impartial(dunder)), False


def _judge(call: Callable[..., Any]) -> tuple[bool, bool, bool]:
    """Whether `call` is a coroutine, a generator and an async generator function."""
    candidates = list(_candidates(call))
    return (
        any(
            (inspect.isroutine(target) or not own) and inspect.iscoroutinefunction(target)
            for target, own in candidates
        ),
        any(inspect.isgeneratorfunction(target) for target, _ in candidates),
        any(inspect.isasyncgenfunction(target) for target, _ in candidates),
    )


# Judged once per callable object (a dependency shared by a thousand routes is looked at
# once), keyed by identity. The cache holds weak references, so an app's callables stay freeable;
# entries of freed callables are swept when the cache doubles (at registration, never from a
# weakref callback, which could run in the middle of a request).
_JUDGED: dict[int, tuple[weakref.ref[Any], tuple[bool, bool, bool]]] = {}
_SWEEP_AT = [256]


def _sweep() -> None:
    """Drops the entries whose callable was freed."""
    for key in [key for key, (ref, _) in _JUDGED.items() if ref() is None]:
        del _JUDGED[key]
    _SWEEP_AT[0] = max(256, 2 * len(_JUDGED))


def _kinds(call: Callable[..., Any]) -> tuple[bool, bool, bool]:
    key = id(call)
    hit = _JUDGED.get(key)
    if hit is not None and hit[0]() is call:
        return hit[1]
    kinds = _judge(call)
    try:
        ref = weakref.ref(call)
    except TypeError:  # not weak-referenceable (a builtin, a slotted instance): not kept
        return kinds
    _JUDGED[key] = (ref, kinds)
    if len(_JUDGED) >= _SWEEP_AT[0]:
        _sweep()
    return kinds


def is_coroutine_callable(call: Callable[..., Any]) -> bool:
    """An ``async def`` function (or a function wrapping one), or an instance whose
    ``__call__`` is one."""
    return _kinds(call)[0]


def is_gen_callable(call: Callable[..., Any]) -> bool:
    """A ``def`` function that yields (a sync context-manager dependency)."""
    return _kinds(call)[1]


def is_async_gen_callable(call: Callable[..., Any]) -> bool:
    """An ``async def`` function that yields."""
    return _kinds(call)[2]


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
