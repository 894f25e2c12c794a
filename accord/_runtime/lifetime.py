"""The app's lifetime container: the values of its app-scoped dependencies.

Created for an application on first use (`lifetime_of`). The app's lifespan starts every
app-scoped dependency its routes use, in dependency order, before the user's lifespan code runs,
and tears them down, in reverse order, after it. A request that needs a value the container does
not hold yet (the lifespan did not run: a `TestClient` used without ``with``) builds it then,
under a lock, so there is still one instance. `app.dependencies()` gives the same values to
code outside requests.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Hashable, Iterator
from contextlib import AsyncExitStack, asynccontextmanager
from typing import TYPE_CHECKING, Any

import anyio
from starlette.concurrency import run_in_threadpool
from starlette.types import Lifespan

from accord.concurrency import contextmanager_in_threadpool
from accord.exceptions import AccordError

if TYPE_CHECKING:
    from accord._compiler.app_scope import AppRecipe

__all__ = [
    "AppDependencies",
    "AppLifetime",
    "AppValue",
    "lifetime_of",
    "with_app_dependencies",
]

_ASYNC, _GEN, _ASYNC_GEN = 1, 2, 3  # the step kinds of accord._compiler.plan
_MISSING: Any = object()


class AppLifetime:
    """One application's app-scoped values and the exit stack that tears them down."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.values: dict[Hashable, Any] = {}
        self._stack = AsyncExitStack()
        self._lock = anyio.Lock()
        self._holders = 0

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
    if recipe.kind == _ASYNC:
        return await recipe.call(**kwargs)
    if recipe.manager is None:
        return await run_in_threadpool(recipe.call, **kwargs)
    if recipe.kind == _ASYNC_GEN:
        return await stack.enter_async_context(recipe.manager(**kwargs))
    return await stack.enter_async_context(contextmanager_in_threadpool(recipe.manager(**kwargs)))


class AppValue:
    """The call of an app-scoped plan step: the app's value, built on first use if needed."""

    __slots__ = ("lifetime", "recipe")

    def __init__(self, recipe: AppRecipe) -> None:
        self.recipe = recipe
        self.lifetime: AppLifetime | None = None

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


class AppDependencies:
    """What ``async with app.dependencies() as deps`` gives: app-scoped values outside requests.

    While the application runs (its lifespan started), this shares the running values and
    leaving the block changes nothing. Otherwise (a script, a job) values are built on demand
    and torn down, in reverse order, when the block ends.
    """

    def __init__(self, app: Any) -> None:
        self._app = app
        self._lifetime = lifetime_of(app)
        self._held: Any = None

    async def __aenter__(self) -> AppDependencies:
        self._held = self._lifetime.hold()
        await self._held.__aenter__()
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        await self._held.__aexit__(*exc_info)

    async def resolve(self, dependency: Callable[..., Any]) -> Any:
        """The app's value of `dependency` (as if declared with ``scope="app"``).

        `app.dependency_overrides` apply. Raises `DependencyScopeError` if `dependency` needs
        request data.
        """
        from accord._compiler.app_scope import recipe_for_call

        overrides = getattr(self._app, "dependency_overrides", None) or {}
        return await self._lifetime.get(recipe_for_call(dependency, overrides))


def _route_recipes(app: Any, lifetime: AppLifetime) -> Iterator[AppRecipe]:
    """The app-scoped dependencies of `app`'s routes, in route order, overrides applied."""
    for route in app.router.routes:
        current_plan = getattr(route, "current_plan", None)
        if current_plan is None:
            continue
        for step in current_plan().steps:
            call = step.call
            if isinstance(call, AppValue) and call.lifetime is lifetime:
                yield call.recipe


def with_app_dependencies(app: Any, lifespan: Lifespan[Any]) -> Lifespan[Any]:
    """`lifespan` with the app-scoped dependencies started before it and torn down after it."""

    @asynccontextmanager
    async def app_lifespan(asgi_app: Any) -> AsyncIterator[Any]:
        lifetime = lifetime_of(app)
        async with lifetime.hold():
            await lifetime.start(_route_recipes(app, lifetime))
            async with lifespan(asgi_app) as state:
                yield state

    return app_lifespan
