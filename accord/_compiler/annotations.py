"""Classification of type annotations: scalar or sequence, upload, bytes, model.

These decide where an undeclared parameter is read from (query or body) and how a multi-valued
input (``?a=1&a=2``, repeated form fields) is collected.
"""

from __future__ import annotations

import types
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import is_dataclass
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, Json
from pydantic.fields import FieldInfo

from accord import params
from accord.datastructures import UploadFile

__all__ = [
    "SEQUENCE_TYPES",
    "is_bytes_annotation",
    "is_bytes_sequence_annotation",
    "is_scalar_annotation",
    "is_scalar_sequence_annotation",
    "is_sequence_annotation",
    "is_union",
    "is_upload_annotation",
    "is_upload_sequence_annotation",
    "lenient_issubclass",
    "param_model",
    "sequence_container",
]

SEQUENCE_TYPES: tuple[type[Any], ...] = (list, set, frozenset, tuple, deque, Sequence)


def lenient_issubclass(cls: Any, parents: type[Any] | tuple[type[Any], ...]) -> bool:
    """`issubclass` that answers False for anything that is not a plain class."""
    try:
        return isinstance(cls, type) and issubclass(cls, parents)
    except TypeError:
        return False


def is_union(annotation: Any) -> bool:
    """True for ``Union[...]``, ``Optional[...]`` and ``X | Y``."""
    origin = get_origin(annotation)
    return origin is Union or origin is types.UnionType


def _unannotated(annotation: Any) -> Any:
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    return annotation


def _plain_is_sequence(annotation: Any) -> bool:
    if lenient_issubclass(annotation, (str, bytes)):
        return False
    return lenient_issubclass(annotation, SEQUENCE_TYPES)


def is_sequence_annotation(annotation: Any) -> bool:
    """A list-like type (also inside Optional/Union): repeated inputs are collected."""
    annotation = _unannotated(annotation)
    if is_union(annotation):
        return any(is_sequence_annotation(arg) for arg in get_args(annotation))
    return _plain_is_sequence(annotation) or _plain_is_sequence(get_origin(annotation))


def _plain_is_complex(annotation: Any) -> bool:
    return (
        lenient_issubclass(annotation, (BaseModel, Mapping, UploadFile))
        or _plain_is_sequence(annotation)
        or is_dataclass(annotation)
    )


def _is_complex(annotation: Any) -> bool:
    annotation = _unannotated(annotation)
    if is_union(annotation):
        return any(_is_complex(arg) for arg in get_args(annotation))
    origin = get_origin(annotation)
    return (
        _plain_is_complex(annotation)
        or _plain_is_complex(origin)
        or hasattr(origin, "__pydantic_core_schema__")
        or hasattr(origin, "__get_pydantic_core_schema__")
    )


def is_scalar_annotation(annotation: Any) -> bool:
    """A single value that fits in a query string, a path segment or a header."""
    return annotation is Ellipsis or not _is_complex(annotation)


def is_scalar_sequence_annotation(annotation: Any) -> bool:
    """A sequence of scalars, such as ``list[int]`` (also inside Optional)."""
    annotation = _unannotated(annotation)
    if is_union(annotation):
        found = False
        for arg in get_args(annotation):
            if is_scalar_sequence_annotation(arg):
                found = True
            elif not is_scalar_annotation(arg):
                return False
        return found
    return is_sequence_annotation(annotation) and all(
        is_scalar_annotation(arg) for arg in get_args(annotation)
    )


def _is_or_optional(annotation: Any, cls: type[Any]) -> bool:
    if lenient_issubclass(annotation, cls):
        return True
    return is_union(annotation) and any(lenient_issubclass(a, cls) for a in get_args(annotation))


def is_bytes_annotation(annotation: Any) -> bool:
    """``bytes`` or ``bytes | None``."""
    return _is_or_optional(annotation, bytes)


def is_upload_annotation(annotation: Any) -> bool:
    """``UploadFile`` or ``UploadFile | None``."""
    return _is_or_optional(annotation, UploadFile)


def _is_sequence_of(annotation: Any, item_test: Any) -> bool:
    if is_union(annotation):
        return any(_is_sequence_of(arg, item_test) for arg in get_args(annotation))
    return is_sequence_annotation(annotation) and all(
        item_test(arg) for arg in get_args(annotation)
    )


def is_bytes_sequence_annotation(annotation: Any) -> bool:
    """``list[bytes]`` and friends."""
    return _is_sequence_of(annotation, is_bytes_annotation)


def is_upload_sequence_annotation(annotation: Any) -> bool:
    """``list[UploadFile]`` and friends."""
    return _is_sequence_of(annotation, is_upload_annotation)


def sequence_container(annotation: Any) -> type[Any]:
    """The concrete container to collect repeated values into for a sequence annotation."""
    annotation = _unannotated(annotation)
    if is_union(annotation):
        for arg in get_args(annotation):
            if arg is not type(None):
                return sequence_container(arg)
    origin = get_origin(annotation) or annotation
    if origin is Sequence or not isinstance(origin, type):
        return list
    return origin


def param_model(field_info: FieldInfo) -> type[BaseModel] | None:
    """The model a parameter stands for, or None: ``Annotated[Filters, Query()]``, and for a
    query, header or cookie parameter also ``Filters | None`` (FastAPI 0.163)."""
    annotation: Any = field_info.annotation
    nullable = isinstance(field_info, (params.Query, params.Header, params.Cookie))
    if nullable and is_union(annotation):
        args = get_args(annotation)
        if len(args) == 2 and type(None) in args:
            annotation = args[0] if args[1] is type(None) else args[1]
    if not lenient_issubclass(annotation, BaseModel):
        return None
    if any(type(item) is Json for item in field_info.metadata):
        return None
    model: type[BaseModel] = annotation
    return model
