"""Reading a request body within its limits, stopping as soon as one is exceeded.

A declared Content-Length over the limit is refused before anything is received; otherwise
bytes are counted as they arrive and reading stops at the first chunk past the limit, so a
slow or endless body costs at most one chunk more than the limit.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import FormData, Headers
from starlette.formparsers import FormParser, MultiPartException, MultiPartParser
from starlette.requests import ClientDisconnect, Request
from starlette.types import Message, Receive, Scope

from accord.datastructures import DefaultPlaceholder
from accord.exceptions import AccordError, ContentTooLargeError, HTTPException
from accord.limits import FormLimits
from accord.problems import check_error_format

__all__ = [
    "NO_LIMITS",
    "BodyLimits",
    "LimitedReceive",
    "read_body_bytes",
    "read_form",
    "route_error_options",
]

_DEFAULT_FORM = FormLimits()


@dataclass(frozen=True, slots=True)
class BodyLimits:
    """A route's limits, resolved at registration (`None`: unlimited)."""

    max_body_size: int | None
    form: FormLimits | None


NO_LIMITS = BodyLimits(None, None)


def _resolved(value: Any) -> Any:
    return value.value if isinstance(value, DefaultPlaceholder) else value


def route_error_options(route: Any) -> tuple[str, BodyLimits]:
    """The route's error format and body limits, checked now so a mistake fails at start-up."""
    where = f"path operation {sorted(route.methods)} {route.path!r} ({route.name})"
    error_format = _resolved(getattr(route, "error_format", "fastapi"))
    check_error_format(error_format, where)
    max_body_size = _resolved(getattr(route, "max_body_size", None))
    if max_body_size is not None and (
        not isinstance(max_body_size, int) or isinstance(max_body_size, bool) or max_body_size < 0
    ):
        raise AccordError(
            f"max_body_size must be a number of bytes (an int >= 0) or None for no limit "
            f"(got {max_body_size!r}, {where})"
        )
    form = _resolved(getattr(route, "form_limits", None))
    if form is not None and not isinstance(form, FormLimits):
        raise AccordError(
            f"form_limits must be an accord.limits.FormLimits(...) or None (got {form!r}, {where})"
        )
    return error_format, BodyLimits(max_body_size, form)


def too_large(limit: int) -> ContentTooLargeError:
    """The 413 for a body over `limit` bytes."""
    return ContentTooLargeError(
        f"Request body is larger than the limit of {limit} bytes", limit=limit
    )


def _declared_length(headers: Any) -> int | None:
    value = headers.get("content-length")
    return int(value) if value is not None and value.isdigit() else None


def check_declared_length(headers: Any, limit: int | None) -> None:
    """Refuses a body whose Content-Length is over `limit`, before reading any of it."""
    if limit is not None:
        length = _declared_length(headers)
        if length is not None and length > limit:
            raise too_large(limit)


async def _chunks(request: Request, limit: int | None) -> AsyncGenerator[bytes, None]:
    """The body's chunks as they arrive, raising at the first one that passes `limit`."""
    if hasattr(request, "_body"):  # already read (by a custom route class, for instance)
        body: bytes = request._body
        if limit is not None and len(body) > limit:
            raise too_large(limit)
        yield body
        return
    check_declared_length(request.headers, limit)
    receive = request.receive
    total = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnect()
        chunk = message.get("body", b"")
        if chunk:
            total += len(chunk)
            if limit is not None and total > limit:
                raise too_large(limit)
            yield chunk
        if not message.get("more_body", False):
            # Starlette's own flag, so a later `request.stream()` says "consumed" as usual.
            request._stream_consumed = True
            return


def _reads_its_own_way(request: Request, method: str) -> bool:
    cls = type(request)
    if cls is Request:
        return False
    own_stream = cls.stream is not Request.stream
    return own_stream or getattr(cls, method) is not getattr(Request, method)


async def read_body_bytes(request: Request, limit: int | None) -> bytes:
    """The whole body, read within `limit`; cached on the request like `Request.body()`."""
    if _reads_its_own_way(request, "body"):
        # A subclass that transforms the body (decompression, decryption) reads it its way;
        # the limit then applies to what it returns.
        raw = await request.body()
        if limit is not None and len(raw) > limit:
            raise too_large(limit)
        return raw
    parts = [chunk async for chunk in _chunks(request, limit)]
    raw = parts[0] if len(parts) == 1 else b"".join(parts)
    request._body = raw  # what `Request.body()` caches, so the endpoint can read it again
    return raw


