"""Idempotency-Key: replays, conflicting reuse, per-partner scope, expiry, concurrency."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest

from examples.harbor.core.dependencies import get_clock
from examples.harbor.core.idempotency import IdempotencyKey, fingerprint
from examples.harbor.orders.models import Order
from tests.harbor.conftest import Harbor, PartnerKeys, order_body


def test_a_retry_replays_the_first_answer(harbor: Harbor, alpha: PartnerKeys) -> None:
    first = harbor.create_order(alpha, key="retry-me")
    second = harbor.create_order(alpha, key="retry-me")
    assert first.status_code == second.status_code == 201
    assert second.content == first.content
    assert second.headers["idempotent-replayed"] == "true"
    assert harbor.count(Order) == 1


def test_the_same_body_spelled_differently_is_a_replay(harbor: Harbor, alpha: PartnerKeys) -> None:
    first = harbor.create_order(alpha, key="k")
    # Same order: keys in another order, numbers instead of strings, extra spaces.
    body = order_body()
    respelled = {
        "lines": [{"unit_price": 9.99, "quantity": 2, "sku": "HB-1"}, body["lines"][1]],
        "currency": "EUR",
        "customer_email": "ada@example.com",
    }
    headers = {**alpha.headers, "Idempotency-Key": "k", "Content-Type": "application/json"}
    second = harbor.client.post(
        "/api/v1/orders", content=json.dumps(respelled, indent=4), headers=headers
    )
    assert second.status_code == 201
    assert second.json() == first.json()
    assert harbor.count(Order) == 1


def test_a_key_reused_with_another_body_is_422(harbor: Harbor, alpha: PartnerKeys) -> None:
    harbor.create_order(alpha, key="k")
    response = harbor.create_order(alpha, key="k", currency="USD")
    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert harbor.count(Order) == 1


def test_keys_are_per_partner(harbor: Harbor, alpha: PartnerKeys, beta: PartnerKeys) -> None:
    mine = harbor.create_order(alpha, key="shared-key").json()
    theirs = harbor.create_order(beta, key="shared-key", currency="USD")
    assert theirs.status_code == 201
    assert theirs.json()["id"] != mine["id"]
    assert harbor.count(Order) == 2


def test_a_failed_request_does_not_use_up_its_key(harbor: Harbor, alpha: PartnerKeys) -> None:
    assert harbor.create_order(alpha, key="k", currency="nope").status_code == 422
    assert harbor.create_order(alpha, key="k").status_code == 201
    assert harbor.count(IdempotencyKey) == 1


@pytest.mark.parametrize(("hours_later", "replayed"), [(23, True), (25, False)])
def test_keys_expire_after_24_hours(
    harbor: Harbor, alpha: PartnerKeys, hours_later: int, replayed: bool
) -> None:
    start = datetime(2030, 5, 1, 12, tzinfo=UTC)
    harbor.app.dependency_overrides[get_clock] = lambda: lambda: start
    first = harbor.create_order(alpha, key="k")
    later = start + timedelta(hours=hours_later)
    harbor.app.dependency_overrides[get_clock] = lambda: lambda: later
    second = harbor.create_order(alpha, key="k")
    assert second.status_code == 201
    assert (second.json()["id"] == first.json()["id"]) is replayed
    assert harbor.count(Order) == (1 if replayed else 2)
    assert harbor.count(IdempotencyKey) == 1


def test_concurrent_retries_create_one_order(harbor: Harbor, alpha: PartnerKeys) -> None:
    with ThreadPoolExecutor(max_workers=10) as pool:
        responses = list(pool.map(lambda _: harbor.create_order(alpha, key="race"), range(20)))
    assert {r.status_code for r in responses} == {201}
    assert len({r.content for r in responses}) == 1
    assert sum("idempotent-replayed" in r.headers for r in responses) == 19
    assert harbor.count(Order) == 1


def test_fingerprint_ignores_key_order_but_not_values() -> None:
    assert fingerprint("op", {"a": 1, "b": [1, 2]}) == fingerprint("op", {"b": [1, 2], "a": 1})
    assert fingerprint("op", {"a": 1}) != fingerprint("op", {"a": 2})
    assert fingerprint("op", {"a": 1}) != fingerprint("other", {"a": 1})
