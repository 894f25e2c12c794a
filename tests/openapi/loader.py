"""Load one scenario snippet twice: with ``fw`` bound to FastAPI and to Accord."""

from __future__ import annotations

import importlib
import itertools
import sys
import types
import warnings
from typing import Any

_counter = itertools.count()


class Framework(types.ModuleType):
    """``fw``: a package's top-level names, and its submodules on first use."""

    def __init__(self, package: str) -> None:
        super().__init__("fw")
        self._package = package

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        module = importlib.import_module(self._package)
        value = getattr(module, name, None)
        if value is not None and not isinstance(value, types.ModuleType):
            return value
        try:
            importlib.import_module(f"{self._package}.{name}")
        except ModuleNotFoundError:
            if isinstance(value, types.ModuleType):
                return Framework(value.__name__)
            raise AttributeError(name) from None
        return Framework(f"{self._package}.{name}")


def load(name: str, source: str, package: str) -> types.ModuleType:
    """Executes `source` as a fresh module in which ``fw`` is `package`."""
    module_name = f"_openapi_{name}_{package}_{next(_counter)}"
    module = types.ModuleType(module_name)
    module.__dict__["fw"] = Framework(package)
    module.__file__ = f"<scenario {name}>"  # the same on both sides; warnings quote it
    sys.modules[module_name] = module
    code = compile(source, f"<{name}>", "exec")
    previous = sys.modules.get("fw")
    sys.modules["fw"] = module.__dict__["fw"]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # deprecated options still shape the document
            exec(code, module.__dict__)
    finally:
        if previous is None:
            del sys.modules["fw"]
        else:
            sys.modules["fw"] = previous
    return module
