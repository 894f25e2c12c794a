"""Request data containers, `UploadFile`, and the `Default` marker for unset options."""

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from pydantic import GetJsonSchemaHandler
from pydantic_core import core_schema
from starlette.datastructures import URL as URL
from starlette.datastructures import Address as Address
from starlette.datastructures import FormData as FormData
from starlette.datastructures import Headers as Headers
from starlette.datastructures import QueryParams as QueryParams
from starlette.datastructures import State as State
from starlette.datastructures import UploadFile as StarletteUploadFile

__all__ = [
    "URL",
    "Address",
    "Default",
    "DefaultPlaceholder",
    "DefaultType",
    "FormData",
    "Headers",
    "QueryParams",
    "State",
    "UploadFile",
]


class UploadFile(StarletteUploadFile):
    """A file received in a multipart form.

    Declare an endpoint parameter as `UploadFile` to receive the file without reading it
    into memory. The async methods (`read`, `write`, `seek`, `close`) run the blocking file
    operations in the thread pool; synchronous code can use `.file` directly.

    It also works as a field type in Pydantic models: it accepts any Starlette upload file
    and is described in JSON Schema as a binary string.
    """

    @classmethod
    def _validate(cls, value: Any, _info: core_schema.ValidationInfo) -> StarletteUploadFile:
        if not isinstance(value, StarletteUploadFile):
            raise ValueError(f"Expected UploadFile, received: {type(value)}")
        return value

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[Any], handler: Callable[[Any], core_schema.CoreSchema]
    ) -> core_schema.CoreSchema:
        return core_schema.with_info_plain_validator_function(cls._validate)

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: Mapping[str, Any], handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        return {"type": "string", "contentMediaType": "application/octet-stream"}


class DefaultPlaceholder:
    """A default value, marked so that it can be told apart from an explicit argument.

    Options such as `response_class` cascade from the application to routers to routes; a
    level uses its parent's value only where its own is still a placeholder. Compares equal
    to another placeholder with an equal value, and is as truthy as its value.
    """

    def __init__(self, value: Any) -> None:
        self.value = value

    def __bool__(self) -> bool:
        return bool(self.value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DefaultPlaceholder) and other.value == self.value

    def __repr__(self) -> str:
        return f"Default({self.value!r})"


DefaultType = TypeVar("DefaultType")


def Default(value: DefaultType) -> DefaultType:
    """Wrap `value` in a `DefaultPlaceholder`, typed as `value` for the signatures using it.

    Args:
        value: the default value.

    Returns:
        A `DefaultPlaceholder` holding `value` (statically typed as `value`'s type).
    """
    return DefaultPlaceholder(value)  # type: ignore[return-value]


# The default of keyword arguments whose absence must be detectable (`None` is meaningful).
_Unset: Any = Default(None)
