from pydantic import BaseModel

from accord import Accord, APIRouter, Request, UploadFile
from accord.limits import FormLimits

app = Accord(max_body_size=1024 * 1024)  # 1 MiB for the whole app
uploads = APIRouter(prefix="/uploads", max_body_size=50 * 1024 * 1024)  # 50 MiB here


class Note(BaseModel):
    text: str


@app.post("/notes")
async def add_note(note: Note) -> dict[str, int]:
    return {"length": len(note.text)}


@app.post("/echo")
async def echo(request: Request) -> dict[str, int]:
    return {"received": len(await request.body())}  # limited too


@uploads.post("/avatar", form_limits=FormLimits(max_file_size=64 * 1024, max_files=1))
async def set_avatar(file: UploadFile) -> dict[str, int]:
    return {"size": len(await file.read())}


@app.post("/webhook", max_body_size=None)  # no limit on this route
async def webhook(request: Request) -> dict[str, int]:
    return {"received": len(await request.body())}


app.include_router(uploads)
