"""The base class every security scheme dependency derives from."""

from __future__ import annotations

from typing import Any

__all__ = ["SecurityBase"]


class SecurityBase:
    """A dependency that is also an OpenAPI security scheme (`model`, `scheme_name`)."""

    model: Any
    scheme_name: str
