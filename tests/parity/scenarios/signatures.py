"""Unusual endpoint signatures: missing annotations, bare generics, keyword-only parameters,
names that look special, callable-instance generators, form/file variants."""

from typing import Annotated, Any, Optional

import fw
from pydantic import BaseModel


class Item(BaseModel):
    name: str


app = fw.FastAPI()


@app.get("/untyped")
def untyped(q, r=None, s=3):
    return {"q": q, "r": r, "s": s, "types": [type(q).__name__, type(r).__name__, type(s).__name__]}


@app.get("/any")
def any_param(q: Any = None, items: Annotated[Any, fw.Query()] = None):
    return {"q": q, "items": items}


@app.get("/bare-generics")
def bare_generics(
    a: Annotated[list, fw.Query()] = [],
    b: Annotated[tuple, fw.Query()] = (),
    c: Annotated[set, fw.Query()] = set(),
):
    return {"a": a, "b": list(b), "c": sorted(c)}


@app.get("/keyword-only/{p}")
def keyword_only(*, p: int, q: str = "d", flag: Optional[bool] = None):
    return {"p": p, "q": q, "flag": flag}


@app.get("/named-like-special")
def named_like_special(request: str = "r", response: int = 0, background_tasks: str = "b"):
    return {"request": request, "response": response, "background_tasks": background_tasks}


@app.post("/body-any")
def body_any(payload: Any):
    return {"payload": payload}


@app.post("/body-untyped-default")
def body_untyped_default(item: Item, extra=fw.Body(None)):
    return {"item": item, "extra": extra}


@app.post("/optional-embedded")
def optional_embedded(item: Annotated[Optional[Item], fw.Body(embed=True)] = None):
    return {"item": item}


class GeneratorDependency:
    def __init__(self) -> None:
        self.log: list[str] = []

    def __call__(self, n: int = 1):
        self.log.append(f"enter {n}")
        yield n * 2
        self.log.append(f"exit {n}")


gen_dep = GeneratorDependency()


@app.get("/generator-instance")
def generator_instance(v: Annotated[int, fw.Depends(gen_dep)]):
    return {"v": v}


@app.get("/generator-instance/log")
def generator_instance_log():
    entries = list(gen_dep.log)
    gen_dep.log.clear()
    return entries


@app.post("/files-bytes")
def files_bytes(files: Annotated[list[bytes], fw.File()]):
    return {"sizes": [len(f) for f in files]}


@app.post("/upload-meta")
async def upload_meta(file: fw.UploadFile):
    return {
        "size": file.size,
        "filename": file.filename,
        "content_type": file.content_type,
        "x_header": file.headers.get("x-part"),
    }


@app.post("/form-list-ints")
def form_list_ints(n: Annotated[list[int], fw.Form()] = []):
    return {"n": n}


@app.post("/form-and-file")
async def form_and_file(
    token: Annotated[str, fw.Form()],
    file: Annotated[bytes, fw.File()],
    note: Annotated[str | None, fw.Form()] = None,
):
    return {"token": token, "size": len(file), "note": note}


@app.post("/strict-form")
def strict_form(form: Annotated[fw.security.OAuth2PasswordRequestFormStrict, fw.Depends()]):
    return {"grant_type": form.grant_type, "username": form.username}
