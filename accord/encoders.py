"""Turn arbitrary Python objects into plain JSON-compatible data (`jsonable_encoder`).

The result is built only from `dict`, `list`, `str`, `int`, `float`, `bool` and `None`.
The conversion rules and their order match FastAPI's `jsonable_encoder`, so code that
relies on its output (including its treatment of `Decimal`, sets, generators and
SQLAlchemy-style `_sa` keys) keeps working unchanged.

Order of the rules for one object:

1. a matching `custom_encoder` entry (exact type first, then `isinstance` in dict order);
2. Pydantic models (`model_dump(mode="json")`), then dataclass instances (`asdict`);
3. enums (their value), paths (`str`), `str`/`int`/`float`/`None` as they are;
4. dicts (keys and values encoded, `include`/`exclude` and the filters applied),
   then list-like containers (`list`, `tuple`, sets, `deque`, generators);
5. `ENCODERS_BY_TYPE` for the exact type, then `encoders_by_class_tuples` for subclasses;
6. finally `dict(obj)`, or `vars(obj)`, encoded as a dict.
"""

from __future__ import annotations

import dataclasses
import datetime
import sys
from collections import defaultdict, deque
from collections.abc import Callable, Mapping
from decimal import Decimal
from enum import Enum
from ipaddress import (
    IPv4Address,
    IPv4Interface,
    IPv4Network,
    IPv6Address,
    IPv6Interface,
    IPv6Network,
)
from pathlib import Path, PurePath
from re import Pattern
from types import GeneratorType
from typing import Any
from uuid import UUID

from pydantic import BaseModel
from pydantic.color import Color
from pydantic.networks import AnyUrl, NameEmail
from pydantic.types import SecretBytes, SecretStr
from pydantic_core import PydanticUndefinedType, Url

from accord.exceptions import PydanticV1NotSupportedError
from accord.types import IncEx

__all__ = [
    "ENCODERS_BY_TYPE",
    "decimal_encoder",
    "encoders_by_class_tuples",
    "generate_encoders_by_class_tuples",
    "isoformat",
    "jsonable_encoder",
]

Encoder = Callable[[Any], Any]


def isoformat(o: datetime.date | datetime.time) -> str:
    """Return the ISO 8601 text of a date, datetime or time."""
    return o.isoformat()


def decimal_encoder(dec_value: Decimal) -> int | float:
    """Encode a `Decimal` as an `int` when it has no fractional digits, else as a `float`.

    `Decimal("1")` gives `1` and `Decimal("1.0")` gives `1.0`: an integer column stored as a
    Decimal (SQL `NUMERIC(x, 0)`) must come back as an integer to round-trip.
    """
    exponent = dec_value.as_tuple().exponent
    # NaN and infinities carry a string exponent ("n", "N", "F"); they become floats.
    if isinstance(exponent, int) and exponent >= 0:
        return int(dec_value)
    return float(dec_value)


def _decode_bytes(value: bytes) -> str:
    return value.decode()


def _total_seconds(value: datetime.timedelta) -> float:
    return value.total_seconds()


def _enum_value(value: Enum) -> Any:
    return value.value


def _pattern_source(value: Pattern[Any]) -> Any:
    return value.pattern


# Encoders for types that are not JSON-native. Applications may add entries
# (`ENCODERS_BY_TYPE[ObjectId] = str`); an added entry applies to that exact type.
ENCODERS_BY_TYPE: dict[type[Any], Encoder] = {
    bytes: _decode_bytes,
    Color: str,
    datetime.date: isoformat,
    datetime.datetime: isoformat,
    datetime.time: isoformat,
    datetime.timedelta: _total_seconds,
    Decimal: decimal_encoder,
    Enum: _enum_value,
    frozenset: list,
    deque: list,
    GeneratorType: list,
    IPv4Address: str,
    IPv4Interface: str,
    IPv4Network: str,
    IPv6Address: str,
    IPv6Interface: str,
    IPv6Network: str,
    NameEmail: str,
    Path: str,
    Pattern: _pattern_source,
    SecretBytes: str,
    SecretStr: str,
    set: list,
    UUID: str,
    Url: str,
    AnyUrl: str,
}

