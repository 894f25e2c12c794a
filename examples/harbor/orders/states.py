"""The order state machine."""

from __future__ import annotations

from enum import Enum

from examples.harbor.core.errors import InvalidTransition

__all__ = ["ALLOWED", "OrderStatus", "check_transition"]


class OrderStatus(str, Enum):
    """Where an order is in its life."""

    pending = "pending"
    authorized = "authorized"
    captured = "captured"
    cancelled = "cancelled"
    refunded = "refunded"


ALLOWED: dict[OrderStatus, frozenset[OrderStatus]] = {
    OrderStatus.pending: frozenset({OrderStatus.authorized, OrderStatus.cancelled}),
    OrderStatus.authorized: frozenset({OrderStatus.captured, OrderStatus.cancelled}),
    OrderStatus.captured: frozenset({OrderStatus.refunded}),
    OrderStatus.cancelled: frozenset(),
    OrderStatus.refunded: frozenset(),
}


def check_transition(current: OrderStatus, target: OrderStatus) -> None:
    """Raise `InvalidTransition` unless `current -> target` is an allowed move."""
    if target not in ALLOWED[current]:
        allowed = ", ".join(sorted(s.value for s in ALLOWED[current])) or "none (final status)"
        raise InvalidTransition(
            f"An order in status '{current.value}' cannot move to '{target.value}'; "
            f"allowed: {allowed}."
        )
