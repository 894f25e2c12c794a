"""Soak test: an app under Uvicorn, hundreds of thousands of mixed requests, nothing drifts.

    python -m benchmarks.soak                          # 500,000 requests, example app
    python -m benchmarks.soak --requests 100000 --app examples.demo:app
    make soak                                          # the same, SOAK_ARGS passed through

The server runs in its own process (one Uvicorn worker). A local load generator sends a
fixed mix of requests (wrk with a Lua script when installed, else a multi-process
keep-alive client). After a warm-up the server's resident memory (VmRSS) and open file
descriptors are sampled, then again after each segment of the main run. Pass criteria:
RSS at the end within 5% of RSS after warm-up, no error response (status >= 400) and no
socket error, open descriptors back to the post-warm-up count. The figures are printed
and written to ``benchmarks/soak_results.json``; the exit status is 1 on a failed check.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import importlib
import json
import multiprocessing
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "soak_results.json"
HARBOR = "examples.harbor.main:app"
DEMO = "examples.demo:app"

Request = tuple[str, str, dict[str, str], str]  # method, path, headers, body


def default_app() -> str:
    """The Harbor example when it imports, else the small demo app."""
    with contextlib.suppress(Exception):
        importlib.import_module(HARBOR.split(":")[0])
        return HARBOR
    return DEMO


# ---------------------------------------------------------------- request mixes


def demo_mix(base: str) -> list[Request]:
    key = {"x-api-key": "demo-key"}
    for _ in range(3):  # orders to read back; the measured mix itself writes nothing
        _http(base, "POST", "/orders", {**key, "content-type": "application/json"}, DEMO_ORDER)
    return [
        ("GET", "/health", {}, ""),
        ("GET", "/orders?limit=2", key, ""),
        ("GET", "/orders/1", key, ""),
        ("GET", "/orders/2", key, ""),
        ("GET", "/openapi.json", {}, ""),
        ("GET", "/health", {}, ""),
    ]


DEMO_ORDER = json.dumps(
    {
        "customer_email": "ann@example.com",
        "currency": "EUR",
        "lines": [{"sku": "A-1", "quantity": 2, "unit_price": "9.90"}],
    }
)


def harbor_mix(base: str, key: str | None) -> list[Request]:
    mix: list[Request] = [
        ("GET", "/health/live", {}, ""),
        ("GET", "/health/ready", {}, ""),
        ("GET", "/openapi.json", {}, ""),
    ]
    if key:
        auth = {"x-api-key": key}
        if _http(base, "GET", "/api/v1/orders?limit=5", auth, "")[0] == 200:
            mix += [("GET", "/api/v1/orders?limit=5", auth, "")] * 3
        else:
            print("  (the seeded API key was refused: the mix has no authenticated route)")
    return mix


def _harbor_key(env: dict[str, str]) -> str | None:
    """Seed the demo partner in the soak database; its API key, or None when that fails."""
    code = (
        "import asyncio; from examples.harbor.seed import prepare_demo;"
        "from examples.harbor.core.config import Settings;"
        "print(asyncio.run(prepare_demo(Settings())).api_key)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    lines = done.stdout.strip().splitlines()
    return lines[-1] if done.returncode == 0 and lines else None


# ---------------------------------------------------------------- server


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    base: str
    log: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def rss_kib(self) -> int:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise RuntimeError("no VmRSS")

    def fds(self) -> int:
        return len(os.listdir(f"/proc/{self.pid}/fd"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _http(
    base: str, method: str, path: str, headers: dict[str, str], body: str
) -> tuple[int, bytes]:
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        conn.request(method, path, body=body or None, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


@contextlib.contextmanager
def serve(app: str, env: dict[str, str], workdir: Path) -> Iterator[Server]:
    port = _free_port()
    log = workdir / "server.log"
    command = [
        sys.executable, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", str(port),
        "--no-access-log", "--log-level", "warning",
    ]  # fmt: skip
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    server = Server(process, f"http://127.0.0.1:{port}", log)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"server exited at start-up:\n{log.read_text()[-2000:]}")
            with contextlib.suppress(OSError):
                _http(server.base, "GET", "/openapi.json", {}, "")
                break
            time.sleep(0.2)
        else:
            raise RuntimeError("server did not start within 60 s")
        yield server
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()


# ---------------------------------------------------------------- load generators

LUA = """
local requests = {%(requests)s}
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) i = 0; errors = 0 end
function request()
  i = i %% #requests + 1
  return requests[i]
