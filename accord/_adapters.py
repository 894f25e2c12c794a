"""Pydantic adapters shared by every route that declares the same type.

Building a `TypeAdapter` (pydantic's schema generation, then its Rust validator and
serializer) is most of what registering a route costs; a thousand-route app declares the same
few dozen types over and over (``item_id: int``, ``limit: int = Query(le=100)``, the response
model of a resource). An adapter is therefore built once per distinct declaration and shared.

A declaration's key is its exact content: the annotation, the constraints and every option of
its `Field(...)`, each compared by type, value and ``repr`` (so that ``le=1`` and ``le=1.0``,
whose JSON schemas differ, never share). A declaration holding something unhashable gets an
adapter of its own. The cache holds its adapters weakly: an adapter lives as long as a route
that uses it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any
from weakref import WeakValueDictionary

from pydantic import TypeAdapter
from pydantic.fields import FieldInfo

from accord._backports import field_info_asdict

__all__ = ["ALIAS_ATTRIBUTES", "adapter_count", "field_key", "shared_adapter"]

ALIAS_ATTRIBUTES = ("alias", "alias_priority", "validation_alias", "serialization_alias")

_ADAPTERS: WeakValueDictionary[Hashable, TypeAdapter[Any]] = WeakValueDictionary()


_SCALARS = frozenset({type(None), bool, int, float, str, bytes})


def _frozen(value: Any) -> Hashable:
    """`value` as a hashable key equal only to the same content (TypeError if it cannot be)."""
    kind = type(value)
    if kind in _SCALARS:
        return (kind, value)
    if kind in (list, tuple):
        return (kind, tuple(_frozen(item) for item in value))
    if kind is dict:
        return (kind, tuple((key, _frozen(item)) for key, item in value.items()))
    if kind in (set, frozenset):
        return (kind, frozenset(_frozen(item) for item in value))
    hash(value)
    return (kind, value, repr(value))


def field_key(
    field_info: FieldInfo, *, keep_aliases: bool = True, config: Any = None
) -> Hashable | None:
    """The key of the adapter of `field_info` as a standalone type (with `config`), or None
    when something in it cannot be compared by content (then it is not shared)."""
    parts = field_info_asdict(field_info)
    attributes = parts["attributes"]
    if not keep_aliases:
        attributes = {k: v for k, v in attributes.items() if k not in ALIAS_ATTRIBUTES}
    try:
        return (
            _frozen(parts["annotation"]),
            tuple(_frozen(item) for item in parts["metadata"]),
            _frozen(attributes),
            None if config is None else _frozen(dict(config)),
        )
    except TypeError:
        return None


def shared_adapter(key: Hashable | None, build: Callable[[], TypeAdapter[Any]]) -> TypeAdapter[Any]:
    """The adapter built for `key`, building it now (with `build`) on first use.

    A None key is never shared: `build` runs every time.
    """
    if key is None:
        return build()
    found = _ADAPTERS.get(key)
    if found is None:
        found = build()
        _ADAPTERS[key] = found
    return found


def adapter_count() -> int:
    """How many shared adapters are alive (for tests and benchmarks)."""
    return len(_ADAPTERS)
