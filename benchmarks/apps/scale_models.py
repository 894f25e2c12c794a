"""The response model shared by the scale apps."""

from pydantic import BaseModel


class ScaleItem(BaseModel):
    id: int
    resource: int
    q: str | None


def scale_path(i: int) -> str:
    """The request path that reaches route number ``i`` (0-based) of a scale app."""
    return f"/resource{i}/items/7"
