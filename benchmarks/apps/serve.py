"""Server entry points: ``uvicorn benchmarks.apps.serve:accord`` (or fastapi, litestar, ...)."""

from typing import Any

from benchmarks.apps import FRAMEWORKS, load_module


def __getattr__(name: str) -> Any:
    if name in FRAMEWORKS:
        return load_module(name).app
    raise AttributeError(name)
