"""Signal wiring of the seo plugin (it has no settings of its own).

List it AFTER ``pelican.plugins.sitemap`` in ``PLUGINS``: ``reset_sitemap`` and
``sitemap_lastmod`` touch the sitemap plugin's generator (``tests/test_architecture.py`` pins
the private attributes they rely on).
"""

from __future__ import annotations

from pelican import signals

from .seo import add_globals, reset_sitemap, sitemap_lastmod


def register() -> None:
    signals.initialized.connect(reset_sitemap)
    signals.generator_init.connect(add_globals)
    signals.article_generator_finalized.connect(sitemap_lastmod)
