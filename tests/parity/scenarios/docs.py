"""Documentation endpoints: openapi.json, Swagger UI, ReDoc, custom URLs, disabled docs."""

import fw
from pydantic import BaseModel


class Item(BaseModel):
    name: str


app = fw.FastAPI(title="Docs", version="2.0", description="Parity of the docs endpoints")


@app.get("/items/{item_id}", tags=["items"], summary="Read one item")
def read_item(item_id: int) -> Item:
    return Item(name=str(item_id))


app_custom = fw.FastAPI(
    openapi_url="/api/schema.json",
    docs_url="/api/docs",
    redoc_url=None,
    swagger_ui_oauth2_redirect_url=None,
    root_path="/prefix",
    servers=[{"url": "https://api.example", "description": "prod"}],
)


@app_custom.get("/ping")
def ping():
    return {"ping": True}


app_off = fw.FastAPI(openapi_url=None)


@app_off.get("/ping")
def ping_off():
    return {"ping": True}
