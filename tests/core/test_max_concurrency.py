"""`Depends(..., max_concurrency=N)` (FastAPI 0.163): at most N calls at once, across requests.

The same app runs on Accord and on FastAPI 0.163.2; both must show the same peak of
concurrent calls for `async def`, `def` and `yield` dependencies (a `yield` dependency holds
its slot until its teardown), and refuse the same bad limits.
"""

import asyncio
import threading
import time
from typing import Annotated, Any

import anyio
import fastapi
import httpx
import pytest

import accord

FRAMEWORKS = [pytest.param(accord, id="accord"), pytest.param(fastapi, id="fastapi")]


def build(fw: Any, limit: int) -> tuple[Any, dict[str, int]]:
    seen = {"async": 0, "sync": 0, "gen": 0}
    active = {"async": 0, "sync": 0, "gen": 0}
    lock = threading.Lock()

    def enter(kind: str) -> None:
        with lock:
            active[kind] += 1
            seen[kind] = max(seen[kind], active[kind])

    def leave(kind: str) -> None:
        with lock:
            active[kind] -= 1

    async def limited_async() -> int:
        enter("async")
        await anyio.sleep(0.03)
        leave("async")
        return 1

    def limited_sync() -> int:
        enter("sync")
        time.sleep(0.03)
        leave("sync")
        return 2

    async def limited_gen():
        enter("gen")
        yield 3
        await anyio.sleep(0.03)  # teardown: the slot is still held
        leave("gen")

    app = fw.FastAPI()

    @app.get("/async")
    async def a(v: Annotated[int, fw.Depends(limited_async, max_concurrency=limit)]) -> int:
        return v

    @app.get("/sync")
    async def s(v: Annotated[int, fw.Depends(limited_sync, max_concurrency=limit)]) -> int:
        return v

    @app.get("/gen")
    async def g(v: Annotated[int, fw.Depends(limited_gen, max_concurrency=limit)]) -> int:
        return v

    return app, seen


async def _burst(app: Any, path: str, n: int) -> list[int]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        responses = await asyncio.gather(*(client.get(path) for _ in range(n)))
    return [r.status_code for r in responses]


@pytest.mark.parametrize("fw", FRAMEWORKS)
@pytest.mark.parametrize("kind", ["async", "sync", "gen"])
def test_at_most_n_calls_run_at_once(fw: Any, kind: str) -> None:
    app, seen = build(fw, 2)
    assert asyncio.run(_burst(app, f"/{kind}", 6)) == [200] * 6
    assert seen[kind] == 2


@pytest.mark.parametrize("kind", ["async", "sync", "gen"])
def test_without_a_limit_the_calls_overlap(kind: str) -> None:
    app, seen = build(accord, 100)
    asyncio.run(_burst(app, f"/{kind}", 6))
    assert seen[kind] > 2  # the check above can see a limit being missing


@pytest.mark.parametrize("fw", FRAMEWORKS)
@pytest.mark.parametrize("bad", [0, -1, 1.5, "2", True])
def test_a_bad_limit_is_refused(fw: Any, bad: Any) -> None:
    with pytest.raises(ValueError, match="max_concurrency must be a positive integer or None"):
        fw.Depends(lambda: 1, max_concurrency=bad)
