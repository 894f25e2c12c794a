"""An app whose lifespan start-up fails (served in a subprocess by the fault tests)."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from accord import Accord


class DatabaseUnavailable(RuntimeError):
    """What a real start-up would raise when its database cannot be reached."""


@asynccontextmanager
async def lifespan(app: Accord) -> AsyncIterator[None]:
    raise DatabaseUnavailable("cannot connect to postgres://db:5432 (start-up check)")
    yield


app = Accord(lifespan=lifespan)


@app.get("/")
def index() -> dict[str, bool]:
    return {"ok": True}
