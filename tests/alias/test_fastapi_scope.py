"""FastAPI's per-request exit stack, ``scope["fastapi_middleware_astack"]``, under the alias.

Extensions written for FastAPI push cleanups there (cadwyn closes its uploads with it; apps
enter context managers on it). Accord adds the layer only when ``import fastapi`` is answered
by Accord: the same app then behaves as on FastAPI 0.163.2 (run here, in the test process,
as the oracle), and an app of Accord's own has no such layer.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

import accord

from .conftest import run_code

# Each endpoint enters a context manager on the stack, then answers or fails; the log says
# what the context manager saw, and when, relative to the response and its background task.
APP = """
from contextlib import asynccontextmanager

from fastapi import BackgroundTasks, FastAPI, HTTPException, Request
from fastapi.testclient import TestClient

log = []


@asynccontextmanager
async def tracked(name):
    try:
        yield
    except Exception as exc:
        log.append(f"{name} saw {type(exc).__name__}")
        raise
    else:
        log.append(f"{name} closed")


app = FastAPI()


@app.get("/{behaviour}")
async def endpoint(behaviour: str, request: Request, tasks: BackgroundTasks):
    stack = request.scope["fastapi_middleware_astack"]
    await stack.enter_async_context(tracked(behaviour))
    tasks.add_task(log.append, "background")
    if behaviour == "http":
        raise HTTPException(409, "conflict")
    if behaviour == "fails":
        raise ValueError("endpoint failed")
    return {"type": type(stack).__name__}


def run():
    found = {}
    client = TestClient(app, raise_server_exceptions=False)
    for behaviour in ("ok", "http", "fails"):
        log.clear()
        response = client.get(f"/{behaviour}")
        found[behaviour] = [response.status_code, response.text, list(log)]
    return found
"""


def _on_fastapi() -> dict[str, Any]:
    namespace: dict[str, Any] = {}
    exec(textwrap.dedent(APP), namespace)  # the test process imports the real FastAPI
    result: dict[str, Any] = namespace["run"]()
    return result


@pytest.mark.oracle  # compares with the real FastAPI, in this process
def test_the_stack_is_fastapis_under_the_alias(tmp_path: Path) -> None:
    code = "import accord.as_fastapi\nimport json\n" + APP + "\nprint(json.dumps(run()))\n"
    done = run_code(tmp_path, code)
    assert done.returncode == 0, done.stderr
    on_accord = json.loads(done.stdout)
    assert on_accord == _on_fastapi()
    # Closed after the response and its background task; a handled HTTPException is a
    # response before the stack closes, an unhandled error passes through it.
    assert on_accord["ok"][2] == ["background", "ok closed"]
    assert on_accord["http"][:2] == [409, '{"detail":"conflict"}']
    assert on_accord["http"][2] == ["http closed"]
    assert on_accord["fails"][2] == ["fails saw ValueError"]


def test_an_app_of_accords_own_has_no_such_layer() -> None:
    app = accord.Accord()

    @app.get("/")
    async def keys(request: accord.Request) -> bool:
        return "fastapi_middleware_astack" in request.scope

    assert TestClient(app).get("/").json() is False
