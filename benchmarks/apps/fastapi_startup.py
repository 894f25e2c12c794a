"""A realistic FastAPI app of N routes, for the start-up measurements (also run as Accord).

The shape issue 19 names: path, query and header parameters, bodies with nested models and
``EmailStr``, response models, a three-level dependency chain, and 20 routers included with a
prefix. Routes cycle through five kinds so that every size has the same mix.
"""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Header, Path, Query
from pydantic import BaseModel, EmailStr, Field

ROUTERS = 20


class Address(BaseModel):
    street: str = Field(min_length=1, max_length=200)
    city: str
    postcode: str = Field(pattern=r"^[A-Z0-9 -]{3,10}$")
    country: str = Field(min_length=2, max_length=2)


class Contact(BaseModel):
    name: str
    email: EmailStr
    phone: str | None = None
    addresses: list[Address] = []


class Line(BaseModel):
    sku: str
    quantity: int = Field(gt=0, le=1000)
    price: Decimal = Field(max_digits=12, decimal_places=2)


class OrderIn(BaseModel):
    customer: Contact
    lines: list[Line] = Field(min_length=1)
    note: str | None = Field(default=None, max_length=500)
    tags: set[str] = set()


class OrderOut(BaseModel):
    id: int
    customer: Contact
    lines: list[Line]
    total: Decimal
    created_at: datetime


class Page(BaseModel):
    items: list[OrderOut]
    total: int
    offset: int
    limit: int


def settings() -> dict[str, Any]:
    return {"page_limit": 100}


def database(config: Annotated[dict[str, Any], Depends(settings)]) -> dict[str, Any]:
    return {"config": config}


def current_user(
    db: Annotated[dict[str, Any], Depends(database)],
    authorization: Annotated[str | None, Header()] = None,
) -> dict[str, Any]:
    return {"db": db, "token": authorization}


User = Annotated[dict[str, Any], Depends(current_user)]

CONTACT = {"name": "Ada", "email": "ada@example.com", "addresses": []}
LINE = {"sku": "A-1", "quantity": 2, "price": "9.50"}


def order(order_id: int) -> dict[str, Any]:
    created = datetime(2026, 1, 1)
    return {
        "id": order_id,
        "customer": CONTACT,
        "lines": [LINE],
        "total": "19.00",
        "created_at": created,
    }


def first_route_path() -> str:
    """The path of route 0 (a GET of one order under the first router)."""
    return "/v0/orders0/7"


def _add_routes(router: APIRouter, i: int) -> None:
    kind = i % 5
    if kind == 0:

        @router.get(f"/orders{i}/{{order_id}}", response_model=OrderOut)
        async def read_order(order_id: Annotated[int, Path(ge=1)], user: User) -> Any:
            return order(order_id)

    elif kind == 1:

        @router.get(f"/orders{i}", response_model=Page)
        async def list_orders(
            user: User,
            offset: Annotated[int, Query(ge=0)] = 0,
            limit: Annotated[int, Query(ge=1, le=100)] = 20,
            status: Annotated[list[str] | None, Query()] = None,
            x_request_id: Annotated[str | None, Header()] = None,
        ) -> Any:
            return {"items": [order(1)], "total": 1, "offset": offset, "limit": limit}

    elif kind == 2:

        @router.post(f"/orders{i}", response_model=OrderOut, status_code=201)
        async def create_order(
            order_in: OrderIn, user: User, idempotency_key: Annotated[str, Header()]
        ) -> Any:
            return order(1)

    elif kind == 3:

        @router.put(f"/orders{i}/{{order_id}}/contact", response_model=Contact)
        async def replace_contact(order_id: int, contact: Contact, user: User) -> Any:
            return contact

    else:

        @router.delete(f"/orders{i}/{{order_id}}", status_code=204)
        async def cancel_order(
            order_id: int, user: User, reason: Annotated[str | None, Query(max_length=200)] = None
        ) -> None:
            return None


def build(n_routes: int) -> FastAPI:
    app = FastAPI()
    routers = [APIRouter() for _ in range(ROUTERS)]
    for i in range(n_routes):
        _add_routes(routers[i % ROUTERS], i)
    for number, router in enumerate(routers):
        app.include_router(router, prefix=f"/v{number}", tags=[f"part{number}"])
    return app
