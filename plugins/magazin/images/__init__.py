"""Responsive images: WebP + JPEG derivatives at several widths, made in parallel and cached
by content hash. Re-exports ``register`` and ``derivatives``; the logic is in ``images.py``.
"""

from .images import IMAGES_DEFAULTS, SUFFIX, derivatives, derivatives_many, link_into, register, workers

__all__ = ["IMAGES_DEFAULTS", "SUFFIX", "derivatives", "derivatives_many", "link_into", "register", "workers"]
