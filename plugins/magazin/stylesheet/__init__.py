"""One render-blocking stylesheet: plugins contribute CSS files that are appended to the
theme's ``css/magazin.css`` in the output. Re-exports ``register`` and ``add_css``; the logic
is in ``stylesheet.py``."""

from .plugin import register
from .stylesheet import DEFAULTS, add_css, bundle

__all__ = ["DEFAULTS", "add_css", "bundle", "register"]
