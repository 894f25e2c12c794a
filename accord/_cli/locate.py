"""Turn what the user typed (a path, ``module:attr``, ``--app``) into a module to import.

Nothing is imported here: this module only reads the file system, so that every mistake in
the command line is reported before any user code runs.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from accord._cli.errors import CLIError

__all__ = ["DEFAULT_FILES", "AppReference", "locate"]

#: Files tried, in order, when no PATH is given (the same list as ``fastapi dev``).
DEFAULT_FILES = ("main.py", "app.py", "api.py", "app/main.py", "app/app.py", "app/api.py")

_PATH_HINT = "Give the file that creates your app (e.g. main.py) or an import string (main:app)."


@dataclass(frozen=True)
class AppReference:
    """Where to find an app, before anything is imported.

    Attributes:
        module: The dotted module name to import.
        attribute: The (possibly dotted) attribute holding the app; ``None`` to search for it.
        sys_path: The directory that must be on ``sys.path`` for ``module`` to import.
        origin: The file or package directory the user pointed at, if any; used to check that
            the import found that file and not another module of the same name.
    """

    module: str
    attribute: str | None
    sys_path: Path
    origin: Path | None

    @property
    def label(self) -> str:
        """How to name the module in messages: the file the user gave, else the module."""
        if self.origin is None:
            return self.module
        try:
            return str(self.origin.relative_to(Path.cwd()))
        except ValueError:
            return str(self.origin)


def locate(path: str | None, app_name: str | None) -> AppReference:
    """Find the module named by the command line, relative to the current directory.

    Args:
        path: The PATH argument: a file, a package directory, ``file.py:attr``,
            ``module:attr``, or ``None`` for ``[tool.accord] entrypoint`` in pyproject.toml,
            then the default files.
        app_name: The ``--app`` option.

    Returns:
        The module to import and the directory to put on ``sys.path``.

    Raises:
        CLIError: The path does not exist, is not importable, or conflicts with ``--app``.
    """
    if path is None:
        reference = _from_pyproject() or _from_path(_default_file(), None)
    elif Path(path).exists():
        reference = _from_path(Path(path), None)
    elif ":" in path:
        reference = _from_import_string(path)
    else:
        raise CLIError(f"Path '{path}' does not exist (in {Path.cwd()}).", _PATH_HINT)
    return _with_app_name(reference, app_name)


def _with_app_name(reference: AppReference, app_name: str | None) -> AppReference:
    if app_name is None or app_name == reference.attribute:
        return reference
    if reference.attribute is not None:
        raise CLIError(
            f"Two app names given: '{reference.attribute}' in PATH and '{app_name}' in --app.",
            "Name the app once, either as module:app or with --app.",
        )
    _check_attribute(app_name)
    return AppReference(reference.module, app_name, reference.sys_path, reference.origin)


def _default_file() -> Path:
    for name in DEFAULT_FILES:
        if Path(name).is_file():
            return Path(name)
    raise CLIError(
        f"No app file found in {Path.cwd()} (looked for {', '.join(DEFAULT_FILES)}).",
        "Run the command in your project directory, or give the file: accord dev path/to/main.py",
    )


def _from_import_string(text: str) -> AppReference:
    target, _, attribute = text.rpartition(":")
    _check_attribute(attribute)
    if Path(target).exists():
        return _from_path(Path(target), attribute)
    if not _is_dotted_name(target):
        raise CLIError(f"Path '{target}' does not exist (in {Path.cwd()}).", _PATH_HINT)
    return AppReference(target, attribute, Path.cwd(), None)


def _from_path(path: Path, attribute: str | None) -> AppReference:
    """Build the module name of ``path``, walking up through its enclosing packages."""
    path = path.resolve()
    if path.is_dir():
        if not (path / "__init__.py").is_file():
            raise CLIError(
                f"'{path}' is a directory without __init__.py, so it is not a package.",
                "Give the file that creates the app (e.g. main.py inside it).",
            )
        parts, directory = [path.name], path.parent
    elif path.suffix != ".py":
        raise CLIError(f"'{path}' is not a Python file.", _PATH_HINT)
    elif path.stem == "__init__":
        parts, directory = [path.parent.name], path.parent.parent
    else:
        parts, directory = [path.stem], path.parent
    while (directory / "__init__.py").is_file():
        parts.insert(0, directory.name)
        directory = directory.parent
    module = ".".join(parts)
    if not _is_dotted_name(module):
        raise CLIError(
            f"'{path}' cannot be imported as a module: '{module}' is not a valid module name.",
            "Rename it with letters, digits and underscores only (e.g. my_app.py).",
        )
    return AppReference(module, attribute, directory, path)


def _from_pyproject() -> AppReference | None:
    """Read ``[tool.accord] entrypoint = "module:attr"`` from ./pyproject.toml, if present."""
    file = Path("pyproject.toml")
    if sys.version_info < (3, 11) or not file.is_file():
        return None
    import tomllib

    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CLIError(f"Could not read {file.resolve()}: {exc}", "Fix the TOML syntax.") from None
    entrypoint = data.get("tool", {}).get("accord", {}).get("entrypoint")
    if entrypoint is None:
        return None
    if not isinstance(entrypoint, str) or ":" not in entrypoint:
        raise CLIError(
            f"[tool.accord] entrypoint in {file.resolve()} must be a string like 'main:app'.",
            'Write it as module:attribute, e.g. entrypoint = "app.main:app".',
        )
    return _from_import_string(entrypoint)


def _check_attribute(attribute: str) -> None:
    if not _is_dotted_name(attribute):
        raise CLIError(
            f"'{attribute}' is not a valid Python name for an app.",
            "Name the variable that holds the app, e.g. --app app.",
        )


def _is_dotted_name(text: str) -> bool:
    return bool(text) and all(part.isidentifier() for part in text.split("."))
