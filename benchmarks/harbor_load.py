"""Harbor's capacity: the highest order rate one Uvicorn worker sustains, Accord against FastAPI.

Open loop: requests are sent at a constant arrival rate scheduled by the clock, whatever the
server's answers do (a slow answer does not delay the next request, so queueing shows as
latency instead of hiding in the client). A request's latency runs from its scheduled time to
its answer. A rate is *sustained* when every answer is a 201 and p95 < 200 ms; the search
raises the rate by steps, then narrows the gap between the last sustained and the first failed
rate. The same Harbor code runs on Accord and on FastAPI 0.163.2 (``HARBOR_FRAMEWORK``, see
``examples/harbor/framework.py``), on SQLite and on PostgreSQL, in the same run.

The machine may be shared: every step records the 1-minute load average and the CPU that
processes outside the measurement (not the server, the load generator or the database) used
during the step; a step disturbed by more than ``--max-foreign`` cores is measured again.

    python -m benchmarks.harbor_load             # full search, ~15 minutes
    python -m benchmarks.harbor_load --quick     # shorter steps, coarser search
    python -m benchmarks.harbor_load --round-trips-only

Figures go to ``benchmarks/harbor_results.json`` and ``benchmarks/harbor_results.md``; the
markdown section also replaces the Harbor block of ``benchmarks/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from statistics import median, quantiles
from typing import Any

import httpx

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TARGET_MS = 200.0
FRAMEWORKS = ("accord", "fastapi")
START, END = "<!-- harbor-load:start -->", "<!-- harbor-load:end -->"
BODY = json.dumps(
    {
        "customer_email": "buyer@example.com",
        "currency": "EUR",
        "lines": [
            {"sku": "HB-1042", "quantity": 3, "unit_price": "19.99"},
            {"sku": "HB-2001", "quantity": 1, "unit_price": "249.00"},
        ],
    }
).encode()
CLK_TCK = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# --- the open-loop load generator -------------------------------------------------------


def request_bytes(api_key: str) -> bytes:
    head = (
        "POST /api/v1/orders HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"X-API-Key: {api_key}\r\nIdempotency-Key: {uuid.uuid4().hex}\r\n"
        f"Content-Length: {len(BODY)}\r\n\r\n"
    )
    return head.encode() + BODY


async def read_response(reader: asyncio.StreamReader) -> int:
    """Read one response off a keep-alive connection; its status code."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    length = next(
        int(line.split(":", 1)[1]) for line in lines if line.lower().startswith("content-length:")
    )
    await reader.readexactly(length)
    return int(lines[0].split(" ", 2)[1])


Connection = tuple[asyncio.StreamReader, asyncio.StreamWriter]


