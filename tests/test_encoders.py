"""`accord.encoders.jsonable_encoder` against FastAPI's, the oracle.

Every case runs both encoders on the same input and requires results that are equal in
value *and* type at every level (so `1` vs `1.0` vs `True` and key order all count).
"""

from __future__ import annotations

import dataclasses
import datetime
import enum
import inspect
import math
import re
import sys
import uuid
import warnings
from collections import OrderedDict, defaultdict, deque
from collections.abc import Callable
from decimal import Decimal
from ipaddress import (
    IPv4Address,
    IPv4Interface,
    IPv4Network,
    IPv6Address,
    IPv6Interface,
    IPv6Network,
)
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath
from types import MappingProxyType
from typing import Any, Optional

import fastapi.encoders
import fastapi.exceptions
import pydantic_core
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import (
    AnyUrl,
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    NameEmail,
    SecretBytes,
    SecretStr,
    TypeAdapter,
)
from pydantic_core import PydanticUndefined
from pydantic_extra_types.color import Color as ExtraColor

import accord.encoders
import accord.exceptions
from accord.encoders import jsonable_encoder

# --------------------------------------------------------------------------- comparison


def same(a: Any, b: Any) -> bool:
    """Equal in value and in type, recursively; NaN equals NaN; dict key order counts."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return (math.isnan(a) and math.isnan(b)) or a == b
    if isinstance(a, dict):
        return len(a) == len(b) and all(
            same(ka, kb) and same(va, vb) for (ka, va), (kb, vb) in zip(a.items(), b.items())
        )
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


def assert_parity(make: Callable[[], Any], **options: Any) -> Any:
    """Encode a fresh `make()` with both encoders; return Accord's result."""
    ours = jsonable_encoder(make(), **options)
    theirs = fastapi.encoders.jsonable_encoder(make(), **options)
    assert same(ours, theirs), (ours, theirs)
    return ours


def outcome(encode: Callable[..., Any], value: Any, options: dict[str, Any]) -> Any:
    """The result, or the exception type and message, of one encoding."""
    try:
        return ("ok", encode(value, **options))
    except Exception as error:
        return ("error", type(error).__name__, str(error))


# --------------------------------------------------------------------------- fixtures


class Colour(enum.Enum):
    RED = "red"
    GREEN = 2
    PAIR = (1, 2)


class Level(enum.IntEnum):
    LOW = 1
    HIGH = 2


class Kind(str, enum.Enum):
    A = "a"


class Flags(enum.Flag):
    R = 1
    W = 2


class Pet(BaseModel):
    name: str
    nick: Optional[str] = Field(default=None, alias="nickName")
    age: int = 3
    tags: set[str] = set()


