"""The CLI fixtures (`invoke`, `project`) for the `accord openapi diff` tests."""

from tests.cli.conftest import invoke, project

__all__ = ["invoke", "project"]
