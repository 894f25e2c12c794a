"""`error_format="problem"`: every error answered as an RFC 9457 problem document."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import fastapi
import pytest
from fastapi.testclient import TestClient as FastAPIClient
from pydantic import BaseModel

import accord
from accord import APIRouter, FastAPI, HTTPException, Request, WebSocket
from accord.exceptions import AccordError
from accord.problems import ProblemResponse, problem_content, status_title
from accord.responses import JSONResponse
from accord.routing import APIRoute
from accord.testclient import TestClient

PROBLEM = "application/problem+json"


class Item(BaseModel):
    name: str
    price: float


def add_routes(fw: Any, app: Any) -> None:
    """The same erroring endpoints on an Accord or a FastAPI app."""

    @app.post("/items")
    async def create(item: Item) -> Item:
        return item

    @app.get("/missing")
    async def missing() -> None:
        raise fw.HTTPException(404, "No such order", headers={"x-trace": "t1"})

    @app.get("/plain-404")
    async def plain_404() -> None:
        raise fw.HTTPException(404)

    @app.get("/teapot")
    async def teapot() -> None:
        raise fw.HTTPException(418, {"code": "brew", "title": "Short and stout", "status": 1})

    @app.get("/listed")
    async def listed() -> None:
        raise fw.HTTPException(409, [{"field": "a"}])

    @app.get("/numbered")
    async def numbered() -> None:
        raise fw.HTTPException(400, 42)

    @app.get("/crash")
    async def crash() -> None:
        raise RuntimeError("internal details stay inside")

    @app.get("/not-modified")
    async def not_modified() -> None:
        raise fw.HTTPException(304)


def problem_client(**options: Any) -> TestClient:
    app = FastAPI(error_format="problem", **options)
    add_routes(accord, app)
    return TestClient(app, raise_server_exceptions=False)


def test_http_exception_is_a_problem_with_its_headers() -> None:
    response = problem_client().get("/missing")
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM
    assert response.headers["x-trace"] == "t1"
    assert response.json() == {
        "type": "about:blank",
        "title": "Not Found",
        "status": 404,
        "detail": "No such order",
        "instance": "/missing",
    }


def test_a_detail_that_only_repeats_the_status_is_left_out() -> None:
    assert problem_client().get("/plain-404").json() == {
        "type": "about:blank",
        "title": "Not Found",
        "status": 404,
        "instance": "/plain-404",
    }


def test_a_mapping_detail_is_the_problem_itself() -> None:
    body = problem_client().get("/teapot").json()
    # Its title replaces the default; `status` stays the response's; other keys extend it.
    assert body == {
        "type": "about:blank",
        "title": "Short and stout",
        "status": 418,
        "instance": "/teapot",
        "code": "brew",
    }


def test_list_and_other_details() -> None:
    client = problem_client()
    assert client.get("/listed").json()["errors"] == [{"field": "a"}]
    assert client.get("/numbered").json()["detail"] == "42"


def test_validation_failure_lists_the_same_errors_as_fastapi() -> None:
    payload = {"name": 3, "price": "cheap"}
    problem = problem_client().post("/items", json=payload)
    assert problem.status_code == 422
    assert problem.headers["content-type"] == PROBLEM
    body = problem.json()
    fastapi_app = fastapi.FastAPI()
    add_routes(fastapi, fastapi_app)
    expected = FastAPIClient(fastapi_app).post("/items", json=payload).json()["detail"]
    assert body.pop("errors") == expected
    assert body == {
        "type": "about:blank",
        "title": "Unprocessable Content",
        "status": 422,
        "detail": "2 validation errors in the request",
        "instance": "/items",
    }
    one = problem_client().post("/items", json={"name": "a"}).json()
    assert one["detail"] == "1 validation error in the request"


def test_routing_errors_are_problems() -> None:
    client = problem_client()
    not_found = client.get("/nowhere")
    assert (not_found.status_code, not_found.headers["content-type"]) == (404, PROBLEM)
    assert not_found.json()["title"] == "Not Found"
    not_allowed = client.delete("/items")
    assert not_allowed.status_code == 405
    assert not_allowed.headers["allow"] == "POST"
    assert not_allowed.json() == {
        "type": "about:blank",
        "title": "Method Not Allowed",
        "status": 405,
        "instance": "/items",
    }


def test_server_errors_are_problems_without_internals() -> None:
    response = problem_client().get("/crash")
    assert response.status_code == 500
    assert response.headers["content-type"] == PROBLEM
    assert response.json() == {
        "type": "about:blank",
        "title": "Internal Server Error",
        "status": 500,
        "instance": "/crash",
    }


def test_debug_mode_still_shows_the_traceback() -> None:
    response = problem_client(debug=True).get("/crash")
    assert response.status_code == 500
    assert "internal details stay inside" in response.text


def test_statuses_without_a_body_stay_empty() -> None:
    response = problem_client().get("/not-modified")
    assert (response.status_code, response.content) == (304, b"")


@pytest.mark.parametrize(
    "path", ["/items", "/missing", "/plain-404", "/teapot", "/listed", "/crash", "/nowhere"]
)
def test_the_default_format_is_fastapis(path: str) -> None:
    ours = FastAPI()
    add_routes(accord, ours)
    theirs = fastapi.FastAPI()
    add_routes(fastapi, theirs)
    method = "post" if path == "/items" else "get"
    kwargs: dict[str, Any] = {"json": {"name": 1}} if method == "post" else {}
    mine = getattr(TestClient(ours, raise_server_exceptions=False), method)(path, **kwargs)
    oracle = getattr(FastAPIClient(theirs, raise_server_exceptions=False), method)(path, **kwargs)
    assert mine.status_code == oracle.status_code
    assert mine.headers["content-type"] == oracle.headers["content-type"]
    assert mine.content == oracle.content


def test_a_router_switches_its_routes_only() -> None:
    app = FastAPI()
    problems = APIRouter(error_format="problem")

    @problems.get("/p/{n}")
    async def in_problem_router(n: int) -> int:
        return n

    @app.get("/d/{n}")
    async def in_app(n: int) -> int:
        return n

    app.include_router(problems)
    client = TestClient(app)
    assert client.get("/p/x").headers["content-type"] == PROBLEM
    assert client.get("/d/x").json()["detail"][0]["type"] == "int_parsing"
    # Outside any route the app's own format applies.
    assert client.get("/p").headers["content-type"] == "application/json"


def test_route_beats_router_beats_include_beats_app() -> None:
    app = FastAPI(error_format="problem")
    router = APIRouter()
    opted_out = APIRouter(error_format="fastapi")

    @router.get("/included")
    async def included() -> None:
        raise HTTPException(400, "bad")

    @router.get("/route", error_format="problem")
    async def route_level() -> None:
        raise HTTPException(400, "bad")

    @opted_out.get("/router")
    async def router_level() -> None:
        raise HTTPException(400, "bad")

    @app.get("/app")
    async def app_level() -> None:
        raise HTTPException(400, "bad")

    app.include_router(router, prefix="/a", error_format="fastapi")
    app.include_router(opted_out, prefix="/b", error_format="problem")
    client = TestClient(app)
    formats = {
        path: client.get(path).headers["content-type"]
        for path in ("/app", "/a/included", "/a/route", "/b/router")
    }
    assert formats == {
        "/app": PROBLEM,
        "/a/included": "application/json",
        "/a/route": PROBLEM,
        "/b/router": "application/json",
    }


def test_a_problem_router_crash_is_a_problem_in_a_default_app() -> None:
    app = FastAPI()
    router = APIRouter(error_format="problem")

    @router.get("/crash")
    def crash() -> None:
        raise ValueError("boom")

    @app.get("/crash")
    def app_crash() -> None:
        raise ValueError("boom")

    app.include_router(router, prefix="/r")
    client = TestClient(app, raise_server_exceptions=False)
    assert client.get("/r/crash").headers["content-type"] == PROBLEM
    default = client.get("/crash")
    assert (default.headers["content-type"], default.text) == (
        "text/plain; charset=utf-8",
        "Internal Server Error",
    )


def test_custom_handlers_still_decide() -> None:
    app = FastAPI(error_format="problem")
    add_routes(accord, app)

    @app.exception_handler(HTTPException)
    async def mine(request: Request, exc: HTTPException) -> JSONResponse:
        return JSONResponse({"oops": exc.detail}, status_code=exc.status_code)

    response = TestClient(app).get("/missing")
    assert (response.headers["content-type"], response.json()) == (
        "application/json",
        {"oops": "No such order"},
    )


def test_a_custom_route_class_follows_the_app_format() -> None:
    class LoggingRoute(APIRoute):
        def get_route_handler(self) -> Callable[..., Any]:
            handler = super().get_route_handler()

            async def logged(request: Request) -> Any:
                return await handler(request)

            return logged

    app = FastAPI(error_format="problem")
    app.router.route_class = LoggingRoute
    add_routes(accord, app)
    response = TestClient(app).post("/items", json={})
    assert (response.status_code, response.headers["content-type"]) == (422, PROBLEM)


def test_websocket_validation_is_unchanged() -> None:
    app = FastAPI(error_format="problem")

    @app.websocket("/ws")
    async def ws(websocket: WebSocket, n: int) -> None:
        await websocket.accept()

    with pytest.raises(Exception) as caught:  # noqa: PT011 - Starlette's disconnect type
        with TestClient(app).websocket_connect("/ws?n=x"):
            pass
    assert getattr(caught.value, "code", None) == 1008


def test_problem_building_blocks() -> None:
    assert status_title(413) == "Content Too Large"
    assert status_title(599) == "Error"
    content = problem_content(
        403,
        type="https://example.com/probs/out-of-credit",
        detail="Your balance is 30",
        extensions={"balance": 30, "status": 1},
    )
    assert content == {
        "type": "https://example.com/probs/out-of-credit",
        "title": "Forbidden",
        "status": 403,
        "detail": "Your balance is 30",
        "balance": 30,
    }
    response = ProblemResponse(content, status_code=403)
    assert response.media_type == PROBLEM


def test_an_unknown_format_fails_at_registration() -> None:
    with pytest.raises(AccordError, match="error_format"):
        FastAPI(error_format="rfc7807")  # type: ignore[arg-type]
    router = APIRouter(error_format="xml")  # type: ignore[arg-type]
    with pytest.raises(AccordError, match=r"error_format.*'/x'"):

        @router.get("/x")
        async def x() -> None: ...
