"""Responses: response_model and its options, inference, filtering, status codes, classes."""

import dataclasses
import datetime
import decimal
import enum
import uuid
from typing import Any, Union

import fw
from pydantic import BaseModel, ConfigDict, Field


class Kind(enum.Enum):
    a = "A"
    b = "B"


class UserIn(BaseModel):
    username: str
    password: str
    email: str | None = None


class UserOut(BaseModel):
    username: str
    email: str | None = None


class UserDB(UserOut):
    hashed_password: str


class Item(BaseModel):
    name: str
    description: str | None = None
    price: float
    tax: float = 10.5
    tags: list[str] = []


class Aliased(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    item_name: str = Field(alias="itemName")
    item_count: int = Field(0, serialization_alias="count")


class ORMModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str


class Row:
    """An ORM-like object: attributes, plus extra ones the model must filter out."""

    def __init__(self, id: int, name: str) -> None:
        self.id = id
        self.name = name
        self.secret = "hidden"


@dataclasses.dataclass
class Point:
    x: int
    y: int = 0


class Cat(BaseModel):
    kind: str = "cat"
    meows: bool


class Dog(BaseModel):
    kind: str = "dog"
    barks: bool


ITEMS = {
    "foo": {"name": "Foo", "price": 50.2},
    "bar": {"name": "Bar", "description": "The bartenders", "price": 62, "tax": 20.2},
    "baz": {"name": "Baz", "description": None, "price": 50.2, "tax": 10.5, "tags": []},
}

app = fw.FastAPI()


# ---- response_model --------------------------------------------------------------------
@app.post("/users", response_model=UserOut, status_code=201)
def create_user(user: UserIn):
    return user


@app.get("/users/db", response_model=UserOut)
def user_from_db():
    return UserDB(username="u", email="e@x", hashed_password="h")


@app.get("/users/dict", response_model=UserOut)
def user_from_dict():
    return {"username": "d", "email": None, "password": "leak", "other": 1}


@app.get("/users/orm", response_model=ORMModel)
def user_from_orm():
    return Row(1, "row")


@app.get("/users/orm-list", response_model=list[ORMModel])
def users_from_orm():
    return [Row(1, "a"), Row(2, "b")]


@app.get("/users/inferred")
def user_inferred() -> UserOut:
    return UserDB(username="inf", hashed_password="h")


@app.get("/users/inferred-dict")
def user_inferred_dict() -> UserOut:
    return {"username": "x", "hashed_password": "h"}


@app.get("/users/override", response_model=UserOut)
def user_override() -> Any:
    return {"username": "o", "password": "p"}


@app.get("/users/none-model", response_model=None)
def user_no_model() -> dict:
    return {"username": "n", "password": "visible"}


@app.get("/items/{item_id}", response_model=Item, response_model_exclude_unset=True)
def item_exclude_unset(item_id: str):
    return ITEMS[item_id]


@app.get("/items/{item_id}/defaults", response_model=Item, response_model_exclude_defaults=True)
def item_exclude_defaults(item_id: str):
    return ITEMS[item_id]


@app.get("/items/{item_id}/none", response_model=Item, response_model_exclude_none=True)
def item_exclude_none(item_id: str):
    return ITEMS[item_id]


@app.get("/items/{item_id}/include", response_model=Item, response_model_include={"name", "tax"})
def item_include(item_id: str):
    return ITEMS[item_id]


@app.get("/items/{item_id}/exclude", response_model=Item, response_model_exclude=["tax", "tags"])
def item_exclude(item_id: str):
    return ITEMS[item_id]


@app.get("/items/{item_id}/full", response_model=Item)
def item_full(item_id: str):
    return ITEMS[item_id]


@app.get("/aliased", response_model=Aliased)
def aliased():
    return Aliased(item_name="n", item_count=2)


@app.get("/aliased-no-alias", response_model=Aliased, response_model_by_alias=False)
def aliased_no_alias():
    return {"itemName": "n", "item_count": 3}


@app.get("/list", response_model=list[Item])
def item_list():
    return [ITEMS["foo"], ITEMS["bar"]]


@app.get("/dict-model", response_model=dict[str, float])
def dict_model():
    return {"a": 1, "b": "2.5"}


@app.get("/union", response_model=Union[Cat, Dog])
def union(kind: str = "cat"):
    return {"meows": True} if kind == "cat" else {"barks": False}


@app.get("/scalar", response_model=int)
def scalar(v: str = "3"):
    return v


@app.get("/dataclass")
def dataclass_return() -> Point:
    return Point(1)


@app.get("/invalid", response_model=Item)
def invalid_response():
    return {"name": "missing price"}


@app.get("/invalid-inferred")
async def invalid_inferred() -> list[int]:
    return ["a", "b"]


@app.get("/invalid-list", response_model=list[UserOut])
def invalid_list():
    return [{"username": "ok"}, {"email": "no name"}]


# ---- encoding of plain return values ---------------------------------------------------
@app.get("/encode/types")
def encode_types():
    return {
        "dt": datetime.datetime(2024, 1, 2, 3, 4, 5),
        "aware": datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.UTC),
        "date": datetime.date(2024, 1, 2),
        "time": datetime.time(12, 30),
        "delta": datetime.timedelta(hours=1, microseconds=5),
        "dec": decimal.Decimal("1.10"),
        "uuid": uuid.UUID(int=1),
        "enum": Kind.a,
        "set": {3, 1, 2},
        "frozen": frozenset({5}),
        "tuple": (1, "a"),
        "bytes": b"raw",
        "model": Item(name="m", price=1),
        "dc": Point(1, 2),
        "nested": [{"k": Kind.b}],
    }


