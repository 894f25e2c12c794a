"""The functions used in signatures: ``q: str = Query(None)``, ``Annotated[int, Path(gt=0)]``.

Each returns the marker of the same name from :mod:`accord.params`; the options are those of
:class:`accord.params.FieldOptions`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Literal

from pydantic_core import PydanticUndefined
from typing_extensions import Unpack

from accord import params
from accord.params import FieldOptions

__all__ = ["Body", "Cookie", "Depends", "File", "Form", "Header", "Path", "Query", "Security"]


def Path(default: Any = ..., **extra: Unpack[FieldOptions]) -> Any:
    """A path parameter (always required). See :class:`accord.params.FieldOptions`."""
    return params.Path(default, **extra)


def Query(default: Any = PydanticUndefined, **extra: Unpack[FieldOptions]) -> Any:
    """A query-string parameter. See :class:`accord.params.FieldOptions`."""
    return params.Query(default, **extra)


def Header(
    default: Any = PydanticUndefined,
    *,
    convert_underscores: bool = True,
    **extra: Unpack[FieldOptions],
) -> Any:
    """A header parameter; underscores in the name become hyphens unless told otherwise."""
    return params.Header(default, convert_underscores=convert_underscores, **extra)


def Cookie(default: Any = PydanticUndefined, **extra: Unpack[FieldOptions]) -> Any:
    """A cookie parameter. See :class:`accord.params.FieldOptions`."""
    return params.Cookie(default, **extra)


def Body(
    default: Any = PydanticUndefined,
    *,
    embed: bool | None = None,
    media_type: str = "application/json",
    **extra: Unpack[FieldOptions],
) -> Any:
    """The JSON body, or one key of it when `embed=True` or when there are several bodies."""
    return params.Body(default, embed=embed, media_type=media_type, **extra)


def Form(
    default: Any = PydanticUndefined,
    *,
    media_type: str = "application/x-www-form-urlencoded",
    **extra: Unpack[FieldOptions],
) -> Any:
    """A form field. See :class:`accord.params.FieldOptions`."""
    return params.Form(default, media_type=media_type, **extra)


def File(
    default: Any = PydanticUndefined,
    *,
    media_type: str = "multipart/form-data",
    **extra: Unpack[FieldOptions],
) -> Any:
    """An uploaded file (`bytes` or `UploadFile`). See :class:`accord.params.FieldOptions`."""
    return params.File(default, media_type=media_type, **extra)


def Depends(
    dependency: Callable[..., Any] | None = None,
    *,
    use_cache: bool = True,
    scope: Literal["function", "request", "app"] | None = None,
    max_concurrency: int | None = None,
) -> Any:
    """Declares a dependency; see :class:`accord.params.Depends`.

    ``scope="app"`` makes it an app-lifetime dependency: created once at start-up, shared by
    all requests, torn down at shutdown (see the README's advanced section).
    ``max_concurrency=N`` lets at most N calls of it run at once, across requests (a `yield`
    dependency holds its slot until its teardown).
    """
    return params.Depends(
        dependency=dependency, use_cache=use_cache, scope=scope, max_concurrency=max_concurrency
    )


def Security(
    dependency: Callable[..., Any] | None = None,
    *,
    scopes: Sequence[str] | None = None,
    use_cache: bool = True,
) -> Any:
    """A dependency that requires OAuth2 `scopes`; see :class:`accord.params.Security`."""
    return params.Security(dependency=dependency, scopes=scopes, use_cache=use_cache)
