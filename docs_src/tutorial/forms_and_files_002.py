from typing import Annotated

from accord import FastAPI, File, Form, HTTPException, UploadFile

app = FastAPI(title="Bookshop")


@app.post("/covers/size")
def cover_size(cover: Annotated[bytes, File()]) -> dict[str, int]:
    return {"bytes": len(cover)}


@app.post("/books/{book_id}/cover")
async def upload_cover(
    book_id: int,
    cover: UploadFile,
    caption: Annotated[str, Form()] = "",
) -> dict[str, object]:
    if cover.content_type not in {"image/png", "image/jpeg"}:
        raise HTTPException(status_code=415, detail="Covers are PNG or JPEG")
    data = await cover.read()
    return {
        "book_id": book_id,
        "filename": cover.filename,
        "type": cover.content_type,
        "bytes": len(data),
        "caption": caption,
    }


@app.post("/imports")
async def import_catalogues(files: list[UploadFile]) -> list[dict[str, object]]:
    return [
        {"name": f.filename, "lines": (await f.read()).count(b"\n")} for f in files
    ]
