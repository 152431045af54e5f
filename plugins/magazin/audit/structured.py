"""Gate "Structured data": JSON-LD and Open Graph as search engines and social networks read them.

Every ``<script type="application/ld+json">`` must be valid JSON with ``@context`` schema.org, a
known ``@type`` and that type's required properties (Google's rich-result rules where they
exist), with absolute URLs; article pages must describe a ``BlogPosting``/``Article``. Open
Graph: title, type, absolute ``og:url`` equal to the canonical link, and an absolute
``og:image`` that exists in the output as PNG/JPEG/WebP/GIF.
"""

from __future__ import annotations

import json
from typing import Any

from .core import GateResult, Site

NAME = "Strukturierte Daten"
REQUIRED: dict[str, tuple[str, ...]] = {
    "WebSite": ("name", "url"),
    "WebPage": ("name",),
    "CollectionPage": ("name",),
    "ProfilePage": ("mainEntity",),
    "AboutPage": ("name",),
    "ContactPage": ("name",),
    "ItemList": ("itemListElement",),
    "ListItem": ("position",),
    "BreadcrumbList": ("itemListElement",),
    "Organization": ("name",),
    "Corporation": ("name",),
    "Person": ("name",),
    "BlogPosting": ("headline", "datePublished", "author", "publisher", "image"),
    "Article": ("headline", "datePublished", "author", "publisher", "image"),
    "NewsArticle": ("headline", "datePublished", "author", "publisher", "image"),
    "TechArticle": ("headline", "datePublished", "author", "publisher", "image"),
    "VideoObject": ("name", "description", "thumbnailUrl", "uploadDate"),
    "ImageObject": ("url",),
    "DigitalDocument": ("name", "url"),
    "MediaObject": ("contentUrl",),
    "SearchAction": ("target",),
    "EntryPoint": ("urlTemplate",),
    "ContactPoint": ("contactType",),
    "PostalAddress": (),
    "Blog": ("name", "url"),
    "DefinedTerm": ("name",),
    "Thing": ("name",),
    "Place": ("name",),
    "Brand": ("name",),
    "Service": ("name",),
    "Product": ("name",),
    "InteractionCounter": ("interactionType",),
    "ReadAction": (),
    "ViewAction": (),
    "WatchAction": (),
}
ARTICLE_TYPES = {"BlogPosting", "Article", "NewsArticle", "TechArticle"}
URL_KEYS = {
    "url",
    "@id",
    "mainEntityOfPage",
    "sameAs",
    "logo",
    "image",
    "thumbnailUrl",
    "contentUrl",
    "embedUrl",
    "item",
    "target",
}
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".gif")


def _types(node: dict) -> list[str]:
    t = node.get("@type", [])
    return [t] if isinstance(t, str) else list(t)


def _urls(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [u for v in value for u in _urls(v)]
    if isinstance(value, dict) and not value.get("@type"):
        return _urls(value.get("url", value.get("@id", [])))
    return []


def check_node(node: Any, where: str, result: GateResult, seen: set[str], path: str = "") -> None:
    """Check one JSON-LD node and its children; collect its types in ``seen``."""
    if isinstance(node, list):
        for i, item in enumerate(node):
            check_node(item, where, result, seen, f"{path}[{i}]")
        return
    if not isinstance(node, dict):
        return
    if "@graph" in node:
        check_node(node["@graph"], where, result, seen, f"{path}@graph")
    types = _types(node)
    label = f"JSON-LD {path or '/'}"
    if not types and "@graph" not in node and not path:
        result.add(where, f"{label}: @type fehlt")
    for t in types:
        seen.add(t)
        if t not in REQUIRED:
            result.add(where, f"{label}: unbekannter @type {t!r}")
            continue
        for prop in REQUIRED[t]:
            if node.get(prop) in (None, "", [], {}):
                result.add(where, f"{label}: {t} ohne Pflichtangabe {prop!r}")
    for key, value in node.items():
        if key in URL_KEYS and key != "target":
            for url in _urls(value):
                if not url.startswith(("http://", "https://")):
                    result.add(where, f"{label}: {key} ist keine absolute URL: {url!r}")
        if isinstance(value, (dict, list)) and not key.startswith("@"):
            check_node(value, where, result, seen, f"{path}.{key}" if path else key)


def _meta(soup, prop: str) -> str | None:
    el = soup.find("meta", attrs={"property": prop}) or soup.find("meta", attrs={"name": prop})
    return el.get("content") if el is not None else None


def check_page(site: Site, path, result: GateResult) -> None:
    where = site.url_of(path)
    soup = site.soup(path)
    blocks = soup.find_all("script", type="application/ld+json")
    if not blocks:
        result.add(where, "kein JSON-LD")
    seen: set[str] = set()
    for i, block in enumerate(blocks, start=1):
        try:
            data = json.loads(block.string or "")
        except ValueError as exc:
            result.add(where, f"JSON-LD-Block {i} ist kein gültiges JSON: {exc}")
            continue
        for root in data if isinstance(data, list) else [data]:
            context = root.get("@context") if isinstance(root, dict) else None
            if not (
                isinstance(context, str)
                and context.rstrip("/") in ("https://schema.org", "http://schema.org")
            ):
                result.add(where, f"JSON-LD-Block {i}: @context ist nicht schema.org ({context!r})")
            check_node(root, where, result, seen)
    og_type = _meta(soup, "og:type")
    if og_type == "article" and not seen & ARTICLE_TYPES:
        result.add(where, "Artikelseite ohne JSON-LD BlogPosting/Article")
    # Open Graph
    for prop in ("og:title", "og:type", "og:url", "og:image"):
        if not _meta(soup, prop):
            result.add(where, f"Open Graph: {prop} fehlt")
    canonical = soup.find("link", rel="canonical")
    href = canonical.get("href", "") if canonical is not None else ""
    if not href.startswith(("http://", "https://")):
        result.add(where, f"canonical fehlt oder ist nicht absolut: {href!r}")
    og_url = _meta(soup, "og:url") or ""
    if og_url and og_url != href:
        result.add(where, f"og:url {og_url} ≠ canonical {href}")
    for prop in ("og:url", "og:image", "twitter:image"):
        value = _meta(soup, prop)
        if value and not value.startswith(("http://", "https://")):
            result.add(where, f"Open Graph: {prop} ist keine absolute URL: {value!r}")
    image = _meta(soup, "og:image") or ""
    if image.startswith(("http://", "https://")):
        sp = site.site_path(image)
        if sp is not None:
            if site.file_for(sp) is None:
                result.add(where, f"og:image fehlt in der Ausgabe: {image}")
            elif not sp.lower().endswith(IMAGE_SUFFIXES):
                result.add(where, f"og:image muss PNG/JPEG/WebP/GIF sein: {image}")


def run(site: Site) -> GateResult:
    result = GateResult(NAME)
    pages = site.sitemap_pages
    result.checked = len(pages)
    for _, path in pages:
        check_page(site, path, result)
    return result
