"""Webhooks: outbox rows written with the transition, signed delivery to a real receiver,
retries with backoff, giving up, and resuming after a restart."""

from __future__ import annotations

import hashlib
import hmac
import json
import random
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from examples.harbor.core.database import utcnow
from examples.harbor.webhooks.models import DELIVERED, FAILED, PENDING, WebhookDelivery
from examples.harbor.webhooks.signing import sign, verify
from examples.harbor.webhooks.worker import DeliveryWorker, backoff_delay
from tests.harbor.conftest import Harbor
from tests.harbor.receiver import Receiver


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as running:
        yield running


def authorize(harbor: Harbor, partner: Any) -> dict[str, Any]:
    order = harbor.create_order(partner).json()
    response = harbor.client.patch(
        f"/api/v1/orders/{order['id']}/status",
        json={"status": "authorized"},
        headers=partner.headers,
    )
    assert response.status_code == 200
    return order


def outbox(harbor: Harbor) -> list[Any]:
    return harbor.rows(WebhookDelivery.__table__.select().order_by(WebhookDelivery.id))


def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.02)


def test_a_transition_is_delivered_signed(start_harbor: Any, receiver: Receiver) -> None:
    with start_harbor() as harbor:
        partner = harbor.add_partner("Alpha", webhook_url=receiver.url)
        order = authorize(harbor, partner)
        [delivery] = receiver.wait_for(1)
        wait_until(lambda: outbox(harbor)[0].status == DELIVERED)
    event = json.loads(delivery.body)
    assert event["type"] == "order.authorized"
    assert event["data"]["order"]["id"] == order["id"]
    assert event["data"]["order"]["status"] == "authorized"
    assert event["data"]["previous_status"] == "pending"
    assert delivery.headers["harbor-event-id"] == event["id"]
    assert delivery.headers["content-type"] == "application/json"
    # Checked independently of Harbor's own code: HMAC-SHA256 of "<t>.<body>".
    fields = dict(part.split("=", 1) for part in delivery.headers["harbor-signature"].split(","))
    expected = hmac.new(
        partner.webhook_secret.encode(), fields["t"].encode() + b"." + delivery.body, hashlib.sha256
    ).hexdigest()
    assert fields["v1"] == expected
    assert verify(partner.webhook_secret, delivery.headers["harbor-signature"], delivery.body)
    assert not verify("whsec_other", delivery.headers["harbor-signature"], delivery.body)


def test_the_outbox_row_commits_with_the_transition(harbor: Harbor) -> None:
    partner = harbor.add_partner("Alpha", webhook_url="http://127.0.0.1:9/unused")
    order = authorize(harbor, partner)
    refused = harbor.client.patch(
        f"/api/v1/orders/{order['id']}/status", json={"status": "refunded"}, headers=partner.headers
    )
    assert refused.status_code == 409
    [row] = outbox(harbor)  # the refused move enqueued nothing
    assert (row.status, row.event_type, row.attempts) == (PENDING, "order.authorized", 0)


def test_partners_without_a_url_get_no_deliveries(harbor: Harbor) -> None:
    partner = harbor.add_partner("Quiet")
    authorize(harbor, partner)
    assert outbox(harbor) == []


def test_failures_are_retried_with_backoff(start_harbor: Any) -> None:
    with Receiver([500, 503]) as receiver, start_harbor() as harbor:
        partner = harbor.add_partner("Alpha", webhook_url=receiver.url)
        authorize(harbor, partner)
        deliveries = receiver.wait_for(3)
        wait_until(lambda: outbox(harbor)[0].status == DELIVERED)
        row = outbox(harbor)[0]
    assert [d.status for d in deliveries] == [500, 503, 204]
    assert len({d.headers["harbor-event-id"] for d in deliveries}) == 1
    assert row.attempts == 3
    assert row.last_error is None


def test_gives_up_after_the_last_attempt(start_harbor: Any) -> None:
    with Receiver([500] * 10) as receiver, start_harbor(webhook_max_attempts=2) as harbor:
        partner = harbor.add_partner("Alpha", webhook_url=receiver.url)
        authorize(harbor, partner)
        receiver.wait_for(2)
        wait_until(lambda: outbox(harbor)[0].status == FAILED)
        time.sleep(0.3)  # several poll intervals: a failed delivery is not attempted again
        row = outbox(harbor)[0]
        assert len(receiver.deliveries) == 2
    assert row.attempts == 2
    assert row.last_error == "receiver answered 500"


def test_an_unreachable_receiver_is_retried(start_harbor: Any) -> None:
    with start_harbor() as harbor:
        partner = harbor.add_partner("Alpha", webhook_url="http://127.0.0.1:9/closed")
        authorize(harbor, partner)
        wait_until(lambda: outbox(harbor)[0].attempts >= 2)
        row = outbox(harbor)[0]
    assert row.status == PENDING
    assert "ConnectError" in row.last_error


def test_pending_deliveries_resume_after_a_restart(start_harbor: Any, receiver: Receiver) -> None:
    with start_harbor(webhook_worker_enabled=False) as harbor:
        partner = harbor.add_partner("Alpha", webhook_url=receiver.url)
        authorize(harbor, partner)
    assert receiver.deliveries == []
    # A new process on the same database: the worker finds the pending row and delivers it.
    with start_harbor() as restarted:
        [delivery] = receiver.wait_for(1)
        wait_until(lambda: outbox(restarted)[0].status == DELIVERED)
    assert json.loads(delivery.body)["type"] == "order.authorized"


def test_a_delivery_claimed_by_a_dead_process_is_retried_after_its_lease(
    start_harbor: Any, receiver: Receiver
) -> None:
    with start_harbor(webhook_worker_enabled=False) as harbor:
        partner = harbor.add_partner("Alpha", webhook_url=receiver.url)
        authorize(harbor, partner)
        # What a crash mid-delivery leaves behind: an attempt counted, a lease in the future.
        worker_settings = harbor.app.state.settings.model_copy(
            update={"webhook_lease_seconds": 0.3}
        )
        crashed = DeliveryWorker(
            harbor.database.sessions, None, worker_settings, harbor.app.state.metrics
        )  # type: ignore[arg-type]
        assert len(harbor.call(crashed._claim, utcnow())) == 1
        assert harbor.call(crashed._claim, utcnow()) == []  # leased: nobody else takes it
    with start_harbor() as restarted:
        receiver.wait_for(1)
        wait_until(lambda: outbox(restarted)[0].status == DELIVERED)
        assert outbox(restarted)[0].attempts == 2


def test_backoff_grows_exponentially_with_jitter() -> None:
    rng = random.Random(7)
    for attempt in range(1, 12):
        ceiling = min(60.0, 1.0 * 2 ** (attempt - 1))
        delays = [backoff_delay(attempt, 1.0, 60.0, rng) for _ in range(50)]
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert len(set(delays)) > 1  # jittered
    assert backoff_delay(10_000, 1.0, 60.0, rng) <= 60.0


def test_signatures_are_refused_when_tampered_or_old() -> None:
    body = b'{"id":"evt_1"}'
    header = sign("whsec_s", body)
    assert verify("whsec_s", header, body)
    assert not verify("whsec_s", header, body + b" ")
    assert not verify("whsec_s", sign("whsec_s", body, timestamp=int(time.time()) - 3600), body)
    assert not verify("whsec_s", "garbage", body)
    assert not verify("whsec_s", "t=abc,v1=00", body)
