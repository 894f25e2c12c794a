"""Incoming HTTP requests (Starlette's classes, at FastAPI's import path)."""

from starlette.requests import HTTPConnection as HTTPConnection
from starlette.requests import Request as Request

__all__ = ["HTTPConnection", "Request"]
