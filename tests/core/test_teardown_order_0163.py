"""Dependency clean-up as FastAPI 0.163 orders it, compared with FastAPI 0.163.2: teardown of
request- and function-scoped `yield` dependencies against the endpoint, the response, JSON Lines
and SSE streams, a `StreamingResponse`, background tasks, an `HTTPException` or an error raised by
the endpoint, and an exception raised after `yield` (a 500, or an `HTTPException` whose status
wins only for function scope). The log of what ran, in order, must be FastAPI's."""

from typing import Annotated, Any

import fastapi
import pytest
from fastapi.testclient import TestClient as FastAPIClient

import accord
from accord.testclient import TestClient


def build(fw: Any, log: list[str]) -> Any:
    app = fw.FastAPI()

    async def req_dep():
        log.append("req:enter")
        try:
            yield "r"
        except Exception as e:
            log.append(f"req:exc:{type(e).__name__}")
            raise
        finally:
            log.append("req:exit")

    def fn_dep():
        log.append("fn:enter")
        try:
            yield "f"
        except Exception as e:
            log.append(f"fn:exc:{type(e).__name__}")
            raise
        finally:
            log.append("fn:exit")

    async def raising_after():
        yield 1
        log.append("raise-after")
        raise ValueError("after")

    async def http_after():
        yield 1
        raise fw.HTTPException(409, "late")

    @app.get("/plain")
    def plain(
        r: Annotated[str, fw.Depends(req_dep)],
        f: Annotated[str, fw.Depends(fn_dep, scope="function")],
        bg: fw.BackgroundTasks,
    ):
        bg.add_task(lambda: log.append("bg"))
        log.append("endpoint")
        return {"r": r}

    @app.get("/stream")
    async def stream(
        r: Annotated[str, fw.Depends(req_dep)],
        f: Annotated[str, fw.Depends(fn_dep, scope="function")],
    ):
        log.append("endpoint")
        for i in range(2):
            log.append(f"item{i}")
            yield {"i": i}

    @app.get("/sse", response_class=fw.sse.EventSourceResponse)
    async def sse(
        r: Annotated[str, fw.Depends(req_dep)],
        f: Annotated[str, fw.Depends(fn_dep, scope="function")],
    ):
        log.append("endpoint")
        yield {"i": 0}

    @app.get("/streaming-response")
    def sr(
        r: Annotated[str, fw.Depends(req_dep)],
        f: Annotated[str, fw.Depends(fn_dep, scope="function")],
    ):
        def gen():
            log.append("gen")
            yield b"x"

        return fw.responses.StreamingResponse(gen())

    @app.get("/endpoint-raises")
    def er(
        r: Annotated[str, fw.Depends(req_dep)],
        f: Annotated[str, fw.Depends(fn_dep, scope="function")],
    ):
        raise fw.HTTPException(418, "teapot")

    @app.get("/endpoint-error")
    def ee(
        r: Annotated[str, fw.Depends(req_dep)],
        f: Annotated[str, fw.Depends(fn_dep, scope="function")],
    ):
        raise KeyError("k")

    @app.get("/raise-after")
    def ra(x: Annotated[int, fw.Depends(raising_after)]):
        log.append("endpoint")
        return 1

    @app.get("/http-after")
    def ha(x: Annotated[int, fw.Depends(http_after)]):
        return 1

    @app.get("/http-after-fn")
    def haf(x: Annotated[int, fw.Depends(http_after, scope="function")]):
        return 1

    return app


PATHS = [
    "/plain",
    "/stream",
    "/sse",
    "/streaming-response",
    "/endpoint-raises",
    "/endpoint-error",
    "/raise-after",
    "/http-after",
    "/http-after-fn",
]


def run(fw: Any, client_class: Any) -> list[tuple[Any, ...]]:
    log: list[str] = []
    client = client_class(build(fw, log), raise_server_exceptions=False)
    found: list[tuple[Any, ...]] = []
    for path in PATHS:
        log.clear()
        response = client.get(path)
        found.append((path, response.status_code, response.text, list(log)))
    return found


@pytest.fixture(scope="module")
def both() -> tuple[list[Any], list[Any]]:
    return run(accord, TestClient), run(fastapi, FastAPIClient)


@pytest.mark.parametrize("index", range(len(PATHS)), ids=lambda i: PATHS[i])
def test_the_same_order_as_fastapi(index: int, both: tuple[list[Any], list[Any]]) -> None:
    ours, theirs = both
    assert ours[index] == theirs[index]


def test_function_scope_closes_before_the_response_and_request_scope_after(
    both: tuple[list[Any], list[Any]],
) -> None:
    ours, _ = both
    plain = dict((row[0], row[3]) for row in ours)["/plain"]
    assert plain.index("fn:exit") < plain.index("bg") and plain[-1] == "req:exit"
