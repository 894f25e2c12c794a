"""JSON for documents that echo what a client sent: never a 500 because the input was odd.

A 422 document repeats the offending input. JSON has no spelling for ``1e999999`` once parsed
(``inf``) or for ``NaN``, and a lone surrogate (``"\\ud800"``) cannot be encoded as UTF-8, so
Starlette's `JSONResponse` fails on them and the client gets a 500 (FastAPI too). Here the
ordinary bytes are produced when they can be (identical to `JSONResponse`), and only otherwise
a valid document: non-finite numbers spelled as the strings ``"Infinity"``, ``"-Infinity"`` and
``"NaN"`` in error documents (``null`` in responses, as pydantic writes them), and the text
ASCII-escaped, which writes a lone surrogate back as the ``\\ud800``
escape the client sent.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

from starlette.responses import JSONResponse

__all__ = ["SafeJSONResponse", "safe_json_bytes", "stream_json"]


def safe_json_bytes(content: Any, *, spell_non_finite: bool = True) -> bytes:
    """`content` as `JSONResponse` would write it, or as valid JSON when that fails.

    Args:
        content: JSON-compatible data (what `jsonable_encoder` returns).
        spell_non_finite: write ``inf``/``nan`` as the strings ``"Infinity"``, ``"-Infinity"``
            and ``"NaN"`` (error documents, where the input is what matters); otherwise as
            ``null``, as pydantic serializes them in a response model.
    """
    try:
        return json.dumps(
            content, ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":")
        ).encode("utf-8")
    except (ValueError, UnicodeEncodeError):
        finite = _finite(content, _spelled if spell_non_finite else _null)
        return json.dumps(finite, ensure_ascii=True, allow_nan=False, separators=(",", ":")).encode(
            "ascii"
        )


def stream_json(content: Any) -> str:
    """A streamed item (JSON Lines, an SSE event's data) as FastAPI 0.163 writes it: with
    `json.dumps`' default spelling, and non-finite numbers as ``null`` (valid JSON)."""
    try:
        return json.dumps(content, allow_nan=False)
    except ValueError:
        return json.dumps(_finite(content, _null))


def _spelled(value: float) -> str:
    return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")


def _null(value: float) -> None:
    return None


def _finite(value: Any, replace: Callable[[float], Any]) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return replace(value)
    if isinstance(value, dict):
        return {key: _finite(item, replace) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(item, replace) for item in value]
    return value


class SafeJSONResponse(JSONResponse):
    """A `JSONResponse` that answers with valid JSON whatever the client's input was."""

    def render(self, content: Any) -> bytes:
        return safe_json_bytes(content)
