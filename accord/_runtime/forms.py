"""Form bodies: parsed by Starlette's parsers within the route's limits, then read through the
declared fields (the reading of each field was decided at registration, `BodyPlan.form_fields`).
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any

from starlette.datastructures import FormData, Headers, UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.formparsers import FormParser, MultiPartException, MultiPartParser
from starlette.requests import Request
from starlette.types import Receive, Scope

from accord._plan import BodyLimits, BodyPlan, FormField, RoutePlan
from accord._runtime.body import (
    ABSENT,
    Read,
    reads_its_own_way,
    request_stream,
    too_large,
    validate_received,
)
from accord.exceptions import ContentTooLargeError, HTTPException
from accord.limits import FormLimits

__all__ = ["collect_form", "read_form", "read_form_body"]

_DEFAULT_FORM = FormLimits()


async def read_form_body(
    body: BodyPlan, scope: Scope, receive: Receive, request: Request | None, route: RoutePlan
) -> Read:
    """A form body: parsed within the limits, then read through the declared fields."""
    assert request is not None
    try:
        form = await read_form(request, route.limits)
    except StarletteHTTPException:
        raise
    except Exception as exc:
        raise HTTPException(400, "There was an error parsing the body") from exc
    collected = await collect_form(body, form)
    return (form, *validate_received(body, collected))


async def _cached(body: bytes) -> AsyncGenerator[bytes, None]:
    yield body
    yield b""


async def read_form(request: Request, limits: BodyLimits) -> FormData:
    """The form (urlencoded or multipart), parsed as Starlette does, within the limits.

    A parsing error is a 400 with the parser's message, as in FastAPI; a limit is a 413.
    """
    if reads_its_own_way(request, "form"):
        return await request.form()
    content_type = request.headers.get("content-type", "")
    media = content_type.split(";", 1)[0].strip().lower()
    form_limits = limits.form or _DEFAULT_FORM
    explicit = limits.form is not None
    parser: _LimitedMultiPart | _LimitedUrlencoded
    if media not in ("multipart/form-data", "application/x-www-form-urlencoded"):
        form = FormData()
        request._form = form
        return form
    stream = request_stream(request, limits.max_body_size)
    if stream is None:  # already read (by a custom route class, for instance)
        cached: bytes = request._body
        if limits.max_body_size is not None and len(cached) > limits.max_body_size:
            raise too_large(limits.max_body_size)
        chunks = _cached(cached)
    else:
        chunks = stream.chunks()
    if media == "multipart/form-data":
        parser = _LimitedMultiPart(request.headers, chunks, form_limits, explicit)
    else:
        parser = _LimitedUrlencoded(request.headers, chunks, form_limits, explicit)
    try:
        form = await parser.parse()
    except MultiPartException as exc:
        raise HTTPException(status_code=400, detail=exc.message) from exc
    finally:
        await chunks.aclose()
    request._form = form  # what `Request.form()` caches
    return form


def _is_empty_file(value: Any) -> bool:
    # What a browser sends for a file input with nothing chosen.
    return isinstance(value, UploadFile) and value.filename == "" and value.size == 0


def _lookup(form: FormData, field: FormField) -> Any:
    """The field's value, or `ABSENT` (defaults are applied by validation, not here)."""
    if field.sequence:
        found = [item for item in form.getlist(field.alias) if not _is_empty_file(item)]
        return found if found else ABSENT
    value = form.get(field.alias)
    if value is None or value == "" or _is_empty_file(value):
        return ABSENT
    return value


async def _read_bytes(upload: UploadFile) -> bytes:
    # Reading for a bytes parameter leaves the file where it was, for anything else using it.
    position = upload.file.tell()
    try:
        return await upload.read()
    finally:
        await upload.seek(position)


async def collect_form(body: BodyPlan, form: FormData) -> dict[str, Any]:
    """FastAPI's reading of a form: declared fields, uploaded bytes read, then extra keys."""
    collected: dict[str, Any] = {}
    for field in body.form_fields:
        value = _lookup(form, field)
        if value is ABSENT:
            continue
        if field.read_bytes == "one" and isinstance(value, UploadFile):
            value = await _read_bytes(value)
        elif field.read_bytes == "many" and isinstance(value, list):
            contents = [
                await _read_bytes(item) if isinstance(item, UploadFile) else item
                for item in value
            ]
            assert field.container is not None
            value = field.container(contents)
        collected[field.alias] = value
    declared = {field.alias for field in body.form_fields}
    for key in form:
        if key not in declared:
            found = form.getlist(key)
            collected[key] = found[0] if len(found) == 1 else found
    return collected


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
