"""Over-HTTP harness: each app under a real server on one core, ``wrk`` on the other.

Servers listen on 127.0.0.1 only and every load run is bounded by ``wrk -d``. All servers of
one phase start together (idle servers cost nothing), then runs are interleaved app by app so
that drift of the machine spreads evenly; every server is stopped at the end, even on errors.
"""

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from statistics import median
from typing import Any

from benchmarks.scenarios import Scenario

ROOT = Path(__file__).resolve().parent.parent
SERVER_CPU, CLIENT_CPU = "0", "1"
HOST = "127.0.0.1"


@dataclass(frozen=True)
class Load:
    """How hard and how long to hit each endpoint.

    Attributes:
        duration: seconds of one measured ``wrk`` run.
        warmup: seconds of the unmeasured run before the first measured one.
        rounds: measured runs per app and endpoint (the median is reported).
        connections: concurrent keep-alive connections.
    """

    duration: int = 4
    warmup: int = 1
    rounds: int = 3
    connections: int = 64


def free_port() -> int:
    """A TCP port on the loopback interface that nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def server_command(kind: str, framework: str, port: int) -> list[str]:
    """The pinned command line that serves ``framework``'s app with ``kind`` (uvicorn/granian)."""
    target = f"benchmarks.apps.serve:{framework}"
    pin = ["taskset", "-c", SERVER_CPU, sys.executable, "-m"]
    if kind == "uvicorn":
        return [
            *pin,
            "uvicorn",
            target,
            "--host",
            HOST,
            "--port",
            str(port),
            "--loop",
            "uvloop",
            "--http",
            "httptools",
            "--no-access-log",
            "--workers",
            "1",
            "--log-level",
            "warning",
        ]
    if kind == "granian":
        return [
            *pin,
            "granian",
            "--interface",
            "asgi",
            "--host",
            HOST,
            "--port",
            str(port),
            "--workers",
            "1",
            "--runtime-threads",
            "1",
            "--loop",
            "uvloop",
            "--no-ws",
            "--no-access-log",
            "--log-level",
            "warning",
            target,
        ]
    raise ValueError(f"unknown server {kind!r}")


@dataclass
class Server:
    """A running server process (its own process group) and where it listens."""

    kind: str
    framework: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    def stop(self) -> None:
        """Stop the server's process group: TERM, then KILL after 5 seconds."""
        if self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-1500:] if self.log.exists() else ""


def request(port: int, scenario: Scenario, timeout: float = 5.0) -> tuple[int, bytes]:
    """Send ``scenario`` once over HTTP and return (status, body)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request(
            scenario.method,
            scenario.target,
            body=scenario.body or None,
            headers=dict(scenario.headers),
        )
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def _wait_ready(server: Server, probe: Scenario, deadline: float) -> None:
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.kind}/{server.framework} exited:\n{server.log_tail()}")
        try:
            request(server.port, probe, timeout=1.0)
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{server.kind}/{server.framework} not ready:\n{server.log_tail()}")


@contextmanager
def running(
    kind: str, frameworks: list[str], probe: Scenario, logs: Path
) -> Iterator[dict[str, Server]]:
    """Start one server per framework, wait until each answers, and always stop them all."""
    servers: dict[str, Server] = {}
    try:
        for framework in frameworks:
            port = free_port()
            log = logs / f"{kind}-{framework}.log"
            with log.open("wb") as sink:
                process = subprocess.Popen(
                    server_command(kind, framework, port),
                    cwd=ROOT,
                    stdout=sink,
                    stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL,
                    start_new_session=True,
                )
            servers[framework] = Server(kind, framework, port, process, log)
        deadline = time.monotonic() + 60
        for server in servers.values():
            _wait_ready(server, probe, deadline)
        yield servers
    finally:
        for server in servers.values():
            server.stop()


def lua_script(scenario: Scenario) -> str:
    """A wrk script that sends ``scenario``'s method, headers and body."""
    lines = [f'wrk.method = "{scenario.method}"']
    for name, value in scenario.headers:
        lines.append(f'wrk.headers["{name}"] = "{value}"')
    if scenario.body:
        lines.append(f"wrk.body = [==[{scenario.body.decode()}]==]")
    return "\n".join(lines) + "\n"


