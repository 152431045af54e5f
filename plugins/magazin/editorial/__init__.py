"""Editorial workflow: review and data-protection sign-offs, the authors' linter
(``invoke check``), the pipeline table (``invoke status``) and safe publishing.

Re-exports ``register``; the signal handlers are in ``plugin.py``.
"""

from .plugin import register

__all__ = ["register"]
