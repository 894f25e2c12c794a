"""`accord.middleware.asyncexitstack`: one exit stack per request, closed after it."""

from __future__ import annotations

from contextlib import AsyncExitStack
from typing import Any

import pytest
from starlette.testclient import TestClient

from accord.middleware.asyncexitstack import AsyncExitStackMiddleware


def make_app(log: list[str], key: str) -> Any:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        stack = scope[key]
        assert isinstance(stack, AsyncExitStack)
        stack.callback(log.append, "closed")
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})
        log.append("sent")

    return app


@pytest.mark.parametrize("key", [None, "custom_stack"])
def test_stack_closes_after_the_response(key: str | None) -> None:
    log: list[str] = []
    if key is None:
        wrapped = AsyncExitStackMiddleware(make_app(log, "accord_middleware_astack"))
    else:
        wrapped = AsyncExitStackMiddleware(make_app(log, key), context_name=key)
    response = TestClient(wrapped).get("/")
    assert response.text == "ok"
    assert log == ["sent", "closed"]


def test_stack_closes_when_the_app_fails() -> None:
    log: list[str] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        scope["accord_middleware_astack"].callback(log.append, "closed")
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        TestClient(AsyncExitStackMiddleware(app)).get("/")
    assert log == ["closed"]
