"""What the database holds after a fault scenario, checked against what clients were told."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from examples.harbor.orders.states import ALLOWED, OrderStatus
from tests.harbor.faults.load import Load

__all__ = ["Outbox", "State", "audit", "read_state"]


@dataclass(frozen=True)
class Outbox:
    event_id: str
    order_id: str
    previous: str
    status: str  # the order status the event announces
    delivery: str  # pending / delivered / failed
    attempts: int
    next_attempt_at: datetime


@dataclass
class State:
    orders: dict[str, str] = field(default_factory=dict)  # public id -> status
    lines: Counter[str] = field(default_factory=Counter)
    keys: dict[str, str] = field(default_factory=dict)  # idempotency key -> stored order id
    audit: list[tuple[str | None, str, str]] = field(default_factory=list)  # order, from, to
    outbox: list[Outbox] = field(default_factory=list)


_QUERIES = {
    "orders": "SELECT public_id, status FROM orders",
    "lines": "SELECT o.public_id FROM order_lines l JOIN orders o ON o.id = l.order_id",
    "keys": "SELECT key, response_body FROM idempotency_keys",
    "audit": "SELECT o.public_id, a.from_status, a.to_status FROM audit_log a "
    "LEFT JOIN orders o ON o.id = a.order_id ORDER BY a.id",
    "outbox": "SELECT event_id, payload, status, attempts, next_attempt_at "
    "FROM webhook_deliveries ORDER BY id",
}


async def read_state(url: str) -> State:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            rows = {
                name: (await connection.execute(text(sql))).all()
                for name, sql in _QUERIES.items()
            }
    finally:
        await engine.dispose()
    state = State(orders=dict(rows["orders"]))  # type: ignore[arg-type]
    state.lines.update(row[0] for row in rows["lines"])
    state.keys = {key: json.loads(body)["id"] for key, body in rows["keys"]}
    state.audit = [tuple(row) for row in rows["audit"]]  # type: ignore[misc]
    for event_id, payload, delivery, attempts, next_at in rows["outbox"]:
        data = json.loads(payload)["data"]
        order = data["order"]
        if isinstance(next_at, str):  # SQLite hands a raw text() query its stored text
            next_at = datetime.fromisoformat(next_at)
        state.outbox.append(
            Outbox(
                event_id, order["id"], data["previous_status"], order["status"], delivery,
                attempts, next_at,
            )
        )
    return state


def audit(state: State, load: Load) -> dict[str, Any]:
    """The figures and the problems found; every count but the first two must be 0."""
    stored = set(state.keys.values())
    chains: dict[str, list[tuple[str, str]]] = {}
    for order, before, after in state.audit:
        chains.setdefault(order or "<missing>", []).append((before, after))
    problems = {
        # Orders no key row points at: a request created one beside the key's own.
        "duplicates": len(set(state.orders) - stored) + len(load.conflicts),
        # Acknowledged orders (or transitions) the database does not hold.
        "lost": sum(
            state.keys.get(key) != order or order not in state.orders
            for key, order in load.acked.items()
        )
        + sum(
            not _reached(state.orders.get(order), status)
            for order, status in load.acked_status.items()
        ),
        "keys_without_order": len(stored - set(state.orders)),
        "orders_without_lines": sum(state.lines[order] == 0 for order in state.orders),
        "audit_without_order": len(chains.get("<missing>", [])),
        "audit_gaps": sum(
            not _chain_ends_at(chains.get(order, []), status)
            for order, status in state.orders.items()
        ),
        "outbox_lost": len(
            Counter(state.audit) - Counter((o.order_id, o.previous, o.status) for o in state.outbox)
        ),
        "outbox_extra": len(
            Counter((o.order_id, o.previous, o.status) for o in state.outbox) - Counter(state.audit)
        ),
    }
    return {"orders_in_db": len(state.orders), "audit_rows": len(state.audit), **problems}


def _reached(current: str | None, acked: str) -> bool:
    """Whether an order now in `current` has been through `acked` (the happy path only)."""
    path = ["pending", "authorized", "captured", "refunded"]
    return current is not None and path.index(current) >= path.index(acked)


def _chain_ends_at(chain: list[tuple[str, str]], status: str) -> bool:
    """Audit rows lead from ``pending`` to `status`, each an allowed transition."""
    current = "pending"
    for before, after in chain:
        if before != current or OrderStatus(after) not in ALLOWED[OrderStatus(before)]:
            return False
        current = after
    return current == status
