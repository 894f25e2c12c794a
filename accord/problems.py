"""Problem Details (RFC 9457): error responses as ``application/problem+json``.

Off by default: errors keep FastAPI's ``{"detail": ...}`` shape. ``error_format="problem"`` on
the app, a router, `include_router` or a route (the nearest setting wins) turns every error
answered there into a problem document::

    {"type": "about:blank", "title": "Not Found", "status": 404,
     "detail": "No such order", "instance": "/orders/7"}

Validation failures (422) add ``errors``, the same entries FastAPI lists under ``detail``.
"""

from __future__ import annotations

import http.client
from collections.abc import Mapping
from typing import Any, Literal

from starlette.types import Scope

from accord._safe_json import SafeJSONResponse
from accord.exceptions import AccordError

__all__ = [
    "ERROR_FORMATS",
    "PROBLEM_MEDIA_TYPE",
    "ErrorFormat",
    "ProblemResponse",
    "check_error_format",
    "error_format_of",
    "problem_content",
    "status_title",
]

ErrorFormat = Literal["fastapi", "problem"]
"""``"fastapi"``: ``{"detail": ...}`` bodies (the default); ``"problem"``: RFC 9457 documents."""

ERROR_FORMATS: tuple[str, ...] = ("fastapi", "problem")

PROBLEM_MEDIA_TYPE = "application/problem+json"

# RFC 9110's names, where Python's table still has the older ones (before 3.13).
_TITLES = {413: "Content Too Large", 416: "Range Not Satisfiable", 422: "Unprocessable Content"}

# The scope key through which a route tells the exception handlers its error format.
SCOPE_KEY = "accord.error_format"


class ProblemResponse(SafeJSONResponse):
    """A JSON response sent as ``application/problem+json``."""

    media_type = PROBLEM_MEDIA_TYPE


def status_title(status_code: int) -> str:
    """The status code's reason phrase (RFC 9110 wording), the problem's default `title`."""
    return _TITLES.get(status_code) or http.client.responses.get(status_code, "Error")


def problem_content(
    status_code: int,
    *,
    detail: Any = None,
    type: str = "about:blank",
    title: str | None = None,
    instance: str | None = None,
    extensions: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The members of a problem document, in RFC 9457's order, then the extensions.

    Args:
        status_code: The HTTP status (``status``).
        detail: A human-readable explanation of this occurrence; left out when `None`.
        type: A URI naming the problem type; ``about:blank`` means "just the status".
        title: A short summary of the type; the status's reason phrase by default.
        instance: A URI of this occurrence (Accord's handlers give the request path).
        extensions: Further members (``errors`` for validation failures, for instance).

    Returns:
        The document as a dict, ready for :class:`ProblemResponse`.
    """
    content: dict[str, Any] = {
        "type": type,
        "title": title or status_title(status_code),
        "status": status_code,
    }
    if detail is not None:
        content["detail"] = detail
    if instance is not None:
        content["instance"] = instance
    for key, value in (extensions or {}).items():
        content.setdefault(key, value)
    return content


def check_error_format(value: object, where: str) -> None:
    """Raises `AccordError` unless `value` is one of the error formats."""
    if value not in ERROR_FORMATS:
        raise AccordError(
            f'error_format must be "fastapi" (FastAPI\'s {{"detail": ...}}) or "problem" '
            f"(RFC 9457 problem details); got {value!r} ({where})"
        )


def error_format_of(scope: Scope) -> str:
    """The error format for the request in `scope`: its route's, else its app's."""
    chosen = scope.get(SCOPE_KEY)
    if chosen is None:
        chosen = getattr(scope.get("app"), "error_format", None)
    return chosen if isinstance(chosen, str) else "fastapi"
