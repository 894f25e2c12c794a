"""docs/deployment.md and docs/harbor.md: the health checks, the proxy prefix, the receiver."""

from accord.testclient import TestClient
from docs_src.deployment import app_001
from docs_src.harbor import receiver_001
from examples.harbor.webhooks.signing import sign


def test_health_checks_and_root_path() -> None:
    with TestClient(app_001.app, root_path="/api") as client:
        assert client.get("/health/live").json() == {"status": "ok"}
        assert client.get("/health/ready").json() == {"status": "ok"}
        assert client.get("/where").json() == {
            "url": "http://testserver/api/where", "root_path": "/api"}


def test_readiness_fails_when_the_database_does_not_answer() -> None:
    from sqlalchemy.ext.asyncio import create_async_engine

    async def broken():
        db = create_async_engine("sqlite+aiosqlite:////nonexistent/dir/x.db")
        yield db
        await db.dispose()

    app_001.app.dependency_overrides[app_001.engine] = broken
    try:
        with TestClient(app_001.app) as client:
            answer = client.get("/health/ready")
            assert (answer.status_code, answer.json()) == (503, {"status": "database unavailable"})
            assert client.get("/health/live").status_code == 200
    finally:
        app_001.app.dependency_overrides.clear()


def test_the_receiver_verifies_and_dedupes() -> None:
    receiver_001.PROCESSED.clear()
    client = TestClient(receiver_001.app)
    body = b'{"id": "evt_1", "status": "authorized"}'
    headers = {"harbor-signature": sign(receiver_001.SECRET, body), "harbor-event-id": "evt_1"}
    assert client.post("/harbor/events", content=body, headers=headers).status_code == 204
    assert client.post("/harbor/events", content=body, headers=headers).status_code == 204
    assert receiver_001.PROCESSED == {"evt_1"}
    forged = {**headers, "harbor-signature": sign("another secret", body)}
    assert client.post("/harbor/events", content=body, headers=forged).status_code == 400
