"""The implementation of the ``accord`` command line (see :mod:`accord.cli`).

Everything here may import typer and rich, which come with the ``standard`` extra; the core
package never imports this package.
"""

__all__: list[str] = []
