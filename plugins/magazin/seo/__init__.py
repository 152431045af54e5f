"""Search engines and social previews: canonical URLs, Open Graph, JSON-LD."""

from .plugin import register

__all__ = ["register"]
