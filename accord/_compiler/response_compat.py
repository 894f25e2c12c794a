"""Whether a route's `response_model=` can validate what its return annotation says it returns.

FastAPI validates the returned value against the response model before writing it. When the
route declares ``response_model=list[Item]`` but the endpoint is annotated ``-> Item``, or the
model requires a field the returned class does not have, every such response is a 500
(``ResponseValidationError``); nothing says so at registration. The comparison here is made on
the types alone and is conservative: a type it does not understand (``Any``, an ORM class, a
``datetime``, a ``TypeVar``) counts as compatible, so a finding means "this cannot work", not
"this might not".
"""

from __future__ import annotations

import collections.abc
import dataclasses
import enum
import inspect
import re
import types
import typing
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from typing_extensions import is_typeddict

from accord._compiler.calls import call_name
from accord._compiler.findings import Finding, source_of

__all__ = ["response_mismatch", "response_model_findings"]

_SEQUENCES = {
    list, set, frozenset, tuple, collections.abc.Sequence, collections.abc.MutableSequence,
    collections.abc.Set, collections.abc.MutableSet,
}
_MAPPINGS = {dict, collections.abc.Mapping, collections.abc.MutableMapping}
# The scalar types pydantic validates, and the returned scalars each never accepts, even in lax
# mode (an int model takes "3", a bool model takes "yes": those cannot be ruled out by type).
_SCALARS = (bool, int, float, str, bytes)
_NEVER: dict[type, set[type]] = {str: {bool, int, float}, bytes: {bool, int, float}}
_MAX_DEPTH = 4
_QUALIFIER = re.compile(r"\b(?:[A-Za-z_]\w*\.)+(?=[A-Za-z_])")


def response_model_findings(route: Any, label: str) -> list[Finding]:
    """A finding when the route's explicit response model cannot validate its return type."""
    model = getattr(route, "response_model", None)
    if getattr(route, "response_model_inferred", True) or model is None:
        return []
    endpoint = route.endpoint
    if inspect.isgeneratorfunction(endpoint) or inspect.isasyncgenfunction(endpoint):
        return []
    try:
        annotation = inspect.signature(endpoint, eval_str=True).return_annotation
    except Exception:  # an annotation that does not evaluate: do not guess
        return []
    if annotation is inspect.Signature.empty:
        return []
    reason = response_mismatch(model, annotation)
    if reason is None:
        return []
    filename, line = source_of(endpoint)
    name = call_name(endpoint)
    return [
        Finding(
            "response-model-mismatch",
            label,
            f"{label}: the response model {type_text(model)} cannot validate what {name!r} is "
            f"annotated to return ({type_text(annotation)}): {reason}; every such response "
            "fails with a 500 (ResponseValidationError).",
            "make them agree: return what response_model= says, or drop response_model= so "
            "that the return annotation is the response model (annotate `-> Any` when the "
            "model is meant to filter a wider object).",
            filename,
            line,
            module=getattr(endpoint, "__module__", None) or "accord",
        )
    ]


def response_mismatch(model: Any, returned: Any, depth: int = 0) -> str | None:
    """Why a value of type `returned` always fails validation as `model`, or None.

    Each member of a union that is returned must fit the model; a union model needs one
    member that fits.
    """
    model, returned = _strip(model), _strip(returned)
    if depth > _MAX_DEPTH or model is returned:
        return None
    if _is_union(returned):
        return next(
            (r for m in get_args(returned) if (r := response_mismatch(model, m, depth))), None
        )
    if _is_union(model):
        reasons = [response_mismatch(m, returned, depth) for m in get_args(model)]
        return None if None in reasons else reasons[0]
    if get_origin(returned) is Literal:
        return _literal_mismatch(model, returned, depth)
    return _kind_mismatch(model, returned, depth)


def _kind_mismatch(model: Any, returned: Any, depth: int) -> str | None:
    model_kind, returned_kind = _kind(model), _kind(returned)
    if model_kind is None or returned_kind is None:
        return None
    if model_kind == returned_kind:
        return _same_kind_mismatch(model_kind, model, returned, depth)
    if model_kind == "mapping" and returned_kind == "record":
        return None  # a model or dataclass is written as a dict
    if returned_kind == "none":
        return f"it may return None, which {type_text(model)} does not admit"
    if model_kind == "sequence":
        return f"a single {type_text(returned)} is not a list"
    return f"{_a(type_text(returned))} is not {_a(type_text(model))}"


def _same_kind_mismatch(kind: str, model: Any, returned: Any, depth: int) -> str | None:
    if kind == "scalar":
        base = _scalar_base(model)
        if base is None or _scalar_base(returned) not in _NEVER.get(base, set()):
            return None
        return f"{_a(type_text(returned))} is not {_a(type_text(model))}"
    if kind in ("sequence", "mapping"):
        (item,) = _items(model) if kind == "sequence" else (_item(model),)
        returned_items = _items(returned) if kind == "sequence" else (_item(returned),)
        for returned_item in returned_items:
            inner = response_mismatch(item, returned_item, depth + 1)
            if inner is not None:
                return f"{'an item' if kind == 'sequence' else 'a value'}: {inner}"
        return None
    if kind == "record":
        return _record_mismatch(model, returned, depth)
    return None  # both None


