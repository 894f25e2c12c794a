import sqlite3
import time
import time as clock
import urllib.request
from time import sleep
from typing import Annotated

import httpx
import requests

from accord import Accord, Depends
from accord.concurrency import run_in_threadpool

app = Accord()


async def database():
    connection = sqlite3.connect(":memory:")
    yield connection
    connection.close()


@app.get("/report")
async def report(db: Annotated[object, Depends(database)]) -> None:
    time.sleep(0.1)
    clock.sleep(0.1)
    sleep(0.1)
    requests.get("http://127.0.0.1:9/")
    httpx.post("http://127.0.0.1:9/")
    urllib.request.urlopen("http://127.0.0.1:9/")


@app.get("/legacy")
async def legacy() -> None:
    import psycopg2

    psycopg2.connect("dbname=x")


@app.get("/fine")
async def fine() -> None:
    await run_in_threadpool(time.sleep, 0.1)  # a callee handed to a thread: not a call here

    def in_a_thread() -> None:
        time.sleep(0.1)  # a nested function: not the coroutine's own code

    await run_in_threadpool(in_a_thread)


@app.get("/sync")
def sync() -> None:
    time.sleep(0.1)  # runs in the thread pool
