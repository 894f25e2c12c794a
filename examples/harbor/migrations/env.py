"""Alembic environment: runs on the app's connection, or on its own from the CLI.

``alembic -c examples/harbor/alembic.ini upgrade head`` uses the settings' database URL.
"""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from examples.harbor.core.config import Settings
from examples.harbor.tables import metadata

# Any constant works; it only has to be the same in every Harbor process.
MIGRATION_LOCK = 7_281_990


def run_on(connection: Connection) -> None:
    """Run the pending migrations on `connection`."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
    batch = connection.dialect.name == "sqlite"  # SQLite alters tables by copying them
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=batch)
    with context.begin_transaction():
        context.run_migrations()


async def run_standalone() -> None:
    """Connect with the configured URL and migrate (the command-line path)."""
    engine = create_async_engine(Settings().database_url.get_secret_value())
    async with engine.begin() as connection:
        await connection.run_sync(run_on)
    await engine.dispose()


shared = context.config.attributes.get("connection")
if shared is not None:
    run_on(shared)
else:
    asyncio.run(run_standalone())