def run_loop(coroutine: Any) -> Any:
    """Run on uvloop when installed: the load generator shares the CPUs, so it must be cheap."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coroutine)
    return uvloop.run(coroutine)


class OpenLoop:
    """Send `rate` orders per second for `seconds`, each at its scheduled time."""

    def __init__(self, port: int, api_key: str) -> None:
        self.port = port
        self.api_key = api_key
        self.idle: list[Connection] = []  # keep-alive connections between requests

    async def one(self, scheduled: float, latencies: list[float], errors: list[str]) -> None:
        connection = self.idle.pop() if self.idle else None
        try:
            if connection is None:  # every connection busy: open one, never wait
                connection = await asyncio.open_connection("127.0.0.1", self.port)
            reader, writer = connection
            writer.write(request_bytes(self.api_key))
            status = await asyncio.wait_for(read_response(reader), 10)
        except (OSError, asyncio.IncompleteReadError, TimeoutError) as exc:
            errors.append(type(exc).__name__)
            if connection is not None:
                connection[1].close()
            return
        latencies.append(time.perf_counter() - scheduled)
        if status != 201:
            errors.append(str(status))
        self.idle.append(connection)

    async def run(self, rate: float, seconds: float) -> dict[str, Any]:
        latencies: list[float] = []
        errors: list[str] = []
        tasks: list[asyncio.Task[None]] = []
        count = max(1, round(rate * seconds))
        started = time.perf_counter()
        for n in range(count):
            scheduled = started + n / rate
            delay = scheduled - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(self.one(scheduled, latencies, errors)))
        await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - started
        connections = len(self.idle)
        self.close()  # each step runs on an event loop of its own
        ms = sorted(x * 1000 for x in latencies) or [float("inf")]
        cuts = quantiles(ms, n=100, method="inclusive") if len(ms) > 1 else ms * 99
        return {
            "offered_rps": rate,
            "requests": count,
            "errors": len(errors),
            "error_kinds": sorted(set(errors)),
            "achieved_rps": round(len(latencies) / elapsed, 1),
            "p50_ms": round(median(ms), 1),
            "p95_ms": round(cuts[94], 1),
            "p99_ms": round(cuts[98], 1),
            "max_ms": round(ms[-1], 1),
            "connections": connections,
        }

    def close(self) -> None:
        for _, writer in self.idle:
            writer.close()
        self.idle.clear()


# --- the processes: server, database, and the rest of the machine ----------------------


def serve(url: str, port: int, framework: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "HARBOR_DATABASE_URL": url,
        "HARBOR_WEBHOOK_WORKER_ENABLED": "false",
        "HARBOR_FRAMEWORK": framework,
    }
    command = [
        sys.executable, "-m", "uvicorn", "examples.harbor.main:app",
        "--host", "127.0.0.1", "--port", str(port), "--workers", "1",
        "--loop", "uvloop", "--http", "httptools", "--no-access-log", "--log-level", "warning",
    ]  # fmt: skip
    # Harbor's own JSON logs stay on (as in production) and go to /dev/null.
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip


def wait_ready(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("the Harbor server exited during start-up")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health/ready", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError("the Harbor server did not become ready")


def stop(server: subprocess.Popen[bytes]) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def tree(pid: int) -> list[int]:
    """`pid` and its descendants (Linux /proc)."""
    found, queue = [], [pid]
    while queue:
        each = queue.pop()
        found.append(each)
        children = Path(f"/proc/{each}/task/{each}/children")
        with suppress(OSError):
            queue += [int(child) for child in children.read_text().split()]
    return found


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of the processes `pids` (those still alive)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / CLK_TCK


def machine_busy_seconds() -> float:
    """CPU seconds all processes of the machine spent busy since boot (/proc/stat)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / CLK_TCK


@dataclass
class Measured:
    """What the measurement's own processes are: the foreign CPU is everything else."""

    server: int
    database: int | None  # the PostgreSQL postmaster

    def pids(self) -> list[int]:
        ours = tree(os.getpid()) + tree(self.server)
        return ours + (tree(self.database) if self.database else [])


def step(loop: OpenLoop, measured: Measured, rate: float, seconds: float) -> dict[str, Any]:
    """One rate for `seconds`, with the server's and the rest of the machine's CPU."""
    pids = measured.pids()
    load = os.getloadavg()[0]
    busy, ours, server = (
        machine_busy_seconds(),
        cpu_seconds(pids),
        cpu_seconds(tree(measured.server)),
    )
    started = time.perf_counter()
    figures = run_loop(loop.run(rate, seconds))
    wall = time.perf_counter() - started
    busy, ours = machine_busy_seconds() - busy, cpu_seconds(pids) - ours
    server = cpu_seconds(tree(measured.server)) - server
    figures["server_cpu_ms_per_order"] = round(server * 1000 / figures["requests"], 2)
    figures["foreign_cores"] = round(max(0.0, busy - ours) / wall, 2)
    figures["load_average"] = round(load, 2)
    figures["sustained"] = figures["errors"] == 0 and figures["p95_ms"] < TARGET_MS
    return figures


