"""Order use cases. Each runs in one transaction and raises domain errors, never HTTP ones."""

from __future__ import annotations

import base64
import binascii
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, insert, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from examples.harbor.audit.models import AuditEntry
from examples.harbor.core.database import unit_of_work
from examples.harbor.core.errors import InvalidCursor, OrderNotFound
from examples.harbor.core.idempotency import StoredResponse, claim_key, fingerprint
from examples.harbor.orders.models import Order, OrderLine
from examples.harbor.orders.schemas import (
    OrderCreate,
    OrderLineOut,
    OrderPage,
    OrderPublic,
    from_minor,
    to_minor,
)
from examples.harbor.orders.states import OrderStatus, check_transition
from examples.harbor.partners.auth import CurrentPartner
from examples.harbor.webhooks.outbox import enqueue_event

__all__ = ["Created", "change_status", "create_order", "get_order", "list_orders"]

CREATE_OPERATION = "POST /api/v1/orders"


# Core statements built once (reused objects skip SQLAlchemy's per-call construction).
# No explicit RETURNING: SQLAlchemy reads the new key the cheapest way the driver offers
# (RETURNING on PostgreSQL, the cursor's lastrowid on SQLite: one call fewer into its thread).
_INSERT_ORDER = insert(Order.__table__)
_INSERT_LINES = insert(OrderLine.__table__)


@dataclass(frozen=True, slots=True)
class Created:
    """The answer to a create: the serialized order, and whether it is a replay."""

    response: StoredResponse
    replayed: bool
    order_id: str | None = None


async def create_order(
    session: AsyncSession,
    partner: CurrentPartner,
    body: OrderCreate,
    idempotency_key: str,
    now: datetime,
    ttl: float,
) -> Created:
    """Create an order once per idempotency key; a replay returns the first response.

    The whole answer is known before the database is touched (ids and totals are computed
    here), so the key row is inserted with its response in one statement, then the order
    and its lines; all in the request's transaction.
    """
    request_hash = fingerprint(CREATE_OPERATION, body.model_dump(mode="json"))
    lines = _lines(body)
    order = _new_order(partner.id, body, lines, now)
    public = _public(order, body).model_dump_json()
    async with unit_of_work(session):
        claim = await claim_key(
            session,
            partner.id,
            idempotency_key,
            request_hash,
            StoredResponse(201, public),
            now,
            ttl,
        )
        if claim is not None:
            return Created(claim, replayed=True)
        inserted = await session.execute(_INSERT_ORDER, order)
        order_pk = inserted.inserted_primary_key[0]
        await session.execute(_INSERT_LINES, [{**line, "order_id": order_pk} for line in lines])
    return Created(StoredResponse(201, public), replayed=False, order_id=order["public_id"])


def _lines(body: OrderCreate) -> list[dict[str, Any]]:
    return [
        {
            "position": position,
            "sku": line.sku,
            "quantity": line.quantity,
            "unit_price_minor": to_minor(line.unit_price),
            "line_total_minor": to_minor(line.unit_price) * line.quantity,
        }
        for position, line in enumerate(body.lines)
    ]


def _new_order(
    partner_id: int, body: OrderCreate, lines: list[dict[str, Any]], now: datetime
) -> dict[str, Any]:
    return {
        "public_id": "ord_" + secrets.token_hex(12),
        "partner_id": partner_id,
        "status": OrderStatus.pending.value,
        "currency": body.currency.value,
        "customer_email": body.customer_email,
        "total_minor": sum(line["line_total_minor"] for line in lines),
        "created_at": now,
        "updated_at": now,
    }


def _public(order: dict[str, Any], body: OrderCreate) -> OrderPublic:
    return OrderPublic(
        id=order["public_id"],
        status=OrderStatus.pending,
        currency=body.currency,
        customer_email=order["customer_email"],
        lines=[
            OrderLineOut(
                sku=line.sku,
                quantity=line.quantity,
                unit_price=line.unit_price,
                line_total=from_minor(to_minor(line.unit_price) * line.quantity),
            )
            for line in body.lines
        ],
        total=from_minor(order["total_minor"]),
        created_at=order["created_at"],
        updated_at=order["updated_at"],
    )


def _owned(partner: CurrentPartner, order_id: str) -> Select[Any]:
    return (
        select(Order)
        .where(Order.public_id == order_id, Order.partner_id == partner.id)
        .options(selectinload(Order.lines))
    )


async def get_order(session: AsyncSession, partner: CurrentPartner, order_id: str) -> OrderPublic:
    """The partner's order `order_id`; `OrderNotFound` for unknown ones and other partners'."""
    async with unit_of_work(session):
        order = await session.scalar(_owned(partner, order_id))
        if order is None:
            raise OrderNotFound(f"No order '{order_id}'.")
        return OrderPublic.of(order)


@dataclass(frozen=True, slots=True)
class OrderFilter:
    """What `list_orders` narrows the partner's orders by."""

    status: OrderStatus | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None


async def list_orders(
    session: AsyncSession,
    partner: CurrentPartner,
    where: OrderFilter,
    cursor: str | None,
    limit: int,
) -> OrderPage:
    """One page of the partner's orders, newest first, after `cursor`."""
    query = select(Order).where(Order.partner_id == partner.id)
    if where.status is not None:
        query = query.where(Order.status == where.status.value)
    if where.created_from is not None:
        query = query.where(Order.created_at >= where.created_from)
    if where.created_to is not None:
        query = query.where(Order.created_at < where.created_to)
    if cursor is not None:
        query = query.where(Order.id < decode_cursor(cursor))
    query = query.order_by(Order.id.desc()).limit(limit + 1).options(selectinload(Order.lines))
    async with unit_of_work(session):
        orders = list((await session.scalars(query)).all())
        items = [OrderPublic.of(order) for order in orders[:limit]]
    next_cursor = encode_cursor(orders[limit - 1].id) if len(orders) > limit else None
    return OrderPage(items=items, next_cursor=next_cursor)


def encode_cursor(order_pk: int) -> str:
    """An opaque cursor pointing just after the order with internal id `order_pk`."""
    return base64.urlsafe_b64encode(f"o:{order_pk}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    """The internal id a cursor points after; `InvalidCursor` for anything else."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        tag, _, number = raw.partition(":")
        if tag != "o" or not number.isdigit() or len(number) > 18:
            raise ValueError(raw)
        return int(number)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InvalidCursor("The cursor is not one this API returned.") from None


async def change_status(
    session: AsyncSession,
    partner: CurrentPartner,
    order_id: str,
    target: OrderStatus,
    request_id: str | None,
    now: datetime,
) -> OrderPublic:
    """Move an order to `target`; audit row and webhook event commit with the change."""
    async with unit_of_work(session):
        order = await session.scalar(_owned(partner, order_id).with_for_update(of=Order))
        if order is None:
            raise OrderNotFound(f"No order '{order_id}'.")
        current = OrderStatus(order.status)
        check_transition(current, target)
        order.status = target.value
        order.updated_at = now
        session.add(
            AuditEntry(
                order_id=order.id,
                actor_partner_id=partner.id,
                from_status=current.value,
                to_status=target.value,
                request_id=request_id,
                created_at=now,
            )
        )
        public = OrderPublic.of(order)
        if partner.webhook_url:
            enqueue_event(
                session,
                partner_id=partner.id,
                url=partner.webhook_url,
                event_type=f"order.{target.value}",
                data={"order": public.model_dump(mode="json"), "previous_status": current.value},
                now=now,
            )
    return public