@app.get("/encode/none")
def encode_none():
    return None


@app.get("/encode/string")
def encode_string():
    return "just a string"


@app.get("/encode/unicode")
def encode_unicode():
    return {"text": "héllo ✓ 日本 😀", "escaped": "\u0000\t\n"}


@app.get("/encode/float")
def encode_float():
    return {"big": 1e300, "small": 1e-300, "neg": -0.0, "int_like": 2.0}


@app.get("/encode/nan")
def encode_nan():
    return {"nan": float("nan")}


@app.get("/encode/nan-model")
def encode_nan_model() -> dict[str, float]:
    return {"nan": float("nan"), "inf": float("inf")}


@app.get("/encode/decimal-model")
def encode_decimal_model() -> dict[str, decimal.Decimal]:
    return {"d": decimal.Decimal("1.10")}


# ---- status codes and response classes -------------------------------------------------
@app.post("/status/201", status_code=201)
def status_201():
    return {"created": True}


@app.delete("/status/204", status_code=204)
def status_204():
    return {"ignored": True}


@app.get("/status/304", status_code=304)
def status_304():
    return {"ignored": True}


@app.get("/status/enum", status_code=fw.status.HTTP_202_ACCEPTED)
def status_enum():
    return "accepted"


@app.get("/class/html", response_class=fw.responses.HTMLResponse)
def class_html():
    return "<h1>hi</h1>"


@app.get("/class/text", response_class=fw.responses.PlainTextResponse)
def class_text():
    return "plain"


@app.get("/class/text-model", response_class=fw.responses.PlainTextResponse, response_model=str)
def class_text_model():
    return "typed"


@app.get("/class/redirect", response_class=fw.responses.RedirectResponse, status_code=302)
def class_redirect():
    return "/class/html"


@app.get("/class/json-model", response_class=fw.responses.JSONResponse)
def class_json_model() -> UserOut:
    return {"username": "j", "password": "x"}


# ---- injected Response ----------------------------------------------------------------
@app.get("/inject/headers")
def inject_headers(response: fw.Response):
    response.headers["X-Custom"] = "yes"
    response.headers["Cache-Control"] = "no-store"
    return {"ok": True}


@app.get("/inject/cookies")
def inject_cookies(response: fw.Response):
    response.set_cookie("a", "1", max_age=10, httponly=True)
    response.set_cookie("b", "two words", path="/x", samesite="strict", secure=True)
    response.delete_cookie("c")
    return {"cookies": 3}


@app.put("/inject/status", status_code=200)
def inject_status(response: fw.Response, create: bool = False):
    if create:
        response.status_code = 201
    return {"created": create}


@app.get("/inject/status-204", status_code=200)
def inject_status_204(response: fw.Response):
    response.status_code = 204
    return {"body": "dropped?"}


# ---- returning a Response directly -----------------------------------------------------
@app.get("/direct/json", response_model=UserOut)
def direct_json():
    return fw.responses.JSONResponse({"not": "validated"}, status_code=202, headers={"X-D": "1"})


@app.get("/direct/plain")
def direct_plain(response: fw.Response):
    response.headers["X-Lost"] = "maybe"
    return fw.responses.PlainTextResponse("direct", headers={"X-Direct": "1"})


@app.get("/direct/bytes")
def direct_bytes():
    return fw.Response(content=b"\x00\x01binary", media_type="application/octet-stream")


@app.get("/direct/xml")
def direct_xml():
    return fw.Response(content="<a>1</a>", media_type="application/xml")


@app.get("/direct/redirect")
def direct_redirect():
    return fw.responses.RedirectResponse("/direct/plain")


@app.get("/direct/streaming")
def direct_streaming():
    def chunks():
        yield b"one,"
        yield b"two"

    return fw.responses.StreamingResponse(chunks(), media_type="text/csv")


@app.get("/direct/empty")
def direct_empty():
    return fw.Response(status_code=204)


@app.get("/direct/head-cookie")
def direct_cookie():
    response = fw.responses.JSONResponse({"c": 1})
    response.set_cookie("direct", "yes")
    return response
