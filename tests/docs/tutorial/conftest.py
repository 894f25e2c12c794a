import pytest


@pytest.fixture(scope="module")
def anyio_backend() -> str:
    """The page's async test runs on asyncio: older anyio releases would also try trio."""
    return "asyncio"
