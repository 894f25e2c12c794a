"""Errors the ``accord`` command reports to the user instead of a traceback."""

from __future__ import annotations

__all__ = ["AppImportError", "CLIError", "summarize"]


class CLIError(Exception):
    """A problem the user can fix, shown as one line and a hint, never as a traceback.

    Args:
        message: What went wrong, in one line.
        hint: What to do about it, in one line.
    """

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class AppImportError(CLIError):
    """The user's module raised while being imported.

    It is the one error shown with a traceback, trimmed to the frames of the user's code,
    because the fix is in that code.

    Args:
        message: What went wrong, in one line.
        hint: What to do about it, in one line.
        traceback_text: The formatted traceback of the user's code.
    """

    def __init__(self, message: str, hint: str, traceback_text: str) -> None:
        super().__init__(message, hint)
        self.traceback_text = traceback_text


def summarize(exc: BaseException) -> str:
    """``Type: first line of the message``, for an error reported in one line."""
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__
