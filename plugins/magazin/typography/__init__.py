"""German typography for every page the build writes: non-breaking spaces and hyphens where
a line must not break („3 Min.“, „DN 50“, „EN 1092‑1“, „z. B.“, „T‑Stück“).

Re-exports ``register``; the rules are in ``rules.py``, the HTML walk in ``html.py``.
"""

from .plugin import register

__all__ = ["register"]
