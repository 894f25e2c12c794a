from fastapi import FastAPI  # untouched: a FastAPI app

app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)


@app.get("/ping")
def ping() -> dict[str, str]:
    return {"ping": "pong"}
