"""Reading and validating a request body: one reader, one limit rule, every body kind.

A declared Content-Length over the limit is refused before anything is received; otherwise
bytes are counted as they arrive and reading stops at the first chunk past the limit, so a slow
or endless body costs at most one chunk more than the limit. `BodyStream` is the only place
that receives body messages: whole JSON bodies, form parsers and the request's own cache all go
through it.

Which reader a route uses (`read_json` from `receive`, `read_through_request`, or the form
reader of `accord._runtime.forms`) was chosen at registration from its `BodyKind`.
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator
from copy import deepcopy
from typing import Any

from pydantic import ValidationError
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.types import Message, Receive, Scope

from accord._plan import BodyPlan, ModelField, RoutePlan, missing_error
from accord.exceptions import ContentTooLargeError, HTTPException, RequestValidationError

__all__ = [
    "ABSENT",
    "BodyStream",
    "LimitedReceive",
    "declared_length",
    "materialize",
    "read_body_bytes",
    "read_json",
    "read_through_request",
    "reads_its_own_way",
    "request_stream",
    "too_large",
    "validate_bytes",
    "validate_field",
    "validate_received",
]

Read = tuple[Any, dict[str, Any], dict[str, list[Any]]]


class _Absent:
    """No value at all (an empty body, a missing key), as opposed to JSON's null."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "ABSENT"


ABSENT: Any = _Absent()
"""What a body reader returns: the body as received, the validated values, errors by key."""


def too_large(limit: int) -> ContentTooLargeError:
    """The 413 for a body over `limit` bytes."""
    return ContentTooLargeError(
        f"Request body is larger than the limit of {limit} bytes", limit=limit
    )


def declared_length(scope: Scope) -> int | None:
    """The request's Content-Length, when it is a plain number."""
    for name, value in scope["headers"]:
        if name == b"content-length":
            return int(value) if value.isdigit() else None
    return None


def check_declared_length(scope: Scope, limit: int | None) -> None:
    """Refuses a body whose Content-Length is over `limit`, before reading any of it."""
    if limit is not None:
        length = declared_length(scope)
        if length is not None and length > limit:
            raise too_large(limit)


class BodyStream:
    """The body's messages from `receive`, counted against `limit` (`None`: unlimited)."""

    __slots__ = ("done", "limit", "receive", "total")

    def __init__(self, receive: Receive, limit: int | None) -> None:
        self.receive = receive
        self.limit = limit
        self.total = 0
        self.done = False

    async def next_chunk(self) -> bytes:
        """The next chunk (possibly empty); sets `done` with the last one."""
        message = await self.receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnect()
        chunk: bytes = message.get("body", b"")
        self.total += len(chunk)
        if self.limit is not None and self.total > self.limit:
            raise too_large(self.limit)
        if not message.get("more_body", False):
            self.done = True
        return chunk

    async def read(self) -> bytes:
        """The whole body."""
        first = await self.next_chunk()
        if self.done:
            return first
        parts = [first]
        while not self.done:
            parts.append(await self.next_chunk())
        return b"".join(parts)

    async def chunks(self) -> AsyncGenerator[bytes, None]:
        """Every non-empty chunk, then one empty chunk, as `Request.stream()` yields them.

        The closing empty chunk is what tells Starlette's form parsers (before 1.10) that the
        body is over; without it the last urlencoded field is never flushed.
        """
        while not self.done:
            chunk = await self.next_chunk()
            if chunk:
                yield chunk
        yield b""


def reads_its_own_way(request: Request, method: str) -> bool:
    cls = type(request)
    if cls is Request:
        return False
    own_stream = cls.stream is not Request.stream
    return own_stream or getattr(cls, method) is not getattr(Request, method)


def request_stream(request: Request, limit: int | None) -> BodyStream | None:
    """A stream of the request's body, or None when a custom class or a cache has it already."""
    if hasattr(request, "_body"):
        return None
    check_declared_length(request.scope, limit)
    # Starlette's own flag, so a later `request.stream()` says "consumed" as usual.
    request._stream_consumed = True
    return BodyStream(request.receive, limit)


async def read_body_bytes(request: Request, limit: int | None) -> bytes:
    """The whole body, read within `limit`; cached on the request like `Request.body()`."""
    if reads_its_own_way(request, "body") or hasattr(request, "_body"):
        # A subclass that transforms the body (decompression, decryption) reads it its way;
        # the limit then applies to what it returns. Its failure on a client's bytes (a body
        # that is not gzip, say) is the client's 400, as in FastAPI.
        try:
            raw = await request.body()
        except (StarletteHTTPException, ClientDisconnect):
            raise
        except Exception as exc:
            raise HTTPException(400, "There was an error parsing the body") from exc
        if limit is not None and len(raw) > limit:
            raise too_large(limit)
        return raw
    stream = request_stream(request, limit)
    assert stream is not None
    raw = await stream.read()
    request._body = raw  # what `Request.body()` caches, so the endpoint can read it again
    return raw


class LimitedReceive:
    """A `receive` that counts body bytes and raises 413 past `limit`.

    Given to endpoints that read the raw request themselves (``request.body()``,
    ``request.stream()``), so their reads are bound too.
    """

    __slots__ = ("checked", "limit", "receive", "scope", "total")

    def __init__(self, scope: Scope, receive: Receive, limit: int) -> None:
        self.scope = scope
        self.receive = receive
        self.limit = limit
        self.total = 0
        self.checked = False

    async def __call__(self) -> Message:
        if not self.checked:
            self.checked = True
            check_declared_length(self.scope, self.limit)
        message = await self.receive()
        if message["type"] == "http.request":
            self.total += len(message.get("body", b""))
            if self.total > self.limit:
                raise too_large(self.limit)
        return message


