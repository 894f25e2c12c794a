"""App-scoped dependencies at compile time: a `Depends(dep, scope="app")` becomes a plan step
that reads the app's one value instead of calling `dep` per request.

The dependency's own tree (other app-scoped or plain sub-dependencies, checked to use no request
data by `accord._compiler.dependant`) is compiled into an `AppRecipe`: what the app's lifetime
container (`accord._runtime.lifetime`) runs once, at start-up or on first use. The plan step
is data (kind `APP`, with its recipe); the runtime binds it to the application's container.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from accord._compiler.calls import call_name, manager_factory, step_kind
from accord._compiler.dependant import Dependant, get_dependant
from accord._compiler.overrides import apply_overrides
from accord._plan import APP, AppRecipe, Step

__all__ = ["app_scope_step", "recipe_for", "recipe_for_call"]


def recipe_for(dependant: Dependant) -> AppRecipe:
    """The recipe of an app-scoped dependant (its tree was checked when it was analysed)."""
    assert dependant.call is not None
    call = dependant.call
    args = tuple((sub.name or "", recipe_for(sub)) for sub in dependant.dependencies)
    kind = step_kind(call)
    manager = manager_factory(call, kind)
    key = (call, tuple((name, recipe.key) for name, recipe in args))
    return AppRecipe(call_name(call), call, kind, manager, args, key)


def recipe_for_call(dependency: Callable[..., Any], overrides: dict[Any, Any]) -> AppRecipe:
    """The recipe of `dependency` resolved as app-scoped, with `overrides` applied."""
    call = overrides.get(dependency) or dependency
    dependant = get_dependant(path="", call=call, scope="app")
    return recipe_for(apply_overrides(dependant, overrides))


def app_scope_step(dependant: Dependant, result_key: str) -> Step:
    """The plan step of an app-scoped dependency: an argument-free read of the app's value."""
    recipe = recipe_for(dependant)
    return Step(
        call=recipe.call,
        kind=APP,
        args=(),
        result_key=result_key,
        function_scope=False,
        subtree=frozenset(),
        recipe=recipe,
    )
