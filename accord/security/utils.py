"""Splitting an ``Authorization`` header value into its scheme and its parameter."""

from __future__ import annotations

__all__ = ["get_authorization_scheme_param"]


def get_authorization_scheme_param(authorization_header_value: str | None) -> tuple[str, str]:
    """Split ``"Bearer abc"`` into ``("Bearer", "abc")``.

    Args:
        authorization_header_value: The raw header value, or None when the header is absent.

    Returns:
        The scheme (the text before the first space) and the parameter (the rest, stripped of
        surrounding whitespace). Both are empty strings when the value is missing or empty.
    """
    if not authorization_header_value:
        return "", ""
    scheme, _, param = authorization_header_value.partition(" ")
    return scheme, param.strip()
