"""In-process harness: call an ASGI app directly, with no server and no sockets.

Each request gets a hand-built scope, a ``receive`` that hands over the body once and a
``send`` that records the response. Time is CPU time (``time.process_time``, all threads of
the process) over a fixed batch of requests, repeated; Python function calls are counted for
one warm request with ``sys.setprofile``.

Run one app per process (``python -m benchmarks.inprocess --app fastapi``) so that imports of
one framework never warm up or slow down another; the process prints one JSON document.
"""

import argparse
import asyncio
import gc
import json
import sys
import time
import traceback
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

from benchmarks.scenarios import Scenario

ASGIApp = Callable[..., Awaitable[None]]


@dataclass(frozen=True)
class Settings:
    """How long to measure.

    Attributes:
        warmup_seconds: CPU time spent on each endpoint before measuring.
        batch_seconds: CPU time one timed batch should take (sets the batch size).
        repeats: number of timed batches.
    """

    warmup_seconds: float = 0.05
    batch_seconds: float = 0.1
    repeats: int = 7


TINY = Settings(warmup_seconds=0.0, batch_seconds=0.0, repeats=1)


def build_scope(scenario: Scenario, host: str = "127.0.0.1:8000") -> dict[str, Any]:
    """The HTTP scope Uvicorn would build for ``scenario`` (copy it for each request)."""
    headers = [(b"host", host.encode()), (b"user-agent", b"bench"), (b"accept", b"*/*")]
    headers += [(k.encode(), v.encode()) for k, v in scenario.headers]
    if scenario.body:
        headers.append((b"content-length", str(len(scenario.body)).encode()))
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "server": ("127.0.0.1", 8000),
        "client": ("127.0.0.1", 50000),
        "scheme": "http",
        "method": scenario.method,
        "root_path": "",
        "path": scenario.path,
        "raw_path": scenario.path.encode(),
        "query_string": scenario.query.encode(),
        "headers": headers,
    }


class Receiver:
    """An ASGI ``receive``: the whole body in one message, then a disconnect."""

    __slots__ = ("body", "sent")

    def __init__(self, body: bytes) -> None:
        self.body = body
        self.sent = False

    async def __call__(self) -> dict[str, Any]:
        if self.sent:
            return {"type": "http.disconnect"}
        self.sent = True
        return {"type": "http.request", "body": self.body, "more_body": False}


