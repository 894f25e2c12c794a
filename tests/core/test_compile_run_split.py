"""Registration compiles; requests only run plans. These tests make the compiler unusable after
registration and check that requests of every kind still succeed."""

from __future__ import annotations

import inspect
from typing import Annotated

import pydantic
import pytest
from pydantic import BaseModel
from starlette.testclient import TestClient

import accord._compiler.dependant as dependant_module
import accord._compiler.plan as plan_module
import accord._compiler.route as route_module
import accord._runtime.inputs as inputs_module
from accord import APIRouter, Depends, FastAPI, Header, HTTPException, Query


class Item(BaseModel):
    name: str
    price: float


def settings() -> dict[str, str]:
    return {"env": "test"}


async def session(cfg: Annotated[dict[str, str], Depends(settings)]):
    yield {"cfg": cfg}


def current_user(s: Annotated[dict, Depends(session)], x_user: Annotated[str, Header()]) -> str:
    if x_user == "nobody":
        raise HTTPException(401, "who?")
    return x_user


def build_app() -> FastAPI:
    app = FastAPI()
    inner = APIRouter(prefix="/inner")

    @inner.get("/items/{item_id}")
    async def read(item_id: int, q: str | None = None, limit: Annotated[int, Query(le=100)] = 10):
        return {"item_id": item_id, "q": q, "limit": limit}

    @app.post("/items", status_code=201, response_model=Item)
    async def create(item: Item):
        return {"name": item.name, "price": item.price, "secret": 1}

    @app.get("/me")
    def me(user: Annotated[str, Depends(current_user)]) -> dict[str, str]:
        return {"user": user}

    @app.get("/plain")
    async def plain():
        return {"ok": True}

    outer = APIRouter(prefix="/outer")
    outer.include_router(inner)
    app.include_router(outer)
    return app


REQUESTS = [
    ("GET", "/outer/inner/items/3?q=x&limit=5", {}, None, 200),
    ("GET", "/outer/inner/items/x?limit=500", {}, None, 422),
    ("POST", "/items", {}, {"name": "a", "price": 1}, 201),
    ("POST", "/items", {}, {"name": "a"}, 422),
    ("POST", "/items", {"content-type": "application/json"}, b"{broken", 422),
    ("GET", "/me", {"x-user": "ann"}, None, 200),
    ("GET", "/me", {"x-user": "nobody"}, None, 401),
    ("GET", "/me", {}, None, 422),
    ("GET", "/plain", {}, None, 200),
    ("GET", "/missing", {}, None, 404),
]


def _send(client: TestClient, method: str, path: str, headers: dict, body) -> int:
    if isinstance(body, bytes):
        return client.request(method, path, headers=headers, content=body).status_code
    return client.request(method, path, headers=headers, json=body).status_code


def _forbid(*_args, **_kwargs):
    raise AssertionError("compile-time machinery ran during a request")


def test_requests_never_reach_the_compiler(monkeypatch: pytest.MonkeyPatch) -> None:
    app = build_app()
    client = TestClient(app)
    expected = [_send(client, m, p, h, b) for m, p, h, b, _ in REQUESTS]
    assert expected == [status for *_, status in REQUESTS]
    monkeypatch.setattr(inspect, "signature", _forbid)
    monkeypatch.setattr(pydantic.TypeAdapter, "__init__", _forbid)
    monkeypatch.setattr(dependant_module, "get_dependant", _forbid)
    monkeypatch.setattr(plan_module, "build_plan", _forbid)
    monkeypatch.setattr(route_module, "compile_plan", _forbid)
    again = [_send(client, m, p, h, b) for m, p, h, b, _ in REQUESTS]
    assert again == expected


def test_endpoint_without_parameters_parses_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    app = build_app()
    client = TestClient(app)
    monkeypatch.setattr(inputs_module, "parse_qsl", _forbid)
    monkeypatch.setattr(inputs_module, "cookie_parser", _forbid)
    monkeypatch.setattr(inputs_module, "extract", _forbid)
    response = client.get("/plain?a=1&b=2", headers={"cookie": "a=b; c"})
    assert response.status_code == 200
    assert response.json() == {"ok": True}


def test_nested_routers_are_flattened_at_include_time() -> None:
    app = build_app()
    paths = [getattr(route, "path", None) for route in app.routes]
    assert "/outer/inner/items/{item_id}" in paths
    assert not any(type(route).__name__ == "APIRouter" for route in app.routes)
