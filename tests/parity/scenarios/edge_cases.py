"""Edge cases: error ordering across sources, shared names, cache keys with scopes, teardown
errors, handler lookup by class, redirects between methods, sub-app isolation."""

import http
from typing import Annotated

import fw
from pydantic import BaseModel, Field

EVENTS: list[str] = []


class Body1(BaseModel):
    x: int


class QueryModel(BaseModel):
    page_size: int = Field(10, alias="page-size")
    sort: str = "id"


class HeaderModel(BaseModel):
    x_trace_id: str | None = None
    accept_language: str = "en"


app = fw.FastAPI()


@app.get("/events")
def read_events():
    events = list(EVENTS)
    EVENTS.clear()
    return events


# ---- error ordering over every source -------------------------------------------------
def dep_query(d: int, dh: Annotated[int, fw.Header()]):
    return d


@app.post("/order/{p}")
def order_of_errors(
    p: int,
    dep: Annotated[int, fw.Depends(dep_query)],
    q: int,
    h: Annotated[int, fw.Header()],
    c: Annotated[int, fw.Cookie()],
    body: Body1,
):
    return {"ok": True}


def dep_same_name(q: int):
    return q


@app.get("/same-name")
def same_name(from_dep: Annotated[int, fw.Depends(dep_same_name)], q: str):
    return {"from_dep": from_dep, "q": q}


@app.get("/query-model-alias")
def query_model_alias(params: Annotated[QueryModel, fw.Query()]):
    return params


@app.get("/header-model-no-convert")
def header_model_no_convert(
    headers: Annotated[HeaderModel, fw.Header(convert_underscores=False)],
):
    return headers


@app.get("/special-headers")
def special_headers(
    host: Annotated[str, fw.Header()],
    content_length: Annotated[int | None, fw.Header()] = None,
    content_type: Annotated[str | None, fw.Header()] = None,
):
    return {"host": host, "content_length": content_length, "content_type": content_type}


@app.get("/cookie-quoted")
def cookie_quoted(
    a: Annotated[str | None, fw.Cookie()] = None, b: Annotated[str | None, fw.Cookie()] = None
):
    return {"a": a, "b": b}


@app.get("/collections")
def collections_query(
    t: Annotated[tuple[int, int] | None, fw.Query()] = None,
    fs: Annotated[frozenset[int], fw.Query()] = frozenset(),
    raw: bytes | None = None,
):
    return {"t": t, "fs": sorted(fs), "raw": raw}


# ---- Security cache keys -----------------------------------------------------------------
def scoped(security_scopes: fw.security.SecurityScopes, request: fw.Request):
    request.state.scoped_calls = getattr(request.state, "scoped_calls", 0) + 1
    return security_scopes.scope_str


@app.get("/security-cache")
def security_cache(
    request: fw.Request,
    a: Annotated[str, fw.Security(scoped, scopes=["a"])],
    b: Annotated[str, fw.Security(scoped, scopes=["b"])],
    c: Annotated[str, fw.Security(scoped, scopes=["a"])],
    plain: Annotated[str, fw.Depends(scoped)],
):
    return {"a": a, "b": b, "c": c, "plain": plain, "calls": request.state.scoped_calls}


# ---- yield dependencies: caching, failures before and after yield -------------------
def shared_resource():
    EVENTS.append("shared enter")
    yield "shared"
    EVENTS.append("shared exit")


def uses_shared(r: Annotated[str, fw.Depends(shared_resource)]):
    return r


@app.get("/yield-cached")
def yield_cached(
    a: Annotated[str, fw.Depends(shared_resource)], b: Annotated[str, fw.Depends(uses_shared)]
):
    return {"a": a, "b": b}


def outer_resource():
    EVENTS.append("outer enter")
    try:
        yield "outer"
    finally:
        EVENTS.append("outer exit")


def failing_before_yield(o: Annotated[str, fw.Depends(outer_resource)], mode: str = "http"):
    if mode == "http":
        raise fw.HTTPException(401, "denied before yield")
    if mode == "crash":
        raise RuntimeError("crash before yield")
    yield "inner"
    if mode == "after-http":
        raise fw.HTTPException(409, "raised after yield")
    if mode == "after-crash":
        raise RuntimeError("crash after yield")


@app.get("/yield-fail")
def yield_fail(v: Annotated[str, fw.Depends(failing_before_yield)]):
    EVENTS.append("endpoint ran")
    return {"v": v}


@app.get("/sync-dep-crash")
def sync_dep_crash(v: Annotated[int, fw.Depends(lambda: 1 / 0)]):
    return {"v": v}


# ---- exceptions raised by hand -------------------------------------------------------
@app.get("/raise-validation")
def raise_validation():
    raise fw.exceptions.RequestValidationError(
        [{"type": "custom", "loc": ("query", "x"), "msg": "custom problem", "input": "x"}]
    )


@app.get("/raise-pydantic")
def raise_pydantic():
    Body1.model_validate({"x": "not int"})


@app.get("/raise-422")
def raise_422():
    raise fw.HTTPException(422, detail=[{"loc": ["body"], "msg": "manual"}])


@app.get("/status-httpstatus", status_code=http.HTTPStatus.CREATED)
def status_httpstatus():
    return {"created": True}


# ---- redirects between methods and odd paths -----------------------------------------
@app.get("/thing")
def get_thing():
    return {"thing": "get"}


@app.post("/thing/")
def post_thing():
    return {"thing": "post"}


@app.api_route("/head-ok", methods=["GET", "HEAD"])
def head_ok():
    return {"head": "ok"}


# ---- apps with handlers keyed by class --------------------------------------------------
app_handlers = fw.FastAPI()


@app_handlers.exception_handler(fw.HTTPException)
async def fastapi_http_only(request, exc):
    return fw.responses.JSONResponse(
        {"handled_by": "fastapi-class", "status": exc.status_code}, status_code=exc.status_code
    )


@app_handlers.exception_handler(ValueError)
async def value_errors(request, exc):
    return fw.responses.JSONResponse(
        {"handled_by": "ValueError", "type": type(exc).__name__}, status_code=400
    )


@app_handlers.get("/http")
def handlers_http():
    raise fw.HTTPException(403, "x")


@app_handlers.get("/pydantic")
def handlers_pydantic():
    Body1.model_validate({})


@app_handlers.get("/value")
def handlers_value():
    raise ValueError("v")


@app_handlers.get("/validation")
def handlers_validation(n: int):
    return {"n": n}


@app_handlers.get("/response-validation", response_model=Body1)
def handlers_response_validation():
    return {"x": "bad"}


# ---- sub-application isolation -------------------------------------------------------
def parent_dep():
    return "parent"


sub = fw.FastAPI()


@sub.get("/dep")
def sub_dep(v: Annotated[str, fw.Depends(parent_dep)]):
    return {"v": v}


@sub.get("/fail")
def sub_fail():
    raise ValueError("sub")


@app.exception_handler(ValueError)
async def parent_value_handler(request, exc):
    return fw.responses.PlainTextResponse("parent handled", status_code=400)


@app.get("/parent-value")
def parent_value():
    raise ValueError("p")


app.mount("/sub", sub)
app.dependency_overrides[parent_dep] = lambda: "overridden in parent"


@app.get("/parent-dep")
def parent_dep_route(v: Annotated[str, fw.Depends(parent_dep)]):
    return {"v": v}
