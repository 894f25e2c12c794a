"""Import the user's module and pick the app out of it, as ``fastapi dev`` does.

An object counts as an app when it is an :class:`accord.Accord`. When the user names the
attribute explicitly, any ASGI callable is accepted, so that a plain Starlette app (or an app
wrapped in middleware) can be served too.
"""

from __future__ import annotations

import contextlib
import importlib
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import cast

from starlette.types import ASGIApp

from accord import _alias
from accord._cli.errors import AppImportError, CLIError, summarize
from accord._cli.locate import AppReference, locate

__all__ = ["APP_NAMES", "FoundApp", "find_app"]

#: Attribute names searched first for the app (then every attribute in definition order).
APP_NAMES = ("app", "api")


@dataclass(frozen=True)
class FoundApp:
    """An imported app and how to import it again (in a reloader or a worker process).

    Attributes:
        app: The application object.
        reference: Where it came from; ``reference.attribute`` is always set.
    """

    app: ASGIApp
    reference: AppReference

    @property
    def import_string(self) -> str:
        """``module:attribute``, the form Uvicorn and Granian import."""
        return f"{self.reference.module}:{self.reference.attribute}"


def find_app(path: str | None, app_name: str | None) -> FoundApp:
    """Locate, import and return the app named by the command line.

    Args:
        path: The PATH argument (see :func:`accord._cli.locate.locate`).
        app_name: The ``--app`` option.

    Returns:
        The app, with the import string that finds it again.

    Raises:
        CLIError: Nothing importable at ``path``, or no app in it.
        AppImportError: The user's module raised while being imported.
    """
    reference = locate(path, app_name)
    module = _import(reference)
    name, app = _pick(module, reference)
    located = AppReference(reference.module, name, reference.sys_path, reference.origin)
    return FoundApp(app, located)


def _import(reference: AppReference) -> ModuleType:
    directory = str(reference.sys_path)
    if sys.path[:1] != [directory]:
        sys.path.insert(0, directory)
    importlib.invalidate_caches()
    try:
        # Whatever the module prints at import goes to stderr, so that `accord openapi`
        # keeps stdout a clean JSON document.
        with contextlib.redirect_stdout(sys.stderr):
            module = importlib.import_module(reference.module)
    except ModuleNotFoundError as exc:
        if _is_the_module_itself(exc, reference.module):
            raise CLIError(
                f"No module named '{exc.name}' (searched from {directory}).",
                "Run the command from the directory that contains it, or give its file path.",
            ) from None
        raise _user_code_error(exc, reference) from None
    except (Exception, SystemExit) as exc:
        raise _user_code_error(exc, reference) from None
    _check_origin(module, reference)
    return module


def _is_the_module_itself(exc: ModuleNotFoundError, module: str) -> bool:
    """Whether the missing module is the one asked for (or its package), not a user import."""
    return exc.name is not None and (module == exc.name or module.startswith(exc.name + "."))


def _user_code_error(exc: BaseException, reference: AppReference) -> AppImportError:
    missing = exc.name if isinstance(exc, ModuleNotFoundError) else None
    if missing and missing.partition(".")[0] == "fastapi" and _alias.is_active():
        hint = (
            "With --as-fastapi, fastapi.X is accord.X, and Accord has FastAPI's public "
            "modules only; import the name from one of them."
        )
    elif missing:
        hint = (
            f"Install the package that provides '{missing}' into this environment "
            f"({sys.executable}), or fix the import."
        )
    else:
        hint = "The traceback above shows the line of your code that failed."
    return AppImportError(
        f"Could not import {reference.label}: {summarize(exc)}", hint, _user_traceback(exc)
    )


def _user_traceback(exc: BaseException) -> str:
    """Format ``exc`` without the frames of the import machinery and of this module."""
    frames = [
        frame
        for frame in traceback.extract_tb(exc.__traceback__)
        if not frame.filename.startswith("<frozen importlib")
        and Path(frame.filename).parent != Path(importlib.__file__).parent
        and frame.filename not in (__file__, _alias.__file__)
    ]
    lines = ["Traceback (most recent call last):\n"] if frames else []
    lines += traceback.format_list(frames)
    lines += traceback.format_exception_only(type(exc), exc)
    return "".join(lines)


def _check_origin(module: ModuleType, reference: AppReference) -> None:
    """Fail when the import found another module of the same name than the user's file."""
    if reference.origin is None or module.__file__ is None:
        return
    expected = reference.origin
    if expected.is_dir():
        expected = expected / "__init__.py"
    found = Path(module.__file__).resolve()
    if found != expected:
        raise CLIError(
            f"Importing '{reference.module}' found {found}, not {expected}.",
            f"Another module named '{reference.module}' shadows your file; rename your file.",
        )


def _pick(module: ModuleType, reference: AppReference) -> tuple[str, ASGIApp]:
    if reference.attribute is not None:
        return reference.attribute, _named(module, reference)
    candidates = [*APP_NAMES, *vars(module)]
    for name in candidates:
        if _is_accord(getattr(module, name, None)):
            return name, cast(ASGIApp, getattr(module, name))
    raise CLIError(f"No Accord app found in {reference.label}.", _no_app_hint(module))


def _named(module: ModuleType, reference: AppReference) -> ASGIApp:
    obj: object = module
    for part in str(reference.attribute).split("."):
        if not hasattr(obj, part):
            raise CLIError(
                f"{reference.label} has no attribute '{reference.attribute}'.",
                _no_app_hint(module),
            )
        obj = getattr(obj, part)
    if not callable(obj):
        raise CLIError(
            f"'{reference.attribute}' in {reference.label} is {_describe(obj)}, not an app.",
            "Point at the object created with Accord() (or another ASGI app).",
        )
    return cast(ASGIApp, obj)


def _no_app_hint(module: ModuleType) -> str:
    apps = [name for name, value in vars(module).items() if _is_accord(value)]
    if apps:
        return f"Apps in this module: {', '.join(apps)}; pick one with --app NAME."
    for name in APP_NAMES:
        value = vars(module).get(name)
        if callable(value):
            return (
                f"'{name}' is {_describe(value)}, not an Accord app; "
                f"pass --app {name} to use it anyway."
            )
    return "Create one with `app = Accord()`, or name it with --app NAME."


def _describe(obj: object) -> str:
    kind = type(obj)
    return f"a {kind.__module__}.{kind.__qualname__}"


def _is_accord(obj: object) -> bool:
    from accord import Accord

    return isinstance(obj, Accord)
