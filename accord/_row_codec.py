"""A faster way to answer with a plain response model when the endpoint returns dicts.

``response_model=list[Item]`` with an endpoint that returns rows (dicts) costs two passes in
pydantic-core: validation builds an ``Item`` for every row, and serialization walks the
instances again. Most of the first pass is building the instances, which only serialization
reads. For a *plain* model (fields of simple types and of other plain models; no validators,
serializers, computed fields or configuration) a typed dict with the same fields validates
each field with the very same schema, drops unknown keys as the model does, and serializes to
the same bytes, without building an instance.

`row_codec` derives that schema from the model's core schema, refusing anything outside a
short list of shapes it knows to behave alike. The encoder tries it only on dicts (or a list
whose first item is a dict), and falls back to the model itself whenever it refuses a value,
so errors, model instances and objects read by attribute all take the model's path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic_core import CoreSchema, SchemaSerializer, SchemaValidator

__all__ = ["RowCodec", "row_codec"]

# Schemas of one value whose validation and serialization depend only on their own keys.
_LEAVES = frozenset(
    {"int", "float", "str", "bool", "none", "decimal", "date", "time", "datetime", "uuid"}
)
# Keys of a model's schema this module understands; any other (post_init, a custom
# serializer, extra behaviour, ...) means the model is not plain.
_MODEL_KEYS = frozenset(
    {"type", "cls", "config", "custom_init", "metadata", "ref", "root_model", "schema"}
)
_FIELDS_KEYS = frozenset({"type", "fields", "model_name", "computed_fields"})
_FIELD_KEYS = frozenset({"type", "schema", "metadata", "validation_alias", "serialization_alias"})
_CONFIG_KEYS = frozenset({"title", "from_attributes"})


@dataclass(frozen=True, slots=True)
class RowCodec:
    """The typed-dict twin of a response model: its validator and serializer.

    Attributes:
        outer: the type of value it is tried on: ``dict`` (a model) or ``list`` (of models).
        validator: validates a dict (or a list of them) into plain dicts.
        serializer: writes what ``validator`` returned, as the model's serializer would.
    """

    outer: type
    validator: SchemaValidator = field(repr=False)
    serializer: SchemaSerializer = field(repr=False)


def row_codec(schema: CoreSchema) -> RowCodec | None:
    """The codec for a response model's core schema, or None unless it is a plain model or
    a list of one."""
    outer = _outer(schema)
    if outer is None:
        return None
    twin = _twin(schema)
    return None if twin is None else RowCodec(outer, SchemaValidator(twin), SchemaSerializer(twin))


def _outer(schema: Any) -> type | None:
    """``dict`` for a model, ``list`` for a list, looking through pydantic's definitions (a
    model used twice, or recursive), else None."""
    top = schema
    if top["type"] == "definitions":
        top = top["schema"]
        if top["type"] == "definition-ref":
            ref = top["schema_ref"]
            top = next((d for d in schema["definitions"] if d.get("ref") == ref), top)
    return {"model": dict, "list": list}.get(top["type"])


def _twin(schema: Any) -> Any:
    """`schema` with each plain model replaced by a typed dict of the same fields, or None."""
    kind = schema["type"]
    if "serialization" in schema or ("ref" in schema and kind != "model"):
        return None
    if kind in _LEAVES or kind == "definition-ref":
        return schema
    if kind == "definitions":
        inner = [_twin(one) for one in (schema["schema"], *schema["definitions"])]
        if None in inner:
            return None
        return {**schema, "schema": inner[0], "definitions": inner[1:]}
    if kind == "literal":
        return schema if all(type(v) in (str, int, bool) for v in schema["expected"]) else None
    if kind in ("list", "nullable", "default"):
        return _wrapper(schema)
    if kind == "model":
        return _typed_dict(schema)
    return None


def _wrapper(schema: Any) -> Any:
    if schema["type"] == "default" and schema.get("default_factory_takes_data"):
        return None
    key = "items_schema" if schema["type"] == "list" else "schema"
    inner = _twin(schema[key])
    return None if inner is None else {**schema, key: inner}


def _typed_dict(schema: Any) -> Any:
    fields = schema["schema"]
    plain = (
        schema.keys() <= _MODEL_KEYS
        and not schema.get("custom_init")
        and not schema.get("root_model")
        and schema.get("config", {}).keys() <= _CONFIG_KEYS
        and fields["type"] == "model-fields"
        and fields.keys() <= _FIELDS_KEYS
        and not fields.get("computed_fields")
    )
    if not plain:
        return None
    twins = {}
    for name, one in fields["fields"].items():
        inner = _twin(one["schema"]) if one.keys() <= _FIELD_KEYS else None
        if inner is None:
            return None
        required = inner["type"] != "default"
        twins[name] = {**one, "type": "typed-dict-field", "schema": inner, "required": required}
    twin = {"type": "typed-dict", "fields": twins, "extra_behavior": "ignore"}
    if "ref" in schema:  # what pydantic's definition-refs point at
        twin["ref"] = schema["ref"]
    return twin