class Owner(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    full_name: str = Field(alias="fullName")
    pets: list[Pet] = []
    born: Optional[datetime.date] = None
    balance: Decimal = Decimal("0")
    extra: dict[int, str] = {}


class SaModel(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    state: str = Field(default="x", alias="_sa_state")
    value: int = 1


class Everything(BaseModel):
    when: datetime.datetime
    delta: datetime.timedelta
    ident: uuid.UUID
    path: Path
    price: Decimal
    secret: SecretStr
    url: HttpUrl
    colour: Colour


@dataclasses.dataclass
class Point:
    x: int
    y: float = 0.5
    label: Optional[str] = None


@dataclasses.dataclass
class Shape:
    name: str
    points: list[Point]
    owner: Optional[Pet] = None
    _sa_instance_state: str = "internal"


class Plain:
    def __init__(self) -> None:
        self.a = 1
        self.when = datetime.date(2020, 1, 2)
        self._private = None


class Pairs:
    """Convertible by `dict(obj)`: iterates (key, value) pairs."""

    def __iter__(self) -> Any:
        return iter([("k", Decimal("2.50")), ("n", None)])


class MyDateTime(datetime.datetime):
    pass


class MyUUID(uuid.UUID):
    pass


class MyBytes(bytes):
    pass


class MyStr(str):
    pass


class MyInt(int):
    pass


def gen() -> Any:
    yield 1
    yield "two"
    yield Decimal("3.0")


def everything() -> Everything:
    return Everything(
        when=datetime.datetime(2024, 5, 6, 7, 8, 9, 123, tzinfo=datetime.UTC),
        delta=datetime.timedelta(days=1, seconds=2.5),
        ident=uuid.UUID("12345678-1234-5678-1234-567812345678"),
        path=Path("/tmp/x"),
        price=Decimal("10.50"),
        secret=SecretStr("hunter2"),
        url="https://example.com/a?b=c",
        colour=Colour.PAIR,
    )


def owner() -> Owner:
    return Owner(
        fullName="Ann",
        pets=[Pet(name="Rex", nickName="R", tags={"good"}), Pet(name="Tom")],
        born=datetime.date(1990, 1, 1),
        balance=Decimal("12"),
        extra={1: "one"},
    )


def old_color() -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pydantic.color.Color is deprecated by Pydantic
        from pydantic.color import Color

        return Color("red")


VALUES: dict[str, Callable[[], Any]] = {
    "none": lambda: None,
    "true": lambda: True,
    "int": lambda: 7,
    "big int": lambda: 2**80,
    "float": lambda: 1.5,
    "inf": lambda: float("inf"),
    "nan": lambda: float("nan"),
    "str": lambda: "héllo",
    "str subclass": lambda: MyStr("s"),
    "int subclass": lambda: MyInt(4),
    "list": lambda: [1, "a", None, [2.5]],
    "tuple": lambda: (1, (2, 3)),
    "set": lambda: {3, 1, 2},
    "frozenset": lambda: frozenset({"x"}),
    "deque": lambda: deque([1, 2]),
    "generator": gen,
    "dict": lambda: {"a": 1, "b": {"c": None}},
    "int keys": lambda: {1: "a", 2: "b"},
    "enum keys": lambda: {Colour.RED: 1, Level.LOW: 2},
    "date keys": lambda: {datetime.date(2020, 1, 1): "x"},
    "ordered dict": lambda: OrderedDict([("z", 1), ("a", 2)]),
    "defaultdict": lambda: defaultdict(list, {"a": [1]}),
    "mappingproxy": lambda: MappingProxyType({"a": 1}),
    "sa keys": lambda: {"_sa_instance_state": "state", "id": 1, "_sample": 2},
    "enum": lambda: Colour.RED,
    "enum tuple value": lambda: Colour.PAIR,
    "int enum": lambda: Level.HIGH,
    "str enum": lambda: Kind.A,
    "flag": lambda: Flags.R | Flags.W,
    "pure path": lambda: PurePath("a/b"),
    "posix path": lambda: PurePosixPath("/a/b"),
    "windows path": lambda: PureWindowsPath("C:/a/b"),
    "path": lambda: Path("rel/x.txt"),
    "datetime": lambda: datetime.datetime(2021, 2, 3, 4, 5, 6, 7),
    "aware datetime": lambda: datetime.datetime(
        2021, 2, 3, tzinfo=datetime.timezone(datetime.timedelta(hours=5, minutes=30))
    ),
    "datetime subclass": lambda: MyDateTime(2021, 2, 3),
    "date": lambda: datetime.date(2021, 2, 3),
    "time": lambda: datetime.time(4, 5, 6, 7),
    "timedelta": lambda: datetime.timedelta(days=-1, microseconds=5),
    "decimal int": lambda: Decimal("1"),
    "decimal float": lambda: Decimal("1.0"),
    "decimal exponent": lambda: Decimal("1E+3"),
    "decimal negative exponent": lambda: Decimal("1E-3"),
    "decimal negative zero": lambda: Decimal("-0"),
    "decimal nan": lambda: Decimal("NaN"),
    "decimal infinity": lambda: Decimal("-Infinity"),
    "uuid": lambda: uuid.UUID(int=5),
    "uuid subclass": lambda: MyUUID(int=6),
    "bytes": lambda: b"caf\xc3\xa9",
    "bytes subclass": lambda: MyBytes(b"abc"),
    "ipv4": lambda: IPv4Address("10.0.0.1"),
    "ipv4 interface": lambda: IPv4Interface("10.0.0.1/24"),
    "ipv4 network": lambda: IPv4Network("10.0.0.0/8"),
    "ipv6": lambda: IPv6Address("::1"),
    "ipv6 interface": lambda: IPv6Interface("::1/64"),
    "ipv6 network": lambda: IPv6Network("::/64"),
    "pattern": lambda: re.compile(r"^a+\d$"),
    "name email": lambda: NameEmail("Ann", "ann@example.com"),
    "secret str": lambda: SecretStr("s3cret"),
    "secret bytes": lambda: SecretBytes(b"s3cret"),
    "any url": lambda: TypeAdapter(AnyUrl).validate_python("https://x.org/p?q=1"),
    "http url": lambda: TypeAdapter(HttpUrl).validate_python("http://x.org"),
    "core url": lambda: pydantic_core.Url("https://x.org"),
    "old color": old_color,
    "extra color": lambda: ExtraColor("#00ff00"),
    "undefined": lambda: PydanticUndefined,
    "model": owner,
    "model with special types": everything,
    "models in a list": lambda: [Pet(name="a"), Pet(name="b", age=9)],
    "model in a dict": lambda: {"pet": Pet(name="a", nickName=None)},
    "model with _sa alias": lambda: SaModel(),
    "dataclass": lambda: Point(1),
    "nested dataclass": lambda: Shape("tri", [Point(0), Point(1, 2.0, "b")], Pet(name="p")),
    "object with __dict__": Plain,
    "iterable of pairs": Pairs,
    "mixed": lambda: {"when": [datetime.time(1), {Decimal("2"), 3}], "k": (Kind.A, b"x")},
}

OPTION_SETS: dict[str, dict[str, Any]] = {
    "defaults": {},
    "no alias": {"by_alias": False},
    "exclude unset": {"exclude_unset": True},
    "exclude defaults": {"exclude_defaults": True},
    "exclude none": {"exclude_none": True},
    "not sqlalchemy safe": {"sqlalchemy_safe": False},
    "everything off": {
        "by_alias": False,
        "exclude_unset": True,
        "exclude_defaults": True,
        "exclude_none": True,
        "sqlalchemy_safe": False,
    },
}


@pytest.mark.parametrize("options", OPTION_SETS.values(), ids=list(OPTION_SETS))
@pytest.mark.parametrize("make", VALUES.values(), ids=list(VALUES))
def test_matches_fastapi(make: Callable[[], Any], options: dict[str, Any]) -> None:
    assert_parity(make, **options)


# A few spot checks that the oracle itself is not trivially "both wrong the same way".
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1"), 1),
        (Decimal("1.0"), 1.0),
        (Decimal("1E+2"), 100),
        (datetime.date(2020, 1, 2), "2020-01-02"),
        (datetime.timedelta(minutes=1), 60.0),
        (Colour.PAIR, (1, 2)),  # an enum's value is returned as it is, not encoded
        ({"_sa_x": 1, "y": None}, {"y": None}),
        (Point(2), {"x": 2, "y": 0.5, "label": None}),
        (b"ab", "ab"),
        (PurePath("a/b"), "a/b"),
    ],
)
def test_known_results(value: Any, expected: Any) -> None:
    assert same(jsonable_encoder(value), expected)


