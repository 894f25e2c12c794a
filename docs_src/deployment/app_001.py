import os
from collections.abc import AsyncIterator
from typing import Annotated

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from accord import Accord, Depends, Request
from accord.responses import JSONResponse

DATABASE_URL = os.environ.get("DATABASE_URL", "sqlite+aiosqlite:///:memory:")
# Each worker has its own pool: workers x (POOL_SIZE + overflow) must stay under the server's
# max_connections, with room for migrations and admin sessions.
POOL_SIZE = int(os.environ.get("DB_POOL_SIZE", "5"))


async def engine() -> AsyncIterator[AsyncEngine]:
    options = {} if DATABASE_URL.startswith("sqlite") else {
        "pool_size": POOL_SIZE, "max_overflow": POOL_SIZE, "pool_pre_ping": True
    }
    db = create_async_engine(DATABASE_URL, **options)
    yield db
    await db.dispose()  # at shutdown, after the server stopped taking requests


Engine = Annotated[AsyncEngine, Depends(engine, scope="app")]

app = Accord()


@app.get("/health/live")
async def live() -> dict[str, str]:
    return {"status": "ok"}  # the process answers: no dependency checked


@app.get("/health/ready")
async def ready(db: Engine) -> JSONResponse:
    try:
        async with db.connect() as connection:
            await connection.execute(text("select 1"))
    except Exception:
        return JSONResponse({"status": "database unavailable"}, status_code=503)
    return JSONResponse({"status": "ok"})


@app.get("/where")
async def where(request: Request) -> dict[str, str]:
    # Behind a proxy: the client's scheme and the prefix the proxy strips.
    return {"url": str(request.url_for("where")), "root_path": request.scope.get("root_path", "")}
