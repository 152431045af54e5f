"""Parallel Markdown rendering: all sources a generator will read are rendered in a process
pool before Pelican's serial read loop. Re-exports ``register`` (``plugin.py``); the logic is
in ``parallel.py``.
"""

from .parallel import DEFAULTS
from .plugin import register

__all__ = ["DEFAULTS", "register"]
