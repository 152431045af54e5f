"""Search engines and social previews: canonical URLs, Open Graph, JSON-LD."""

from .seo import register

__all__ = ["register"]
