"""The ``/api/v1/orders`` endpoints: HTTP in, service call, HTTP out."""

from __future__ import annotations

from typing import Annotated

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from examples.harbor.core.config import Settings
from examples.harbor.core.context import current_request, note_order
from examples.harbor.core.dependencies import (
    Clock,
    get_clock,
    get_metrics,
    get_session,
    get_settings,
)
from examples.harbor.core.errors import error_responses, unavailable_responses
from examples.harbor.core.metrics import Metrics
from examples.harbor.framework import APIRouter, Depends, Header, Path, Query
from examples.harbor.orders import service
from examples.harbor.orders.schemas import (
    OrderCreate,
    OrderPage,
    OrderPublic,
    StatusChange,
    UTCTimestamp,
)
from examples.harbor.orders.states import OrderStatus
from examples.harbor.partners.auth import CurrentPartner, require_partner

__all__ = ["router"]

# Every route here reads the database (the API key lookup first): each can answer the 503.
router = APIRouter(
    prefix="/orders",
    tags=["orders"],
    responses={**error_responses(401, 422), **unavailable_responses()},
)

Session = Annotated[AsyncSession, Depends(get_session)]
Partner = Annotated[CurrentPartner, Depends(require_partner)]
Now = Annotated[Clock, Depends(get_clock)]
OrderId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_]{1,64}$", examples=["ord_4f1c2a9e8b7d6c5a"])]
IdempotencyKey = Annotated[
    str,
    Header(
        alias="Idempotency-Key",
        pattern=r"^[\x21-\x7e]{1,255}$",
        description="A unique key per order you create; retries with it never create twice.",
    ),
]


@router.post(
    "",
    status_code=201,
    response_model=OrderPublic,
    response_description="The order, or on a replay the stored first answer.",
    responses=error_responses(400),
)
async def create_order(
    body: OrderCreate,
    idempotency_key: IdempotencyKey,
    partner: Partner,
    session: Session,
    clock: Now,
    settings: Annotated[Settings, Depends(get_settings)],
    metrics: Annotated[Metrics, Depends(get_metrics)],
) -> Response:
    """Create an order. Retrying with the same ``Idempotency-Key`` returns the first answer."""
    created = await service.create_order(
        session, partner, body, idempotency_key, clock(), settings.idempotency_ttl_seconds
    )
    headers = {"Idempotent-Replayed": "true"} if created.replayed else None
    if created.order_id is not None:
        note_order(created.order_id)
        metrics.orders_created.inc()
    return Response(
        created.response.body,
        status_code=created.response.status_code,
        headers=headers,
        media_type="application/json",
    )


@router.get("", response_model=OrderPage)
async def list_orders(
    partner: Partner,
    session: Session,
    status: OrderStatus | None = None,
    created_from: Annotated[UTCTimestamp | None, Query()] = None,
    created_to: Annotated[UTCTimestamp | None, Query()] = None,
    cursor: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> OrderPage:
    """Your orders, newest first, filtered by status and creation time (``from`` <= t < ``to``)."""
    where = service.OrderFilter(status, created_from, created_to)
    return await service.list_orders(session, partner, where, cursor, limit)


@router.get("/{order_id}", response_model=OrderPublic, responses=error_responses(404))
async def get_order(order_id: OrderId, partner: Partner, session: Session) -> OrderPublic:
    """One of your orders; other partners' orders answer 404."""
    note_order(order_id)
    return await service.get_order(session, partner, order_id)


@router.patch(
    "/{order_id}/status", response_model=OrderPublic, responses=error_responses(400, 404, 409)
)
async def change_status(
    order_id: OrderId, change: StatusChange, partner: Partner, session: Session, clock: Now
) -> OrderPublic:
    """Move an order through ``pending -> authorized -> captured`` (or cancel, or refund).

    Allowed: pending -> authorized | cancelled; authorized -> captured | cancelled;
    captured -> refunded. Anything else answers 409 ``invalid_transition``.
    """
    note_order(order_id)
    context = current_request()
    request_id = context.request_id if context is not None else None
    return await service.change_status(
        session, partner, order_id, change.status, request_id, clock()
    )
