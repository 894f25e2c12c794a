"""The fuzzing corpus: one route per parameter kind, every endpoint echoes what it received.

Loaded twice by ``tests/oracle.py`` (through the parity harness) with ``fw`` bound to
``fastapi`` and to ``accord``. Echoing the parsed inputs makes any difference in parsing,
coercion or validation visible in the compared body, not only in the status code.
"""

import datetime
import decimal
import enum
import hashlib
import uuid
from typing import Annotated, Literal, Union

import fw
from pydantic import BaseModel, ConfigDict, Field


class Color(str, enum.Enum):
    red = "red"
    green = "green"
    blue = "blue"


class Level(enum.IntEnum):
    low = 1
    high = 2


class Item(BaseModel):
    name: str
    price: float = Field(ge=0)
    tags: list[str] = []
    color: Color | None = None


class User(BaseModel):
    username: str = Field(min_length=1, max_length=12)
    email: str | None = None


class Line(BaseModel):
    sku: str
    quantity: int = Field(gt=0, le=1000)


class Address(BaseModel):
    city: str
    zip: str = Field(pattern=r"^[0-9]{5}$")


class Order(BaseModel):
    customer: User
    lines: list[Line] = Field(min_length=1)
    ship_to: Address | None = None
    meta: dict[str, int] = {}


class Cat(BaseModel):
    kind: Literal["cat"]
    lives: int = 9


class Dog(BaseModel):
    kind: Literal["dog"]
    good: bool = True


class Money(BaseModel):
    amount: decimal.Decimal = Field(max_digits=8, decimal_places=2)
    at: datetime.datetime
    ref: uuid.UUID
    day: datetime.date | None = None


class Filter(BaseModel):
    model_config = ConfigDict(extra="forbid")

    limit: int = Field(10, gt=0, le=100)
    order_by: Literal["name", "price"] = "name"
    tags: list[str] = []


class LoginForm(BaseModel):
    username: str
    password: str = Field(min_length=3)
    remember: bool = False


app = fw.FastAPI()

# ---------------------------------------------------------------- path


@app.get("/p/int/{v}")
def path_int(v: int):
    return {"v": v}


@app.get("/p/float/{v}")
def path_float(v: float):
    return {"v": v}


@app.get("/p/conv/{v:int}")
def path_converter(v: int):
    return {"v": v}


@app.get("/p/path/{v:path}")
def path_path(v: str):
    return {"v": v}


@app.get("/p/enum/{v}")
def path_enum(v: Color):
    return {"v": v}


@app.get("/p/uuid/{v}")
def path_uuid(v: uuid.UUID):
    return {"v": v}


@app.get("/p/bounded/{v}")
def path_bounded(v: Annotated[int, fw.Path(ge=1, le=100)]):
    return {"v": v}


@app.get("/p/two/{a}/{b}")
def path_two(a: str, b: Level):
    return {"a": a, "b": b}


# ---------------------------------------------------------------- query


@app.get("/q/scalars")
def query_scalars(q: str, n: int = 0, f: float | None = None, b: bool = False):
    return {"q": q, "n": n, "f": f, "b": b}


@app.get("/q/list")
def query_list(
    tags: Annotated[list[str], fw.Query()] = [],
    nums: Annotated[list[int] | None, fw.Query()] = None,
):
    return {"tags": tags, "nums": nums}


@app.get("/q/enum")
def query_enum(color: Color, mode: Literal["a", "b"] = "a", level: Level = Level.low):
    return {"color": color, "mode": mode, "level": level}


@app.get("/q/constraints")
def query_constraints(
    s: Annotated[str, fw.Query(min_length=2, max_length=5, pattern="^[a-z]+$")],
    n: Annotated[int, fw.Query(gt=0, lt=10)] = 1,
    d: Annotated[decimal.Decimal, fw.Query(max_digits=5, decimal_places=2)] = decimal.Decimal("1"),
):
    return {"s": s, "n": n, "d": d}


@app.get("/q/alias")
def query_alias(item_id: Annotated[str, fw.Query(alias="item-id")], page: int | None = None):
    return {"item_id": item_id, "page": page}


