"""Atom feeds made with feedgen instead of Pelican's feed writer.

Pelican strips tags from titles (``<script>`` in a title would vanish from the feed); here
every title, author and summary is passed as text and escaped by the XML serializer.
Timestamps come from the articles, never from the clock, so feeds are reproducible.

Settings: ``FEEDS_ALL`` (``feeds/all.atom.xml``), ``FEEDS_DEPARTMENT``
(``feeds/{slug}.atom.xml``), ``FEEDS_MAX_ITEMS`` (50).
"""

from __future__ import annotations

import re
from pathlib import Path

from feedgen.feed import FeedGenerator

from magazin.core.settings import Setting, canonical_base, declare, publisher_name, setting

DEFAULTS = declare(
    "magazin.feeds",
    "FEEDS_",
    Setting("FEEDS_ALL", "feeds/all.atom.xml", "the Atom feed of every article"),
    Setting("FEEDS_DEPARTMENT", "feeds/{slug}.atom.xml", "the Atom feed of one department ({slug})"),
    Setting("FEEDS_MAX_ITEMS", 50, "newest articles per feed"),
)

_ROOT_RELATIVE = re.compile(r'(\s(?:src|href|poster)=")/(?!/)')


def absolutize(html: str, base: str) -> str:
    """Make root-relative links in article HTML absolute (feed readers have no base URL)."""
    return _ROOT_RELATIVE.sub(lambda m: f"{m.group(1)}{base}/", html)


def build_feed(articles: list, settings: dict, path: str, title: str, page_url: str) -> bytes:
    """One Atom document for ``articles`` (newest first)."""
    base = canonical_base(settings)
    fg = FeedGenerator()
    fg.id(f"{base}/{path}")
    fg.title(title)
    fg.subtitle(settings.get("SITESUBTITLE") or settings.get("SITENAME"))
    fg.link(href=f"{base}/{page_url}", rel="alternate", type="text/html")
    fg.link(href=f"{base}/{path}", rel="self", type="application/atom+xml")
    fg.language("de")
    fg.author({"name": publisher_name(settings)})
    fg.generator("Edelstahlmagazin (Pelican + feedgen)")
    fg.rights(f"© {publisher_name(settings)}")
    items = articles[: setting(settings, "FEEDS_MAX_ITEMS", DEFAULTS)]
    if items:
        fg.updated(max(getattr(a, "modified", a.date) for a in items))
    else:
        fg.updated("1970-01-01T00:00:00Z")
    for article in reversed(items):  # feedgen prepends: add oldest first
        url = f"{base}/{article.url}"
        entry = fg.add_entry()
        entry.id(url)
        entry.title(article.title)
        entry.link(href=url, rel="alternate", type="text/html")
        entry.published(article.date)
        entry.updated(getattr(article, "modified", article.date))
        for author in getattr(article, "authors", []):
            entry.author({"name": author.name})
        entry.summary(getattr(article, "summary_text", ""))
        entry.content(absolutize(article.content, base), type="html")
        if getattr(article, "category", None):
            entry.category(term=article.category.slug, label=article.category.name)
        for tag in getattr(article, "tags", []):
            entry.category(term=tag.slug, label=tag.name)
    return fg.atom_str(pretty=True)


class FeedsGenerator:
    """Writes the Atom feeds after the articles are known (a Pelican generator)."""

    def __init__(self, context, settings, path, theme, output_path, *args, **kwargs):
        self.context = context
        self.settings = settings
        self.output_path = Path(output_path)

    def generate_context(self) -> None:
        pass

    def _write(self, rel: str, data: bytes) -> None:
        target = self.output_path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)

    def generate_output(self, writer) -> None:
        articles = self.context.get("articles", [])
        sitename = self.settings.get("SITENAME", "")
        all_path = setting(self.settings, "FEEDS_ALL", DEFAULTS)
        if all_path:
            self._write(all_path, build_feed(articles, self.settings, all_path, sitename, ""))
        dep_pattern = setting(self.settings, "FEEDS_DEPARTMENT", DEFAULTS)
        if dep_pattern:
            for category, cat_articles in self.context.get("categories", []):
                rel = dep_pattern.format(slug=category.slug)
                title = f"{category.name} · {sitename}"
                self._write(rel, build_feed(cat_articles, self.settings, rel, title, category.url))
