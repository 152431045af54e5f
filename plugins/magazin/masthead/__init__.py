"""Departments and authors: the magazine's masthead (Impressum of who writes what).

Re-exports ``register``; the logic is in ``masthead.py``.
"""

from .masthead import register

__all__ = ["register"]
