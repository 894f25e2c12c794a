"""Two Uvicorn worker processes on one PostgreSQL database: one order per idempotency key."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from examples.harbor.core.config import Settings
from examples.harbor.seed import prepare_demo
from tests.harbor.conftest import PEPPER, order_body
from tests.harbor.served import harbor_env, serve

MAX_ROUNDS = 15
RETRIES = 16


@pytest.fixture
def served(database_url: str, tmp_path: Path) -> Iterator[tuple[str, str, str, Path]]:
    """Harbor under `uvicorn --workers 2` on a fresh PostgreSQL database."""
    url = database_url
    settings = Settings(_env_file=None, database_url=url, api_key_pepper=PEPPER)
    key = asyncio.run(prepare_demo(settings)).api_key
    log = tmp_path / "server.log"
    with serve(log, harbor_env(url, PEPPER), server="uvicorn") as server:
        yield server.base, key, url, log


def serving_pids(log: Path) -> set[int]:
    """The workers that logged an answered request (each log line carries its pid)."""
    return {
        entry["pid"]
        for line in log.read_text().splitlines()
        if line.startswith("{") and (entry := json.loads(line))["logger"] == "harbor.access"
    }


async def fire(base: str, key: str, idempotency_key: str) -> list[httpx.Response]:
    headers = {"X-API-Key": key, "Idempotency-Key": idempotency_key}
    limits = httpx.Limits(max_connections=RETRIES)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        calls = [
            client.post("/api/v1/orders", json=order_body(), headers=headers)
            for _ in range(RETRIES)
        ]
        return list(await asyncio.gather(*calls))


async def count_orders(url: str) -> int:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            return int((await connection.execute(text("SELECT count(*) FROM orders"))).scalar_one())
    finally:
        await engine.dispose()


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_concurrent_retries_across_two_workers_create_one_order(
    served: tuple[str, str, str, Path],
) -> None:
    base, key, url, log = served
    rounds = 0
    # Which worker accepts a connection is the kernel's choice: go on (a bounded number of
    # rounds) until both workers have answered some of the retries.
    while rounds < 2 or (len(serving_pids(log)) < 2 and rounds < MAX_ROUNDS):
        responses = asyncio.run(fire(base, key, f"multi-{rounds}"))
        rounds += 1
        assert {r.status_code for r in responses} == {201}, [r.text for r in responses]
        assert len({r.content for r in responses}) == 1
        assert sum(r.headers.get("idempotent-replayed") == "true" for r in responses) == RETRIES - 1
    assert asyncio.run(count_orders(url)) == rounds
    assert len(serving_pids(log)) == 2
