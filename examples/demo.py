"""A small Accord app: what `make run` serves until the Harbor Payments example lands.

Run it with ``make run`` (or ``python -m examples.demo``) and open http://127.0.0.1:8000/docs.
"""

from __future__ import annotations

import secrets
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, EmailStr, Field

from accord import APIRouter, Depends, FastAPI, Header, HTTPException, Query, status


class Line(BaseModel):
    sku: str = Field(min_length=1, max_length=64)
    quantity: int = Field(ge=1)
    unit_price: Decimal = Field(gt=0, decimal_places=2)


class OrderIn(BaseModel):
    customer_email: EmailStr
    currency: str = Field(pattern="^[A-Z]{3}$")
    lines: list[Line] = Field(min_length=1)


class OrderOut(BaseModel):
    id: int
    customer_email: EmailStr
    currency: str
    total: Decimal


class Store:
    """In-memory orders; the real example keeps them in a database."""

    def __init__(self) -> None:
        self.orders: dict[int, OrderOut] = {}


store = Store()


def get_store() -> Store:
    return store


def require_partner(x_api_key: Annotated[str, Header()]) -> str:
    if not secrets.compare_digest(x_api_key.encode(), b"demo-key"):
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "Invalid API key")
    return "demo-partner"


router = APIRouter(prefix="/orders", tags=["orders"], dependencies=[Depends(require_partner)])


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_order(order: OrderIn, db: Annotated[Store, Depends(get_store)]) -> OrderOut:
    """Create an order; the total is computed from its lines."""
    total = sum((line.unit_price * line.quantity for line in order.lines), Decimal("0"))
    created = OrderOut(
        id=len(db.orders) + 1,
        customer_email=order.customer_email,
        currency=order.currency,
        total=total,
    )
    db.orders[created.id] = created
    return created


@router.get("")
async def list_orders(
    db: Annotated[Store, Depends(get_store)], limit: Annotated[int, Query(le=100)] = 20
) -> list[OrderOut]:
    """The most recent orders."""
    return list(db.orders.values())[-limit:]


@router.get("/{order_id}")
async def get_order(order_id: int, db: Annotated[Store, Depends(get_store)]) -> OrderOut:
    """One order by id."""
    if order_id not in db.orders:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Order not found")
    return db.orders[order_id]


app = FastAPI(title="Accord demo", version="0.1.0")
app.include_router(router)


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


def main() -> None:
    import uvicorn

    print("Accord demo on http://127.0.0.1:8000 (docs at /docs, API key: demo-key)")
    uvicorn.run(app, host="127.0.0.1", port=8000)


if __name__ == "__main__":
    main()
