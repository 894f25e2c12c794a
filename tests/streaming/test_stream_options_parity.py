"""Parity of streaming path operations with route options, sub-responses and routers
(the app: ``apps/stream_options.py``)."""

from typing import Any

import pytest

from ._compare import clients, http_outcome, load

CASES = [
    "/created",
    "/sub-response",
    "/background",
    "/background-ran",
    "/exclude",
    "/untyped-explicit",
    "/sse-status",
    "/sse-envelopes",
    "/plain-text",
    "/v1/r/items",
    "/v1/r/events",
]


@pytest.fixture(scope="module")
def pair() -> Any:
    return clients("stream_options")


@pytest.mark.parametrize("url", CASES)
def test_same_answer_as_fastapi(pair: Any, url: str) -> None:
    ours, theirs = pair
    if url == "/background-ran":
        http_outcome(ours, "GET", "/background")
        http_outcome(theirs, "GET", "/background")
    assert http_outcome(ours, "GET", url) == http_outcome(theirs, "GET", url)


def test_included_route_keeps_the_item_type() -> None:
    module = load("stream_options", "accord")
    route = next(r for r in module.app.routes if getattr(r, "path", "") == "/v1/r/items")
    assert route.is_json_stream and route.stream_item_type is module.Tick
    assert route.stream_item_field is not None
    assert route.response_model is None