# -- the readers, one per BodyKind ------------------------------------------------------


async def read_json(
    body: BodyPlan, scope: Scope, receive: Receive, request: Request | None, route: RoutePlan
) -> Read:
    """A JSON (or raw) body straight from `receive`, when nothing needs a `Request`."""
    limit = route.limits.max_body_size
    content_type: str | None = None
    for name, value in scope["headers"]:
        if name == b"content-type":
            content_type = value.decode("latin-1")
        elif name == b"content-length" and limit is not None and value.isdigit():
            declared = int(value)
            if declared > limit:  # refused before anything is received
                raise too_large(limit)
    raw = await BodyStream(receive, limit).read()
    return validate_bytes(body, raw, content_type, route.strict_content_type)


async def read_through_request(
    body: BodyPlan, scope: Scope, receive: Receive, request: Request | None, route: RoutePlan
) -> Read:
    """A JSON (or raw) body through the `Request` the endpoint also receives."""
    assert request is not None
    raw = await read_body_bytes(request, route.limits.max_body_size)
    content_type = request.headers.get("content-type")
    return validate_bytes(body, raw, content_type, route.strict_content_type)


# -- validation of what was received ----------------------------------------------------


def _is_json_content_type(content_type: str | None) -> bool:
    if not content_type:
        return False
    media = content_type.split(";", 1)[0].strip().lower()
    maintype, _, subtype = media.partition("/")
    return maintype == "application" and (subtype == "json" or subtype.endswith("+json"))


def validate_bytes(
    body: BodyPlan, raw: bytes, content_type: str | None, strict_content_type: bool
) -> Read:
    """Validates a received (non-form) body."""
    if not raw:
        return (None, *validate_received(body, ABSENT))
    is_json = (
        content_type == "application/json"
        or _is_json_content_type(content_type)
        or (not content_type and not strict_content_type)
    )
    if not is_json:
        return (raw, *validate_received(body, raw))
    # A JSON null is a value (validated as `None`), as in FastAPI 0.163; bodies with a null
    # still take the field-by-field path, which reports errors field by field as FastAPI does.
    if body.fast is not None and b"null" not in raw:
        try:
            # The adapter's core validator: the same call without the wrapper's frame.
            validated = body.fast.validator.validate_json(raw)
        except ValidationError:
            pass
        else:
            return _LazyJSON(raw), _fast_values(body, validated), {}
    received = _parse_json(raw)
    return (received, *validate_received(body, received))


class _LazyJSON:
    """The received JSON body, parsed only if an error report needs it."""

    __slots__ = ("raw",)

    def __init__(self, raw: bytes) -> None:
        self.raw = raw

    def load(self) -> Any:
        return json.loads(self.raw)


def materialize(received: Any) -> Any:
    """The body as FastAPI would hold it (parsed JSON, form data or bytes; None if absent)."""
    if received is ABSENT:
        return None
    return received.load() if isinstance(received, _LazyJSON) else received


def _fast_values(body: BodyPlan, validated: Any) -> dict[str, Any]:
    if not body.embed:
        return {body.keys[0]: validated}
    return {key: validated[f.lookup_alias] for key, f in zip(body.keys, body.fields, strict=True)}


def _parse_json(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        error = {
            "type": "json_invalid",
            "loc": ("body", exc.pos),
            "msg": "JSON decode error",
            "input": {},
            "ctx": {"error": exc.msg},
        }
        raise RequestValidationError([error], body=exc.doc) from exc
    except Exception as exc:
        raise HTTPException(400, "There was an error parsing the body") from exc


def validate_received(
    body: BodyPlan, received: Any
) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    """FastAPI's body validation: the whole body for one field, else key by key.

    `received` is `ABSENT` for an empty body; anything else (JSON's null included) is a value.
    """
    values: dict[str, Any] = {}
    errors: dict[str, list[Any]] = {}
    # A field that is the whole body: one, or one name declared again by dependencies (each
    # validated with its own annotation, as FastAPI solves each dependant's own). The others
    # are read key by key: embedded fields, a form model given a dict (an extension solving
    # with the body it built, as FastAPI 0.158.2+ does), an override's embedded fields.
    whole = body.whole if not body.embed else ()
    for index, (key, body_field) in enumerate(zip(body.keys, body.fields, strict=True)):
        if whole and whole[index]:
            validate_field(body_field, key, received, ("body",), values, errors)
            continue
        aliases = body_field.lookup_aliases
        loc = ("body", aliases[0])
        value = ABSENT
        if received is not ABSENT and not isinstance(received, bytes):
            try:  # embedded fields need an object: a list, a scalar or null has none
                for alias in aliases:  # `AliasChoices`: the first one sent
                    value = received.get(alias, ABSENT)
                    if value is not ABSENT:
                        loc = ("body", alias)
                        break
            except AttributeError:
                errors[key] = [missing_error(loc)]
                continue
        validate_field(body_field, key, value, loc, values, errors)
    return values, errors


def validate_field(
    body_field: ModelField,
    key: str,
    value: Any,
    loc: tuple[Any, ...],
    values: dict[str, Any],
    errors: dict[str, list[Any]],
) -> None:
    """Validates one body field's value (`ABSENT`: its default, or a missing error at `loc`)."""
    if value is ABSENT:
        if body_field.required:
            errors[key] = [missing_error(loc)]
            return
        value = deepcopy(body_field.default)
        if not body_field.field_info.validate_default:
            values[key] = value
            return
    result, found = body_field.validate(value, loc=loc)
    if found:
        errors[key] = found
    else:
        values[key] = result


def close_form_later(received: Any, stack: Any) -> None:
    """Closes a parsed form's files when the request's stack unwinds."""
    if stack is not None and isinstance(received, FormData):
        stack.push_async_callback(received.close)
