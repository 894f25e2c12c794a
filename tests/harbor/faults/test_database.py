"""Database faults under load: ``pg_ctl restart -m fast``, the server gone for a while, and
``pg_terminate_backend`` of the app's connections.

While the database is unreachable Harbor answers 503 Problem Details with Retry-After (never a
500); it recovers by itself (same worker processes) and loses nothing it acknowledged.

PostgreSQL only: these faults need a database server. SQLite is a library inside each worker
process reading a local file, so there is no server to restart and no connection for anyone
else to drop; its failure modes (a locked or vanished file, a full disk) are other scenarios.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.harbor.conftest import SHARED_DB, order_body
from tests.harbor.faults.checks import audit, read_state
from tests.harbor.faults.conftest import load_figures
from tests.harbor.faults.load import Load
from tests.harbor.pg_cluster import PostgresCluster
from tests.harbor.receiver import Receiver
from tests.harbor.served import serve

pytestmark = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)


def test_restart_outage_and_dropped_connections(
    database_url: str,
    pg_cluster: PostgresCluster,
    tmp_path: Path,
    add_partner: Any,
    server_env: Any,
    report: Any,
) -> None:
    started = time.monotonic()
    receiver = Receiver()
    partner = add_partner("Database Fault Partner", receiver.url)
    with receiver, serve(tmp_path / "server.log", server_env()) as server:
        workers = server.ready_workers()
        load = Load(server.base, partner.api_key, transitions=("authorized",))
        load.start()
        time.sleep(1.0)
        pg_cluster.restart("fast")
        time.sleep(1.0)
        pg_cluster.stop_server("fast")
        before = load.figures.problems_503
        time.sleep(1.5)  # the database is gone: every request needing it must get a 503
        during_outage = load.figures.problems_503 - before
        pg_cluster.start_server()
        time.sleep(1.0)
        terminated = 0
        for _ in range(3):
            terminated += pg_cluster.terminate_backends(SHARED_DB)
            time.sleep(0.3)
        time.sleep(1.0)
        load.stop()
        # Recovered without a restart: the same processes answer a new order at once.
        headers = {"X-API-Key": partner.api_key, "Idempotency-Key": "after-the-faults"}
        after = httpx.post(f"{server.base}/api/v1/orders", json=order_body(), headers=headers)
        same_workers = server.ready_workers() == workers
    state = asyncio.run(read_state(database_url))
    figures = load_figures(
        load,
        **audit(state, load),
        kills=0,
        problem_503s=load.figures.problems_503,
        problem_503s_while_down=during_outage,
        other_503s=load.figures.other_503,
        backends_terminated=terminated,
        seconds=round(time.monotonic() - started, 1),
    )
    report("database faults", figures)
    assert during_outage > 0
    assert load.figures.other_503 == 0
    assert load.figures.statuses.get(500, 0) == 0
    assert terminated > 0
    assert after.status_code == 201, after.text
    assert same_workers
    assert load.figures.unexpected == []
    assert state.keys["after-the-faults"] == after.json()["id"]
    for name in ("lost", "keys_without_order", "orders_without_lines"):
        assert figures[name] == 0, figures
    for name in ("audit_without_order", "audit_gaps", "outbox_lost", "outbox_extra"):
        assert figures[name] == 0, figures
    assert figures["duplicates"] == 0
