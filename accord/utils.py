"""Compatibility surface for extensions: `fastapi.utils`.

`create_model_field` (a named field validated or serialized by pydantic, as FastAPI extensions
build them), `generate_unique_id` (the default operation id), `get_path_param_names`,
`is_body_allowed_for_status_code`, `deep_dict_update` and `get_value_or_default`, all
Accord's own implementations.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from accord._compiler.dependant import get_path_param_names
from accord._plan import ModelField, is_body_allowed_for_status_code
from accord._routing.options import generate_unique_id, get_value_or_default
from accord.openapi.operations import deep_dict_update

__all__ = [
    "create_model_field",
    "deep_dict_update",
    "generate_unique_id",
    "get_path_param_names",
    "get_value_or_default",
    "is_body_allowed_for_status_code",
]


def create_model_field(
    name: str,
    type_: Any,
    default: Any | None = PydanticUndefined,
    field_info: FieldInfo | None = None,
    alias: str | None = None,
    mode: Literal["validation", "serialization"] = "validation",
) -> ModelField:
    """A field named `name` of type `type_`.

    Raises:
        FastAPIError: pydantic cannot validate or serialize `type_` (the message says why).
    """
    info = field_info or FieldInfo(annotation=type_, default=default, alias=alias)
    field = ModelField(field_info=info, name=name, mode=mode)
    field.type_adapter  # noqa: B018 - built now, so an unusable type fails here, not later
    return field