# --------------------------------------------------------------------------- include / exclude

INCLUDE_EXCLUDE: dict[str, tuple[Callable[[], Any], dict[str, Any]]] = {
    "model include set": (owner, {"include": {"fullName", "full_name", "pets"}}),
    "model include dict": (owner, {"include": {"pets": {0: {"name"}}, "full_name": True}}),
    "model exclude list": (owner, {"exclude": ["pets", "extra"]}),
    "model exclude nested dict": (owner, {"exclude": {"pets": {"__all__": {"tags"}}}}),
    "dict include": (lambda: {"a": 1, "b": 2, "c": 3}, {"include": {"a", "c", "zz"}}),
    "dict include list": (lambda: {"a": 1, "b": 2}, {"include": ["b"]}),
    "dict exclude tuple": (lambda: {"a": 1, "b": 2}, {"exclude": ("a",)}),
    "dict include and exclude": (lambda: {"a": 1, "b": 2}, {"include": {"a"}, "exclude": {"a"}}),
    "dict include dict": (lambda: {"a": 1, "b": {"a": 2}}, {"include": {"b": True}}),
    "nested dict is not filtered": (lambda: {"a": {"a": 1, "b": 2}}, {"include": {"a"}}),
    "list of dicts is filtered": (lambda: [{"a": 1, "b": 2}, {"b": 3}], {"exclude": {"b"}}),
    "list of models": (lambda: [Pet(name="x"), Pet(name="y")], {"include": {"name"}}),
    "dataclass include": (lambda: Point(1, 2.0, "p"), {"include": {"x", "label"}}),
    "dataclass exclude": (lambda: Point(1), {"exclude": ["y"], "exclude_none": True}),
    "object exclude": (Plain, {"exclude": {"a"}}),
    "empty include": (lambda: {"a": 1}, {"include": set()}),
}


