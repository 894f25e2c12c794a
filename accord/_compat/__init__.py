"""Compatibility surface for extensions: `fastapi._compat` (and `fastapi._compat.v2`).

FastAPI extensions (cadwyn, fastapi-pagination) import FastAPI's field type and annotation
predicates from here. Accord gives them its own: `ModelField` is Accord's field
(`accord._plan.ModelField`, constructed with the same keywords), and the predicates are the
ones its compiler uses to decide where a parameter is read from.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import Enum
from typing import Any

from pydantic import BaseModel, PydanticSchemaGenerationError
from pydantic_core import PydanticUndefined

from accord import params
from accord._compiler.annotations import (
    SEQUENCE_TYPES,
    is_bytes_annotation,
    is_bytes_sequence_annotation,
    is_scalar_annotation,
    is_scalar_sequence_annotation,
    is_sequence_annotation,
    is_upload_annotation,
    is_upload_sequence_annotation,
    lenient_issubclass,
)
from accord._plan import ModelField, copy_field_info
from accord.openapi.schemas import FieldMapping, flat_models, model_param_fields
from accord.openapi.schemas import get_definitions as _definitions

__all__ = [
    "ModelField",
    "PydanticSchemaGenerationError",
    "RequiredParam",
    "Undefined",
    "copy_field_info",
    "field_annotation_is_scalar",
    "field_annotation_is_scalar_sequence",
    "field_annotation_is_sequence",
    "get_cached_model_fields",
    "get_definitions",
    "get_flat_models_from_fields",
    "get_model_name_map",
    "is_bytes_or_nonable_bytes_annotation",
    "is_bytes_sequence_annotation",
    "is_scalar_field",
    "is_uploadfile_or_nonable_uploadfile_annotation",
    "is_uploadfile_sequence_annotation",
    "lenient_issubclass",
    "sequence_types",
    "value_is_sequence",
]

Undefined: Any = PydanticUndefined
RequiredParam: Any = PydanticUndefined
sequence_types: tuple[type[Any], ...] = SEQUENCE_TYPES

field_annotation_is_sequence = is_sequence_annotation
field_annotation_is_scalar = is_scalar_annotation
field_annotation_is_scalar_sequence = is_scalar_sequence_annotation
is_bytes_or_nonable_bytes_annotation = is_bytes_annotation
is_uploadfile_or_nonable_uploadfile_annotation = is_upload_annotation
is_uploadfile_sequence_annotation = is_upload_sequence_annotation


def value_is_sequence(value: Any) -> bool:
    """A list, tuple, set, deque... but not a string or bytes."""
    return isinstance(value, SEQUENCE_TYPES) and not isinstance(value, str | bytes)


def is_scalar_field(field: ModelField) -> bool:
    """Whether the field is a single value read from one query/header/cookie entry."""
    return is_scalar_annotation(field.field_info.annotation) and not isinstance(
        field.field_info, params.Body
    )


def get_cached_model_fields(model: type[BaseModel]) -> list[ModelField]:
    """The model's fields as `ModelField`s, one per attribute (the same objects each call)."""
    return model_param_fields(model)


def get_flat_models_from_fields(
    fields: Sequence[ModelField], known_models: set[type[Any]]
) -> set[type[Any]]:
    """`known_models`, with every model and enum the fields' annotations reach added."""
    known_models.update(flat_models(field.field_info.annotation for field in fields))
    return known_models


def get_model_name_map(unique_models: set[type[Any]]) -> dict[type[BaseModel] | type[Enum], str]:
    """Each model's name as FastAPI's older schema code wrote it (unsafe characters as ``_``).

    Accord's schemas are named by pydantic in one pass; the map is accepted by
    :func:`get_definitions` for the extensions that build one, and not needed there.
    """
    return {model: re.sub(r"[^a-zA-Z0-9.\-_]", "_", model.__name__) for model in unique_models}


def get_definitions(
    *,
    fields: Sequence[ModelField],
    model_name_map: dict[Any, str] | None = None,
    separate_input_output_schemas: bool = True,
) -> tuple[FieldMapping, dict[str, dict[str, Any]]]:
    """Each field's JSON Schema (keyed by field and mode) and the component schemas they use.

    ``model_name_map`` is FastAPI's argument, taken and not needed: pydantic names the
    components (``Item``, ``Item-Input``/``Item-Output``) as in the OpenAPI document.
    """
    return _definitions(fields, separate_input_output_schemas=separate_input_output_schemas)
