"""`ModelField`: one declared input or output with its pydantic validator and serializer.

A field is built once, when its route is registered; its `TypeAdapter` is built on first use (the
OpenAPI document needs one even for inputs the runtime validates in bulk).
"""

from __future__ import annotations

import warnings
from copy import copy
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, TypeAdapter, ValidationError
from pydantic.fields import FieldInfo
from pydantic.warnings import UnsupportedFieldAttributeWarning
from pydantic_core import PydanticUndefined

from accord.exceptions import AccordError

__all__ = ["ModelField", "annotated_type", "copy_field_info", "missing_error", "regenerate_errors"]

_ALIAS_ATTRIBUTES = ("alias", "alias_priority", "validation_alias", "serialization_alias")


def annotated_type(field_info: FieldInfo, *, keep_aliases: bool = True) -> Any:
    """``Annotated[type, *constraints, Field(...)]``: the field as a standalone type.

    With `keep_aliases=False` the alias options are dropped, so that the type can sit in a
    container keyed by Accord's own names, and FastAPI's rule of not validating defaults is kept.
    """
    parts = field_info.asdict()
    attributes = dict(parts["attributes"])
    if not keep_aliases:
        for name in _ALIAS_ATTRIBUTES:
            attributes.pop(name, None)
        attributes.pop("validate_default", None)
    args = (parts["annotation"], *parts["metadata"], Field(**attributes))
    return Annotated[args]


def copy_field_info(field_info: FieldInfo, annotation: Any) -> FieldInfo:
    """A copy of `field_info` whose annotation and metadata come from `annotation`."""
    merged = type(field_info).from_annotation(annotation)
    new = copy(field_info)
    new.metadata = merged.metadata
    new.annotation = merged.annotation
    return new


def missing_error(loc: tuple[int | str, ...]) -> dict[str, Any]:
    """The error entry for a required input that is absent."""
    return {"type": "missing", "loc": loc, "msg": "Field required", "input": None}


def regenerate_errors(
    errors: list[Any], prefix: tuple[int | str, ...]
) -> list[dict[str, Any]]:
    """Prefixes each pydantic error's `loc` with where the input came from."""
    return [{**error, "loc": prefix + tuple(error["loc"])} for error in errors]


class ModelField:
    """A named input or output: its `FieldInfo`, its alias and its pydantic adapter."""

    __slots__ = ("__dict__", "config", "field_info", "mode", "name")

    def __init__(
        self,
        field_info: FieldInfo,
        name: str,
        mode: Literal["validation", "serialization"] = "validation",
        config: ConfigDict | None = None,
    ) -> None:
        self.field_info = field_info
        self.name = name
        self.mode = mode
        self.config = config

    def __repr__(self) -> str:
        return f"ModelField(name={self.name!r}, type={self.field_info.annotation!r})"

    @property
    def alias(self) -> str:
        """The name the field has on the wire."""
        alias = self.field_info.alias
        return alias if alias is not None else self.name

    @property
    def validation_alias(self) -> str | None:
        """The string validation alias, when one is set."""
        alias = self.field_info.validation_alias
        return alias if isinstance(alias, str) and alias else None

    @property
    def serialization_alias(self) -> str | None:
        """The serialization alias, when one is set."""
        return self.field_info.serialization_alias or None

    @property
    def lookup_alias(self) -> str:
        """The key the input is read under: the validation alias, else the alias."""
        return self.validation_alias or self.alias

    @property
    def required(self) -> bool:
        """Whether the input must be present."""
        return self.field_info.is_required()

    @property
    def default(self) -> Any:
        """The default value (a fresh one from a factory), or `PydanticUndefined`."""
        if self.field_info.is_required():
            return PydanticUndefined
        return self.field_info.get_default(call_default_factory=True)

    @property
    def type_(self) -> Any:
        """The declared annotation."""
        return self.field_info.annotation

    @cached_property
    def type_adapter(self) -> TypeAdapter[Any]:
        """The pydantic adapter for ``Annotated[type, constraints, Field(...)]``."""
        with warnings.catch_warnings():
            # Options such as `alias` mean nothing on a standalone type; pydantic says so.
            warnings.simplefilter("ignore", UnsupportedFieldAttributeWarning)
            try:
                return TypeAdapter(annotated_type(self.field_info), config=self.config)
            except Exception as exc:  # pydantic raises several kinds here
                raise AccordError(
                    f"Invalid type for {self.name!r}: {self.field_info.annotation!r} is not a "
                    f"type pydantic can validate or serialize ({exc}). Use a pydantic model, a "
                    "dataclass or a standard type, or set response_model=None."
                ) from exc

    def validate(
        self, value: Any, *, loc: tuple[int | str, ...] = ()
    ) -> tuple[Any, list[dict[str, Any]]]:
        """Validates a Python value; returns ``(value, [])`` or ``(None, errors)``."""
        try:
            return self.type_adapter.validate_python(value, from_attributes=True), []
        except ValidationError as exc:
            return None, regenerate_errors(exc.errors(include_url=False), loc)