class Search:
    """Raise the rate by `factor` until it fails, then bisect down to `precision`."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.good = 0.0
        self.bad: float | None = None
        self.rate: float | None = float(args.start_rate)
        self.steps: list[dict[str, Any]] = []

    def record(self, figures: dict[str, Any]) -> None:
        """Take one step's figures; a disturbed one is measured again (the rate stays)."""
        self.steps.append(figures)
        repeats = sum(s["offered_rps"] == self.rate for s in self.steps)
        if figures["foreign_cores"] > self.args.max_foreign and repeats <= self.args.repeats:
            return
        assert self.rate is not None
        if figures["sustained"]:
            self.good = self.rate
        else:
            self.bad = self.rate
        if self.bad is None:
            grown = round(self.rate * self.args.factor, 1)
            self.rate = grown if grown <= self.args.max_rate else None
        elif self.bad - self.good > max(5.0, self.good * self.args.precision):
            self.rate = round((self.good + self.bad) / 2, 1)
        else:
            self.rate = None  # done

    def result(self) -> dict[str, Any]:
        there = [s for s in self.steps if s["sustained"] and s["offered_rps"] == self.good]
        return {
            "sustained_rps": self.good,
            "first_failed_rps": self.bad,
            "at_sustained": there[-1] if there else None,
            "steps": self.steps,
        }


@dataclass
class Target:
    """One framework's server under test, its load generator and its search."""

    framework: str
    server: subprocess.Popen[bytes]
    loop: OpenLoop
    search: Search


def interleaved(targets: list[Target], postmaster: int | None, args: argparse.Namespace) -> None:
    """Step each target in turn until every search is done.

    The servers run side by side (the one not measured is idle), so a disturbance of the
    shared machine falls on both frameworks' steps alike rather than on one search.
    """
    while any(t.search.rate is not None for t in targets):
        for target in targets:
            rate = target.search.rate
            if rate is None:
                continue
            figures = step(target.loop, Measured(target.server.pid, postmaster), rate, args.seconds)
            target.search.record(figures)
            print(f"  {target.framework:8} {rate:7.1f}/s  {json.dumps(figures)}", flush=True)
            time.sleep(1.0)  # let the server drain anything left


# --- databases ------------------------------------------------------------------------


@contextmanager
def databases(names: list[str]) -> Iterator[dict[str, Any]]:
    """For each database kind, a factory of fresh, migrated, seeded databases."""
    from examples.harbor.core.config import Settings
    from examples.harbor.seed import prepare_demo

    made: dict[str, Any] = {}
    tmp = tempfile.TemporaryDirectory()
    cluster = None
    try:
        counter = iter(range(1000))

        def fresh(kind: str) -> tuple[str, str]:
            if kind == "sqlite":
                url = f"sqlite+aiosqlite:///{tmp.name}/harbor-{next(counter)}.db"
            else:
                assert cluster is not None
                url = cluster.url(cluster.create_database())
            key = asyncio.run(prepare_demo(Settings(_env_file=None, database_url=url))).api_key
            return url, key

        if "postgresql" in names:
            from tests.harbor.pg_cluster import PostgresCluster, find_bindir

            bindir = find_bindir()
            if bindir is None:
                raise RuntimeError("no PostgreSQL server installed (apt-get install postgresql)")
            cluster = PostgresCluster(bindir)
            cluster.start(durable=True)
        made["fresh"] = fresh
        made["postmaster"] = (
            int((cluster.data / "postmaster.pid").read_text().split()[0]) if cluster else None
        )
        yield made
    finally:
        if cluster is not None:
            cluster.stop()
        tmp.cleanup()


def capacity(
    kind: str, frameworks: list[str], dbs: dict[str, Any], args: argparse.Namespace
) -> dict[str, Any]:
    """The sustainable rate of each framework on `kind`, each on a fresh database."""
    targets: list[Target] = []
    try:
        for framework in frameworks:
            url, api_key = dbs["fresh"](kind)
            port = free_port()
            server = serve(url, port, framework)
            targets.append(Target(framework, server, OpenLoop(port, api_key), Search(args)))
            wait_ready(port, server)
            run_loop(targets[-1].loop.run(args.start_rate, 3.0))  # warm-up: pool, caches
        interleaved(targets, dbs["postmaster"] if kind == "postgresql" else None, args)
        return {t.framework: t.search.result() for t in targets}
    finally:
        for target in targets:
            stop(target.server)


# --- database round trips per order ---------------------------------------------------


