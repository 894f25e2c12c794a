"""Data shapes and fixtures shared by the benchmark apps.

Every app validates with the same Pydantic models (or, for hand-written Starlette, by hand with
the same rules), so that the apps differ only in the framework around them.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, EmailStr, Field

HELLO = "Hello, World!"


class OrderLine(BaseModel):
    sku: Annotated[str, Field(min_length=1, max_length=32)]
    quantity: Annotated[int, Field(ge=1)]
    unit_price: Annotated[Decimal, Field(gt=0)]


class OrderIn(BaseModel):
    customer_email: EmailStr
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
    lines: Annotated[list[OrderLine], Field(min_length=1)]


class OrderBase(BaseModel):
    id: int
    customer_email: str
    currency: str
    lines: list[OrderLine]
    total: Decimal


class OrderPublic(OrderBase):
    """What a client may see of an order."""


class OrderRecord(OrderBase):
    """What the store keeps: the order plus a field that must never leave the server."""

    risk_score: float


def store_order(order: OrderIn) -> OrderRecord:
    """Pretend to persist an order; the id and the risk score come from the 'store'."""
    total = sum((line.unit_price * line.quantity for line in order.lines), Decimal(0))
    return OrderRecord(
        id=1001,
        customer_email=order.customer_email,
        currency=order.currency,
        lines=order.lines,
        total=total,
        risk_score=0.02,
    )


class Settings(BaseModel):
    app_name: str = "bench"
    token_prefix: str = "tok-"


SETTINGS = Settings()


class UserInDB(BaseModel):
    id: int
    username: str
    email: str
    full_name: str
    hashed_password: str


class Profile(BaseModel):
    id: int
    username: str
    email: str
    full_name: str


USERS = {
    "tok-ada": UserInDB(
        id=7,
        username="ada",
        email="ada@example.com",
        full_name="Ada Lovelace",
        hashed_password="$2b$12$not-a-real-hash",
    )
}


class Session:
    """A stand-in for a database session: opened per request, closed after the response."""

    __slots__ = ("closed", "settings", "users")

    def __init__(self, settings: Settings, users: Mapping[str, Any] = USERS) -> None:
        self.settings = settings
        self.users = users  # another app's copy of the same records (msgspec Structs)
        self.closed = False

    def user_for_token(self, token: str) -> Any:
        if not token.startswith(self.settings.token_prefix):
            return None
        return self.users.get(token)

    def close(self) -> None:
        self.closed = True


class Dimensions(BaseModel):
    width: float
    height: float
    depth: float


class Item(BaseModel):
    id: int
    name: str
    price: float
    in_stock: bool
    tags: list[str]
    dimensions: Dimensions


def _row(i: int) -> dict[str, Any]:
    return {
        "id": i,
        "name": f"item-{i}",
        "price": round(1.5 + i * 0.25, 2),
        "in_stock": i % 3 != 0,
        "tags": ["bench", f"group-{i % 5}"],
        "dimensions": {"width": 1.0 + i, "height": 2.0, "depth": 0.5},
        # Stored but not public: response_model=list[Item] must drop it.
        "supplier_cost": 0.75 + i * 0.1,
    }


ITEM_ROWS: list[dict[str, Any]] = [_row(i) for i in range(100)]
