"""`accord.background.BackgroundTasks`: run after the response, in order."""

from __future__ import annotations

from typing import Any

import starlette.background
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from accord.background import BackgroundTasks


def test_is_starlettes_subclass() -> None:
    assert issubclass(BackgroundTasks, starlette.background.BackgroundTasks)


def test_tasks_run_after_the_response_in_order() -> None:
    log: list[Any] = []

    def sync_task(value: int, *, label: str) -> None:
        log.append(("sync", value, label))

    async def async_task(value: int) -> None:
        log.append(("async", value))

    async def endpoint(request: Any) -> JSONResponse:
        tasks = BackgroundTasks()
        tasks.add_task(sync_task, 1, label="a")
        tasks.add_task(async_task, 2)
        log.append("responding")
        return JSONResponse({"ok": True}, background=tasks)

    client = TestClient(Starlette(routes=[Route("/", endpoint)]))
    assert client.get("/").json() == {"ok": True}
    assert log == ["responding", ("sync", 1, "a"), ("async", 2)]
