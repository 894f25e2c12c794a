"""The benchmark apps, and how to load each one.

The Accord apps are not files of their own: they are the FastAPI modules
(``fastapi_app.py``, ``fastapi_scale.py``) executed again with ``fastapi`` replaced by
``accord`` in their import lines. That is the drop-in promise, measured.
"""

import importlib
import re
import sys
from pathlib import Path
from types import ModuleType

APPS_DIR = Path(__file__).parent

# Frameworks in report order. "litestar-msgspec" is Litestar with msgspec models (the endpoints
# with models only); "raw" is a bare ASGI callable (plaintext and JSON only).
FRAMEWORKS = ("accord", "fastapi", "litestar", "litestar-msgspec", "starlette", "raw")
SCALE_FRAMEWORKS = ("accord", "fastapi", "litestar", "starlette")
# The realistic start-up app (fastapi_startup.py) exists in FastAPI's programming model only.
STARTUP_FRAMEWORKS = ("accord", "fastapi")

_IMPORT_LINE = re.compile(r"^(\s*)(from|import) fastapi\b", re.MULTILINE)


def as_accord_source(source: str) -> str:
    """Return ``source`` with its ``fastapi`` imports pointed at ``accord``, nothing else."""
    rewritten, count = _IMPORT_LINE.subn(r"\1\2 accord", source)
    if count == 0:
        raise ValueError("the FastAPI module imports nothing from fastapi")
    return rewritten


def _load_accord_variant(stem: str) -> ModuleType:
    name = f"benchmarks.apps.accord_{stem}"
    if name in sys.modules:
        return sys.modules[name]
    path = APPS_DIR / f"fastapi_{stem}.py"
    module = ModuleType(name)
    module.__file__ = str(path)
    sys.modules[name] = module
    try:
        code = compile(as_accord_source(path.read_text()), str(path), "exec")
        exec(code, module.__dict__)
    except BaseException:
        del sys.modules[name]
        raise
    return module


def load_module(framework: str, stem: str = "app") -> ModuleType:
    """Import the benchmark module ``{framework}_{stem}`` (``stem``: ``app``, ``scale``,
    ``startup``; a ``-`` in the framework's name is a ``_`` in the module's)."""
    if framework not in FRAMEWORKS:
        raise ValueError(f"unknown framework {framework!r}; expected one of {FRAMEWORKS}")
    if framework == "accord":
        return _load_accord_variant(stem)
    return importlib.import_module(f"benchmarks.apps.{framework.replace('-', '_')}_{stem}")
