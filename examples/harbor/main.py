"""Harbor Payments: the app. ``uvicorn examples.harbor.main:app`` serves it."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

import httpx
from starlette.middleware.cors import CORSMiddleware

from examples.harbor.core import health
from examples.harbor.core.config import Settings
from examples.harbor.core.database import Database
from examples.harbor.core.errors import install_error_handlers
from examples.harbor.core.logging import configure_logging
from examples.harbor.core.metrics import Metrics
from examples.harbor.core.middleware import RequestObservability
from examples.harbor.core.migrations import upgrade
from examples.harbor.framework import APIRouter, App
from examples.harbor.orders.router import router as orders_router
from examples.harbor.webhooks.router import router as webhooks_router
from examples.harbor.webhooks.worker import DeliveryWorker

__all__ = ["app", "create_app"]

logger = logging.getLogger("harbor")


@asynccontextmanager
async def lifespan(app: App) -> AsyncIterator[None]:
    """Migrate, start the webhook worker; on shutdown stop it and close the pools."""
    settings: Settings = app.state.settings
    database: Database = app.state.database
    if settings.migrate_on_startup:
        await upgrade(database.engine)
    stop = asyncio.Event()
    async with httpx.AsyncClient() as client:
        worker = DeliveryWorker(database.sessions, client, settings, app.state.metrics)
        task = asyncio.create_task(worker.run(stop)) if settings.webhook_worker_enabled else None
        logger.info("harbor started", extra={"webhook_worker": task is not None})
        try:
            yield
        finally:
            stop.set()
            if task is not None:
                # Past the grace, cancelling the worker makes it release its leases.
                with suppress(TimeoutError):
                    await asyncio.wait_for(task, settings.webhook_shutdown_grace)
            await database.dispose()
            logger.info("harbor stopped", extra={"released_leases": worker.released})


def create_app(settings: Settings | None = None) -> App:
    """Build the app for `settings` (read from the environment when not given)."""
    settings = settings or Settings()
    configure_logging(settings.log_level, settings.log_json)
    docs = settings.docs_enabled
    app = App(
        title="Harbor Payments",
        version="1.0.0",
        description="B2B order API of the Harbor Commerce marketplace.",
        lifespan=lifespan,
        docs_url="/docs" if docs else None,
        redoc_url="/redoc" if docs else None,
        openapi_url="/openapi.json" if docs else None,
    )
    app.state.settings = settings
    app.state.database = Database(settings)
    app.state.metrics = Metrics()
    install_error_handlers(app)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_methods=["GET", "POST", "PATCH"],
        allow_headers=["X-API-Key", "Idempotency-Key", "Content-Type", "X-Request-ID"],
        expose_headers=["X-Request-ID", "Idempotent-Replayed"],
    )
    app.add_middleware(RequestObservability, metrics=app.state.metrics)
    api = APIRouter(prefix="/api/v1")
    api.include_router(orders_router)
    api.include_router(webhooks_router)
    app.include_router(api)
    app.include_router(health.router)
    return app


app = create_app()
