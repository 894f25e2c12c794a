"""The dependency matrix: Accord's suite at the lowest releases its ranges allow.

`make test` runs everything at the newest releases (a clean clone installs them). This runs the
other end, each leg in its own virtual environment built by uv (`python -m tests.matrix`, or
`make test-matrix`; `.ci/run` calls it):

- **floors**: every direct dependency at the lowest release its range in pyproject.toml allows
  (`uv --resolution lowest-direct`): Starlette 0.46.0, python-multipart 0.0.18, the `standard`
  extra's floors, and the oracle, FastAPI 0.163.2 (which lifts Pydantic to 2.13 and, through
  httpx2, anyio to 4.10: their own floors are the next leg's).
  The whole suite runs, the parity corpus included, except what needs services (Harbor and
  its faults, which have their own job) and the benchmark checks.
- **typing-extensions 4.8.0, anyio 4.1.0**: FastAPI 0.163.2 declares 4.8.0 but cannot import below 4.12
  (its own dependency typing-inspection needs newer), so the oracle cannot be present at this
  floor. The leg installs Accord without it and runs every test that does not import the
  oracle (found by reading the tests' imports and the helpers they import, where the parity
  harness names the oracle by its module name; a new test joins on its own). Inside a file
  that runs there, a test that needs the real FastAPI anyway (a suite run without the alias,
  an extension whose distribution installs FastAPI) carries the ``oracle`` marker, and the leg
  deselects it with ``-m "not oracle"``.

Each leg prints the versions it resolved, so a failure names the release it happened on.
"""

from __future__ import annotations

import argparse
import ast
import os
import re
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
UV = Path(sys.executable).parent / "uv"

# Whole-suite parts that need services, measure speed or need the `docs` and `example` extras
# (the site build, the deployment page's database example, the extensions' SQLAlchemy apps):
# they run in `make test` only.
NOT_IN_MATRIX = (
    "tests/harbor",
    "tests/ecosystem",
    "tests/faults",
    "tests/benchmarks",
    "tests/docs/test_site.py",
    "tests/docs/test_deployment_and_harbor.py",
)

# The packages whose resolved versions each leg reports.
REPORTED = (
    "starlette",
    "pydantic",
    "pydantic-core",
    "anyio",
    "typing-extensions",
    "python-multipart",
    "uvicorn",
    "httpx",
    "fastapi",
)


@dataclass(frozen=True)
class Leg:
    name: str
    requirements: tuple[str, ...]
    oracle: bool
    extra: tuple[str, ...] = field(default=())


