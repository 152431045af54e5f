"""Responsive images: WebP + JPEG derivatives at several widths, made in parallel and cached
by content hash. Re-exports ``register`` (``plugin.py``) and ``derivatives``; the logic is in ``images.py``.
"""

from .images import DEFAULTS, SUFFIX, derivatives, derivatives_many, link_into, workers
from .plugin import register

__all__ = ["DEFAULTS", "SUFFIX", "derivatives", "derivatives_many", "link_into", "register", "workers"]
