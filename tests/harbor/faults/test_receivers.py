"""Slow and failing webhook receivers: a timeout, 503s, a refused connection, a flaky one.

Each failed attempt is recorded and retried after an exponential, jittered backoff; after
``webhook_max_attempts`` the delivery is a dead letter (``failed``), listed by
``GET /api/v1/webhooks/deliveries?status=failed`` and counted by the
``harbor_webhook_deliveries{status="failed"}`` gauge. A receiver that recovers gets its event.
The backoff is checked twice: the delay the worker chose (its "webhook attempt" log line) lies
within the configured bounds and differs between deliveries (the jitter), and the receiver
saw no retry before that delay had passed. Run on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.harbor.conftest import order_body
from tests.harbor.faults.checks import audit, read_state
from tests.harbor.faults.conftest import Partner
from tests.harbor.receiver import Receiver
from tests.harbor.served import free_port, serve

pytestmark = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)

ATTEMPTS, BASE, CAP, TIMEOUT = 3, 0.2, 1.0, 0.3
EVENTS = 2  # per partner: two orders, each authorized once


@dataclass
class Acknowledged:
    """What the API acknowledged, in the shape `checks.audit` reads from a `Load`."""

    requests: Counter[int] = field(default_factory=Counter)  # status -> count
    acked: dict[str, str] = field(default_factory=dict)  # Idempotency-Key -> order id
    acked_status: dict[str, str] = field(default_factory=dict)  # order id -> status
    conflicts: list[str] = field(default_factory=list)


def move_orders(base: str, partner: Partner, name: str, acks: Acknowledged) -> None:
    headers = {"X-API-Key": partner.api_key}
    for n in range(EVENTS):
        key = f"hook-{name}-{n}"
        created = httpx.post(
            f"{base}/api/v1/orders",
            json=order_body(),
            headers={**headers, "Idempotency-Key": key},
        )
        acks.requests[created.status_code] += 1
        assert created.status_code == 201, created.text
        order_id = created.json()["id"]
        acks.acked[key] = order_id
        moved = httpx.patch(
            f"{base}/api/v1/orders/{order_id}/status",
            json={"status": "authorized"},
            headers=headers,
        )
        acks.requests[moved.status_code] += 1
        assert moved.status_code == 200, moved.text
        acks.acked_status[order_id] = "authorized"


def settled(base: str, partner: Partner, timeout: float = 20.0) -> list[dict[str, Any]]:
    """The partner's deliveries once none is pending any more."""
    deadline = time.monotonic() + timeout
    while True:
        answer = httpx.get(
            f"{base}/api/v1/webhooks/deliveries", headers={"X-API-Key": partner.api_key}
        )
        rows: list[dict[str, Any]] = answer.json()
        if len(rows) == EVENTS and all(row["status"] != "pending" for row in rows):
            return rows
        assert time.monotonic() < deadline, rows
        time.sleep(0.1)


def ceiling(attempt: int) -> float:
    """The configured bound of the backoff after failed attempt `attempt` (1-based)."""
    return min(CAP, BASE * 2 ** (attempt - 1))


