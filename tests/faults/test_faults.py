"""Faults: disconnects, failing teardowns, errors after the response started, a failing
start-up, cancellation inside the thread pool. Nothing may be left behind.

Each in-process test runs its scenario several times inside one event loop and compares,
before and after: the running tasks (``asyncio.all_tasks``), the open file descriptors
(``/proc/self/fd``) and the default thread limiter's borrowed tokens (a slot never returned
would shrink the pool for good). Yield dependencies count their enter/exit to prove every
teardown ran.
"""

import asyncio
import os
import subprocess
import sys
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Annotated, Any

import anyio
import anyio.to_thread
import pytest
from starlette.requests import ClientDisconnect

from accord import Accord, Depends, Request
from accord.responses import StreamingResponse
from tests.hostile.asgi import GUARD_SECONDS, scope

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = 5


class Resources:
    """Counts what a yield dependency opened and closed."""

    def __init__(self) -> None:
        self.opened = 0
        self.closed = 0
        self.endpoint_done = 0
        self.gate = threading.Event()
        self.in_thread = threading.Event()


def build(res: Resources) -> Accord:
    app = Accord()

    async def resource() -> AsyncIterator[str]:
        res.opened += 1
        try:
            yield "r"
        finally:
            res.closed += 1

    async def failing_teardown() -> AsyncIterator[str]:
        res.opened += 1
        yield "r"
        res.closed += 1
        raise RuntimeError("teardown failed")

    def blocking_dependency() -> str:
        res.in_thread.set()
        res.gate.wait(GUARD_SECONDS)
        return "done"

    @app.post("/upload")
    async def upload(request: Request, r: Annotated[str, Depends(resource)]) -> dict[str, int]:
        body = await request.body()
        res.endpoint_done += 1
        return {"size": len(body)}

    @app.post("/model")
    async def model(
        payload: dict[str, str], r: Annotated[str, Depends(resource)]
    ) -> dict[str, str]:
        res.endpoint_done += 1
        return payload

    @app.get("/slow")
    async def slow(r: Annotated[str, Depends(resource)]) -> dict[str, bool]:
        await anyio.sleep(0.05)
        res.endpoint_done += 1
        return {"ok": True}

    @app.get("/stream")
    async def stream(r: Annotated[str, Depends(resource)]) -> StreamingResponse:
        async def chunks() -> AsyncIterator[bytes]:
            while True:
                yield b"chunk\n"
                await anyio.sleep(0.001)

        return StreamingResponse(chunks())

    @app.get("/teardown")
    async def teardown(r: Annotated[str, Depends(failing_teardown)]) -> dict[str, bool]:
        return {"ok": True}

    @app.get("/stream-teardown")
    async def stream_teardown(r: Annotated[str, Depends(failing_teardown)]) -> StreamingResponse:
        async def chunks() -> AsyncIterator[bytes]:
            for _ in range(3):
                yield b"chunk\n"

        return StreamingResponse(chunks())

    @app.get("/stream-raises")
    async def stream_raises(r: Annotated[str, Depends(resource)]) -> StreamingResponse:
        async def chunks() -> AsyncIterator[bytes]:
            yield b"first\n"
            raise RuntimeError("failed after the response started")

        return StreamingResponse(chunks())

    @app.get("/blocking")
    def blocking(value: Annotated[str, Depends(blocking_dependency)]) -> dict[str, str]:
        res.endpoint_done += 1
        return {"value": value}

    return app


# ---------------------------------------------------------------- measuring


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def snapshot() -> tuple[int, int, float]:
    limiter = anyio.to_thread.current_default_thread_limiter()
    return len(asyncio.all_tasks()), open_fds(), limiter.borrowed_tokens


async def settle() -> None:
    """Give cancelled tasks and finished threads a moment to be collected."""
    for _ in range(20):
        await asyncio.sleep(0.005)


def without_leaks(scenario: Callable[[], Awaitable[None]]) -> None:
    """Run ``scenario`` ROUNDS times in one loop; tasks, fds and thread slots must return."""

    async def main() -> None:
        await scenario()  # warm-up: lazily created loop resources are not leaks
        await settle()
        before = snapshot()
        for _ in range(ROUNDS):
            with anyio.fail_after(GUARD_SECONDS):
                await scenario()
        await settle()
        assert snapshot() == before

    anyio.run(main, backend="asyncio")


