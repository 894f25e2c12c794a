"""App-scoped values, router handlers and middleware: nothing from the compiler per request,
not even when an app-scoped value is built lazily on first use."""

import inspect
from typing import Annotated

import pydantic
import pytest
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.testclient import TestClient

import accord._compiler.app_scope as app_scope_module
import accord._compiler.dependant as dependant_module
import accord._compiler.plan as plan_module
import accord._compiler.route as route_module
from accord import APIRouter, Depends, FastAPI, Request
from accord.responses import JSONResponse


class Declined(Exception):
    pass


def _forbid(*_args: object, **_kwargs: object) -> None:
    raise AssertionError("compile-time machinery ran during a request")


def test_requests_never_reach_the_compiler(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[int] = []

    def settings() -> str:
        return "cfg"

    async def client(s: Annotated[str, Depends(settings)]) -> str:
        made.append(1)
        return f"client({s})"

    def handler(request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse({"declined": True}, status_code=402)

    router = APIRouter(
        middleware=[Middleware(GZipMiddleware)], exception_handlers={Declined: handler}
    )

    @router.get("/value")
    def value(c: Annotated[str, Depends(client, scope="app")]) -> str:
        return c

    @router.get("/declined")
    def declined() -> None:
        raise Declined()

    app = FastAPI()
    app.include_router(router)
    monkeypatch.setattr(inspect, "signature", _forbid)
    monkeypatch.setattr(pydantic.TypeAdapter, "__init__", _forbid)
    monkeypatch.setattr(dependant_module, "get_dependant", _forbid)
    monkeypatch.setattr(plan_module, "build_plan", _forbid)
    monkeypatch.setattr(route_module, "compile_plan", _forbid)
    monkeypatch.setattr(app_scope_module, "recipe_for", _forbid)
    test_client = TestClient(app)  # no lifespan: the value is built on the first request
    assert test_client.get("/value").json() == "client(cfg)"
    assert test_client.get("/value").json() == "client(cfg)"
    assert test_client.get("/declined").json() == {"declined": True}
    assert made == [1]
