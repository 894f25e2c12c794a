"""Corner cases: model conversion, serializers, discriminated unions, contextvars, route
introspection, odd dependency callables, dependency-declared params, custom route/request."""

import contextvars
import functools
from typing import Annotated, Any, Literal, Union

import fw
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    RootModel,
    SecretStr,
    computed_field,
    field_serializer,
)

REQUEST_ID: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="unset")


# ---- models ----------------------------------------------------------------------------
class UserIn(BaseModel):
    username: str
    password: str
    email: str | None = None


class UserOut(BaseModel):
    username: str
    email: str | None = None


class LookAlike(BaseModel):
    """Not a subclass of UserOut, but has the same fields (and one more)."""

    username: str
    email: str | None = None
    token: str = "t"


class Price(BaseModel):
    amount: float
    currency: str = "EUR"

    @computed_field
    @property
    def label(self) -> str:
        return f"{self.amount:.2f} {self.currency}"

    @field_serializer("amount")
    def round_amount(self, value: float) -> float:
        return round(value, 1)


class Secretive(BaseModel):
    name: str
    key: SecretStr


class Cat(BaseModel):
    kind: Literal["cat"]
    lives: int = 9


class Dog(BaseModel):
    kind: Literal["dog"]
    good: bool = True


Pet = Annotated[Union[Cat, Dog], Field(discriminator="kind")]


class Tags(RootModel[list[str]]):
    pass


class Line(BaseModel):
    sku: str
    tax: float = 0.0
    note: str | None = None


class Basket(BaseModel):
    owner: str
    lines: list[Line] = []
    coupon: str | None = None


