"""A server-sent event stream with a pause between its two events.

An app module: ``tests/streaming/_compare.py`` loads it on FastAPI and on Accord through
``tests/oracle.py``.
"""

from collections.abc import AsyncIterator

import anyio
import fw

app = fw.FastAPI()


@app.get("/slow", response_class=fw.sse.EventSourceResponse)
async def slow() -> AsyncIterator[int]:
    yield 1
    await anyio.sleep(0.25)
    yield 2