class CountingProxy:
    """A loopback TCP proxy in front of PostgreSQL counting round trips.

    A round trip is a burst of client bytes sent after the server last spoke (or first), so
    pipelined messages count once, as they cost one wait.
    """

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.round_trips = 0
        self.port = free_port()
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        threading.Thread(target=self.loop.run_forever, daemon=True).start()
        asyncio.run_coroutine_threadsafe(self._listen(), self.loop).result()

    async def _listen(self) -> None:
        self.server = await asyncio.start_server(self._client, "127.0.0.1", self.port)

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        state = {"server_spoke": True}

        async def pump(source: asyncio.StreamReader, sink: asyncio.StreamWriter, up: bool) -> None:
            while data := await source.read(65536):
                if up and state["server_spoke"]:
                    self.round_trips += 1
                state["server_spoke"] = not up
                sink.write(data)
                await sink.drain()
            sink.close()

        await asyncio.gather(
            pump(reader, up_writer, True), pump(up_reader, writer, False), return_exceptions=True
        )


def count_round_trips(kind: str, dbs: dict[str, Any], orders: int = 50) -> dict[str, Any]:
    """Database round trips per order creation, in process (Accord), after a warm-up."""
    from starlette.testclient import TestClient

    from examples.harbor.core.config import Settings
    from examples.harbor.main import create_app

    url, api_key = dbs["fresh"](kind)
    counter: dict[str, int] = {"n": 0}
    undo = None
    if kind == "postgresql":
        port = int(url.rsplit(":", 1)[1].split("/", 1)[0])
        proxy = CountingProxy(port)
        url = url.replace(f":{port}/", f":{proxy.port}/")

        def read() -> int:
            return proxy.round_trips
    else:  # SQLite runs in a thread of its own: each call into it is the round trip
        import aiosqlite.core

        original = aiosqlite.core.Connection._execute

        async def counted(self: Any, fn: Any, *a: Any, **k: Any) -> Any:
            counter["n"] += 1
            return await original(self, fn, *a, **k)

        aiosqlite.core.Connection._execute = counted  # type: ignore[method-assign]

        def undo() -> None:
            aiosqlite.core.Connection._execute = original  # type: ignore[method-assign]

        def read() -> int:
            return counter["n"]

    settings = Settings(_env_file=None, database_url=url, webhook_worker_enabled=False,
                        migrate_on_startup=False, log_level="WARNING")  # fmt: skip
    try:
        with TestClient(create_app(settings)) as client:

            def create() -> None:
                headers = {"X-API-Key": api_key, "Idempotency-Key": uuid.uuid4().hex,
                           "Content-Type": "application/json"}  # fmt: skip
                answer = client.post("/api/v1/orders", content=BODY, headers=headers)
                assert answer.status_code == 201, answer.text

            for _ in range(10):
                create()  # warm-up: the pool's connection, prepared statements
            before = read()
            for _ in range(orders):
                create()
            per_order = (read() - before) / orders
    finally:
        if undo is not None:
            undo()
    return {"round_trips_per_order": round(per_order, 2), "orders": orders}


# --- report ---------------------------------------------------------------------------


def markdown(doc: dict[str, Any]) -> str:
    meta = doc["meta"]
    rows = []
    for kind, by_framework in doc["capacity"].items():
        for framework, r in by_framework.items():
            if "error" in r:
                rows.append(f"| {kind} | {framework} | failed: {r['error']} | | | | | |")
                continue
            at = r["at_sustained"] or {}
            rows.append(
                f"| {kind} | {framework} | **{r['sustained_rps']:g}** | {r['first_failed_rps']} | "
                f"{at.get('p50_ms', '')} / {at.get('p95_ms', '')} | "
                f"{at.get('server_cpu_ms_per_order', '')} | {at.get('load_average', '')} / "
                f"{at.get('foreign_cores', '')} | {len(r['steps'])} |"
            )
    ratios = ", ".join(f"{kind} **{ratio}x**" for kind, ratio in doc["ratios"].items())
    trips = ", ".join(
        f"{kind} {t['round_trips_per_order']:g}" for kind, t in doc["round_trips"].items()
    )
    return "\n".join(
        [
            START,
            "## Harbor example: sustainable order rate, Accord and FastAPI",
            "",
            f"Open loop: `POST /api/v1/orders` (two lines, new Idempotency-Key each) at a "
            f"constant arrival rate scheduled by the clock, latency from the scheduled time; "
            f"a rate is sustained when every answer is a 201 and p95 < {TARGET_MS:.0f} ms "
            f"({meta['seconds']} s per step). One Uvicorn worker (uvloop, httptools), "
            f"{meta['cpus']} CPUs shared with the load generator and the database; "
            f"{meta['date']}{' (quick run)' if meta['quick'] else ''}. The same Harbor code on "
            f"Accord and on FastAPI {meta['fastapi']} (`HARBOR_FRAMEWORK`).",
            "",
            "| database | framework | sustained orders/s | first failed | p50 / p95 ms there | "
            "server CPU ms/order | load avg / foreign cores | steps |",
            "|---|---|---|---|---|---|---|---|",
            *rows,
            "",
            f"Accord / FastAPI sustainable rate: {ratios}. Database round trips per order "
            f"(Accord, in process, after warm-up): {trips}. 'foreign cores' is the CPU that "
            "processes outside the measurement used during the step (other work on the shared "
            "machine; a step above the limit was measured again). SQLite runs in WAL mode with "
            "`synchronous=NORMAL`; PostgreSQL 15 with fsync on and `synchronous_commit=off`. "
            "Script: `python -m benchmarks.harbor_load`.",
            END,
        ]
    )


