"""Compare two JSON schemas of one place of an API (a parameter, a request or a response body).

The comparison asks one question per keyword: does the new schema accept fewer values (it
*narrows*) or more (it *widens*)? Which is breaking depends on who sends the value: a request
schema that narrows refuses requests old clients send; a response schema that widens sends
values old clients do not expect. Properties are the exception the issue of record asks for:
a property removed is breaking on both sides, an optional property made required is breaking
in a request, a required one made optional (or removed) is breaking in a response.

Both documents may be OpenAPI 3.0 or 3.1, and are read in one vocabulary: ``nullable: true``
and ``type: [..., "null"]`` and an ``anyOf`` with a ``{"type": "null"}`` branch all say "null
is allowed"; ``exclusiveMinimum: true`` beside ``minimum`` (3.0) and ``exclusiveMinimum: 5``
(3.1) are the same bound. ``$ref`` is followed within the document; a schema that refers to
itself is compared once per place, so recursive schemas end.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from accord.openapi.changes import Change, DiffOptions, Kind, Side, pointer_token

__all__ = ["Direction", "SchemaDiff", "resolve"]

Direction = Literal["request", "response"]
Schema = dict[str, Any]

_LOWER_COUNTS = ("minLength", "minItems", "minProperties")
_UPPER_COUNTS = ("maxLength", "maxItems", "maxProperties")
_MAX_REF_HOPS = 32


def _at(document: Any, location: str) -> Any:
    """The value at JSON pointer `location` in `document`, or None."""
    value = document
    for token in location.split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(value, dict):
            value = value.get(token)
        elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
            value = value[int(token)]
        else:
            return None
    return value


def resolve(document: Any, value: Any, location: str) -> tuple[Any, str]:
    """Follows local ``$ref`` chains from `value` (at `location`); returns the target and its
    pointer. An external or dangling reference is returned as it is."""
    for _ in range(_MAX_REF_HOPS):
        ref = value.get("$ref") if isinstance(value, dict) else None
        if not isinstance(ref, str) or not ref.startswith("#/"):
            break
        target = _at(document, ref[1:])
        if target is None:
            break
        value, location = target, ref[1:]
    return value, location


@dataclass(frozen=True)
class _View:
    """A schema read in one vocabulary, whatever the OpenAPI version."""

    schema: Schema
    location: str  # of `schema`, after $refs and null branches are taken away
    outer: str  # of the schema as written (where a null branch or `nullable` is)
    nullable: bool
    types: frozenset[str] | None  # without "null"; None: any type
    branches: tuple[tuple[Any, str], ...]  # the non-null anyOf/oneOf branches, when 2 or more


def _is_null(document: Any, schema: Any) -> bool:
    schema, _ = resolve(document, schema, "")
    return isinstance(schema, dict) and schema.get("type") == "null" and len(schema) == 1


def _view(document: Any, schema: Any, location: str) -> _View:
    nullable, outer = False, location
    while True:
        schema, location = resolve(document, schema, location)
        if not isinstance(schema, dict):
            return _View({}, location, outer, nullable, None, ())
        nullable = nullable or schema.get("nullable") is True
        union = next((k for k in ("anyOf", "oneOf") if isinstance(schema.get(k), list)), None)
        if union is not None:
            branches = [
                (branch, f"{location}/{union}/{i}")
                for i, branch in enumerate(schema[union])
                if not _is_null(document, branch)
            ]
            nullable = nullable or len(branches) < len(schema[union])
            if len(branches) == 1:
                schema, location = branches[0]
                continue
            return _View(schema, location, outer, nullable, None, tuple(branches))
        parts = schema.get("allOf")
        if isinstance(parts, list) and len(parts) == 1:
            schema, location = parts[0], f"{location}/allOf/0"
            continue
        types = schema.get("type")
        names = {types} if isinstance(types, str) else None
        names = set(types) if isinstance(types, list) else names
        if names is not None and "null" in names:
            nullable, names = True, names - {"null"}
        types = None if names is None else frozenset(names)
        return _View(schema, location, outer, nullable, types, ())


def _covered(name: str, types: frozenset[str]) -> bool:
    return name in types or (name == "integer" and "number" in types)


def _text(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


@dataclass
class SchemaDiff:
    """Compares the schemas of one operation, collecting :class:`Change` objects.

    Attributes:
        old_document: The old OpenAPI document (where old ``$ref``s resolve).
        new_document: The new one.
        operation: The operation the changes belong to (``GET /items``).
        options: How the changes that depend on the clients are classified.
        changes: What was found so far.
    """

    old_document: Any
    new_document: Any
    operation: str
    options: DiffOptions
    changes: list[Change] = field(default_factory=list)
    _seen: set[tuple[str, str, str]] = field(default_factory=set)

    def compare_at(
        self, old: Any, new: Any, where: tuple[str, str], direction: Direction, label: str
    ) -> None:
        """Compares `old` (at ``where[0]`` in the old document) with `new` (``where[1]``).

        Args:
            old: The old schema (may be a ``$ref``).
            new: The new schema.
            where: The pointers of `old` and `new`.
            direction: ``request`` when clients send the value, ``response`` when they read it.
            label: How messages name the place: ``request body``, ``query parameter 'q'``.
        """
        self._compare(
            _view(self.old_document, old, where[0]),
            _view(self.new_document, new, where[1]),
            direction,
            "",
            label,
        )

    # -- classification -----------------------------------------------------------------

    def _add(self, kind: Kind, rule: str, side: Side, location: str, message: str) -> None:
        change = Change(self.operation, kind, rule, location, side, message)
        if change not in self.changes:
            self.changes.append(change)

    def _narrow(self, direction: Direction, rule: str, location: str, message: str) -> None:
        """The new schema accepts fewer values: breaking for what clients send."""
        self._add("breaking" if direction == "request" else "compatible", rule, "new", location,
                  message)

    def _widen(self, direction: Direction, rule: str, location: str, message: str) -> None:
        """The new schema accepts more values: breaking for what clients read."""
        breaking = direction == "response"
        if rule == "enum-value-added" and not self.options.response_enum_added_breaking:
            breaking = False
        self._add("breaking" if breaking else "compatible", rule, "new", location, message)

    # -- comparison ---------------------------------------------------------------------

    def _compare(self, old: _View, new: _View, direction: Direction, path: str, label: str) -> None:
        key = (old.location, new.location, direction)
        if key in self._seen:
            return
        self._seen.add(key)
        at = _place(label, path)
        if old.nullable != new.nullable:
            change = self._widen if new.nullable else self._narrow
            rule = "nullable-added" if new.nullable else "nullable-removed"
            change(direction, rule, new.outer, f"{at}: null is {_now(new.nullable)}allowed")
        if old.branches or new.branches:
            self._branches(old, new, direction, path, label)
            return
        self._types(old, new, direction, at)
        self._enum(old.schema, new.schema, direction, new.location, at)
        self._constraints(old.schema, new.schema, direction, new.location, at)
        self._object(old, new, direction, path, label)
        old_items, new_items = old.schema.get("items"), new.schema.get("items")
        if isinstance(old_items, dict) and isinstance(new_items, dict):
            self._compare(
                _view(self.old_document, old_items, f"{old.location}/items"),
                _view(self.new_document, new_items, f"{new.location}/items"),
                direction,
                f"{path}[]",
                label,
            )

    def _types(self, old: _View, new: _View, direction: Direction, at: str) -> None:
        if old.types == new.types:
            return
        was, now = _type_text(old.types), _type_text(new.types)
        message = f"{at}: the type changed from {was} to {now}"
        lost = old.types is None or any(not _covered(t, new.types or ANY) for t in old.types)
        gained = new.types is None or any(not _covered(t, old.types or ANY) for t in new.types)
        if new.types is not None and old.types is not None and lost and gained:
            # Neither contains the other: refused on one side, unexpected on the other.
            self._add("breaking", "type-changed", "new", new.location, message)
        elif new.types is not None and lost:
            self._narrow(direction, "type-narrowed", new.location, message)
        elif old.types is not None and gained:
            self._widen(direction, "type-widened", new.location, message)

    def _enum(self, old: Schema, new: Schema, direction: Direction, location: str, at: str) -> None:
        was, now = _enum_of(old), _enum_of(new)
        if was is None and now is None:
            return
        if was is None:
            self._narrow(direction, "enum-restricted", location, f"{at}: now limited to {now}")
            return
        if now is None:
            self._widen(direction, "enum-unrestricted", location, f"{at}: no longer an enum")
            return
        new_texts, old_texts = {_text(v) for v in now}, {_text(v) for v in was}
        for value in was:
            if _text(value) not in new_texts:
                self._narrow(direction, "enum-value-removed", location,
                             f"{at}: enum value {_text(value)} was removed")
        for value in now:
            if _text(value) not in old_texts:
                self._widen(direction, "enum-value-added", location,
                            f"{at}: enum value {_text(value)} was added")

    def _constraints(
        self, old: Schema, new: Schema, direction: Direction, location: str, at: str
    ) -> None:
        for event, keyword, was, now in _constraint_changes(old, new):
            message = f"{at}: {keyword} changed from {_show(was)} to {_show(now)}"
            if event == "changed":  # neither contains the other: breaking either way
                self._add("breaking", "constraint-changed", "new", location, message)
            elif event == "tightened":
                self._narrow(direction, "constraint-tightened", location, message)
            else:
                self._widen(direction, "constraint-relaxed", location, message)

    def _object(self, old: _View, new: _View, direction: Direction, path: str, label: str) -> None:
        old_props, new_props = self._properties(old, "old"), self._properties(new, "new")
        old_required, new_required = _required(self.old_document, old), _required(
            self.new_document, new
        )
        for name, (_, location) in old_props.items():
            if name not in new_props:
                at = _place(label, _join(path, name))
                self._add("breaking", "property-removed", "old", location, f"{at}: was removed")
        for name, (schema, location) in new_props.items():
            at = _place(label, _join(path, name))
            if name not in old_props:
                # A required field is a new obligation only for what clients send.
                required = name in new_required and direction == "request"
                kind: Kind = "breaking" if required else "compatible"
                rule = "required-property-added" if required else "property-added"
                self._add(kind, rule, "new", location, f"{at}: {'required ' * required}field added")
                continue
            was, now = name in old_required, name in new_required
            if was != now:
                breaking = now if direction == "request" else was
                rule = "property-became-required" if now else "property-became-optional"
                self._add("breaking" if breaking else "compatible", rule, "new", location,
                          f"{at}: {'now required' if now else 'now optional'}")
            old_schema, old_location = old_props[name]
            self._compare(
                _view(self.old_document, old_schema, old_location),
                _view(self.new_document, schema, location),
                direction,
                _join(path, name),
                label,
            )
        self._additional(old, new, direction, path, label)

    def _additional(
        self, old: _View, new: _View, direction: Direction, path: str, label: str
    ) -> None:
        was, now = old.schema.get("additionalProperties"), new.schema.get("additionalProperties")
        at = _place(label, path)
        if was is not False and now is False:
            self._narrow(direction, "constraint-tightened", new.location,
                         f"{at}: additional properties are no longer allowed")
        elif was is False and now is not False:
            self._widen(direction, "constraint-relaxed", new.location,
                        f"{at}: additional properties are now allowed")
        if isinstance(was, dict) and isinstance(now, dict):
            self._compare(
                _view(self.old_document, was, f"{old.location}/additionalProperties"),
                _view(self.new_document, now, f"{new.location}/additionalProperties"),
                direction,
                _join(path, "*"),
                label,
            )

    def _properties(self, view: _View, side: Side) -> dict[str, tuple[Any, str]]:
        """name -> (schema, pointer), through an ``allOf`` of several parts too."""
        document = self.old_document if side == "old" else self.new_document
        found: dict[str, tuple[Any, str]] = {}
        for schema, location in _parts(document, view.schema, view.location):
            properties = schema.get("properties")
            if isinstance(properties, dict):
                for name, value in properties.items():
                    found.setdefault(name, (value, f"{location}/properties/{pointer_token(name)}"))
        return found

    def _branches(
        self, old: _View, new: _View, direction: Direction, path: str, label: str
    ) -> None:
        old_branches = dict(_keyed(self.old_document, old))
        new_branches = dict(_keyed(self.new_document, new))
        at = _place(label, path)
        for key, (_, location) in old_branches.items():
            if key not in new_branches:
                self._add_variant(direction, "variant-removed", "old", location,
                                  f"{at}: the variant {key} was removed")
        for key, (schema, location) in new_branches.items():
            if key not in old_branches:
                self._add_variant(direction, "variant-added", "new", location,
                                  f"{at}: the variant {key} was added")
                continue
            old_schema, old_location = old_branches[key]
            self._compare(
                _view(self.old_document, old_schema, old_location),
                _view(self.new_document, schema, location),
                direction,
                path,
                label,
            )

    def _add_variant(
        self, direction: Direction, rule: str, side: Side, location: str, message: str
    ) -> None:
        narrows = rule == "variant-removed"
        breaking = narrows if direction == "request" else not narrows
        self._add("breaking" if breaking else "compatible", rule, side, location, message)


ANY: frozenset[str] = frozenset({"string", "number", "integer", "boolean", "array", "object"})


def _keyed(document: Any, view: _View) -> Iterator[tuple[str, tuple[Any, str]]]:
    """The branches of a union (or the schema itself, as one branch), by a stable key."""
    branches = view.branches or ((view.schema, view.location),)
    seen: set[str] = set()
    for index, (schema, location) in enumerate(branches):
        key = _branch_key(document, schema, location)
        if key in seen:
            key = f"{key}#{index}"
        seen.add(key)
        yield key, (schema, location)


def _branch_key(document: Any, schema: Any, location: str) -> str:
    ref = schema.get("$ref") if isinstance(schema, dict) else None
    if isinstance(ref, str):
        return ref.rpartition("/")[2]
    resolved, target = resolve(document, schema, location)
    if target.startswith("/components/schemas/") and target.count("/") == 3:
        return target.rpartition("/")[2]
    if isinstance(resolved, dict) and "type" in resolved:
        return _text(resolved["type"]).strip('"')
    return "schema"


def _parts(document: Any, schema: Schema, location: str) -> Iterator[tuple[Schema, str]]:
    yield schema, location
    parts = schema.get("allOf")
    if isinstance(parts, list):
        for index, part in enumerate(parts):
            resolved, target = resolve(document, part, f"{location}/allOf/{index}")
            if isinstance(resolved, dict):
                yield resolved, target


def _required(document: Any, view: _View) -> set[str]:
    names: set[str] = set()
    for schema, _ in _parts(document, view.schema, view.location):
        required = schema.get("required")
        if isinstance(required, list):
            names.update(str(name) for name in required)
    return names


def _enum_of(schema: Schema) -> list[Any] | None:
    if "const" in schema:
        return [schema["const"]]
    enum = schema.get("enum")
    return enum if isinstance(enum, list) else None


def _bound(schema: Schema, inclusive: str, exclusive: str) -> tuple[float, bool] | None:
    """A numeric bound as (value, exclusive), from the 3.0 or the 3.1 spelling."""
    flag = schema.get(exclusive)
    value = schema.get(inclusive)
    if isinstance(flag, (int, float)) and not isinstance(flag, bool):
        if isinstance(value, (int, float)) and value != flag:
            stricter = max if inclusive == "minimum" else min
            return (flag, True) if stricter(value, flag) == flag else (value, False)
        return (flag, True)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (value, flag is True)
    return None


def _constraint_changes(old: Schema, new: Schema) -> Iterator[tuple[str, str, Any, Any]]:
    """``(tightened | relaxed | changed, keyword, old value, new value)`` for each constraint."""
    for keyword in _LOWER_COUNTS + _UPPER_COUNTS:
        was, now = old.get(keyword), new.get(keyword)
        if was == now:
            continue
        lower = keyword in _LOWER_COUNTS
        if now is None or (was is not None and (now < was if lower else now > was)):
            yield "relaxed", keyword, was, now
        else:
            yield "tightened", keyword, was, now
    for inclusive, exclusive, lower in (
        ("minimum", "exclusiveMinimum", True),
        ("maximum", "exclusiveMaximum", False),
    ):
        was_bound, now_bound = _bound(old, inclusive, exclusive), _bound(new, inclusive, exclusive)
        if was_bound == now_bound:
            continue
        keyword = inclusive
        if now_bound is None:
            yield "relaxed", keyword, _bound_text(was_bound), None
        elif was_bound is None or _tighter(now_bound, was_bound, lower):
            yield "tightened", keyword, _bound_text(was_bound), _bound_text(now_bound)
        else:
            yield "relaxed", keyword, _bound_text(was_bound), _bound_text(now_bound)
    for keyword in ("pattern", "format"):
        was, now = old.get(keyword), new.get(keyword)
        if was != now:
            event = "tightened" if was is None else "relaxed" if now is None else "changed"
            yield event, keyword, was, now
    yield from _multiple_of(old.get("multipleOf"), new.get("multipleOf"))
    if bool(old.get("uniqueItems")) != bool(new.get("uniqueItems")):
        event = "tightened" if new.get("uniqueItems") else "relaxed"
        yield event, "uniqueItems", bool(old.get("uniqueItems")), bool(new.get("uniqueItems"))


def _multiple_of(was: Any, now: Any) -> Iterator[tuple[str, str, Any, Any]]:
    if was == now:
        return
    if now is None:
        yield "relaxed", "multipleOf", was, now
    elif was is None:
        yield "tightened", "multipleOf", was, now
    elif (was / now) == int(was / now):
        yield "relaxed", "multipleOf", was, now  # every multiple of `was` is one of `now`
    elif (now / was) == int(now / was):
        yield "tightened", "multipleOf", was, now
    else:
        yield "changed", "multipleOf", was, now


def _tighter(now: tuple[float, bool], was: tuple[float, bool], lower: bool) -> bool:
    if now[0] != was[0]:
        return now[0] > was[0] if lower else now[0] < was[0]
    return now[1] and not was[1]


def _bound_text(bound: tuple[float, bool] | None) -> str | None:
    if bound is None:
        return None
    return f"{bound[0]} (exclusive)" if bound[1] else f"{bound[0]}"


def _show(value: Any) -> str:
    return "none" if value is None else str(value) if isinstance(value, str) else _text(value)


def _type_text(types: frozenset[str] | None) -> str:
    return "any" if types is None else " | ".join(sorted(types)) or "null"


def _now(flag: bool) -> str:
    return "now " if flag else "no longer "


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _place(label: str, path: str) -> str:
    return f"{label} field '{path}'" if path else label
