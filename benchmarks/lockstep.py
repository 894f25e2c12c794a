"""Apps measured in lock-step: one process per app, timed batches taken in turn.

Each app lives in its own process (so no framework's imports touch another's), started once
and driven over a pipe: "check and size this endpoint", "time one batch", "count calls". The
driver asks each app for one batch in turn, rotating the order, so a burst of other work on
the machine lands on every app alike instead of on whichever happened to run then.

Worker side: ``python -m benchmarks.lockstep --app fastapi`` reads one JSON command per line
on stdin and answers one JSON line on stdout.
"""

import argparse
import json
import os
import select
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from benchmarks.inprocess import (
    Lifespan,
    Settings,
    count_calls,
    describe_error,
    new_runner,
    prepare,
    sample,
)
from benchmarks.scenarios import Scenario, by_key

ROOT = Path(__file__).resolve().parent.parent


def _answer(out: IO[str], message: dict[str, Any]) -> None:
    out.write(json.dumps(message) + "\n")
    out.flush()


def _handle(
    runner: Any, app: Any, command: dict[str, Any], state: dict[str, Any], settings: Settings
) -> dict[str, Any]:
    scenario = by_key(command["key"])
    if command["op"] == "prepare":
        state[scenario.key] = runner.run(prepare(app, scenario, settings))
        return dict(state[scenario.key])
    if command["op"] == "sample":
        result = state[scenario.key]
        runner.run(sample(app, scenario, result))
        if "error" in result:
            return {"error": result["error"]}
        return {"sample_us": result["samples_us"][-1]}
    if command["op"] == "calls":
        return dict(runner.run(count_calls(app, scenario)))
    raise ValueError(f"unknown command {command!r}")


def serve(framework: str, settings: Settings) -> None:
    """Worker: load ``framework``'s app, run its lifespan, answer commands until 'quit'."""
    from benchmarks.apps import load_module

    # Keep stdout for the protocol only: anything the app prints goes to stderr.
    out = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)
    with new_runner() as runner:
        try:
            app = load_module(framework).app
            lifespan = Lifespan(app)
            runner.run(lifespan.__aenter__())
        except Exception as exc:
            _answer(out, {"error": describe_error(exc)})
            return
        _answer(out, {"ready": True})
        state: dict[str, Any] = {}
        for line in sys.stdin:
            command = json.loads(line)
            if command["op"] == "quit":
                break
            try:
                _answer(out, _handle(runner, app, command, state, settings))
            except Exception as exc:
                _answer(out, {"error": describe_error(exc)})
        runner.run(lifespan.__aexit__(None, None, None))


class Worker:
    """The driver's handle on one app's worker process."""

    def __init__(self, framework: str, settings: Settings) -> None:
        self.framework = framework
        # Closed in close(): it outlives this method, for the worker's whole life.
        self.stderr = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115
        command = [
            sys.executable,
            "-m",
            "benchmarks.lockstep",
            f"--app={framework}",
            f"--warmup-seconds={settings.warmup_seconds}",
            f"--batch-seconds={settings.batch_seconds}",
        ]
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            text=True,
        )

    def read(self, timeout: float = 300) -> dict[str, Any]:
        """The worker's next answer (an 'error' answer if it died or went silent)."""
        assert self.process.stdout is not None
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        line = self.process.stdout.readline() if ready else ""
        if not line:
            self.stderr.seek(0)
            return {"error": f"worker gave no answer: {self.stderr.read()[-1500:]}"}
        return json.loads(line)  # type: ignore[no-any-return]

    def ask(self, op: str, key: str) -> dict[str, Any]:
        assert self.process.stdin is not None
        try:
            self.process.stdin.write(json.dumps({"op": op, "key": key}) + "\n")
            self.process.stdin.flush()
        except OSError as exc:
            return {"error": f"worker is gone: {exc}"}
        return self.read()

    def close(self) -> None:
        """Ask the worker to quit (a line, then end of input); kill it after 10 seconds."""
        stdin, stdout = self.process.stdin, self.process.stdout
        try:
            if stdin is not None:
                stdin.write('{"op": "quit"}\n')
                stdin.close()
        except OSError:  # the worker is already gone
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        if stdout is not None:
            stdout.close()
        self.stderr.close()


def _rounds(
    workers: dict[str, Worker], key: str, repeats: int, results: dict[str, dict[str, Any]]
) -> None:
    """``repeats`` timed batches per app, one app after the other, the order rotating."""
    live = [app for app in workers if "error" not in results[app]]
    for i in range(repeats):
        if not live:
            return
        shift = i % len(live)
        for app in live[shift:] + live[:shift]:
            answer = workers[app].ask("sample", key)
            if "error" in answer:
                results[app]["error"] = answer["error"]
            else:
                results[app]["samples_us"].append(answer["sample_us"])
        live = [app for app in live if "error" not in results[app]]


def measure(
    plan: dict[str, list[Scenario]], settings: Settings, log: Callable[[str], None] = print
) -> tuple[dict[str, Any], list[str]]:
    """Measure every app of ``plan`` on its scenarios; returns ({app: {key: result}}, errors)."""
    workers, errors = {}, []
    results: dict[str, dict[str, Any]] = {app: {} for app in plan}
    try:
        for app in plan:
            workers[app] = Worker(app, settings)
        for app in list(workers):
            answer = workers[app].read()
            if "error" in answer:
                errors.append(f"in-process {app}: {answer['error']}")
                workers.pop(app).close()
        keys = list(dict.fromkeys(s.key for scenarios in plan.values() for s in scenarios))
        for key in keys:
            active = {app: w for app, w in workers.items() if any(s.key == key for s in plan[app])}
            log(f"in-process: {key} ({', '.join(active)})")
            step = {app: w.ask("prepare", key) for app, w in active.items()}
            _rounds(active, key, settings.repeats, step)
            for app, result in step.items():
                if "error" not in result:
                    calls = active[app].ask("calls", key)
                    result.update(calls if "error" not in calls else {"error": calls["error"]})
                results[app][key] = result
    finally:
        for worker in workers.values():
            worker.close()
    return {app: r for app, r in results.items() if r}, errors


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--app", required=True)
    parser.add_argument("--warmup-seconds", type=float, default=Settings.warmup_seconds)
    parser.add_argument("--batch-seconds", type=float, default=Settings.batch_seconds)
    args = parser.parse_args(argv)
    serve(args.app, Settings(args.warmup_seconds, args.batch_seconds, repeats=0))


if __name__ == "__main__":
    main()
