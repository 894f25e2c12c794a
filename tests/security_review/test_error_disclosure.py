"""No traceback or internal message reaches a client unless ``debug=True``.

Every way an application can fail internally (endpoint, sync and async dependency, yield
dependency before the endpoint, a response that fails its response model, a
non-serializable return value, a background task) must be answered with a bare 500 whose
body names nothing internal. With ``debug=True`` the traceback is shown on purpose, which
proves the check would see a leak.
"""

from collections.abc import AsyncIterator
from typing import Annotated

import pytest
from pydantic import BaseModel
from starlette.testclient import TestClient

from accord import Accord, BackgroundTasks, Depends

SECRET = "db-password=hunter2 at /srv/app/internal.py"
LEAKS = (SECRET, "hunter2", "Traceback", "RuntimeError", "internal.py", 'File "', "accord/")


class Public(BaseModel):
    id: int


def build(debug: bool = False) -> Accord:
    app = Accord(debug=debug)

    def boom() -> None:
        raise RuntimeError(SECRET)

    async def aboom() -> None:
        raise RuntimeError(SECRET)

    async def yield_boom() -> AsyncIterator[None]:
        raise RuntimeError(SECRET)
        yield

    @app.get("/endpoint")
    def endpoint() -> None:
        boom()

    @app.get("/sync-dep", dependencies=[Depends(boom)])
    def sync_dep() -> None: ...

    @app.get("/async-dep")
    async def async_dep(value: Annotated[None, Depends(aboom)]) -> None: ...

    @app.get("/yield-dep", dependencies=[Depends(yield_boom)])
    async def yield_dep() -> None: ...

    @app.get("/response-model", response_model=Public)
    def response_model() -> dict[str, str]:
        return {"id": SECRET}

    @app.get("/unserializable")
    def unserializable() -> object:
        return {"value": object()}

    @app.get("/background")
    def background(tasks: BackgroundTasks) -> dict[str, bool]:
        tasks.add_task(boom)
        return {"ok": True}

    return app


ROUTES = [
    "/endpoint",
    "/sync-dep",
    "/async-dep",
    "/yield-dep",
    "/response-model",
    "/unserializable",
]


@pytest.mark.parametrize("path", ROUTES)
def test_internal_errors_answer_a_bare_500(path: str) -> None:
    client = TestClient(build(), raise_server_exceptions=False)
    response = client.get(path)
    assert response.status_code == 500
    assert response.text == "Internal Server Error"
    for leak in LEAKS:
        assert leak not in response.text
        assert all(leak not in value for value in response.headers.values())


def test_a_failing_background_task_does_not_change_the_sent_answer() -> None:
    client = TestClient(build(), raise_server_exceptions=False)
    response = client.get("/background")
    assert response.status_code == 200
    assert response.json() == {"ok": True}


@pytest.mark.parametrize("path", ["/endpoint", "/sync-dep", "/response-model"])
def test_debug_mode_does_show_the_traceback(path: str) -> None:
    # The control: the same failures with debug on do reach the client.
    client = TestClient(build(debug=True), raise_server_exceptions=False)
    response = client.get(path, headers={"accept": "text/plain"})
    assert response.status_code == 500
    assert "Traceback" in response.text


def test_validation_errors_name_the_input_not_the_code() -> None:
    app = Accord()

    @app.get("/items/{item_id}")
    def item(item_id: int) -> dict[str, int]:
        return {"item_id": item_id}

    response = TestClient(app).get("/items/x")
    assert response.status_code == 422
    assert "Traceback" not in response.text
    assert "accord" not in response.text
    assert response.json()["detail"][0]["loc"] == ["path", "item_id"]
