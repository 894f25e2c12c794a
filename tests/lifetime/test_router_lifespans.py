"""Router lifespans run when the including app starts, nested in include order."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from starlette.testclient import TestClient

from accord import APIRouter, FastAPI


def logging_lifespan(log: list[str], name: str, fail: bool = False) -> Any:
    @asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[dict[str, str]]:
        if fail:
            raise RuntimeError(f"{name} cannot start")
        log.append(f"{name} up")
        try:
            yield {name: name}
        finally:  # also runs when a lifespan started after this one fails
            log.append(f"{name} down")

    return lifespan


def test_nested_router_lifespans_start_in_include_order_and_stop_in_reverse() -> None:
    log: list[str] = []
    app = FastAPI(lifespan=logging_lifespan(log, "app"))
    outer = APIRouter(lifespan=logging_lifespan(log, "outer"))
    inner = APIRouter(lifespan=logging_lifespan(log, "inner"))
    sibling = APIRouter(lifespan=logging_lifespan(log, "sibling"))

    @inner.get("/")
    def read(request: Any = None) -> str:
        return "ok"

    outer.include_router(inner)
    app.include_router(outer)
    app.include_router(sibling)
    with TestClient(app) as client:
        assert log == ["app up", "outer up", "inner up", "sibling up"]
        assert client.get("/").json() == "ok"
    assert log[4:] == ["sibling down", "inner down", "outer down", "app down"]


def test_router_lifespan_state_reaches_requests() -> None:
    log: list[str] = []
    app = FastAPI()
    router = APIRouter(lifespan=logging_lifespan(log, "pool"))

    from accord import Request

    @router.get("/")
    def read(request: Request) -> str:
        return str(request.state.pool)

    app.include_router(router)
    with TestClient(app) as client:
        assert client.get("/").json() == "pool"


def test_failing_router_lifespan_tears_down_those_started_before_it() -> None:
    log: list[str] = []
    app = FastAPI(lifespan=logging_lifespan(log, "app"))
    app.include_router(APIRouter(lifespan=logging_lifespan(log, "first")))
    app.include_router(APIRouter(lifespan=logging_lifespan(log, "broken", fail=True)))
    app.include_router(APIRouter(lifespan=logging_lifespan(log, "never")))
    with pytest.raises(RuntimeError, match="broken cannot start"):
        with TestClient(app):
            pytest.fail("the app must not start")  # pragma: no cover
    assert log == ["app up", "first up", "first down", "app down"]
