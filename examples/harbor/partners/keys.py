"""API key generation and hashing."""

from __future__ import annotations

import hashlib
import hmac
import secrets

__all__ = ["hash_api_key", "new_api_key"]


def new_api_key() -> str:
    """A fresh key: a recognisable prefix and 256 random bits."""
    return "hp_" + secrets.token_urlsafe(32)


def hash_api_key(key: str, pepper: str) -> str:
    """The stored form of `key`: HMAC-SHA256 keyed with the server's pepper.

    Keys are long random strings, so a fast keyed hash is enough (a slow password hash
    would only add latency to every request).
    """
    return hmac.new(
        pepper.encode(), key.encode("utf-8", "surrogateescape"), hashlib.sha256
    ).hexdigest()
