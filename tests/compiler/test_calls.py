"""What kind of callable an endpoint or dependency is (`accord._compiler.calls`), decided as
FastAPI 0.163.2 decides it: the callable itself first, then what it wraps, then an instance's
``__call__``. An ``async def`` wrapper around a ``def`` function (fastapi-cache2's ``@cache``
decorating a sync endpoint) is a coroutine function, not the sync function it wraps."""

import functools
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import fastapi
import fastapi.dependencies.models as fastapi_models
import pytest
from fastapi.testclient import TestClient as FastAPIClient

import accord
from accord._compiler.calls import is_async_gen_callable, is_coroutine_callable, is_gen_callable
from accord.testclient import TestClient


def sync() -> int:
    return 1


async def coroutine() -> int:
    return 1


def gen() -> Iterator[int]:
    yield 1


async def async_gen() -> AsyncIterator[int]:
    yield 1


def async_wrapper(func: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(func)
    async def inner(*args: Any, **kwargs: Any) -> Any:
        return func(*args, **kwargs)

    return inner


def sync_wrapper(func: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(func)
    def inner(*args: Any, **kwargs: Any) -> Any:
        return func(*args, **kwargs)

    return inner


class AsyncCall:
    async def __call__(self) -> int:
        return 1


class SyncCall:
    def __call__(self) -> int:
        return 1


class GenCall:
    def __call__(self) -> Iterator[int]:
        yield 1


class WrappedCall:
    @async_wrapper
    def __call__(self) -> int:
        return 1


CALLS: dict[str, Any] = {
    "sync": sync,
    "coroutine": coroutine,
    "gen": gen,
    "async gen": async_gen,
    "async wrapper of sync": async_wrapper(sync),
    "sync wrapper of coroutine": sync_wrapper(coroutine),
    "async wrapper of gen": async_wrapper(gen),
    "sync wrapper of async gen": sync_wrapper(async_gen),
    "partial of coroutine": functools.partial(coroutine),
    "partial of async wrapper of sync": functools.partial(async_wrapper(sync)),
    "class": SyncCall,
    "async instance": AsyncCall(),
    "sync instance": SyncCall(),
    "gen instance": GenCall(),
    "instance with wrapped call": WrappedCall(),
    "partial of async instance": functools.partial(AsyncCall()),
}


@pytest.mark.parametrize("name", CALLS)
def test_callable_kinds_are_fastapis(name: str) -> None:
    call = CALLS[name]
    assert is_coroutine_callable(call) is fastapi_models._is_coroutine_callable(call)
    assert is_gen_callable(call) is fastapi_models._is_gen_callable(call)
    assert is_async_gen_callable(call) is fastapi_models._is_async_gen_callable(call)


def test_an_async_wrapper_makes_a_coroutine_function() -> None:
    assert is_coroutine_callable(async_wrapper(sync))
    assert not is_coroutine_callable(sync)
    assert is_coroutine_callable(sync_wrapper(coroutine))


def build(fw: Any) -> Any:
    app = fw.FastAPI()
    calls: list[str] = []

    def counted(func: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(func)
        async def inner(**kwargs: Any) -> Any:
            calls.append(func.__name__)
            return func(**kwargs)  # the wrapped function is sync: called, not awaited

        return inner

    @app.get("/items/{item_id}")
    @counted
    def read_item(item_id: int) -> dict[str, int]:
        return {"item_id": item_id}

    app.state.calls = calls
    return app


def test_an_async_wrapper_of_a_sync_endpoint_is_awaited() -> None:
    found = []
    for fw, client_class in ((accord, TestClient), (fastapi, FastAPIClient)):
        app = build(fw)
        response = client_class(app).get("/items/3")
        found.append((response.status_code, response.json(), app.state.calls))
    assert found[0] == found[1] == (200, {"item_id": 3}, ["read_item"])
