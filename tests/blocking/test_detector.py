"""The blocking-call detector: what it reports, what it must not, and that off costs nothing.

Each test waits for the detector's records instead of timing anything; a negative check is
always followed by a blocking control request, so that it cannot pass only because the
detector was not looking.
"""

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Annotated

import pytest
from starlette.concurrency import run_in_threadpool
from starlette.routing import Mount
from starlette.testclient import TestClient
from starlette.websockets import WebSocket

from accord import Accord, APIRouter, Depends
from accord._runtime.blocking import BlockingDetector, _LoopMonitor
from accord._runtime.runner import RouteRunner

from .conftest import BLOCK, THRESHOLD, line_of

Reports = Callable[..., list[logging.LogRecord]]


def _labels(records: list[logging.LogRecord]) -> list[str]:
    return [record.accord_route for record in records]  # type: ignore[attr-defined]


def _block() -> None:
    time.sleep(BLOCK)  # blocks: helper


def test_time_sleep_in_an_async_endpoint_is_reported_with_route_and_line(
    reports: Reports,
) -> None:
    app = Accord(detect_blocking=THRESHOLD)

    @app.get("/slow/{item_id}")
    async def slow(item_id: int) -> dict[str, int]:
        time.sleep(BLOCK)  # blocks: endpoint
        return {"item_id": item_id}

    with TestClient(app) as client:
        assert client.get("/slow/3").json() == {"item_id": 3}
    records = reports(1)
    assert len(records) == 1
    record, line = records[0], line_of(__file__, "# blocks" + ": endpoint")
    assert record.levelno == logging.WARNING
    message = record.getMessage()
    assert message.startswith(
        "Blocking call in GET /slow/{item_id}: the event loop was held for more than 40 ms "
        f"at {__file__}:{line} (in slow), so nothing else ran meanwhile.\n"
        "Stack of the blocking frame (most recent call last):\n"
        f'  File "{__file__}", line {line}, in slow\n'
        "    time.sleep(BLOCK)  # blocks" + ": endpoint\n"
    )
    assert message.endswith(
        "Fix: await a non-blocking equivalent (asyncio.sleep, an async client or driver), run "
        "the call in a thread with `await run_in_threadpool(func, ...)`, or declare the "
        "endpoint or dependency with `def` so that Accord runs it in the thread pool."
    )
    assert record.accord_route == "GET /slow/{item_id}"  # type: ignore[attr-defined]
    assert record.accord_location == f"{__file__}:{line}"  # type: ignore[attr-defined]


def test_awaits_and_the_thread_pool_are_not_reported(reports: Reports) -> None:
    app = Accord(detect_blocking=THRESHOLD)

    def sync_dependency() -> int:
        time.sleep(BLOCK)
        return 1

    @app.get("/await")
    async def awaiting() -> dict[str, bool]:
        await asyncio.sleep(BLOCK)
        return {"ok": True}

    @app.get("/sync")
    def sync_endpoint() -> dict[str, bool]:
        time.sleep(BLOCK)
        return {"ok": True}

    @app.get("/sync-dependency")
    async def with_sync_dependency(n: Annotated[int, Depends(sync_dependency)]) -> dict:
        return {"n": n}

    @app.get("/offloaded")
    async def offloaded() -> dict[str, bool]:
        await run_in_threadpool(time.sleep, BLOCK)
        return {"ok": True}

    @app.get("/control")
    async def control() -> None:
        _block()

    with TestClient(app) as client:
        for path in ("/await", "/sync", "/sync-dependency", "/offloaded", "/control"):
            assert client.get(path).status_code == 200
    assert _labels(reports(1)) == ["GET /control"]


def test_an_async_dependency_is_reported_at_its_own_line(reports: Reports) -> None:
    app = Accord(detect_blocking=THRESHOLD)

    async def load_user() -> str:
        time.sleep(BLOCK)  # blocks: dependency
        return "ann"

    @app.get("/me")
    async def me(user: Annotated[str, Depends(load_user)]) -> dict[str, str]:
        return {"user": user}

    with TestClient(app) as client:
        assert client.get("/me").json() == {"user": "ann"}
    records = reports(1)
    assert _labels(records) == ["GET /me"]
    line = line_of(__file__, "# blocks" + ": dependency")
    assert records[0].accord_location == f"{__file__}:{line}"  # type: ignore[attr-defined]
    assert "(in load_user)" in records[0].getMessage()