try:  # The maintained Color type lives in an optional package.
    from pydantic_extra_types.color import Color as ExtraColor
except ImportError:  # pragma: no cover - depends on the environment
    pass
else:
    ENCODERS_BY_TYPE[ExtraColor] = str


def generate_encoders_by_class_tuples(
    type_encoder_map: Mapping[Any, Encoder],
) -> defaultdict[Encoder, tuple[Any, ...]]:
    """Group a type-to-encoder table by encoder, for `isinstance` checks on subclasses.

    Args:
        type_encoder_map: a table such as `ENCODERS_BY_TYPE`.

    Returns:
        Each encoder mapped to the tuple of types it handles, in table order.
    """
    grouped: defaultdict[Encoder, tuple[Any, ...]] = defaultdict(tuple)
    for type_, encoder in type_encoder_map.items():
        grouped[encoder] += (type_,)
    return grouped


# Built once, at import: subclasses of the types above (a `datetime` subclass, an
# `HttpUrl`) find their encoder here. Entries added to `ENCODERS_BY_TYPE` later only match
# their exact type, as in FastAPI; add to this mapping as well to cover subclasses.
encoders_by_class_tuples = generate_encoders_by_class_tuples(ENCODERS_BY_TYPE)

# Exactly these types are returned untouched; checked first because they are the most common.
_PLAIN_TYPES = frozenset({str, int, float, bool, type(None)})
_LIST_LIKE = (list, set, frozenset, GeneratorType, tuple, deque)


@dataclasses.dataclass(frozen=True)
class _Options:
    """The options that travel unchanged through the recursion."""

    by_alias: bool
    exclude_unset: bool
    exclude_defaults: bool
    exclude_none: bool
    custom_encoder: dict[Any, Encoder]
    sqlalchemy_safe: bool


def jsonable_encoder(
    obj: Any,
    include: IncEx | None = None,
    exclude: IncEx | None = None,
    by_alias: bool = True,
    exclude_unset: bool = False,
    exclude_defaults: bool = False,
    exclude_none: bool = False,
    custom_encoder: dict[Any, Callable[[Any], Any]] | None = None,
    sqlalchemy_safe: bool = True,
) -> Any:
    """Convert `obj` into data that `json.dumps` accepts.

    Args:
        obj: the object to convert.
        include: the fields (or dict keys) to keep, as Pydantic's `include`.
        exclude: the fields (or dict keys) to drop, as Pydantic's `exclude`.
        by_alias: write Pydantic fields under their alias.
        exclude_unset: leave out model fields that were not set explicitly.
        exclude_defaults: leave out model fields equal to their default.
        exclude_none: leave out fields and dict entries whose value is `None`.
        custom_encoder: a type-to-function table consulted before the built-in rules.
        sqlalchemy_safe: leave out dict keys starting with `_sa` (SQLAlchemy's state).

    Returns:
        The converted data.

    Raises:
        ValueError: `obj` matches no rule and is neither a mapping nor has a `__dict__`;
            the error's argument lists the two underlying errors.
        PydanticV1NotSupportedError: `obj` is a `pydantic.v1` model.
    """
    options = _Options(
        by_alias=by_alias,
        exclude_unset=exclude_unset,
        exclude_defaults=exclude_defaults,
        exclude_none=exclude_none,
        custom_encoder=custom_encoder or {},
        sqlalchemy_safe=sqlalchemy_safe,
    )
    return _encode(obj, options, include, exclude)


