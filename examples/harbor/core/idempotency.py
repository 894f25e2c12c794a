"""Idempotency keys, enforced by a unique index on ``(partner_id, key)``.

A request first *inserts* its key (insert-first): the database lets exactly one request
per key through, whichever worker process it runs in; a concurrent twin waits on the index
until the first transaction ends, then finds the stored response and replays it. The key row
is written, with the response, in the same transaction as the order, so a failed request
leaves no key behind.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ForeignKey,
    Integer,
    Row,
    String,
    Text,
    UniqueConstraint,
    bindparam,
    delete,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from examples.harbor.core.database import Base, UTCDateTime
from examples.harbor.core.errors import DomainError, IdempotencyKeyReused

__all__ = ["IdempotencyKey", "StoredResponse", "claim_key", "fingerprint"]


class IdempotencyKey(Base):
    """A used key, the fingerprint of its request and the response it got."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("partner_id", "key", name="uq_idempotency_partner_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"))
    key: Mapped[str] = mapped_column(String(255))
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer)
    response_body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


@dataclass(frozen=True, slots=True)
class StoredResponse:
    """The response a key already got."""

    status_code: int
    body: str


class KeyInProgress(DomainError):
    """The key row kept changing under this request (expired and re-claimed concurrently)."""

    status_code = 409
    code = "idempotency_key_in_progress"


def fingerprint(operation: str, payload: Any) -> str:
    """SHA-256 of the operation and its validated payload in canonical JSON form.

    Two requests whose bodies differ only in spacing or key order share a fingerprint.
    """
    canonical = json.dumps([operation, payload], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


# Built once per dialect (both speak INSERT ... ON CONFLICT DO NOTHING RETURNING).
_KEYS = IdempotencyKey.__table__
_CLAIM = {
    dialect.__name__.rsplit(".", 1)[-1]: dialect.insert(_KEYS)
    .on_conflict_do_nothing(index_elements=["partner_id", "key"])
    .returning(_KEYS.c.id)
    for dialect in (postgresql, sqlite)
}
_EXISTING = select(_KEYS).where(
    _KEYS.c.partner_id == bindparam("partner_id"), _KEYS.c.key == bindparam("key")
)
_DELETE = delete(_KEYS).where(_KEYS.c.id == bindparam("id"))


async def claim_key(
    session: AsyncSession,
    partner_id: int,
    key: str,
    request_hash: str,
    response: StoredResponse,
    now: datetime,
    ttl: float,
) -> StoredResponse | None:
    """Claim `key` for this request and record `response` as its answer.

    Returns None when the key is new (the caller goes on and does the work in the same
    transaction), or the stored response of the first request on a replay. Raises
    `IdempotencyKeyReused` when the key was used with another payload. An expired key is
    deleted and claimed afresh.
    """
    expires = now.timestamp() + ttl
    values = {
        "partner_id": partner_id,
        "key": key,
        "request_hash": request_hash,
        "status_code": response.status_code,
        "response_body": response.body,
        "created_at": now,
        "expires_at": datetime.fromtimestamp(expires, now.tzinfo),
    }
    claim = _CLAIM[session.bind.dialect.name]
    where = {"partner_id": partner_id, "key": key}
    for _ in range(3):
        if await session.scalar(claim, values) is not None:
            return None
        existing = (await session.execute(_EXISTING, where)).first()
        if existing is None:
            continue  # deleted (expired) by a concurrent request between our two statements
        if existing.expires_at <= now:
            await session.execute(_DELETE, {"id": existing.id})
            continue
        return _replay(existing, request_hash)
    raise KeyInProgress("The key is being claimed concurrently; retry the request.")


def _replay(existing: Row[Any], request_hash: str) -> StoredResponse:
    if existing.request_hash != request_hash:
        raise IdempotencyKeyReused(
            "This Idempotency-Key was already used with a different request; use a new key."
        )
    return StoredResponse(existing.status_code, existing.response_body)