@pytest.mark.parametrize(
    ("make", "options"), INCLUDE_EXCLUDE.values(), ids=list(INCLUDE_EXCLUDE)
)
def test_include_exclude_match_fastapi(make: Callable[[], Any], options: dict[str, Any]) -> None:
    assert_parity(make, **options)


# --------------------------------------------------------------------------- custom encoders


def upper(value: str) -> str:
    return value.upper()


CUSTOM: dict[str, tuple[Callable[[], Any], dict[Any, Callable[[Any], Any]]]] = {
    "exact type": (lambda: {"a": "x", "b": 1}, {str: upper}),
    "subclass via isinstance": (lambda: [MyStr("q"), "r"], {str: upper}),
    "beats built-in rules": (lambda: datetime.date(2020, 1, 1), {datetime.date: lambda d: d.year}),
    "exact type beats order": (lambda: True, {int: lambda v: "int", bool: lambda v: "bool"}),
    "first isinstance match wins": (lambda: MyStr("m"), {object: lambda v: "o", str: upper}),
    "exact beats isinstance": (lambda: True, {int: lambda v: "int", object: lambda v: "obj"}),
    "whole object": (lambda: Point(1), {Point: lambda p: f"P{p.x}"}),
    "inside dataclass": (lambda: Point(1, 2.5, "l"), {float: lambda f: int(f)}),
    "not applied inside models": (lambda: Pet(name="rex"), {str: upper}),
    "applied to model itself": (lambda: Pet(name="rex"), {Pet: lambda p: p.name}),
    "dict keys too": (lambda: {"k": 1}, {str: upper}),
    "unencodable made encodable": (object, {object: lambda o: "object"}),
}


@pytest.mark.parametrize(("make", "custom"), CUSTOM.values(), ids=list(CUSTOM))
def test_custom_encoder_matches_fastapi(
    make: Callable[[], Any], custom: dict[Any, Callable[[Any], Any]]
) -> None:
    assert_parity(make, custom_encoder=custom)


def test_custom_encoder_is_used() -> None:
    assert jsonable_encoder({"a": "x"}, custom_encoder={str: upper}) == {"A": "X"}


# --------------------------------------------------------------------------- errors


class NoDict:
    __slots__ = ("x",)


class BrokenIter:
    __slots__ = ()

    def __iter__(self) -> Any:
        raise RuntimeError("boom")


class Arbitrary(BaseModel):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    thing: object


ERRORS: dict[str, tuple[Callable[[], Any], dict[str, Any]]] = {
    "plain object": (object, {}),
    "slots object": (NoDict, {}),
    "broken iterator without __dict__": (lambda: [1, BrokenIter()], {}),
    "invalid utf-8 bytes": (lambda: b"\xff\xfe", {}),
    "tuple key becomes unhashable list": (lambda: {(1, 2): "x"}, {}),
    "non-iterable include": (lambda: {"a": 1}, {"include": 5}),
    "dataclass type": (lambda: Point, {}),
    "sa key kept when not sqlalchemy safe": (
        lambda: {"_sa_instance_state": NoDict()},
        {"sqlalchemy_safe": False},
    ),
    "model with unknown type": (lambda: Arbitrary(thing=NoDict()), {}),
}


@pytest.mark.parametrize(("make", "options"), ERRORS.values(), ids=list(ERRORS))
def test_errors_match_fastapi(make: Callable[[], Any], options: dict[str, Any]) -> None:
    ours = outcome(jsonable_encoder, make(), options)
    theirs = outcome(fastapi.encoders.jsonable_encoder, make(), options)
    assert ours[0] == "error"
    if ours[1] == "AssertionError":  # FastAPI's bare assert has no message; ours says why
        assert ours[1] == theirs[1] and "dataclass" in ours[2]
    else:
        assert ours == theirs


def test_unencodable_error_lists_both_attempts() -> None:
    with pytest.raises(ValueError) as info:
        jsonable_encoder(NoDict())
    dict_error, vars_error = info.value.args[0]
    assert isinstance(dict_error, TypeError) and isinstance(vars_error, TypeError)
    assert info.value.__cause__ is vars_error


def test_pydantic_v1_model_is_rejected() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pydantic.v1 warns on newer Pythons
        from pydantic import v1

    class Legacy(v1.BaseModel):
        a: int = 1

    with pytest.raises(fastapi.exceptions.PydanticV1NotSupportedError):
        fastapi.encoders.jsonable_encoder(Legacy())
    with pytest.raises(accord.exceptions.PydanticV1NotSupportedError, match="Legacy"):
        jsonable_encoder(Legacy())
    assert issubclass(accord.exceptions.PydanticV1NotSupportedError, accord.exceptions.FastAPIError)
    # Also when nested: the error surfaces from the inner value.
    with pytest.raises(accord.exceptions.PydanticV1NotSupportedError):
        jsonable_encoder({"a": [Legacy()]})


