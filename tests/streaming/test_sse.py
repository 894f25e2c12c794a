"""Server-Sent Events: keep-alive pings, the event model and the wire format, against FastAPI."""

from types import ModuleType
from typing import Any

import fastapi.sse
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError
from starlette.testclient import TestClient

import accord
import accord.sse

from ._compare import load

PING = b": ping\n\n"


@pytest.mark.parametrize("fw", [accord, fastapi], ids=lambda m: m.__name__)
def test_idle_stream_gets_keep_alive_pings(fw: ModuleType, monkeypatch: Any) -> None:
    monkeypatch.setattr(fw.sse, "_PING_INTERVAL", 0.05)
    if hasattr(fw.routing, "_PING_INTERVAL"):  # FastAPI reads its own copy of the name
        monkeypatch.setattr(fw.routing, "_PING_INTERVAL", 0.05)
    response = TestClient(load("sse_slow", fw.__name__).app).get("/slow")
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["x-accel-buffering"] == "no"
    assert response.headers["content-type"] == "text/event-stream; charset=utf-8"
    body = response.content
    assert body.startswith(b"data: 1\n\n") and body.endswith(b"data: 2\n\n")
    middle = body[len(b"data: 1\n\n") : -len(b"data: 2\n\n")]
    pings = middle.count(PING)
    assert pings >= 2 and middle == PING * pings


def test_no_ping_when_events_keep_coming(monkeypatch: Any) -> None:
    monkeypatch.setattr(accord.sse, "_PING_INTERVAL", 1.0)
    body = TestClient(load("sse_slow", "accord").app).get("/slow").content
    assert body == b"data: 1\n\ndata: 2\n\n"


@pytest.mark.parametrize(
    "fields",
    [
        {"data": 1, "raw_data": "x"},
        {"event": "two\nlines"},
        {"id": "a\rb"},
        {"id": "nul\0"},
        {"retry": -1},
    ],
)
def test_invalid_events_are_refused_like_fastapi(fields: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as ours:
        accord.sse.ServerSentEvent(**fields)
    with pytest.raises(ValidationError) as theirs:
        fastapi.sse.ServerSentEvent(**fields)
    assert ours.value.error_count() == theirs.value.error_count()
    assert [e["loc"] for e in ours.value.errors()] == [e["loc"] for e in theirs.value.errors()]


text = st.one_of(st.none(), st.text(alphabet=st.sampled_from("ab é\n\r:")))


@given(data=text, event=text, id=text, comment=text, retry=st.one_of(st.none(), st.integers(0)))
def test_wire_format_is_fastapis(
    data: str | None, event: str | None, id: str | None, comment: str | None, retry: int | None
) -> None:
    kwargs = {"data_str": data, "event": event, "id": id, "retry": retry, "comment": comment}
    assert accord.sse.format_sse_event(**kwargs) == fastapi.sse.format_sse_event(**kwargs)


def test_keepalive_comment_is_fastapis() -> None:
    assert accord.sse.KEEPALIVE_COMMENT == fastapi.sse.KEEPALIVE_COMMENT
    assert accord.responses.EventSourceResponse is accord.sse.EventSourceResponse
