"""One form-and-files route, for malformed form and multipart bodies.

An app module: ``tests/streaming/_compare.py`` loads it on FastAPI and on Accord through
``tests/oracle.py``.
"""

from typing import Annotated, Any

import fw

app = fw.FastAPI()


@app.post("/upload")
async def upload(
    name: Annotated[str, fw.Form()],
    files: Annotated[list[fw.UploadFile], fw.File()],
    note: Annotated[bytes | None, fw.File()] = None,
) -> dict[str, Any]:
    return {"name": name, "sizes": [len(await f.read()) for f in files], "note": note}
