"""The customer brochure (``/social-media/broschuere.pdf``): WeasyPrint renders a Jinja
template and print CSS from the theme; a PNG of page 1 is the preview on ``/social-media/``."""

from .plugin import register

__all__ = ["register"]
