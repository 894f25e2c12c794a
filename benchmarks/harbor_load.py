"""Load test of the Harbor example: p95 latency of order creation under 50 concurrent clients.

For each database (SQLite file, PostgreSQL server) the script prepares a fresh database with
the demo partner, serves Harbor with Uvicorn in a subprocess, and has N clients (default 50)
create orders as fast as they are answered, each request with a new Idempotency-Key, over
keep-alive HTTP/1.1 connections on 127.0.0.1. The clients are a minimal asyncio HTTP/1.1
client (not httpx), so that the load generator costs as little CPU as possible.

    python -m benchmarks.harbor_load            # 50 clients x 100 orders per database
    python -m benchmarks.harbor_load --quick    # 50 clients x 20 orders

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
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path
from statistics import median, quantiles
from typing import Any

import httpx

from examples.harbor.core.config import Settings
from examples.harbor.seed import prepare_demo

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TARGET_MS = 200.0
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


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


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


async def client(
    port: int, api_key: str, count: int, latencies: list[float], errors: list[str]
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        for _ in range(count):
            payload = request_bytes(api_key)
            started = time.perf_counter()
            writer.write(payload)
            status = await read_response(reader)
            latencies.append(time.perf_counter() - started)
            if status != 201:
                errors.append(str(status))
    finally:
        writer.close()


async def load(port: int, api_key: str, clients: int, per_client: int) -> dict[str, Any]:
    latencies: list[float] = []
    errors: list[str] = []
    started = time.perf_counter()
    await asyncio.gather(
        *(client(port, api_key, per_client, latencies, errors) for _ in range(clients))
    )
    elapsed = time.perf_counter() - started
    ms = sorted(x * 1000 for x in latencies)
    cuts = quantiles(ms, n=100, method="inclusive")
    return {
        "requests": len(ms),
        "errors": len(errors),
        "error_statuses": sorted(set(errors)),
        "p50_ms": round(median(ms), 1),
        "p95_ms": round(cuts[94], 1),
        "p99_ms": round(cuts[98], 1),
        "max_ms": round(ms[-1], 1),
        "throughput_rps": round(len(ms) / elapsed, 1),
    }


def serve(url: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "HARBOR_DATABASE_URL": url, "HARBOR_WEBHOOK_WORKER_ENABLED": "false"}
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "examples.harbor.main:app",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    # Harbor's own JSON logs stay on (as in production) and go to /dev/null.
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


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


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process `pid` and its children (Linux /proc)."""
    total = 0.0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(child) for child in children.read_text().split()]
    for each in pids:
        fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def measure(url: str, args: argparse.Namespace) -> dict[str, Any]:
    """Prepare the database, serve, warm up, then measure; the figures for one database."""
    # Settings as the server reads them (.env included), so the seeded key's hash matches.
    api_key = asyncio.run(prepare_demo(Settings(database_url=url))).api_key
    port = free_port()
    server = serve(url, port, args.workers)
    try:
        wait_ready(port, server)
        asyncio.run(load(port, api_key, args.clients, 5))  # warm-up: connections, caches
        cpu_before, load_before = cpu_seconds(server.pid), os.getloadavg()[0]
        figures = asyncio.run(load(port, api_key, args.clients, args.per_client))
        cpu = cpu_seconds(server.pid) - cpu_before
        figures["server_cpu_ms_per_order"] = round(cpu * 1000 / figures["requests"], 2)
        figures["load_average_before"] = round(load_before, 2)
        return figures
    finally:
        stop(server)


def run_postgresql(args: argparse.Namespace) -> dict[str, Any]:
    if args.pg_url:
        return measure(args.pg_url, args)
    from tests.harbor.pg_cluster import PostgresCluster, find_bindir

    bindir = find_bindir()
    if bindir is None:
        raise RuntimeError(
            "no PostgreSQL server installed (apt-get install postgresql) and no --pg-url"
        )
    cluster = PostgresCluster(bindir)
    cluster.start(durable=True)
    try:
        return measure(cluster.url(cluster.create_database()), args)
    finally:
        cluster.stop()


def markdown(doc: dict[str, Any]) -> str:
    meta = doc["meta"]
    rows = []
    for database, r in doc["results"].items():
        if "error" in r:
            rows.append(f"| {database} | failed: {r['error']} | | | | | | | |")
            continue
        verdict = "met" if r["p95_ms"] < TARGET_MS and r["errors"] == 0 else "**missed**"
        rows.append(
            f"| {database} | {r['p50_ms']} | **{r['p95_ms']}** | {r['p99_ms']} | "
            f"{r['throughput_rps']:,} | {r['server_cpu_ms_per_order']} | "
            f"{r['load_average_before']} | {r['requests']:,} / {r['errors']} | {verdict} |"
        )
    return "\n".join(
        [
            START,
            "## Harbor example: order creation under load",
            "",
            f"`POST /api/v1/orders` (two lines, new Idempotency-Key each), {meta['clients']} "
            f"concurrent keep-alive clients, Uvicorn with {meta['workers']} worker(s), "
            f"{meta['cpus']} CPUs shared with the load generator and the database; "
            f"{meta['date']}{' (quick run)' if meta['quick'] else ''}. Target: p95 < {TARGET_MS:.0f} ms.",
            "",
            "| database | p50 ms | p95 ms | p99 ms | orders/s | server CPU ms/order | "
            "load avg before | requests / errors | p95 target |",
            "|---|---|---|---|---|---|---|---|---|",
            *rows,
            "",
            "Each order is one transaction: idempotency key claimed (insert-first on a unique "
            "index), order and lines inserted, response stored. SQLite runs in WAL mode with "
            "`synchronous=NORMAL`; PostgreSQL 15 runs with fsync on and "
            "`synchronous_commit=off` (the same durability). With zero think time, 50 clients "
            "keep 50 requests in flight, so latency is about 50 / throughput: the p95 target "
            "needs ~300 orders/s from one worker. 'load avg before' is the machine's 1-minute "
            "load average when the run started (other work on the shared machine). "
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
        elif "\n## Problems" in text:  # where report.render puts it
            at = text.index("\n## Problems") + 1
            text = text[:at] + section + "\n\n" + text[at:]
        else:
            text = text.rstrip("\n") + "\n\n" + section + "\n"
        results.write_text(text)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.harbor_load", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--per-client", type=int, default=100, help="orders each client creates")
    parser.add_argument("--quick", action="store_true", help="20 orders per client")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--pg-url", default=None, help="use this server instead of a throwaway one")
    args = parser.parse_args(argv)
    if args.quick:
        args.per_client = 20
    results: dict[str, Any] = {}
    for database in args.databases.split(","):
        print(
            f"harbor load: {database}, {args.clients} clients x {args.per_client} orders...",
            flush=True,
        )
        try:
            if database == "sqlite":
                with tempfile.TemporaryDirectory() as tmp:
                    results[database] = measure(f"sqlite+aiosqlite:///{tmp}/harbor.db", args)
            else:
                results[database] = run_postgresql(args)
        except Exception as exc:  # reported in the document, not fatal for the other database
            results[database] = {"error": f"{type(exc).__name__}: {exc}"}
        print(f"  {results[database]}", flush=True)
    doc = {
        "meta": {
            "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "clients": args.clients,
            "per_client": args.per_client,
            "workers": args.workers,
            "quick": args.quick,
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "target_p95_ms": TARGET_MS,
        },
        "results": results,
    }
    write(doc)
    print(f"wrote {HERE / 'harbor_results.json'} and the Harbor section of RESULTS.md", flush=True)


if __name__ == "__main__":
    main()
