"""Form bodies: parsed by Starlette's parsers within the route's limits, then read through the
declared fields (the reading of each was decided at registration: `BodyPlan.form_fields` for
the plain fields, `BodyPlan.form_models` for the form models, each read from the whole form).
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any
from urllib.parse import unquote_plus

from pydantic_core import PydanticUndefined
from starlette.datastructures import FormData, Headers, UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import Request
from starlette.types import Receive, Scope

from accord._backports import querystring_parser
from accord._form_values import first_sent, read_model_fields, visited_names
from accord._plan import BodyLimits, BodyPlan, FormField, FormModel, RoutePlan
from accord._runtime.body import (
    ABSENT,
    Read,
    reads_its_own_way,
    request_stream,
    too_large,
    validate_field,
)
from accord.exceptions import ContentTooLargeError, HTTPException
from accord.limits import FormLimits

__all__ = ["collect_form", "read_form", "read_form_body", "validate_form"]

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
    return (form, *await validate_form(body, form))


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


async def _read_bytes(upload: UploadFile) -> bytes:
    # Reading for a bytes parameter leaves the file where it was, for anything else using it.
    position = upload.file.tell()
    try:
        return await upload.read()
    finally:
        await upload.seek(position)


async def collect_form(body: BodyPlan, form: FormData) -> list[Any]:
    """The plain form fields' values, in the order of `body.form_fields` (`ABSENT` for one not
    sent), uploads read into bytes where declared.

    By position, not by key: two parameters may read one key (``bytes`` and ``UploadFile``
    under one alias), each its own way.
    """
    collected: list[Any] = []
    for field in body.form_fields:
        value = first_sent(form, field)[1]
        if value is PydanticUndefined:
            collected.append(ABSENT)
            continue
        if field.read_bytes == "one" and isinstance(value, UploadFile):
            value = await _read_bytes(value)
        elif field.read_bytes == "many" and isinstance(value, list):
            contents = [
                await _read_bytes(item) if isinstance(item, UploadFile) else item for item in value
            ]
            assert field.container is not None
            value = field.container(contents)
        collected.append(value)
    return collected


def _model_input(model: FormModel, form: FormData) -> Any:
    """A form model's input from the whole form, or `ABSENT` for an optional one not sent."""
    if model.optional and not (
        not model.names.isdisjoint(form) or (model.takes_extras and len(form) > 0)
    ):
        return ABSENT
    return read_model_fields(model.fields, model.declared, form)


async def validate_form(
    body: BodyPlan, form: FormData
) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    """FastAPI's form validation: plain fields at ``["body", key]``, form models at ``["body"]``."""
    plain = iter(await collect_form(body, form))  # one value per plain field, in order
    readers = iter(body.form_fields)
    whole = body.whole if not body.embed else ()
    values: dict[str, Any] = {}
    errors: dict[str, list[Any]] = {}
    for index, (key, body_field, model) in enumerate(
        zip(body.keys, body.fields, body.form_models, strict=True)
    ):
        loc: tuple[str, ...]
        if model is None:
            value, loc = next(plain), ("body", body_field.lookup_alias)
            reader = next(readers)
            if whole and whole[index]:
                # The whole body (an override's one field under a form route that is not
                # embedded): what FastAPI makes of the form, its value and every other key.
                value, loc = _whole_form(reader, value, form), ("body",)
        else:
            value, loc = _model_input(model, form), ("body",)
        validate_field(body_field, key, value, loc, values, errors)
    return values, errors


def _whole_form(field: FormField, value: Any, form: FormData) -> dict[str, Any]:
    """The form as one field that is the whole body reads it: the field's value under the
    name the form sends it by, then every other key (repeated ones as a list)."""
    alias = first_sent(form, field)[0]
    found = {} if value is ABSENT else {alias: value}
    visited = visited_names((field,), form)
    for name in form:
        if name not in visited:
            items = form.getlist(name)
            found[name] = items[0] if len(items) == 1 else items
    return found


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

    async def parse(self) -> FormData:
        try:
            return await super().parse()
        except BaseException:
            # Starlette before 1.4 closes the spooled files only on its own parsing errors;
            # a limit of ours (or a cancelled request) must not leave them open either.
            for file in self._files_to_close_on_error:
                file.close()
            raise

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


class _LimitedUrlencoded:
    """An urlencoded form read with python-multipart's parser, within the limits.

    Written here rather than taken from Starlette because Starlette's parser changed across the
    supported range: before 1.4 it had no limits at all (an endless field was read into memory)
    and dropped the last field when the body had no closing empty chunk. Without explicit
    `FormLimits` it applies Starlette 1.4's limits and 400 messages on every release; with them,
    every exceeded limit is a 413.
    """

    def __init__(
        self,
        headers: Headers,
        stream: AsyncGenerator[bytes, None],
        limits: FormLimits,
        explicit: bool,
    ) -> None:
        self.stream = stream
        self.limits = limits
        self.explicit = explicit
        self.size = 0
        self.fields = 0
        self.name = bytearray()
        self.value = bytearray()
        self.items: list[tuple[str, str | UploadFile]] = []

    def on_field_start(self) -> None:
        self.size = 0
        self.name = bytearray()
        self.value = bytearray()

    def on_field_name(self, data: bytes, start: int, end: int) -> None:
        self._count(end - start)
        self.name += data[start:end]

    def on_field_data(self, data: bytes, start: int, end: int) -> None:
        self._count(end - start)
        self.value += data[start:end]

    def _count(self, size: int) -> None:
        self.size += size
        limit = self.limits.max_part_size
        if self.size > limit:
            if self.explicit:
                raise _part_too_large(limit)
            raise MultiPartException(f"Field exceeded maximum size of {int(limit / 1024)}KB.")

    def on_field_end(self) -> None:
        self.fields += 1
        limit = self.limits.max_fields
        if self.fields > limit:
            if self.explicit:
                raise _too_many("fields", limit)
            raise MultiPartException(f"Too many fields. Maximum number of fields is {limit}.")
        name = unquote_plus(self.name.decode("latin-1"))
        self.items.append((name, unquote_plus(self.value.decode("latin-1"))))

    async def parse(self) -> FormData:
        parser_class = querystring_parser()
        assert parser_class is not None  # forms need python-multipart, checked at registration
        parser = parser_class(
            {
                "on_field_start": self.on_field_start,
                "on_field_name": self.on_field_name,
                "on_field_data": self.on_field_data,
                "on_field_end": self.on_field_end,
            }
        )
        async for chunk in self.stream:
            if chunk:
                parser.write(chunk)
        parser.finalize()
        return FormData(self.items)
