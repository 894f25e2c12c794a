"""``import accord.as_fastapi``: ``fastapi`` and ``fastapi.*`` are Accord's modules.

Each test that turns the alias on runs in a fresh process (see conftest.py); the ones that
check the refusal run here too, where the real FastAPI is imported.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from accord import _alias

from .conftest import ACCORD_INIT, LEGACY_APP, SOURCE_ROOT, run_code, run_python, write

# The editable install of the main checkout adds a finder that serves `accord.X` modules the
# checkout under test lacks from that other checkout; the subprocesses drop it so that "what
# Accord has" is exactly this checkout.
HERMETIC = """
import sys
sys.meta_path[:] = [f for f in sys.meta_path if "__editable__" not in getattr(f, "__module__", "")]
"""


def real_fastapi_dir() -> Path:
    spec = importlib.util.find_spec("fastapi")
    assert spec is not None and spec.origin is not None
    return Path(spec.origin).parent


def real_fastapi_modules() -> list[str]:
    """Every module of the installed FastAPI release, by its dotted name."""
    root = real_fastapi_dir()
    names = []
    for file in sorted(root.rglob("*.py")):
        parts = list(file.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        if parts[-1] != "__main__":  # running it is its only use
            names.append(".".join(parts))
    return names


def accord_has(fastapi_name: str) -> bool:
    path = SOURCE_ROOT / ("accord" + fastapi_name.removeprefix("fastapi")).replace(".", "/")
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def test_every_fastapi_module_is_the_accord_module_or_a_clear_error(tmp_path: Path) -> None:
    names = real_fastapi_modules()
    assert {"fastapi", "fastapi.routing", "fastapi.security.oauth2"} <= set(names)
    code = HERMETIC + """
import importlib, json, sys, warnings
import accord.as_fastapi

warnings.filterwarnings("ignore", message="starlette.middleware.wsgi is deprecated")
results = {}
for name in json.loads(sys.argv[1]):
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as exc:
        results[name] = {"missing": exc.name, "message": str(exc)}
        continue
    accord_module = importlib.import_module("accord" + name.removeprefix("fastapi"))
    # The top-level `fastapi` is a facade over `accord` (its own __version__); the rest are
    # Accord's modules themselves.
    target = module.__accord__ if name == "fastapi" else module
    results[name] = {
        "same": target is accord_module and sys.modules[name] is module,
        "spec": module.__spec__.name,
    }
print(json.dumps(results))
"""
    result = run_code(tmp_path, code, json.dumps(names))
    assert result.returncode == 0, result.stderr
    results = json.loads(result.stdout)
    for name in names:
        accord_name = "accord" + name.removeprefix("fastapi")
        if accord_has(name):
            # The same object under both names, its own spec kept (not the alias's).
            assert results[name] == {"same": True, "spec": accord_name}, name
        else:
            missing = results[name]["missing"]
            assert name == missing or name.startswith(missing + "."), results[name]
            assert f"No module named '{missing}'" in results[name]["message"]
            assert "accord" + missing.removeprefix("fastapi") in results[name]["message"]
    # Some of FastAPI's internals are not Accord's, so both branches ran.
    assert not all(accord_has(name) for name in names)


def test_import_statements_and_attributes_resolve_to_accord(tmp_path: Path) -> None:
    code = HERMETIC + """
import accord.as_fastapi
import sys

import fastapi
import fastapi.security.oauth2
from fastapi import FastAPI, status
from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient

import accord
import accord.responses
import accord.security.oauth2
import accord.status

assert sys.meta_path[0].__class__.__name__ == "_AliasFinder", sys.meta_path
assert fastapi.__file__ == accord.__file__ and fastapi.__path__ == accord.__path__
assert fastapi.__version__ == "0.163.2" and accord.__version__ != fastapi.__version__
assert fastapi.routing is accord.routing and fastapi.Depends is accord.Depends
assert fastapi.security.oauth2 is accord.security.oauth2
assert sys.modules["fastapi.security.oauth2"] is accord.security.oauth2
assert status is accord.status and fastapi.status is accord.status
assert FastAPI is accord.FastAPI and JSONResponse is accord.responses.JSONResponse

app = FastAPI()

@app.get("/answer")
def answer() -> JSONResponse:
    return JSONResponse({"answer": 42}, status_code=status.HTTP_202_ACCEPTED)

response = TestClient(app).get("/answer")
assert (response.status_code, response.json()) == (202, {"answer": 42}), response

# Nothing of the installed FastAPI was loaded.
real = [m for m in list(sys.modules.values()) if (getattr(m, "__file__", "") or "").startswith(sys.argv[1])]
assert real == [], real
print("ok")
"""
    result = run_code(tmp_path, code, str(real_fastapi_dir()))
    assert (result.returncode, result.stdout, result.stderr) == (0, "ok\n", "")


def test_a_missing_module_and_a_missing_name_fail_clearly(tmp_path: Path) -> None:
    code = HERMETIC + """
import accord.as_fastapi
import importlib.util

