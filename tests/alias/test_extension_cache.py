"""An extension that imports FastAPI's internals runs on Accord through the alias:
fastapi-cache2's `@cache` (it reads signatures with `fastapi.dependencies.utils`) on an
in-memory backend, in a fresh process where `fastapi` is Accord."""

import json
from pathlib import Path

import pytest

from tests.alias.conftest import run_python, write

# fastapi-cache2's distribution installs FastAPI: not in the leg that cannot have it.
pytestmark = pytest.mark.oracle

CACHED_APP = """
import accord.as_fastapi  # first: fastapi_cache's own `import fastapi` is Accord from here on

import json
from contextlib import asynccontextmanager

import fastapi.dependencies.utils
from fastapi import FastAPI
from fastapi.testclient import TestClient
from fastapi_cache import FastAPICache
from fastapi_cache import decorator as cache_decorator
from fastapi_cache.backends.inmemory import InMemoryBackend
from fastapi_cache.decorator import cache

import accord.dependencies.utils

calls = {"n": 0}


@asynccontextmanager
async def lifespan(app: FastAPI):
    FastAPICache.init(InMemoryBackend(), prefix="test")
    yield


app = FastAPI(lifespan=lifespan)


@app.get("/price/{item_id}")
@cache(expire=60)
async def price(item_id: int, currency: str = "EUR") -> dict:
    calls["n"] += 1
    return {"item": item_id, "currency": currency, "price": 1.5 * item_id}


with TestClient(app) as client:
    first = client.get("/price/2")
    second = client.get("/price/2")
    other = client.get("/price/2?currency=USD")
    bad = client.get("/price/x")
print(json.dumps({
    "answers": [first.json(), second.json(), other.json()],
    "cache": [first.headers.get("x-fastapi-cache"), second.headers.get("x-fastapi-cache")],
    "bad": bad.status_code,
    "calls": calls["n"],
    "accord_helpers": cache_decorator.get_typed_signature
    is accord.dependencies.utils.get_typed_signature,
}))
"""


def test_fastapi_cache2_caches_an_accord_endpoint(tmp_path: Path) -> None:
    write(tmp_path / "cached.py", CACHED_APP)
    result = run_python(tmp_path, "cached.py")
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["answers"] == [
        {"item": 2, "currency": "EUR", "price": 3.0},
        {"item": 2, "currency": "EUR", "price": 3.0},
        {"item": 2, "currency": "USD", "price": 3.0},
    ]
    assert found["cache"] == ["MISS", "HIT"]
    assert found["calls"] == 2  # the second EUR request came from the cache
    assert found["bad"] == 422
    assert found["accord_helpers"] is True
