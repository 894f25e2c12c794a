"""Routing: every HTTP method, api_route/add_api_route, routers, mounts, redirects, 404/405."""

from typing import Annotated

import fw
from pydantic import BaseModel
from starlette.applications import Starlette
from starlette.routing import Route


class Item(BaseModel):
    name: str
    price: float = 0.0


app = fw.FastAPI()


# ---- one operation per HTTP method -------------------------------------------------------
@app.get("/items/{item_id}")
def read_item(item_id: int):
    return {"item_id": item_id, "op": "get"}


@app.post("/items", status_code=201)
def create_item(item: Item):
    return {"created": item, "op": "post"}


@app.put("/items/{item_id}")
def replace_item(item_id: int, item: Item):
    return {"item_id": item_id, "item": item, "op": "put"}


@app.patch("/items/{item_id}")
def patch_item(item_id: int, item: dict):
    return {"item_id": item_id, "patch": item, "op": "patch"}


@app.delete("/items/{item_id}", status_code=204)
def delete_item(item_id: int):
    return None


@app.head("/items/{item_id}")
def head_item(item_id: int, response: fw.Response):
    response.headers["x-item"] = str(item_id)


@app.options("/items")
def options_items():
    return {"allow": ["GET", "POST"]}


@app.trace("/trace")
def trace_it():
    return {"op": "trace"}


@app.get("/users/me")
def read_me():
    return {"user": "me"}


@app.get("/users/{user_id}")
def read_user(user_id: str):
    return {"user": user_id}


@app.get("/files/{file_path:path}")
def read_file(file_path: str):
    return {"file_path": file_path}


@app.get("/same")
def same_get():
    return {"m": "GET"}


@app.post("/same")
def same_post():
    return {"m": "POST"}


# ---- api_route / add_api_route -----------------------------------------------------------
@app.api_route("/multi", methods=["GET", "post", "PUT"])
async def multi(request: fw.Request):
    return {"method": request.method}


def added(q: int = 0):
    return {"added": q}


app.add_api_route("/added", added, methods=["GET", "DELETE"], name="added_route")
app.add_api_route("/added-created", added, methods=["POST"], status_code=202)
app.router.add_api_route("/router-added", added)


async def raw_endpoint(request):
    return fw.responses.PlainTextResponse(f"raw {request.method} {request.url.path}")


app.add_route("/raw", raw_endpoint, methods=["GET", "POST"])


# ---- redirect_slashes ------------------------------------------------------------------
@app.get("/slash")
def no_trailing():
    return {"slash": False}


@app.get("/trailing/")
def with_trailing():
    return {"slash": True}


@app.post("/post-slash")
def post_slash():
    return {"post": True}


# ---- routers ------------------------------------------------------------------------------
async def mark_router(response: fw.Response):
    response.headers["x-router-dep"] = "yes"


router = fw.APIRouter(
    prefix="/r",
    tags=["r"],
    dependencies=[fw.Depends(mark_router)],
    responses={404: {"description": "Missing"}},
)


@router.get("/")
def router_root():
    return {"router": "root"}


@router.get("/things/{thing_id}")
def router_thing(thing_id: int):
    if thing_id == 0:
        raise fw.HTTPException(404, "no thing")
    return {"thing_id": thing_id}


@router.get("/html", response_class=fw.responses.HTMLResponse)
def router_html():
    return "<b>bold</b>"


app.include_router(router)

html_router = fw.APIRouter(prefix="/html", default_response_class=fw.responses.HTMLResponse)


@html_router.get("/page")
def html_page():
    return "<p>page</p>"


@html_router.get("/json", response_class=fw.responses.JSONResponse)
def html_router_json():
    return {"json": True}


app.include_router(html_router)

old_router = fw.APIRouter(deprecated=True, include_in_schema=False)


@old_router.get("/old")
def old_endpoint():
    return {"old": True}


app.include_router(old_router, prefix="/legacy")


class TaggingRoute(fw.routing.APIRoute):
    """A custom route class: wraps the handler to add a header."""

    def get_route_handler(self):
        original = super().get_route_handler()

        async def handler(request):
            response = await original(request)
            response.headers["x-route-class"] = "tagging"
            return response

        return handler


custom_router = fw.APIRouter(route_class=TaggingRoute)


@custom_router.get("/custom")
def custom_route():
    return {"custom": True}


app.include_router(custom_router, prefix="/rc")

# nested include at depth 4, with dependencies at each level
level_a = fw.APIRouter(prefix="/a")
level_b = fw.APIRouter(prefix="/b")
level_c = fw.APIRouter(prefix="/c")


def level_dep(response: fw.Response, x_level: Annotated[str | None, fw.Header()] = None):
    response.headers["x-level"] = x_level or "none"


@level_c.get("/deep/{leaf}")
def deep(leaf: str):
    return {"leaf": leaf}


@level_b.get("/mid")
def mid():
    return {"mid": True}


level_b.include_router(level_c)
level_a.include_router(level_b, dependencies=[fw.Depends(level_dep)])
app.include_router(level_a, prefix="/v1")

# one router included twice
shared = fw.APIRouter()


@shared.get("/ping", name="shared_ping")
def shared_ping(request: fw.Request):
    return {"path": request.url.path, "route": request.scope["route"].path}


app.include_router(shared, prefix="/one")
app.include_router(shared, prefix="/two", tags=["two"])

# a route added to a router after it was included
late = fw.APIRouter()


@late.get("/early")
def early():
    return {"early": True}


app.include_router(late, prefix="/late")


@late.get("/after")
def after():
    return {"after": True}


# ---- url_path_for -------------------------------------------------------------------------
@app.get("/urls")
def urls(request: fw.Request):
    return {
        "item": app.url_path_for("read_item", item_id=7),
        "added": app.url_path_for("added_route"),
        "shared": app.url_path_for("shared_ping"),
        "url_for": str(request.url_for("read_user", user_id="bob")),
        "sub": app.url_path_for("sub:sub_hello"),
    }


@app.get("/url-missing")
def url_missing():
    return {"x": app.url_path_for("no_such_route")}


# ---- mounts -----------------------------------------------------------------------------
sub = fw.FastAPI()


@sub.get("/hello", name="sub_hello")
def sub_hello(request: fw.Request):
    return {
        "root_path": request.scope.get("root_path"),
        "path": request.url.path,
        "self": str(request.url_for("sub:sub_hello")),
    }


@sub.get("/fail")
def sub_fail():
    raise fw.HTTPException(418, "teapot in sub")


app.mount("/sub", sub, name="sub")


async def starlette_home(request):
    return fw.responses.JSONResponse({"starlette": request.url.path})


app.mount("/plain", Starlette(routes=[Route("/home", starlette_home)]))


@app.get("/root-info")
def root_info(request: fw.Request):
    return {"root_path": request.scope.get("root_path"), "url": str(request.url)}


# ---- separate apps: redirect_slashes=False, root_path -------------------------------------
app_noslash = fw.FastAPI(redirect_slashes=False)


@app_noslash.get("/slash")
def noslash():
    return {"slash": False}


app_rp = fw.FastAPI(root_path="/proxy")


@app_rp.get("/where")
def where(request: fw.Request):
    return {
        "root_path": request.scope.get("root_path"),
        "url": str(request.url),
        "for": str(request.url_for("where")),
    }
