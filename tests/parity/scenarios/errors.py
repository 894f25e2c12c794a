"""Errors: 422 documents, HTTPException, exception handlers (custom and default)."""

from typing import Annotated

import fw
from pydantic import BaseModel, Field, field_validator, model_validator
from starlette.exceptions import HTTPException as StarletteHTTPException


class Item(BaseModel):
    name: str = Field(min_length=1)
    price: float = Field(gt=0)
    code: str = "A"

    @field_validator("code")
    @classmethod
    def code_upper(cls, value: str) -> str:
        if value != value.upper():
            raise ValueError("code must be upper case")
        return value


class Range(BaseModel):
    low: int
    high: int

    @model_validator(mode="after")
    def ordered(self):
        if self.low > self.high:
            raise ValueError("low above high")
        return self


class UnicornError(Exception):
    def __init__(self, name: str) -> None:
        self.name = name


class TeapotError(Exception):
    pass


class SpecialTeapotError(TeapotError):
    pass


def build_routes(target):
    """The same operations on several apps that differ only in their handlers."""

    @target.get("/http/{code}")
    def http_error(code: int, detail: str | None = None):
        raise fw.HTTPException(status_code=code, detail=detail)

    @target.get("/http-headers")
    def http_headers():
        raise fw.HTTPException(
            401, "Not authenticated", headers={"WWW-Authenticate": "Bearer", "X-Error": "auth"}
        )

    @target.get("/http-dict")
    def http_dict():
        raise fw.HTTPException(409, detail={"reason": "conflict", "ids": [1, 2]})

    @target.get("/http-list")
    def http_list():
        raise fw.HTTPException(400, detail=["a", "b"])

    @target.get("/starlette-http")
    def starlette_http():
        raise StarletteHTTPException(status_code=403, detail="starlette says no")

    @target.get("/unicorn/{name}")
    def unicorn(name: str):
        raise UnicornError(name)

    @target.get("/teapot")
    def teapot():
        raise SpecialTeapotError()

    @target.get("/boom")
    def boom():
        raise RuntimeError("boom")

    @target.get("/boom-async")
    async def boom_async():
        raise KeyError("k")

    @target.post("/items")
    def create_item(item: Item, q: Annotated[int, fw.Query(lt=5)] = 0):
        return item

    @target.post("/range")
    def check_range(value: Range):
        return value

    @target.get("/validated")
    def validated(
        a: int, b: Annotated[str, fw.Query(max_length=2)], c: Annotated[list[int], fw.Query()]
    ):
        return {"a": a, "b": b, "c": c}


app = fw.FastAPI()
build_routes(app)


@app.exception_handler(UnicornError)
async def unicorn_handler(request: fw.Request, exc: UnicornError):
    return fw.responses.JSONResponse(
        status_code=418, content={"message": f"Oops! {exc.name} did something."}
    )


def teapot_handler(request: fw.Request, exc: TeapotError):
    return fw.responses.PlainTextResponse(f"teapot: {type(exc).__name__}", status_code=418)


app.add_exception_handler(TeapotError, teapot_handler)


# ---- an app whose validation errors and HTTP errors use custom handlers ------------------
app_custom = fw.FastAPI()
build_routes(app_custom)


@app_custom.exception_handler(fw.exceptions.RequestValidationError)
async def validation_handler(request: fw.Request, exc: fw.exceptions.RequestValidationError):
    return fw.responses.JSONResponse(
        status_code=400,
        content=fw.encoders.jsonable_encoder({"errors": exc.errors(), "body": exc.body}),
    )


@app_custom.exception_handler(StarletteHTTPException)
async def http_handler(request: fw.Request, exc: StarletteHTTPException):
    return fw.responses.PlainTextResponse(
        f"custom {exc.status_code}: {exc.detail}", status_code=exc.status_code, headers=exc.headers
    )


@app_custom.exception_handler(404)
async def not_found_handler(request: fw.Request, exc: Exception):
    return fw.responses.JSONResponse({"missing": request.url.path}, status_code=404)


# ---- an app that logs and then delegates to FastAPI's default handlers -------------------
app_delegate = fw.FastAPI()
build_routes(app_delegate)
seen: list[str] = []


@app_delegate.exception_handler(StarletteHTTPException)
async def delegate_http(request: fw.Request, exc: StarletteHTTPException):
    seen.append(f"http {exc.status_code}")
    return await fw.exception_handlers.http_exception_handler(request, exc)


@app_delegate.exception_handler(fw.exceptions.RequestValidationError)
async def delegate_validation(request: fw.Request, exc: fw.exceptions.RequestValidationError):
    seen.append(f"validation {len(exc.errors())}")
    return await fw.exception_handlers.request_validation_exception_handler(request, exc)


@app_delegate.get("/seen")
def read_seen():
    events = list(seen)
    seen.clear()
    return events


# ---- an app with a catch-all handler for server errors -----------------------------------
app_500 = fw.FastAPI()
build_routes(app_500)


@app_500.exception_handler(Exception)
async def any_error(request: fw.Request, exc: Exception):
    return fw.responses.JSONResponse({"error": type(exc).__name__}, status_code=500)


app_500_code = fw.FastAPI()
build_routes(app_500_code)


@app_500_code.exception_handler(500)
async def status_500(request: fw.Request, exc: Exception):
    return fw.responses.PlainTextResponse(f"500 handler: {exc!r}", status_code=500)
