"""Preparing a database for a demo: migrate, then create the demo partner and a fresh key."""

from __future__ import annotations

from dataclasses import dataclass

from examples.harbor.core.config import Settings
from examples.harbor.core.database import Database
from examples.harbor.core.migrations import upgrade
from examples.harbor.partners.service import issue_key, upsert_partner

__all__ = ["DEMO_PARTNER", "DemoPartner", "prepare_demo"]

DEMO_PARTNER = "Demo Partner"


@dataclass(frozen=True, slots=True)
class DemoPartner:
    """The seeded partner's API key and webhook secret, shown once."""

    api_key: str
    webhook_secret: str


async def prepare_demo(settings: Settings, webhook_url: str | None = None) -> DemoPartner:
    """Create or migrate the database, then seed the demo partner with a new API key.

    The demo partner's earlier keys are revoked: only the key printed last works.
    """
    database = Database(settings)
    try:
        await upgrade(database.engine)
        async with database.sessions() as session, session.begin():
            partner = await upsert_partner(session, DEMO_PARTNER, webhook_url)
            pepper = settings.api_key_pepper.get_secret_value()
            key = await issue_key(session, partner, pepper, revoke_old=True)
            return DemoPartner(key, partner.webhook_secret)
    finally:
        await database.dispose()
