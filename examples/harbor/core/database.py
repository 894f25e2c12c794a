"""The SQLAlchemy engine, the declarative base and the per-request session dependency."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, event, text
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

from examples.harbor.core.config import Settings

__all__ = ["Base", "Database", "UTCDateTime", "unit_of_work", "utcnow"]


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in Python, naive UTC in the database (SQLite has no time zones)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    """The declarative base of every Harbor table."""


class Database:
    """One engine and its session factory; the app keeps exactly one per process."""

    def __init__(self, settings: Settings) -> None:
        url = settings.database_url.get_secret_value()
        self.engine: AsyncEngine = _create_engine(url, settings.db_pool_size)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    async def ping(self) -> None:
        """Raise unless the database answers a trivial query."""
        async with self.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        """Close every pooled connection."""
        await self.engine.dispose()


@asynccontextmanager
async def unit_of_work(session: AsyncSession) -> AsyncIterator[AsyncSession]:
    """Commit on success, roll back on error: the transaction of one request.

    The request's transaction starts with its first statement, which is usually the API key
    lookup; the service's statements continue it, and it ends here, before the endpoint
    returns, so nothing is committed after the response has been sent.
    """
    try:
        yield session
    except BaseException:
        await session.rollback()
        raise
    await session.commit()


def _create_engine(url: str, pool_size: int) -> AsyncEngine:
    # Every unit of work ends its transaction (commit, or rollback on error) before the
    # connection goes back, so the pool's extra rollback-on-return would be a wasted round trip.
    if not url.startswith("sqlite"):
        # No pool_pre_ping: on asyncpg it costs three round trips (BEGIN, ping, ROLLBACK) on
        # every checkout, a third of an order's. A pooled connection the server dropped
        # (restart, terminated backend, failover) fails the one request that draws it, which
        # is answered 503 (nothing was acknowledged; the retry is safe), and SQLAlchemy then
        # recycles every connection older than that failure, so Harbor recovers by itself.
        return create_async_engine(
            url, pool_size=pool_size, max_overflow=pool_size, pool_reset_on_return=None
        )
    # One connection per process: SQLite has one writer at a time anyway, and queueing in the
    # pool is fairer (and faster) than SQLite's sleep-and-retry busy handler.
    engine = create_async_engine(
        url, pool_size=1, max_overflow=0, pool_timeout=60, pool_reset_on_return=None
    )
    event.listen(engine.sync_engine, "connect", _configure_sqlite)
    event.listen(engine.sync_engine, "begin", _begin_immediate)
    return engine


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the driver, emit BEGIN, so that it can be BEGIN IMMEDIATE.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    for pragma in (
        "journal_mode=WAL",
        "synchronous=NORMAL",
        "busy_timeout=10000",
        "foreign_keys=ON",
    ):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def _begin_immediate(connection: Any) -> None:
    # Take the write lock up front: a deferred transaction that reads and then writes can fail
    # with SQLITE_BUSY when another process wrote in between; an immediate one waits its turn.
    connection.exec_driver_sql("BEGIN IMMEDIATE")
