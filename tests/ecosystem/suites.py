"""The ecosystem matrix: FastAPI extensions' own test suites, run on FastAPI and on Accord.

For each pinned extension release (`python -m tests.ecosystem.suites`, or `make ecosystem`):

1. its sdist comes from PyPI (`pip download --no-deps --no-binary NAME NAME==VERSION`), and is
   unpacked; its own copy of the package is removed, so that the tests import the installed
   release. An extension whose sdist ships no tests takes them from another sdist, named in the
   table;
2. a virtual environment of its own, built by uv (the helpers of :mod:`tests.matrix`), holds the
   release, what its tests need, FastAPI 0.163.2 and Accord (editable, from this checkout);
3. the suite runs twice, with the same selection: plain, on the real FastAPI, then with
   `-p accord.as_fastapi`, where `import fastapi` is Accord. Tests that need a service that
   does not run here (PostgreSQL, MongoDB, ...) are left out of both runs, and the table says so;
4. pytest's JUnit XML of both runs gives each test's outcome, and a test that passes on
   FastAPI and does not pass on Accord is **lost on Accord**.

The results go to `.ecosystem/NAME/result.json`; the page `docs/ecosystem.md` and the table in
README.md's migration section are written from all the stored results (`--suite NAME` re-runs
one extension and rewrites both).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tarfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import accord
from tests.ecosystem.report import (
    README_TABLE,
    Outcomes,
    SuiteResult,
    parse_junit,
    readme_table,
    render_page,
    replace_between,
)
from tests.matrix import ROOT, UV, resolved_versions, uv_install, uv_venv

PAGE = ROOT / "docs" / "ecosystem.md"
README = ROOT / "README.md"
FASTAPI = "fastapi==0.163.2"
# What every suite's environment gets besides the extension and its tests' needs.
COMMON = (FASTAPI, "-e", f"{ROOT}[standard]", "pytest>=8", "pytest-timeout>=2.3")
REPORTED = ("fastapi", "starlette", "pydantic", "pydantic-core")
RUN_TIMEOUT = 2400  # seconds for one run of one suite
TEST_TIMEOUT = 300  # seconds for one test (pytest-timeout), so that a hang is a failure


@dataclass(frozen=True)
class Suite:
    """An extension release and how to run its own tests."""

    name: str
    version: str
    package: str  # its import name: the sdist's own copy is removed before the runs
    requirements: tuple[str, ...]  # what its tests need, besides COMMON
    extras: str = ""  # the extension's extras to install ("oauth,redis")
    # pytest's arguments (what to run), one process each, the same on both frameworks
    runs: tuple[tuple[str, ...], ...] = (("tests",),)
    deselected: str = ""  # why, for the table
    tests_from: tuple[str, str] | None = None  # (name, version) of the sdist with the tests
    tests_source: str = "its sdist"
    keep: tuple[str, ...] = field(default=())  # for tests_from: what to keep of that sdist
    unlocked: tuple[str, ...] = ()  # more names not to take from its uv.lock

    @property
    def requirement(self) -> str:
        extras = f"[{self.extras}]" if self.extras else ""
        return f"{self.name}{extras}=={self.version}"


# fastapi-pagination's integrations whose tests run here on SQLite (each module in a process of
# its own: in one process, session fixtures left by one ORM's module fail the next module's).
_PAGINATION_SQLITE = ("django", "dummy", "ormar", "peewee", "piccolo", "sqlalchemy", "sqlmodel",
                      "tortoise", "utils")

SUITES = (
    Suite(
        "fastapi-pagination",
        "0.16.1",
        package="fastapi_pagination",
        extras="sqlalchemy,sqlmodel,aiosqlite,asyncpg,tortoise,peewee,django,piccolo,ormar,"
        "scylla-driver",
        requirements=("pytest-asyncio>=0.25.3", "flaky>=3.8.1", "faker>=35.2",
                      "httpx>=0.28.1", "asgi-lifespan>=2.1.0", "requests>=2.32.2",
                      "uvicorn", "jinja2>=3.1.5", "dirty-equals>=0.9.0", "pymongo"),
        runs=(("tests", "--ignore=tests/ext"),
              *((f"tests/ext/test_{name}.py", "-k", "not postgres") for name in _PAGINATION_SQLITE)),
        tests_source="its sdist: the core tests, then each SQLite integration module in a "
        "process of its own",
        deselected="the PostgreSQL legs and the MongoDB, Cassandra and Firestore modules "
        "(tests/ext/test_{asyncpg,psycopg,beanie,mongoengine,pymongo,cassandra,firestore}.py): "
        "no such server here; the SQLite legs run",
    ),
    Suite(
        "fastapi-users",
        "15.0.5",
        package="fastapi_users",
        extras="oauth,redis",
        requirements=("pytest-asyncio", "pytest-mock", "httpx", "asgi-lifespan"),
    ),
    Suite(
        "fastapi-cache2",
        "0.2.2",
        package="fastapi_cache",
        requirements=("pendulum>=3.0.0", "httpx", "pytest-asyncio", "redis>=5.0.8", "aiomcache>=0.8.2",
                      "orjson>=3.10.0", "aiobotocore>=2.13.1"),
        tests_from=("fastapi-cache3", "0.5.0"),
        keep=("tests", "examples", "conftest.py"),
        tests_source="fastapi-cache2's sdists ship no tests: those of the sdist of "
        "fastapi-cache3 0.5.0, a fork that keeps upstream's tests, run against "
        "fastapi-cache2 0.2.2",
    ),
    Suite(
        "opentelemetry-instrumentation-fastapi",
        "0.66b2",
        package="opentelemetry",
        requirements=("opentelemetry-test-utils==0.66b2", "opentelemetry-sdk", "httpx",
                      "requests"),
    ),
    Suite(
        "cadwyn",
        "9.0.0",
        package="cadwyn",
        requirements=("httpx>=0.26.0", "svcs~=24.1.0", "pytest-fixture-classes>=1.0.3",
                      "dirty-equals>=0.6.0", "uvicorn", "python-multipart>=0.0.6",
                      "sqlalchemy", "sqlmodel", "pydantic-settings", "inline-snapshot",
                      "typer>=0.7.0", "jinja2>=3.1.2"),
    ),
)

# Why the tests lost on Accord are lost: "extension::test id" for one test, "extension::~text"
# for every lost test whose id or failure on Accord contains the text (the first such key
# wins); a loss that none names is shown with the first line of its failure on Accord.
REASONS: dict[str, str] = {
    "cadwyn::~cannot be resolved": (
        "a deliberate difference: an annotation that cannot be resolved is an error at start-up "
        "on Accord ([Migrating from FastAPI](migrating.md)), where FastAPI takes the parameter "
        "as a query parameter that always answers 422"
    ),
    "cadwyn::~Not Found": (
        "a route added to an included router after the include: cadwyn keeps its own list of "
        "the app's unversioned routes, taken from `app.routes` when `include_router` returns; "
        "on FastAPI that list holds one live `_IncludedRouter` node, on Accord the included "
        "routes themselves (Accord flattens an include into routes of its own), so a later "
        "route reaches `app.routes` but not cadwyn's list"
    ),
    "cadwyn::~test__default_version__unversioned_included_route_added_late_still_has_priority": (
        "the same: the late route is not in cadwyn's list of unversioned routes"
    ),
    "cadwyn::~tests/test_websocket_migrations.py": (
        "cadwyn marks a deleted WebSocket route with an attribute set on the route object after "
        "the include; FastAPI's `_iter_routes_with_context` yields the declared route itself, "
        "Accord's yields its included copy, which does not have the attribute (checked with a "
        "two-line app on both)"
    ),
    "cadwyn::~_overridden_dependency__should_build_it_once_more": (
        "when a dependency override's tree is built: FastAPI builds the override's dependant "
        "(and its fields' schemas) again each time it solves a request, Accord compiles an "
        "override set once and reuses it, so a `__get_pydantic_core_schema__` hook runs once "
        "(cadwyn counts those builds, or has the hook change the body it migrates)"
    ),
    "cadwyn::~override_that_changes_the_body_when_built": (
        "the same: the override's schema hook, which changes the migrated body, runs when "
        "FastAPI builds the override on each request, and only once on Accord"
    ),
    "cadwyn::~json_model_whose_keys_compare_with_code": (
        "the same: a schema hook run when FastAPI builds the override for the request, once "
        "on Accord"
    ),
    "cadwyn::~validators_that_rely_on_head_dependencies": (
        "a deliberate difference of order: Accord validates a route's inputs in one pass "
        "before its dependencies run; FastAPI validates each dependant's own inputs after its "
        "sub-dependencies ran, so a body validator reading what a dependency set finds it set "
        "only on FastAPI"
    ),
    "cadwyn::~test__background_tasks__dropped": (
        "Accord's scope has no `fastapi_inner_astack` (FastAPI's per-route stack of yield "
        "dependencies), where cadwyn defers its dropped-background-task warning until the "
        "response is sent: it warns at once instead"
    ),
    "cadwyn::~should_look_their_aliases_up_as_often_as_fastapi": (
        "a measure of FastAPI's own cost: the test counts the reads of a form model's "
        "`AliasChoices` during a plain request and expects some (FastAPI looks them up per "
        "request); Accord reads them once, when the route is compiled, so the count is 0"
    ),
    "cadwyn::~tests/test_data_migrations.py": (
        "cadwyn's request migrations re-solve a route through `fastapi.dependencies.utils` "
        "(`solve_dependencies`, `request_body_to_args`, the form-model helpers), which answer "
        "otherwise on Accord here. Not traced test by test"
    ),
}

INTRO = """\
# The ecosystem matrix

