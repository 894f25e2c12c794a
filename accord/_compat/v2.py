"""Compatibility surface for extensions: `fastapi._compat.v2` (the same names as the package)."""

from accord._compat import (
    ModelField,
    PydanticSchemaGenerationError,
    RequiredParam,
    Undefined,
    copy_field_info,
    get_cached_model_fields,
    get_definitions,
    get_flat_models_from_fields,
    get_model_name_map,
    is_scalar_field,
)

__all__ = [
    "ModelField",
    "PydanticSchemaGenerationError",
    "RequiredParam",
    "Undefined",
    "copy_field_info",
    "get_cached_model_fields",
    "get_definitions",
    "get_flat_models_from_fields",
    "get_model_name_map",
    "is_scalar_field",
]
