"""Reject requests whose Host header is not in an allow-list (Starlette's middleware)."""

from starlette.middleware.trustedhost import TrustedHostMiddleware as TrustedHostMiddleware

__all__ = ["TrustedHostMiddleware"]
