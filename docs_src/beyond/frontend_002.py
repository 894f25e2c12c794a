from typing import Annotated

from accord import Accord, APIRouter, Cookie, Depends, HTTPException, Response


def session(response: Response, session: Annotated[str | None, Cookie()] = None) -> str:
    if session is None:
        raise HTTPException(status_code=401, detail="Log in first")
    response.headers["cache-control"] = "private"
    return session


admin = APIRouter(prefix="/admin", dependencies=[Depends(session)])
admin.frontend("/", directory="admin-dist", fallback="index.html")

app = Accord()
app.include_router(admin)
