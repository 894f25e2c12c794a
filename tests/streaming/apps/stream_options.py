"""Streaming path operations with route options, sub-responses and routers.

An app module: ``tests/streaming/_compare.py`` loads it on FastAPI and on Accord through
``tests/oracle.py``.
"""

from collections.abc import AsyncIterator, Iterator

import fw
from pydantic import BaseModel


class Tick(BaseModel):
    n: int
    label: str = "tick"


app = fw.FastAPI()
router = fw.APIRouter(prefix="/r")
done: list[str] = []


@app.get("/created", status_code=201)
def created() -> Iterator[Tick]:
    yield Tick(n=1)


@app.get("/sub-response")
async def sub_response(response: fw.Response) -> AsyncIterator[Tick]:
    response.headers["x-extra"] = "set"
    response.status_code = 202
    yield Tick(n=1, label="x")


@app.get("/background")
def background(tasks: fw.BackgroundTasks) -> Iterator[int]:
    tasks.add_task(done.append, "ran")
    yield 1


@app.get("/background-ran")
def background_ran() -> list[str]:
    return done


@app.get("/exclude", response_model_exclude={"label"})
def exclude() -> Iterator[Tick]:
    yield Tick(n=5)


@app.get("/untyped-explicit", response_model=None)
def untyped_explicit() -> Iterator[Tick]:
    yield {"n": "not validated", "extra": "kept", "text": "é"}


@app.get("/sse-status", status_code=201, response_class=fw.sse.EventSourceResponse)
async def sse_status(response: fw.Response) -> AsyncIterator[Tick]:
    response.headers["x-extra"] = "sse"
    yield {"n": 3}


@app.get("/sse-envelopes", response_class=fw.sse.EventSourceResponse)
def sse_envelopes() -> Iterator[fw.sse.ServerSentEvent]:
    yield fw.sse.ServerSentEvent(data=Tick(n=1), comment="two\nlines")
    yield fw.sse.ServerSentEvent(data="multi\nline", event="e")
    yield fw.sse.ServerSentEvent(raw_data="a\r\nb\rc")
    yield fw.sse.ServerSentEvent()


@app.get("/plain-text", response_class=fw.responses.PlainTextResponse)
def plain_text() -> Iterator[str]:
    yield "a"
    yield "b"


@router.get("/items")
def routed() -> Iterator[Tick]:
    yield {"n": 1}
    yield {"n": "bad"}


@router.get("/events", response_class=fw.sse.EventSourceResponse)
async def routed_events() -> AsyncIterator[Tick]:
    yield {"n": 2, "label": "routed"}


app.include_router(router, prefix="/v1")
