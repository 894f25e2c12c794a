"""Parity: WebSocket sessions (transcripts compared message by message)."""

from .harness import get, parity_test, seq, ws

R = ("receive",)

CASES = [
    ws("/echo", ("send_text", "hi"), R, ("send_text", "é😀"), R, ("send_text", "bye"), R),
    seq(
        get("/events"),
        ws("/echo", ("send_text", "x"), R, ("close", 1001)),
        get("/events"),
        id="client closes",
    ),
    ws("/json", ("send_json", {"a": [1, 2]}), R, R, R),
    ws("/json", ("send_text", "not json"), R),
    ws("/json", ("send_json", [1]), R, R, R, subprotocols=("v0", "v1")),
    ws("/items/3?q=4", R, R, headers={"token": "t", "cookie": "session=s"}),
    ws("/items/x?q=y", R),
    ws("/items/3", R, R),
    seq(get("/events"), ws("/guarded?token=secret", R, R), get("/events"), id="ws dependencies"),
    seq(
        get("/events"),
        ws("/guarded?token=wrong", R),
        get("/events"),
        id="WebSocketException in dependency",
    ),
    ws("/guarded", R),
    ws("/http-exception", R),
    ws("/crash", R),
    ws("/close-early", R),
    ws("/deny", R),
    ws("/nowhere", R),
    get("/echo"),
    seq(
        get("/events"),
        ws("/r/ws?n=21", R, R),
        get("/events"),
        id="router websocket with dependency",
    ),
    ws("/r/ws?n=x", R),
]

test_websockets = parity_test("websockets", CASES)
