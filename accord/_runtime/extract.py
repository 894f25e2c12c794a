"""The non-body inputs of a request: one extractor per location the route declares.

`extractors(plan)` runs at registration and returns, for each location the plan reads (path,
query, header, cookie), a function that reads that source once and stores the raw values of its
slots. A route that declares no query parameter never parses the query string; a route with no
inputs has no extractor at all. Adding a parameter source is one function here and one
`Location` member.

The happy path then validates every raw value in one pydantic-core call (`Plan.validator`);
only when that fails does `validate_one_by_one` re-validate input by input, to report errors
exactly as FastAPI does and to know which dependencies can still run.
"""

from __future__ import annotations

from collections.abc import Callable
from copy import deepcopy
from typing import Any
from urllib.parse import parse_qsl

from pydantic import ValidationError
from starlette.requests import cookie_parser
from starlette.types import Scope

from accord._plan import Location, Plan, Slot, missing_error

__all__ = ["Extractor", "extractors", "read_inputs", "validate_one_by_one"]

Extractor = Callable[[Scope, dict[str, Any]], None]
"""Reads one location of the request into the raw values, keyed by slot key."""

Pairs = list[tuple[str, str]]


Named = list[tuple[str, str]]


def _split(slots: list[Slot]) -> tuple[Named, Named, list[Slot], list[Slot]]:
    """(key, alias) of the single-valued and of the sequence slots; the model slots; and the
    slots read under one of several names (`AliasChoices`)."""
    plain = [s for s in slots if s.model_fields is None and not s.choices]
    single = [(s.key, s.alias) for s in plain if not s.sequence]
    many = [(s.key, s.alias) for s in plain if s.sequence]
    models = [s for s in slots if s.model_fields is not None]
    chosen = [s for s in slots if s.choices]
    return single, many, models, chosen


def _choose(
    chosen: list[Slot], mapping: dict[str, Any], pairs: Pairs | None, raw: dict[str, Any]
) -> None:
    """The first of each slot's names that the request has (pairs: repeatable names)."""
    for slot in chosen:
        for name in slot.choices:
            if slot.sequence and pairs is not None:
                value: Any = [v for k, v in pairs if k == name] or None
            else:
                value = mapping.get(name)
            if value is not None:
                raw[slot.key] = value
                break


def _add_model(
    slot: Slot, mapping: dict[str, Any], pairs: Pairs | None, raw: dict[str, Any]
) -> None:
    collected = _model_input(slot, mapping, pairs)
    if slot.model_optional:
        assert slot.model_fields is not None
        sent = any(lookup in mapping for _, lookup, _, _ in slot.model_fields)
        if not sent and not (slot.model_takes_extras and collected):
            return  # absent: the parameter's default (None) applies
    raw[slot.key] = collected


def _model_input(slot: Slot, mapping: dict[str, Any], pairs: Pairs | None) -> dict[str, Any]:
    """The dict a parameter model validates: its fields, then every other key (for `forbid`).

    `pairs` are the location's (name, value) pairs where a name may repeat (query, headers).
    """
    assert slot.model_fields is not None
    collected: dict[str, Any] = {}
    seen: set[str] = set()
    for _, lookup, declared, sequence in slot.model_fields:
        if sequence and pairs is not None:
            value: Any = [v for k, v in pairs if k == lookup] or None
        else:
            value = mapping.get(lookup)
        if value is not None:
            collected[declared] = value
        seen.add(lookup)
        seen.add(declared)
    keys = dict.fromkeys(k for k, _ in pairs) if pairs is not None else mapping
    for key in keys:
        if key not in seen:
            values = [v for k, v in pairs if k == key] if pairs is not None else [mapping[key]]
            collected[key] = values[0] if len(values) == 1 else values
    return collected


def _path(slots: list[Slot]) -> Extractor:
    single, _, models, _ = _split(slots)

    def extract_path(scope: Scope, raw: dict[str, Any]) -> None:
        params = scope.get("path_params", {})
        for key, alias in single:
            value = params.get(alias)
            if value is not None:
                raw[key] = value
        for slot in models:
            _add_model(slot, params, None, raw)

    return extract_path


