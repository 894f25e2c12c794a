"""In process: what Harbor answers when the database is unreachable, and the dead-letter list."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import jsonschema_rs
import pytest
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from examples.harbor.core.database import utcnow
from examples.harbor.core.errors import is_database_unavailable
from examples.harbor.webhooks.models import FAILED, WebhookDelivery
from examples.harbor.webhooks.outbox import enqueue_event
from tests.harbor.conftest import Harbor, PartnerKeys


class _Orig(Exception):
    def __init__(self, sqlstate: str | None) -> None:
        self.sqlstate = sqlstate


@pytest.mark.parametrize(
    ("exc", "unavailable"),
    [
        (ConnectionRefusedError(), True),
        (PoolTimeout(), True),
        (OperationalError("SELECT 1", {}, _Orig(None)), True),
        (DBAPIError("SELECT 1", {}, _Orig("57P01")), True),  # admin shutdown
        (DBAPIError("SELECT 1", {}, _Orig("08006")), True),  # connection failure
        (DBAPIError("SELECT 1", {}, _Orig(None), connection_invalidated=True), True),
        (IntegrityError("INSERT", {}, _Orig("23505")), False),  # a bug or bad data: a 500
        (ValueError(), False),
    ],
)
def test_which_errors_mean_the_database_is_unavailable(exc: Exception, unavailable: bool) -> None:
    assert is_database_unavailable(exc) is unavailable


@contextmanager
def database_refusing(harbor: Harbor) -> Iterator[None]:
    """Every new connection is refused (the pool is emptied first), as when the server is down."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise ConnectionRefusedError(111, "Connection refused")

    harbor.call(harbor.database.engine.dispose)
    pool = harbor.database.engine.sync_engine.pool
    original = pool._creator  # type: ignore[attr-defined]
    pool._creator = refuse  # type: ignore[attr-defined]
    try:
        yield
    finally:
        pool._creator = original  # type: ignore[attr-defined]


def test_an_unreachable_database_is_a_503_problem(harbor: Harbor, alpha: PartnerKeys) -> None:
    with database_refusing(harbor):
        answer = harbor.create_order(alpha, "while-down")
    assert answer.status_code == 503
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.headers["retry-after"] == "1"
    assert answer.json() == {
        "type": "about:blank",
        "title": "Service Unavailable",
        "status": 503,
        "detail": "The database is unavailable; retry with the same Idempotency-Key.",
        "instance": "/api/v1/orders",
        "code": "database_unavailable",
    }
    # Back, without a restart; the key was not used up by the failed request.
    assert harbor.create_order(alpha, "while-down").status_code == 201


def test_the_503_problem_is_in_the_openapi_document_of_every_route_needing_the_database(
    harbor: Harbor, alpha: PartnerKeys
) -> None:
    document = harbor.app.openapi()
    operations = [
        (method, path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
    ]
    # Everything under /api/v1 authenticates against the database first; the health routes
    # catch database errors themselves (/health/ready documents its own 503 body).
    needing = [(m, p, op) for m, p, op in operations if p.startswith("/api/v1/")]
    assert len(needing) == 5
    schema: dict[str, Any] | None = None
    for method, path, operation in needing:
        documented = operation["responses"].get("503")
        assert documented is not None, f"{method.upper()} {path} does not document its 503"
        assert list(documented["content"]) == ["application/problem+json"]
        assert documented["headers"]["Retry-After"]["schema"] == {"type": "integer", "example": 1}
        schema = documented["content"]["application/problem+json"]["schema"]
        assert schema["properties"]["code"]["const"] == "database_unavailable"
        assert set(schema["required"]) == {"type", "title", "status", "detail", "instance", "code"}
    for method, path, operation in operations:
        if not path.startswith("/api/v1/"):
            content = operation["responses"].get("503", {}).get("content", {})
            assert "application/problem+json" not in content, f"{method} {path}"
    # What the routes really answer is what the document says, on each of them.
    assert schema is not None
    validator = jsonschema_rs.validator_for(schema)
    with database_refusing(harbor):
        answers = [
            harbor.create_order(alpha, "while-down"),
            harbor.client.get("/api/v1/orders", headers=alpha.headers),
            harbor.client.get("/api/v1/orders/ord_1", headers=alpha.headers),
            harbor.client.patch(
                "/api/v1/orders/ord_1/status", json={"status": "captured"}, headers=alpha.headers
            ),
            harbor.client.get("/api/v1/webhooks/deliveries", headers=alpha.headers),
        ]
    for answer in answers:
        assert answer.status_code == 503, answer.text
        assert answer.headers["content-type"] == "application/problem+json"
        assert int(answer.headers["retry-after"]) == 1
        errors = [e.message for e in validator.iter_errors(answer.json())]
        assert errors == [], (answer.request.url, errors)


def test_dead_letters_are_listed_per_partner_and_counted(
    harbor: Harbor, alpha: PartnerKeys, beta: PartnerKeys
) -> None:
    async def add_failed(partner_id: int) -> str:
        async with harbor.database.sessions() as session, session.begin():
            event = enqueue_event(
                session, partner_id=partner_id, url="http://127.0.0.1:9/x",
                event_type="order.authorized", data={}, now=utcnow(),
            )
        async with harbor.database.sessions() as session, session.begin():
            await session.execute(
                WebhookDelivery.__table__.update()
                .where(WebhookDelivery.event_id == event)
                .values(status=FAILED, attempts=12, last_error="receiver answered 503")
            )
        return event

    dead = harbor.call(add_failed, alpha.id)
    harbor.call(add_failed, beta.id)
    harbor.create_order(alpha)  # no transition: no event
    listed = harbor.client.get(
        "/api/v1/webhooks/deliveries", params={"status": "failed"}, headers=alpha.headers
    ).json()
    assert [(d["event_id"], d["attempts"], d["last_error"]) for d in listed] == [
        (dead, 12, "receiver answered 503")
    ]
    assert harbor.client.get(
        "/api/v1/webhooks/deliveries", params={"status": "pending"}, headers=alpha.headers
    ).json() == []
    metrics = harbor.client.get("/metrics").text
    assert 'harbor_webhook_deliveries{status="failed"} 2.0' in metrics
    assert 'harbor_webhook_deliveries{status="pending"} 0.0' in metrics
