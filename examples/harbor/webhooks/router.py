"""``/api/v1/webhooks/deliveries``: a partner's outbox, dead letters included.

A delivery the worker gave up on (``failed``, after ``HARBOR_WEBHOOK_MAX_ATTEMPTS`` attempts)
is the dead letter: it stays in the outbox with its attempt count and last error, listed
here and counted by the ``harbor_webhook_deliveries{status="failed"}`` gauge at ``/metrics``.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Annotated

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from examples.harbor.core.database import unit_of_work
from examples.harbor.core.dependencies import get_session
from examples.harbor.core.errors import error_responses, unavailable_responses
from examples.harbor.framework import APIRouter, Depends, Query
from examples.harbor.partners.auth import CurrentPartner, require_partner
from examples.harbor.webhooks.models import DELIVERED, FAILED, PENDING, WebhookDelivery

__all__ = ["router"]

# Every route here reads the database (the API key lookup first): each can answer the 503.
router = APIRouter(
    prefix="/webhooks",
    tags=["webhooks"],
    responses={**error_responses(401, 422), **unavailable_responses()},
)


class DeliveryStatus(str, Enum):
    """Where a delivery is: still being attempted, done, or given up on (dead letter)."""

    pending = PENDING
    delivered = DELIVERED
    failed = FAILED


class DeliveryOut(BaseModel):
    """One outbox row as its partner sees it."""

    event_id: str
    event_type: str
    status: DeliveryStatus
    attempts: int
    last_error: str | None
    next_attempt_at: datetime
    created_at: datetime
    delivered_at: datetime | None


@router.get("/deliveries", response_model=list[DeliveryOut])
async def list_deliveries(
    partner: Annotated[CurrentPartner, Depends(require_partner)],
    session: Annotated[AsyncSession, Depends(get_session)],
    status: DeliveryStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[DeliveryOut]:
    """Your webhook deliveries, oldest first; ``status=failed`` lists the dead letters."""
    query = select(WebhookDelivery).where(WebhookDelivery.partner_id == partner.id)
    if status is not None:
        query = query.where(WebhookDelivery.status == status.value)
    query = query.order_by(WebhookDelivery.id).limit(limit)
    async with unit_of_work(session):
        rows = (await session.scalars(query)).all()
        return [
            DeliveryOut(
                event_id=row.event_id,
                event_type=row.event_type,
                status=DeliveryStatus(row.status),
                attempts=row.attempts,
                last_error=row.last_error,
                next_attempt_at=row.next_attempt_at,
                created_at=row.created_at,
                delivered_at=row.delivered_at,
            )
            for row in rows
        ]
