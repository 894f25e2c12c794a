"""Encoding of plain return values (no response model): the jsonable_encoder rules."""

import collections
import dataclasses
import datetime
import decimal
import enum
import ipaddress
import pathlib
import re
import uuid

import fw
from pydantic import AnyUrl, BaseModel, ConfigDict, Field, NameEmail, SecretBytes, SecretStr


class Flag(enum.IntEnum):
    on = 1


class Aliased(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    snake_case: int = Field(alias="camelCase")
    optional: str | None = None


@dataclasses.dataclass
class Inner:
    model: Aliased
    when: datetime.date


class Plain:
    """A plain object: encoded through its attributes."""

    def __init__(self) -> None:
        self.a = 1
        self.b = [decimal.Decimal("2.5")]


class Opaque:
    __slots__ = ("x",)

    def __init__(self) -> None:
        self.x = 1


def numbers():
    yield 1
    yield 2


app = fw.FastAPI()

VALUES = {
    "decimal_int": decimal.Decimal("10"),
    "decimal_exp": decimal.Decimal("1E+2"),
    "decimal_frac": decimal.Decimal("0.10"),
    "decimal_neg": decimal.Decimal("-3.000"),
    "path": pathlib.PurePosixPath("/tmp/x.txt"),
    "ipv4": ipaddress.IPv4Address("10.0.0.1"),
    "ipv6net": ipaddress.IPv6Network("2001:db8::/32"),
    "pattern": re.compile(r"^a+$"),
    "deque": collections.deque([1, 2]),
    "generator": numbers(),
    "url": AnyUrl("https://example.com/a?b=1"),
    "email": NameEmail("Ann", "ann@example.com"),
    "secret": SecretStr("s3cret"),
    "secret_bytes": SecretBytes(b"s3cret"),
    "time_tz": datetime.time(1, 2, 3, 4, tzinfo=datetime.timezone(datetime.timedelta(hours=2))),
    "datetime_us": datetime.datetime(2024, 2, 29, 23, 59, 59, 999999),
    "negative_delta": datetime.timedelta(days=-1, seconds=5),
    "int_enum": Flag.on,
    "uuid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
    "aliased": Aliased(camelCase=1),
    "dataclass": Inner(Aliased(camelCase=2, optional="o"), datetime.date(2024, 1, 1)),
    "plain": Plain(),
    "bytes": b"caf\xc3\xa9",
    "nested": {"list": [{"set": {1}}], "tuple": ((1, 2),)},
    "opaque": Opaque(),
}


@app.get("/value/{name}")
def value(name: str):
    return {name: VALUES[name]}


@app.get("/encoder/{name}")
def encoder(name: str, by_alias: bool = True, exclude_none: bool = False):
    return fw.responses.JSONResponse(
        fw.encoders.jsonable_encoder(VALUES[name], by_alias=by_alias, exclude_none=exclude_none)
    )


@app.get("/encoder-options")
def encoder_options():
    model = Aliased(camelCase=3)
    enc = fw.encoders.jsonable_encoder
    return {
        "include": enc(model, include={"snake_case"}),
        "exclude": enc(model, exclude={"optional"}),
        "unset": enc(model, exclude_unset=True),
        "defaults": enc(model, exclude_defaults=True),
        "custom": enc(
            {"d": datetime.date(2024, 1, 1)}, custom_encoder={datetime.date: lambda d: d.year}
        ),
        "dict_keys": enc({Flag.on: 1, uuid.UUID(int=0): 2, datetime.date(2024, 1, 1): 3}),
        "sqlalchemy_safe": enc({"_sa_instance_state": 1, "ok": 2}),
    }