@app.get("/q/model")
def query_model(flt: Annotated[Filter, fw.Query()]):
    return flt


@app.get("/q/time")
def query_time(
    when: datetime.datetime, day: datetime.date | None = None, ref: uuid.UUID | None = None
):
    return {"when": when, "day": day, "ref": ref}


# ---------------------------------------------------------------- headers, cookies


@app.get("/h/basic")
def header_basic(
    x_token: Annotated[str, fw.Header()],
    user_agent: Annotated[str | None, fw.Header()] = None,
    x_count: Annotated[int, fw.Header()] = 0,
):
    return {"x_token": x_token, "user_agent": user_agent, "x_count": x_count}


@app.get("/h/underscore")
def header_underscore(
    x_under_score: Annotated[str | None, fw.Header(convert_underscores=False)] = None,
    x_dash: Annotated[str | None, fw.Header()] = None,
):
    return {"x_under_score": x_under_score, "x_dash": x_dash}


@app.get("/h/list")
def header_list(x_tag: Annotated[list[str] | None, fw.Header()] = None):
    return {"x_tag": x_tag}


@app.get("/c/basic")
def cookie_basic(
    session: Annotated[str | None, fw.Cookie()] = None,
    n: Annotated[int, fw.Cookie()] = 0,
    theme: Annotated[Color | None, fw.Cookie()] = None,
):
    return {"session": session, "n": n, "theme": theme}


# ---------------------------------------------------------------- JSON bodies


@app.post("/b/single")
def body_single(item: Item):
    return item


@app.post("/b/embed")
def body_embed(item: Annotated[Item, fw.Body(embed=True)]):
    return {"item": item}


@app.post("/b/multi")
def body_multi(item: Item, user: User, importance: Annotated[int, fw.Body(gt=0)]):
    return {"item": item, "user": user, "importance": importance}


@app.post("/b/nested")
def body_nested(order: Order):
    return order


@app.post("/b/union")
def body_union(pet: Union[Cat, Dog]):
    return {"pet": pet}


@app.post("/b/discriminated")
def body_discriminated(pet: Annotated[Union[Cat, Dog], Field(discriminator="kind")]):
    return {"pet": pet}


@app.post("/b/money")
def body_money(money: Money):
    return money


@app.post("/b/list")
def body_list(items: list[Item]):
    return {"count": len(items), "items": items}


@app.post("/b/dict")
def body_dict(weights: dict[str, int]):
    return weights


@app.post("/b/optional")
def body_optional(item: Item | None = None):
    return {"item": item}


@app.put("/b/mixed/{item_id}")
def body_mixed(item_id: int, item: Item, q: str | None = None):
    return {"item_id": item_id, "item": item, "q": q}


# ---------------------------------------------------------------- forms and files


@app.post("/f/login")
def form_login(
    username: Annotated[str, fw.Form()],
    password: Annotated[str, fw.Form(min_length=3)],
    remember: Annotated[bool, fw.Form()] = False,
):
    return {"username": username, "password": password, "remember": remember}


@app.post("/f/list")
def form_list(tag: Annotated[list[str], fw.Form()] = [], count: Annotated[int, fw.Form()] = 0):
    return {"tag": tag, "count": count}


@app.post("/f/model")
def form_model(data: Annotated[LoginForm, fw.Form()]):
    return data


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


@app.post("/u/bytes")
def upload_bytes(file: Annotated[bytes, fw.File()]):
    return {"size": len(file), "sha": _digest(file)}


@app.post("/u/upload")
async def upload_file(file: fw.UploadFile):
    data = await file.read()
    return {
        "name": file.filename,
        "type": file.content_type,
        "size": len(data),
        "sha": _digest(data),
    }


@app.post("/u/many")
async def upload_many(files: list[fw.UploadFile]):
    return [{"name": f.filename, "size": len(await f.read())} for f in files]


