"""Server-Sent Events: the `text/event-stream` response class and the event model.

A path operation that yields, declared with ``response_class=EventSourceResponse``, streams each
item as one event (any HTTP method). A yielded `ServerSentEvent` sets the event's fields itself;
any other item is validated against the declared item type and sent, as JSON, in ``data``.
The encoding happens in the route's runner (`accord._runtime.streaming`); the class below marks
the route and names the media type.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, Field, model_validator
from starlette.responses import StreamingResponse

__all__ = ["KEEPALIVE_COMMENT", "EventSourceResponse", "ServerSentEvent", "format_sse_event"]

KEEPALIVE_COMMENT = b": ping\n\n"
"""The comment sent when a stream stays idle, so that proxies keep the connection open."""

_PING_INTERVAL: float = 15.0
"""Seconds of silence after which a keep-alive comment is sent (read at each wait: patchable)."""

SSE_EVENT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "data": {"type": "string"},
        "event": {"type": "string"},
        "id": {"type": "string"},
        "retry": {"type": "integer", "minimum": 0},
    },
}
"""The JSON Schema of one event, as OpenAPI 3.2 describes `text/event-stream` items."""


class EventSourceResponse(StreamingResponse):
    """A `text/event-stream` response; as ``response_class`` it makes a yielding route SSE."""

    media_type = "text/event-stream"


def _single_line(field: str) -> Any:
    def check(value: str | None) -> str | None:
        if value is not None and ("\n" in value or "\r" in value):
            raise ValueError(f"SSE '{field}' must be a single line")
        return value

    return AfterValidator(check)


def _no_null(value: str | None) -> str | None:
    if value is not None and "\0" in value:
        raise ValueError("SSE 'id' must not contain null characters")
    return value


class ServerSentEvent(BaseModel):
    """One event of a Server-Sent Events stream.

    Attributes:
        data: The payload, always sent as JSON (a string arrives quoted).
        raw_data: Text sent as the ``data`` field as it is; excludes `data`.
        event: The event type a browser dispatches on (one line).
        id: The event id, sent back by browsers as ``Last-Event-ID`` (one line, no NUL).
        retry: The reconnection delay in milliseconds.
        comment: Comment lines (``: ...``), ignored by clients; useful as keep-alives.
    """

    data: Any = None
    raw_data: str | None = None
    event: Annotated[str | None, _single_line("event")] = None
    id: Annotated[str | None, AfterValidator(_no_null), _single_line("id")] = None
    retry: Annotated[int | None, Field(ge=0)] = None
    comment: str | None = None

    @model_validator(mode="after")
    def _data_or_raw_data(self) -> ServerSentEvent:
        if self.data is not None and self.raw_data is not None:
            raise ValueError(
                "A ServerSentEvent takes 'data' (sent as JSON) or 'raw_data' (sent as it is), "
                "not both."
            )
        return self


def _lines(text: str) -> list[str]:
    # The SSE grammar ends a line at CRLF, LF or CR; empty trailing lines are kept.
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def format_sse_event(
    *,
    data_str: str | None = None,
    event: str | None = None,
    id: str | None = None,
    retry: int | None = None,
    comment: str | None = None,
) -> bytes:
    """The wire bytes of one event whose data is already text; they end with a blank line.

    Args:
        data_str: The ``data`` field's text; each of its lines becomes a ``data:`` line.
        event: The ``event`` field.
        id: The ``id`` field.
        retry: The ``retry`` field, in milliseconds.
        comment: Comment text; each of its lines becomes a ``:`` line.
    """
    out: list[str] = []
    if comment is not None:
        out.extend(f": {line}" for line in _lines(comment))
    if event is not None:
        out.append(f"event: {event}")
    if data_str is not None:
        out.extend(f"data: {line}" for line in _lines(data_str))
    if id is not None:
        out.append(f"id: {id}")
    if retry is not None:
        out.append(f"retry: {retry}")
    out.append("\n")
    return "\n".join(out).encode("utf-8")
