"""Canonical URLs, Open Graph data and JSON-LD, built in Python and escaped safely.

Templates call:
- ``absolute_url(path)``: ``MAGAZINE_CANONICAL_BASE`` + path (canonical, og:url, og:image).
- ``article_jsonld(article)``, ``organization_jsonld()``, ``webpage_jsonld(title, url)``:
  dicts, rendered with the ``jsonld`` filter, which escapes ``<``, ``>`` and ``&`` so
  no value can close the ``<script>`` element.
"""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from magazin.core import insides
from magazin.core.settings import canonical_base, publisher_name


def to_jsonld(data: Any) -> Markup:
    """Serialise for a ``<script type="application/ld+json">`` block (safe against ``</script>``)."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False, indent=None, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)  # noqa: S704 - escaped above


class Seo:
    """Helpers bound to one build's settings and context."""

    def __init__(self, context: dict):
        self.context = context
        self.base = canonical_base(context)

    def absolute_url(self, path: str = "") -> str:
        if path.startswith(("http://", "https://")):
            return path
        return f"{self.base}/{path.lstrip('/')}"

    def publisher(self) -> dict:
        return {
            "@type": "Organization",
            "name": publisher_name(self.context),
            "url": self.absolute_url(""),
            "logo": {"@type": "ImageObject", "url": self.absolute_url("theme/images/logo.png")},
        }

    def organization_jsonld(self) -> dict:
        data = {"@context": "https://schema.org", **self.publisher()}
        same_as = [c.url for c in self.context.get("CHANNELS", []) if c.platform != "blog"]
        if same_as:
            data["sameAs"] = same_as
        return data

    def website_jsonld(self) -> dict:
        return {
            "@context": "https://schema.org",
            "@type": "WebSite",
            "name": self.context.get("SITENAME"),
            "url": self.absolute_url(""),
            "inLanguage": "de-DE",
            "publisher": self.publisher(),
        }

    def article_jsonld(self, article) -> dict:
        authors = []
        for person in getattr(article, "people", []):
            author = {
                "@type": "Person",
                "name": person.name,
                "jobTitle": person.role,
                "worksFor": {"@type": "Organization", "name": publisher_name(self.context)},
            }
            for a in article.authors:
                if a.name == person.name:
                    author["url"] = self.absolute_url(a.url)
            authors.append(author)
        data = {
            "@context": "https://schema.org",
            "@type": "BlogPosting",
            "headline": article.title,
            "description": getattr(article, "description", ""),
            "datePublished": article.date.isoformat(),
            "dateModified": getattr(article, "modified", article.date).isoformat(),
            "inLanguage": "de-DE",
            "mainEntityOfPage": self.absolute_url(article.url),
            "url": self.absolute_url(article.url),
            "author": authors,
            "publisher": self.publisher(),
            "image": self.absolute_url(self.og_image(article)),
            "wordCount": getattr(article, "word_count", None),
        }
        if getattr(article, "category", None):
            data["articleSection"] = article.category.name
        tags = [t.name for t in getattr(article, "tags", [])]
        if tags:
            data["keywords"] = tags
        return {k: v for k, v in data.items() if v not in (None, "", [])}

    def og_image(self, content=None) -> str:
        image = getattr(content, "og_image", None) if content is not None else None
        return image or self.context.get("DEFAULT_OG_IMAGE", "")


def add_globals(generator) -> None:
    seo = Seo(generator.context)
    generator.env.globals.update(
        absolute_url=seo.absolute_url,
        article_jsonld=seo.article_jsonld,
        organization_jsonld=seo.organization_jsonld,
        website_jsonld=seo.website_jsonld,
        og_image=seo.og_image,
    )
    generator.env.filters["jsonld"] = to_jsonld


def reset_sitemap(pelican_object) -> None:
    """The official sitemap plugin keeps its state in a module global: a build that
    failed halfway would leave it pointing at the dead build (no sitemap ever again
    in that process). Start every build clean."""
    gen = insides.sitemap_generator()
    if gen is not None:
        insides.reset_sitemap(gen)


def sitemap_lastmod(generator) -> None:
    """Listing pages get the newest article's date as lastmod, not the clock: the same
    content gives the same sitemap."""
    gen = insides.sitemap_generator()
    dates = [getattr(a, "modified", a.date) for a in generator.articles]
    if gen is not None and dates:
        insides.set_sitemap_now(gen, max(dates))
