"""WebSocket routes compared with FastAPI: parameters, dependencies, errors and close codes
(the app: ``apps/websockets.py``)."""

from typing import Any

import pytest
from starlette.testclient import TestClient, WebSocketDenialResponse

from ._compare import PACKAGES, load, modules


def run(client: TestClient, url: str, sent: list[str], **kwargs: Any) -> list[Any]:
    """Everything the client saw: messages, then the close code and reason, or a denial."""
    seen: list[Any] = []
    try:
        with client.websocket_connect(url, **kwargs) as ws:
            for text in sent:
                ws.send_text(text)
            while True:
                message = ws.receive()
                seen.append((message["type"], message.get("text"), message.get("code")))
                if message["type"] == "websocket.close":
                    seen.append(message.get("reason"))
                    break
    except WebSocketDenialResponse as denial:
        seen.append(("denied", denial.status_code, denial.content))
    except Exception as exc:  # the app ended the session the way this framework does
        seen.append(
            ("raised", type(exc).__name__, getattr(exc, "code", None), getattr(exc, "reason", ""))
        )
    return seen


CASES = [
    ("/items/3?q=5", [], {"headers": {"token": "t"}, "cookies": None}),
    ("/items/3?q=5&key=k", [], {"headers": {"token": "t", "cookie": "flavour=mint"}}),
    ("/items/x?q=y", [], {}),
    ("/items/3", [], {}),
    ("/items/3?q=5&key=bad", [], {}),
    ("/echo", ["a", "b", "fail"], {}),
    ("/denied", [], {}),
    ("/v1/room/lobby", [], {}),
]


@pytest.mark.parametrize(("url", "sent", "kwargs"), CASES, ids=[c[0] for c in CASES])
def test_session_matches_fastapi(url: str, sent: list[str], kwargs: dict[str, Any]) -> None:
    kwargs = {k: v for k, v in kwargs.items() if v is not None}
    ours, theirs = (
        (run(TestClient(module.app), url, sent, **kwargs), module.LOG)
        for module in modules("websockets")
    )
    assert ours == theirs
    assert ours[0], "the session produced nothing to compare"


def test_validation_error_closes_with_1008_and_the_errors() -> None:
    for package in PACKAGES:
        app = load("websockets", package).app
        [(kind, name, code, reason)] = run(TestClient(app), "/items/x?q=5", [])
        assert (kind, name, code) == ("raised", "WebSocketDisconnect", 1008), package
        assert [(e["type"], e["loc"]) for e in reason] == [("int_parsing", ["path", "item_id"])]


def test_client_disconnect_reaches_the_endpoint_then_teardown() -> None:
    for package in PACKAGES:
        module = load("websockets", package)
        with TestClient(module.app).websocket_connect("/echo") as ws:
            ws.send_text("hi")
            assert ws.receive_text() == "HI"
            ws.close(code=1001)
        assert module.LOG == ["disconnect 1001"], package


def test_dependency_override_applies_to_websockets() -> None:
    for package in PACKAGES:
        module = load("websockets", package)
        app = module.app
        app.dependency_overrides[module.real_dependency] = lambda: "override"
        assert run(TestClient(app), "/v1/room/x", [])[0] == ("websocket.send", "x:override", None)