def _literal_mismatch(model: Any, returned: Any, depth: int) -> str | None:
    values = get_args(returned)
    if get_origin(model) is Literal:
        missing = [v for v in values if v not in get_args(model)]
        return f"{missing[0]!r} is not one of {type_text(model)}" if missing else None
    for value in values:
        reason = response_mismatch(model, type(value), depth)
        if reason is not None:
            return reason
    return None


def _record_mismatch(model: Any, returned: Any, depth: int) -> str | None:
    if _is_subclass(returned, model):
        return None
    model_fields, returned_fields = _fields(model), _fields(returned)
    if model_fields is None or returned_fields is None:
        return None
    keys = {key: name for name, (_, _, names) in returned_fields.items() for key in names}
    for name, (annotation, required, names) in model_fields.items():
        found = next((keys[k] for k in names if k in keys), None)
        if found is None:
            if required:
                return (
                    f"{type_text(returned)} has no field {name!r}, which {type_text(model)} "
                    "requires"
                )
            continue
        inner = response_mismatch(annotation, returned_fields[found][0], depth + 1)
        if inner is not None:
            return f"field {name!r}: {inner}"
    return None


def _fields(record: Any) -> dict[str, tuple[Any, bool, set[str]]] | None:
    """name -> (annotation, required, the keys it is read or written as)."""
    if isinstance(record, type) and issubclass(record, BaseModel):
        fields = {}
        for name, info in record.model_fields.items():
            names = {name, *(a for a in (info.alias, info.serialization_alias) if a)}
            if isinstance(info.validation_alias, str):
                names.add(info.validation_alias)
            fields[name] = (info.annotation, info.is_required(), names)
        return fields
    if dataclasses.is_dataclass(record):
        return {
            f.name: (
                f.type,
                f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING,
                {f.name},
            )
            for f in dataclasses.fields(record)
        }
    if is_typeddict(record):
        try:
            hints = typing.get_type_hints(record)
        except Exception:
            return None
        required = getattr(record, "__required_keys__", frozenset(hints))
        return {name: (hint, name in required, {name}) for name, hint in hints.items()}
    return None


def _kind(tp: Any) -> str | None:
    """none, scalar, sequence, mapping, record; None for what the check does not judge."""
    if tp is None or tp is type(None):
        return "none"
    origin = get_origin(tp)
    if origin is not None:
        if origin in _SEQUENCES:
            return "sequence"
        return "mapping" if origin in _MAPPINGS else None
    if not isinstance(tp, type):
        return None
    if tp in _SEQUENCES:
        return "sequence"
    if tp in _MAPPINGS:
        return "mapping"
    if issubclass(tp, BaseModel) or dataclasses.is_dataclass(tp) or is_typeddict(tp):
        return "record"
    if issubclass(tp, enum.Enum) and _scalar_base(tp) is None:
        return None
    return "scalar" if _scalar_base(tp) is not None else None


def _scalar_base(tp: Any) -> type | None:
    return next((base for base in _SCALARS if isinstance(tp, type) and issubclass(tp, base)), None)


def _is_subclass(returned: Any, model: Any) -> bool:
    if is_typeddict(returned) or is_typeddict(model):
        return False  # TypedDicts refuse issubclass()
    return isinstance(model, type) and isinstance(returned, type) and issubclass(returned, model)


def _items(tp: Any) -> tuple[Any, ...]:
    """The item types of a sequence: one, or each of a fixed tuple's; Any when unknown."""
    args = get_args(tp)
    if get_origin(tp) is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return (args[0],)
        return args or (Any,)
    return (args[0],) if len(args) == 1 else (Any,)


def _item(tp: Any) -> Any:
    """The value type of a mapping; Any when not given."""
    args = get_args(tp)
    return args[1] if len(args) == 2 else Any


def _a(text: str) -> str:
    """``an int``, ``a str``."""
    return f"{'an' if text[:1].lower() in 'aeiou' else 'a'} {text}"


def _strip(tp: Any) -> Any:
    """The type without `Annotated`, `NewType` and `type` aliases around it."""
    while True:
        if get_origin(tp) is Annotated:
            tp = get_args(tp)[0]
        elif hasattr(tp, "__supertype__"):
            tp = tp.__supertype__
        elif type(tp).__name__ == "TypeAliasType":
            tp = tp.__value__
        else:
            return tp


def _is_union(tp: Any) -> bool:
    return get_origin(tp) in (Union, types.UnionType)


def type_text(tp: Any) -> str:
    """How a type reads in source: ``list[Item]``, ``Item | None``."""
    tp = _strip(tp)
    if tp is None or tp is type(None):
        return "None"
    if isinstance(tp, type) and not get_args(tp):
        return tp.__qualname__.rpartition(".")[2] if "<locals>" in tp.__qualname__ else (
            tp.__qualname__
        )
    return _QUALIFIER.sub("", repr(tp))
