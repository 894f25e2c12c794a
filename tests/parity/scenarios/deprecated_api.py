"""Deprecated but supported API: on_event handlers, ORJSON/UJSON response classes, regex=."""

from typing import Annotated

import fw

LOG: list[str] = []

app = fw.FastAPI(default_response_class=fw.responses.ORJSONResponse)


@app.on_event("startup")
async def startup():
    LOG.append("startup")


@app.on_event("shutdown")
def shutdown():
    LOG.append("shutdown")


@app.get("/log")
def read_log():
    entries = list(LOG)
    LOG.clear()
    return entries


@app.get("/orjson-default")
def orjson_default():
    return {"numbers": [1, 2.5], "text": "é"}


@app.get("/ujson", response_class=fw.responses.UJSONResponse)
def ujson_route():
    return {"ujson": True}


@app.get("/regex")
def regex_param(code: Annotated[str, fw.Query(regex="^[A-Z]{3}$")]):
    return {"code": code}