class Client:
    """One raw ASGI exchange: scripted receive, recorded send, optional failing send."""

    def __init__(self, messages: list[dict[str, Any]], fail_send_after: int | None = None):
        self.messages = list(messages)
        self.sent: list[dict[str, Any]] = []
        self.fail_send_after = fail_send_after

    async def receive(self) -> dict[str, Any]:
        if self.messages:
            return self.messages.pop(0)
        await anyio.sleep_forever()
        raise AssertionError("unreachable")

    async def send(self, message: dict[str, Any]) -> None:
        if self.fail_send_after is not None and len(self.sent) >= self.fail_send_after:
            raise OSError("client went away")  # what ASGI spec 2.4 servers do
        self.sent.append(message)

    @property
    def status(self) -> int | None:
        starts = [m for m in self.sent if m["type"] == "http.response.start"]
        return starts[0]["status"] if starts else None


async def exchange(
    app: Accord, client: Client, method: str, path: str, headers=()
) -> BaseException | None:
    """Run the app for one request; return the exception it raised to the server, if any."""
    try:
        await app(scope(method, path, headers=headers), client.receive, client.send)
    except Exception as exc:  # the server would log it and close the connection
        return exc
    return None


DISCONNECT = {"type": "http.disconnect"}


def part(body: bytes, more: bool = True) -> dict[str, Any]:
    return {"type": "http.request", "body": body, "more_body": more}


# ---------------------------------------------------------------- disconnects


@pytest.fixture
def res() -> Iterator[Resources]:
    resources = Resources()
    yield resources
    resources.gate.set()  # never leave a worker thread waiting


@pytest.mark.parametrize("path", ["/upload", "/model"])
def test_disconnect_while_the_body_is_read(res: Resources, path: str) -> None:
    app = build(res)
    headers = [(b"content-type", b"application/json")]

    async def scenario() -> None:
        client = Client([part(b'{"a":'), part(b'"b'), DISCONNECT])
        error = await exchange(app, client, "POST", path, headers)
        # As in FastAPI, the disconnect surfaces to the server as ClientDisconnect (the 500
        # written on the way out reaches nobody).
        assert isinstance(error, ClientDisconnect)

    without_leaks(scenario)
    assert res.endpoint_done == 0
    assert res.opened == res.closed


def test_disconnect_while_the_endpoint_runs(res: Resources) -> None:
    app = build(res)

    async def scenario() -> None:
        client = Client([part(b"", more=False), DISCONNECT], fail_send_after=0)
        error = await exchange(app, client, "GET", "/slow")
        assert isinstance(error, OSError)  # the server's own error, passed back to it

    without_leaks(scenario)
    assert res.opened == res.closed == res.endpoint_done == ROUNDS + 1


@pytest.mark.parametrize("fail_after", [1, 3])
def test_disconnect_during_a_streaming_response(res: Resources, fail_after: int) -> None:
    app = build(res)

    async def scenario() -> None:
        client = Client([part(b"", more=False)], fail_send_after=fail_after)
        error = await exchange(app, client, "GET", "/stream")
        assert error is not None
        assert client.status == 200

    without_leaks(scenario)
    assert res.opened == res.closed == ROUNDS + 1


def test_disconnect_message_during_a_streaming_response(res: Resources) -> None:
    # Older servers (ASGI spec < 2.4) announce the disconnect through receive instead.
    app = build(res)

    async def scenario() -> None:
        async def late_disconnect() -> dict[str, Any]:
            await anyio.sleep(0.01)
            return DISCONNECT

        client = Client([part(b"", more=False)])
        client.receive = late_disconnect  # type: ignore[method-assign]
        old = scope("GET", "/stream")
        old["asgi"]["spec_version"] = "2.3"
        await app(old, client.receive, client.send)
        assert client.status == 200

    without_leaks(scenario)
    assert res.opened == res.closed == ROUNDS + 1


# ---------------------------------------------------------------- failing teardowns


