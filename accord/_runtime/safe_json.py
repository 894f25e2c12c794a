"""JSON for documents that echo what a client sent: never a 500 because the input was odd.

A 422 document repeats the offending input. JSON has no spelling for ``1e999999`` once parsed
(``inf``) or for ``NaN``, and a lone surrogate (``"\\ud800"``) cannot be encoded as UTF-8, so
Starlette's `JSONResponse` fails on them and the client gets a 500 (FastAPI too). Here the
ordinary bytes are produced when they can be (identical to `JSONResponse`), and only otherwise
a valid document: non-finite numbers spelled as the strings ``"Infinity"``, ``"-Infinity"`` and
``"NaN"``, and the text ASCII-escaped, which writes a lone surrogate back as the ``\\ud800``
escape the client sent.
"""

from __future__ import annotations

import json
import math
from typing import Any

from starlette.responses import JSONResponse

__all__ = ["SafeJSONResponse", "safe_json_bytes"]


def safe_json_bytes(content: Any) -> bytes:
    """`content` as `JSONResponse` would write it, or as valid JSON when that fails."""
    try:
        return json.dumps(
            content, ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":")
        ).encode("utf-8")
    except (ValueError, UnicodeEncodeError):
        return json.dumps(
            _finite(content), ensure_ascii=True, allow_nan=False, separators=(",", ":")
        ).encode("ascii")


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(item) for item in value]
    return value


class SafeJSONResponse(JSONResponse):
    """A `JSONResponse` that answers with valid JSON whatever the client's input was."""

    def render(self, content: Any) -> bytes:
        return safe_json_bytes(content)
