"""Compatibility surface for extensions: `fastapi._compat` (and `fastapi._compat.v2`).

FastAPI extensions (cadwyn, fastapi-pagination) import FastAPI's field type and annotation
predicates from here. Accord gives them its own: `ModelField` is Accord's field
(`accord._plan.ModelField`, constructed with the same keywords), and the predicates are the
ones its compiler uses to decide where a parameter is read from.
"""

from __future__ import annotations

from typing import Any

from pydantic import PydanticSchemaGenerationError
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
from accord.openapi.schemas import get_definitions

__all__ = [
    "ModelField",
    "PydanticSchemaGenerationError",
    "RequiredParam",
    "Undefined",
    "copy_field_info",
    "field_annotation_is_scalar",
    "field_annotation_is_scalar_sequence",
    "field_annotation_is_sequence",
    "get_definitions",
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
