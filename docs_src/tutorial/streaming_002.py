from collections.abc import AsyncIterator
from typing import Annotated

from pydantic import BaseModel

from accord import FastAPI, Header
from accord.sse import EventSourceResponse, ServerSentEvent

app = FastAPI(title="Bookshop")


class StockChange(BaseModel):
    title: str
    copies: int


CHANGES = [StockChange(title="Dune", copies=2), StockChange(title="Emma", copies=0)]


@app.get("/stock/changes", response_class=EventSourceResponse)
async def stock_changes() -> AsyncIterator[StockChange]:
    for change in CHANGES:
        yield change


@app.get("/stock/feed", response_class=EventSourceResponse)
async def stock_feed(
    last_event_id: Annotated[int | None, Header()] = None,
) -> AsyncIterator[ServerSentEvent]:
    start = 0 if last_event_id is None else last_event_id + 1
    for number, change in enumerate(CHANGES[start:], start):
        kind = "sold-out" if change.copies == 0 else "restocked"
        yield ServerSentEvent(data=change, event=kind, id=str(number))
    yield ServerSentEvent(comment="end of the feed", retry=5000)
