"""Parameter inference: path, query, header, cookie, body, special types, models, types."""

import datetime
import decimal
import enum
import uuid
from typing import Annotated, Literal

import fw
from pydantic import AliasChoices, BaseModel, ConfigDict, Field


class Color(str, enum.Enum):
    red = "red"
    green = "green"


class Level(enum.IntEnum):
    low = 1
    high = 2


class Item(BaseModel):
    name: str
    price: float
    tags: list[str] = []


class User(BaseModel):
    username: str
    full_name: str | None = None


class Image(BaseModel):
    url: str
    size: int = Field(gt=0)


class Offer(BaseModel):
    title: str
    items: list[Item]
    images: list[Image] | None = None


class FilterParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    limit: int = Field(100, gt=0, le=100)
    offset: int = Field(0, ge=0)
    order_by: Literal["created_at", "updated_at"] = "created_at"
    tags: list[str] = []


class CommonHeaders(BaseModel):
    host: str
    save_data: bool = False
    x_tag: list[str] = []


class StrictHeaders(BaseModel):
    model_config = ConfigDict(extra="forbid")

    x_one: str


class Cookies(BaseModel):
    model_config = ConfigDict(extra="forbid")

    session_id: str
    tracker: str | None = None


app = fw.FastAPI()


# ---- path ------------------------------------------------------------------------------
@app.get("/path/int/{v}")
def path_int(v: int):
    return {"v": v}


@app.get("/path/float/{v}")
def path_float(v: float):
    return {"v": v}


@app.get("/path/bool/{v}")
def path_bool(v: bool):
    return {"v": v}


@app.get("/path/enum/{color}")
def path_enum(color: Color):
    return {"color": color, "is_red": color is Color.red}


@app.get("/path/uuid/{v}")
def path_uuid(v: uuid.UUID):
    return {"v": v, "version": v.version}


@app.get("/path/constrained/{v}")
def path_constrained(v: Annotated[int, fw.Path(ge=1, le=100, title="V")]):
    return {"v": v}


@app.get("/path/default-style/{v}")
def path_default_style(v: str = fw.Path(min_length=2, max_length=4, pattern="^[a-z]+$")):
    return {"v": v}


@app.get("/path/two/{a}/{b}")
def path_two(b: int, a: str):
    return {"a": a, "b": b}


# ---- query -----------------------------------------------------------------------------
@app.get("/query/basic")
def query_basic(needed: str, skip: int = 0, limit: int | None = None, flag: bool = False):
    return {"needed": needed, "skip": skip, "limit": limit, "flag": flag}


@app.get("/query/annotated")
def query_annotated(
    q: Annotated[str | None, fw.Query(min_length=3, max_length=8, pattern="^[a-z]+$")] = None,
):
    return {"q": q}


@app.get("/query/default-style")
def query_default_style(q: str = fw.Query("dflt", min_length=3, max_length=8)):
    return {"q": q}


@app.get("/query/required-nullable")
def query_required_nullable(q: Annotated[str | None, fw.Query()]):
    return {"q": q}


@app.get("/query/numbers")
def query_numbers(
    a: Annotated[int, fw.Query(gt=0, lt=10)] = 5,
    b: Annotated[float, fw.Query(ge=0.5, le=1.5)] = 1.0,
    c: Annotated[int, fw.Query(multiple_of=3)] = 3,
    d: Annotated[decimal.Decimal, fw.Query(max_digits=5, decimal_places=2)] = decimal.Decimal(
        "1.00"
    ),
):
    return {"a": a, "b": b, "c": c, "d": d}


@app.get("/query/list")
def query_list(q: Annotated[list[int], fw.Query()] = []):
    return {"q": q}


@app.get("/query/list-required")
def query_list_required(q: Annotated[list[str], fw.Query(min_length=1)]):
    return {"q": q}


@app.get("/query/list-optional")
def query_list_optional(q: list[str] | None = fw.Query(None)):
    return {"q": q}


@app.get("/query/set")
def query_set(q: Annotated[set[int], fw.Query()] = set()):
    return {"q": sorted(q)}


@app.get("/query/alias")
def query_alias(item_query: Annotated[str, fw.Query(alias="item-query")]):
    return {"item_query": item_query}


@app.get("/query/validation-alias")
def query_validation_alias(
    name: Annotated[str, fw.Query(validation_alias=AliasChoices("n", "the_name"))] = "none",
):
    return {"name": name}