class Recorder:
    """An ASGI ``send`` that keeps the whole response."""

    def __init__(self) -> None:
        self.status = 0
        self.headers: list[tuple[bytes, bytes]] = []
        self.chunks: list[bytes] = []

    async def __call__(self, message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            self.headers = list(message.get("headers", []))
        elif message["type"] == "http.response.body":
            self.chunks.append(message.get("body", b""))

    def header(self, name: bytes) -> str | None:
        for key, value in self.headers:
            if key.lower() == name:
                return value.decode("latin-1")
        return None


class Tally:
    """A cheap ASGI ``send`` for timed batches: counts responses and wrong statuses."""

    __slots__ = ("expected", "responses", "wrong")

    def __init__(self, expected: int) -> None:
        self.expected = expected
        self.responses = 0
        self.wrong = 0

    async def __call__(self, message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            self.responses += 1
            if message["status"] != self.expected:
                self.wrong += 1


HARNESS_CODE = frozenset(
    {Receiver.__call__.__code__, Recorder.__call__.__code__, Tally.__call__.__code__}
)


async def call(app: ASGIApp, template: dict[str, Any], body: bytes, send: Any) -> None:
    """Send one request through ``app`` (fresh scope and per-request state, as Uvicorn does)."""
    scope = template.copy()
    scope["state"] = {}
    await app(scope, Receiver(body), send)


async def fetch(app: ASGIApp, scenario: Scenario) -> Recorder:
    """Send ``scenario`` once and return the whole response."""
    recorder = Recorder()
    await call(app, build_scope(scenario), scenario.body, recorder)
    return recorder


async def timed_batch(app: ASGIApp, scenario: Scenario, n: int) -> float:
    template, body, tally = build_scope(scenario), scenario.body, Tally(scenario.status)
    start = time.process_time()
    for _ in range(n):
        scope = template.copy()
        scope["state"] = {}
        await app(scope, Receiver(body), tally)
    elapsed = time.process_time() - start
    if tally.wrong or tally.responses != n:
        raise RuntimeError(f"{tally.wrong} wrong statuses, {tally.responses}/{n} responses")
    return elapsed


async def _batch_size(app: ASGIApp, scenario: Scenario, settings: Settings) -> int:
    """Warm up, then pick the number of requests one timed batch needs."""
    n, spent, per_request = 4, 0.0, 0.0
    while True:
        elapsed = await timed_batch(app, scenario, n)
        spent += elapsed
        per_request = elapsed / n
        if spent >= settings.warmup_seconds or n >= 1 << 16:
            break
        n *= 2
    if per_request <= 0:
        return 1
    return max(1, round(settings.batch_seconds / per_request))


async def count_calls(app: ASGIApp, scenario: Scenario) -> dict[str, int]:
    """Python calls ('call' events, coroutine resumptions included) and C calls for one request.

    The harness's own receive/send are not counted. Only this thread is profiled: calls made in
    worker threads (sync dependencies) are not seen, while event-loop code that runs while the
    request waits for them is.
    """
    counts = {"call": 0, "c_call": 0}
    recorder = Recorder()

    def hook(frame: Any, event: str, arg: Any) -> None:
        if event == "call":
            if frame.f_code not in HARNESS_CODE:
                counts["call"] += 1
        elif event == "c_call":
            counts["c_call"] += 1

    template = build_scope(scenario)
    sys.setprofile(hook)
    try:
        await call(app, template, scenario.body, recorder)
    finally:
        sys.setprofile(None)
    if not scenario.ok(recorder.status):
        raise RuntimeError(f"status {recorder.status} while counting calls")
    return counts


def describe_error(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" at {frames[-1].filename}:{frames[-1].lineno}" if frames else ""
    return f"{type(exc).__name__}: {exc}{where}"


async def prepare(app: ASGIApp, scenario: Scenario, settings: Settings) -> dict[str, Any]:
    """Check the answer, warm up, and size the batch (result['batch']; absent on failure)."""
    result: dict[str, Any] = {"samples_us": []}
    try:
        reply = await fetch(app, scenario)
        body = b"".join(reply.chunks)
        result.update(
            status=reply.status,
            content_type=reply.header(b"content-type"),
            body=body.decode("utf-8", "replace"),
        )
        if not scenario.ok(reply.status):
            result["error"] = f"status {reply.status}, expected {scenario.status}: {body[:300]!r}"
            return result
        result["batch"] = await _batch_size(app, scenario, settings)
    except Exception as exc:  # one broken endpoint must not hide the others' figures
        result["error"] = describe_error(exc)
    return result


async def sample(app: ASGIApp, scenario: Scenario, result: dict[str, Any]) -> None:
    n = result["batch"]
    gc.collect()
    try:
        result["samples_us"].append(await timed_batch(app, scenario, n) / n * 1e6)
    except Exception as exc:
        result["error"] = describe_error(exc)


async def measure_all(
    pairs: list[tuple[ASGIApp, Scenario]], settings: Settings
) -> list[dict[str, Any]]:
    """Check, time and profile each (app, scenario); timed batches interleave the pairs.

    Interleaving spreads any drift of the machine over all pairs instead of favouring the
    ones measured first.
    """
    results = [await prepare(app, scenario, settings) for app, scenario in pairs]
    for _ in range(settings.repeats):
        for (app, scenario), result in zip(pairs, results):
            if "error" not in result:
                await sample(app, scenario, result)
    for (app, scenario), result in zip(pairs, results):
        if "error" not in result:
            try:
                result.update(await count_calls(app, scenario))
            except Exception as exc:
                result["error"] = describe_error(exc)
    return results


class Lifespan:
    """Run an app's lifespan startup before the requests and its shutdown after them."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.outbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.task: asyncio.Task[None] | None = None

    async def _exchange(self, message: dict[str, Any]) -> dict[str, Any] | None:
        assert self.task is not None
        await self.inbox.put(message)
        reply = asyncio.ensure_future(self.outbox.get())
        await asyncio.wait({reply, self.task}, timeout=30, return_when=asyncio.FIRST_COMPLETED)
        if reply.done():
            return reply.result()
        reply.cancel()
        return None

    async def __aenter__(self) -> "Lifespan":
        scope = {"type": "lifespan", "asgi": {"version": "3.0", "spec_version": "2.0"}, "state": {}}
        self.task = asyncio.ensure_future(self.app(scope, self.inbox.get, self.outbox.put))
        reply = await self._exchange({"type": "lifespan.startup"})
        if reply is not None and reply["type"] != "lifespan.startup.complete":
            raise RuntimeError(f"lifespan startup failed: {reply}")
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        assert self.task is not None
        if not self.task.done():
            await self._exchange({"type": "lifespan.shutdown"})
        self.task.cancel()


async def measure_app(
    app: ASGIApp, scenarios: Iterable[Scenario], settings: Settings
) -> dict[str, dict[str, Any]]:
    """Measure every scenario against one app, inside its lifespan."""
    chosen = list(scenarios)
    async with Lifespan(app):
        results = await measure_all([(app, s) for s in chosen], settings)
    return {s.key: r for s, r in zip(chosen, results)}


def new_runner() -> asyncio.Runner:
    """An event-loop runner on uvloop when it is installed (as the servers use), else asyncio."""
    try:
        import uvloop

        factory: Any = uvloop.new_event_loop
    except ImportError:  # pragma: no cover - uvloop ships with uvicorn[standard]
        factory = None
    return asyncio.Runner(loop_factory=factory)


def run(coro: Awaitable[Any]) -> Any:
    """Run ``coro`` to completion on a fresh loop from ``new_runner``."""
    with new_runner() as runner:
        return runner.run(coro)  # type: ignore[arg-type]


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--app", required=True, help="framework name (see benchmarks.apps)")
    parser.add_argument("--scenarios", default="", help="comma-separated keys; default all")
    parser.add_argument("--warmup-seconds", type=float, default=Settings.warmup_seconds)
    parser.add_argument("--batch-seconds", type=float, default=Settings.batch_seconds)
    parser.add_argument("--repeats", type=int, default=Settings.repeats)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    from benchmarks.apps import load_module
    from benchmarks.scenarios import for_framework

    args = _parse(argv)
    settings = Settings(args.warmup_seconds, args.batch_seconds, args.repeats)
    scenarios = for_framework(args.app)
    if args.scenarios:
        wanted = set(args.scenarios.split(","))
        scenarios = [s for s in scenarios if s.key in wanted]
    output: dict[str, Any] = {"app": args.app}
    try:
        app = load_module(args.app).app
        output["results"] = run(measure_app(app, scenarios, settings))
    except Exception as exc:
        output["error"] = describe_error(exc)
    print(json.dumps(output))


if __name__ == "__main__":
    main()
