"""Run a fixed list of requests against Harbor in this process; print what it answered.

``python -m tests.harbor.framework_probe DATABASE_FILE``; `test_framework.py` runs it once per
framework (``HARBOR_FRAMEWORK``) in a fresh process. Generated ids and times are masked so
that two runs compare equal when the framework behaves the same.
"""

from __future__ import annotations

import asyncio
import json
import re
import sys
from typing import Any

from starlette.testclient import TestClient

from examples.harbor.core.config import Settings
from examples.harbor.core.database import Database
from examples.harbor.core.migrations import upgrade
from examples.harbor.main import create_app
from examples.harbor.partners.service import issue_key, upsert_partner

# Not from tests.harbor.conftest: it imports Accord, which the FastAPI run must not load.
PEPPER = "probe-pepper"


def order_body(**overrides: Any) -> dict[str, Any]:
    body = {
        "customer_email": "ada@example.com",
        "currency": "EUR",
        "lines": [{"sku": "HB-1", "quantity": 2, "unit_price": "9.99"}],
    }
    return {**body, **overrides}


_MASKS = [
    (re.compile(r"ord_[0-9a-f]{24}"), "ord_*"),
    (re.compile(r"\d{4}-\d\d-\d\dT[\d:.]+(Z|[+-]\d\d:\d\d)?"), "<time>"),
    (re.compile(r"[0-9a-f]{32}"), "<hex>"),
]


def _masked(text: str) -> str:
    for pattern, replacement in _MASKS:
        text = pattern.sub(replacement, text)
    return text


async def _partner(settings: Settings) -> str:
    database = Database(settings)
    try:
        await upgrade(database.engine)
        async with database.sessions() as session, session.begin():
            partner = await upsert_partner(session, "Probe", None)
            return await issue_key(session, partner, PEPPER, revoke_old=False)
    finally:
        await database.dispose()


def probe(path: str) -> dict[str, Any]:
    url = f"sqlite+aiosqlite:///{path}"
    settings = Settings(
        _env_file=None,
        database_url=url,
        api_key_pepper=PEPPER,
        migrate_on_startup=False,
        webhook_worker_enabled=False,
        log_json=False,
        log_level="WARNING",
    )
    key = asyncio.run(_partner(settings))
    app = create_app(settings)
    auth = {"X-API-Key": key}
    answers = []
    with TestClient(app) as client:
        created = client.post(
            "/api/v1/orders", json=order_body(), headers={**auth, "Idempotency-Key": "a"}
        )
        order = created.json()["id"]
        calls: list[tuple[str, str, dict[str, Any]]] = [
            (
                "POST",
                "/api/v1/orders",
                {"json": order_body(), "headers": {**auth, "Idempotency-Key": "a"}},
            ),
            (
                "POST",
                "/api/v1/orders",
                {"json": order_body(currency="USD"), "headers": {**auth, "Idempotency-Key": "a"}},
            ),
            (
                "POST",
                "/api/v1/orders",
                {"json": {"lines": []}, "headers": {**auth, "Idempotency-Key": "b"}},
            ),
            ("POST", "/api/v1/orders", {"json": order_body(), "headers": {"Idempotency-Key": "c"}}),
            ("GET", f"/api/v1/orders/{order}", {"headers": auth}),
            ("GET", "/api/v1/orders/ord_nope", {"headers": auth}),
            (
                "PATCH",
                f"/api/v1/orders/{order}/status",
                {"json": {"status": "authorized"}, "headers": auth},
            ),
            (
                "PATCH",
                f"/api/v1/orders/{order}/status",
                {"json": {"status": "pending"}, "headers": auth},
            ),
            ("GET", "/api/v1/orders?limit=1", {"headers": auth}),
            ("GET", "/api/v1/orders?limit=0", {"headers": auth}),
            ("GET", "/api/v1/webhooks/deliveries", {"headers": auth}),
            ("GET", "/health/ready", {}),
            ("GET", "/nowhere", {}),
        ]
        answers.append([created.status_code, _masked(created.text)])
        for method, target, options in calls:
            answer = client.request(method, target, **options)
            kept = ("content-type", "idempotent-replayed", "www-authenticate")
            headers = {name: answer.headers[name] for name in kept if name in answer.headers}
            answers.append(
                [method, _masked(target), answer.status_code, headers, _masked(answer.text)]
            )
    return {
        "app": type(app).__module__,
        "accord_loaded": "accord" in sys.modules,
        "answers": answers,
        "openapi": app.openapi(),
    }


if __name__ == "__main__":
    print(json.dumps(probe(sys.argv[1])))
