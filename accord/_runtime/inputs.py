"""Reading a request's declared inputs: path, query, headers, cookies, and the body.

The happy path validates all non-body inputs in one pydantic-core call and the JSON body from raw
bytes. Only when that fails does the slow path below re-validate input by input, to report errors
exactly as FastAPI does and to know which dependencies can still run.
"""

from __future__ import annotations

import json
from copy import deepcopy
from typing import Any
from urllib.parse import parse_qsl

from pydantic import ValidationError
from starlette.datastructures import FormData, Headers
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect, Request, cookie_parser
from starlette.types import Receive, Scope

from accord._compiler.fields import missing_error
from accord._compiler.plan import BodyPlan, Plan, Slot
from accord._runtime.limits import (
    NO_LIMITS,
    BodyLimits,
    check_declared_length,
    read_body_bytes,
    read_form,
    too_large,
)
from accord.exceptions import HTTPException, RequestValidationError

__all__ = ["extract", "read_body", "read_json_body", "validate_slots_one_by_one"]


def extract(plan: Plan, scope: Scope) -> dict[str, Any]:
    """Collects the raw values of the declared non-body inputs, keyed by slot key."""
    raw: dict[str, Any] = {}
    pairs: list[tuple[str, str]] = []
    query: dict[str, str] = {}
    header_pairs: list[tuple[str, str]] = []
    headers: dict[str, str] = {}
    cookies: dict[str, str] = {}
    if plan.needs_query:
        pairs = parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)
        query = dict(pairs)
    if plan.needs_headers or plan.needs_cookies:
        header_pairs = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"]]
        headers = dict(reversed(header_pairs))
        if plan.needs_cookies:
            cookies = cookie_parser(headers.get("cookie", ""))
    path_params = scope.get("path_params", {})
    for slot in plan.slots:
        location = slot.location
        if slot.model_fields is not None:
            source = pairs if location == "query" else header_pairs
            mapping = {"query": query, "header": headers, "cookie": cookies, "path": path_params}
            raw[slot.key] = _model_input(slot, mapping[location], source, location)
            continue
        if location == "path":
            value = path_params.get(slot.alias)
        elif location == "query":
            if slot.sequence:
                value = [v for k, v in pairs if k == slot.alias]
            else:
                value = query.get(slot.alias)
        elif location == "header":
            if slot.sequence:
                value = [v for k, v in header_pairs if k.lower() == slot.alias]
            else:
                value = headers.get(slot.alias)
        else:
            value = cookies.get(slot.alias)
        if value is not None and value != []:
            raw[slot.key] = value
    return raw


def _model_input(
    slot: Slot, mapping: dict[str, Any], pairs: list[tuple[str, str]], location: str
) -> dict[str, Any]:
    """The dict a parameter model validates: its fields, then every other key (for `forbid`)."""
    assert slot.model_fields is not None
    multi = location in ("query", "header")
    if location == "header":
        pairs = [(k.lower(), v) for k, v in pairs]
    collected: dict[str, Any] = {}
    seen: set[str] = set()
    for name, lookup, sequence in slot.model_fields:
        if sequence and multi:
            value: Any = [v for k, v in pairs if k == lookup] or None
        else:
            value = mapping.get(lookup)
        if value is not None:
            collected[_declared_alias(slot, name)] = value
        seen.add(lookup)
        seen.add(_declared_alias(slot, name))
    keys = dict.fromkeys(k for k, _ in pairs) if multi else mapping
    for key in keys:
        if key not in seen:
            values = [v for k, v in pairs if k == key] if multi else [mapping[key]]
            collected[key] = values[0] if len(values) == 1 else values
    return collected


def _declared_alias(slot: Slot, name: str) -> str:
    info = slot.field.type_.model_fields[name]
    alias = info.validation_alias if isinstance(info.validation_alias, str) else None
    return alias or info.alias or name


