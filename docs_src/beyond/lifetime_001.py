from collections.abc import AsyncIterator
from typing import Annotated

import httpx

from accord import Accord, Depends


def settings() -> dict[str, str]:
    return {"rates_url": "https://rates.example"}


Settings = Annotated[dict[str, str], Depends(settings)]


async def http_client(cfg: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=cfg["rates_url"], timeout=5) as client:
        yield client  # one client, one connection pool, for the whole app


HttpClient = Annotated[httpx.AsyncClient, Depends(http_client, scope="app")]

app = Accord()


@app.get("/quote/{currency}")
async def quote(currency: str, client: HttpClient) -> dict[str, float]:
    response = await client.get(f"/{currency}")
    return {"rate": response.json()["rate"]}


async def refresh_rates() -> float:
    """A job outside any request: the same client, created and closed around it."""
    async with app.dependencies() as deps:
        client = await deps.resolve(http_client)
        return (await client.get("/EUR")).json()["rate"]
