"""App-scoped dependencies at compile time: a `Depends(dep, scope="app")` becomes a plan step
that reads the app's one value instead of calling `dep` per request.

The dependency's own tree (other app-scoped or plain sub-dependencies, checked to use no request
data by `accord._compiler.dependant`) is compiled into an `AppRecipe`: what the app's lifetime
container (`accord._runtime.lifetime`) runs once, at start-up or on first use.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from typing import Any

from accord._compiler.calls import (
    call_name,
    is_async_gen_callable,
    is_coroutine_callable,
    is_gen_callable,
)
from accord._compiler.dependant import Dependant, get_dependant
from accord._compiler.overrides import apply_overrides
from accord._compiler.plan import ASYNC, ASYNC_GEN, GEN, SYNC, Plan, Step
from accord._runtime.lifetime import AppValue, lifetime_of

__all__ = [
    "AppRecipe",
    "app_scope_step",
    "bind_app_scope",
    "recipe_for",
    "recipe_for_call",
]


@dataclass(frozen=True, slots=True)
class AppRecipe:
    """How to build one app-scoped value: its call, kind and the recipes of its arguments.

    `key` identifies the value in the app's container: the call and, recursively, the keys of
    its arguments, so an override of an inner dependency gives a distinct value.
    """

    name: str
    call: Callable[..., Any]
    kind: int
    manager: Callable[..., Any] | None
    args: tuple[tuple[str, AppRecipe], ...]
    key: Hashable


def recipe_for(dependant: Dependant) -> AppRecipe:
    """The recipe of an app-scoped dependant (its tree was checked when it was analysed)."""
    assert dependant.call is not None
    call = dependant.call
    args = tuple((sub.name or "", recipe_for(sub)) for sub in dependant.dependencies)
    kind = _kind(call)
    manager: Callable[..., Any] | None = None
    if kind == ASYNC_GEN:
        manager = asynccontextmanager(call)
    elif kind == GEN:
        manager = contextmanager(call)
    key = (call, tuple((name, recipe.key) for name, recipe in args))
    return AppRecipe(call_name(call), call, kind, manager, args, key)


def recipe_for_call(dependency: Callable[..., Any], overrides: dict[Any, Any]) -> AppRecipe:
    """The recipe of `dependency` resolved as app-scoped, with `overrides` applied."""
    call = overrides.get(dependency) or dependency
    dependant = get_dependant(path="", call=call, scope="app")
    return recipe_for(apply_overrides(dependant, overrides))


def app_scope_step(dependant: Dependant) -> Step:
    """The plan step of an app-scoped dependency: an argument-free read of the app's value."""
    return Step(
        call=AppValue(recipe_for(dependant)),
        kind=ASYNC,
        args=(),
        result_key="",
        function_scope=False,
        subtree=frozenset(),
    )


def bind_app_scope(plan: Plan, provider: Any) -> Plan:
    """Points the plan's app-scoped reads at the container of `provider` (the application).

    A route with no application (a router never included into one) keeps them unbound: they
    fail with a clear message if such a route is ever served.
    """
    if provider is None:
        return plan
    for step in plan.steps:
        if isinstance(step.call, AppValue):
            step.call.lifetime = lifetime_of(provider)
    return plan


def _kind(call: Callable[..., Any]) -> int:
    if is_async_gen_callable(call):
        return ASYNC_GEN
    if is_gen_callable(call):
        return GEN
    return ASYNC if is_coroutine_callable(call) else SYNC
