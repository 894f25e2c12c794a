"""What `accord openapi diff` reports: a :class:`Change` between two OpenAPI documents.

A change is **breaking** when a client written against the old document can fail against the
new one (a request it sends is refused, or a response it reads has a shape it does not expect),
and **compatible** otherwise. Each change names its rule, the operation it belongs to, and a
JSON pointer: into the new document, or into the old one for what was removed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["Change", "DiffOptions", "Kind", "Side", "pointer", "pointer_token"]

Kind = Literal["breaking", "compatible"]
Side = Literal["old", "new"]


@dataclass(frozen=True, order=True)
class Change:
    """One difference between two documents, classified for clients.

    Attributes:
        operation: ``GET /items/{item_id}`` (the new document's path, or the old one's for a
            removed operation); ``""`` for a change that belongs to no operation.
        kind: ``breaking`` or ``compatible``.
        rule: The kind of change (``response-status-removed``, ``enum-value-added``...).
        pointer: A JSON pointer to where the change is.
        document: Which document `pointer` points into: ``new``, or ``old`` for a removal.
        message: One sentence for a reader: what changed, where.
    """

    operation: str
    kind: Kind
    rule: str
    pointer: str
    document: Side
    message: str

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready data (``accord openapi diff --format json``)."""
        return {
            "operation": self.operation,
            "kind": self.kind,
            "rule": self.rule,
            "pointer": self.pointer,
            "document": self.document,
            "message": self.message,
        }


@dataclass(frozen=True)
class DiffOptions:
    """How the comparison classifies the changes that depend on a team's clients.

    Attributes:
        response_enum_added_breaking: Whether a value added to an enum in a response is
            breaking (a client that switches on the value meets one it does not know). On by
            default; off for APIs whose clients are told to tolerate unknown values.
    """

    response_enum_added_breaking: bool = True


def pointer_token(token: object) -> str:
    """One reference token of a JSON pointer (RFC 6901): ``~`` and ``/`` escaped."""
    return str(token).replace("~", "~0").replace("/", "~1")


def pointer(*tokens: object) -> str:
    """``/paths/~1items/get``: the pointer made of `tokens`."""
    return "".join("/" + pointer_token(token) for token in tokens)
