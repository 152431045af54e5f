"""One render-blocking stylesheet: plugins contribute CSS files that are appended to the
theme's ``css/magazin.css`` in the output. Re-exports ``register`` and ``add_css``; the logic
is in ``stylesheet.py``."""

from .stylesheet import STYLESHEET_DEFAULTS, add_css, bundle, register

__all__ = ["STYLESHEET_DEFAULTS", "add_css", "bundle", "register"]
