"""The app's lifetime container: the values of its app-scoped dependencies.

Created for an application on first use (`lifetime_of`). The app's lifespan starts every
app-scoped dependency its routes use, in dependency order, before the user's lifespan code runs,
and tears them down, in reverse order, after it. A request that needs a value the container does
not hold yet (the lifespan did not run: a `TestClient` used without ``with``) builds it then,
under a lock, so there is still one instance. `app.dependencies()` gives the same values to
code outside requests (`accord.applications.AppDependencies`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Hashable, Iterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import replace
from typing import Any

import anyio
from starlette.concurrency import run_in_threadpool
from starlette.types import Lifespan

from accord._plan import APP, ASYNC, ASYNC_GEN, AppRecipe, Plan
from accord.concurrency import contextmanager_in_threadpool
from accord.exceptions import AccordError

__all__ = [
    "AppLifetime",
    "AppValue",
    "bind_app_steps",
    "lifetime_of",
    "with_app_dependencies",
]

_MISSING: Any = object()


class AppLifetime:
    """One application's app-scoped values and the exit stack that tears them down."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.values: dict[Hashable, Any] = {}
        self._stack = AsyncExitStack()
        self._lock_of_loop: anyio.Lock | None = None  # made in the loop (anyio < 4.4)
        self._holders = 0

    @property
    def _lock(self) -> anyio.Lock:
        if self._lock_of_loop is None:
            self._lock_of_loop = anyio.Lock()
        return self._lock_of_loop

    async def get(self, recipe: AppRecipe) -> Any:
        """The value of `recipe`, built (with what it depends on) if not built yet."""
        async with self._lock:
            return await self._build(recipe)

    async def start(self, recipes: Iterator[AppRecipe]) -> None:
        """Builds every recipe now, in order (a failure leaves the built ones to `aclose`)."""
        async with self._lock:
            for recipe in recipes:
                await self._build(recipe)

    async def _build(self, recipe: AppRecipe) -> Any:
        value = self.values.get(recipe.key, _MISSING)
        if value is not _MISSING:
            return value
        kwargs = {name: await self._build(sub) for name, sub in recipe.args}
        try:
            value = await _create(recipe, kwargs, self._stack)
        except Exception as exc:
            exc.add_note(f'(while creating the app-scoped dependency "{recipe.name}")')
            raise
        self.values[recipe.key] = value
        return value

    @asynccontextmanager
    async def hold(self) -> AsyncIterator[AppLifetime]:
        """Keeps the values alive while held; the last holder to leave tears them down."""
        self._holders += 1
        try:
            yield self
        finally:
            self._holders -= 1
            if self._holders == 0:
                await self.aclose()

    async def aclose(self) -> None:
        """Tears every value down, the last created first."""
        stack, self._stack = self._stack, AsyncExitStack()
        self.values.clear()
        await stack.aclose()


async def _create(recipe: AppRecipe, kwargs: dict[str, Any], stack: AsyncExitStack) -> Any:
    if recipe.kind == ASYNC:
        return await recipe.call(**kwargs)
    if recipe.manager is None:
        return await run_in_threadpool(recipe.call, **kwargs)
    if recipe.kind == ASYNC_GEN:
        return await stack.enter_async_context(recipe.manager(**kwargs))
    return await stack.enter_async_context(contextmanager_in_threadpool(recipe.manager(**kwargs)))


class AppValue:
    """The call of an app-scoped plan step: the app's value, built on first use if needed."""

    __slots__ = ("lifetime", "recipe")

    def __init__(self, recipe: AppRecipe, lifetime: AppLifetime | None) -> None:
        self.recipe = recipe
        self.lifetime = lifetime

    async def __call__(self) -> Any:
        lifetime = self.lifetime
        if lifetime is None:
            raise AccordError(
                f'The app-scoped dependency "{self.recipe.name}" is used by a route that no '
                "Accord application serves: include its router into the app "
                "(app.include_router(router)) rather than serving the router on its own."
            )
        value = lifetime.values.get(self.recipe.key, _MISSING)
        if value is _MISSING:
            value = await lifetime.get(self.recipe)
        return value


def lifetime_of(app: Any) -> AppLifetime:
    """The lifetime container of `app` (created on first use)."""
    lifetime: AppLifetime | None = getattr(app, "_accord_lifetime", None)
    if lifetime is None:
        lifetime = AppLifetime(app)
        app._accord_lifetime = lifetime
    return lifetime


def bind_app_steps(plan: Plan, app: Any) -> Plan:
    """`plan` with its app-scoped steps reading `app`'s container (a new plan; none if none).

    A route with no application (a router never included into one) gets unbound reads: they
    fail with a clear message if such a route is ever served.
    """
    if not any(step.kind == APP for step in plan.steps):
        return plan
    lifetime = lifetime_of(app) if app is not None else None
    bound = {
        id(step): replace(step, call=AppValue(step.recipe, lifetime), kind=ASYNC)
        for step in plan.steps
        if step.kind == APP and step.recipe is not None
    }
    steps = tuple(bound.get(id(step), step) for step in plan.steps)
    stages = tuple(tuple(bound.get(id(step), step) for step in stage) for stage in plan.stages)
    return replace(plan, steps=steps, stages=stages)


def _route_recipes(app: Any) -> Iterator[AppRecipe]:
    """The app-scoped dependencies of `app`'s routes, in route order, overrides applied."""
    for route in app.router.routes:
        current_plan = getattr(route, "current_plan", None)
        if current_plan is None:
            continue
        for step in current_plan().steps:
            if step.kind == APP and step.recipe is not None:
                yield step.recipe


def with_app_dependencies(app: Any, lifespan: Lifespan[Any]) -> Lifespan[Any]:
    """`lifespan` with the app-scoped dependencies started before it and torn down after it."""

    @asynccontextmanager
    async def app_lifespan(asgi_app: Any) -> AsyncIterator[Any]:
        lifetime = lifetime_of(app)
        async with lifetime.hold():
            await lifetime.start(_route_recipes(app))
            async with lifespan(asgi_app) as state:
                yield state

    return app_lifespan
