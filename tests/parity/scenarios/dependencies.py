"""Dependencies: functions, classes, callables, sub-dependencies, caching, yield, overrides."""

from typing import Annotated

import fw
from pydantic import BaseModel

EVENTS: list[str] = []


class Item(BaseModel):
    name: str


class User(BaseModel):
    username: str


# ---- plain, class and callable-instance dependencies ---------------------------------
def common_parameters(q: str | None = None, skip: int = 0, limit: int = 100):
    return {"q": q, "skip": skip, "limit": limit}


CommonsDep = Annotated[dict, fw.Depends(common_parameters)]


class CommonQueryParams:
    def __init__(self, q: str | None = None, skip: int = 0, limit: int = 100):
        self.q = q
        self.skip = skip
        self.limit = limit


class FixedContentQueryChecker:
    def __init__(self, fixed_content: str) -> None:
        self.fixed_content = fixed_content

    def __call__(self, q: str = "") -> bool:
        return self.fixed_content in q


checker = FixedContentQueryChecker("bar")


async def async_common(q: Annotated[int, fw.Query(ge=0)] = 1):
    return q * 10


def query_extractor(q: str | None = None):
    return q


def query_or_cookie_extractor(
    q: Annotated[str | None, fw.Depends(query_extractor)],
    last_query: Annotated[str | None, fw.Cookie()] = None,
):
    return q or last_query or "none"


app = fw.FastAPI()


@app.get("/items")
def read_items(commons: CommonsDep):
    return commons


@app.get("/items-async")
async def read_items_async(
    commons: Annotated[dict, fw.Depends(common_parameters)], n=fw.Depends(async_common)
):
    return {"commons": commons, "n": n}


@app.get("/class")
def read_class(commons: Annotated[CommonQueryParams, fw.Depends()]):
    return {"q": commons.q, "skip": commons.skip, "limit": commons.limit}


@app.get("/class-default-style")
def read_class_default(commons: CommonQueryParams = fw.Depends(CommonQueryParams)):
    return {"q": commons.q, "skip": commons.skip}


@app.get("/callable")
def read_callable(fixed: Annotated[bool, fw.Depends(checker)]):
    return {"fixed_content_in_query": fixed}


@app.get("/sub")
def read_sub(query_or_default: Annotated[str, fw.Depends(query_or_cookie_extractor)]):
    return {"q_or_cookie": query_or_default}


# ---- caching -----------------------------------------------------------------------
def counted(request: fw.Request):
    request.state.calls = getattr(request.state, "calls", 0) + 1
    return request.state.calls


def uses_counted(c: Annotated[int, fw.Depends(counted)]):
    return c


def uses_counted_uncached(c: Annotated[int, fw.Depends(counted, use_cache=False)]):
    return c


@app.get("/cache")
def cache(
    request: fw.Request,
    a: Annotated[int, fw.Depends(counted)],
    b: Annotated[int, fw.Depends(uses_counted)],
):
    return {"a": a, "b": b, "calls": request.state.calls}


@app.get("/no-cache")
def no_cache(
    request: fw.Request,
    a: Annotated[int, fw.Depends(counted)],
    b: Annotated[int, fw.Depends(uses_counted_uncached)],
    c: Annotated[int, fw.Depends(counted, use_cache=False)],
):
    return {"a": a, "b": b, "c": c, "calls": request.state.calls}


# ---- shared parameters across dependencies ---------------------------------------------
def needs_token(token: str):
    return token


def needs_token_too(token: str, extra: int = 0):
    return f"{token}:{extra}"


@app.get("/shared-param")
def shared_param(
    a: Annotated[str, fw.Depends(needs_token)],
    b: Annotated[str, fw.Depends(needs_token_too)],
    own: int = 1,
):
    return {"a": a, "b": b, "own": own}


# ---- bodies inside dependencies --------------------------------------------------------
def item_dep(item: Item):
    return item.name.upper()


@app.post("/body-dep")
def body_dep(name: Annotated[str, fw.Depends(item_dep)], user: User):
    return {"name": name, "user": user}


@app.post("/body-dep-only")
def body_dep_only(name: Annotated[str, fw.Depends(item_dep)]):
    return {"name": name}


# ---- decorator dependencies and early errors -----------------------------------------
async def verify_token(x_token: Annotated[str, fw.Header()]):
    if x_token != "fake-super-secret-token":
        raise fw.HTTPException(status_code=400, detail="X-Token header invalid")


def verify_key(x_key: Annotated[str, fw.Header()]):
    if x_key != "fake-super-secret-key":
        raise fw.HTTPException(status_code=400, detail="X-Key header invalid")
    return x_key


