"""Serving a directory of static files (Starlette's application)."""

from starlette.staticfiles import StaticFiles as StaticFiles

__all__ = ["StaticFiles"]
