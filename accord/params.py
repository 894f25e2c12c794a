"""The markers saying where a parameter comes from: Path, Query, Header, Cookie, Body, Form, File.

Each marker is a pydantic `FieldInfo`, so constraints, aliases and examples are declared exactly
as on a pydantic field. `Depends` and `Security` mark dependencies. The functions users call
(``Query(...)``) live in :mod:`accord.param_functions`.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, ClassVar, Literal, TypedDict

from pydantic import AliasChoices, AliasPath
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined
from typing_extensions import Unpack

from accord.concurrency import _DependencyConcurrency
from accord.exceptions import AccordDeprecationWarning

__all__ = [
    "Body",
    "Cookie",
    "Depends",
    "FieldOptions",
    "File",
    "Form",
    "Header",
    "Param",
    "ParamTypes",
    "Path",
    "Query",
    "Security",
]

_Unset: Any = object()


class ParamTypes(Enum):
    """Where a non-body parameter is read from."""

    query = "query"
    header = "header"
    path = "path"
    cookie = "cookie"


class FieldOptions(TypedDict, total=False):
    """The keyword options every marker accepts (pydantic's field options plus OpenAPI extras)."""

    default_factory: Callable[[], Any] | None
    annotation: Any
    alias: str | None
    alias_priority: int | None
    validation_alias: str | AliasPath | AliasChoices | None
    serialization_alias: str | None
    title: str | None
    description: str | None
    gt: float | None
    ge: float | None
    lt: float | None
    le: float | None
    min_length: int | None
    max_length: int | None
    pattern: str | None
    regex: str | None
    discriminator: str | None
    strict: bool | None
    multiple_of: float | None
    allow_inf_nan: bool | None
    max_digits: int | None
    decimal_places: int | None
    examples: list[Any] | None
    example: Any
    openapi_examples: dict[str, Any] | None
    deprecated: Any
    include_in_schema: bool
    json_schema_extra: dict[str, Any] | None
    validate_default: bool | None
    union_mode: Literal["smart", "left_to_right"] | None
    fail_fast: bool | None


def _field_kwargs(options: dict[str, Any]) -> dict[str, Any]:
    """Turns marker options into `FieldInfo` keyword arguments, as FastAPI interprets them."""
    alias = options.get("alias")
    if isinstance(alias, str):
        if options.get("serialization_alias") is None:
            options["serialization_alias"] = alias
        if options.get("validation_alias") is None:
            options["validation_alias"] = alias
    regex = options.pop("regex", None)
    if regex is not None:
        warnings.warn(
            "`regex` has been deprecated, please use `pattern` instead",
            category=AccordDeprecationWarning,
            stacklevel=5,
        )
        options["pattern"] = options.get("pattern") or regex
    return {key: value for key, value in options.items() if value is not None}


class _Marker(FieldInfo):  # type: ignore[misc]
    """Common behaviour of all markers: OpenAPI extras kept beside the pydantic field options."""

    def __init__(self, default: Any = PydanticUndefined, **extra: Unpack[FieldOptions]) -> None:
        kwargs: dict[str, Any] = dict(extra)
        unknown = [key for key in kwargs if key not in FieldOptions.__annotations__]
        if unknown:  # FastAPI 0.163 removed the extra keywords markers once accepted
            raise TypeError(
                f"{type(self).__name__}() got an unexpected keyword argument {unknown[0]!r}; "
                f"put extra OpenAPI keys in json_schema_extra={{{unknown[0]!r}: ...}}"
            )
        self.include_in_schema: bool = kwargs.pop("include_in_schema", True)
        self.openapi_examples: dict[str, Any] | None = kwargs.pop("openapi_examples", None)
        self.example: Any = kwargs.pop("example", _Unset)
        if self.example is not _Unset:
            warnings.warn(
                "`example` has been deprecated, please use `examples` instead",
                category=AccordDeprecationWarning,
                stacklevel=4,
            )
        super().__init__(default=default, **_field_kwargs(kwargs))

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}({self.default})"


class Param(_Marker):  # type: ignore[misc]
    """A parameter read from the path, the query string, a header or a cookie."""

    in_: ClassVar[ParamTypes]


class Path(Param):  # type: ignore[misc]
    """A path parameter; always required."""

    in_ = ParamTypes.path

    def __init__(self, default: Any = ..., **extra: Unpack[FieldOptions]) -> None:
        if default is not ...:
            raise ValueError("Path parameters cannot have a default value")
        super().__init__(default, **extra)


class Query(Param):  # type: ignore[misc]
    """A query-string parameter."""

    in_ = ParamTypes.query


class Header(Param):  # type: ignore[misc]
    """A header; `convert_underscores` maps `user_agent` to the `user-agent` header."""

    in_ = ParamTypes.header

    def __init__(
        self,
        default: Any = PydanticUndefined,
        *,
        convert_underscores: bool = True,
        **extra: Unpack[FieldOptions],
    ) -> None:
        self.convert_underscores = convert_underscores
        super().__init__(default, **extra)


class Cookie(Param):  # type: ignore[misc]
    """A cookie."""

    in_ = ParamTypes.cookie


class Body(_Marker):  # type: ignore[misc]
    """The request body, or (with `embed=True` or several bodies) one key of it."""

    default_media_type: ClassVar[str] = "application/json"

    def __init__(
        self,
        default: Any = PydanticUndefined,
        *,
        embed: bool | None = None,
        media_type: str | None = None,
        **extra: Unpack[FieldOptions],
    ) -> None:
        self.embed = embed
        self.media_type = media_type or self.default_media_type
        super().__init__(default, **extra)


class Form(Body):  # type: ignore[misc]
    """A form field (URL-encoded or multipart)."""

    default_media_type = "application/x-www-form-urlencoded"


class File(Form):  # type: ignore[misc]
    """An uploaded file in a multipart form."""

    default_media_type = "multipart/form-data"


@dataclass(frozen=True)
class Depends:
    """Declares a dependency: `dependency` is called per request (cached unless `use_cache=False`).

    `scope` chooses the dependency's lifetime. For a `yield` dependency, ``"function"`` tears
    it down right after the endpoint returns, ``"request"`` (the default) after the response is
    sent. ``"app"`` creates it once, when the application starts, shares the one value with
    every request, and tears it down at shutdown; it may not use request data.
    """

    dependency: Callable[..., Any] | None = None
    use_cache: bool = True
    scope: Literal["function", "request", "app"] | None = None
    max_concurrency: int | None = field(default=None, kw_only=True)
    """At most this many calls of the dependency run at once, across requests."""
    # Kept as a field so `dataclasses.replace` carries the same limit (and semaphore) along.
    _concurrency: _DependencyConcurrency | None = field(default=None, repr=False, kw_only=True)

    def __post_init__(self) -> None:
        limit = self.max_concurrency
        if limit is None:
            object.__setattr__(self, "_concurrency", None)
            return
        if type(limit) is not int or limit < 1:
            raise ValueError("max_concurrency must be a positive integer or None")
        if self._concurrency is None or self._concurrency.max_concurrency != limit:
            object.__setattr__(self, "_concurrency", _DependencyConcurrency(limit))


@dataclass(frozen=True)
class Security(Depends):
    """A dependency that also declares the OAuth2 `scopes` it requires."""

    scopes: Sequence[str] | None = None
