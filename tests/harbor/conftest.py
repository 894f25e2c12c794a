"""Harbor test fixtures: a fresh database per test, on SQLite and on a real PostgreSQL.

Every test that takes ``harbor`` (or ``database_url``) runs twice: once on a SQLite file and
once on a throwaway PostgreSQL server started for the session. Both are migrated once: each
SQLite test gets a copy of a migrated file, each PostgreSQL test the session's database with
every table truncated (identities restarted), so a test starts from the real, empty schema.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import shutil
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
from sqlalchemy import func, select
from starlette.testclient import TestClient

from accord import Accord
from examples.harbor.core.config import Settings
from examples.harbor.core.database import Database
from examples.harbor.core.logging import JSONFormatter
from examples.harbor.core.migrations import upgrade
from examples.harbor.main import create_app
from examples.harbor.partners.service import issue_key, upsert_partner
from examples.harbor.tables import metadata
from tests.harbor.pg_cluster import PostgresCluster, find_bindir

T = TypeVar("T")
IN_CI = os.environ.get("CI") == "true"
PEPPER = "test-pepper"
SHARED_DB = "harbor_tests"


def order_body(**overrides: Any) -> dict[str, Any]:
    """A valid order creation body."""
    body: dict[str, Any] = {
        "customer_email": "ada@example.com",
        "currency": "EUR",
        "lines": [
            {"sku": "HB-1", "quantity": 2, "unit_price": "9.99"},
            {"sku": "HB-2", "quantity": 1, "unit_price": "100.50"},
        ],
    }
    body.update(overrides)
    return body


async def migrate(url: str) -> None:
    database = Database(Settings(_env_file=None, database_url=url))
    try:
        await upgrade(database.engine)
    finally:
        await database.dispose()


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PostgresCluster]:
    bindir = find_bindir()
    if bindir is None:
        if IN_CI:
            pytest.fail("PostgreSQL server binaries are missing: `make services` installs them")
        pytest.skip("no PostgreSQL server installed (apt-get install postgresql)")
    cluster = PostgresCluster(bindir)
    cluster.start()
    try:
        cluster.sql(f"CREATE DATABASE {SHARED_DB}")
        asyncio.run(migrate(cluster.url(SHARED_DB)))
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("harbor-template") / "template.db"
    asyncio.run(migrate(f"sqlite+aiosqlite:///{path}"))
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A freshly migrated, empty database of each kind."""
    if request.param == "sqlite":
        target = tmp_path / "harbor.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), target)
        return f"sqlite+aiosqlite:///{target}"
    # One database for the session, emptied before each test: much faster than a new one.
    cluster: PostgresCluster = request.getfixturevalue("pg_cluster")
    cluster.sql(f"TRUNCATE {', '.join(metadata.tables)} RESTART IDENTITY CASCADE", SHARED_DB)
    return cluster.url(SHARED_DB)


@pytest.fixture
def make_settings(database_url: str) -> Callable[..., Settings]:
    def make(**overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "database_url": database_url,
            "api_key_pepper": PEPPER,
            "migrate_on_startup": False,
            "webhook_poll_interval": 0.02,
            "webhook_backoff_base": 0.05,
            "webhook_backoff_max": 0.2,
            "webhook_lease_seconds": 5.0,
            "webhook_timeout": 2.0,
            "db_pool_size": 5,
            "cors_origins": ["https://shop.example"],
        }
        values.update(overrides)
        return Settings(_env_file=None, **values)

    return make


@dataclass(frozen=True)
class PartnerKeys:
    id: int
    name: str
    key: str
    webhook_secret: str

    @property
    def headers(self) -> dict[str, str]:
        return {"X-API-Key": self.key}


class Harbor:
    """A running app (lifespan entered) plus direct access to its database."""

    def __init__(self, app: Accord, client: TestClient) -> None:
        self.app = app
        self.client = client
        self.database: Database = app.state.database
        self._keys = 0

    def call(self, fn: Callable[..., Awaitable[T]], *args: Any) -> T:
        """Run `fn(*args)` on the app's event loop (where its connection pool lives)."""
        assert self.client.portal is not None
        return self.client.portal.call(fn, *args)

    def rows(self, statement: Any) -> list[Any]:
        async def run() -> list[Any]:
            async with self.database.sessions() as session, session.begin():
                return list((await session.execute(statement)).all())

        return self.call(run)

    def count(self, model: Any, *where: Any) -> int:
        return int(self.rows(select(func.count()).select_from(model).where(*where))[0][0])

    def add_partner(self, name: str, webhook_url: str | None = None) -> PartnerKeys:
        async def run() -> PartnerKeys:
            async with self.database.sessions() as session, session.begin():
                partner = await upsert_partner(session, name, webhook_url)
                key = await issue_key(session, partner, PEPPER, revoke_old=False)
                return PartnerKeys(partner.id, name, key, partner.webhook_secret)

        return self.call(run)

    def create_order(self, partner: PartnerKeys, key: str | None = None, **body: Any) -> Any:
        if key is None:
            self._keys += 1
            key = f"auto-{self._keys}"
        headers = {**partner.headers, "Idempotency-Key": key}
        return self.client.post("/api/v1/orders", json=order_body(**body), headers=headers)


@pytest.fixture
def start_harbor(make_settings: Callable[..., Settings]) -> Callable[..., Any]:
    """Context manager factory: an app on the test's database, with settings overrides."""

    @contextmanager
    def start(raise_server_exceptions: bool = True, **overrides: Any) -> Iterator[Harbor]:
        app = create_app(make_settings(**overrides))
        with TestClient(app, raise_server_exceptions=raise_server_exceptions) as client:
            yield Harbor(app, client)

    return start


@pytest.fixture
def harbor(start_harbor: Callable[..., Any]) -> Iterator[Harbor]:
    """The app on a fresh database, webhook worker off."""
    with start_harbor(webhook_worker_enabled=False) as running:
        yield running


@pytest.fixture
def alpha(harbor: Harbor) -> PartnerKeys:
    return harbor.add_partner("Alpha Retail")


@pytest.fixture
def beta(harbor: Harbor) -> PartnerKeys:
    return harbor.add_partner("Beta Wholesale")


class LogCapture(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.setFormatter(JSONFormatter())
        self.entries: list[dict[str, Any]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.entries.append(json.loads(self.format(record)))


@pytest.fixture
def json_logs() -> Iterator[LogCapture]:
    """The JSON log entries Harbor writes during the test."""
    capture = LogCapture()
    logger = logging.getLogger("harbor")
    logger.addHandler(capture)
    try:
        yield capture
    finally:
        logger.removeHandler(capture)
