"""Settings the CLI hands to the app through the environment of the server's process.

The server imports the app anew (in a reloader or worker process, from an import string), so
an environment variable is the one channel that reaches the app wherever it is created.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from accord._cli.errors import CLIError
from accord._runtime.blocking import ENV_VAR, parse_threshold

__all__ = ["blocking_environment", "development_environment", "environment"]

DEV_THRESHOLD = "100ms"


def blocking_environment(option: str | None) -> dict[str, str]:
    """``ACCORD_DETECT_BLOCKING`` for ``accord dev``: the option, else the variable, else 100ms.

    Raises:
        CLIError: The option is not a duration or on/off.
    """
    if option is None:
        return {ENV_VAR: os.environ.get(ENV_VAR, DEV_THRESHOLD)}
    try:
        parse_threshold(option)
    except ValueError as exc:
        raise CLIError(
            f"Invalid --detect-blocking: {exc}.",
            "For example: --detect-blocking 250ms, or --detect-blocking off",
        ) from None
    return {ENV_VAR: option.strip()}


def development_environment(detect_blocking: str | None) -> dict[str, str]:
    """What ``accord dev`` sets: the blocking-call detector, and ``FASTAPI_ENV=development``
    (as ``fastapi dev`` does, unless already set; `frontend(check_dir="auto")` reads it)."""
    return {
        **blocking_environment(detect_blocking),
        "FASTAPI_ENV": os.environ.get("FASTAPI_ENV", "development"),
    }


@contextmanager
def environment(values: Mapping[str, str]) -> Iterator[None]:
    """Sets `values` in ``os.environ`` for the block (child processes inherit them)."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
