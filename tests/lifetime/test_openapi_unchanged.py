"""App-scoped dependencies take no request input: the OpenAPI document does not change."""

from collections.abc import AsyncIterator
from types import ModuleType
from typing import Annotated, Any

import fastapi
import pytest
from pydantic import BaseModel

import accord


class Item(BaseModel):
    name: str


async def engine() -> AsyncIterator[str]:
    yield "engine"  # pragma: no cover


def settings() -> dict[str, str]:
    return {}  # pragma: no cover


def build(fw: ModuleType, scope: Any) -> Any:
    def repo(
        db: Annotated[str, fw.Depends(engine, **scope)],
        cfg: Annotated[dict[str, str], fw.Depends(settings, **scope)],
        tenant: Annotated[str, fw.Header()],
    ) -> str:
        return db  # pragma: no cover

    app = fw.FastAPI()
    router = fw.APIRouter(prefix="/items", dependencies=[fw.Depends(settings, **scope)])

    @router.post("/{item_id}", response_model=Item)
    def create(
        item_id: int,
        item: Item,
        r: Annotated[str, fw.Depends(repo)],
        db: Annotated[str, fw.Depends(engine, **scope)],
        q: str | None = None,
    ) -> Any:
        return item  # pragma: no cover

    app.include_router(router)
    return app


@pytest.mark.parametrize(
    ("reference", "reference_scope"), [(accord, {}), (fastapi, {})], ids=["accord", "fastapi"]
)
def test_document_is_the_same_as_with_plain_dependencies(
    reference: ModuleType, reference_scope: dict[str, str]
) -> None:
    ours = build(accord, {"scope": "app"}).openapi()
    theirs = build(reference, reference_scope).openapi()
    assert ours == theirs
    parameters = ours["paths"]["/items/{item_id}"]["post"]["parameters"]
    assert [p["name"] for p in parameters] == ["item_id", "q", "tenant"]