class AliasBody(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    first_name: str = Field(alias="firstName")
    last: str = Field(validation_alias="surname")


def even(value: int) -> int:
    if value % 2:
        raise ValueError("must be even")
    return value


app = fw.FastAPI()


# ---- response model conversion ---------------------------------------------------------
@app.get("/convert/lookalike", response_model=UserOut)
def convert_lookalike():
    return LookAlike(username="l", email="l@x")


@app.get("/convert/input-model", response_model=UserOut)
def convert_input_model():
    return UserIn(username="i", password="secret")


@app.get("/convert/optional", response_model=UserOut | None)
def convert_optional(present: bool = False):
    return UserOut(username="p") if present else None


@app.get("/convert/list-models", response_model=list[UserOut])
def convert_list_models():
    return [UserIn(username="a", password="x"), {"username": "b", "password": "y"}]


@app.get("/serialize/computed")
def serialize_computed() -> Price:
    return Price(amount=3.14159)


@app.get("/serialize/computed-dict", response_model=Price)
def serialize_computed_dict():
    return {"amount": 2.26, "label": "ignored"}


@app.get("/serialize/secret")
def serialize_secret() -> Secretive:
    return Secretive(name="n", key="hunter2")


@app.get("/serialize/secret-plain")
def serialize_secret_plain():
    return {"inner": Secretive(name="n", key="hunter2")}


@app.get("/serialize/root")
def serialize_root() -> Tags:
    return Tags(["a", "b"])


@app.get("/serialize/big-int")
def serialize_big_int():
    return {"big": 2**63 + 1, "neg": -(2**70)}


@app.get(
    "/nested/exclude", response_model=Basket, response_model_exclude={"lines": {"__all__": {"tax"}}}
)
def nested_exclude():
    return {"owner": "o", "lines": [{"sku": "a", "tax": 1.0}, {"sku": "b"}]}


@app.get("/nested/unset", response_model=Basket, response_model_exclude_unset=True)
def nested_unset():
    return Basket(owner="o", lines=[Line(sku="a"), Line(sku="b", note=None)])


@app.get("/nested/none", response_model=Basket, response_model_exclude_none=True)
def nested_none():
    return Basket(owner="o", lines=[Line(sku="a")])


@app.get("/returns/response-annotation")
def returns_response_annotation() -> fw.responses.PlainTextResponse:
    return fw.responses.PlainTextResponse("annotated response")


@app.get("/returns/any")
def returns_any() -> Any:
    return {"anything": [1, "two"]}


@app.get("/returns/none")
def returns_none() -> None:
    return None


@app.get("/returns/dict-annotation")
def returns_dict_annotation() -> dict[str, int]:
    return {"a": "1"}


# ---- bodies ----------------------------------------------------------------------------
@app.post("/pet")
def post_pet(pet: Pet):
    return pet


@app.post("/pets")
def post_pets(pets: list[Pet]):
    return {"kinds": [p.kind for p in pets]}


@app.post("/tags")
def post_tags(tags: Tags) -> Tags:
    return tags


@app.post("/alias-body")
def post_alias_body(body: AliasBody):
    return {"first_name": body.first_name, "last": body.last}


@app.post("/embedded-alias")
def post_embedded_alias(value: Annotated[int, fw.Body(embed=True, alias="theValue")]):
    return {"value": value}


@app.post("/embedded-list")
def post_embedded_list(ids: Annotated[list[int], fw.Body(embed=True)]):
    return {"ids": ids}


@app.post("/required-nullable-body")
def post_required_nullable_body(item: Line | None, flag: Annotated[bool, fw.Body()]):
    return {"item": item, "flag": flag}


@app.get("/validator")
def validator_query(n: Annotated[int, fw.Query(), AfterValidator(even)]):
    return {"n": n}


@app.get("/annotated-constraint")
def annotated_constraint(n: Annotated[int, Field(gt=0, lt=5)] = 1):
    return {"n": n}


@app.get("/query-keyword")
def query_keyword(
    from_: Annotated[str, fw.Query(alias="from")],
    limit: Annotated[int, fw.Query(default_factory=lambda: 7)],
):
    return {"from": from_, "limit": limit}


@app.get("/path-typed/{item_id:int}")
def path_typed(item_id: str):
    return {"item_id": item_id, "type": type(item_id).__name__}


# ---- requests read twice ------------------------------------------------------------------
async def raw_body(request: fw.Request):
    return await request.body()


@app.post("/read-twice")
async def read_twice(line: Line, raw: Annotated[bytes, fw.Depends(raw_body)], request: fw.Request):
    data = await request.json()
    return {"sku": line.sku, "raw_len": len(raw), "json_keys": sorted(data)}


# ---- contextvars ---------------------------------------------------------------------------
async def set_id_async(x_request_id: Annotated[str, fw.Header()] = "none"):
    REQUEST_ID.set(f"async:{x_request_id}")


def set_id_sync(x_request_id: Annotated[str, fw.Header()] = "none"):
    REQUEST_ID.set(f"sync:{x_request_id}")


@app.get("/ctx/async", dependencies=[fw.Depends(set_id_async)])
async def ctx_async():
    return {"request_id": REQUEST_ID.get()}


@app.get("/ctx/async-sync-endpoint", dependencies=[fw.Depends(set_id_async)])
def ctx_async_sync_endpoint():
    return {"request_id": REQUEST_ID.get()}


@app.get("/ctx/sync", dependencies=[fw.Depends(set_id_sync)])
async def ctx_sync():
    return {"request_id": REQUEST_ID.get()}


@app.middleware("http")
async def state_middleware(request: fw.Request, call_next):
    request.state.via_middleware = "mw"
    return await call_next(request)


@app.get("/state-from-middleware")
def state_from_middleware(request: fw.Request):
    return {"via": request.state.via_middleware}


# ---- odd dependency callables -------------------------------------------------------------
def scaled(value: int, factor: int = 1):
    return value * factor


class AsyncCallable:
    async def __call__(self, q: int = 2):
        return q + 100


class Provider:
    @classmethod
    def from_cls(cls, c: int = 3):
        return c * 3

    @staticmethod
    def from_static(s: int = 4):
        return s * 4


class Service:
    def __init__(self, base: Annotated[int, fw.Depends(Provider.from_cls)]):
        self.base = base


@app.get("/odd-deps")
def odd_deps(
    p: Annotated[int, fw.Depends(functools.partial(scaled, factor=10))],
    a: Annotated[int, fw.Depends(AsyncCallable())],
    c: Annotated[int, fw.Depends(Provider.from_cls)],
    s: Annotated[int, fw.Depends(Provider.from_static)],
    svc: Annotated[Service, fw.Depends()],
):
    return {"p": p, "a": a, "c": c, "s": s, "base": svc.base}


def item_from_path(item_id: int):
    return {"id": item_id}


@app.get("/dep-path/{item_id}")
def dep_path(item: Annotated[dict, fw.Depends(item_from_path)]):
    return item


def set_status(response: fw.Response):
    response.status_code = 202
    response.set_cookie("from_dep", "1")
    response.headers["x-dep"] = "dep"


@app.get("/dep-response", dependencies=[fw.Depends(set_status)])
def dep_response(response: fw.Response):
    response.set_cookie("from_endpoint", "2")
    response.headers["x-dep"] = "endpoint"
    return {"ok": True}


# ---- route introspection -------------------------------------------------------------------
inner = fw.APIRouter(prefix="/inner", tags=["inner"])


@inner.get("/leaf", name="leaf_route", summary="Leaf")
def leaf(request: fw.Request):
    route = request.scope["route"]
    return {
        "path": route.path,
        "name": route.name,
        "methods": sorted(route.methods),
        "tags": list(route.tags),
        "endpoint": request.scope["endpoint"].__name__,
        "path_params": request.path_params,
    }


@inner.get("")
def inner_empty():
    return {"empty_path": True}


app.include_router(inner, prefix="/outer")


@app.get("/routes")
def list_routes():
    return [
        {
            "path": getattr(r, "path", None),
            "name": getattr(r, "name", None),
            "methods": sorted(getattr(r, "methods", None) or []),
        }
        for r in app.routes
    ]


@app.get("/state")
def app_state(request: fw.Request):
    app.state.hits = getattr(app.state, "hits", 0) + 1
    return {"hits": request.app.state.hits, "same_app": request.app is app}


# ---- custom request class through a route class ---------------------------------------
class UpperRequest(fw.Request):
    async def body(self) -> bytes:
        if not hasattr(self, "_upper"):
            self._upper = (await super().body()).upper()
        return self._upper


class UpperRoute(fw.routing.APIRoute):
    def get_route_handler(self):
        original = super().get_route_handler()

        async def handler(request):
            upper_request = UpperRequest(request.scope, request.receive)
            try:
                return await original(upper_request)
            except fw.exceptions.RequestValidationError as exc:
                body = await upper_request.body()
                raise fw.HTTPException(
                    422, detail={"errors": len(exc.errors()), "body": body.decode()}
                ) from exc

        return handler


upper_router = fw.APIRouter(route_class=UpperRoute)


class UpperLine(BaseModel):
    SKU: str
    NOTE: str | None = None


@upper_router.post("/upper")
def upper(line: UpperLine):
    return line


app.include_router(upper_router)


# ---- strict_content_type ---------------------------------------------------------------
app_lenient = fw.FastAPI(strict_content_type=False)


@app_lenient.post("/line")
def lenient_line(line: Line):
    return line
