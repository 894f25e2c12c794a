"""Response classes: Starlette's, plus the deprecated `ORJSONResponse` and `UJSONResponse`.

An endpoint with a return type or `response_model` is serialized straight to JSON bytes by
Pydantic, which is faster than either third-party JSON library; the two classes remain for
applications that name them, and warn when instantiated.
"""

from typing import Any

from starlette.responses import FileResponse as FileResponse
from starlette.responses import HTMLResponse as HTMLResponse
from starlette.responses import JSONResponse as JSONResponse
from starlette.responses import PlainTextResponse as PlainTextResponse
from starlette.responses import RedirectResponse as RedirectResponse
from starlette.responses import Response as Response
from starlette.responses import StreamingResponse as StreamingResponse
from typing_extensions import deprecated

from accord.exceptions import FastAPIDeprecationWarning
from accord.sse import EventSourceResponse as EventSourceResponse

try:
    import orjson
except ImportError:  # pragma: no cover - optional dependency
    orjson = None  # type: ignore[assignment]

try:
    import ujson
except ImportError:  # pragma: no cover - optional dependency
    ujson = None  # type: ignore[assignment]

__all__ = [
    "EventSourceResponse",
    "FileResponse",
    "HTMLResponse",
    "JSONResponse",
    "ORJSONResponse",
    "PlainTextResponse",
    "RedirectResponse",
    "Response",
    "StreamingResponse",
    "UJSONResponse",
]

_DEPRECATION = (
    "{name} is deprecated: declare a return type or response_model instead, and Accord "
    "serializes the result to JSON bytes with Pydantic, faster and without a custom "
    "response class."
)


@deprecated(_DEPRECATION.format(name="UJSONResponse"), category=FastAPIDeprecationWarning)
class UJSONResponse(JSONResponse):
    """A JSON response serialized with `ujson` (deprecated; needs `pip install ujson`)."""

    def render(self, content: Any) -> bytes:
        """Serialize `content` with ujson, keeping non-ASCII characters as UTF-8."""
        if ujson is None:
            raise RuntimeError("UJSONResponse needs the ujson package: pip install ujson")
        return ujson.dumps(content, ensure_ascii=False).encode("utf-8")


@deprecated(_DEPRECATION.format(name="ORJSONResponse"), category=FastAPIDeprecationWarning)
class ORJSONResponse(JSONResponse):
    """A JSON response serialized with `orjson` (deprecated; needs `pip install orjson`).

    Non-string dict keys and NumPy arrays are accepted, as orjson's options allow.
    """

    def render(self, content: Any) -> bytes:
        """Serialize `content` with orjson."""
        if orjson is None:
            raise RuntimeError("ORJSONResponse needs the orjson package: pip install orjson")
        return orjson.dumps(content, option=orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY)
