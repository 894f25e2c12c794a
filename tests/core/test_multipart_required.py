"""A Form parameter needs python-multipart, found under its current name first.

python-multipart is imported as `python_multipart` since 0.0.13; its old name `multipart` then
still works but warns (PendingDeprecationWarning), and is also the name of an unrelated package
that cannot parse forms for Starlette.
"""

from __future__ import annotations

import subprocess
import sys
import types
from pathlib import Path
from typing import Annotated

import pytest

from accord import FastAPI, Form
from accord.exceptions import AccordError


def register_a_form_route() -> None:
    app = FastAPI()

    @app.post("/login")
    def login(username: Annotated[str, Form()]) -> str:
        return username


def test_the_current_name_is_used_and_the_old_one_is_not_imported() -> None:
    # A fresh interpreter, warnings as errors: importing the old name would warn, and no
    # earlier test has imported it for us.
    code = (
        "import sys\n"
        "from tests.core.test_multipart_required import register_a_form_route\n"
        "register_a_form_route()\n"
        "print('python_multipart' in sys.modules, 'multipart' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", code],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).parents[2],
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "False"]


def other_multipart() -> types.ModuleType:
    """The unrelated `multipart` package: a single module, no `multipart.multipart`."""
    module = types.ModuleType("multipart")
    module.__version__ = "1.2.1"  # type: ignore[attr-defined]
    return module


def old_python_multipart() -> dict[str, types.ModuleType | None]:
    """A python-multipart from before 0.0.13: a `multipart` package with `multipart.multipart`."""
    package = types.ModuleType("multipart")
    package.__path__ = []
    package.__version__ = "0.0.9"  # type: ignore[attr-defined]
    return {
        "python_multipart": None,
        "multipart": package,
        "multipart.multipart": old_parser_module(),
    }


def old_parser_module() -> types.ModuleType:
    module = types.ModuleType("multipart.multipart")
    module.QuerystringParser = type("QuerystringParser", (), {})  # type: ignore[attr-defined]
    return module


def test_an_old_python_multipart_under_its_old_name_is_accepted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name, module in old_python_multipart().items():
        monkeypatch.setitem(sys.modules, name, module)
    register_a_form_route()


@pytest.mark.parametrize(
    "modules",
    [
        {"python_multipart": None, "multipart": None},
        {"python_multipart": None, "multipart": other_multipart()},
    ],
    ids=["nothing installed", "the other multipart package"],
)
def test_without_python_multipart_a_form_route_fails_at_registration(
    monkeypatch: pytest.MonkeyPatch, modules: dict[str, types.ModuleType | None]
) -> None:
    monkeypatch.delitem(sys.modules, "multipart.multipart", raising=False)
    for name, module in modules.items():
        monkeypatch.setitem(sys.modules, name, module)
    with pytest.raises(AccordError, match='Form data requires "python-multipart"') as caught:
        register_a_form_route()
    assert "pip install python-multipart" in str(caught.value)
    assert "login" in str(caught.value)