<!-- Written by `make ecosystem` (tests/ecosystem/suites.py): edit that, not this page. -->

FastAPI extensions come with test suites of their own, written against FastAPI. The ecosystem
matrix runs those suites, unchanged, twice: once on the real FastAPI 0.163.2 and once on
Accord through the `fastapi` alias ([Migrating from FastAPI](migrating.md)), and lists every
test that passes on FastAPI and does not pass on Accord.

## How it runs

```sh
make ecosystem                                   # every extension
.venv/bin/python -m tests.ecosystem.suites --suite cadwyn   # one, the others' results kept
```

For each pinned extension release:

1. its source distribution comes from PyPI (`pip download --no-deps --no-binary NAME
   NAME==VERSION`) and is unpacked, and its own copy of the package is removed, so that the
   tests import the installed release;
2. uv builds a virtual environment for it alone, with the release, what its tests need
   (from its own development requirements), FastAPI 0.163.2 and Accord from the checkout.
   Where the sdist ships a `uv.lock`, the releases locked there are kept (all but FastAPI,
   Starlette, Pydantic and the packages Accord sets floors on), so that the suite runs with
   the test tools and ORMs its authors ran it with;
3. pytest runs the suite with the project's own configuration (one process per part where
   the table says so), first plain (FastAPI), then with `-p accord.as_fastapi`, where
   `import fastapi` and every `fastapi.*` module are Accord's and `importlib.metadata` reports
   FastAPI 0.163.2. Both runs select the same tests; what needs a server that is not here
   (PostgreSQL, MongoDB, ...) is left out of both, as the table says. A test that runs longer
   than five minutes fails;