end
function response(status, headers, body)
  if status >= 400 then errors = errors + 1 end
end
function done(summary, latency, reqs)
  local e = 0
  for _, t in ipairs(threads) do e = e + t:get("errors") end
  local s = summary.errors
  io.write(string.format('SOAK_JSON {"requests": %%d, "errors": %%d, "socket_errors": %%d, "p99_ms": %%.2f}\\n',
    summary.requests, e, s.connect + s.read + s.write + s.timeout, latency:percentile(99) / 1000))
end
"""


def _lua_string(text: str) -> str:
    return json.dumps(text)  # a JSON string is a valid Lua string literal for ASCII text


def wrk_script(mix: list[Request], path: Path) -> None:
    entries = []
    for method, target, headers, body in mix:
        header_table = (
            "{"
            + ", ".join(f"[{_lua_string(k)}] = {_lua_string(v)}" for k, v in headers.items())
            + "}"
        )
        body_arg = _lua_string(body) if body else "nil"
        entries.append(
            f"wrk.format({_lua_string(method)}, {_lua_string(target)}, {header_table}, {body_arg})"
        )
    # wrk.format is only available once wrk is loaded: build the strings in init instead.
    script = LUA % {"requests": ""}
    script = script.replace(
        "function init(args) i = 0; errors = 0 end",
        "function init(args)\n  i = 0; errors = 0\n  requests = {" + ", ".join(entries) + "}\nend",
    )
    path.write_text(script)


def run_wrk(
    base: str, script: Path, seconds: float, connections: int, threads: int
) -> dict[str, Any]:
    command = [
        "wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s",
        "--timeout", "10s", "-s", str(script), base,
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 120)
    for line in done.stdout.splitlines():
        if line.startswith("SOAK_JSON "):
            return dict(json.loads(line.removeprefix("SOAK_JSON ")))
    raise RuntimeError(f"wrk failed: {done.stdout}\n{done.stderr}")


def _client_worker(args: tuple[str, list[Request], float]) -> dict[str, int]:
    base, mix, seconds = args
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    counts = {"requests": 0, "errors": 0, "socket_errors": 0}
    deadline = time.monotonic() + seconds
    i = 0
    while time.monotonic() < deadline:
        method, target, headers, body = mix[i % len(mix)]
        i += 1
        try:
            conn.request(method, target, body=body or None, headers=headers)
            response = conn.getresponse()
            response.read()
            counts["requests"] += 1
            counts["errors"] += response.status >= 400
        except (OSError, http.client.HTTPException):
            counts["socket_errors"] += 1
            conn.close()
            conn = http.client.HTTPConnection(host, int(port), timeout=10)
    conn.close()
    return counts


def run_clients(base: str, mix: list[Request], seconds: float, processes: int) -> dict[str, Any]:
    with multiprocessing.Pool(processes) as pool:
        parts = pool.map(_client_worker, [(base, mix, seconds)] * processes)
    return {k: sum(p[k] for p in parts) for k in ("requests", "errors", "socket_errors")}


# ---------------------------------------------------------------- the soak


@dataclass
class Figures:
    app: str
    generator: str
    target_requests: int
    requests: int = 0
    warmup_requests: int = 0
    errors: int = 0
    socket_errors: int = 0
    seconds: float = 0.0
    rate_per_s: float = 0.0
    rss_warm_kib: int = 0
    rss_end_kib: int = 0
    rss_growth_pct: float = 0.0
    fds_warm: int = 0
    fds_end: int = 0
    samples: list[dict[str, Any]] = field(default_factory=list)
    passed: bool = False
    checks: dict[str, bool] = field(default_factory=dict)


def soak(args: argparse.Namespace) -> Figures:
    use_wrk = shutil.which("wrk") is not None and not args.no_wrk
    figures = Figures(args.app, "wrk" if use_wrk else "http.client", args.requests)
    with tempfile.TemporaryDirectory(prefix="accord-soak-") as tmp:
        workdir = Path(tmp)
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "HARBOR_DATABASE_URL": f"sqlite+aiosqlite:///{workdir / 'soak.db'}",
            "HARBOR_LOG_LEVEL": "WARNING",
            "HARBOR_WEBHOOK_WORKER_ENABLED": "false",
        }
        # Harbor: migrate and seed a partner before the server starts (start-up stays quick).
        key = _harbor_key(env) if args.app == HARBOR else None
        with serve(args.app, env, workdir) as server:
            mix = harbor_mix(server.base, key) if args.app == HARBOR else demo_mix(server.base)
            script = workdir / "mix.lua"
            wrk_script(mix, script)

            def load(seconds: float) -> dict[str, Any]:
                if use_wrk:
                    return run_wrk(server.base, script, seconds, args.connections, args.threads)
                return run_clients(server.base, mix, seconds, args.connections)

            warm = load(args.warmup)
            figures.warmup_requests = warm["requests"]
            figures.errors += warm["errors"]
            figures.socket_errors += warm["socket_errors"]
            time.sleep(1)
            figures.rss_warm_kib, figures.fds_warm = server.rss_kib(), server.fds()
            rate = warm["requests"] / args.warmup
            started = time.monotonic()
            for index in range(args.segments):
                # Each segment is planned from the rate seen so far (other work on the machine
                # slows it), so the run reaches the target unless max_seconds cuts it short.
                left = 1.05 * max(args.requests - figures.requests, 0) / max(rate, 1)
                budget = args.max_seconds - (time.monotonic() - started)
                part_seconds = min(budget, left) / (args.segments - index)
                part = load(max(part_seconds, 1.0))
                figures.requests += part["requests"]
                figures.errors += part["errors"]
                figures.socket_errors += part["socket_errors"]
                rate = figures.requests / max(time.monotonic() - started, 1e-9)
                time.sleep(0.5)
                sample = {"segment": index + 1, "requests": figures.requests,
                          "rss_kib": server.rss_kib(), "fds": server.fds()}  # fmt: skip
                figures.samples.append(sample)
                print(f"  segment {index + 1}/{args.segments}: {sample}", flush=True)
            figures.seconds = round(time.monotonic() - started, 1)
            figures.rss_end_kib, figures.fds_end = server.rss_kib(), server.fds()
    figures.rate_per_s = round(figures.requests / max(figures.seconds, 1e-9), 1)
    figures.rss_growth_pct = round(100 * (figures.rss_end_kib / figures.rss_warm_kib - 1), 2)
    figures.checks = {
        "requests >= target": figures.requests >= args.requests,
        "rss growth < 5%": figures.rss_growth_pct < 5,
        "no error responses": figures.errors == 0 and figures.socket_errors == 0,
        "fds stable": figures.fds_end <= figures.fds_warm,
    }
    figures.passed = all(figures.checks.values())
    return figures


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--app", default=None, help=f"module:attribute (default {HARBOR}, else {DEMO})"
    )
    parser.add_argument("--requests", type=int, default=500_000, help="requests in the main run")
    parser.add_argument(
        "--max-seconds", type=float, default=2400, help="upper bound of the main run (s)"
    )
    parser.add_argument("--warmup", type=float, default=15, help="warm-up seconds")
    parser.add_argument("--segments", type=int, default=5, help="samples taken during the main run")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--no-wrk", action="store_true", help="use the Python load generator")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    args.app = args.app or default_app()
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    print(f"soak: {args.app}, target {args.requests:,} requests (at most {args.max_seconds:.0f} s)")
    figures = soak(args)
    payload = {
        **figures.__dict__,
        "recorded_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    args.output.write_text(json.dumps(payload, indent=2) + "\n")
    for name, ok in figures.checks.items():
        print(f"  [{'ok' if ok else 'FAIL'}] {name}")
    print(
        f"  {figures.requests:,} requests in {figures.seconds} s ({figures.rate_per_s}/s), "
        f"errors {figures.errors}, socket errors {figures.socket_errors}; RSS "
        f"{figures.rss_warm_kib} -> {figures.rss_end_kib} KiB ({figures.rss_growth_pct:+}%), "
        f"fds {figures.fds_warm} -> {figures.fds_end}; written to {args.output}"
    )
    return 0 if figures.passed else 1


if __name__ == "__main__":
    raise SystemExit(main())
