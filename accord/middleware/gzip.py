"""Gzip compression of responses (Starlette's middleware)."""

from starlette.middleware.gzip import GZipMiddleware as GZipMiddleware

__all__ = ["GZipMiddleware"]
