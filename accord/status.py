"""HTTP and WebSocket status codes as named constants (`status.HTTP_404_NOT_FOUND`).

The same names as `starlette.status`; the names it deprecated still resolve, with its
deprecation warning.
"""

import starlette.status as _starlette_status
from starlette.status import *  # noqa: F403 - the whole table is the point of this module

from accord._backports import DEPRECATED_STATUS_NAMES as _DEPRECATED
from accord._backports import STATUS_NAMES as _STATUS_NAMES

__all__ = _STATUS_NAMES


def __getattr__(name: str) -> int:
    # Old names (HTTP_422_UNPROCESSABLE_ENTITY, ...) are served by Starlette's own module
    # hook so that they warn exactly as they do there.
    if name in _DEPRECATED:
        value: int = getattr(_starlette_status, name)
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