4. each test's outcome is read from pytest's JUnit XML. **Lost on Accord** counts the tests
   that pass on FastAPI and fail, are skipped or do not run on Accord.

The figures count the tests of each suite as pytest reports them (a parametrized test once per
parameter set). A test that fails on FastAPI as well fails for a reason of its own (a release
of the extension behind FastAPI 0.163.2, as the OpenTelemetry instrumentor's middleware check
is), and is not Accord's to fix; the table shows those on both sides.

What these suites found in Accord and what was fixed, each with a regression test in
`tests/ecosystem/test_compat_surface.py` run on both frameworks: an included route's
`RouteContext.matches` consulted the route class's own `matches` (16 OpenTelemetry tests); the
router never asked a route class that overrides `matches`; an `async def` wrapper of a `def`
endpoint was sent to the thread pool (2 fastapi-cache2 tests); tortoise-orm's
`register_tortoise` needs FastAPI's private `_merge_lifespan_context` (144 fastapi-pagination
tests); cadwyn's request migrations, which re-solve a route through
`fastapi.dependencies.utils`, found a body name declared again by a dependency validated only
once, a JSON null body taken for no body, a union form model's validators not spelled as
FastAPI's, a form model given a dict not looked up by its name, a form model's later alias
names dropped from its extra keys, `Json[list]` form values read as repeated keys, overrides
whose body is embedded otherwise than the declared route's, unhashable overrides, an empty
`_get_scope_effective_route_context`, and no `scope["fastapi_middleware_astack"]` under the
alias (now added there, and only there).
"""


def _run(command: list[str], **options: object) -> subprocess.CompletedProcess[str]:
    print("$", " ".join(command), flush=True)
    return subprocess.run(command, text=True, **options)  # type: ignore[call-overload, no-any-return]


def download(name: str, version: str, folder: Path) -> Path:
    """The sdist of ``name==version`` from PyPI, unpacked into ``folder``; its top directory.

    ``--no-binary NAME`` rather than ``:all:``: pip prepares the sdist's metadata, and its
    build backend (hatchling, poetry-core...) may then come as a wheel.
    """
    archives = folder / "sdist"
    archives.mkdir(parents=True, exist_ok=True)
    if not any(archives.glob("*.tar.gz")):
        _run([sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
              "--no-deps", "--no-binary", name, f"{name}=={version}", "-d", str(archives)],
             check=True)
    (archive,) = archives.glob("*.tar.gz")
    target = folder / "source"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    with tarfile.open(archive) as tar:
        tar.extractall(target, filter="data")
    (top,) = target.iterdir()
    return top


# Never taken from a suite's lock file: the frameworks under test and what Accord sets a floor on.
UNLOCKED = frozenset({"fastapi", "starlette", "pydantic", "pydantic-core", "typing-extensions",
                      "typing-inspection", "anyio", "httpx", "httpx2", "uvicorn"})


def lock_constraints(source: Path, unlocked: frozenset[str]) -> list[str]:
    """The releases the project's `uv.lock` pins, as constraints, without ``unlocked``.

    An extension's suite passes at the releases its authors locked; the newest releases of
    its test tools or ORMs can fail it on both frameworks alike, which would hide what Accord
    does. The frameworks themselves are never pinned from there.
    """
    if not (source / "uv.lock").is_file():
        return []
    exported = _run([str(UV), "export", "--frozen", "--no-hashes", "--all-extras", "--all-groups",
                     "--no-emit-project", "--no-header", "--no-annotate", "--quiet"],
                    cwd=source, capture_output=True, check=True).stdout
    return pinned_lines(exported, unlocked)


def pinned_lines(exported: str, unlocked: frozenset[str]) -> list[str]:
    """The ``name==version`` lines of a requirements export, those named in ``unlocked`` out."""
    kept = []
    for line in exported.splitlines():
        name = line.split("==", 1)[0].strip().lower().replace("_", "-")
        if "==" in line and not line.startswith(("-", "#")) and name not in unlocked:
            kept.append(line.strip())
    return kept


def prepare_source(suite: Suite, home: Path) -> Path:
    """The directory the suite runs in: the tests, without the extension's own copy."""
    folder = home / suite.name
    constraints = folder / "constraints.txt"
    constraints.unlink(missing_ok=True)
    if suite.tests_from is None:
        source = download(suite.name, suite.version, folder)
        unlocked = UNLOCKED | {suite.name, *suite.unlocked}
        constraints.write_text("\n".join(lock_constraints(source, unlocked)) + "\n")
    else:
        source = download(*suite.tests_from, folder)
        for child in source.iterdir():
            if child.name not in suite.keep:
                shutil.rmtree(child) if child.is_dir() else child.unlink()
    copy = source / suite.package
    if copy.is_dir():
        shutil.rmtree(copy)
    isolate(source)
    return source