def test_failing_receivers_end_in_dead_letters(
    database_url: str, tmp_path: Path, add_partner: Any, server_env: Any, report: Any
) -> None:
    started = time.monotonic()
    slow = Receiver(delay=1.0)  # answers after the sender's timeout
    failing = Receiver(default=503)
    flaky = Receiver([500, 500])  # its first two answers fail, then it takes everything
    refused = f"http://127.0.0.1:{free_port()}/hooks"  # nothing listens there
    env = server_env(
        webhook_max_attempts=ATTEMPTS,
        webhook_backoff_base=BASE,
        webhook_backoff_max=CAP,
        webhook_timeout=TIMEOUT,
    )
    acks = Acknowledged()
    with slow, failing, flaky, serve(tmp_path / "server.log", env) as server:
        partners = {
            "timeout": (add_partner("Slow", slow.url), "ReadTimeout"),
            "5xx": (add_partner("Failing", failing.url), "receiver answered 503"),
            "refused": (add_partner("Refused", refused), "ConnectError"),
        }
        flaky_partner = add_partner("Flaky", flaky.url)
        flaky.secret = flaky_partner.webhook_secret
        for name, (partner, _) in partners.items():
            move_orders(server.base, partner, name, acks)
        move_orders(server.base, flaky_partner, "flaky", acks)
        outcomes = {name: settled(server.base, p) for name, (p, _) in partners.items()}
        flaky_rows = settled(server.base, flaky_partner)
        dead = {
            name: httpx.get(
                f"{server.base}/api/v1/webhooks/deliveries",
                params={"status": "failed"},
                headers={"X-API-Key": p.api_key},
            ).json()
            for name, (p, _) in partners.items()
        }
        metrics = httpx.get(f"{server.base}/metrics").text
        entries = server.entries()
    state = asyncio.run(read_state(database_url))
    # The delay chosen after each failed attempt, as the worker logged it.
    delays = {
        (e["event_id"], e["attempt"]): e["retry_in_s"]
        for e in entries
        if e["message"] == "webhook attempt" and e["outcome"] == "retry"
    }
    gaps = {**_gaps(failing), **_gaps(slow)}
    figures = {
        "requests": acks.requests.total(),
        "2xx": sum(n for status, n in acks.requests.items() if 200 <= status < 300),
        "retries": 0,
        "kills": 0,
        **audit(state, acks),
        "events": EVENTS * 4,
        "dead_letters": sum(len(rows) for rows in dead.values()),
        "attempts": {n: [r["attempts"] for r in rows] for n, rows in outcomes.items()},
        "flaky_attempts": [r["attempts"] for r in flaky_rows],
        "backoff_delays_s": {
            f"after attempt {n}": sorted(round(d, 3) for (_, a), d in delays.items() if a == n)
            for n in range(1, ATTEMPTS)
        },
        "backoff_bounds_s": {f"after attempt {n}": [ceiling(n) / 2, ceiling(n)] for n in (1, 2)},
        "receiver_gaps_s": sorted(round(g, 3) for g in gaps.values()),
        "seconds": round(time.monotonic() - started, 1),
    }
    report("failing receivers", figures)
    for name, rows in outcomes.items():
        error = partners[name][1]
        assert [r["status"] for r in rows] == ["failed"] * EVENTS, rows
        assert [r["attempts"] for r in rows] == [ATTEMPTS] * EVENTS
        assert all(error in r["last_error"] for r in rows), rows
        assert {r["event_id"] for r in dead[name]} == {r["event_id"] for r in rows}
    assert len(failing.deliveries) == len(slow.deliveries) == ATTEMPTS * EVENTS
    assert 'harbor_webhook_deliveries{status="failed"} 6.0' in metrics
    assert 'harbor_webhook_deliveries{status="delivered"} 2.0' in metrics
    assert [r["status"] for r in flaky_rows] == ["delivered"] * EVENTS
    assert len(flaky.processed) == EVENTS
    assert sum(r["attempts"] for r in flaky_rows) == EVENTS + 2  # each failure retried once
    for name in ("orders_in_db", "audit_rows"):
        assert figures[name] == EVENTS * 4
    for name in ("duplicates", "lost", "keys_without_order", "orders_without_lines"):
        assert figures[name] == 0, figures
    for name in ("audit_without_order", "audit_gaps", "outbox_lost", "outbox_extra"):
        assert figures[name] == 0, figures
    # Every failure but the last of a delivery was followed by a backoff: 3 partners x 2
    # events x 2, plus the flaky receiver's 2.
    assert len(delays) == 3 * EVENTS * (ATTEMPTS - 1) + 2
    for (_, attempt), delay in delays.items():
        assert ceiling(attempt) / 2 <= delay <= ceiling(attempt), (attempt, delay)
    for attempt in range(1, ATTEMPTS):
        chosen = [d for (_, a), d in delays.items() if a == attempt]
        assert len(set(chosen)) > 1, f"no jitter: every delay after attempt {attempt} is {chosen}"
    # The receivers saw no retry before its delay had passed (the lease clock is the wall
    # clock, the receiver's the monotonic one: a millisecond of slack).
    assert len(gaps) == 2 * EVENTS * (ATTEMPTS - 1)
    for step, gap in gaps.items():
        assert gap >= delays[step] - 0.001, (step, gap, delays[step])


def _gaps(receiver: Receiver) -> dict[tuple[str, int], float]:
    """Seconds from attempt n of each event to attempt n + 1, keyed by (event id, n)."""
    by_event: dict[str, list[float]] = {}
    for delivery in receiver.deliveries:
        by_event.setdefault(delivery.headers["harbor-event-id"], []).append(delivery.at)
    return {
        (event, n): later - earlier
        for event, times in by_event.items()
        for n, (earlier, later) in enumerate(zip(times, times[1:]), start=1)
    }
