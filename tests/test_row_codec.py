"""The typed-dict twin of a plain response model (accord/_row_codec.py).

The twin must write the very bytes the model writes, refuse every model it cannot mirror, and
refuse the values the model would take differently (so that the encoder falls back to it).
"""

import datetime
import decimal
import uuid
from typing import Any, Literal, Union

import pytest
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    RootModel,
    TypeAdapter,
    ValidationError,
    computed_field,
    field_serializer,
    field_validator,
    model_serializer,
    model_validator,
)
from pydantic.dataclasses import dataclass
from pydantic.version import VERSION as PYDANTIC_VERSION
from pydantic_core import core_schema

from accord import FastAPI
from accord._row_codec import row_codec
from accord.exceptions import ResponseValidationError
from accord.testclient import TestClient

OPTIONS = {
    "include": None,
    "exclude": None,
    "by_alias": True,
    "exclude_unset": False,
    "exclude_defaults": False,
    "exclude_none": False,
}


class Size(BaseModel):
    width: float
    height: float = 1.0


class Row(BaseModel):
    id: int
    name: str = Field(min_length=1)
    price: float
    active: bool = True
    tags: list[str] = Field(default_factory=list)
    size: Size | None = None
    kind: Literal["a", "b"] = "a"


class Aliased(BaseModel):
    row_id: int = Field(serialization_alias="rowId")
    label: str = Field(validation_alias="title")


class Typed(BaseModel):
    when: datetime.datetime
    day: datetime.date
    key: uuid.UUID
    amount: decimal.Decimal


class Twice(BaseModel):
    first: Size
    second: Size


class Tree(BaseModel):
    value: int
    kids: list["Tree"] = []


class Checked(BaseModel):
    name: str

    @field_validator("name")
    @classmethod
    def shout(cls, value: str) -> str:
        return value.upper()


class CheckedTwice(BaseModel):
    first: Checked
    second: Checked


class Whole(BaseModel):
    a: int

    @model_validator(mode="before")
    @classmethod
    def fill(cls, data: Any) -> Any:
        return data


class Computed(BaseModel):
    price: float

    @computed_field
    def doubled(self) -> float:
        return self.price * 2


class Formatted(BaseModel):
    price: float

    @field_serializer("price")
    def cents(self, value: float) -> str:
        return f"{value:.2f}"


class Custom(BaseModel):
    price: float

    @model_serializer
    def dump(self) -> dict[str, Any]:
        return {"p": self.price}


