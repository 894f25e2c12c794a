"""Fixtures of the fault scenarios: a migrated PostgreSQL database, partners, the report."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from examples.harbor.core.config import Settings
from examples.harbor.core.database import Database
from examples.harbor.partners.service import issue_key, upsert_partner
from tests.harbor.conftest import PEPPER
from tests.harbor.served import harbor_env

# Faster than production so that a scenario fits its time budget; the mechanisms are the same.
SERVER_SETTINGS: dict[str, Any] = {
    "migrate_on_startup": "false",
    "webhook_poll_interval": 0.05,
    "webhook_backoff_base": 0.1,
    "webhook_backoff_max": 0.5,
    "webhook_timeout": 2.0,
    "webhook_lease_seconds": 2.0,
    "db_pool_size": 4,
    "docs_enabled": "false",
}


@dataclass(frozen=True)
class Partner:
    api_key: str
    webhook_secret: str


@pytest.fixture
def add_partner(database_url: str) -> Callable[[str, str | None], Partner]:
    """Create a partner (and an API key) directly in the database."""

    def add(name: str, webhook_url: str | None) -> Partner:
        async def run() -> Partner:
            database = Database(Settings(_env_file=None, database_url=database_url))
            try:
                async with database.sessions() as session, session.begin():
                    partner = await upsert_partner(session, name, webhook_url)
                    key = await issue_key(session, partner, PEPPER, revoke_old=False)
                    return Partner(key, partner.webhook_secret)
            finally:
                await database.dispose()

        return asyncio.run(run())

    return add


@pytest.fixture
def server_env(database_url: str) -> Callable[..., dict[str, str]]:
    def make(**overrides: Any) -> dict[str, str]:
        return harbor_env(database_url, PEPPER, **{**SERVER_SETTINGS, **overrides})

    return make


# What every scenario prints first (the columns of the tables in SECURITY.md and the README).
HEADLINE = ("requests", "2xx", "retries", "kills", "orders_in_db", "duplicates", "lost")


def database_kind(url: str) -> str:
    return "sqlite" if url.startswith("sqlite") else "postgresql"


@pytest.fixture
def report(
    capsys: pytest.CaptureFixture[str], database_url: str
) -> Callable[[str, dict[str, Any]], None]:
    """Print a scenario's figures past pytest's capture (they go in the docs)."""

    def write(scenario: str, figures: dict[str, Any]) -> None:
        missing = [name for name in HEADLINE if name not in figures]
        assert not missing, f"the {scenario} scenario does not report {missing}"
        ordered = {name: figures[name] for name in HEADLINE} | figures
        line = json.dumps(ordered, default=str)
        with capsys.disabled():
            print(f"\n[harbor faults] {scenario} ({database_kind(database_url)}): {line}")

    return write


def load_figures(load: Any, **more: Any) -> dict[str, Any]:
    f = load.figures
    return {
        "requests": f.requests,
        "2xx": f.ok,
        "retries": f.retries,
        "statuses": dict(sorted(f.statuses.items())),
        "connection_errors": dict(f.errors),
        "acknowledged_orders": len(load.acked),
        **more,
    }
