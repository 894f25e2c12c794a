"""Serving a directory of static files (Starlette's application)."""

from accord._backports import StaticFiles

__all__ = ["StaticFiles"]