def validate_slots_one_by_one(
    plan: Plan, raw: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    """The slow path: each input on its own, FastAPI's way. Returns values and errors by key."""
    values: dict[str, Any] = {}
    errors: dict[str, list[Any]] = {}
    for slot in plan.slots:
        value = raw.get(slot.key)
        if value is None:
            if slot.field.required:
                errors[slot.key] = [missing_error(slot.loc)]
            else:
                values[slot.key] = deepcopy(slot.field.default)
            continue
        result, slot_errors = slot.field.validate(value, loc=slot.loc)
        if slot_errors:
            errors[slot.key] = slot_errors
        else:
            values[slot.key] = result
    return values, errors


def _is_json_content_type(content_type: str | None) -> bool:
    if not content_type:
        return False
    media = content_type.split(";", 1)[0].strip().lower()
    maintype, _, subtype = media.partition("/")
    return maintype == "application" and (subtype == "json" or subtype.endswith("+json"))


async def read_body(
    body: BodyPlan,
    request: Request,
    strict_content_type: bool,
    limits: BodyLimits = NO_LIMITS,
) -> tuple[Any, dict[str, Any], dict[str, list[Any]]]:
    """Reads and validates the body: returns (the body as received, values, errors by key).

    Reading stops with a 413 as soon as the body passes the route's `limits`.
    """
    if body.is_form:
        form = await _read_form(request, limits)
        received: Any = form
        return received, *await _validate_form(body, form)
    raw = await read_body_bytes(request, limits.max_body_size)
    return _from_bytes(body, raw, request.headers.get("content-type"), strict_content_type)


async def read_json_body(
    body: BodyPlan,
    scope: Scope,
    receive: Receive,
    strict_content_type: bool,
    limit: int | None,
) -> tuple[Any, dict[str, Any], dict[str, list[Any]]]:
    """`read_body` for a non-form body when nothing needs a `Request`: read from `receive`.

    The same answers as `read_body` (and as `read_body_bytes`, limits included), without a
    `Request`, its `Headers` or an async generator per request.
    """
    content_type: str | None = None
    for name, value in scope["headers"]:
        if name == b"content-type":
            content_type = value.decode("latin-1")
            break
    if limit is not None:
        check_declared_length(Headers(scope=scope), limit)
    raw = await _receive_all(receive, limit)
    return _from_bytes(body, raw, content_type, strict_content_type)


def _from_bytes(
    body: BodyPlan, raw: bytes, content_type: str | None, strict_content_type: bool
) -> tuple[Any, dict[str, Any], dict[str, list[Any]]]:
    """Validates a received (non-form) body: returns (the body as received, values, errors)."""
    if not raw:
        return None, *_validate_received(body, None)
    is_json = (
        content_type == "application/json"
        or _is_json_content_type(content_type)
        or (not content_type and not strict_content_type)
    )
    if not is_json:
        return raw, *_validate_received(body, raw)
    # FastAPI reads an explicit JSON null as "absent" (missing, or the default); the one-call
    # path cannot tell, so bodies with a null take the field-by-field path.
    if body.fast is not None and b"null" not in raw:
        try:
            # The adapter's core validator: the same call without the wrapper's frame.
            validated = body.fast.validator.validate_json(raw)
        except ValidationError:
            pass
        else:
            return _LazyJSON(raw), _fast_values(body, validated), {}
    received = _parse_json(raw)
    return received, *_validate_received(body, received)


async def _receive_all(receive: Receive, limit: int | None) -> bytes:
    """The whole body, stopping at the first chunk past `limit` (as `read_body_bytes`)."""
    message = await receive()
    if message["type"] == "http.disconnect":
        raise ClientDisconnect()
    raw: bytes = message.get("body", b"")
    if limit is not None and len(raw) > limit:
        raise too_large(limit)
    if not message.get("more_body", False):
        return raw
    parts = [raw]
    total = len(raw)
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnect()
        chunk = message.get("body", b"")
        total += len(chunk)
        if limit is not None and total > limit:
            raise too_large(limit)
        parts.append(chunk)
        if not message.get("more_body", False):
            return b"".join(parts)


class _LazyJSON:
    """The received JSON body, parsed only if an error report needs it."""

    __slots__ = ("raw",)

    def __init__(self, raw: bytes) -> None:
        self.raw = raw

    def load(self) -> Any:
        return json.loads(self.raw)


def materialize(received: Any) -> Any:
    """The body as FastAPI would hold it (parsed JSON, form data or bytes)."""
    return received.load() if isinstance(received, _LazyJSON) else received


def _fast_values(body: BodyPlan, validated: Any) -> dict[str, Any]:
    if not body.embed:
        return {body.keys[0]: validated}
    return {
        key: validated[f.lookup_alias] for key, f in zip(body.keys, body.fields, strict=True)
    }


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


async def _read_form(request: Request, limits: BodyLimits) -> FormData:
    try:
        return await read_form(request, limits)
    except StarletteHTTPException:
        raise
    except Exception as exc:
        raise HTTPException(400, "There was an error parsing the body") from exc


def _validate_received(
    body: BodyPlan, received: Any
) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    """FastAPI's body validation: the whole body for one field, else key by key."""
    values: dict[str, Any] = {}
    errors: dict[str, list[Any]] = {}
    if not body.embed:
        key, body_field = body.keys[0], body.fields[0]
        _validate_one(body_field, key, received, ("body",), values, errors)
        return values, errors
    for key, body_field in zip(body.keys, body.fields, strict=True):
        loc = ("body", body_field.lookup_alias)
        value = None
        if received is not None and not isinstance(received, bytes):
            try:
                value = received.get(body_field.lookup_alias)
            except AttributeError:
                errors[key] = [missing_error(loc)]
                continue
        _validate_one(body_field, key, value, loc, values, errors)
    return values, errors


def _validate_one(
    body_field: Any,
    key: str,
    value: Any,
    loc: tuple[Any, ...],
    values: dict[str, Any],
    errors: dict[str, list[Any]],
) -> None:
    if value is None:
        if body_field.required:
            errors[key] = [missing_error(loc)]
        else:
            values[key] = deepcopy(body_field.default)
        return
    result, found = body_field.validate(value, loc=loc)
    if found:
        errors[key] = found
    else:
        values[key] = result


async def _validate_form(
    body: BodyPlan, form: FormData
) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    from accord._runtime.forms import collect_form

    collected = await collect_form(body, form)
    return _validate_received(body, collected)


__all__ += ["materialize"]
