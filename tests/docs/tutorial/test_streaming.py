"""docs/tutorial/streaming.md: StreamingResponse, JSON Lines from a yielding route, Server-Sent
Events with accord.sse, and a WebSocket with a dependency, as the page states them."""

import pytest
from starlette.websockets import WebSocketDisconnect

from accord.testclient import TestClient
from docs_src.tutorial import streaming_001, streaming_002, streaming_003

from ._fastapi import assert_same_as_fastapi, on_fastapi


def test_a_streaming_response() -> None:
    response = TestClient(streaming_001.app).get("/export.csv")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="books.csv"'
    assert response.text == "title,price\nDune,9.50\nEmma,7.00\nUlysses,12.00\n"


def test_a_yielding_route_streams_json_lines() -> None:
    response = TestClient(streaming_001.app).get("/books/stream")
    assert response.headers["content-type"] == "application/jsonl"
    assert response.text.splitlines() == [
        '{"title":"Dune","price":9.5}',
        '{"title":"Emma","price":7.0}',
        '{"title":"Ulysses","price":12.0}',
    ]
    content = streaming_001.app.openapi()["paths"]["/books/stream"]["get"]["responses"]["200"]
    assert content["content"] == {
        "application/jsonl": {"itemSchema": {"$ref": "#/components/schemas/Book"}}
    }


def test_server_sent_events_from_items() -> None:
    response = TestClient(streaming_002.app).get("/stock/changes")
    assert response.headers["content-type"] == "text/event-stream; charset=utf-8"
    assert response.headers["cache-control"] == "no-cache"
    assert response.text == (
        'data: {"title":"Dune","copies":2}\n\ndata: {"title":"Emma","copies":0}\n\n'
    )
    media = streaming_002.app.openapi()["paths"]["/stock/changes"]["get"]["responses"]["200"]
    data = media["content"]["text/event-stream"]["itemSchema"]["properties"]["data"]
    assert data["contentSchema"] == {"$ref": "#/components/schemas/StockChange"}


def test_server_sent_events_with_fields_and_resuming() -> None:
    client = TestClient(streaming_002.app)
    assert client.get("/stock/feed").text == (
        'event: restocked\ndata: {"title":"Dune","copies":2}\nid: 0\n\n'
        'event: sold-out\ndata: {"title":"Emma","copies":0}\nid: 1\n\n'
        ": end of the feed\nretry: 5000\n\n"
    )
    resumed = client.get("/stock/feed", headers={"Last-Event-ID": "0"}).text
    assert resumed.startswith('event: sold-out\ndata: {"title":"Emma","copies":0}\nid: 1\n\n')


def test_a_websocket_with_a_dependency() -> None:
    streaming_003.closed.clear()
    client = TestClient(streaming_003.app)
    with client.websocket_connect("/orders/7/chat?token=t-ada") as websocket:
        assert websocket.receive_json() == {"order": 7, "hello": "ada"}
        websocket.send_text("delivery")
        assert websocket.receive_json() == {"order": 7, "answer": "About 'delivery': soon."}
    assert streaming_003.closed == ["ada left order 7"]


def test_a_websocket_dependency_can_refuse_the_connection() -> None:
    client = TestClient(streaming_003.app)
    with pytest.raises(WebSocketDisconnect) as refused:
        with client.websocket_connect("/orders/7/chat?token=forged"):
            pass
    assert (refused.value.code, refused.value.reason) == (1008, "Unknown token")


def test_the_examples_behave_as_on_fastapi() -> None:
    assert_same_as_fastapi(streaming_001, [("GET", "/export.csv", {}), ("GET", "/books/stream", {})])
    assert_same_as_fastapi(
        streaming_002,
        [
            ("GET", "/stock/changes", {}),
            ("GET", "/stock/feed", {"headers": {"last-event-id": "1"}}),
            ("GET", "/stock/feed", {"headers": {"last-event-id": "x"}}),
        ],
    )
    twin = on_fastapi(streaming_003)
    with TestClient(twin.app).websocket_connect("/orders/1/chat?token=t-bob") as websocket:
        assert websocket.receive_json() == {"order": 1, "hello": "bob"}
    with pytest.raises(WebSocketDisconnect) as refused:
        with TestClient(twin.app).websocket_connect("/orders/7/chat"):
            pass
    assert refused.value.code == 1008
