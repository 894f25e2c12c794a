"""Jinja2 templates rendered into responses (Starlette's; needs the `jinja2` package)."""

from starlette.templating import Jinja2Templates as Jinja2Templates

__all__ = ["Jinja2Templates"]
