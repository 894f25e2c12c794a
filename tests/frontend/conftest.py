"""The CLI fixtures for the `accord dev` test of frontends."""

from tests.cli.conftest import project

__all__ = ["project"]
