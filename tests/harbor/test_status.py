"""The order state machine over HTTP: every allowed and forbidden move, and its audit rows."""

from __future__ import annotations

import itertools

import pytest

from examples.harbor.audit.models import AuditEntry
from examples.harbor.core.errors import InvalidTransition
from examples.harbor.orders.states import ALLOWED, OrderStatus, check_transition
from tests.harbor.conftest import Harbor, PartnerKeys

# How to reach each status from pending.
PATH_TO = {
    "pending": [],
    "authorized": ["authorized"],
    "captured": ["authorized", "captured"],
    "cancelled": ["cancelled"],
    "refunded": ["authorized", "captured", "refunded"],
}
EXPECTED_ALLOWED = {
    ("pending", "authorized"),
    ("pending", "cancelled"),
    ("authorized", "captured"),
    ("authorized", "cancelled"),
    ("captured", "refunded"),
}


def move(
    harbor: Harbor, partner: PartnerKeys, order_id: str, status: str, request_id: str = ""
) -> object:
    headers = {**partner.headers, **({"X-Request-ID": request_id} if request_id else {})}
    return harbor.client.patch(
        f"/api/v1/orders/{order_id}/status", json={"status": status}, headers=headers
    )


def test_every_pair_of_statuses(harbor: Harbor, alpha: PartnerKeys) -> None:
    statuses = [s.value for s in OrderStatus]
    for current, target in itertools.product(statuses, statuses):
        order_id = harbor.create_order(alpha).json()["id"]
        for step in PATH_TO[current]:
            assert move(harbor, alpha, order_id, step).status_code == 200
        audits_before = harbor.count(AuditEntry)
        response = move(harbor, alpha, order_id, target)
        if (current, target) in EXPECTED_ALLOWED:
            assert response.status_code == 200, (current, target, response.text)
            assert response.json()["status"] == target
            assert harbor.count(AuditEntry) == audits_before + 1
        else:
            assert response.status_code == 409, (current, target, response.text)
            assert response.json()["code"] == "invalid_transition"
            assert harbor.count(AuditEntry) == audits_before
            fetched = harbor.client.get(f"/api/v1/orders/{order_id}", headers=alpha.headers)
            assert fetched.json()["status"] == current


def test_each_transition_writes_an_audit_row(harbor: Harbor, alpha: PartnerKeys) -> None:
    order_id = harbor.create_order(alpha).json()["id"]
    move(harbor, alpha, order_id, "authorized", request_id="req-auth-1")
    move(harbor, alpha, order_id, "captured", request_id="req-capture-1")
    move(harbor, alpha, order_id, "authorized", request_id="req-refused")
    rows = harbor.rows(AuditEntry.__table__.select().order_by(AuditEntry.id))
    assert [(r.from_status, r.to_status, r.request_id) for r in rows] == [
        ("pending", "authorized", "req-auth-1"),
        ("authorized", "captured", "req-capture-1"),
    ]
    assert {r.actor_partner_id for r in rows} == {alpha.id}
    assert rows[0].created_at <= rows[1].created_at


def test_updated_at_moves_with_the_status(harbor: Harbor, alpha: PartnerKeys) -> None:
    created = harbor.create_order(alpha).json()
    moved = move(harbor, alpha, created["id"], "cancelled").json()  # type: ignore[attr-defined]
    assert moved["updated_at"] > created["updated_at"]
    assert moved["created_at"] == created["created_at"]


def test_an_unknown_status_is_422(harbor: Harbor, alpha: PartnerKeys) -> None:
    order_id = harbor.create_order(alpha).json()["id"]
    response = move(harbor, alpha, order_id, "shipped")
    assert response.status_code == 422  # type: ignore[attr-defined]


@pytest.mark.parametrize(("current", "target"), list(itertools.product(OrderStatus, OrderStatus)))
def test_the_state_table(current: OrderStatus, target: OrderStatus) -> None:
    assert (target in ALLOWED[current]) == ((current.value, target.value) in EXPECTED_ALLOWED)
    if (current.value, target.value) in EXPECTED_ALLOWED:
        check_transition(current, target)
    else:
        with pytest.raises(InvalidTransition):
            check_transition(current, target)
