"""Routes fed by hypothesis-generated query strings and JSON bodies."""

import enum
from typing import Annotated, Literal

import fw
from pydantic import BaseModel, Field


class Sort(str, enum.Enum):
    asc = "asc"
    desc = "desc"


class Line(BaseModel):
    sku: str = Field(min_length=1, max_length=8)
    quantity: int = Field(ge=1, le=1000)
    price: float | None = None


class Order(BaseModel):
    customer: str
    lines: list[Line] = Field(max_length=5)
    priority: Literal["low", "high"] = "low"
    note: str | None = None
    discount: int | float = 0
    meta: dict[str, int] = {}


app = fw.FastAPI()


@app.get("/search")
def search(
    q: Annotated[str | None, fw.Query(max_length=20)] = None,
    page: Annotated[int, fw.Query(ge=1, le=100)] = 1,
    sort: Sort = Sort.asc,
    tags: Annotated[list[int], fw.Query()] = [],
    flag: bool = False,
    price: float | None = None,
):
    return {"q": q, "page": page, "sort": sort, "tags": tags, "flag": flag, "price": price}


@app.post("/orders", status_code=201)
def create_order(order: Order, dry_run: bool = False) -> Order:
    return order
