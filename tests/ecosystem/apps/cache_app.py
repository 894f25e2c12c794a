"""fastapi-cache2 on Accord: cached endpoints on the in-memory backend, and its cache headers.

Run as a script (the alias on from its first line); prints what the requests answered as JSON.
`@cache` reads the endpoint's signature through `fastapi.dependencies.utils`, adds keyword-only
`Request` and `Response` parameters to it (unless the endpoint declares them), and on a hit
either decodes the stored JSON as the return annotation or, when `If-None-Match` names the
stored entry's ETag, answers 304 with the injected `Response` itself.

The ETag is ``W/`` and Python's `hash` of the stored bytes, which differs from process to
process, so the app reports how ETags relate rather than their values.
"""

import accord.as_fastapi  # noqa: F401, I001 - first: fastapi_cache imports fastapi

import json
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.testclient import TestClient
from fastapi_cache import FastAPICache
from fastapi_cache.backends.inmemory import InMemoryBackend
from fastapi_cache.decorator import cache
from pydantic import BaseModel

calls = {"price": 0, "stock": 0, "menu": 0, "order": 0}


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    FastAPICache.init(InMemoryBackend(), prefix="shop")
    yield


app = FastAPI(lifespan=lifespan)


class Price(BaseModel):
    item: int
    currency: str
    amount: float


@app.get("/price/{item_id}")
@cache(expire=60)
async def price(item_id: int, currency: str = "EUR") -> Price:
    calls["price"] += 1
    return Price(item=item_id, currency=currency, amount=1.5 * item_id)


@app.get("/stock")
@cache(expire=30, namespace="stock")
def stock(request: Request) -> dict[str, Any]:  # sync: run in the thread pool by @cache
    calls["stock"] += 1
    return {"n": calls["stock"], "asked_by": request.headers.get("x-shop", "")}


@app.get("/menu")
@cache(expire=60)
async def menu(response: Response) -> list[str]:
    calls["menu"] += 1
    response.headers["x-menu"] = "today"
    return ["soup", "bread"]


@app.post("/order")
@cache(expire=60)
async def order() -> dict[str, int]:
    calls["order"] += 1
    return {"order": calls["order"]}


ETAG = re.compile(r"W/-?\d+")


def headers(response: Any) -> dict[str, Any]:
    etag = response.headers.get("etag")
    return {
        "status": response.status_code,
        "cache": response.headers.get("x-fastapi-cache"),
        "cache_control": response.headers.get("cache-control"),
        "etag_form": None if etag is None else bool(ETAG.fullmatch(etag)),
        "content_type": response.headers.get("content-type"),
    }


def max_age(response: Any) -> int:
    return int(response.headers["cache-control"].removeprefix("max-age="))


with TestClient(app) as client:
    miss = client.get("/price/2")
    hit = client.get("/price/2")
    etag = miss.headers["etag"]
    not_modified = client.get("/price/2", headers={"If-None-Match": etag})
    other_etag = client.get("/price/2", headers={"If-None-Match": 'W/"other"'})
    other_query = client.get("/price/2", params={"currency": "USD"})
    no_cache = client.get("/price/2", headers={"Cache-Control": "no-cache"})
    no_store = client.get("/price/2", headers={"Cache-Control": "no-store"})
    bad = client.get("/price/x")
    stock_first = client.get("/stock", headers={"x-shop": "north"})
    stock_again = client.get("/stock", headers={"x-shop": "south"})
    menu_first = client.get("/menu")
    menu_again = client.get("/menu")
    orders = [client.post("/order"), client.post("/order")]
    schema = app.openapi()

print(json.dumps({
    "miss": [miss.json(), headers(miss)],
    "hit": [hit.json(), headers(hit)],
    "hit_max_age": 0 < max_age(hit) <= 60,
    "same_etag": hit.headers["etag"] == etag,
    "not_modified": [not_modified.content.decode(), headers(not_modified)],
    "other_etag": [other_etag.json(), headers(other_etag)],
    "other_query": [other_query.json(), other_query.headers.get("x-fastapi-cache"),
                    other_query.headers["etag"] != etag],
    "no_cache": [no_cache.json(), no_cache.headers.get("x-fastapi-cache")],
    "no_store": [no_store.json(), headers(no_store)],
    "bad": [bad.status_code, [e["loc"] for e in bad.json()["detail"]]],
    "stock": [stock_first.json(), stock_again.json(), headers(stock_first), headers(stock_again)],
    "menu": [menu_first.json(), menu_first.headers.get("x-menu"), menu_again.json(),
             menu_again.headers.get("x-menu"), menu_again.headers.get("x-fastapi-cache")],
    "orders": [[r.json(), r.headers.get("x-fastapi-cache")] for r in orders],
    "calls": calls,
    "price_parameters": sorted(
        p["name"] for p in schema["paths"]["/price/{item_id}"]["get"]["parameters"]
    ),
    "framework": type(app).__module__.split(".")[0],
}))