def test_reported_once_per_route_and_place(reports: Reports) -> None:
    app = Accord(detect_blocking=THRESHOLD)

    @app.get("/a")
    async def a() -> None:
        _block()

    @app.get("/b")
    async def b() -> None:
        _block()

    @app.get("/control")
    async def control() -> None:
        time.sleep(BLOCK)

    with TestClient(app) as client:
        for path in ("/a", "/a", "/b", "/a", "/b"):
            assert client.get(path).status_code == 200
    with TestClient(app) as client:  # a new event loop: still reported once
        assert client.get("/a").status_code == 200
        assert client.get("/control").status_code == 200
    records = reports(3)
    assert sorted(_labels(records)) == ["GET /a", "GET /b", "GET /control"]
    helper = f"{__file__}:{line_of(__file__, '# blocks' + ': helper')}"
    places = {r.accord_route: r.accord_location for r in records}  # type: ignore[attr-defined]
    assert places["GET /a"] == places["GET /b"] == helper  # the innermost application frame
    assert "in _block" in records[0].getMessage()  # the stack reaches the sleeping helper


def test_an_included_route_is_named_with_its_full_path(reports: Reports) -> None:
    app = Accord(detect_blocking=THRESHOLD)
    router = APIRouter(prefix="/orders")

    @router.post("/{order_id}/pay")
    async def pay(order_id: int) -> None:
        _block()

    app.include_router(router, prefix="/v1")
    with TestClient(app) as client:
        assert client.post("/v1/orders/7/pay").status_code == 200
    assert _labels(reports(1)) == ["POST /v1/orders/{order_id}/pay"]


def test_a_mounted_app_with_its_own_detector_is_reported_once(reports: Reports) -> None:
    inner = Accord(detect_blocking=THRESHOLD)

    @inner.get("/slow")
    async def slow() -> None:
        _block()

    app = Accord(detect_blocking=THRESHOLD)
    app.router.routes.append(Mount("/sub", app=inner))
    with TestClient(app) as client:
        assert client.get("/sub/slow").status_code == 200
        assert client.get("/sub/slow").status_code == 200
    assert _labels(reports(1)) == ["GET /sub/slow"]


def test_a_websocket_endpoint_is_reported(reports: Reports) -> None:
    app = Accord(detect_blocking=THRESHOLD)

    @app.websocket("/ws")
    async def ws(websocket: WebSocket) -> None:
        await websocket.accept()
        _block()
        await websocket.send_text("done")
        await websocket.close()

    with TestClient(app) as client, client.websocket_connect("/ws") as socket:
        assert socket.receive_text() == "done"
    assert _labels(reports(1)) == ["WEBSOCKET /ws"]


def test_blocking_outside_any_request_is_not_reported(reports: Reports) -> None:
    @asynccontextmanager
    async def lifespan(app: Accord) -> AsyncIterator[None]:
        time.sleep(BLOCK)  # start-up code, not a route
        yield

    app = Accord(detect_blocking=THRESHOLD, lifespan=lifespan)

    @app.get("/control")
    async def control() -> None:
        _block()

    with TestClient(app) as client:
        assert client.get("/control").status_code == 200
    assert _labels(reports(1)) == ["GET /control"]


def test_generated_code_without_a_source_file_is_still_located(reports: Reports) -> None:
    app = Accord(detect_blocking=THRESHOLD)
    namespace: dict[str, object] = {"time": time, "BLOCK": BLOCK}
    exec(
        compile("async def generated():\n    time.sleep(BLOCK)\n", "<generated>", "exec"), namespace
    )
    app.add_api_route("/generated", namespace["generated"])  # type: ignore[arg-type]
    with TestClient(app) as client:
        assert client.get("/generated").status_code == 200
    records = reports(1)
    assert _labels(records) == ["GET /generated"]
    assert records[0].accord_location == "<generated>:2"  # type: ignore[attr-defined]


# -- off costs nothing; on wraps only the router ------------------------------------------


def _layers(app: Accord) -> list[object]:
    layer: object = app.middleware_stack or app.build_middleware_stack()
    found = []
    while layer is not None:
        found.append(layer)
        layer = getattr(layer, "app", None)
        if layer is app.router:
            found.append(layer)
            break
    return found