def _has_pytest_config(source: Path) -> bool:
    sections = {"pytest.ini": "", ".pytest.ini": "", "pyproject.toml": "[tool.pytest",
                "tox.ini": "[pytest]", "setup.cfg": "[tool:pytest]"}
    return any(
        (source / name).is_file() and section in (source / name).read_text(encoding="utf-8")
        for name, section in sections.items()
    )


def isolate(source: Path) -> None:
    """Make the unpacked sdist pytest's root, as the project's own checkout is.

    Without a pytest configuration of its own there, pytest would look further up and take
    this repository's (warnings as errors, its plugins, ...); an empty one stops it.
    """
    if not _has_pytest_config(source):
        (source / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")


def run_tests(
    suite: Suite, source: Path, python: Path, environment: dict[str, str], on_accord: bool
) -> Outcomes:
    """Every run of the suite on one framework, the outcomes of all of them together."""
    outcomes: dict[str, str] = {}
    messages: dict[str, str] = {}
    stopped: list[str] = []
    for number, selection in enumerate(suite.runs):
        found = run_pytest(selection, source, python, environment, on_accord, number)
        outcomes.update(found.outcomes)
        messages.update(found.messages)
        stopped += [found.stopped] if found.stopped else []
    return Outcomes(outcomes, messages, "; ".join(stopped))


def run_pytest(
    selection: tuple[str, ...],
    source: Path,
    python: Path,
    environment: dict[str, str],
    on_accord: bool,
    number: int,
) -> Outcomes:
    name = f"{'accord' if on_accord else 'fastapi'}-{number}"
    report = source.parent.parent / f"{name}.xml"
    report.unlink(missing_ok=True)
    command = [str(python), "-m", "pytest", *selection, "-q", "--tb=short",
               "-p", "no:cacheprovider", "-o", "junit_family=xunit1", f"--rootdir={source}",
               f"--junitxml={report}", f"--timeout={TEST_TIMEOUT}"]
    if on_accord:
        command += ["-p", "accord.as_fastapi"]
    log = report.with_suffix(".log")
    with log.open("w", encoding="utf-8") as out:
        done = _run(command, cwd=source, env=environment, stdout=out, stderr=subprocess.STDOUT,
                    timeout=RUN_TIMEOUT, check=False)
    tail = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-1:]
    print(f"  exit {done.returncode}: {tail[0] if tail else ''} (log: {log})", flush=True)
    if not report.is_file():  # stopped before any test: a conftest that does not import
        return Outcomes({}, {}, f"pytest stopped (exit {done.returncode}): {_error(log)}")
    return parse_junit(report.read_text(encoding="utf-8"))


