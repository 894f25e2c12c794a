import asyncio
import time

from accord import Accord

app = Accord(detect_blocking=0.05)  # report a hold of the event loop over 50 ms


@app.get("/slow")
async def slow() -> dict[str, str]:
    time.sleep(0.3)  # blocks the loop: nothing else is served meanwhile
    return {"status": "done"}


@app.get("/fine")
async def fine() -> dict[str, str]:
    await asyncio.sleep(0.3)  # gives the loop back: not reported
    return {"status": "done"}