def test_off_by_default_adds_no_layer_and_no_thread(
    monkeypatch: pytest.MonkeyPatch, reports: Reports
) -> None:
    monkeypatch.delenv("ACCORD_DETECT_BLOCKING", raising=False)
    monitors: list[object] = []
    monkeypatch.setattr(_LoopMonitor, "__init__", lambda self, *args: monitors.append(args))
    app = Accord()

    @app.get("/slow")
    async def slow() -> None:
        _block()

    assert app.detect_blocking is None
    assert not any(isinstance(layer, BlockingDetector) for layer in _layers(app))
    assert _layers(app)[-1] is app.router
    route = app.router.routes[-1]
    assert isinstance(route.app, RouteRunner)  # type: ignore[attr-defined]
    with TestClient(app) as client:
        assert client.get("/slow").status_code == 200
    assert monitors == []
    assert reports(1, timeout=0.2) == []


def test_on_wraps_the_router_only_and_routes_stay_plain() -> None:
    app = Accord(detect_blocking=0.25)

    @app.get("/x")
    async def x() -> None: ...

    layers = _layers(app)
    detector = layers[-2]
    assert isinstance(detector, BlockingDetector)
    assert detector.app is app.router and detector.threshold == 0.25
    assert isinstance(app.router.routes[-1].app, RouteRunner)  # type: ignore[attr-defined]


def test_the_watchdog_stops_when_its_loop_closes(reports: Reports) -> None:
    app = Accord(detect_blocking=THRESHOLD)

    @app.get("/control")
    async def control() -> None:
        _block()

    with TestClient(app) as client:
        assert client.get("/control").status_code == 200
        detector = next(x for x in _layers(app) if isinstance(x, BlockingDetector))
        (monitor,) = detector._monitors.values()
    assert reports(1)
    deadline = time.monotonic() + 10
    while monitor.alive and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not monitor.alive
    assert detector._monitors == {}


def test_an_idle_loop_stops_its_watchdog_and_a_new_request_restarts_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_LoopMonitor, "IDLE_EXIT", 0.05)
    served: list[str] = []

    async def router(scope: dict, receive: object, send: object) -> None:
        served.append(scope["path"])

    detector = BlockingDetector(router, THRESHOLD)
    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(detector({"type": "http", "path": "/a"}, None, None))
        (first,) = detector._monitors.values()
        deadline = time.monotonic() + 10
        while first.alive and time.monotonic() < deadline:  # the loop is stopped: no heartbeat
            time.sleep(0.01)
        assert not first.alive
        loop.run_until_complete(detector({"type": "http", "path": "/b"}, None, None))
        (second,) = detector._monitors.values()
        assert second is not first and second.alive
    finally:
        loop.close()
    assert served == ["/a", "/b"]


def test_a_failing_sample_does_not_stop_the_watchdog(
    monkeypatch: pytest.MonkeyPatch, reports: Reports, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="accord.blocking")

    def broken(self: _LoopMonitor, beat: float) -> None:
        raise RuntimeError("frame vanished")

    monkeypatch.setattr(_LoopMonitor, "_check", broken)
    app = Accord(detect_blocking=THRESHOLD)

    @app.get("/slow")
    async def slow() -> None:
        _block()

    with TestClient(app) as client:
        assert client.get("/slow").status_code == 200
        detector = next(x for x in _layers(app) if isinstance(x, BlockingDetector))
        (monitor,) = detector._monitors.values()
        assert monitor.alive
    failures = [r for r in reports(1) if r.levelno == logging.DEBUG]
    assert failures and failures[0].getMessage() == "blocking detector: sampling failed"


def test_a_stall_in_a_loop_callback_outside_any_request_is_not_reported(
    reports: Reports,
) -> None:
    app = Accord(detect_blocking=THRESHOLD)

    @app.get("/schedule")
    async def schedule() -> None:
        asyncio.get_running_loop().call_soon(time.sleep, BLOCK)  # runs after the request

    @app.get("/control")
    async def control() -> None:
        _block()

    with TestClient(app) as client:
        assert client.get("/schedule").status_code == 200
        assert client.get("/control").status_code == 200
    assert _labels(reports(1)) == ["GET /control"]


def test_an_async_background_task_is_reported_with_its_route(reports: Reports) -> None:
    from accord import BackgroundTasks

    app = Accord(detect_blocking=THRESHOLD)

    async def send_mail() -> None:
        _block()

    @app.post("/signup")
    async def signup(tasks: BackgroundTasks) -> dict[str, bool]:
        tasks.add_task(send_mail)
        return {"ok": True}

    with TestClient(app) as client:
        assert client.post("/signup").json() == {"ok": True}
    assert _labels(reports(1)) == ["POST /signup"]


def test_without_a_running_asyncio_loop_there_is_no_task_to_watch() -> None:
    from accord._runtime.blocking import _current_task

    assert _current_task() is None