def test_pydantic_v1_check_does_not_import_pydantic_v1(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(sys.modules, "pydantic.v1", raising=False)
    with pytest.raises(ValueError):
        jsonable_encoder(NoDict())
    assert "pydantic.v1" not in sys.modules


# --------------------------------------------------------------------------- tables and API


def test_encoders_table_covers_fastapis_types() -> None:
    assert set(accord.encoders.ENCODERS_BY_TYPE) == set(fastapi.encoders.ENCODERS_BY_TYPE)


TABLE_SAMPLES: dict[Any, Callable[[], Any]] = {
    bytes: lambda: b"caf\xc3\xa9",
    type(old_color()): old_color,
    ExtraColor: lambda: ExtraColor("blue"),
    datetime.date: lambda: datetime.date(2020, 1, 2),
    datetime.datetime: lambda: datetime.datetime(2020, 1, 2, 3, 4),
    datetime.time: lambda: datetime.time(3, 4),
    datetime.timedelta: lambda: datetime.timedelta(hours=1),
    Decimal: lambda: Decimal("2.50"),
    enum.Enum: lambda: Colour.PAIR,
    frozenset: lambda: frozenset({1}),
    deque: lambda: deque([1, 2]),
    type(gen()): gen,
    IPv4Address: lambda: IPv4Address("1.2.3.4"),
    IPv4Interface: lambda: IPv4Interface("1.2.3.4/8"),
    IPv4Network: lambda: IPv4Network("1.0.0.0/8"),
    IPv6Address: lambda: IPv6Address("::2"),
    IPv6Interface: lambda: IPv6Interface("::2/8"),
    IPv6Network: lambda: IPv6Network("::/8"),
    NameEmail: lambda: NameEmail("A", "a@example.com"),
    Path: lambda: Path("a/b"),
    re.Pattern: lambda: re.compile("x+"),
    SecretBytes: lambda: SecretBytes(b"x"),
    SecretStr: lambda: SecretStr("x"),
    set: lambda: {1},
    uuid.UUID: lambda: uuid.UUID(int=1),
    pydantic_core.Url: lambda: pydantic_core.Url("https://x.org"),
    AnyUrl: lambda: TypeAdapter(AnyUrl).validate_python("https://x.org"),
}


def test_table_entries_match_fastapis() -> None:
    # The table is public (applications read and extend it): each entry must convert alike,
    # including the ones jsonable_encoder itself never reaches (enums, sets, generators).
    assert set(TABLE_SAMPLES) == set(accord.encoders.ENCODERS_BY_TYPE)
    for type_, make in TABLE_SAMPLES.items():
        ours = accord.encoders.ENCODERS_BY_TYPE[type_](make())
        assert same(ours, fastapi.encoders.ENCODERS_BY_TYPE[type_](make())), type_


def test_class_tuples_group_the_same_types() -> None:
    def groups(table: Any) -> set[frozenset[Any]]:
        return {frozenset(types) for types in table.values()}

    assert groups(accord.encoders.encoders_by_class_tuples) == groups(
        fastapi.encoders.encoders_by_class_tuples
    )
    built = accord.encoders.generate_encoders_by_class_tuples({int: str, float: str, bytes: len})
    assert dict(built) == {str: (int, float), len: (bytes,)}


@pytest.mark.parametrize(
    "value", [Decimal("1"), Decimal("1.00"), Decimal("5E+1"), Decimal("-7"), Decimal("NaN"), Decimal("-Inf")]
)
def test_decimal_encoder_matches_fastapi(value: Decimal) -> None:
    assert same(accord.encoders.decimal_encoder(value), fastapi.encoders.decimal_encoder(value))


def test_isoformat() -> None:
    value = datetime.time(1, 2, 3)
    assert accord.encoders.isoformat(value) == fastapi.encoders.isoformat(value) == "01:02:03"


def test_signature_matches_fastapi() -> None:
    def shape(func: Callable[..., Any]) -> list[tuple[str, Any, Any]]:
        params = inspect.signature(func).parameters.values()
        return [(p.name, p.kind, p.default) for p in params]

    assert shape(jsonable_encoder) == shape(fastapi.encoders.jsonable_encoder)


class Money:
    def __init__(self, cents: int) -> None:
        self.cents = cents


class Euros(Money):
    pass


def test_registered_type_behaves_as_in_fastapi(monkeypatch: pytest.MonkeyPatch) -> None:
    def encode(money: Money) -> str:
        return f"{money.cents / 100:.2f}"

    monkeypatch.setitem(accord.encoders.ENCODERS_BY_TYPE, Money, encode)
    monkeypatch.setitem(fastapi.encoders.ENCODERS_BY_TYPE, Money, encode)
    assert assert_parity(lambda: {"m": Money(250)}) == {"m": "2.50"}
    # A subclass of a type added after import is not matched (FastAPI's behaviour) ...
    assert assert_parity(lambda: Euros(3)) == {"cents": 3}
    # ... unless it is added to the class tuples as well.
    monkeypatch.setitem(accord.encoders.encoders_by_class_tuples, encode, (Money,))
    monkeypatch.setitem(fastapi.encoders.encoders_by_class_tuples, encode, (Money,))
    assert assert_parity(lambda: Euros(3)) == "0.03"


# --------------------------------------------------------------------------- properties


class Animal(enum.Enum):
    CAT = "cat"
    DOG = 1


class Tagged(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    tag: Optional[str] = Field(default=None, alias="tagName")
    score: float = 0.0
    when: Optional[datetime.datetime] = None
    children: list[Tagged] = []


@dataclasses.dataclass
class Box:
    content: Any
    note: Optional[str] = None


KEYS = st.sampled_from(["a", "b", "_sa_state", "_sample", "tagName", "tag", "score"])

LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=8),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.datetimes(timezones=st.none() | st.just(datetime.UTC)),
    st.dates(),
    st.times(),
    st.timedeltas(),
    st.uuids(),
    st.sampled_from(list(Animal)),
    st.binary(max_size=6),  # invalid UTF-8 must fail identically
    st.builds(PurePosixPath, st.text("ab/", max_size=5)),
    st.frozensets(st.integers(-3, 3), max_size=3),
    st.builds(
        Tagged,
        tagName=st.none() | st.text(max_size=3),
        score=st.floats(allow_nan=False),
        when=st.none() | st.datetimes(),
    ),
)


