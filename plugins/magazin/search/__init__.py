"""Full-text search of the magazine: Pagefind indexes the finished site at build time."""

from .indexer import IndexStats, bundle_size, index_site
from .plugin import register

__all__ = ["IndexStats", "bundle_size", "index_site", "register"]