_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s)", text)
    if not match:
        raise ValueError(f"unreadable latency {text!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def parse_wrk(output: str) -> dict[str, Any]:
    """Requests/s, p50/p99 latency (ms), request count and error count from ``wrk --latency``."""
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if rps is None:
        raise ValueError(f"no Requests/sec in wrk output:\n{output}")
    percentiles = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)\s*$", output, re.MULTILINE))
    if "50" not in percentiles or "99" not in percentiles:
        raise ValueError(f"no latency distribution in wrk output:\n{output}")
    total = re.search(r"(\d+) requests in", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), "
        r"timeout (\d+)",
        output,
    )
    errors = int(non_2xx.group(1)) if non_2xx else 0
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    return {
        "rps": float(rps.group(1)),
        "p50_ms": _ms(percentiles["50"]),
        "p99_ms": _ms(percentiles["99"]),
        "requests": int(total.group(1)) if total else 0,
        "errors": errors,
    }


def run_wrk(port: int, scenario: Scenario, seconds: int, connections: int, script: Path) -> str:
    """One bounded wrk run against ``scenario`` on ``port``; returns wrk's report."""
    wrk = shutil.which("wrk")
    if wrk is None:
        raise RuntimeError("wrk is not installed (Debian: apt-get install wrk)")
    command = [
        "taskset",
        "-c",
        CLIENT_CPU,
        wrk,
        "-t1",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
        "--timeout",
        "5s",
        "-s",
        str(script),
        f"http://{HOST}:{port}{scenario.target}",
    ]
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 30, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr.strip()}")
    return done.stdout


def _check(server: Server, scenario: Scenario) -> dict[str, Any]:
    status, body = request(server.port, scenario)
    check = {"status": status, "body": body.decode("utf-8", "replace")}
    if not scenario.ok(status):
        check["error"] = f"status {status}, expected {scenario.status}"
    return check


def _summary(runs: list[dict[str, Any]], check: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = {"check": check, "runs": runs}
    if runs:
        result["rps"] = median(r["rps"] for r in runs)
        result["p99_ms"] = median(r["p99_ms"] for r in runs)
        result["errors"] = sum(r["errors"] for r in runs)
    return result


@dataclass
class Endpoint:
    """One app's server and one scenario, with the runs measured so far."""

    server: Server
    scenario: Scenario
    script: Path
    check: dict[str, Any]
    runs: list[dict[str, Any]]

    def measure(self, load: Load, warm_up: bool) -> None:
        """One measured wrk run (after an unmeasured warm-up run when asked)."""
        args = (self.server.port, self.scenario)
        try:
            if warm_up and load.warmup:
                run_wrk(*args, load.warmup, load.connections, self.script)
            report = run_wrk(*args, load.duration, load.connections, self.script)
            self.runs.append(parse_wrk(report))
        except Exception as exc:  # one failed run must not lose the others
            self.check.setdefault("run_errors", []).append(f"{type(exc).__name__}: {exc}")


def _endpoints(
    servers: dict[str, Server], plan: dict[str, list[Scenario]], key: str, workdir: Path
) -> dict[str, Endpoint]:
    endpoints = {}
    for framework, scenarios in plan.items():
        for scenario in scenarios:
            if scenario.key == key:
                script = workdir / f"{key}.lua"
                script.write_text(lua_script(scenario))
                check = _check(servers[framework], scenario)
                endpoints[framework] = Endpoint(servers[framework], scenario, script, check, [])
    return endpoints


def benchmark(
    kind: str, plan: dict[str, list[Scenario]], load: Load, workdir: Path, log: Any = print
) -> dict[str, dict[str, Any]]:
    """Measure every (framework, scenario) of ``plan`` under ``kind``; runs interleave apps."""
    probe = next(iter(plan.values()))[0]
    results: dict[str, dict[str, Any]] = {f: {} for f in plan}
    keys = list(dict.fromkeys(s.key for scenarios in plan.values() for s in scenarios))
    with running(kind, list(plan), probe, workdir) as servers:
        for key in keys:
            endpoints = _endpoints(servers, plan, key, workdir)
            for round_ in range(load.rounds):
                for endpoint in endpoints.values():
                    if "error" not in endpoint.check:
                        endpoint.measure(load, warm_up=round_ == 0)
            for framework, endpoint in endpoints.items():
                results[framework][key] = _summary(endpoint.runs, endpoint.check)
                log(f"  {kind:8} {framework:10} {key:13} " + _brief(results[framework][key]))
    return results


def _brief(result: dict[str, Any]) -> str:
    if "rps" in result:
        return f"{result['rps']:10.0f} req/s  p99 {result['p99_ms']:7.2f} ms"
    return f"ERROR {result['check'].get('error', '')}"


def temp_workdir() -> tempfile.TemporaryDirectory[str]:
    """A scratch directory for wrk scripts and server logs."""
    return tempfile.TemporaryDirectory(prefix="accord-bench-")
