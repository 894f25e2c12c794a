"""Crash: `kill -9` of a worker process at seeded random points, under load, over and over.

Uvicorn's supervisor (under ``accord run --workers 2``) starts a new worker for each one
killed; clients retry with the same Idempotency-Key. Afterwards the database must hold exactly
what the clients were told, and every webhook event must reach the receiver, which processes
each event id exactly once.

It runs on both databases: on SQLite the killed worker may hold the file's write lock (it goes
with the process) or leave a half-written transaction in the WAL (never committed, so never
read). Each database takes 20 kills (about 40 s on SQLite, 45 s on PostgreSQL on a loaded
2-core machine: a kill costs a worker restart).
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import time
from pathlib import Path
from typing import Any

import pytest

from tests.harbor.faults.checks import audit, read_state
from tests.harbor.faults.conftest import database_kind, load_figures
from tests.harbor.faults.load import Load
from tests.harbor.receiver import Receiver
from tests.harbor.served import serve

pytestmark = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)

KILLS = {"postgresql": 20, "sqlite": 20}
if "HARBOR_FAULT_KILLS" in os.environ:
    KILLS = dict.fromkeys(KILLS, int(os.environ["HARBOR_FAULT_KILLS"]))
SEED = int(os.environ.get("HARBOR_FAULT_SEED", "21"))


def wait_delivered(url: str, timeout: float) -> Any:
    """The state once every outbox row is recorded delivered (or as it is at `timeout`)."""
    deadline = time.monotonic() + timeout
    while True:
        state = asyncio.run(read_state(url))
        if all(row.delivery == "delivered" for row in state.outbox):
            return state
        if time.monotonic() > deadline:
            return state
        time.sleep(0.2)


def test_kill_9_of_workers_loses_and_duplicates_nothing(
    database_url: str, tmp_path: Path, add_partner: Any, server_env: Any, report: Any
) -> None:
    rng = random.Random(SEED)
    kills = KILLS[database_kind(database_url)]
    started = time.monotonic()
    with Receiver() as receiver:
        partner = add_partner("Crash Partner", receiver.url)
        receiver.secret = partner.webhook_secret
        with serve(tmp_path / "server.log", server_env()) as server:
            load = Load(server.base, partner.api_key, transitions=("authorized", "captured"))
            load.start()
            killed: list[int] = []
            while len(killed) < kills:
                time.sleep(rng.uniform(0.05, 0.4))
                # A process just sent SIGKILL can still look alive for a moment: never twice.
                ready = sorted(server.ready_workers() - set(killed))
                if ready:  # a worker that has started serving, at a random point of its work
                    victim = rng.choice(ready)
                    os.kill(victim, signal.SIGKILL)
                    killed.append(victim)
            killing = time.monotonic() - started
            server.wait_ready(2)
            time.sleep(0.5)  # load against the restarted workers
            load.stop()
            stopped = time.monotonic() - started
            state = asyncio.run(read_state(database_url))
            events = {row.event_id for row in state.outbox}
            receiver.wait_processed(events, timeout=30)
            state = wait_delivered(database_url, timeout=15)
        figures = load_figures(
            load,
            kills=len(killed),
            **audit(state, load),
            events=len(events),
            webhook_deliveries=len(receiver.deliveries),
            redeliveries_deduped=receiver.redeliveries,
            events_processed=len(receiver.processed),
            kills_done_at_s=round(killing, 1),
            load_stopped_at_s=round(stopped, 1),
            seconds=round(time.monotonic() - started, 1),
        )
    report("crash", figures)
    assert len(set(killed)) == kills  # every kill hit a different, live worker
    assert load.figures.unexpected == []
    assert figures["acknowledged_orders"] > kills
    for name in ("duplicates", "lost", "keys_without_order", "orders_without_lines"):
        assert figures[name] == 0, figures
    for name in ("audit_without_order", "audit_gaps", "outbox_lost", "outbox_extra"):
        assert figures[name] == 0, figures
    assert set(receiver.processed) == events
    assert all(row.delivery == "delivered" for row in state.outbox)
    assert load.figures.statuses.get(500, 0) == 0
