"""HMAC-SHA256 webhook signatures, and how a receiver checks them.

The ``Harbor-Signature`` header reads ``t=<unix time>,v1=<hex digest>``, where the digest
is HMAC-SHA256 under the partner's webhook secret of ``"<t>." + body``. Signing the time
lets receivers refuse replays of old deliveries.
"""

from __future__ import annotations

import hashlib
import hmac
import time

__all__ = ["SIGNATURE_HEADER", "sign", "verify"]

SIGNATURE_HEADER = "Harbor-Signature"


def _digest(secret: str, timestamp: int, body: bytes) -> str:
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def sign(secret: str, body: bytes, timestamp: int | None = None) -> str:
    """The ``Harbor-Signature`` header value for `body`."""
    stamp = int(time.time()) if timestamp is None else timestamp
    return f"t={stamp},v1={_digest(secret, stamp, body)}"


def verify(secret: str, header: str, body: bytes, *, tolerance: float = 300.0) -> bool:
    """True when `header` is a valid signature of `body`, made less than `tolerance` s ago."""
    try:
        fields = dict(part.split("=", 1) for part in header.split(","))
        stamp = int(fields["t"])
        given = fields["v1"]
    except (KeyError, ValueError):
        return False
    if abs(time.time() - stamp) > tolerance:
        return False
    return hmac.compare_digest(given, _digest(secret, stamp, body))
