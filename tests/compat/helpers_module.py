"""Callables with string annotations, for the compatibility-surface tests."""

from __future__ import annotations

from functools import partial, wraps
from typing import Annotated, Any

from pydantic import BaseModel


class Item(BaseModel):
    name: str


def endpoint(item_id: int, q: str | None = None, item: Item | None = None) -> Item:
    raise NotImplementedError


def annotated(x: Annotated[int, "meta"], *args: Any, y: list[str], **kw: Any) -> None:
    raise NotImplementedError


def unannotated(a, b=1):  # type: ignore[no-untyped-def]
    raise NotImplementedError


def decorated(function: Any) -> Any:
    @wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return function(*args, **kwargs)

    return wrapper


wrapped = decorated(endpoint)
bound = partial(endpoint, 1)
