"""Redirect plain HTTP and WS requests to HTTPS and WSS (Starlette's middleware)."""

from starlette.middleware.httpsredirect import HTTPSRedirectMiddleware as HTTPSRedirectMiddleware

__all__ = ["HTTPSRedirectMiddleware"]