@app.get("/guarded", dependencies=[fw.Depends(verify_token), fw.Depends(verify_key)])
def guarded():
    EVENTS.append("guarded endpoint ran")
    return [{"item": "Foo"}]


# ---- yield dependencies ----------------------------------------------------------------
def sync_resource():
    EVENTS.append("sync enter")
    try:
        yield "sync-db"
    except Exception as exc:
        EVENTS.append(f"sync saw {type(exc).__name__}")
        raise
    finally:
        EVENTS.append("sync exit")


async def async_resource(db: Annotated[str, fw.Depends(sync_resource)]):
    EVENTS.append("async enter")
    try:
        yield f"async({db})"
    except fw.HTTPException as exc:
        EVENTS.append(f"async saw HTTPException {exc.status_code}")
        raise
    except ValueError as exc:
        EVENTS.append("async converts ValueError")
        raise fw.HTTPException(status_code=409, detail=f"converted: {exc}") from exc
    finally:
        EVENTS.append("async exit")


def swallowing_resource():
    try:
        yield "swallow"
    except ValueError:
        EVENTS.append("swallowed")


def function_scoped():
    EVENTS.append("function enter")
    yield "f"
    EVENTS.append("function exit")


def request_scoped():
    EVENTS.append("request enter")
    yield "r"
    EVENTS.append("request exit")


@app.get("/events")
def read_events():
    events = list(EVENTS)
    EVENTS.clear()
    return events


@app.get("/yield/{mode}")
async def use_resources(mode: str, res: Annotated[str, fw.Depends(async_resource)]):
    EVENTS.append(f"endpoint {mode} with {res}")
    if mode == "http":
        raise fw.HTTPException(status_code=403, detail="forbidden in endpoint")
    if mode == "value":
        raise ValueError("bad value")
    if mode == "runtime":
        raise RuntimeError("crash")
    return {"res": res}


@app.get("/yield-sync/{mode}")
def use_sync_resource(mode: str, res: Annotated[str, fw.Depends(sync_resource)]):
    EVENTS.append(f"sync endpoint {mode}")
    if mode == "error":
        raise fw.HTTPException(status_code=400, detail="sync endpoint error")
    return {"res": res}


@app.get("/yield-swallow")
def use_swallowing(res: Annotated[str, fw.Depends(swallowing_resource)]):
    raise ValueError("swallow me")


@app.get("/scopes")
def use_scopes(
    tasks: fw.BackgroundTasks,
    f: Annotated[str, fw.Depends(function_scoped, scope="function")],
    r: Annotated[str, fw.Depends(request_scoped, scope="request")],
):
    EVENTS.append("endpoint")
    tasks.add_task(EVENTS.append, "background")
    return {"f": f, "r": r}


def adds_task(tasks: fw.BackgroundTasks):
    tasks.add_task(EVENTS.append, "task from dependency")
    return "dep"


@app.get("/dep-tasks")
def dep_tasks(tasks: fw.BackgroundTasks, d: Annotated[str, fw.Depends(adds_task)]):
    tasks.add_task(EVENTS.append, "task from endpoint")
    return {"d": d}


# ---- dependency_overrides --------------------------------------------------------------
def real_user():
    return {"user": "real"}


def fake_user(name: str = "fake"):
    return {"user": name}


def user_label(user: Annotated[dict, fw.Depends(real_user)]):
    return f"label:{user['user']}"


@app.get("/whoami")
def whoami(
    user: Annotated[dict, fw.Depends(real_user)], label: Annotated[str, fw.Depends(user_label)]
):
    return {"user": user, "label": label}


@app.post("/override/on")
def override_on():
    app.dependency_overrides[real_user] = fake_user
    return {"overrides": len(app.dependency_overrides)}


@app.post("/override/off")
def override_off():
    app.dependency_overrides.clear()
    return {"overrides": len(app.dependency_overrides)}


# ---- router and app level dependencies ------------------------------------------------
def app_level(response: fw.Response, x_app: Annotated[str | None, fw.Header()] = None):
    if x_app == "deny":
        raise fw.HTTPException(403, "app-level deny")
    response.headers["x-app-dep"] = "ran"


def router_level(response: fw.Response, x_router: Annotated[int, fw.Header()] = 0):
    response.headers["x-router-dep"] = str(x_router)


app_deps = fw.FastAPI(dependencies=[fw.Depends(app_level)])
router = fw.APIRouter(dependencies=[fw.Depends(router_level)])


@router.get("/in-router")
def in_router():
    return {"where": "router"}


@app_deps.get("/at-app")
def at_app():
    return {"where": "app"}


app_deps.include_router(router, prefix="/r")
app_deps.include_router(router, prefix="/r2", dependencies=[fw.Depends(verify_key)])
