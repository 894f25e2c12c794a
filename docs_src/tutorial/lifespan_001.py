from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TypedDict

from accord import FastAPI, Request

log: list[str] = []


class PriceList:
    def __init__(self) -> None:
        self.prices = {"Dune": 9.5, "Emma": 7.0}

    async def close(self) -> None:
        log.append("price list closed")


class State(TypedDict):
    prices: PriceList


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[State]:
    log.append("starting")
    app.state.opened_by = "lifespan"
    prices = PriceList()
    yield {"prices": prices}
    await prices.close()
    log.append("stopped")


app = FastAPI(title="Bookshop", lifespan=lifespan)


@app.get("/prices/{title}")
def read_price(title: str, request: Request) -> dict[str, object]:
    prices: PriceList = request.state.prices
    return {
        "title": title,
        "price": prices.prices.get(title),
        "by": request.app.state.opened_by,
    }