for statement in ("import fastapi.no_such_module", "from fastapi.no_such_module import x"):
    try:
        exec(statement)
    except ModuleNotFoundError as exc:
        print(exc.name, "|", exc)
try:
    from fastapi import no_such_name
except ImportError as exc:
    print(exc)
"""
    result = run_code(tmp_path, code)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    expected = (
        "fastapi.no_such_module | No module named 'fastapi.no_such_module': the fastapi alias "
        "is on, and Accord has no 'accord.no_such_module' to answer it with"
    )
    assert lines[0].startswith(expected) and lines[1].startswith(expected)
    assert lines[2].startswith("cannot import name 'no_such_name' from 'fastapi'") and "accord" in lines[2]


def test_activating_twice_is_a_no_op(tmp_path: Path) -> None:
    code = """
import importlib, sys
import accord.as_fastapi
import fastapi.routing
accord.as_fastapi.activate()
importlib.reload(accord.as_fastapi)
accord.as_fastapi.activate()
finders = [f for f in sys.meta_path if type(f).__name__ == "_AliasFinder"]
print(len(finders), sys.meta_path[0] is finders[0], accord.as_fastapi.is_active())
"""
    result = run_code(tmp_path, code)
    assert (result.returncode, result.stdout, result.stderr) == (0, "1 True True\n", "")


def test_an_entry_point_that_imports_the_alias_first_runs_a_fastapi_app(tmp_path: Path) -> None:
    write(tmp_path / "shop.py", LEGACY_APP)
    write(
        tmp_path / "serve_shop.py",
        """
        import accord.as_fastapi  # first: `import fastapi` below is Accord from here on

        import json

        from fastapi.testclient import TestClient

        from shop import app

        client = TestClient(app)
        ok = client.get("/items/3", headers={"Authorization": "Bearer t"})
        missing = client.get("/items/0", headers={"Authorization": "Bearer t"})
        anonymous = client.get("/items/3")
        print(json.dumps([
            [ok.status_code, ok.json()],
            [missing.status_code, missing.json()],
            [anonymous.status_code, anonymous.headers.get("www-authenticate")],
            client.get("/whoami").json(),
        ]))
        """,
    )
    result = run_python(tmp_path, "serve_shop.py")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        [200, {"name": "item 3", "price": 1.5}],
        [404, {"detail": "no such item"}],
        [401, "Bearer"],
        {"fastapi_file": ACCORD_INIT, "same_class": "True"},
    ]


def test_refused_when_the_real_fastapi_was_imported_first(tmp_path: Path) -> None:
    code = """
import sys
import fastapi
before = list(sys.meta_path)
try:
    import accord.as_fastapi
except ImportError as exc:
    print(type(exc).__name__, exc.name, exc.path, sep="|")
    print(exc)
print(sys.meta_path == before, "accord.as_fastapi" in sys.modules, fastapi.__file__)
"""
    result = run_code(tmp_path, code)
    assert result.returncode == 0, result.stderr
    real_init = str(real_fastapi_dir() / "__init__.py")
    kind, message, after = result.stdout.splitlines()
    assert kind == f"AliasError|fastapi|{real_init}"
    assert message.startswith(
        "Cannot alias fastapi to accord: the real FastAPI is already imported in this "
        f"process ('fastapi' from {real_init}). Turn the alias on before anything imports fastapi"
    )
    assert "pytest -p accord.as_fastapi" in message
    # Nothing was installed, and the failed import left no half-made module behind.
    assert after == f"True False {real_init}"


def test_refused_in_this_process_where_fastapi_is_the_oracle() -> None:
    import fastapi

    before = list(sys.meta_path)
    with pytest.raises(_alias.AliasError) as caught:
        _alias.activate()
    assert (caught.value.name, caught.value.path) == ("fastapi", fastapi.__file__)
    assert sys.meta_path == before
    assert not _alias.is_active()
    assert sys.modules["fastapi"] is fastapi


def test_importing_accord_never_installs_fastapi(tmp_path: Path) -> None:
    # Every accord module but the alias's front door, imported; then `fastapi` is the real one.
    code = """
import importlib, importlib.metadata, pkgutil, sys, warnings
import accord

warnings.filterwarnings("ignore", message="starlette.middleware.wsgi is deprecated")
for info in pkgutil.walk_packages(accord.__path__, "accord."):
    if info.name != "accord.as_fastapi":
        importlib.import_module(info.name)
assert "accord._alias" in sys.modules
print(sorted(n for n in sys.modules if n.split(".")[0] == "fastapi"))
print([type(f).__name__ for f in sys.meta_path if type(f).__name__ == "_AliasFinder"])
import fastapi
print(fastapi.__file__, fastapi is accord, importlib.metadata.version("fastapi"))
"""
    result = run_code(tmp_path, code)
    assert result.returncode == 0, result.stderr
    real_init = str(real_fastapi_dir() / "__init__.py")
    assert result.stdout.splitlines() == ["[]", "[]", f"{real_init} False {fastapi_release()}"]


def fastapi_release() -> str:
    import fastapi

    return str(fastapi.__version__)