@app.post("/u/mixed")
async def upload_mixed(
    token: Annotated[str, fw.Form()],
    file: fw.UploadFile,
    note: Annotated[str | None, fw.Form()] = None,
):
    data = await file.read()
    return {"token": token, "note": note, "name": file.filename, "sha": _digest(data)}


# ---------------------------------------------------------------- dependencies


def page_params(skip: int = 0, limit: Annotated[int, fw.Query(le=50)] = 10):
    return {"skip": skip, "limit": limit}


def caller(x_caller: Annotated[str | None, fw.Header()] = None):
    return x_caller or "anonymous"


def context(
    page: Annotated[dict, fw.Depends(page_params)],
    who: Annotated[str, fw.Depends(caller)],
    verbose: bool = False,
):
    return {"page": page, "who": who, "verbose": verbose}


@app.get("/d/chain")
def dep_chain(ctx: Annotated[dict, fw.Depends(context)], who: Annotated[str, fw.Depends(caller)]):
    return {"ctx": ctx, "who": who}


async def session_scope(tenant: Annotated[str, fw.Query(min_length=1)]):
    yield {"tenant": tenant}


class Paginator:
    def __init__(self, cursor: str | None = None, size: Annotated[int, fw.Query(gt=0)] = 5):
        self.cursor = cursor
        self.size = size


@app.get("/d/yield-class")
async def dep_yield_class(
    scope: Annotated[dict, fw.Depends(session_scope)],
    pager: Annotated[Paginator, fw.Depends()],
):
    return {"scope": scope, "cursor": pager.cursor, "size": pager.size}


def require_key(x_key: Annotated[str, fw.Header()]):
    if x_key != "open-sesame":
        raise fw.HTTPException(status_code=403, detail="Bad key")


@app.get("/d/guard", dependencies=[fw.Depends(require_key)])
def dep_guard():
    return {"ok": True}


# ---------------------------------------------------------------- security schemes

basic = fw.security.HTTPBasic(realm="fuzz")
bearer = fw.security.HTTPBearer(auto_error=False)
key_header = fw.security.APIKeyHeader(name="X-API-Key")
key_query = fw.security.APIKeyQuery(name="api_key", auto_error=False)
key_cookie = fw.security.APIKeyCookie(name="api_key")
oauth2 = fw.security.OAuth2PasswordBearer(
    tokenUrl="/s/token", scopes={"read": "Read", "write": "Write"}
)


@app.get("/s/basic")
def sec_basic(creds: Annotated[fw.security.HTTPBasicCredentials, fw.Depends(basic)]):
    return {"username": creds.username, "password": creds.password}


@app.get("/s/bearer")
def sec_bearer(
    creds: Annotated[fw.security.HTTPAuthorizationCredentials | None, fw.Depends(bearer)],
):
    return {"creds": creds and {"scheme": creds.scheme, "credentials": creds.credentials}}


@app.get("/s/keys")
def sec_keys(
    header: Annotated[str, fw.Depends(key_header)],
    query: Annotated[str | None, fw.Depends(key_query)],
):
    return {"header": header, "query": query}


@app.get("/s/cookie")
def sec_cookie(key: Annotated[str, fw.Depends(key_cookie)]):
    return {"key": key}


def scoped_user(scopes: fw.security.SecurityScopes, token: Annotated[str, fw.Depends(oauth2)]):
    return {"token": token, "scopes": scopes.scopes, "scope_str": scopes.scope_str}


@app.get("/s/scoped")
def sec_scoped(user: Annotated[dict, fw.Security(scoped_user, scopes=["read"])]):
    return user


@app.post("/s/token")
def sec_token(form: Annotated[fw.security.OAuth2PasswordRequestForm, fw.Depends()]):
    return {
        "username": form.username,
        "password": form.password,
        "scopes": form.scopes,
        "client_id": form.client_id,
        "grant_type": form.grant_type,
    }


# ---------------------------------------------------------------- responses


class PublicUser(BaseModel):
    username: str


@app.post("/r/filtered", response_model=PublicUser, status_code=201)
def resp_filtered(user: User):
    return {"username": user.username, "email": user.email, "secret": "hidden"}
