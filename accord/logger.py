"""The logger Accord writes its own messages to (named ``accord``)."""

import logging

__all__ = ["logger"]

logger = logging.getLogger("accord")
