"""The delivery worker: claims due outbox rows, POSTs them signed, and records the outcome.

Everything it knows lives in the outbox table, so a restarted process (or another worker
process) carries on where the last one stopped. A claimed row is leased: its next attempt is
pushed ``webhook_lease_seconds`` ahead before the POST, so a process that dies mid-delivery
only delays that delivery (delivery is at least once; receivers dedupe on the event id).
"""

from __future__ import annotations

import asyncio
import logging
import random
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from examples.harbor.core.config import Settings
from examples.harbor.core.database import utcnow
from examples.harbor.core.metrics import Metrics
from examples.harbor.partners.models import Partner
from examples.harbor.webhooks.models import DELIVERED, FAILED, PENDING, WebhookDelivery
from examples.harbor.webhooks.signing import SIGNATURE_HEADER, sign

__all__ = ["DeliveryWorker", "backoff_delay"]

logger = logging.getLogger("harbor.webhooks")


def backoff_delay(attempt: int, base: float, cap: float, rng: random.Random) -> float:
    """Seconds to wait after failed attempt number `attempt` (1-based).

    Exponential (``base * 2**(attempt-1)``, capped at `cap`) with "equal jitter": a random
    point in the upper half, so retries of many deliveries spread out but never shrink to 0.
    """
    ceiling = min(cap, base * 2 ** min(attempt - 1, 62))
    return ceiling / 2 + rng.uniform(0, ceiling / 2)


@dataclass(frozen=True, slots=True)
class _Claimed:
    id: int
    event_id: str
    event_type: str
    url: str
    payload: str
    secret: str
    attempt: int


class DeliveryWorker:
    """Deliver the outbox until stopped. Started and stopped by the app's lifespan."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        client: httpx.AsyncClient,
        settings: Settings,
        metrics: Metrics,
        rng: random.Random | None = None,
    ) -> None:
        self.sessions = sessions
        self.client = client
        self.settings = settings
        self.metrics = metrics
        self.rng = rng or random.Random()
        self.released = 0  # leases handed back at shutdown (logged, and read by tests)

    async def run(self, stop: asyncio.Event) -> None:
        """Poll the outbox until `stop` is set; an iteration's failure never ends the loop.

        Cancelled (the lifespan's shutdown grace ran out), it hands back the leases of the
        deliveries it had not finished, so another process attempts them at once.
        """
        while not stop.is_set():
            try:
                handled = await self.run_once()
            except Exception:
                logger.exception("webhook delivery round failed")
                handled = 0
            if handled < self.settings.webhook_batch_size:
                with suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(stop.wait(), self.settings.webhook_poll_interval)

    async def run_once(self) -> int:
        """Claim the due deliveries, attempt each once; how many were attempted."""
        claimed = await self._claim(utcnow())
        if not claimed:
            return 0
        unfinished = {item.id: item for item in claimed}
        try:
            await asyncio.gather(*(self._attempt(item, unfinished) for item in claimed))
        except asyncio.CancelledError:
            await self._release(list(unfinished.values()))
            raise
        return len(claimed)

    async def _release(self, items: list[_Claimed]) -> None:
        # Only rows still pending: one whose outcome was recorded keeps it. The attempt
        # stays counted (the receiver may have seen it; it dedupes on the event id).
        if items:
            async with self.sessions() as session, session.begin():
                await session.execute(
                    update(WebhookDelivery)
                    .where(
                        WebhookDelivery.id.in_([item.id for item in items]),
                        WebhookDelivery.status == PENDING,
                    )
                    .values(next_attempt_at=utcnow(), last_error="interrupted by shutdown")
                )
        self.released += len(items)
        logger.info("webhook leases released", extra={"released": len(items)})

    async def _claim(self, now: datetime) -> list[_Claimed]:
        query = (
            select(WebhookDelivery, Partner.webhook_secret)
            .join(Partner, Partner.id == WebhookDelivery.partner_id)
            .where(WebhookDelivery.status == PENDING, WebhookDelivery.next_attempt_at <= now)
            .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
            .limit(self.settings.webhook_batch_size)
        )
        lease = now + timedelta(seconds=self.settings.webhook_lease_seconds)
        async with self.sessions() as session, session.begin():
            if session.bind.dialect.name == "postgresql":
                # Several worker processes poll at once: each skips rows another has locked.
                query = query.with_for_update(skip_locked=True, of=WebhookDelivery)
            rows = (await session.execute(query)).all()
            for delivery, _ in rows:
                delivery.attempts += 1
                delivery.next_attempt_at = lease
        return [
            _Claimed(d.id, d.event_id, d.event_type, d.url, d.payload, secret, d.attempts)
            for d, secret in rows
        ]

    async def _attempt(self, item: _Claimed, unfinished: dict[int, _Claimed]) -> None:
        body = item.payload.encode()
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "Harbor-Webhooks/1.0",
            "Harbor-Event-Id": item.event_id,
            "Harbor-Event-Type": item.event_type,
            SIGNATURE_HEADER: sign(item.secret, body),
        }
        error: str | None = None
        try:
            response = await self.client.post(
                item.url, content=body, headers=headers, timeout=self.settings.webhook_timeout
            )
            if not response.is_success:
                error = f"receiver answered {response.status_code}"
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"[:500]
        await self._record(item, error)
        unfinished.pop(item.id, None)

    async def _record(self, item: _Claimed, error: str | None) -> None:
        now = utcnow()
        values: dict[str, object]
        delay: float | None = None
        if error is None:
            values = {"status": DELIVERED, "delivered_at": now, "last_error": None}
            outcome = "delivered"
        elif item.attempt >= self.settings.webhook_max_attempts:
            values = {"status": FAILED, "last_error": error}
            outcome = "failed"
        else:
            delay = backoff_delay(
                item.attempt,
                self.settings.webhook_backoff_base,
                self.settings.webhook_backoff_max,
                self.rng,
            )
            values = {"next_attempt_at": now + timedelta(seconds=delay), "last_error": error}
            outcome = "retry"
        async with self.sessions() as session, session.begin():
            await session.execute(
                update(WebhookDelivery).where(WebhookDelivery.id == item.id).values(values)
            )
        self.metrics.webhook_attempts.labels(outcome).inc()
        logger.info(
            "webhook attempt",
            extra={
                "event_id": item.event_id,
                "attempt": item.attempt,
                "outcome": outcome,
                "error": error,
                "retry_in_s": delay,  # the jittered backoff before the next attempt
            },
        )
