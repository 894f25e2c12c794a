"""Putting events in the outbox, inside the transaction that caused them."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from examples.harbor.webhooks.models import DELIVERED, FAILED, PENDING, WebhookDelivery

__all__ = ["count_by_status", "enqueue_event"]

_COUNTS = select(WebhookDelivery.status, func.count()).group_by(WebhookDelivery.status)


def enqueue_event(
    session: AsyncSession,
    *,
    partner_id: int,
    url: str,
    event_type: str,
    data: dict[str, Any],
    now: datetime,
) -> str:
    """Add one delivery to the outbox (committed with the caller's transaction); its event id."""
    event_id = "evt_" + uuid.uuid4().hex
    payload = {"id": event_id, "type": event_type, "created_at": now.isoformat(), "data": data}
    session.add(
        WebhookDelivery(
            partner_id=partner_id,
            event_id=event_id,
            event_type=event_type,
            url=url,
            payload=json.dumps(payload, separators=(",", ":")),
            status=PENDING,
            attempts=0,
            next_attempt_at=now,
            created_at=now,
        )
    )
    return event_id


async def count_by_status(session: AsyncSession) -> dict[str, int]:
    """How many outbox rows are pending, delivered and failed (dead letters)."""
    counts = dict.fromkeys((PENDING, DELIVERED, FAILED), 0)
    async with session.begin():
        counts.update({status: n for status, n in (await session.execute(_COUNTS)).all()})
    return counts