async def read_form(request: Request, limits: BodyLimits) -> FormData:
    """The form (urlencoded or multipart), parsed as Starlette does, within the limits.

    A parsing error is a 400 with the parser's message, as in FastAPI; a limit is a 413.
    """
    if _reads_its_own_way(request, "form"):
        return await request.form()
    content_type = request.headers.get("content-type", "")
    media = content_type.split(";", 1)[0].strip().lower()
    form_limits = limits.form or _DEFAULT_FORM
    stream = _chunks(request, limits.max_body_size)
    parser: _LimitedMultiPart | _LimitedUrlencoded
    if media == "multipart/form-data":
        parser = _LimitedMultiPart(request.headers, stream, form_limits, limits.form is not None)
    elif media == "application/x-www-form-urlencoded":
        parser = _LimitedUrlencoded(request.headers, stream, form_limits, limits.form is not None)
    else:
        form = FormData()
        request._form = form
        return form
    try:
        form = await parser.parse()
    except MultiPartException as exc:
        raise HTTPException(status_code=400, detail=exc.message) from exc
    finally:
        await stream.aclose()
    request._form = form  # what `Request.form()` caches
    return form


def _too_many(what: str, limit: int) -> ContentTooLargeError:
    return ContentTooLargeError(f"Too many {what}: the limit is {limit}", limit=limit)


def _part_too_large(limit: int) -> ContentTooLargeError:
    return ContentTooLargeError(
        f"A form field is larger than the limit of {limit} bytes", limit=limit
    )


class _LimitedMultiPart(MultiPartParser):
    """Starlette's multipart parser, with a size limit per file and 413s for explicit limits.

    Without explicit `FormLimits` the counts keep Starlette's defaults and answers (400), as in
    FastAPI; with them, every exceeded limit is a 413.
    """

    def __init__(
        self,
        headers: Headers,
        stream: AsyncGenerator[bytes, None],
        limits: FormLimits,
        explicit: bool,
    ) -> None:
        big = float("inf")
        super().__init__(
            headers,
            stream,
            max_files=big if explicit else limits.max_files,
            max_fields=big if explicit else limits.max_fields,
            max_part_size=limits.max_part_size,
        )
        self.limits = limits
        self.explicit = explicit
        self.file_size = 0
        self.files = 0
        self.fields = 0

    def on_part_begin(self) -> None:
        self.file_size = 0
        super().on_part_begin()

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        part = self._current_part
        if part.file is not None:
            self.file_size += end - start
            limit = self.limits.max_file_size
            if limit is not None and self.file_size > limit:
                raise ContentTooLargeError(
                    f"File {part.field_name!r} is larger than the limit of {limit} bytes",
                    limit=limit,
                )
        elif self.explicit and len(part.data) + end - start > self.limits.max_part_size:
            raise _part_too_large(self.limits.max_part_size)
        super().on_part_data(data, start, end)

    def on_headers_finished(self) -> None:
        super().on_headers_finished()
        if not self.explicit:
            return
        if self._current_part.file is not None:
            self.files += 1
            if self.files > self.limits.max_files:
                raise _too_many("files", self.limits.max_files)
        else:
            self.fields += 1
            if self.fields > self.limits.max_fields:
                raise _too_many("fields", self.limits.max_fields)


class _LimitedUrlencoded(FormParser):
    """Starlette's urlencoded parser, answering 413 for explicit `FormLimits`."""

    def __init__(
        self,
        headers: Headers,
        stream: AsyncGenerator[bytes, None],
        limits: FormLimits,
        explicit: bool,
    ) -> None:
        big = float("inf")
        super().__init__(
            headers,
            stream,
            max_fields=big if explicit else limits.max_fields,
            max_part_size=limits.max_part_size,
        )
        self.limits = limits
        self.explicit = explicit
        self.size = 0
        self.fields = 0

    def on_field_start(self) -> None:
        self.size = 0
        super().on_field_start()

    def on_field_name(self, data: bytes, start: int, end: int) -> None:
        self._count(end - start)
        super().on_field_name(data, start, end)

    def on_field_data(self, data: bytes, start: int, end: int) -> None:
        self._count(end - start)
        super().on_field_data(data, start, end)

    def _count(self, size: int) -> None:
        self.size += size
        if self.explicit and self.size > self.limits.max_part_size:
            raise _part_too_large(self.limits.max_part_size)

    def on_field_end(self) -> None:
        self.fields += 1
        if self.explicit and self.fields > self.limits.max_fields:
            raise _too_many("fields", self.limits.max_fields)
        super().on_field_end()


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
            check_declared_length(Headers(scope=self.scope), self.limit)
        message = await self.receive()
        if message["type"] == "http.request":
            self.total += len(message.get("body", b""))
            if self.total > self.limit:
                raise too_large(self.limit)
        return message
