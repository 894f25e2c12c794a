"""Run-time changes and odd shapes: routes added or removed after startup, client cookie
jars, multi-parameter path segments, host routing, ctx values needing encoding, key types,
a failing lifespan, lifespan combined with on_event."""

import contextlib
import datetime
import decimal
from typing import Annotated

import fw
from starlette.routing import Host

app = fw.FastAPI()


# ---- routes added and removed while serving ----------------------------------------------
def dynamic():
    return {"dynamic": True}


@app.post("/register")
def register():
    app.add_api_route("/dynamic", dynamic, methods=["GET"])
    # not len(app.routes): its content differs by an accepted improvement (GET /routes)
    return {"registered": any(getattr(r, "path", None) == "/dynamic" for r in app.routes)}


late_router = fw.APIRouter()


@late_router.get("/late-included")
def late_included():
    return {"late": True}


@app.post("/include-late")
def include_late():
    app.include_router(late_router, prefix="/x")
    return {"included": True}


@app.get("/removable")
def removable():
    return {"removable": True}


@app.post("/remove")
def remove():
    app.router.routes[:] = [r for r in app.router.routes if getattr(r, "path", "") != "/removable"]
    return {"removed": True}


@app.post("/override-late")
def override_late():
    app.dependency_overrides[original_value] = lambda: "late override"
    return {"overrides": len(app.dependency_overrides)}


def original_value():
    return "original"


@app.get("/value")
def value(v: Annotated[str, fw.Depends(original_value)]):
    return {"v": v}


# ---- cookies kept by the client ------------------------------------------------------------
@app.get("/cookie/set")
def cookie_set(response: fw.Response):
    response.set_cookie("session", "abc123", httponly=True)
    response.set_cookie("scoped", "only-here", path="/cookie/read")
    return {"set": True}


@app.get("/cookie/read")
def cookie_read(
    session: Annotated[str | None, fw.Cookie()] = None,
    scoped: Annotated[str | None, fw.Cookie()] = None,
):
    return {"session": session, "scoped": scoped}


@app.get("/cookie/clear")
def cookie_clear(response: fw.Response):
    response.delete_cookie("session")
    return {"cleared": True}


# ---- path shapes ---------------------------------------------------------------------------
@app.get("/files/{name}.{ext}")
def file_parts(name: str, ext: str):
    return {"name": name, "ext": ext}


@app.get("/price($)/{amount}")
def price(amount: float):
    return {"amount": amount}


@app.get("/a+b")
def plus_path():
    return {"plus": True}


@app.get("/default-path/{item}")
def default_path(item: str = "ignored default"):
    return {"item": item}


api = fw.FastAPI()


@api.get("/info")
def host_info(request: fw.Request):
    return {"host": request.headers["host"], "path": request.url.path}


app.router.routes.append(Host("api.example.com", app=api))


# ---- constraint ctx values that need encoding -------------------------------------------
@app.get("/ctx")
def ctx_values(
    d: Annotated[decimal.Decimal, fw.Query(le=decimal.Decimal("9.99"))] = decimal.Decimal(1),
    day: Annotated[datetime.date, fw.Query(gt=datetime.date(2020, 1, 1))] = datetime.date(
        2021, 1, 1
    ),
    f: Annotated[float, fw.Query(allow_inf_nan=False)] = 0.0,
):
    return {"d": d, "day": day, "f": f}


@app.post("/form-int")
def form_int(n: Annotated[int, fw.Form()]):
    return {"n": n}


# ---- keys and details that need encoding -----------------------------------------------------
@app.get("/keys")
def keys():
    return {1: "int", None: "none", 1.5: "float", False: "bool", datetime.date(2024, 1, 1): "date"}


@app.get("/detail/{kind}")
def detail(kind: str):
    details = {
        "int": 5,
        "none": None,
        "nested": {"a": [1, {"b": None}]},
        "date": datetime.date(2024, 1, 1),
    }
    raise fw.HTTPException(400, detail=details[kind])


@app.get("/http-200")
def http_200():
    raise fw.HTTPException(200, "odd but allowed")


@app.get("/no-state")
def no_state(request: fw.Request):
    return {"db": request.state.db}


# ---- lifespans ---------------------------------------------------------------------------------
@contextlib.asynccontextmanager
async def broken_lifespan(app):
    raise ValueError("cannot start")
    yield


app_broken = fw.FastAPI(lifespan=broken_lifespan)


@app_broken.get("/")
def broken_root():
    return {"ok": True}


LOG: list[str] = []


@contextlib.asynccontextmanager
async def logging_lifespan(app):
    LOG.append("lifespan start")
    yield
    LOG.append("lifespan end")


app_both = fw.FastAPI(lifespan=logging_lifespan, on_startup=[lambda: LOG.append("on_startup")])


@app_both.get("/log")
def both_log():
    entries = list(LOG)
    LOG.clear()
    return entries


router_with_events = fw.APIRouter(on_startup=[lambda: LOG.append("router on_startup")])


@router_with_events.get("/r")
def router_events():
    return {"r": True}


app_both.include_router(router_with_events)