def extra_without(extra: str, *left_out: str) -> tuple[str, ...]:
    """An optional-dependency group of pyproject.toml, without the named distributions."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = project["optional-dependencies"][extra]
    return tuple(r for r in wanted if re.split(r"[\[<>=!~; ]", r, maxsplit=1)[0] not in left_out)


LEGS = (
    Leg("floors", ("-e", ".[test]"), oracle=True),
    Leg(
        "typing-extensions-floor",
        (
            "-e",
            ".[granian,opentelemetry]",
            # The standard extra but httpx2 (it needs anyio 4.10; Accord does not use it), so
            # that anyio's floor, 4.1.0, is the release installed here.
            *extra_without("standard", "httpx2"),
            "pytest>=8",
            "hypothesis>=6.100",
            "pyjwt>=2.8",
            "requests>=2.31",
            # What the documentation's examples import (tests/docs runs them in this leg too).
            "pwdlib[argon2]>=0.2",
            "pydantic-settings>=2.4",
        ),
        oracle=False,
        extra=("typing-extensions==4.8.0", "anyio==4.1.0"),
    ),
)


def _imports(path: Path) -> set[str]:
    """The modules a file imports, plus "fastapi" when it names the oracle to load it later."""
    tree = ast.parse(path.read_text(), str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and node.value == "fastapi":
            names.add("fastapi")
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            # `from tests import oracle` imports the module tests.oracle: follow both.
            module = _absolute(path, node)
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def _absolute(path: Path, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    package = path.parent
    for _ in range(node.level - 1):
        package = package.parent
    base = ".".join(package.relative_to(ROOT).parts)
    return f"{base}.{node.module}" if node.module else base


def _module_file(name: str) -> Path | None:
    relative = Path(*name.split("."))
    for candidate in (ROOT / relative.with_suffix(".py"), ROOT / relative / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def needs_oracle(path: Path, seen: set[Path] | None = None) -> bool:
    """Whether a test file imports FastAPI, itself or through the test helpers it imports."""
    seen = set() if seen is None else seen
    if path in seen:
        return False
    seen.add(path)
    conftests = [parent / "conftest.py" for parent in path.parents if parent.is_relative_to(TESTS)]
    for source in (path, *(c for c in conftests if c.is_file() and c != path)):
        for name in _imports(source):
            if name == "fastapi" or name.startswith("fastapi."):
                return True
            if name.startswith("tests."):
                helper = _module_file(name)
                if helper is not None and needs_oracle(helper, seen):
                    return True
    return False


def oracle_free_tests() -> list[str]:
    skipped = tuple(ROOT / part for part in NOT_IN_MATRIX)
    found = []
    for path in sorted(TESTS.rglob("test_*.py")):
        if any(path.is_relative_to(part) for part in skipped):
            continue
        if not needs_oracle(path):
            found.append(str(path.relative_to(ROOT)))
    return found


def _run(command: list[str], **options: object) -> None:
    print("$", " ".join(command), flush=True)
    subprocess.run(command, check=True, cwd=ROOT, **options)  # type: ignore[call-overload]


def uv_venv(venv: Path) -> dict[str, str]:
    """A fresh virtual environment made by uv; the environment variables that select it."""
    _run([str(UV), "venv", "--quiet", "--clear", "--python", sys.executable, str(venv)])
    return {**os.environ, "VIRTUAL_ENV": str(venv)}


def uv_install(environment: dict[str, str], *requirements: str) -> None:
    """`uv pip install` into the environment `uv_venv` returned."""
    _run([str(UV), "pip", "install", "--quiet", *requirements], env=environment)


def resolved_versions(environment: dict[str, str]) -> dict[str, str]:
    """Every distribution installed in the environment, by name, with its version."""
    listing = subprocess.run(
        [str(UV), "pip", "list", "--format", "freeze"],
        env=environment,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return dict(line.split("==", 1) for line in listing.split() if "==" in line)


def build(leg: Leg, home: Path) -> Path:
    venv = home / leg.name
    environment = uv_venv(venv)
    uv_install(environment, "--resolution", "lowest-direct", *leg.requirements, *leg.extra)
    resolved = resolved_versions(environment)
    report = ", ".join(f"{name} {resolved[name]}" for name in REPORTED if name in resolved)
    print(f"[{leg.name}] resolved: {report}", flush=True)
    return venv / "bin" / "python"


def run_leg(leg: Leg, home: Path, pytest_args: list[str]) -> None:
    started = time.monotonic()
    python = build(leg, home)
    if leg.oracle:
        selection = ["tests", *(f"--ignore={part}" for part in NOT_IN_MATRIX)]
    else:
        selection = [*oracle_free_tests(), "-m", "not oracle"]
    _run([str(python), "-m", "pytest", *selection, *pytest_args])
    print(f"[{leg.name}] passed in {time.monotonic() - started:.0f} s", flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leg", choices=[leg.name for leg in LEGS], action="append")
    parser.add_argument("--home", type=Path, default=ROOT / ".matrix", help="where the venvs go")
    parser.add_argument("pytest_args", nargs="*", help="passed to pytest (after --)")
    options = parser.parse_args(argv)
    chosen = [leg for leg in LEGS if not options.leg or leg.name in options.leg]
    for leg in chosen:
        run_leg(leg, options.home, options.pytest_args)


if __name__ == "__main__":
    main()
