"""Every table of the app, gathered so that ``metadata`` is complete (Alembic compares it)."""

from __future__ import annotations

from examples.harbor.audit.models import AuditEntry
from examples.harbor.core.database import Base
from examples.harbor.core.idempotency import IdempotencyKey
from examples.harbor.orders.models import Order, OrderLine
from examples.harbor.partners.models import ApiKey, Partner
from examples.harbor.webhooks.models import WebhookDelivery

__all__ = [
    "ApiKey",
    "AuditEntry",
    "IdempotencyKey",
    "Order",
    "OrderLine",
    "Partner",
    "WebhookDelivery",
    "metadata",
]

metadata = Base.metadata
