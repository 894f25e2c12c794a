import httpx
import pytest

from docs_src.tutorial.testing_001 import app


@pytest.mark.anyio
async def test_with_an_async_client() -> None:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://bookshop"
    ) as client:
        response = await client.post("/wishlist", json={"title": "Beloved"})
    assert response.status_code == 401
    assert response.json() == {"detail": "Who are you?"}
