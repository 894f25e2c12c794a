"""Creating partners and issuing their keys (used by the seed command and the tests)."""

from __future__ import annotations

import secrets

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from examples.harbor.core.database import utcnow
from examples.harbor.partners.keys import hash_api_key, new_api_key
from examples.harbor.partners.models import ApiKey, Partner

__all__ = ["issue_key", "upsert_partner"]


async def upsert_partner(session: AsyncSession, name: str, webhook_url: str | None) -> Partner:
    """The partner called `name`, created when missing; its webhook URL is set to `webhook_url`.

    Runs inside the caller's transaction.
    """
    partner = await session.scalar(select(Partner).where(Partner.name == name))
    if partner is None:
        partner = Partner(name=name, webhook_secret="whsec_" + secrets.token_urlsafe(32))
        session.add(partner)
    partner.webhook_url = webhook_url
    await session.flush()
    return partner


async def issue_key(
    session: AsyncSession, partner: Partner, pepper: str, *, revoke_old: bool
) -> str:
    """Issue a new API key for `partner` and return it (the only time it is visible)."""
    if revoke_old:
        await session.execute(
            update(ApiKey)
            .where(ApiKey.partner_id == partner.id, ApiKey.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )
    key = new_api_key()
    session.add(ApiKey(partner_id=partner.id, key_hash=hash_api_key(key, pepper), prefix=key[:10]))
    await session.flush()
    return key
