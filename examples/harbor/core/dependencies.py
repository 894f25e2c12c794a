"""Dependencies every router uses: settings, the database session and the clock.

They read what ``create_app`` put on ``app.state``, so one module-level router serves any
number of differently configured apps (tests build one per database). They are ``async def``
on purpose: a plain ``def`` dependency runs in the thread pool, a thread hop per request for
what is an attribute read.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request

from examples.harbor.core.config import Settings
from examples.harbor.core.database import Database, utcnow
from examples.harbor.core.metrics import Metrics

__all__ = ["Clock", "get_clock", "get_database", "get_metrics", "get_session", "get_settings"]

Clock = Callable[[], datetime]


async def get_settings(request: Request) -> Settings:
    """The app's settings."""
    settings: Settings = request.app.state.settings
    return settings


async def get_database(request: Request) -> Database:
    """The app's database."""
    database: Database = request.app.state.database
    return database


async def get_metrics(request: Request) -> Metrics:
    """The app's Prometheus collectors."""
    metrics: Metrics = request.app.state.metrics
    return metrics


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """One session per request; services open their own transactions on it."""
    async with request.app.state.database.sessions() as session:
        yield session


async def get_clock() -> Clock:
    """What "now" is; tests override this dependency to travel in time."""
    return utcnow