def _query(slots: list[Slot]) -> Extractor:
    single, many, models, chosen = _split(slots)

    def extract_query(scope: Scope, raw: dict[str, Any]) -> None:
        pairs = parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)
        query = dict(pairs)
        for key, alias in single:
            value = query.get(alias)
            if value is not None:
                raw[key] = value
        for key, alias in many:
            values = [v for k, v in pairs if k == alias]
            if values:
                raw[key] = values
        for slot in models:
            _add_model(slot, query, pairs, raw)
        if chosen:
            _choose(chosen, query, pairs, raw)

    return extract_query


def _header(slots: list[Slot]) -> Extractor:
    single, many, models, chosen = _split(slots)

    def extract_headers(scope: Scope, raw: dict[str, Any]) -> None:
        pairs = [(k.decode("latin-1").lower(), v.decode("latin-1")) for k, v in scope["headers"]]
        headers = dict(reversed(pairs))  # the first of repeated headers wins, as in Starlette
        for key, alias in single:
            value = headers.get(alias)
            if value is not None:
                raw[key] = value
        for key, alias in many:
            values = [v for k, v in pairs if k == alias]
            if values:
                raw[key] = values
        for slot in models:
            _add_model(slot, headers, pairs, raw)
        if chosen:
            _choose(chosen, headers, pairs, raw)

    return extract_headers


def _cookie(slots: list[Slot]) -> Extractor:
    single, _, models, chosen = _split(slots)

    def extract_cookies(scope: Scope, raw: dict[str, Any]) -> None:
        header = ""
        for name, value in scope["headers"]:
            if name == b"cookie":
                header = value.decode("latin-1")
                break
        cookies = cookie_parser(header)
        for key, alias in single:
            value = cookies.get(alias)
            if value is not None:
                raw[key] = value
        for slot in models:
            _add_model(slot, cookies, None, raw)
        if chosen:
            _choose(chosen, cookies, None, raw)

    return extract_cookies


_BY_LOCATION: dict[Location, Callable[[list[Slot]], Extractor]] = {
    Location.PATH: _path,
    Location.QUERY: _query,
    Location.HEADER: _header,
    Location.COOKIE: _cookie,
}


def extractors(plan: Plan) -> tuple[Extractor, ...]:
    """The extractors of the locations `plan` reads, in a fixed order."""
    found = []
    for location, make in _BY_LOCATION.items():
        slots = [slot for slot in plan.slots if slot.location is location]
        if slots:
            found.append(make(slots))
    return tuple(found)


def validate_one_by_one(
    plan: Plan, raw: dict[str, Any], errors: dict[str, list[Any]]
) -> dict[str, Any]:
    """The slow path: each input on its own, FastAPI's way; failures go into `errors`."""
    values: dict[str, Any] = {}
    for slot in plan.slots:
        value = raw.get(slot.key)
        if value is None:
            if slot.field.required:
                errors[slot.key] = [missing_error(slot.loc)]
                continue
            if not slot.field.field_info.validate_default:
                values[slot.key] = deepcopy(slot.field.default)
                continue
            value = deepcopy(slot.field.default)
        result, slot_errors = slot.field.validate(value, loc=slot.loc)
        if slot_errors:
            renamed = slot.error_aliases
            errors[slot.key] = _header_names(slot, slot_errors) if renamed else slot_errors
        else:
            values[slot.key] = result
    return values


def read_inputs(
    plan: Plan, extract: tuple[Extractor, ...], scope: Scope, errors: dict[str, list[Any]]
) -> dict[str, Any]:
    """The validated non-body inputs (`plan.validator` is set); failures go into `errors`."""
    raw: dict[str, Any] = {}
    for extractor in extract:
        extractor(scope, raw)
    assert plan.validator is not None
    try:
        # The adapter's core validator: the same call without the wrapper's frame.
        values: dict[str, Any] = plan.validator.validator.validate_python(raw)
    except ValidationError:
        values = validate_one_by_one(plan, raw, errors)
    return values


def _header_names(slot: Slot, errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A header model's errors name the header (``save-data``), not the field (``save_data``)."""
    renamed = dict(slot.error_aliases)
    for error in errors:
        loc = error["loc"]
        if len(loc) > 1 and loc[1] in renamed:
            error["loc"] = (loc[0], renamed[loc[1]], *loc[2:])
    return errors
