"""Lifecycle: background tasks, lifespan, middleware (decorator and add_middleware)."""

import contextlib
from typing import Annotated

import fw
from starlette.background import BackgroundTask
from starlette.middleware.base import BaseHTTPMiddleware

LOG: list[str] = []


@contextlib.asynccontextmanager
async def lifespan(app):
    LOG.append("app startup")
    yield {"db": "connected"}
    LOG.append("app shutdown")


@contextlib.asynccontextmanager
async def router_lifespan(app):
    LOG.append("router startup")
    yield {"cache": "warm"}
    LOG.append("router shutdown")


app = fw.FastAPI(lifespan=lifespan)
router = fw.APIRouter(lifespan=router_lifespan)


@router.get("/router-state")
def router_state(request: fw.Request):
    return {
        "cache": getattr(request.state, "cache", None),
        "db": getattr(request.state, "db", None),
    }


app.include_router(router)


@app.get("/log")
def read_log():
    entries = list(LOG)
    LOG.clear()
    return entries


@app.get("/state")
def read_state(request: fw.Request):
    return {"db": getattr(request.state, "db", None)}


# ---- background tasks ------------------------------------------------------------------
def write_log(message: str, suffix: str = "") -> None:
    LOG.append(f"task: {message}{suffix}")


async def write_log_async(message: str) -> None:
    LOG.append(f"async task: {message}")


def failing_task() -> None:
    LOG.append("failing task ran")
    raise RuntimeError("task failed")


@app.post("/tasks/{message}")
async def add_tasks(message: str, tasks: fw.BackgroundTasks):
    tasks.add_task(write_log, message, suffix="!")
    tasks.add_task(write_log_async, message)
    LOG.append("endpoint returned")
    return {"message": message}


@app.post("/tasks-response")
def tasks_on_response(tasks: fw.BackgroundTasks):
    tasks.add_task(write_log, "injected (dropped?)")
    return fw.responses.JSONResponse({"ok": True}, background=BackgroundTask(write_log, "attached"))


@app.post("/tasks-response-only")
def tasks_on_response_only(tasks: fw.BackgroundTasks):
    tasks.add_task(write_log, "injected, attached by framework")
    return fw.responses.PlainTextResponse("plain")


@app.post("/tasks-failing")
def tasks_failing(tasks: fw.BackgroundTasks):
    tasks.add_task(failing_task)
    return {"scheduled": True}


@app.post("/tasks-then-error")
def tasks_then_error(tasks: fw.BackgroundTasks):
    tasks.add_task(write_log, "never runs")
    raise fw.HTTPException(400, "after scheduling")


# ---- middleware ------------------------------------------------------------------------
@app.middleware("http")
async def outer(request: fw.Request, call_next):
    if request.url.path == "/blocked":
        return fw.responses.PlainTextResponse("blocked by middleware", status_code=403)
    response = await call_next(request)
    response.headers["x-outer"] = "1"
    response.headers["x-order"] = response.headers.get("x-order", "") + "outer"
    return response


@app.middleware("http")
async def inner(request: fw.Request, call_next):
    response = await call_next(request)
    response.headers["x-order"] = "inner,"
    return response


class HeaderMiddleware(BaseHTTPMiddleware):
    def __init__(self, app, value: str) -> None:
        super().__init__(app)
        self.value = value

    async def dispatch(self, request, call_next):
        if request.url.path == "/middleware-crash":
            raise RuntimeError("middleware crash")
        response = await call_next(request)
        response.headers["x-class-middleware"] = self.value
        return response


app.add_middleware(HeaderMiddleware, value="class")
app.add_middleware(
    fw.middleware.cors.CORSMiddleware,
    allow_origins=["https://allowed.example"],
    allow_methods=["GET", "POST"],
    allow_headers=["x-custom"],
    allow_credentials=True,
    expose_headers=["x-outer"],
)
app.add_middleware(fw.middleware.gzip.GZipMiddleware, minimum_size=50)


@app.get("/plain")
def plain():
    return {"plain": True}


@app.get("/large")
def large():
    return {"data": "x" * 500}


@app.get("/endpoint-error")
def endpoint_error():
    raise RuntimeError("endpoint crash")


@app.get("/validate")
def validate(n: Annotated[int, fw.Query()]):
    return {"n": n}


# ---- trusted hosts and https redirect on separate apps -------------------------------
app_hosts = fw.FastAPI()
app_hosts.add_middleware(
    fw.middleware.trustedhost.TrustedHostMiddleware, allowed_hosts=["good.example", "*.ok.example"]
)


@app_hosts.get("/host")
def host(request: fw.Request):
    return {"host": request.headers.get("host")}


app_https = fw.FastAPI()
app_https.add_middleware(fw.middleware.httpsredirect.HTTPSRedirectMiddleware)


@app_https.get("/secure")
def secure():
    return {"secure": True}