def write(doc: dict[str, Any]) -> None:
    (HERE / "harbor_results.json").write_text(json.dumps(doc, indent=2) + "\n")
    section = markdown(doc)
    (HERE / "harbor_results.md").write_text(section + "\n")
    results = HERE / "RESULTS.md"
    if results.exists():
        text = results.read_text()
        if START in text and END in text:
            text = text[: text.index(START)] + section + text[text.index(END) + len(END) :]
        else:
            text = text.rstrip("\n") + "\n\n" + section + "\n"
        results.write_text(text)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.harbor_load", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--frameworks", default=",".join(FRAMEWORKS))
    parser.add_argument("--seconds", type=float, default=8.0, help="length of one rate step")
    parser.add_argument("--start-rate", type=float, default=60.0)
    parser.add_argument("--max-rate", type=float, default=3000.0)
    parser.add_argument("--factor", type=float, default=1.4, help="rate multiplier per step")
    parser.add_argument("--precision", type=float, default=0.05, help="bisect down to this")
    parser.add_argument("--max-foreign", type=float, default=0.3, help="cores; else repeat")
    parser.add_argument("--repeats", type=int, default=2, help="re-measures of a disturbed step")
    parser.add_argument("--quick", action="store_true", help="4 s steps, 10%% precision")
    parser.add_argument("--round-trips-only", action="store_true")
    args = parser.parse_args(argv)
    if args.quick:
        args.seconds, args.precision = 4.0, 0.10
    kinds = args.databases.split(",")
    frameworks = args.frameworks.split(",")
    started_load = os.getloadavg()
    doc: dict[str, Any] = {"capacity": {}, "round_trips": {}, "ratios": {}}
    with databases(kinds) as dbs:
        for kind in kinds:
            doc["round_trips"][kind] = count_round_trips(kind, dbs)
            print(f"harbor: {kind} round trips per order: {doc['round_trips'][kind]}", flush=True)
        if args.round_trips_only:
            print(json.dumps(doc["round_trips"]))
            return
        for n, kind in enumerate(kinds):
            # Alternate which framework steps first, so neither always meets a warmer machine.
            order = frameworks if n % 2 == 0 else frameworks[::-1]
            print(f"harbor: {kind}, {' and '.join(order)}", flush=True)
            found = doc["capacity"][kind] = capacity(kind, order, dbs, args)
            if all(f in found for f in FRAMEWORKS) and found["fastapi"]["sustained_rps"]:
                ratio = found["accord"]["sustained_rps"] / found["fastapi"]["sustained_rps"]
                doc["ratios"][kind] = round(ratio, 2)
    import fastapi

    doc["meta"] = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "quick": args.quick,
        "seconds": args.seconds,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "fastapi": fastapi.__version__,
        "target_p95_ms": TARGET_MS,
        "load_average_at_start": [round(x, 2) for x in started_load],
        "max_foreign_cores": args.max_foreign,
    }
    write(doc)
    print(f"ratios: {doc['ratios']}; wrote {HERE / 'harbor_results.json'}", flush=True)


if __name__ == "__main__":
    main()
