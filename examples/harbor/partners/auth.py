"""Who is calling: the ``X-API-Key`` header resolved to a partner."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from examples.harbor.core.config import Settings
from examples.harbor.core.dependencies import get_session, get_settings
from examples.harbor.core.errors import NotAuthenticated
from examples.harbor.framework import APIKeyHeader, Depends, Security
from examples.harbor.partners.keys import hash_api_key
from examples.harbor.partners.models import ApiKey, Partner

__all__ = ["CurrentPartner", "require_partner"]

api_key_header = APIKeyHeader(
    name="X-API-Key", auto_error=False, description="The partner's API key."
)


# Built once: a statement object is reused, so SQLAlchemy's compiled form is found by
# identity instead of being rebuilt and re-keyed on every request.
_PARTNER_BY_KEY = (
    select(Partner.id, Partner.name, Partner.webhook_url)
    .join(ApiKey, ApiKey.partner_id == Partner.id)
    .where(ApiKey.key_hash == bindparam("digest"), ApiKey.revoked_at.is_(None))
)


@dataclass(frozen=True, slots=True)
class CurrentPartner:
    """The authenticated partner, detached from any session."""

    id: int
    name: str
    webhook_url: str | None


async def require_partner(
    api_key: Annotated[str | None, Security(api_key_header)],
    session: Annotated[AsyncSession, Depends(get_session)],
    settings: Annotated[Settings, Depends(get_settings)],
) -> CurrentPartner:
    """Dependency: the partner owning the request's API key; 401 when there is none."""
    if not api_key:
        raise NotAuthenticated("Send your API key in the X-API-Key header.")
    digest = hash_api_key(api_key, settings.api_key_pepper.get_secret_value())
    # This opens the request's transaction; the endpoint's unit of work continues it.
    row = (await session.execute(_PARTNER_BY_KEY, {"digest": digest})).first()
    if row is None:
        await session.rollback()
        raise NotAuthenticated("The API key is not valid.")
    return CurrentPartner(row.id, row.name, row.webhook_url)