@app.get("/query/types")
def query_types(
    when: datetime.datetime | None = None,
    day: datetime.date | None = None,
    ident: uuid.UUID | None = None,
    color: Color | None = None,
    level: Level | None = None,
    mode: Literal["fast", "slow"] | None = None,
    span: datetime.timedelta | None = None,
):
    return {
        "when": when,
        "day": day,
        "ident": ident,
        "color": color,
        "level": level,
        "mode": mode,
        "span": span,
    }


@app.get("/query/union")
def query_union(v: int | str, w: Annotated[int | None, fw.Query()] = None):
    return {"v": v, "type": type(v).__name__, "w": w}


@app.get("/query/model")
def query_model(filters: Annotated[FilterParams, fw.Query()]):
    return filters


@app.get("/query/unicode")
def query_unicode(text: str):
    return {"text": text, "len": len(text)}


# ---- headers ---------------------------------------------------------------------------
@app.get("/header/basic")
def header_basic(
    user_agent: Annotated[str | None, fw.Header()] = None,
    x_token: Annotated[str | None, fw.Header()] = None,
):
    return {"user_agent": user_agent, "x_token": x_token}


@app.get("/header/no-convert")
def header_no_convert(
    strange_header: Annotated[str | None, fw.Header(convert_underscores=False)] = None,
):
    return {"strange_header": strange_header}


@app.get("/header/list")
def header_list(x_tag: Annotated[list[str] | None, fw.Header()] = None):
    return {"x_tag": x_tag}


@app.get("/header/required")
def header_required(x_key: Annotated[int, fw.Header(ge=10)]):
    return {"x_key": x_key}


@app.get("/header/alias")
def header_alias(token: Annotated[str, fw.Header(alias="X-Auth-Token")] = "none"):
    return {"token": token}


@app.get("/header/model")
def header_model(headers: Annotated[CommonHeaders, fw.Header()]):
    return headers


@app.get("/header/model-strict")
def header_model_strict(headers: Annotated[StrictHeaders, fw.Header()]):
    return headers


# ---- cookies ---------------------------------------------------------------------------
@app.get("/cookie/basic")
def cookie_basic(
    session_id: Annotated[str | None, fw.Cookie()] = None,
    count: Annotated[int, fw.Cookie()] = 0,
):
    return {"session_id": session_id, "count": count}


@app.get("/cookie/required")
def cookie_required(token: Annotated[str, fw.Cookie(min_length=4)]):
    return {"token": token}


@app.get("/cookie/model")
def cookie_model(cookies: Annotated[Cookies, fw.Cookie()]):
    return cookies


# ---- bodies ----------------------------------------------------------------------------
@app.post("/body/single")
def body_single(item: Item):
    return {"item": item, "total": item.price * 2}


@app.post("/body/two")
def body_two(item: Item, user: User):
    return {"item": item, "user": user}


@app.post("/body/embed")
def body_embed(item: Annotated[Item, fw.Body(embed=True)]):
    return {"item": item}


@app.post("/body/scalar")
def body_scalar(importance: Annotated[int, fw.Body()]):
    return {"importance": importance}


@app.post("/body/mixed/{item_id}")
def body_mixed(
    item_id: int,
    item: Item,
    user: User,
    importance: Annotated[int, fw.Body(gt=0)],
    q: str | None = None,
):
    return {"item_id": item_id, "item": item, "user": user, "importance": importance, "q": q}


@app.post("/body/optional")
def body_optional(item: Item | None = None):
    return {"item": item}


@app.post("/body/list")
def body_list(items: list[Item]):
    return {"count": len(items), "names": [i.name for i in items]}


@app.post("/body/dict")
def body_dict(weights: dict[int, float]):
    return {"weights": weights, "sum": sum(weights.values())}


@app.post("/body/nested")
def body_nested(offer: Offer):
    return offer


@app.post("/body/plain-dict")
def body_plain_dict(payload: dict):
    return {"keys": sorted(payload)}


@app.post("/body/default-style")
def body_default_style(name: str = fw.Body(..., min_length=2), age: int = fw.Body(0)):
    return {"name": name, "age": age}


# ---- special parameter types ----------------------------------------------------------
@app.post("/special/request")
async def special_request(request: fw.Request):
    body = await request.body()
    return {"method": request.method, "path": request.url.path, "len": len(body)}


@app.get("/special/response")
def special_response(response: fw.Response):
    response.headers["x-special"] = "set"
    response.set_cookie("visited", "yes")
    response.status_code = 203
    return {"ok": True}


@app.get("/special/connection")
def special_connection(conn: fw.requests.HTTPConnection):
    return {"path": conn.url.path, "query": conn.query_params.get("x")}


@app.get("/special/background")
def special_background(tasks: fw.BackgroundTasks):
    tasks.add_task(lambda: None)
    return {"tasks": len(tasks.tasks)}
