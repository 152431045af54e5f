"""German language support: Babel date filters for the templates; slugs live in ``slugs``.

Re-exports ``register`` (signals in ``plugin.py``) and the helpers other code imports."""

from .dates import date_de, iso_date, month_de
from .plugin import register
from .slugs import SLUG_SUBSTITUTIONS, slugify_de

__all__ = ["SLUG_SUBSTITUTIONS", "date_de", "iso_date", "month_de", "register", "slugify_de"]
