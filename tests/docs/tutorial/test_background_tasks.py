"""docs/tutorial/background-tasks.md: tasks added in the endpoint and in a dependency run after
the response is sent, in the order they were added."""

import json
from typing import Any

import anyio

from accord.testclient import TestClient
from docs_src.tutorial import background_tasks_001

from ._fastapi import on_fastapi

ORDER = {"email": "ada@example.org", "titles": ["Dune", "Emma"]}


def test_the_tasks_run_in_the_order_they_were_added() -> None:
    background_tasks_001.outbox.clear()
    response = TestClient(background_tasks_001.app).post("/orders?customer=ada", json=ORDER)
    assert (response.status_code, response.json()) == (202, {"status": "accepted", "customer": "ada"})
    assert background_tasks_001.outbox == [
        "audit: order placed by ada",
        "to ada@example.org: 2 book(s) on the way",
    ]


def _post_order(module: Any) -> list[str]:
    """Drive the app over raw ASGI, noting in the app's outbox when the response went out."""
    module.outbox.clear()
    body = json.dumps(ORDER).encode()
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/orders",
        "raw_path": b"/orders",
        "root_path": "",
        "query_string": b"",
        "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        "client": ("127.0.0.1", 1),
        "server": ("testserver", 80),
    }
    messages = [{"type": "http.request", "body": body, "more_body": False}]

    async def receive() -> dict[str, Any]:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.body" and not message.get("more_body", False):
            module.outbox.append("response sent")

    anyio.run(module.app, scope, receive, send)
    return list(module.outbox)


def test_the_tasks_run_after_the_response_is_sent_as_on_fastapi() -> None:
    expected = [
        "response sent",
        "audit: order placed by guest",
        "to ada@example.org: 2 book(s) on the way",
    ]
    assert _post_order(background_tasks_001) == expected
    assert _post_order(on_fastapi(background_tasks_001)) == expected
