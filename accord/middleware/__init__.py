"""Middleware: `Middleware` wraps a class and its options for `Accord(middleware=[...])`."""

from starlette.middleware import Middleware as Middleware

__all__ = ["Middleware"]