def _error(log: Path) -> str:
    """The last error line pytest printed (``E   ...``), or its last line."""
    lines = log.read_text(encoding="utf-8", errors="replace").strip().splitlines() or [""]
    errors = [line[1:].strip() for line in lines if line.startswith("E ")]
    return (errors or lines)[-1][:200]


def run_suite(suite: Suite, home: Path) -> SuiteResult:
    started, home = time.monotonic(), home.resolve()
    print(f"[{suite.name} {suite.version}]", flush=True)
    source = prepare_source(suite, home)
    venv = home / suite.name / "venv"
    environment = uv_venv(venv)
    constraints = home / suite.name / "constraints.txt"
    locked = ("--constraint", str(constraints)) if constraints.is_file() else ()
    uv_install(environment, *locked, suite.requirement, *suite.requirements, *COMMON)
    environment.pop("PYTHONPATH", None)
    environment["PATH"] = f"{venv / 'bin'}{os.pathsep}{environment.get('PATH', '')}"
    resolved = resolved_versions(environment)
    python = venv / "bin" / "python"
    on_fastapi = run_tests(suite, source, python, environment, on_accord=False)
    on_accord = run_tests(suite, source, python, environment, on_accord=True)
    result = SuiteResult(
        name=suite.name,
        version=suite.version,
        tests_source=suite.tests_source,
        deselected=suite.deselected,
        versions={name: resolved[name] for name in REPORTED if name in resolved},
        on_fastapi=on_fastapi,
        on_accord=on_accord,
        seconds=round(time.monotonic() - started, 1),
    )
    (home / suite.name / "result.json").write_text(json.dumps(result.to_json(), indent=1))
    print(f"  FastAPI {on_fastapi.figures()}, Accord {on_accord.figures()}, "
          f"lost {len(result.lost)} ({result.seconds:.0f} s)", flush=True)
    return result


def stored(home: Path) -> list[SuiteResult]:
    results = []
    for suite in SUITES:
        path = home / suite.name / "result.json"
        if not path.is_file():
            raise SystemExit(f"no result for {suite.name} in {home}: run it first")
        result = SuiteResult.from_json(json.loads(path.read_text()))
        # What the table says of the suite is read from SUITES, as it stands now.
        results.append(replace(result, tests_source=suite.tests_source,
                               deselected=suite.deselected))
    return results


def write_pages(results: list[SuiteResult]) -> None:
    page = render_page(results, INTRO, REASONS, accord.__version__)
    PAGE.write_text(page, encoding="utf-8")
    readme = README.read_text(encoding="utf-8")
    README.write_text(replace_between(readme, README_TABLE, readme_table(page)), encoding="utf-8")
    print(f"wrote {PAGE.relative_to(ROOT)} and the table in {README.relative_to(ROOT)}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--suite", choices=[suite.name for suite in SUITES], action="append")
    parser.add_argument("--home", type=Path, default=ROOT / ".ecosystem",
                        help="where the sources, venvs and results go")
    parser.add_argument("--render-only", action="store_true",
                        help="rewrite the page and README from the stored results")
    options = parser.parse_args(argv)
    started = time.monotonic()
    if not options.render_only:
        for suite in SUITES:
            if not options.suite or suite.name in options.suite:
                run_suite(suite, options.home)
    write_pages(stored(options.home))
    print(f"ecosystem matrix done in {time.monotonic() - started:.0f} s", flush=True)


if __name__ == "__main__":
    main()
