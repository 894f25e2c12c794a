"""Turning an endpoint's return value into a `Response`: one encoder per `ResponseKind`.

The route's kind was fixed at registration: `JSON` and `MODEL` write JSON bytes with headers
known in advance; `GENERAL` covers the rest (a custom response class, an injected `Response`
whose status and headers merge in, a status without a body). Streams are encoded by
`accord._runtime.streaming`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError
from pydantic_core import PydanticSerializationError, SchemaSerializer
from starlette.background import BackgroundTasks
from starlette.responses import Response

from accord._plan import (
    ResponseKind,
    ResponsePlan,
    is_body_allowed_for_status_code,
    regenerate_errors,
)
from accord._safe_json import safe_json_bytes
from accord.encoders import jsonable_encoder
from accord.exceptions import ResponseValidationError

__all__ = ["ENCODERS", "JSON_HEADER", "Encoder", "JSONBytes", "encode_json", "model_json"]

JSON_HEADER = (b"content-type", b"application/json")

Encoder = Callable[[ResponsePlan, Any, "Response | None", "BackgroundTasks | None"], Response]
"""(the route's response plan, the endpoint's value, the injected response, tasks) -> Response"""


class _NotNative(Exception):
    pass


def _refuse(obj: Any) -> Any:
    raise _NotNative


_NATIVE_ENCODER = json.JSONEncoder(
    ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":"), default=_refuse
)


def encode_json(content: Any) -> bytes:
    """`JSONResponse`'s bytes for `content`, skipping `jsonable_encoder` when it changes nothing.

    Content JSON cannot spell (``inf``, a lone surrogate: usually a client's input echoed
    back) is written by `safe_json_bytes` (``inf`` as ``null``, as a response model writes it)
    rather than failing with a 500.
    """
    try:
        return _NATIVE_ENCODER.encode(content).encode("utf-8")
    except (_NotNative, TypeError):
        return safe_json_bytes(jsonable_encoder(content), spell_non_finite=False)
    except (ValueError, UnicodeEncodeError):
        return safe_json_bytes(content, spell_non_finite=False)


def model_json(serializer: SchemaSerializer, value: Any, options: dict[str, Any]) -> bytes:
    """The response model's JSON for `value`; see `encode_json` for what JSON cannot spell."""
    try:
        return serializer.to_json(value, **options)
    except PydanticSerializationError:
        content = serializer.to_python(value, mode="json", **options)
        return safe_json_bytes(content, spell_non_finite=False)


class JSONBytes(Response):
    """A `Response` of ready JSON bytes: the headers `Response` would write, without its
    rendering steps."""

    media_type = "application/json"

    def __init__(
        self, body: bytes, status_code: int, background: BackgroundTasks | None
    ) -> None:
        self.status_code = status_code
        self.background = background
        self.body = body
        self.raw_headers = [(b"content-length", str(len(body)).encode()), JSON_HEADER]


def _json(
    plan: ResponsePlan, raw: Any, sub: Response | None, background: BackgroundTasks | None
) -> Response:
    assert plan.json_status is not None
    return JSONBytes(encode_json(raw), plan.json_status, background)


def _model(
    plan: ResponsePlan, raw: Any, sub: Response | None, background: BackgroundTasks | None
) -> Response:
    assert plan.field is not None and plan.json_status is not None
    kind = type(raw)
    # Rows (a dict, or a list starting with one) try the model's typed-dict twin first, built
    # when a route first returns some; the test is written out, as a call would cost more.
    if plan.plain_dump and (kind is dict or (kind is list and raw and type(raw[0]) is dict)):
        rows = plan.field.row_codec
        if rows is not None and kind is rows.outer:
            try:
                value = rows.validator.validate_python(raw)
            except ValidationError:
                pass  # the model decides: it takes more (instances, attributes), or says why not
            else:
                body = model_json(rows.serializer, value, plan.dump_options)
                return JSONBytes(body, plan.json_status, background)
    adapter = plan.field.type_adapter
    try:  # the adapter's core validator: one frame less than `ModelField.validate`
        value = adapter.validator.validate_python(raw, from_attributes=True)
    except ValidationError as exc:
        errors = regenerate_errors(exc.errors(include_url=False), ("response",))
        raise ResponseValidationError(errors, body=raw, endpoint_ctx=plan.endpoint_ctx) from None
    body = model_json(adapter.serializer, value, plan.dump_options)
    return JSONBytes(body, plan.json_status, background)


def _general(
    plan: ResponsePlan, raw: Any, sub: Response | None, background: BackgroundTasks | None
) -> Response:
    status = plan.status_code
    if sub is not None and sub.status_code:
        status = sub.status_code
    kwargs: dict[str, Any] = {"background": background}
    if status is not None:
        kwargs["status_code"] = status
    if plan.field is not None:
        value, errors = plan.field.validate(raw, loc=("response",))
        if errors:
            raise ResponseValidationError(errors, body=raw, endpoint_ctx=plan.endpoint_ctx)
        adapter = plan.field.type_adapter
        if plan.class_is_default:
            content = model_json(adapter.serializer, value, plan.dump_options)
            response = Response(content, media_type="application/json", **kwargs)
        else:
            content = adapter.dump_python(value, mode="json", **plan.dump_options)
            response = plan.response_class(content, **kwargs)
    elif plan.class_is_default:
        response = Response(encode_json(raw), media_type="application/json", **kwargs)
    else:
        response = plan.response_class(jsonable_encoder(raw), **kwargs)
    if not is_body_allowed_for_status_code(response.status_code):
        response.body = b""
    if sub is not None:
        response.headers.raw.extend(sub.headers.raw)
    return response


ENCODERS: dict[ResponseKind, Encoder] = {
    ResponseKind.JSON: _json,
    ResponseKind.MODEL: _model,
    ResponseKind.GENERAL: _general,
}