def containers(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(
        st.lists(children, max_size=4),
        st.tuples(children, children),
        st.dictionaries(KEYS | st.integers(0, 3), children, max_size=4),
        st.builds(deque, st.lists(children, max_size=3)),
        st.builds(Box, children, st.none() | st.text(max_size=3)),
        st.sets(st.integers() | st.text(max_size=3), max_size=3),
    )


VALUES_STRATEGY = st.recursive(LEAVES, containers, max_leaves=12)

OPTIONS_STRATEGY = st.fixed_dictionaries(
    {},
    optional={
        "include": st.none() | st.sets(KEYS, max_size=3) | st.lists(KEYS, max_size=3),
        "exclude": st.none() | st.sets(KEYS, max_size=3),
        "by_alias": st.booleans(),
        "exclude_unset": st.booleans(),
        "exclude_defaults": st.booleans(),
        "exclude_none": st.booleans(),
        "sqlalchemy_safe": st.booleans(),
    },
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=VALUES_STRATEGY, options=OPTIONS_STRATEGY)
def test_property_matches_fastapi(value: Any, options: dict[str, Any]) -> None:
    ours = outcome(jsonable_encoder, value, options)
    theirs = outcome(fastapi.encoders.jsonable_encoder, value, options)
    assert ours[0] == theirs[0]
    if ours[0] == "ok":
        assert same(ours[1], theirs[1]), (ours, theirs)
    else:
        assert ours == theirs


@settings(max_examples=150, deadline=None)
@given(value=VALUES_STRATEGY)
def test_property_result_is_json_data(value: Any) -> None:
    def is_json(data: Any) -> bool:
        if isinstance(data, dict):
            return all(is_json(k) and is_json(v) for k, v in data.items())
        if isinstance(data, list):
            return all(is_json(item) for item in data)
        # An enum's value is returned unencoded (FastAPI does the same): allow `Animal`'s.
        return data is None or isinstance(data, (bool, int, float, str))

    try:
        result = jsonable_encoder(value)
    except ValueError:
        return  # non-UTF-8 bytes, signalling NaN: FastAPI fails alike (checked above)
    assert is_json(result)