class Open(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: int


class Stripped(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)
    name: str


class Hidden(BaseModel):
    id: int
    secret: str = Field("s", exclude=True)


class Private(BaseModel):
    id: int
    _cache: dict[str, int] = PrivateAttr(default_factory=dict)


class Derived(BaseModel):
    a: int
    b: int = Field(default_factory=lambda data: data["a"] + 1)


# A default factory that reads the validated data exists from Pydantic 2.10; before, the factory
# is called without it (the model and its twin alike), so there is nothing to refuse.
DATA_FACTORIES = [Derived] if tuple(map(int, PYDANTIC_VERSION.split(".")[:2])) >= (2, 10) else []


class WithUnion(BaseModel):
    value: Union[int, str]


class WithDict(BaseModel):
    counts: dict[str, int]


class Listed(RootModel[list[int]]):
    pass


@dataclass
class Point:
    x: int


def _json_both(annotation: Any, value: Any) -> tuple[bytes, bytes]:
    adapter = TypeAdapter(annotation)
    codec = row_codec(adapter.core_schema)
    assert codec is not None
    twin = codec.serializer.to_json(codec.validator.validate_python(value), **OPTIONS)
    model = adapter.validator.validate_python(value, from_attributes=True)
    return twin, adapter.serializer.to_json(model, **OPTIONS)


@pytest.mark.parametrize(
    ("annotation", "outer"),
    [(Row, dict), (list[Row], list), (Twice, dict), (list[Tree], list), (Tree, dict)],
)
def test_plain_models_have_a_twin(annotation: Any, outer: type) -> None:
    codec = row_codec(TypeAdapter(annotation).core_schema)
    assert codec is not None and codec.outer is outer
    assert repr(codec) == f"RowCodec(outer={outer!r})"


@pytest.mark.parametrize(
    "annotation",
    [
        Checked,
        CheckedTwice,
        Whole,
        Computed,
        Formatted,
        Custom,
        Open,
        Stripped,
        Hidden,
        Private,
        *DATA_FACTORIES,
        WithUnion,
        WithDict,
        Listed,
        Point,
        list[Checked],
        list[Point],
        int,
        dict[str, Row],
        Union[Row, Size],
        list[Union[Row, Size]],
        Literal[1.5],
    ],
)
def test_models_it_cannot_mirror_have_none(annotation: Any) -> None:
    assert row_codec(TypeAdapter(annotation).core_schema) is None


@pytest.mark.parametrize(
    ("annotation", "value"),
    [
        (list[Row], [{"price": 2, "name": "a", "id": "1", "extra": 1, "size": {"width": 3}}]),
        (list[Row], [{"id": 2, "name": "b", "price": 2.5, "active": "no", "tags": ("x",)}]),
        (list[Row], [{"id": True, "name": "c", "price": decimal.Decimal("1.5"), "kind": "b"}]),
        (list[Row], [{"id": 1, "name": "d", "price": float("inf"), "size": None}]),
        (list[Row], []),
        (Row, {"id": 1, "name": "e", "price": 1, "size": {"height": "2", "width": 0}}),
        (Aliased, {"row_id": 1, "title": "t", "label": "ignored"}),
        (
            Typed,
            {
                "when": "2024-01-02T03:04:05+01:00",
                "day": "2024-01-02",
                "key": "12345678-1234-5678-1234-567812345678",
                "amount": "1.50",
            },
        ),
        (Twice, {"second": {"width": 2}, "first": {"width": 1, "height": 3}}),
        (Tree, {"value": 1, "kids": [{"value": "2", "kids": [{"value": 3}]}]}),
    ],
)
def test_the_twin_writes_the_models_bytes(annotation: Any, value: Any) -> None:
    twin, model = _json_both(annotation, value)
    assert twin == model


def test_a_model_schema_without_a_ref_has_a_twin() -> None:
    # pydantic names every model; a schema written by hand (a library's) may not
    fields = {"id": core_schema.model_field(core_schema.int_schema())}
    schema = core_schema.model_schema(Size, core_schema.model_fields_schema(fields))
    codec = row_codec(schema)
    assert codec is not None
    assert codec.serializer.to_json(codec.validator.validate_python({"id": "3", "x": 1})) == (
        b'{"id":3}'
    )


def test_by_name_the_twin_writes_the_models_bytes() -> None:
    adapter = TypeAdapter(Aliased)
    codec = row_codec(adapter.core_schema)
    assert codec is not None
    value = {"row_id": 1, "title": "t"}
    options = {**OPTIONS, "by_alias": False}
    twin = codec.serializer.to_json(codec.validator.validate_python(value), **options)
    assert (
        twin
        == adapter.dump_json(adapter.validate_python(value), **options)
        == (b'{"row_id":1,"label":"t"}')
    )


class Record:
    def __init__(self, **values: Any) -> None:
        self.__dict__.update(values)


@pytest.mark.parametrize(
    "value",
    [
        [{"id": 1, "name": "a", "price": 1, "size": Size(width=1)}],  # a nested instance
        [{"id": 1, "name": "a", "price": 1}, Row(id=2, name="b", price=2)],
        [{"id": 1, "name": "a", "price": 1}, Record(id=2, name="b", price=2)],
        [{"id": 1, "name": "", "price": 1}],  # invalid for the model too
    ],
)
def test_the_twin_refuses_what_the_model_decides(value: Any) -> None:
    codec = row_codec(TypeAdapter(list[Row]).core_schema)
    assert codec is not None
    with pytest.raises(ValidationError):
        codec.validator.validate_python(value)


def test_a_route_builds_its_twin_when_it_first_answers_with_rows() -> None:
    app = FastAPI()
    rows = [{"id": 1, "name": "a", "price": 1, "cost": 0.5}]

    @app.get("/rows", response_model=list[Row])
    def list_rows() -> Any:
        return rows

    @app.get("/instances", response_model=list[Row])
    def list_instances() -> Any:
        return [Row(id=1, name="a", price=1)]

    @app.get("/unset", response_model=list[Row], response_model_exclude_unset=True)
    def list_unset() -> Any:
        return rows

    client = TestClient(app)
    fields = {
        route.path: route.response_field
        for route in app.routes
        if route.path in ("/rows", "/instances", "/unset")
    }
    expected = [
        {"id": 1, "name": "a", "price": 1.0, "active": True, "tags": [], "size": None, "kind": "a"}
    ]
    assert client.get("/rows").json() == expected
    assert client.get("/instances").json() == expected
    assert client.get("/unset").json() == [{"id": 1, "name": "a", "price": 1.0}]
    assert fields["/rows"].__dict__["row_codec"] is not None
    # never built where the twin cannot serve: instances, or options that trim the model
    assert "row_codec" not in fields["/instances"].__dict__
    assert "row_codec" not in fields["/unset"].__dict__


def test_an_invalid_row_is_the_models_error() -> None:
    app = FastAPI()

    @app.get("/rows", response_model=list[Row])
    def list_rows() -> Any:
        return [{"id": 1, "name": "a", "price": 1}, {"id": "x", "name": "b", "price": 2}]

    client = TestClient(app, raise_server_exceptions=True)
    with pytest.raises(ResponseValidationError) as caught:
        client.get("/rows")
    assert [e["loc"] for e in caught.value.errors()] == [("response", 1, "id")]