def test_a_failing_teardown_does_not_change_the_sent_answer(res: Resources) -> None:
    app = build(res)

    async def scenario() -> None:
        client = Client([part(b"", more=False)])
        error = await exchange(app, client, "GET", "/teardown")
        assert client.status == 200
        body = b"".join(m.get("body", b"") for m in client.sent[1:])
        assert body == b'{"ok":true}'
        assert isinstance(error, RuntimeError)  # reaches the server's log, not the client

    without_leaks(scenario)
    assert res.opened == res.closed == ROUNDS + 1


def test_a_teardown_failing_after_a_streamed_response(res: Resources) -> None:
    app = build(res)

    async def scenario() -> None:
        client = Client([part(b"", more=False)])
        error = await exchange(app, client, "GET", "/stream-teardown")
        assert client.status == 200
        assert b"".join(m.get("body", b"") for m in client.sent[1:]) == b"chunk\n" * 3
        assert isinstance(error, RuntimeError)

    without_leaks(scenario)
    assert res.opened == res.closed == ROUNDS + 1


def test_an_error_after_the_response_started(res: Resources) -> None:
    app = build(res)

    async def scenario() -> None:
        client = Client([part(b"", more=False)])
        error = await exchange(app, client, "GET", "/stream-raises")
        assert client.status == 200  # already sent: the server can only cut the connection
        assert b"Traceback" not in b"".join(m.get("body", b"") for m in client.sent[1:])
        assert isinstance(error, RuntimeError)

    without_leaks(scenario)
    assert res.opened == res.closed == ROUNDS + 1


# ---------------------------------------------------------------- thread pool


def test_cancellation_during_a_sync_dependency_in_the_thread_pool(res: Resources) -> None:
    # A thread cannot be interrupted: the cancellation is delivered when the worker thread
    # returns, the request task ends, and the thread slot is given back. The `def` endpoint
    # shares the dependency's thread hop, and, as in FastAPI (separate hops), is not called.
    app = build(res)
    res.endpoint_done = 0

    async def scenario() -> None:
        res.gate.clear()
        res.in_thread.clear()
        client = Client([part(b"", more=False)])
        async with anyio.create_task_group() as tg:
            tg.start_soon(exchange, app, client, "GET", "/blocking")
            await anyio.to_thread.run_sync(res.in_thread.wait, GUARD_SECONDS, limiter=_own)
            tg.cancel_scope.cancel()  # cancelled while the dependency blocks in its thread
            with anyio.CancelScope(shield=True):
                await asyncio.sleep(0.02)
            res.gate.set()
        assert tg.cancel_scope.cancelled_caught
        assert res.endpoint_done == 0

    without_leaks(scenario)


_own = anyio.CapacityLimiter(1)  # waiting for the worker must not borrow from the pool


# ---------------------------------------------------------------- start-up


@pytest.mark.parametrize(
    "command",
    [
        [
            "-m",
            "accord",
            "run",
            "tests.faults.failing_app:app",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
        ],
        ["-m", "uvicorn", "tests.faults.failing_app:app", "--host", "127.0.0.1", "--port", "0"],
    ],
    ids=["accord-run", "uvicorn"],
)
def test_failing_startup_exits_non_zero_with_a_clear_message(command: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, *command], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    output = done.stdout + done.stderr
    assert done.returncode != 0
    assert "DatabaseUnavailable: cannot connect to postgres://db:5432 (start-up check)" in output
    assert "Application startup failed" in output


# ---------------------------------------------------------------- the measure itself


def test_the_leak_check_sees_a_leaked_task_fd_and_thread_slot() -> None:
    leaked: list[Any] = []
    gate = threading.Event()

    async def leak_task() -> None:
        leaked.append(asyncio.get_running_loop().create_task(asyncio.sleep(60)))

    async def leak_fd() -> None:
        leaked.append(open(__file__, "rb"))  # noqa: SIM115

    async def leak_slot() -> None:
        loop = asyncio.get_running_loop()
        leaked.append(loop.create_task(anyio.to_thread.run_sync(gate.wait, 5)))
        await asyncio.sleep(0.01)

    try:
        for scenario in (leak_task, leak_fd, leak_slot):
            with pytest.raises(AssertionError):
                without_leaks(scenario)
    finally:
        gate.set()
        for item in leaked:
            if hasattr(item, "close"):
                item.close()
