"""Graceful shutdown: SIGTERM to ``accord run --workers 2`` while partners create orders.

Uvicorn stops accepting, lets the requests in flight finish, then runs each worker's lifespan
teardown: the webhook worker gets a grace period, then hands back the leases of deliveries
still in flight (the receiver here is slower than the grace), and the pools close. Run on
SQLite and on PostgreSQL.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.harbor.faults.checks import audit, read_state
from tests.harbor.faults.conftest import load_figures
from tests.harbor.faults.load import Load
from tests.harbor.receiver import Receiver
from tests.harbor.served import serve

pytestmark = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)

LEASE = 60.0  # far longer than the test: a lease still held after shutdown shows


def test_sigterm_under_load_keeps_every_acknowledged_order(
    database_url: str, tmp_path: Path, add_partner: Any, server_env: Any, report: Any
) -> None:
    started = time.monotonic()
    with Receiver(delay=3.0) as receiver:  # slower than the shutdown grace
        partner = add_partner("Shutdown Partner", receiver.url)
        env = server_env(
            webhook_timeout=10, webhook_lease_seconds=LEASE, webhook_shutdown_grace=0.5
        )
        with serve(tmp_path / "server.log", env) as server:
            workers = server.ready_workers()
            load = Load(server.base, partner.api_key, transitions=("authorized",), drain=1.0)
            load.start()
            time.sleep(2.0)
            assert receiver.deliveries, "no delivery was in flight at SIGTERM"
            exit_status = server.terminate()
            stopped = datetime.now(UTC).replace(tzinfo=None)  # stored naive, in UTC
            load.stop()
            entries = server.entries()
    state = asyncio.run(read_state(database_url))
    teardowns = [e for e in entries if e["message"] == "harbor stopped"]
    held = [
        row
        for row in state.outbox
        if row.delivery == "pending" and row.next_attempt_at > stopped + timedelta(seconds=5)
    ]
    figures = load_figures(
        load,
        **audit(state, load),
        kills=0,
        sigterm_after_s=2.0,
        exit_status=exit_status,
        teardowns=len(teardowns),
        leases_released=sum(e["released_leases"] for e in teardowns),
        leases_held_after_exit=len(held),
        seconds=round(time.monotonic() - started, 1),
    )
    report("graceful shutdown", figures)
    assert exit_status == 0
    assert {e["pid"] for e in teardowns} == workers  # each worker's lifespan teardown ran
    assert figures["leases_released"] > 0
    assert held == []
    assert load.figures.unexpected == []
    assert figures["acknowledged_orders"] > 0
    for name in ("duplicates", "lost", "keys_without_order", "orders_without_lines"):
        assert figures[name] == 0, figures
    for name in ("audit_without_order", "audit_gaps", "outbox_lost", "outbox_extra"):
        assert figures[name] == 0, figures
    assert load.figures.statuses.get(500, 0) == 0
