import pytest
from starlette.websockets import WebSocketDisconnect

from accord.testclient import TestClient
from docs_src.tutorial.streaming_003 import app


def test_the_chat_answers() -> None:
    client = TestClient(app)
    with client.websocket_connect("/orders/3/chat?token=t-bob") as websocket:
        assert websocket.receive_json() == {"order": 3, "hello": "bob"}
        websocket.send_text("gift wrap")
        assert websocket.receive_json()["answer"] == "About 'gift wrap': soon."


def test_a_bad_token_is_refused() -> None:
    client = TestClient(app)
    with (
        pytest.raises(WebSocketDisconnect) as refused,
        client.websocket_connect("/orders/3/chat?token=nope"),
    ):
        pass
    assert refused.value.code == 1008
