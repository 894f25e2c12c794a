"""JSON Schemas of the document's fields, produced in one pydantic pass.

Every field the document mentions (parameters, bodies, responses) goes through a single
`GenerateJsonSchema.generate_definitions` call, together with the models they reach, so that
pydantic names the shared models once (``Item``, ``Item-Input``/``Item-Output`` when the two
modes differ) and every reference points into ``#/components/schemas``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import Enum
from functools import lru_cache
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import CoreSchema

from accord._compiler.annotations import lenient_issubclass, param_model
from accord._plan import ModelField
from accord.openapi.constants import REF_TEMPLATE

__all__ = [
    "FieldMapping",
    "SchemaGenerator",
    "flat_models",
    "flatten_param_fields",
    "get_definitions",
    "model_param_fields",
    "schema_for_field",
]

Mode = Literal["validation", "serialization"]
FieldMapping = dict[tuple[ModelField, Mode], JsonSchemaValue]


class SchemaGenerator(GenerateJsonSchema):
    """Pydantic's generator, with `bytes` described as binary content.

    A `bytes` value is an octet stream (``contentMediaType``), base64-encoded only when the
    model's config says so; pydantic's default would call it a ``binary`` format string.
    """

    def bytes_schema(self, schema: Any) -> JsonSchemaValue:
        """The schema of a `bytes` value."""
        config = self._config
        encoding = config.ser_json_bytes if self.mode == "serialization" else config.val_json_bytes
        result: JsonSchemaValue = {
            "type": "string",
            "contentMediaType": "application/octet-stream",
        }
        if encoding == "base64":
            result["contentEncoding"] = "base64"
        self.update_with_validations(result, schema, self.ValidationsMapping.bytes)
        return result


@lru_cache(maxsize=1024)
def model_param_fields(model: type[BaseModel]) -> list[ModelField]:
    """The fields of a parameter model (``Annotated[Filters, Query()]``), one per attribute.

    Cached so that the document's schema map, keyed by field identity, finds the same objects
    when the operation's parameters are listed.
    """
    fields = []
    for name, info in model.model_fields.items():
        annotation = info.annotation
        keeps_own_config = lenient_issubclass(annotation, (BaseModel, dict)) or _is_dataclass(
            annotation
        )
        config = None if keeps_own_config else model.model_config
        fields.append(ModelField(field_info=info, name=name, config=config))
    return fields


def _is_dataclass(annotation: Any) -> bool:
    return isinstance(annotation, type) and hasattr(annotation, "__dataclass_fields__")


def flatten_param_fields(fields: list[ModelField]) -> list[ModelField]:
    """The parameters, a parameter model (``Filters``, ``Filters | None``) as its fields."""
    flat: list[ModelField] = []
    for model_field in fields:
        model = param_model(model_field.field_info)
        flat.extend([model_field] if model is None else model_param_fields(model))
    return flat


# -- the models a set of fields reaches ---------------------------------------------------


def flat_models(annotations: Iterable[Any]) -> set[type[Any]]:
    """The models and enums reachable from field annotations, through models' own fields."""
    found: set[type[Any]] = set()
    for annotation in annotations:
        _collect_field(annotation, found)
    return found


def _collect_field(annotation: Any, found: set[type[Any]]) -> None:
    if lenient_issubclass(annotation, BaseModel):
        if annotation not in found:
            found.add(annotation)
            _collect_model(annotation, found)
    elif lenient_issubclass(annotation, Enum):
        found.add(annotation)
    else:
        _collect_arguments(annotation, found)


def _collect_model(model: type[BaseModel], found: set[type[Any]]) -> None:
    for info in model.model_fields.values():
        _collect_field(info.annotation, found)


def _collect_arguments(annotation: Any, found: set[type[Any]]) -> None:
    if get_origin(annotation) is None:
        return
    for argument in get_args(annotation):
        if lenient_issubclass(argument, (BaseModel, Enum)):
            if argument not in found:
                found.add(argument)
                if lenient_issubclass(argument, BaseModel):
                    _collect_model(argument, found)
        else:
            _collect_arguments(argument, found)


# -- one generation pass ------------------------------------------------------------------


def has_computed_fields(field: ModelField) -> bool:
    """Whether the field's type has computed fields, at any depth (its input and output
    always differ, so it is described in both modes even when they are not separated)."""
    core: Any = field.type_adapter.core_schema
    if core.get("schema", {}).get("computed_fields", []):  # a dataclass's are only here
        return True
    return _reaches_computed_fields(field.field_info.annotation, set())


def _reaches_computed_fields(annotation: Any, seen: set[type[BaseModel]]) -> bool:
    if lenient_issubclass(annotation, BaseModel):
        if annotation in seen:
            return False
        seen.add(annotation)
        return bool(annotation.model_computed_fields) or any(
            _reaches_computed_fields(info.annotation, seen)
            for info in annotation.model_fields.values()
        )
    return any(_reaches_computed_fields(argument, seen) for argument in get_args(annotation))


def _mode_of(field: ModelField, separate_input_output_schemas: bool) -> Mode:
    if separate_input_output_schemas or has_computed_fields(field):
        return field.mode
    return "validation"


def _model_fields(fields: Sequence[ModelField]) -> list[ModelField]:
    """Stand-alone fields for the models the fields reach, in each mode used.

    They make every reachable model a definition even when only a non-model field (a list,
    a union) refers to it.
    """
    extra = []
    declared = {f.field_info.annotation for f in fields}
    for mode in ("validation", "serialization"):
        annotations = [f.field_info.annotation for f in fields if f.mode == mode]
        for model in flat_models(annotations):
            if model not in declared:
                info = FieldInfo(annotation=model)
                extra.append(ModelField(field_info=info, name=model.__name__, mode=mode))
    return extra


def get_definitions(
    fields: Sequence[ModelField], *, separate_input_output_schemas: bool = True
) -> tuple[FieldMapping, dict[str, dict[str, Any]]]:
    """Each field's schema (keyed by field and mode) and the shared component schemas."""
    generator = SchemaGenerator(ref_template=REF_TEMPLATE)
    inputs: list[tuple[ModelField, Mode, CoreSchema]] = [
        (field, _mode_of(field, separate_input_output_schemas), field.type_adapter.core_schema)
        for field in [*fields, *_model_fields(fields)]
    ]
    mapping, definitions = generator.generate_definitions(inputs=inputs)
    for definition in definitions.values():
        description = definition.get("description")
        if isinstance(description, str):
            # A docstring's text after a form feed is for the code's readers only.
            definition["description"] = description.split("\f")[0]
    return mapping, {str(name): schema for name, schema in definitions.items()}


def schema_for_field(
    field: ModelField, mapping: FieldMapping, *, separate_input_output_schemas: bool = True
) -> dict[str, Any]:
    """The field's schema from `mapping`, titled after the field unless it is a reference."""
    schema = mapping[(field, _mode_of(field, separate_input_output_schemas))]
    if "$ref" not in schema:
        if field.mode == "validation":
            alias = field.lookup_alias
        else:
            alias = field.serialization_alias or field.alias
        schema["title"] = field.field_info.title or alias.title().replace("_", " ")
    return schema
