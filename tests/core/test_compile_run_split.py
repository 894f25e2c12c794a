"""Registration compiles; requests only run plans.

A profiler records every Python function a request calls (in the loop thread and in the worker
thread): nothing defined under `accord/_compiler` may run, nor `inspect`, nor a `TypeAdapter`
being built; and a route that declares no parameter calls no extractor.
"""

from __future__ import annotations

from typing import Annotated

import pytest
from pydantic import BaseModel
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware

from accord import APIRouter, Depends, FastAPI, Form, Header, HTTPException, Query, Request
from accord.responses import JSONResponse
from tests.core.profiling import profile_request


class Item(BaseModel):
    name: str
    price: float


class Declined(Exception):
    pass


def settings() -> dict[str, str]:
    return {"env": "test"}


async def session(cfg: Annotated[dict[str, str], Depends(settings)]):
    yield {"cfg": cfg}


def current_user(s: Annotated[dict, Depends(session)], x_user: Annotated[str, Header()]) -> str:
    if x_user == "nobody":
        raise HTTPException(401, "who?")
    return x_user


async def client(s: Annotated[dict[str, str], Depends(settings)]) -> str:
    return f"client({s['env']})"


def declined_handler(request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse({"declined": True}, status_code=402)


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

    @app.post("/login")
    async def login(username: Annotated[str, Form()], password: Annotated[str, Form()]):
        return {"user": username}

    @app.get("/stream")
    async def stream():
        for number in range(2):
            yield {"n": number}

    scoped = APIRouter(
        middleware=[Middleware(GZipMiddleware)], exception_handlers={Declined: declined_handler}
    )

    @scoped.get("/value")
    def value(c: Annotated[str, Depends(client, scope="app")]) -> str:
        return c

    @scoped.get("/declined")
    def declined() -> None:
        raise Declined()

    outer = APIRouter(prefix="/outer")
    outer.include_router(inner)
    app.include_router(outer)
    app.include_router(scoped)
    return app


REQUESTS = [
    ("GET", "/outer/inner/items/3?q=x&limit=5", {}, None, 200),
    ("GET", "/outer/inner/items/x?limit=500", {}, None, 422),
    ("POST", "/items", {}, {"name": "a", "price": 1}, 201),
    ("POST", "/items", {}, {"name": "a"}, 422),
    ("GET", "/me", {"x-user": "ann"}, None, 200),
    ("GET", "/me", {"x-user": "nobody"}, None, 401),
    ("GET", "/me", {}, None, 422),
    ("GET", "/plain", {}, None, 200),
    ("GET", "/stream", {}, None, 200),
    ("GET", "/value", {}, None, 200),
    ("GET", "/declined", {}, None, 402),
    ("GET", "/missing", {}, None, 404),
]


INSPECT_ANALYSIS = {
    "signature",
    "_signature_from_callable",
    "_signature_from_function",
    "get_annotations",
    "getsourcefile",
    "getsourcelines",
    "getfullargspec",
    "getmembers",
}


@pytest.mark.parametrize(("method", "path", "headers", "body", "status"), REQUESTS)
def test_requests_never_reach_the_compiler(method, path, headers, body, status) -> None:
    calls = profile_request(build_app(), method, path, headers, body)
    assert calls.status == status
    assert calls.codes, "the profiler saw nothing: the check itself is broken"
    if status != 404:  # a 404 is the router's: no route runs
        assert calls.under("_runtime"), "the request did not reach the runner"
    assert calls.under("_compiler") == []
    # Starlette's own `is_async_callable` (exception handlers) and `unwrap` are predicates;
    # what must never run per request is signature and source analysis.
    assert set(calls.named("inspect.py")) & INSPECT_ANALYSIS == set()
    assert "__init__" not in {
        c.co_name for c in calls.codes if c.co_filename.endswith("type_adapter.py")
    }


def test_form_request_never_reaches_the_compiler() -> None:
    form = {"content-type": "application/x-www-form-urlencoded"}
    calls = profile_request(build_app(), "POST", "/login", form, raw=b"username=a&password=b")
    assert calls.status == 200
    assert calls.under("_runtime"), "the request did not reach the runner"
    assert "forms.py:collect_form" in calls.under("_runtime")
    assert calls.under("_compiler") == []


def test_endpoint_without_parameters_calls_no_extractor() -> None:
    calls = profile_request(build_app(), "GET", "/plain?a=1&b=2", {"cookie": "a=b; c"})
    assert calls.status == 200
    assert calls.under("_runtime"), "the request did not reach the runner"
    assert [name for name in calls.under("_runtime") if name.startswith("extract.py")] == []
    assert calls.named("parse.py") == []  # urllib.parse: the query string is never parsed


def test_a_route_with_parameters_does_call_its_extractors() -> None:
    calls = profile_request(build_app(), "GET", "/outer/inner/items/3?q=x")
    assert calls.status == 200
    assert "extract.py:extract_query" in calls.under("_runtime")
    assert "extract.py:extract_path" in calls.under("_runtime")
    assert "extract.py:extract_headers" not in calls.under("_runtime")


def test_nested_routers_are_flattened_at_include_time() -> None:
    app = build_app()
    paths = [getattr(route, "path", None) for route in app.routes]
    assert "/outer/inner/items/{item_id}" in paths
    assert not any(type(route).__name__ == "APIRouter" for route in app.routes)
