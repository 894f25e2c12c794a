"""Forms and files: Form fields, form models, File/UploadFile, multipart edge cases."""

from typing import Annotated

import fw
from pydantic import BaseModel, ConfigDict


class Login(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str
    password: str
    remember: bool = False


app = fw.FastAPI()


@app.post("/login")
def login(username: Annotated[str, fw.Form()], password: Annotated[str, fw.Form(min_length=3)]):
    return {"username": username, "password_len": len(password)}


@app.post("/login-model")
def login_model(data: Annotated[Login, fw.Form()]):
    return data


@app.post("/tags")
def tags(tag: Annotated[list[str], fw.Form()], count: Annotated[int, fw.Form()] = 0):
    return {"tag": tag, "count": count}


@app.post("/file-bytes")
def file_bytes(file: Annotated[bytes, fw.File()]):
    return {"size": len(file)}


@app.post("/upload")
async def upload(file: fw.UploadFile, note: Annotated[str, fw.Form()] = ""):
    content = await file.read()
    return {
        "filename": file.filename,
        "content_type": file.content_type,
        "size": len(content),
        "note": note,
    }


@app.post("/uploads")
async def uploads(files: list[fw.UploadFile]):
    return [{"filename": f.filename, "size": len(await f.read())} for f in files]


@app.post("/upload-optional")
async def upload_optional(file: fw.UploadFile | None = None):
    return {"file": file.filename if file else None}
