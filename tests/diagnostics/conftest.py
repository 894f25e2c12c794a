"""Helpers: collect the `DeclarationWarning`s a block of registrations emits."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager

from accord.exceptions import DeclarationWarning


@contextmanager
def declaration_warnings() -> Iterator[list[str]]:
    """The messages of the declaration warnings emitted inside the block (others still fail)."""
    messages: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield messages
    for warning in caught:
        if not issubclass(warning.category, DeclarationWarning):
            raise AssertionError(f"unexpected warning: {warning.message}")
        messages.append(str(warning.message))
