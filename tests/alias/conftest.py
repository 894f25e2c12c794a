"""Helpers for the ``fastapi`` alias tests: fresh Python processes, and a FastAPI-era app.

The alias changes how a whole process imports ``fastapi``, and the test process itself uses
the real FastAPI as its oracle, so every test that turns the alias on does it in a
subprocess.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import accord

# The directory holding the `accord` package under test, first on the subprocesses' path.
SOURCE_ROOT = Path(accord.__file__).resolve().parent.parent
ACCORD_INIT = str(Path(accord.__file__).resolve())

# An app as a FastAPI team writes it: nothing but `fastapi` imports.
LEGACY_APP = """
from typing import Annotated

import fastapi
from fastapi import Depends, FastAPI, HTTPException, Request, status
from fastapi.security import OAuth2PasswordBearer
from pydantic import BaseModel

import accord

oauth2 = OAuth2PasswordBearer(tokenUrl="token")


class Item(BaseModel):
    name: str
    price: float


app = FastAPI(title="Legacy shop")


@app.get("/items/{item_id}", response_model=Item)
def read_item(item_id: int, token: Annotated[str, Depends(oauth2)]) -> Item:
    if item_id == 0:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such item")
    return Item(name=f"item {item_id}", price=1.5)


@app.get("/whoami")
def whoami(request: Request) -> dict[str, str]:
    return {
        "fastapi_file": fastapi.__file__,
        "same_class": str(type(request.app) is accord.Accord),
    }
"""


def write(path: Path, source: str) -> Path:
    """Write dedented ``source`` to ``path``, creating its directories."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    return path


def subprocess_env(**extra: str) -> dict[str, str]:
    """This environment, with the checkout first on ``PYTHONPATH`` and the alias variable off."""
    env = dict(os.environ)
    env.pop("ACCORD_AS_FASTAPI", None)
    env.pop("PORT", None)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SOURCE_ROOT), env.get("PYTHONPATH")]))
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env


def run_python(
    cwd: Path, *args: str, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run ``python ARGS`` to completion in ``cwd``, warnings as errors."""
    return subprocess.run(
        [sys.executable, "-W", "error", *args],
        cwd=cwd,
        env=env or subprocess_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def run_code(cwd: Path, code: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run a dedented Python snippet in a fresh process."""
    return run_python(cwd, "-c", textwrap.dedent(code), *args)
