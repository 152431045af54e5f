"""Departments and authors: the magazine's masthead (Impressum of who writes what).

Re-exports ``register`` (``plugin.py``); the logic is in ``masthead.py``.
"""

from .plugin import register

__all__ = ["register"]
