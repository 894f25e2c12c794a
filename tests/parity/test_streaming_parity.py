"""Parity: generator endpoints (JSON Lines, Server-Sent Events) and streaming responses."""

from .harness import get, parity_test, post

CASES = [
    get("/jsonl"),
    get("/jsonl-async"),
    get("/jsonl-untyped"),
    get("/jsonl-invalid"),
    get("/sse"),
    post("/sse-events"),
    get("/raw-stream"),
    get("/stream-response"),
]

test_streaming = parity_test("streaming", CASES)