def _encode(obj: Any, options: _Options, include: Any, exclude: Any) -> Any:
    if options.custom_encoder:
        encoder = _custom_encoder_for(obj, options.custom_encoder)
        if encoder is not None:
            return encoder(obj)
    if include is not None and not isinstance(include, (set, dict)):
        include = set(include)
    if exclude is not None and not isinstance(exclude, (set, dict)):
        exclude = set(exclude)
    if type(obj) in _PLAIN_TYPES:
        return obj
    if isinstance(obj, BaseModel):
        return _encode_model(obj, options, include, exclude)
    if dataclasses.is_dataclass(obj):
        if isinstance(obj, type):
            # FastAPI fails with a bare assertion here; keep the type, say what is wrong.
            raise AssertionError(f"jsonable_encoder got a dataclass type, not an instance: {obj}")
        return _encode(dataclasses.asdict(obj), options, include, exclude)
    if isinstance(obj, Enum):
        return obj.value
    if isinstance(obj, PurePath):
        return str(obj)
    if isinstance(obj, (str, int, float)):
        return obj
    if isinstance(obj, PydanticUndefinedType):
        return None
    if isinstance(obj, dict):
        return _encode_dict(obj, options, include, exclude)
    if isinstance(obj, _LIST_LIKE):
        return [_encode(item, options, include, exclude) for item in obj]
    return _encode_other(obj, options, include, exclude)


def _custom_encoder_for(obj: Any, custom_encoder: dict[Any, Encoder]) -> Encoder | None:
    encoder = custom_encoder.get(type(obj))
    if encoder is not None:
        return encoder
    for encoder_type, candidate in custom_encoder.items():
        if isinstance(obj, encoder_type):
            return candidate
    return None


def _encode_model(obj: BaseModel, options: _Options, include: Any, exclude: Any) -> Any:
    dumped = obj.model_dump(
        mode="json",
        include=include,
        exclude=exclude,
        by_alias=options.by_alias,
        exclude_unset=options.exclude_unset,
        exclude_none=options.exclude_none,
        exclude_defaults=options.exclude_defaults,
    )
    # The dump is already JSON data; the second pass only applies the `_sa` and `None`
    # filters. Custom encoders are deliberately not applied to it (FastAPI does not either).
    if options.custom_encoder:
        options = dataclasses.replace(options, custom_encoder={})
    return _encode(dumped, options, None, None)


def _encode_dict(obj: dict[Any, Any], options: _Options, include: Any, exclude: Any) -> Any:
    allowed_keys = set(obj.keys())
    if include is not None:
        allowed_keys &= set(include)
    if exclude is not None:
        allowed_keys -= set(exclude)
    encoded: dict[Any, Any] = {}
    for key, value in obj.items():
        if options.sqlalchemy_safe and isinstance(key, str) and key.startswith("_sa"):
            continue
        if (value is None and options.exclude_none) or key not in allowed_keys:
            continue
        # `include`/`exclude` describe this level only; they do not reach nested values.
        encoded[_encode(key, options, None, None)] = _encode(value, options, None, None)
    return encoded


def _encode_other(obj: Any, options: _Options, include: Any, exclude: Any) -> Any:
    encoder = ENCODERS_BY_TYPE.get(type(obj))
    if encoder is not None:
        return encoder(obj)
    for candidate, classes in encoders_by_class_tuples.items():
        if isinstance(obj, classes):
            return candidate(obj)
    _reject_pydantic_v1(obj)
    return _encode(_as_dict(obj), options, include, exclude)


def _reject_pydantic_v1(obj: Any) -> None:
    # A pydantic.v1 model can only exist if pydantic.v1 was imported: no need to import it.
    v1 = sys.modules.get("pydantic.v1")
    if v1 is not None and isinstance(obj, v1.BaseModel):
        raise PydanticV1NotSupportedError(
            f"pydantic.v1 models are not supported by Accord; migrate the model {obj!r}"
            " to Pydantic v2."
        )


def _as_dict(obj: Any) -> Any:
    try:
        return dict(obj)
    except Exception as dict_error:
        try:
            return vars(obj)
        except Exception as vars_error:
            raise ValueError([dict_error, vars_error]) from vars_error
