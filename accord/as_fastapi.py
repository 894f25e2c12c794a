"""``import fastapi`` answered by Accord, for running a FastAPI app or test suite unchanged.

Importing this module turns the alias on for the rest of the process: ``fastapi`` and every
``fastapi.X`` resolve to the Accord module at the same path (the same module object), and
``importlib.metadata.version("fastapi")`` reports the FastAPI release Accord implements.
It is offered three ways:

* ``import accord.as_fastapi`` as the first import of an entry point;
* ``pytest -p accord.as_fastapi``: an existing test suite runs on Accord without an edit;
* ``accord run --as-fastapi`` / ``accord dev --as-fastapi`` (or ``ACCORD_AS_FASTAPI=1``).

It must come before anything imports the real FastAPI; otherwise importing this module
raises :class:`AliasError` naming where FastAPI was imported from. Importing it again, or
turning the alias on twice, changes nothing.
"""

from __future__ import annotations

from accord._alias import FASTAPI_VERSION, AliasError, activate, is_active

__all__ = ["FASTAPI_VERSION", "AliasError", "activate", "is_active"]

activate()
