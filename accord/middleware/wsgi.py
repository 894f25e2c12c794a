"""Mount a WSGI application (Starlette's middleware).

Starlette deprecates this module and warns when it is first imported; the warning is
passed on unchanged. `a2wsgi` is the maintained replacement.
"""

from starlette.middleware.wsgi import WSGIMiddleware as WSGIMiddleware

__all__ = ["WSGIMiddleware"]
