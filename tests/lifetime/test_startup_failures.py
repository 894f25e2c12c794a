"""A failure while starting: the app does not start, and what was started is torn down."""

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Annotated

import pytest
from starlette.testclient import TestClient

from accord import APIRouter, Depends, FastAPI


class DatabaseDown(Exception):
    pass


def build(log: list[str], fail_in: str) -> FastAPI:
    async def cache() -> AsyncIterator[str]:
        log.append("cache up")
        yield "cache"
        log.append("cache down")

    def database(c: Annotated[str, Depends(cache, scope="app")]) -> Iterator[str]:
        if fail_in == "database":
            raise DatabaseDown("connection refused")
        log.append("database up")
        yield "db"
        log.append("database down")

    @asynccontextmanager
    async def user(app: FastAPI) -> AsyncIterator[None]:
        log.append("user up")
        try:
            yield
        finally:  # an exception is thrown in here when a later lifespan fails
            log.append("user down")

    @asynccontextmanager
    async def router_lifespan(app: FastAPI) -> AsyncIterator[None]:
        if fail_in == "router":
            raise DatabaseDown("router start-up failed")
        log.append("router up")
        yield
        log.append("router down")

    app = FastAPI(lifespan=user)
    router = APIRouter(lifespan=router_lifespan)

    @router.get("/")
    def read(db: Annotated[str, Depends(database, scope="app")]) -> str:
        return db

    app.include_router(router)
    return app


def test_failing_app_dependency_stops_startup_and_tears_down_the_started_ones() -> None:
    log: list[str] = []
    app = build(log, fail_in="database")
    with pytest.raises(DatabaseDown, match="connection refused") as info:
        with TestClient(app):
            pytest.fail("the app must not start")  # pragma: no cover
    assert log == ["cache up", "cache down"]  # the user's lifespan never ran
    assert '(while creating the app-scoped dependency "database")' in info.value.__notes__


def test_failing_router_lifespan_tears_down_app_dependencies_and_user_lifespan() -> None:
    # App-scoped dependencies are closed normally (their code after `yield` runs without a
    # try/finally); the failure is thrown into the lifespans, as `async with` nesting does.
    log: list[str] = []
    app = build(log, fail_in="router")
    with pytest.raises(DatabaseDown, match="router start-up failed"):
        with TestClient(app):
            pytest.fail("the app must not start")  # pragma: no cover
    assert log == [
        "cache up",
        "database up",
        "user up",
        "user down",
        "database down",
        "cache down",
    ]


def test_failure_on_first_use_without_lifespan_is_retried_on_next_use() -> None:
    attempts: list[int] = []

    def flaky() -> str:
        attempts.append(1)
        if len(attempts) == 1:
            raise DatabaseDown("first try fails")
        return "up"

    app = FastAPI()

    @app.get("/")
    def read(v: Annotated[str, Depends(flaky, scope="app")]) -> str:
        return v

    client = TestClient(app, raise_server_exceptions=False)
    assert client.get("/").status_code == 500
    assert client.get("/").json() == "up"
    assert client.get("/").json() == "up"
    assert len(attempts) == 2
