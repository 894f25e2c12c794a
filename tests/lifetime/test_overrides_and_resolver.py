"""`dependency_overrides` replace app-scoped dependencies; `app.dependencies()` outside requests."""

from collections.abc import AsyncIterator
from typing import Annotated, Any

import anyio
import pytest
from starlette.testclient import TestClient

from accord import Depends, FastAPI, Query
from accord.exceptions import DependencyScopeError


def build(log: list[str]) -> tuple[FastAPI, Any, Any]:
    def region() -> str:
        log.append("region")
        return "eu"

    async def http_client(r: Annotated[str, Depends(region)]) -> AsyncIterator[str]:
        log.append(f"real up {r}")
        yield f"real-{r}"
        log.append("real down")

    app = FastAPI()

    @app.get("/")
    def read(c: Annotated[str, Depends(http_client, scope="app")]) -> str:
        return c

    return app, http_client, region


def test_override_set_before_startup_replaces_it_and_the_real_one_is_never_created() -> None:
    log: list[str] = []
    app, http_client, _ = build(log)

    async def fake() -> AsyncIterator[str]:
        log.append("fake up")
        yield "fake"
        log.append("fake down")

    app.dependency_overrides[http_client] = fake
    with TestClient(app) as client:
        assert client.get("/").json() == "fake"
        assert client.get("/").json() == "fake"
    assert log == ["fake up", "fake down"]


def test_override_set_while_running_applies_and_clearing_it_restores_the_real_one() -> None:
    log: list[str] = []
    app, http_client, _ = build(log)
    with TestClient(app) as client:
        assert client.get("/").json() == "real-eu"
        app.dependency_overrides[http_client] = lambda: "fake"
        assert client.get("/").json() == "fake"
        app.dependency_overrides.clear()
        assert client.get("/").json() == "real-eu"
    assert log == ["region", "real up eu", "real down"]


def test_overriding_an_inner_dependency_gives_a_distinct_app_value() -> None:
    log: list[str] = []
    app, _, region = build(log)
    app.dependency_overrides[region] = lambda: "us"
    with TestClient(app) as client:
        assert client.get("/").json() == "real-us"
    assert log == ["real up us", "real down"]


def test_resolve_outside_requests_creates_on_demand_and_tears_down_at_the_end() -> None:
    log: list[str] = []
    app, http_client, _ = build(log)

    async def script() -> list[str]:
        async with app.dependencies() as deps:
            first = await deps.resolve(http_client)
            second = await deps.resolve(http_client)
            assert log == ["region", "real up eu"]
            return [first, second]

    assert anyio.run(script) == ["real-eu", "real-eu"]
    assert log == ["region", "real up eu", "real down"]


def test_resolve_while_the_app_runs_shares_its_values_and_leaves_them_up() -> None:
    log: list[str] = []
    app, http_client, _ = build(log)

    made: list[object] = []

    def token() -> object:
        made.append(object())
        return made[-1]

    @app.get("/token")
    def read_token(t: Annotated[object, Depends(token, scope="app")]) -> int:
        return id(t)

    async def inside() -> list[Any]:
        async with app.dependencies() as deps:
            return [await deps.resolve(http_client), id(await deps.resolve(token))]

    with TestClient(app) as client:
        value, token_id = client.portal.call(inside)  # type: ignore[union-attr]
        assert value == "real-eu"
        assert client.get("/token").json() == token_id
        assert "real down" not in log
    assert log == ["region", "real up eu", "real down"]
    assert len(made) == 1


def test_resolve_applies_overrides() -> None:
    log: list[str] = []
    app, http_client, _ = build(log)
    app.dependency_overrides[http_client] = lambda: "fake"

    async def script() -> str:
        async with app.dependencies() as deps:
            return str(await deps.resolve(http_client))

    assert anyio.run(script) == "fake"
    assert log == []


def test_resolve_rejects_a_dependency_that_needs_request_data() -> None:
    app = FastAPI()

    def per_user(user: Annotated[str, Query()]) -> str:
        return user  # pragma: no cover

    async def script() -> None:
        async with app.dependencies() as deps:
            await deps.resolve(per_user)

    with pytest.raises(DependencyScopeError, match='"per_user" cannot use the query parameter'):
        anyio.run(script)
