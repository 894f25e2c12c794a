"""Custom route classes (`APIRoute.get_route_handler` overrides) as FastAPI 0.163 runs them: the
same app on both frameworks. A gzip-decoding request class, a wrapper that reads `self.path`
(on an included route, the path as declared: the handler is asked of the declared route), an
error-reshaping wrapper that reads the body after a validation error, and a route class set on
the app's router after registration."""

import gzip
from collections.abc import Callable
from typing import Any

import fastapi
import pytest
from fastapi.testclient import TestClient as FastAPIClient
from starlette.requests import Request

import accord
from accord.testclient import TestClient


class GzipRequest(Request):
    async def body(self) -> bytes:
        if not hasattr(self, "_body"):
            body = await super().body()
            if "gzip" in self.headers.getlist("Content-Encoding"):
                body = gzip.decompress(body)
            self._body = body
        return self._body


def build(fw: Any, seen: list[str]) -> Any:
    class GzipRoute(fw.routing.APIRoute):
        def get_route_handler(self) -> Callable[..., Any]:
            original = super().get_route_handler()

            async def handler(request: Request) -> Any:
                return await original(GzipRequest(request.scope, request.receive))

            return handler

    class PathHeaderRoute(fw.routing.APIRoute):
        def get_route_handler(self) -> Callable[..., Any]:
            original = super().get_route_handler()
            seen.append(self.path)

            async def handler(request: Request) -> Any:
                response = await original(request)
                response.headers["x-route"] = self.path
                return response

            return handler

    class ErrorBodyRoute(fw.routing.APIRoute):
        def get_route_handler(self) -> Callable[..., Any]:
            original = super().get_route_handler()

            async def handler(request: Request) -> Any:
                try:
                    return await original(request)
                except fw.exceptions.RequestValidationError as exc:
                    body = (await request.body()).decode()
                    raise fw.HTTPException(422, detail={"errors": exc.errors(), "body": body})

            return handler

    app = fw.FastAPI()
    gz = fw.APIRouter(route_class=GzipRoute)

    @gz.post("/sum")
    async def total(numbers: list[int] = fw.Body()) -> dict[str, int]:
        return {"sum": sum(numbers)}

    timed = fw.APIRouter(route_class=PathHeaderRoute, prefix="/t")

    @timed.get("/x/{i}")
    def x(i: int, q: str = "") -> Any:
        return {"i": i, "q": q}

    errors = fw.APIRouter(route_class=ErrorBodyRoute)

    @errors.post("/err")
    def err(n: int = fw.Body(embed=True)) -> int:
        return n

    outer = fw.APIRouter(prefix="/outer", dependencies=[fw.Depends(lambda: None)])
    outer.include_router(timed, prefix="/in")
    app.include_router(gz)
    app.include_router(outer)
    app.include_router(errors)
    app.router.route_class = PathHeaderRoute

    @app.get("/after")
    def after() -> int:
        return 1

    return app


REQUESTS = [
    (
        "POST",
        "/sum",
        {
            "content": gzip.compress(b"[1,2,3]"),
            "headers": {"content-encoding": "gzip", "content-type": "application/json"},
        },
    ),
    ("POST", "/sum", {"json": [1, 2]}),
    ("POST", "/sum", {"json": ["x"]}),
    ("POST", "/sum", {"content": b"not gzip", "headers": {"content-encoding": "gzip"}}),
    ("GET", "/outer/in/t/x/3?q=a", {}),
    ("GET", "/outer/in/t/x/z", {}),
    ("POST", "/err", {"json": {"n": "bad"}}),
    ("POST", "/err", {"json": {"n": 2}}),
    ("GET", "/after", {}),
]


def answers(fw: Any, client_class: Any) -> tuple[list[Any], list[str]]:
    seen: list[str] = []
    client = client_class(build(fw, seen), raise_server_exceptions=False)
    found = []
    for method, path, options in REQUESTS:
        response = client.request(method, path, **options)
        found.append((response.status_code, response.text, response.headers.get("x-route")))
    return found, seen


@pytest.mark.parametrize("index", range(len(REQUESTS)))
def test_the_same_answer_as_fastapi(index: int) -> None:
    ours, _ = answers(accord, TestClient)
    theirs, _ = answers(fastapi, FastAPIClient)
    assert ours[index] == theirs[index]


def test_an_included_route_wrapper_sees_the_declared_route() -> None:
    ours, seen = answers(accord, TestClient)
    assert ours[4][2] == "/t/x/{i}"  # served at /outer/in/t/x/{i}
    assert set(seen) == {"/t/x/{i}", "/after"}  # declared paths, never a copy's
