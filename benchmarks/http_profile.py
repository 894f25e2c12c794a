"""Where a request's time goes between the server and the endpoint, over HTTP.

Each app (the bare ASGI callable, the server's own floor; Accord's app, which is FastAPI's app
source) runs under Uvicorn with httptools and uvloop, pinned to one core, with ``wrk`` on the
other; ``py-spy`` samples the server process (without pausing it) while ``wrk`` loads it. Each
sample is charged to the innermost Python frame, grouped by where that frame's code lives:
the server (Uvicorn), the event loop (uvloop's C code shows in the asyncio frame that runs
it), Starlette, Accord's
parts (the route table, the request runner, the response), the app's own code, and the rest.
Samples in which the process waits for the network (idle) are left out, so the shares are of
the CPU the server spent.

    python -m benchmarks.http_profile              # plaintext and json, 8 s each
    python -m benchmarks.http_profile --seconds 4

The summary goes to ``benchmarks/http_profile.md``, which ``RESULTS.md`` includes.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import threading
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.overhttp import lua_script, parse_wrk, run_wrk, running
from benchmarks.scenarios import by_key

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "http_profile.md"
FRAMEWORKS = ("raw", "accord")
ENDPOINTS = ("plaintext", "json")
CONNECTIONS = 64

# A frame reads ``function (path:line)``, its path relative to its import root; the first rule
# whose prefix starts the path names the frame's part.
PARTS: tuple[tuple[str, str], ...] = (
    ("accord/_routing/", "Accord: route table"),
    ("accord/_runtime/encode", "Accord: response"),
    ("accord/_runtime/", "Accord: request runner"),
    ("accord/", "Accord: other"),
    ("starlette/", "Starlette"),
    ("uvicorn/", "Uvicorn"),
    ("httptools/", "Uvicorn"),
    ("asyncio/", "event loop"),
    ("benchmarks/apps/", "app code"),
)


@dataclass(frozen=True)
class Profile:
    """One app's samples on one endpoint: busy samples by part and by function."""

    framework: str
    endpoint: str
    rps: float
    by_part: Counter[str]
    by_function: Counter[str]

    @property
    def busy(self) -> int:
        return sum(self.by_part.values())


def part_of(frame: str) -> str:
    """The part of the stack a collapsed-stack frame (``function (file:line)``) belongs to."""
    _, _, where = frame.rpartition(" (")
    for prefix, part in PARTS:
        if where.startswith(prefix) or f"/{prefix}" in where:
            return part
    return "other"


def read_collapsed(text: str) -> tuple[Counter[str], Counter[str]]:
    """Samples by part and by innermost function, from py-spy's ``--format raw`` output."""
    by_part: Counter[str] = Counter()
    by_function: Counter[str] = Counter()
    for line in text.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        leaf = stack.split(";")[-1]
        by_part[part_of(leaf)] += int(count)
        by_function[leaf] += int(count)
    return by_part, by_function


def profile(framework: str, endpoint: str, seconds: int, workdir: Path) -> Profile:
    """Runs ``framework``'s app under load and samples it; the request rate is measured in a
    run of its own, without the sampler."""
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    scenario = by_key(endpoint)
    script = workdir / f"{endpoint}.lua"
    script.write_text(lua_script(scenario))
    with running("uvicorn", [framework], scenario, workdir) as servers:
        server = servers[framework]
        run_wrk(server.port, scenario, 2, CONNECTIONS, script)  # warm-up
        rps = parse_wrk(run_wrk(server.port, scenario, seconds, CONNECTIONS, script))["rps"]
        samples = workdir / f"{framework}-{endpoint}.txt"
        load = threading.Thread(
            target=run_wrk, args=(server.port, scenario, seconds + 2, CONNECTIONS, script)
        )
        load.start()
        try:
            subprocess.run(
                [spy, "record", "--pid", str(server.process.pid), "--duration", str(seconds),
                 "--rate", "250", "--nonblocking", "--format", "raw", "-o", str(samples)],
                capture_output=True, check=True, timeout=seconds + 30,
            )
        finally:
            load.join()
    by_part, by_function = read_collapsed(samples.read_text())
    return Profile(framework, endpoint, rps, by_part, by_function)


def render(profiles: list[Profile], seconds: int) -> str:
    """The markdown section: floor ratio, shares by part, Accord's busiest functions."""
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "## Over HTTP: where the time goes (py-spy)",
        "",
        f"Uvicorn (httptools, uvloop), one worker on one core, `wrk -c{CONNECTIONS}` on the "
        f"other; {seconds} s per run, {when}. 'raw' is a bare ASGI callable: the server's own "
        "floor. Shares are of the server's busy samples, each charged to its innermost Python "
        "frame (the event loop's C code is not sampled: its time shows in its Python callers). "
        "Script: `python -m benchmarks.http_profile`.",
        "",
    ]
    parts = sorted({part for p in profiles for part in p.by_part})
    header = ["endpoint", "app", "requests/s", "of the floor", *parts]
    lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    floors = {p.endpoint: p.rps for p in profiles if p.framework == "raw"}
    for p in profiles:
        floor = floors.get(p.endpoint)
        ratio = f"{p.rps / floor:.2f}" if floor else "n/a"
        shares = [f"{100 * p.by_part[part] / p.busy:.0f}%" if p.busy else "n/a" for part in parts]
        lines.append(f"| {p.endpoint} | {p.framework} | {p.rps:,.0f} | {ratio} | "
                     + " | ".join(shares) + " |")
    for p in profiles:
        if p.framework != "accord" or not p.busy:
            continue
        lines += ["", f"Accord, `{p.endpoint}`: the ten busiest functions (share of busy samples)",
                  "", "| function | share |", "|---|---|"]
        for function, count in p.by_function.most_common(10):
            name = function.replace("|", "\\|")
            lines.append(f"| `{name}` | {100 * count / p.busy:.1f}% |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--endpoints", default=",".join(ENDPOINTS))
    options = parser.parse_args(argv)
    profiles: list[Profile] = []
    with tempfile.TemporaryDirectory(prefix="accord-http-profile-") as folder:
        for endpoint in options.endpoints.split(","):
            for framework in FRAMEWORKS:
                found = profile(framework, endpoint, options.seconds, Path(folder))
                print(f"{endpoint} {framework}: {found.rps:,.0f} requests/s, "
                      f"{found.busy} busy samples", flush=True)
                profiles.append(found)
    OUTPUT.write_text(render(profiles, options.seconds))
    print(f"wrote {OUTPUT.relative_to(HERE.parent)}")


if __name__ == "__main__":
    main()
