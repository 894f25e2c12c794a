"""Liveness, readiness and Prometheus metrics endpoints (no API key needed)."""

from __future__ import annotations

import logging
from typing import Annotated, Any, Literal

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel
from starlette.responses import JSONResponse, Response

from examples.harbor.core.database import Database
from examples.harbor.core.dependencies import get_database, get_metrics
from examples.harbor.core.metrics import Metrics
from examples.harbor.framework import APIRouter, Depends
from examples.harbor.webhooks.outbox import count_by_status

__all__ = ["router"]

logger = logging.getLogger("harbor.health")

router = APIRouter(tags=["operations"])


class Health(BaseModel):
    """A probe's answer."""

    status: Literal["ok", "unavailable"]


@router.get("/health/live")
async def live() -> Health:
    """The process is up and serving."""
    return Health(status="ok")


@router.get(
    "/health/ready",
    response_model=Health,
    responses={503: {"model": Health, "description": "The database does not answer"}},
)
async def ready(database: Annotated[Database, Depends(get_database)]) -> Any:
    """The process can serve requests: the database answers."""
    try:
        await database.ping()
    except Exception:
        logger.warning("readiness check failed", exc_info=True)
        return JSONResponse({"status": "unavailable"}, status_code=503)
    return Health(status="ok")


@router.get(
    "/metrics",
    response_class=Response,
    responses={200: {"content": {"text/plain": {}}, "description": "Prometheus text format"}},
)
async def metrics(
    collectors: Annotated[Metrics, Depends(get_metrics)],
    database: Annotated[Database, Depends(get_database)],
) -> Response:
    """Prometheus metrics of this process, and the outbox's figures from the database."""
    try:
        async with database.sessions() as session:
            counts = await count_by_status(session)
    except Exception:
        # The process's own figures are still worth a scrape while the database is away.
        logger.warning("outbox figures unavailable", exc_info=True)
    else:
        for status, count in counts.items():
            collectors.webhook_deliveries.labels(status).set(count)
    return Response(generate_latest(collectors.registry), media_type=CONTENT_TYPE_LATEST)
