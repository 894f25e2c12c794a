"""App-scoped dependencies: created once at start-up, shared, torn down at shutdown."""

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

import anyio
import httpx
import pytest
from starlette.testclient import TestClient

from accord import APIRouter, Depends, FastAPI, Request, WebSocket
from accord._plan import APP, SYNC
from accord.exceptions import AccordError


class Client:
    """Stands for a shared resource such as an HTTP client or a database engine."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.closed = False


def make_app(log: list[str]) -> tuple[FastAPI, Any, Any, Any]:
    """Settings (plain) <- engine (yield, app) <- repo factory (yield, app); user lifespan."""

    def settings() -> dict[str, str]:
        log.append("settings")
        return {"url": "sqlite://"}

    async def engine(cfg: Annotated[dict[str, str], Depends(settings)]) -> AsyncIterator[Client]:
        log.append("engine up")
        client = Client(cfg["url"])
        yield client
        client.closed = True
        log.append("engine down")

    async def repos(
        db: Annotated[Client, Depends(engine, scope="app")],
    ) -> AsyncIterator[dict[str, Client]]:
        log.append("repos up")
        yield {"db": db}
        log.append("repos down")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        log.append("user up")
        yield
        log.append("user down")

    app = FastAPI(lifespan=lifespan)

    @app.get("/engine")
    async def read_engine(db: Annotated[Client, Depends(engine, scope="app")]) -> dict[str, Any]:
        return {"id": id(db), "name": db.name, "closed": db.closed}

    @app.get("/repos")
    def read_repos(r: Annotated[dict[str, Client], Depends(repos, scope="app")]) -> dict[str, int]:
        return {"db": id(r["db"]), "repos": id(r)}

    return app, settings, engine, repos


def test_created_once_at_startup_in_dependency_order_and_torn_down_in_reverse() -> None:
    log: list[str] = []
    app, *_ = make_app(log)
    with TestClient(app) as client:
        assert log == ["settings", "engine up", "repos up", "user up"]
        first = client.get("/engine").json()
        second = client.get("/engine").json()
        repos = client.get("/repos").json()
        assert first == second
        assert first["closed"] is False
        assert repos["db"] == first["id"]
        assert log == ["settings", "engine up", "repos up", "user up"]  # no call per request
    assert log[4:] == ["user down", "repos down", "engine down"]


def test_lifespan_can_run_again_after_shutdown() -> None:
    log: list[str] = []
    app, *_ = make_app(log)
    with TestClient(app) as client:
        client.get("/engine")
    with TestClient(app) as client:
        assert log.count("engine up") == 2 and log.count("engine down") == 1
        assert client.get("/engine").json()["closed"] is False  # a fresh one, not the closed one
    assert log.count("engine down") == 2


def test_without_lifespan_the_value_is_created_on_first_use() -> None:
    log: list[str] = []
    app, *_ = make_app(log)
    client = TestClient(app)  # no `with`: the lifespan does not run
    assert client.get("/engine").json() == client.get("/engine").json()
    assert log == ["settings", "engine up"]


def test_request_dependency_receives_the_shared_value() -> None:
    created: list[Client] = []

    def http_client() -> Client:
        created.append(Client("http"))
        return created[-1]

    def gateway(c: Annotated[Client, Depends(http_client, scope="app")], user: str) -> str:
        return f"{user}:{id(c)}"

    app = FastAPI()

    @app.get("/")
    def read(g: Annotated[str, Depends(gateway)]) -> str:
        return g

    with TestClient(app) as client:
        assert client.get("/?user=a").json() == f"a:{id(created[0])}"
        assert client.get("/?user=b").json() == f"b:{id(created[0])}"
        assert client.get("/").status_code == 422
    assert len(created) == 1


def test_sync_generator_and_route_level_app_dependency() -> None:
    log: list[str] = []

    def pool() -> Iterator[str]:
        log.append("pool up")
        yield "pool"
        log.append("pool down")

    def warm(p: Annotated[str, Depends(pool, scope="app")]) -> None:
        log.append(f"warm {p}")

    app = FastAPI()

    @app.get("/", dependencies=[Depends(warm, scope="app")])
    def read() -> str:
        return "ok"

    with TestClient(app) as client:
        assert log == ["pool up", "warm pool"]
        assert client.get("/").json() == "ok"
        assert client.get("/").json() == "ok"
    assert log == ["pool up", "warm pool", "pool down"]


def test_user_lifespan_state_passes_through() -> None:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[dict[str, str]]:
        yield {"greeting": "hi"}

    def dep() -> int:
        return 7

    app = FastAPI(lifespan=lifespan)

    @app.get("/")
    def read(request: Request, n: Annotated[int, Depends(dep, scope="app")]) -> list[Any]:
        return [request.state.greeting, n]

    with TestClient(app) as client:
        assert client.get("/").json() == ["hi", 7]


def test_websocket_route_uses_the_app_value() -> None:
    made: list[int] = []

    async def counter() -> int:
        made.append(1)
        return len(made)

    app = FastAPI()

    @app.websocket("/ws")
    async def ws(websocket: WebSocket, n: Annotated[int, Depends(counter, scope="app")]) -> None:
        await websocket.accept()
        await websocket.send_json({"n": n})
        await websocket.close()

    with TestClient(app) as client:
        for _ in range(2):
            with client.websocket_connect("/ws") as conn:
                assert conn.receive_json() == {"n": 1}
    assert made == [1]


def test_custom_route_class_uses_the_app_value() -> None:
    from accord.routing import APIRoute

    class Custom(APIRoute):
        def get_route_handler(self) -> Any:
            handler = super().get_route_handler()

            async def wrapped(request: Request) -> Any:
                response = await handler(request)
                response.headers["x-custom"] = "1"
                return response

            return wrapped

    def dep() -> str:
        return "shared"

    router = APIRouter(route_class=Custom)

    @router.get("/")
    def read(v: Annotated[str, Depends(dep, scope="app")]) -> str:
        return v

    app = FastAPI()
    app.include_router(router)
    with TestClient(app) as client:
        response = client.get("/")
    assert response.json() == "shared" and response.headers["x-custom"] == "1"


def test_route_outside_any_app_fails_clearly() -> None:
    def dep() -> int:
        return 1

    router = APIRouter()

    @router.get("/")
    def read(v: Annotated[int, Depends(dep, scope="app")]) -> int:
        return v

    with pytest.raises(AccordError, match=r'"dep" is used by a route that no Accord application'):
        TestClient(router).get("/")


def test_app_reads_come_first_so_def_dependencies_share_one_thread_hop() -> None:
    def a() -> int:
        return 1

    def shared() -> int:
        return 2

    def b(x: Annotated[int, Depends(shared, scope="app")]) -> int:
        return x + 1

    app = FastAPI()

    @app.get("/")
    def read(
        x: Annotated[int, Depends(a)],
        y: Annotated[int, Depends(b)],
        z: Annotated[int, Depends(shared, scope="app")],
    ) -> list[int]:
        return [x, y, z]

    route = app.routes[-1]
    kinds = [[step.kind for step in stage] for stage in route.plan.stages]  # type: ignore[attr-defined]
    assert kinds == [[APP], [SYNC, SYNC]]  # one read (deduplicated), then one hop
    with TestClient(app) as client:
        assert client.get("/").json() == [1, 3, 2]


def test_one_instance_under_100_concurrent_requests() -> None:
    anyio.run(_one_instance_under_100_concurrent_requests)


async def _one_instance_under_100_concurrent_requests() -> None:
    created: list[int] = []

    async def slow_client() -> AsyncIterator[int]:
        created.append(1)
        await anyio.sleep(0.05)  # the other requests arrive while this one is being built
        yield len(created)

    app = FastAPI()

    @app.get("/")
    async def read(c: Annotated[int, Depends(slow_client, scope="app")]) -> int:
        await anyio.sleep(0)
        return c

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        responses = await _gather([client.get("/") for _ in range(100)])
    assert [r.json() for r in responses] == [1] * 100
    assert created == [1]


def test_concurrent_requests_while_the_app_runs() -> None:
    anyio.run(_concurrent_requests_while_the_app_runs)


async def _concurrent_requests_while_the_app_runs() -> None:
    created: list[object] = []

    async def resource() -> object:
        created.append(object())
        return created[-1]

    app = FastAPI()

    @app.get("/")
    async def read(r: Annotated[object, Depends(resource, scope="app")]) -> int:
        return id(r)

    async with app.dependencies():  # holds the app's values as the lifespan would
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            responses = await _gather([client.get("/") for _ in range(100)])
    assert {r.json() for r in responses} == {id(created[0])}
    assert len(created) == 1


async def _gather(coroutines: list[Any]) -> list[Any]:
    results: list[Any] = [None] * len(coroutines)

    async def run(index: int, coroutine: Any) -> None:
        results[index] = await coroutine

    async with anyio.create_task_group() as group:
        for index, coroutine in enumerate(coroutines):
            group.start_soon(run, index, coroutine)
    return results
