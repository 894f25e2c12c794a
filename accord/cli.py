"""The ``accord`` command line: ``accord dev | run | routes | openapi``.

The commands live in :mod:`accord._cli`, which needs typer and rich from the ``standard``
extra; this module imports them only when the command runs, so ``import accord`` never does.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

__all__ = ["main"]

# Top-level packages the command needs that only the `standard` extra installs.
_STANDARD_EXTRA = frozenset({"typer", "rich", "click", "uvicorn"})


def main(args: Sequence[str] | None = None) -> None:
    """Run the ``accord`` command (the console script and ``python -m accord``).

    Args:
        args: The arguments; ``None`` reads ``sys.argv``.
    """
    try:
        from accord._cli.commands import cli
    except ImportError as exc:
        missing = (exc.name or "").partition(".")[0]
        if missing not in _STANDARD_EXTRA:
            raise
        sys.stderr.write(
            f"Error: the accord command needs '{missing}', which is not installed.\n"
            "Hint: install the standard extra: pip install 'accord[standard]'\n"
        )
        raise SystemExit(1) from None
    cli(args=None if args is None else list(args))
