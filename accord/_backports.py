"""What the oldest supported Starlette and Pydantic lack, in one place.

Accord follows the releases FastAPI accepts (Starlette >= 0.46, Pydantic >= 2.9; the floors it
is tested at are those in pyproject.toml, see `make test-matrix`). Where a newer release added a
name Accord uses, the name is defined here: the release's own object when it has one, else the
nearest equivalent of the older release. Other modules import these names from here and never
test versions themselves.
"""

from __future__ import annotations

import importlib
from typing import Any

import starlette
import starlette.status as _starlette_status
from pydantic import warnings as _pydantic_warnings
from pydantic.fields import FieldInfo
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.staticfiles import StaticFiles as _StarletteStaticFiles
from starlette.types import Scope

__all__ = [
    "DEPRECATED_STATUS_NAMES",
    "STATUS_NAMES",
    "StaticFiles",
    "UnsupportedFieldAttributeWarning",
    "field_info_asdict",
    "field_info_parts",
    "querystring_parser",
]


_STARLETTE_RELEASE = tuple(int(part) for part in starlette.__version__.split(".")[:2])


class _NeverRaised(UserWarning):
    """Stands for a warning that the installed Pydantic never raises."""


# Pydantic 2.12 warns when a field option has no effect where the field is used (an alias on a
# TypedDict item, say); earlier releases ignore such options silently, so there is nothing to
# filter and a class no one raises keeps the filters harmless.
UnsupportedFieldAttributeWarning: type[Warning] = getattr(
    _pydantic_warnings, "UnsupportedFieldAttributeWarning", _NeverRaised
)

# Starlette 0.48 gave `starlette.status` an `__all__` and a `__deprecated__` table (old names,
# such as HTTP_422_UNPROCESSABLE_ENTITY, served with a warning); before it, every code is a
# plain module constant.
STATUS_NAMES: list[str] = list(
    getattr(_starlette_status, "__all__", None)
    or [name for name in vars(_starlette_status) if name.startswith(("HTTP_", "WS_"))]
)
DEPRECATED_STATUS_NAMES: frozenset[str] = frozenset(
    getattr(_starlette_status, "__deprecated__", ())
)


# Pydantic 2.12 added `FieldInfo.asdict()`. Before it, the options `Field()` takes besides the
# constraints (which live in `metadata`) are exactly the public slots of `FieldInfo`.
_FIELD_OPTIONS = tuple(
    name
    for name in FieldInfo.__slots__
    if not name.startswith("_") and name not in ("annotation", "metadata")
)
_HAS_ASDICT = hasattr(FieldInfo, "asdict")


def field_info_asdict(field_info: FieldInfo) -> dict[str, Any]:
    """``field_info.asdict()``: its annotation, its metadata and its other options by name."""
    if _HAS_ASDICT:
        return dict(field_info.asdict())
    return field_info_parts(field_info)


def field_info_parts(field_info: FieldInfo) -> dict[str, Any]:
    """What ``asdict()`` returns, read from the attributes (for Pydantic before 2.12)."""
    return {
        "annotation": field_info.annotation,
        "metadata": field_info.metadata,
        "attributes": {name: getattr(field_info, name) for name in _FIELD_OPTIONS},
    }


def querystring_parser() -> Any:
    """python-multipart's urlencoded parser class, or None when it is not installed.

    The package is imported as `python_multipart` since 0.0.13 and as `multipart` before; the
    new name is tried first because importing the old one from a new release warns, and the old
    name is also that of an unrelated `multipart` package (one module, no `multipart.multipart`).
    """
    for module in ("python_multipart", "multipart.multipart"):
        try:
            return importlib.import_module(module).QuerystringParser
        except ModuleNotFoundError:
            continue
    return None



class _StaticFiles(_StarletteStaticFiles):
    """Starlette's static files, refusing a path with a null byte as 1.0 does (a 404, not a 500)."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        try:
            return await super().get_response(path, scope)
        except ValueError:  # os.stat() on a path with a null byte
            raise HTTPException(status_code=404) from None


# Starlette 1.0 answers 404 for a path the OS cannot represent; before it, the ValueError from
# `os.stat` escaped as a 500.
StaticFiles: type[_StarletteStaticFiles] = (
    _StarletteStaticFiles if _STARLETTE_RELEASE >= (1, 0) else _StaticFiles
)
