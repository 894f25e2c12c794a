"""The CLI fixtures (`invoke`, `project`) for the `accord check` tests."""

from tests.cli.conftest import invoke, project

__all__ = ["invoke", "project"]
