"""Parallel Markdown rendering: all sources a generator will read are rendered in a process
pool before Pelican's serial read loop. Re-exports ``register``; the logic is in ``parallel.py``.
"""

from .parallel import PARALLEL_DEFAULTS, register

__all__ = ["PARALLEL_DEFAULTS", "register"]
