"""Streaming: generator endpoints as JSON Lines, Server-Sent Events, raw streaming."""

from collections.abc import AsyncIterator, Iterator

import fw
from pydantic import BaseModel


class Tick(BaseModel):
    n: int
    label: str = "tick"


app = fw.FastAPI()


@app.get("/jsonl")
def jsonl() -> Iterator[Tick]:
    for n in range(3):
        yield Tick(n=n)


@app.get("/jsonl-async")
async def jsonl_async() -> AsyncIterator[Tick]:
    for n in range(2):
        yield {"n": n, "label": "from dict"}


@app.get("/jsonl-untyped")
def jsonl_untyped():
    yield {"a": 1}
    yield [1, 2]
    yield "text"


@app.get("/jsonl-invalid")
def jsonl_invalid() -> Iterator[Tick]:
    yield {"n": 1}
    yield {"n": "not a number"}


@app.get("/sse", response_class=fw.sse.EventSourceResponse)
async def sse() -> AsyncIterator[Tick]:
    yield Tick(n=1)
    yield {"n": 2}


@app.post("/sse-events", response_class=fw.sse.EventSourceResponse)
def sse_events():
    yield fw.sse.ServerSentEvent(data={"x": 1}, event="update", id="1")
    yield fw.sse.ServerSentEvent(raw_data="raw line", retry=1000)
    yield fw.sse.ServerSentEvent(comment="keepalive")
    yield "plain string"


@app.get("/raw-stream", response_class=fw.responses.StreamingResponse)
async def raw_stream():
    yield b"chunk1,"
    yield b"chunk2"


@app.get("/stream-response")
async def stream_response():
    async def body():
        yield "é"
        yield "\n"

    return fw.responses.StreamingResponse(body(), media_type="text/plain")
