"""Cross-Origin Resource Sharing (Starlette's middleware), and a check of its setup.

``allow_origins=["*"]`` together with ``allow_credentials=True`` makes Starlette echo any
requesting origin back with ``Access-Control-Allow-Credentials: true``: every web site can
then read responses made with the user's cookies. The behaviour is kept (applications rely
on it, and FastAPI behaves the same); :func:`check_cors_setup` logs a warning about it, and
the application calls it when it builds its middleware stack, that is at start-up.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable
from typing import Any

from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware as CORSMiddleware

from accord.logger import logger

# `check_cors_setup` is for the application, not part of FastAPI's export list here.
__all__ = ["CORSMiddleware"]

# Origin patterns that accept every origin, as far as credentials are concerned.
_MATCH_ALL_REGEXES = frozenset({".*", ".+", "^.*$", "^.+$", "^.*", ".*$", "https?://.*"})

WILDCARD_CREDENTIALS_WARNING = (
    "CORSMiddleware: allow_origins=['*'] (or a match-all allow_origin_regex) with "
    "allow_credentials=True lets every web site send credentialed requests and read the "
    "answers, because the requesting origin is echoed back. List the trusted origins in "
    "allow_origins instead."
)


def _options(middleware: Middleware) -> dict[str, Any] | None:
    """The CORS options of one middleware entry, or None when it is not CORS."""
    if not (inspect.isclass(middleware.cls) and issubclass(middleware.cls, CORSMiddleware)):
        return None
    try:
        bound = inspect.signature(CORSMiddleware).bind(None, *middleware.args, **middleware.kwargs)
    except TypeError:  # the middleware's own constructor will report it
        return None
    return dict(bound.arguments)


def check_cors_setup(middleware: Iterable[Middleware]) -> list[str]:
    """Warn (on the ``accord`` logger) about CORS entries that let any origin use credentials.

    Args:
        middleware: The application's middleware entries (``app.user_middleware``).

    Returns:
        The warnings logged, one per risky entry.
    """
    warnings = []
    for entry in middleware:
        options = _options(entry)
        if options is None or not options.get("allow_credentials", False):
            continue
        wildcard = "*" in options.get("allow_origins", ())
        if wildcard or options.get("allow_origin_regex") in _MATCH_ALL_REGEXES:
            logger.warning(WILDCARD_CREDENTIALS_WARNING)
            warnings.append(WILDCARD_CREDENTIALS_WARNING)
    return warnings
