"""The default exception handlers; importable to call from custom handlers.

Each answers in the error format of the failing route (or of the app): FastAPI's
``{"detail": ...}`` by default, an RFC 9457 problem document with ``error_format="problem"``.
"""

from __future__ import annotations

import http.client
from collections.abc import Mapping
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.status import WS_1008_POLICY_VIOLATION
from starlette.websockets import WebSocket

from accord._plan import is_body_allowed_for_status_code
from accord._safe_json import SafeJSONResponse
from accord.encoders import jsonable_encoder
from accord.exceptions import RequestValidationError, WebSocketRequestValidationError
from accord.problems import ProblemResponse, error_format_of, problem_content

__all__ = [
    "http_exception_handler",
    "request_validation_exception_handler",
    "websocket_request_validation_exception_handler",
]


async def http_exception_handler(request: Request, exc: HTTPException) -> Response:
    """``{"detail": ...}`` with the exception's status and headers (no body if none is allowed)."""
    headers = getattr(exc, "headers", None)
    if not is_body_allowed_for_status_code(exc.status_code):
        return Response(status_code=exc.status_code, headers=headers)
    if error_format_of(request.scope) == "problem":
        content = http_exception_problem(exc.status_code, exc.detail, request.url.path)
        return ProblemResponse(content, status_code=exc.status_code, headers=headers)
    return SafeJSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=headers)


def http_exception_problem(status_code: int, detail: Any, instance: str) -> dict[str, Any]:
    """The problem document of an `HTTPException`.

    A string `detail` is the problem's ``detail`` (left out when it only repeats the status
    phrase); a mapping is the problem itself (its ``type``, ``title``, ``detail`` and
    ``instance`` replace the defaults, other keys become extension members); a list becomes
    the ``errors`` member.
    """
    if isinstance(detail, Mapping):
        members = dict(jsonable_encoder(detail))
        members.pop("status", None)
        return problem_content(
            status_code,
            detail=members.pop("detail", None),
            type=str(members.pop("type", "about:blank")),
            title=members.pop("title", None),
            instance=members.pop("instance", instance),
            extensions=members,
        )
    if isinstance(detail, list | tuple):
        return problem_content(
            status_code, instance=instance, extensions={"errors": jsonable_encoder(detail)}
        )
    text: str | None = detail if isinstance(detail, str) else str(jsonable_encoder(detail))
    if text == http.client.responses.get(status_code):
        text = None
    return problem_content(status_code, detail=text, instance=instance)


async def request_validation_exception_handler(
    request: Request, exc: RequestValidationError
) -> JSONResponse:
    """422 with the error list as ``{"detail": [...]}`` (or a problem's ``errors``)."""
    errors = jsonable_encoder(exc.errors())
    if error_format_of(request.scope) == "problem":
        count = len(errors)
        content = problem_content(
            422,
            detail=f"{count} validation error{'' if count == 1 else 's'} in the request",
            instance=request.url.path,
            extensions={"errors": errors},
        )
        return ProblemResponse(content, status_code=422)
    return SafeJSONResponse(status_code=422, content={"detail": errors})


async def websocket_request_validation_exception_handler(
    websocket: WebSocket, exc: WebSocketRequestValidationError
) -> None:
    """Closes the socket with 1008 and the errors as the reason."""
    await websocket.close(code=WS_1008_POLICY_VIOLATION, reason=jsonable_encoder(exc.errors()))


async def server_error_handler(request: Request, exc: Exception) -> Response:
    """The 500 answer to an unhandled exception, without internals.

    Starlette's plain-text ``Internal Server Error`` by default; a problem document where
    the error format is ``"problem"``. (With ``debug=True`` Starlette shows the traceback.)
    """
    if error_format_of(request.scope) == "problem":
        return ProblemResponse(problem_content(500, instance=request.url.path), status_code=500)
    return PlainTextResponse("Internal Server Error", status_code=500)
