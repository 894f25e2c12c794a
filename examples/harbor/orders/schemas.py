"""What partners send and what they get back. Internal fields never appear here."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from enum import Enum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field

from examples.harbor.orders.models import Order
from examples.harbor.orders.states import OrderStatus

__all__ = [
    "Currency",
    "OrderCreate",
    "OrderLineIn",
    "OrderLineOut",
    "OrderPage",
    "OrderPublic",
    "StatusChange",
    "UTCTimestamp",
]


class Currency(str, Enum):
    """The ISO 4217 currencies Harbor settles (all with two minor digits)."""

    AUD = "AUD"
    CAD = "CAD"
    CHF = "CHF"
    DKK = "DKK"
    EUR = "EUR"
    GBP = "GBP"
    NOK = "NOK"
    PLN = "PLN"
    SEK = "SEK"
    USD = "USD"


def _to_utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError("the instant is outside the supported range") from None


UTCTimestamp = Annotated[datetime, AfterValidator(_to_utc)]
"""A datetime taken as UTC when it carries no offset, converted to UTC otherwise."""

Money = Annotated[Decimal, Field(gt=0, max_digits=12, decimal_places=2, examples=["19.99"])]


class OrderLineIn(BaseModel):
    """One line of a new order."""

    model_config = ConfigDict(extra="forbid")

    sku: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$", examples=["HB-1042"])
    quantity: int = Field(ge=1, le=999)
    unit_price: Money


class OrderCreate(BaseModel):
    """A new order: its lines, currency and the customer to bill."""

    model_config = ConfigDict(extra="forbid")

    customer_email: EmailStr
    currency: Currency
    lines: list[OrderLineIn] = Field(min_length=1, max_length=100)


class OrderLineOut(BaseModel):
    """One line of an order, with its total."""

    sku: str
    quantity: int
    unit_price: Decimal
    line_total: Decimal


class OrderPublic(BaseModel):
    """An order as partners see it."""

    id: str = Field(examples=["ord_4f1c2a9e8b7d6c5a4f3e2d1c"])
    status: OrderStatus
    currency: Currency
    customer_email: str
    lines: list[OrderLineOut]
    total: Decimal
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, order: Order) -> OrderPublic:
        """The public view of a stored order (its lines must be loaded)."""
        return cls(
            id=order.public_id,
            status=OrderStatus(order.status),
            currency=Currency(order.currency),
            customer_email=order.customer_email,
            lines=[
                OrderLineOut(
                    sku=line.sku,
                    quantity=line.quantity,
                    unit_price=from_minor(line.unit_price_minor),
                    line_total=from_minor(line.line_total_minor),
                )
                for line in order.lines
            ],
            total=from_minor(order.total_minor),
            created_at=order.created_at,
            updated_at=order.updated_at,
        )


class OrderPage(BaseModel):
    """One page of orders, newest first; pass ``next_cursor`` back to get the next page."""

    items: list[OrderPublic]
    next_cursor: str | None


class StatusChange(BaseModel):
    """The status an order should move to."""

    model_config = ConfigDict(extra="forbid")

    status: OrderStatus


def to_minor(amount: Decimal) -> int:
    """Cents from a two-decimal amount (exact: the amount was validated to two places)."""
    return int(amount.scaleb(2))


def from_minor(minor: int) -> Decimal:
    """A two-decimal amount from cents."""
    return Decimal(minor).scaleb(-2)
