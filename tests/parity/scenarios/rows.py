"""Rows: endpoints returning dicts (and lists of them) through a response model.

Accord answers plain models from dicts through a typed-dict twin (`accord._row_codec`) and
falls back to the model for anything the twin refuses; these endpoints probe both sides of
that line: coercions, defaults, aliases, unknown keys, nested instances, mixed lists, invalid
rows, and models that must not take the twin (validators, computed fields, configuration).
"""

import datetime
import decimal
import enum
import uuid
from typing import Literal

import fw
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    computed_field,
    field_serializer,
    field_validator,
    model_validator,
)


class Size(BaseModel):
    width: float
    height: float = 1.0


class Row(BaseModel):
    id: int
    name: str
    price: float
    active: bool = True
    tags: list[str] = Field(default_factory=list)
    size: Size | None = None
    note: str | None = None


class Aliased(BaseModel):
    row_id: int = Field(serialization_alias="rowId")
    label: str = Field(validation_alias="title")


class Typed(BaseModel):
    when: datetime.datetime
    day: datetime.date
    at: datetime.time
    key: uuid.UUID
    amount: decimal.Decimal = Field(gt=0, decimal_places=2)
    kind: Literal["a", "b"]
    short: str = Field(max_length=5)


class Twice(BaseModel):
    first: Size
    second: Size


class Checked(BaseModel):
    name: str

    @field_validator("name")
    @classmethod
    def shout(cls, value: str) -> str:
        return value.upper()


class Whole(BaseModel):
    a: int
    b: int

    @model_validator(mode="after")
    def ordered(self) -> "Whole":
        if self.a > self.b:
            raise ValueError("a after b")
        return self


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


class Open(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: int


class Closed(BaseModel):
    model_config = ConfigDict(extra="forbid")

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


class Color(str, enum.Enum):
    red = "red"


class Record:
    def __init__(self, **values: object) -> None:
        self.__dict__.update(values)


ROWS = [
    {"name": "a", "id": "1", "price": 2, "extra": "dropped", "size": {"width": 3}},
    {"id": 2, "name": "b", "price": 2.5, "active": "false", "tags": ("x", "y"), "note": None},
]

app = fw.FastAPI()


@app.get("/rows", response_model=list[Row])
def rows():
    return ROWS


@app.get("/rows/empty", response_model=list[Row])
def rows_empty():
    return []


@app.get("/rows/tuple", response_model=list[Row])
def rows_tuple():
    return tuple(ROWS)


@app.get("/rows/nested-instance", response_model=list[Row])
def rows_nested_instance():
    return [{**ROWS[0], "size": Size(width=9)}, ROWS[1]]


@app.get("/rows/instances", response_model=list[Row])
def rows_instances():
    return [Row(id=1, name="a", price=1), Row(id=2, name="b", price=2, tags=["t"])]


@app.get("/rows/mixed", response_model=list[Row])
def rows_mixed():
    return [ROWS[0], Row(id=5, name="e", price=5), Record(id=6, name="f", price=6)]


@app.get("/rows/records", response_model=list[Row])
def rows_records():
    return [Record(id=7, name="g", price=7, size=Record(width=1, height=2))]


@app.get("/rows/invalid", response_model=list[Row])
def rows_invalid():
    return [ROWS[0], {"id": "x", "name": "b"}]


@app.get("/rows/enum-and-bool", response_model=list[Row])
def rows_enum_and_bool():
    return [{"id": True, "name": Color.red, "price": decimal.Decimal("1.5")}]


@app.get("/rows/inf", response_model=list[Row])
def rows_inf():
    return [{"id": 1, "name": "a", "price": float("inf"), "size": {"width": float("nan")}}]


@app.get("/rows/exclude-unset", response_model=list[Row], response_model_exclude_unset=True)
def rows_exclude_unset():
    return ROWS


@app.get("/rows/exclude-none", response_model=list[Row], response_model_exclude_none=True)
def rows_exclude_none():
    return ROWS


@app.get("/rows/include", response_model=list[Row], response_model_include={"id"})
def rows_include():
    return ROWS


@app.get("/row", response_model=Row)
def row():
    return ROWS[1]


@app.get("/row/aliased", response_model=Aliased)
def row_aliased():
    return {"row_id": 1, "title": "t", "label": "ignored"}


@app.get("/row/aliased-by-name", response_model=Aliased, response_model_by_alias=False)
def row_aliased_by_name():
    return {"row_id": 1, "title": "t"}


@app.get("/row/typed", response_model=Typed)
def row_typed():
    return {
        "when": "2024-01-02T03:04:05+01:00",
        "day": "2024-01-02",
        "at": "12:30",
        "key": "12345678-1234-5678-1234-567812345678",
        "amount": "1.50",
        "kind": "a",
        "short": "abc",
    }


@app.get("/row/typed-invalid", response_model=Typed)
def row_typed_invalid():
    return {**row_typed(), "amount": "1.505", "short": "too long"}


@app.get("/row/twice", response_model=Twice)
def row_twice():
    return {"first": {"width": 1}, "second": {"width": 2, "height": 3}}


@app.get("/row/checked", response_model=list[Checked])
def row_checked():
    return [{"name": "a"}]


@app.get("/row/whole", response_model=Whole)
def row_whole():
    return {"a": 2, "b": 1}


@app.get("/row/computed", response_model=Computed)
def row_computed():
    return {"price": 2}


@app.get("/row/formatted", response_model=list[Formatted])
def row_formatted():
    return [{"price": 2}]


@app.get("/row/open", response_model=Open)
def row_open():
    return {"id": 1, "more": "kept"}


@app.get("/row/closed", response_model=Closed)
def row_closed():
    return {"id": 1, "more": "refused"}


@app.get("/row/stripped", response_model=Stripped)
def row_stripped():
    return {"name": "  padded  "}


@app.get("/row/hidden", response_model=Hidden)
def row_hidden():
    return {"id": 1, "secret": "x"}


@app.get("/row/private", response_model=list[Private])
def row_private():
    return [{"id": 1, "_cache": {"a": 1}}]
