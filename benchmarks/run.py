"""Run the whole benchmark suite and write ``RESULTS.md`` and ``results.json``.

    python -m benchmarks.run            # full run, ~10-15 minutes on 2 cores
    python -m benchmarks.run --quick    # smoke run, ~1-2 minutes

Every app runs in its own fresh process; a missing or broken app (Accord while its core is
being written) is reported, not fatal.
"""

import argparse
import datetime
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks import environment, lockstep, overhttp, report, targets
from benchmarks.apps import FRAMEWORKS, SCALE_FRAMEWORKS, STARTUP_FRAMEWORKS
from benchmarks.inprocess import Settings
from benchmarks.scenarios import SCENARIOS, Scenario, for_framework

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

FULL: dict[str, dict[str, Any]] = {
    "inprocess": {"warmup_seconds": 0.1, "batch_seconds": 0.1, "repeats": 15},
    "scale": {"warmup_seconds": 0.05, "batch_seconds": 0.05, "repeats": 9, "startup_runs": 3},
    "startup": {"sizes": [10, 100, 1000, 5000], "runs": 3},
    "http": {"duration": 2, "warmup": 1, "rounds": 6, "connections": 64},
}
QUICK: dict[str, dict[str, Any]] = {
    "inprocess": {"warmup_seconds": 0.02, "batch_seconds": 0.02, "repeats": 3},
    "scale": {"warmup_seconds": 0.01, "batch_seconds": 0.02, "repeats": 5, "startup_runs": 1},
    "startup": {"sizes": [10, 1000], "runs": 1},
    "http": {"duration": 1, "warmup": 1, "rounds": 1, "connections": 64},
}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def worker(args: list[str], timeout: float = 900) -> dict[str, Any]:
    """Run ``python -m benchmarks.<args>`` in a fresh process and return its JSON output."""
    command = [sys.executable, "-m", *args]
    try:
        done = subprocess.run(
            command, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s: {' '.join(args)}"}
    lines = done.stdout.strip().splitlines()
    try:
        return json.loads(lines[-1])  # type: ignore[no-any-return]
    except (IndexError, ValueError):
        return {"error": f"exit {done.returncode}: {done.stderr.strip()[-1500:]}"}


def accord_problem() -> str | None:
    """Why the Accord app cannot be loaded, or None when it can."""
    probe = "from benchmarks.apps import load_module; load_module('accord')"
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if done.returncode == 0:
        return None
    last = done.stderr.strip().splitlines()
    return last[-1] if last else f"exit {done.returncode}"


def _flags(settings: dict[str, Any]) -> list[str]:
    return [
        f"--warmup-seconds={settings['warmup_seconds']}",
        f"--batch-seconds={settings['batch_seconds']}",
        f"--repeats={settings['repeats']}",
    ]


def run_inprocess(apps: list[str], settings: dict[str, Any], errors: list[str]) -> dict[str, Any]:
    """Every app in its own process, timed batch by batch in turn (see benchmarks.lockstep)."""
    plan = {app: for_framework(app) for app in apps}
    chosen = Settings(settings["warmup_seconds"], settings["batch_seconds"], settings["repeats"])
    results, problems = lockstep.measure(plan, chosen, log)
    errors.extend(problems)
    return results


def run_scale(apps: list[str], settings: dict[str, Any], errors: list[str]) -> dict[str, Any]:
    """Request time by app size, then start-up figures from fresh processes."""
    requests: dict[str, Any] = {}
    startup: dict[str, list[dict[str, Any]]] = {}
    for app in apps:
        log(f"scale: request time, {app}")
        output = worker(["benchmarks.scale", "requests", f"--app={app}", *_flags(settings)])
        if "error" in output:
            errors.append(f"scale {app}: {output['error']}")
        else:
            requests[app] = output["results"]
    for run_ in range(settings["startup_runs"]):
        for app in apps:
            log(f"scale: start-up {run_ + 1}/{settings['startup_runs']}, {app}")
            output = worker(["benchmarks.scale", "startup", f"--app={app}", "--routes=1000"])
            if "error" in output:
                errors.append(f"start-up {app}: {output['error']}")
            else:
                startup.setdefault(app, []).append(output["results"])
    return {"requests": requests, "startup": startup}


def run_startup(apps: list[str], settings: dict[str, Any], errors: list[str]) -> dict[str, Any]:
    """Start-up of the realistic app (``--shape realistic``) by size, each run a fresh process,
    the frameworks taking turns at each size so that a disturbance hits both alike."""
    found: dict[str, list[dict[str, Any]]] = {}
    for size in settings["sizes"]:
        for run_ in range(settings["runs"]):
            for app in apps:
                log(f"start-up: {size} routes, run {run_ + 1}/{settings['runs']}, {app}")
                args = ["startup", f"--app={app}", f"--routes={size}", "--shape=realistic"]
                output = worker(["benchmarks.scale", *args])
                if "error" in output:
                    errors.append(f"start-up {app} {size} routes: {output['error']}")
                else:
                    found.setdefault(app, []).append(output["results"])
    return found


def http_unavailable() -> str | None:
    """Why the HTTP harness cannot run here, or None."""
    if shutil.which("wrk") is None:
        return "skipped: wrk is not installed (Debian: apt-get install wrk)"
    if shutil.which("taskset") is None:
        return "skipped: taskset is not installed"
    if (os.cpu_count() or 1) < 2:
        return "skipped: needs 2 cores (server and wrk pinned apart)"
    return None


# Over HTTP the msgspec peer answers only the endpoint its target is about, which keeps the
# quick run within two minutes.
HTTP_ENDPOINTS = {"litestar-msgspec": ("list",)}


def http_plan(apps: list[str]) -> dict[str, list[Scenario]]:
    """The endpoints each app is measured on over HTTP (Uvicorn)."""
    return {
        app: [s for s in for_framework(app) if s.key in HTTP_ENDPOINTS.get(app, (s.key,))]
        for app in apps
    }


def run_http(apps: list[str], settings: dict[str, Any], errors: list[str]) -> dict[str, Any]:
    """Uvicorn for every endpoint of every app, then Granian for GET /json."""
    reason = http_unavailable()
    if reason:
        return {"skipped": reason}
    load = overhttp.Load(**settings)
    results: dict[str, Any] = {}
    with overhttp.temp_workdir() as scratch:
        phases = {
            "uvicorn": http_plan(apps),
            "granian": {
                app: [s for s in for_framework(app) if s.key == "json"]
                for app in apps
                if any(s.key == "json" for s in for_framework(app))
            },
        }
        for kind, plan in phases.items():
            log(f"over HTTP: {kind}")
            try:
                results[kind] = overhttp.benchmark(kind, plan, load, Path(scratch), log)
            except Exception as exc:
                errors.append(f"{kind}: {type(exc).__name__}: {exc}")
    return results


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short smoke run (~1-2 minutes)")
    parser.add_argument("--apps", default=",".join(FRAMEWORKS), help="comma-separated apps")
    parser.add_argument("--skip", default="", help="comma-separated: inprocess,scale,startup,http")
    parser.add_argument("--out", type=Path, default=HERE, help="directory for the reports")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    args = _parse(argv)
    started, load_start = time.monotonic(), environment.load_average()
    settings = QUICK if args.quick else FULL
    skip = set(filter(None, args.skip.split(",")))
    apps = [a for a in args.apps.split(",") if a in FRAMEWORKS]
    errors: list[str] = []
    problem = accord_problem() if "accord" in apps else None
    if problem:
        log(f"Accord left out: {problem}")
        apps.remove("accord")
    doc: dict[str, Any] = {"errors": errors, "scenarios": [s.key for s in SCENARIOS]}
    if "inprocess" not in skip:
        doc["inprocess"] = run_inprocess(apps, settings["inprocess"], errors)
    if "scale" not in skip:
        doc["scale"] = run_scale(
            [a for a in apps if a in SCALE_FRAMEWORKS], settings["scale"], errors
        )
    if "startup" not in skip:
        chosen = [a for a in apps if a in STARTUP_FRAMEWORKS]
        doc["startup"] = run_startup(chosen, settings["startup"], errors)
    doc["http"] = (
        {"skipped": "skipped by --skip"}
        if "http" in skip
        else run_http(apps, settings["http"], errors)
    )
    doc["meta"] = {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "command": " ".join(
            ["python -m benchmarks.run", *(argv if argv is not None else sys.argv[1:])]
        ),
        "elapsed_s": time.monotonic() - started,
        "machine": environment.machine(),
        "versions": environment.versions(),
        "load_start": load_start,
        "load_end": environment.load_average(),
        "accord_error": problem,
        "settings": {"quick": args.quick, **settings},
    }
    doc["targets"] = targets.all_targets(doc)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(doc, indent=1) + "\n")
    (args.out / "RESULTS.md").write_text(report.render(doc))
    if not args.quick and args.out == HERE:  # a full run in place: the README's table too
        readme = ROOT / "README.md"
        text = readme.read_text(encoding="utf-8")
        block = report.readme_block(doc)
        readme.write_text(report.replace_between(text, report.README_MARKERS, block), "utf-8")
    log(f"wrote {args.out / 'RESULTS.md'} and results.json in {doc['meta']['elapsed_s']:.0f} s")
    return doc


if __name__ == "__main__":
    main()
