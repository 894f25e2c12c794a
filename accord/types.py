"""Type aliases shared across Accord, at FastAPI's `fastapi.types` import path."""

from collections.abc import Callable
from enum import Enum
from types import UnionType as UnionType
from typing import Any, TypeVar

from pydantic import BaseModel
from pydantic.main import IncEx as IncEx

__all__ = ["DecoratedCallable", "DependencyCacheKey", "IncEx", "ModelNameMap", "UnionType"]

DecoratedCallable = TypeVar("DecoratedCallable", bound=Callable[..., Any])
"""The function a route decorator receives and returns unchanged."""

ModelNameMap = dict[type[BaseModel] | type[Enum], str]
"""Each model or enum in an OpenAPI document mapped to its component name."""

DependencyCacheKey = tuple[Callable[..., Any] | None, tuple[str, ...], str]
"""What identifies one dependency result within a request: callable, scopes, scope kind."""
